/**
 * The schemas of `TrainingImage` on their own, without a client: what each params schema accepts and
 * generates, the batch's messages, and the model response's wire shape in both directions.
 */
import { TrainingImage, type TrainingImagesError, Validate } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"

const issuesOf = (result: Either.Either<unknown, TrainingImagesError.InvalidRequestError>) => {
  if (Either.isRight(result)) throw new Error("expected the params to be refused")
  return result.left.issues.map(({ message, path }) => ({ path, message }))
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `asset_${i}`)

/** The image keys a sample sets, in a fixed order. */
const imageKeysOf = (params: Record<string, unknown>) =>
  ["assetId", "assetIds", "data", "name"].filter((key) => params[key] !== undefined)

describe("the params schemas' arbitraries: one image variant a sample, the others' keys absent", () => {
  // A fixed seed: the same samples on every run.
  const sampleOf = <A, I>(schema: Schema.Schema<A, I>) =>
    fc.sample(Arbitrary.make(schema), { seed: 7, numRuns: 60 }) as ReadonlyArray<Record<string, unknown>>

  const variants = (samples: ReadonlyArray<Record<string, unknown>>) =>
    new Set(samples.map((params) => imageKeysOf(params).filter((key) => key !== "name").join()))

  it("ImageInput: each of the three variants, and no sample with keys of two", () => {
    const samples = sampleOf(TrainingImage.ImageInput)
    expect(variants(samples)).toEqual(new Set(["assetId", "assetIds", "data"]))
    for (const params of samples) {
      const keys = imageKeysOf(params)
      expect(keys, JSON.stringify(params)).toSatisfy((list: ReadonlyArray<string>) =>
        list.length === 1 || (list.length === 2 && list[0] === "data" && list[1] === "name")
      )
    }
  })

  it("AddParams and ReplaceParams: every sample passes the validator of its operation", () => {
    const adds = sampleOf(TrainingImage.AddParams)
    const replaces = sampleOf(TrainingImage.ReplaceParams)
    expect(variants(adds)).toEqual(new Set(["assetId", "assetIds", "data"]))
    expect(variants(replaces)).toEqual(new Set(["assetId", "assetIds", "data"]))
    for (const params of adds) expect(Validate.add(params), JSON.stringify(params)).toEqual(Either.right(params))
    for (const params of replaces) {
      expect(Validate.replace(params), JSON.stringify(params)).toEqual(Either.right(params))
    }
  })
})

describe("a batch of asset ids: its messages", () => {
  it("empty: the one line saying a batch needs an id", () => {
    expect(issuesOf(Validate.add({ modelId: "m", assetIds: [] }))).toEqual([
      { path: ["assetIds"], message: "a batch needs at least one asset id" }
    ])
  })

  it("one id over the limit: the one line giving the limit and the count", () => {
    expect(issuesOf(Validate.add({ modelId: "m", assetIds: ids(TrainingImage.MAX_BATCH_ASSETS + 1) }))).toEqual([
      { path: ["assetIds"], message: "a batch holds at most 10 asset ids, got 11" }
    ])
    expect(issuesOf(Validate.replace({ modelId: "m", trainingImageId: "t", assetIds: ids(25) }))).toEqual([
      { path: ["assetIds"], message: "a batch holds at most 10 asset ids, got 25" }
    ])
  })

  it("no list at all: the line of the list's type, not of its size", () => {
    for (const value of [null, 5, "asset_1", { length: 11 }]) {
      expect(issuesOf(Validate.add({ modelId: "m", assetIds: value }))).toEqual([
        {
          path: ["assetIds"],
          message: `Expected ReadonlyArray<AssetId>, actual ${value === null ? "null" : JSON.stringify(value)}`
        }
      ])
    }
  })

  it("a bad id in a batch of fine size: the id's line alone", () => {
    expect(issuesOf(Validate.add({ modelId: "m", assetIds: ["a", "", "c"] }))).toEqual([
      { path: ["assetIds", 1], message: "must not be empty" }
    ])
  })
})

describe("the model response (GET /models/{modelId})", () => {
  const imageJson = {
    id: "asset_1",
    automaticCaptioning: "a caption",
    createdAt: "2023-02-03T11:19:41.579Z",
    description: "a description",
    downloadUrl: "https://cdn.example/asset_1.png",
    name: "a.png"
  }
  const pairJson = { sourceId: "asset_1", targetId: "asset_2", instruction: "make it blue" }

  it("decodes the model's training-image fields into ModelTrainingImages, the model's id as modelId", () => {
    const decoded = Schema.decodeUnknownSync(TrainingImage.ModelResponse)({
      model: {
        id: "model_1",
        status: "training",
        trainingImages: [imageJson],
        trainingImagePairs: [pairJson],
        trainingImagesNumber: 1,
        type: "flux.1-lora"
      }
    })
    expect(decoded).toBeInstanceOf(TrainingImage.ModelTrainingImages)
    expect({ ...decoded, trainingImages: [], trainingImagePairs: [] }).toEqual({
      modelId: "model_1",
      status: "training",
      trainingImages: [],
      trainingImagePairs: [],
      trainingImagesNumber: 1
    })
    expect(decoded.trainingImages.map((image) => ({ ...image }))).toEqual([imageJson])
    expect(decoded.trainingImagePairs.map((pair) => ({ ...pair }))).toEqual([pairJson])
  })

  it("a model without images or pairs: both lists empty", () => {
    const decoded = Schema.decodeUnknownSync(TrainingImage.ModelResponse)({
      model: { id: "model_1", status: "new", trainingImagesNumber: 0 }
    })
    expect(decoded.trainingImages).toEqual([])
    expect(decoded.trainingImagePairs).toEqual([])
    const other = Schema.decodeUnknownSync(TrainingImage.ModelResponse)({
      model: { id: "model_2", status: "new", trainingImagesNumber: 0 }
    })
    // Each decode gets a list of its own.
    expect(other.trainingImages).toEqual([])
    expect(other.trainingImagePairs).toEqual([])
  })

  it("encodes back to the wire shape: the model under `model`, modelId as its id", () => {
    const model = new TrainingImage.ModelTrainingImages({
      modelId: "model_1",
      status: "trained",
      trainingImages: [new TrainingImage.TrainingImage(imageJson)],
      trainingImagePairs: [new TrainingImage.Pair(pairJson)],
      trainingImagesNumber: 1
    })
    const wire = Schema.encodeSync(TrainingImage.ModelResponse)(model)
    expect(JSON.parse(JSON.stringify(wire))).toEqual({
      model: {
        id: "model_1",
        status: "trained",
        trainingImages: [imageJson],
        trainingImagePairs: [pairJson],
        trainingImagesNumber: 1
      }
    })
  })
})

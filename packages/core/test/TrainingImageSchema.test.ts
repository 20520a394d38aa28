/**
 * The schemas of `TrainingImage` on their own, without a client: what each params schema accepts and
 * generates, the batch's messages, and the model response's wire shape in both directions. The Effect 3 line's
 * runner of `contract/schemas.ts` (shared with the Effect 4 line).
 */
import { TrainingImage, type TrainingImagesError, Validate } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck as fc, Schema } from "effect"
import { withoutTypeName } from "../../../contract/params.js"
import * as Schemas from "../../../contract/schemas.js"

const issuesOf = (result: Either.Either<unknown, TrainingImagesError.InvalidRequestError>) => {
  if (Either.isRight(result)) throw new Error("expected the params to be refused")
  return result.left.issues.map(({ message, path }) => ({ path, message: withoutTypeName(message) }))
}

const refuses = (cases: ReadonlyArray<Schemas.BatchCase>) => {
  for (const { issues, operation, params } of cases) {
    expect(issuesOf(Validate[operation](params)), JSON.stringify(params)).toEqual(issues)
  }
}

describe("the params schemas' arbitraries: one image variant a sample, the others' keys absent", () => {
  // A fixed seed: the same samples on every run.
  const sampleOf = <A, I>(schema: Schema.Schema<A, I>) =>
    fc.sample(Arbitrary.make(schema), { seed: Schemas.SAMPLE.seed, numRuns: Schemas.SAMPLE.count }) as ReadonlyArray<
      Record<string, unknown>
    >

  it("ImageInput: each of the three variants, and no sample with keys of two", () => {
    const samples = sampleOf(TrainingImage.ImageInput)
    expect(Schemas.variantsOf(samples)).toEqual(Schemas.VARIANTS)
    for (const params of samples) expect(Schemas.isOneVariant(params), JSON.stringify(params)).toBe(true)
  })

  it("AddParams and ReplaceParams: every sample passes the validator of its operation", () => {
    const adds = sampleOf(TrainingImage.AddParams)
    const replaces = sampleOf(TrainingImage.ReplaceParams)
    expect(Schemas.variantsOf(adds)).toEqual(Schemas.VARIANTS)
    expect(Schemas.variantsOf(replaces)).toEqual(Schemas.VARIANTS)
    for (const params of adds) expect(Validate.add(params), JSON.stringify(params)).toEqual(Either.right(params))
    for (const params of replaces) {
      expect(Validate.replace(params), JSON.stringify(params)).toEqual(Either.right(params))
    }
  })

  it("the three ways exclude each other", () => {
    const is = Schema.is(TrainingImage.ImageInput)
    for (const input of Schemas.imageInputs.valid) expect(is(input), JSON.stringify(input)).toBe(true)
    for (const input of Schemas.imageInputs.invalid) expect(is(input), JSON.stringify(input)).toBe(false)
  })
})

describe("a batch of asset ids: its messages", () => {
  it("empty: the one line saying a batch needs an id", () => refuses(Schemas.batches.empty))

  it("one id over the limit: the one line giving the limit and the count", () => {
    expect(TrainingImage.MAX_BATCH_ASSETS).toBe(Schemas.MAX_BATCH_ASSETS)
    refuses(Schemas.batches.overTheLimit)
  })

  it("no list at all: the line of the list's type, not of its size", () => {
    refuses(Schemas.batches.notAList)
    // This line's Schema names the list's type so.
    const refused = Validate.add(Schemas.notAListParams)
    expect(Either.isLeft(refused) && refused.left.issues[0]?.message).toBe(
      Schemas.notAListMessage("ReadonlyArray<AssetId>")
    )
  })

  it("a bad id in a batch of fine size: the id's line alone", () => refuses(Schemas.batches.badId))
})

describe("the model response (GET /models/{modelId})", () => {
  const decode = Schema.decodeUnknownEither(TrainingImage.ModelResponse)

  it("decodes the model's training-image fields into ModelTrainingImages, the model's id as modelId", () => {
    const decoded = Schema.decodeUnknownSync(TrainingImage.ModelResponse)(Schemas.modelJson)
    expect(decoded).toBeInstanceOf(TrainingImage.ModelTrainingImages)
    expect({ ...decoded, trainingImages: [], trainingImagePairs: [] }).toEqual(Schemas.modelFields)
    expect(decoded.trainingImages[0]).toBeInstanceOf(TrainingImage.TrainingImage)
    expect(decoded.trainingImages.map((image) => ({ ...image }))).toEqual([Schemas.imageJson])
    expect(decoded.trainingImagePairs.map((pair) => ({ ...pair }))).toEqual([Schemas.pairJson])
  })

  it("a model without images or pairs: both lists empty", () => {
    // Each decode gets a list of its own.
    for (const answer of Schemas.emptyModels.answers) {
      const decoded = Schema.decodeUnknownSync(TrainingImage.ModelResponse)(answer)
      expect(decoded.trainingImages).toEqual(Schemas.emptyModels.trainingImages)
      expect(decoded.trainingImagePairs).toEqual(Schemas.emptyModels.trainingImagePairs)
    }
  })

  it("encodes back to the wire shape: the model under `model`, modelId as its id", () => {
    const model = new TrainingImage.ModelTrainingImages({
      ...Schemas.modelFields,
      trainingImages: [new TrainingImage.TrainingImage(Schemas.imageJson)],
      trainingImagePairs: [new TrainingImage.Pair(Schemas.pairJson)]
    })
    const wire = Schema.encodeSync(TrainingImage.ModelResponse)(model)
    expect(JSON.parse(JSON.stringify(wire))).toEqual(Schemas.modelWire)
  })

  it("a required field missing, or of another type, is a decode error", () => {
    for (const answer of Schemas.badModels) expect(Either.isLeft(decode(answer)), JSON.stringify(answer)).toBe(true)
  })
})

describe("the image response (POST and PUT)", () => {
  it("unknown fields are dropped; every documented one is required", () => {
    const decode = Schema.decodeUnknownEither(TrainingImage.TrainingImageResponse, { onExcessProperty: "ignore" })
    const result = decode(Schemas.imageWithExtras)
    if (Either.isLeft(result)) throw new Error(String(result.left))
    expect({ ...result.right.trainingImage }).toEqual(Schemas.imageJson)
    for (const key of Object.keys(Schemas.imageJson)) {
      const { [key as keyof typeof Schemas.imageJson]: _, ...missing } = Schemas.imageJson
      expect(Either.isLeft(decode({ trainingImage: missing })), key).toBe(true)
    }
  })
})

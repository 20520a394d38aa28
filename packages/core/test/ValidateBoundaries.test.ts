/**
 * Validation at its exact boundaries: base64 padding, data URL parameters, the paths of the issues, params
 * that cannot be read, and the fields of decoded pairs. Valid inputs of the property tests come from an
 * encoder of their own (Node's Buffer), never from the schema under test.
 *
 * The cases are `contract/validate.ts`, shared with the Effect 4 line; here the calls go through the service
 * over the stub transport where the Effect 4 line's suite calls its validators and decoders directly.
 */
import { TrainingImage, type TrainingImagesError, Validate } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Either, FastCheck as fc, Schema } from "effect"
import * as Cases from "../../../contract/validate.js"
import { withStub } from "./stub.js"

const { dataUrl, trainingImageJson } = Cases
const accepts = (data: string) => Either.isRight(Validate.add({ modelId: "m", data }))

const issuesOf = (result: Either.Either<unknown, TrainingImagesError.InvalidRequestError>) => {
  if (Either.isRight(result)) throw new Error("expected the params to be refused")
  return result.left.issues
}

describe("base64 payloads at their boundaries", () => {
  it("padding: none, one or two '=' and only at the end", () => {
    for (const payload of Cases.payloads.accepted) expect(accepts(dataUrl(payload)), payload).toBe(true)
    for (const payload of Cases.payloads.refused) expect(accepts(dataUrl(payload)), payload).toBe(false)
  })

  it.prop(
    "whatever the bytes, their base64 (Node's encoder) is accepted",
    [fc.uint8Array({ maxLength: 64 })],
    ([bytes]) => {
      const payload = Buffer.from(bytes).toString("base64")
      expect(accepts(dataUrl(payload))).toBe(payload.length > 0)
    }
  )

  it.prop(
    "a payload whose padding was stripped, or that holds a character outside the alphabet, is refused",
    [fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.constantFrom(...Cases.foreignCharacters)],
    ([bytes, at, foreign]) => {
      const payload = Buffer.from(bytes).toString("base64")
      const stripped = payload.replace(/=+$/, "")
      if (stripped !== payload) expect(accepts(dataUrl(stripped))).toBe(false)
      const index = at % payload.length
      // One character swapped for one outside the alphabet, the length kept: refused.
      const swapped = payload.slice(0, index) + foreign + payload.slice(index + 1)
      expect(accepts(dataUrl(swapped))).toBe(false)
    }
  )
})

describe("data URL headers", () => {
  it("media types and parameters", () => {
    for (const header of Cases.headers.accepted) {
      expect(accepts(dataUrl(Cases.HEADER_PAYLOAD, header)), header).toBe(true)
    }
    for (const header of Cases.headers.refused) {
      expect(accepts(dataUrl(Cases.HEADER_PAYLOAD, header)), header).toBe(false)
    }
  })

  it("text before the header: refused as no data URL at all, not as a bad payload", () => {
    for (const prefix of Cases.prefixes) {
      const [issue, ...others] = issuesOf(Validate.add({ modelId: "m", data: `${prefix}${Cases.afterPrefix}` }))
      expect(others, prefix).toEqual([])
      expect(issue!.message, prefix).toBe(Cases.NOT_A_DATA_URL)
    }
  })

  it.effect("a data URL with parameters is sent exactly as given, as JSON", () =>
    Effect.gen(function*() {
      const data = Cases.dataUrlWithParameters
      const { images, recorded } = yield* withStub([{ status: 200, body: { trainingImage: trainingImageJson } }])
      yield* images.add({ modelId: "m", data, name: "a.png" })
      const [request] = yield* recorded
      expect(JSON.parse(request!.body!)).toEqual({ data, name: "a.png" })
    }))
})

describe("the DataUrl arbitrary (the valid data URLs of the property tests)", () => {
  // A fixed seed: the same sample on every run.
  const sample = fc.sample(Arbitrary.make(TrainingImage.DataUrl), { seed: 11, numRuns: 400 })
  const parts = sample.map((url) => {
    const match = /^data:image\/([a-z]+);base64,(.+)$/.exec(url)
    if (match === null) throw new Error(`not a data URL: ${url}`)
    return { type: match[1]!, bytes: Buffer.from(match[2]!, "base64"), payload: match[2]! }
  })

  it("png, jpeg, webp and gif, each of them, and no other type", () => {
    expect(new Set(parts.map((part) => part.type))).toEqual(new Set(Cases.sampleTypes))
  })

  it("payloads in canonical base64, from 1 byte to more than fast-check's default array length of 10", () => {
    for (const { bytes, payload } of parts) expect(bytes.toString("base64")).toBe(payload)
    const lengths = parts.map((part) => part.bytes.length)
    expect(Math.min(...lengths)).toBe(Cases.sampleBytes.min)
    expect(Math.max(...lengths)).toBeGreaterThan(Cases.sampleBytes.moreThan)
    expect(Math.max(...lengths)).toBeLessThanOrEqual(Cases.sampleBytes.atMost)
  })
})

describe("issue paths", () => {
  it("array indexes are numbers, object keys are strings", () => {
    for (const { operation, params, paths } of Cases.indexPaths) {
      expect(issuesOf(Validate[operation](params)).map((issue) => issue.path)).toEqual(paths)
    }
  })

  it("a symbol key becomes its description: an issue path holds only strings and numbers", () => {
    const [issue] = issuesOf(Validate.list(Cases.symbolKey.params))
    expect(issue!.path).toEqual(Cases.symbolKey.path)
    expect(typeof issue!.path[0]).toBe("string")
  })

  it("a problem with the params as a whole has the empty path", () => {
    for (const params of Cases.notParams) {
      for (const operation of Cases.operations) {
        const issues = issuesOf(Validate[operation](params))
        expect(issues.length, String(params)).toBeGreaterThan(0)
        expect(issues[0]!.path, String(params)).toEqual([])
      }
    }
    for (const params of Cases.wholeProblems) expect(issuesOf(Validate.add(params))[0]!.path).toEqual([])
  })

  it("a conflict is reported at the key that causes it", () => {
    for (const { params, path } of Cases.conflicts) expect(issuesOf(Validate.add(params))[0]!.path).toEqual(path)
  })

  it("an absent key (undefined) does not count as present", () => {
    expect(Validate.add(Cases.undefinedKeys.kept)).toEqual(Either.right(Cases.undefinedKeys.kept))
    expect(Either.isRight(Validate.add(Cases.undefinedKeys.passes))).toBe(true)
  })

  it("10 asset ids pass, 11 are refused, at the path of the list", () => {
    expect(Either.isRight(Validate.add({ modelId: "m", assetIds: Cases.ids(TrainingImage.MAX_BATCH_ASSETS) })))
      .toBe(true)
    expect(issuesOf(Validate.add({ modelId: "m", assetIds: Cases.ids(11) })).map((issue) => issue.path)).toEqual([
      ["assetIds"]
    ])
  })
})

describe("one line per problem, whatever else is wrong", () => {
  const pathsOf = (params: unknown) => issuesOf(Validate.add(params)).map((issue) => issue.path)

  it("a batch too large with an empty id and an empty model id: the three problems, the size once", () => {
    for (const { params, paths } of Cases.manyProblems) {
      const found = pathsOf(params)
      expect(found).toHaveLength(paths.length)
      expect(found).toEqual(expect.arrayContaining([...paths]))
    }
  })

  it("a closed set: one line naming every allowed value; an optional field: no line for its absence", () => {
    const [preset, ...others] = issuesOf(Validate.add(Cases.badPreset))
    expect(others).toEqual([])
    expect(preset!.path).toEqual(["preset"])
    for (const value of TrainingImage.Preset.literals) expect(preset!.message).toContain(JSON.stringify(value))
    const [name, ...rest] = issuesOf(Validate.add(Cases.badName))
    expect(rest).toEqual([])
    expect(name!.path).toEqual(["name"])
    expect(name!.message).not.toContain("undefined")
  })
})

describe("params that cannot be read", () => {
  const hostile = Cases.hostileParams()

  for (const operation of Cases.operations) {
    it.effect(`${operation}: InvalidRequestError naming ${operation}, nothing sent`, () =>
      Effect.gen(function*() {
        const { images, recorded } = yield* withStub([{ status: 200, body: {} }])
        const call = images[operation] as (
          p: unknown
        ) => Effect.Effect<unknown, TrainingImagesError.TrainingImagesError>
        const error = yield* Effect.flip(call(hostile))
        expect(error._tag).toBe("InvalidRequestError")
        if (error._tag !== "InvalidRequestError") return
        expect(error.operation).toBe(operation)
        expect(error.issues).toHaveLength(1)
        expect(error.issues[0]!.path).toEqual([])
        expect(error.issues[0]!.message).toContain("boom")
        expect(yield* recorded).toHaveLength(0)
      }))
  }
})

describe("decoded pairs keep their fields", () => {
  it.effect("replacePairs: the pairs returned, field by field", () =>
    Effect.gen(function*() {
      const { answered, sent } = Cases.replacePairs
      const { images } = yield* withStub([{ status: 200, body: answered }])
      const result = yield* images.replacePairs({ modelId: "m", pairs: sent })
      expect(result.count).toBe(answered.count)
      expect(result.pairs.map((pair) => ({ ...pair }))).toEqual(answered.pairs)
      expect(result.pairs[0]).toBeInstanceOf(TrainingImage.Pair)
    }))

  it.effect("list: images and pairs, field by field", () =>
    Effect.gen(function*() {
      const { images } = yield* withStub([{ status: 200, body: Cases.listedModel }])
      const model = yield* images.list({ modelId: "m" })
      expect(model.modelId).toBe("m")
      expect(model.status).toBe("trained")
      expect(model.trainingImagesNumber).toBe(1)
      expect(model.trainingImages.map((image) => ({ ...image }))).toEqual([trainingImageJson])
      expect(model.trainingImagePairs.map((pair) => ({ ...pair }))).toEqual(Cases.listedPairs)
    }))

  it("ModelTrainingImages decodes its own fields: each one required, each of its type", () => {
    const decode = Schema.decodeUnknownEither(TrainingImage.ModelTrainingImages)
    const { fields, wrong } = Cases.modelFields
    const decoded = decode(fields)
    if (Either.isLeft(decoded)) throw new Error(String(decoded.left))
    expect(decoded.right).toBeInstanceOf(TrainingImage.ModelTrainingImages)
    expect(decoded.right.trainingImages[0]).toBeInstanceOf(TrainingImage.TrainingImage)
    for (const key of Object.keys(fields) as Array<keyof typeof fields>) {
      const { [key]: _, ...missing } = fields
      expect(Either.isLeft(decode(missing)), `${key} missing`).toBe(true)
      expect(Either.isLeft(decode({ ...fields, [key]: wrong[key] })), `${key} wrong`).toBe(true)
    }
  })

  it("a decoded value, as text, names its class and its fields", () => {
    const image = new TrainingImage.TrainingImage(trainingImageJson)
    const pair = new TrainingImage.Pair({ sourceId: "asset_1" })
    expect(String(image)).toMatch(/^TrainingImage\(\{ "id": "asset_1", /)
    expect(String(pair)).toBe(
      "Pair({ \"sourceId\": \"asset_1\", \"targetId\": undefined, \"instruction\": undefined })"
    )
    expect(String(new TrainingImage.ReplacePairsResult({ count: 1, pairs: [pair] }))).toMatch(
      /^ReplacePairsResult\(\{ "count": 1, "pairs": /
    )
    expect(
      String(
        new TrainingImage.ModelTrainingImages({
          modelId: "m",
          status: "new",
          trainingImages: [],
          trainingImagePairs: [],
          trainingImagesNumber: 0
        })
      )
    ).toMatch(/^ModelTrainingImages\(\{ "modelId": "m", "status": "new", /)
  })

  it("a pair field of another type is a decode error; a missing one is absent", () => {
    const decode = Schema.decodeUnknownEither(TrainingImage.Pair)
    for (const pair of Cases.badPairs) expect(Either.isLeft(decode(pair)), JSON.stringify(pair)).toBe(true)
    expect(Either.map(decode({ sourceId: "a" }), (pair) => ({ ...pair }))).toEqual(Either.right({ sourceId: "a" }))
  })
})

describe("the documented enums: each value decodes, a near miss does not", () => {
  const schemas = {
    ModelStatus: TrainingImage.ModelStatus,
    KnownModelStatus: TrainingImage.KnownModelStatus,
    ModelType: TrainingImage.ModelType,
    Preset: TrainingImage.Preset
  }

  for (const [name, documented, misses] of Cases.enums) {
    it(`${name}: the ${documented.length} documented values and nothing else`, () => {
      const schema = schemas[name]
      const decode = Schema.decodeUnknownEither(schema as Schema.Schema<string>)
      for (const value of documented) expect(decode(value), value).toEqual(Either.right(value))
      for (const value of Cases.nearMisses(documented, misses)) {
        expect(Either.isLeft(decode(value)), JSON.stringify(value)).toBe(true)
      }
      expect([...schema.literals].sort()).toEqual([...documented].sort())
    })
  }
})

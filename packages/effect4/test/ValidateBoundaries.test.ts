/**
 * Validation at its exact boundaries: base64 padding, data URL parameters, the paths of the issues, params
 * that cannot be read, and the fields of decoded pairs. Valid inputs of the property tests come from an
 * encoder of their own (Node's Buffer), never from the schema under test.
 *
 * The cases are `contract/validate.ts`, shared with the Effect 3 line; here the validators and the decoders the
 * service answers with are called directly where the Effect 3 line's suite goes through its service.
 */
import { ApiResponse, TrainingImage, type TrainingImagesError, Validate } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Result, Schema } from "effect"
import * as Cases from "../../../contract/validate.js"

const { dataUrl, trainingImageJson } = Cases
const accepts = (data: string) => Result.isSuccess(Validate.add({ modelId: "m", data }))

const issuesOf = (result: Result.Result<unknown, TrainingImagesError.InvalidRequestError>) => {
  if (Result.isSuccess(result)) throw new Error("expected the params to be refused")
  return result.failure.issues
}

// Effect 4's property inputs are Schemas (or `effect/Arbitrary`s) rather than fast-check arbitraries.
const Byte = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 255 }))
const bytesOf = (minLength: number, maxLength: number) =>
  Schema.Array(Byte).check(Schema.isMinLength(minLength), Schema.isMaxLength(maxLength))

describe("base64 payloads at their boundaries", () => {
  it("padding: none, one or two '=' and only at the end", () => {
    for (const payload of Cases.payloads.accepted) expect(accepts(dataUrl(payload)), payload).toBe(true)
    for (const payload of Cases.payloads.refused) expect(accepts(dataUrl(payload)), payload).toBe(false)
  })

  it.prop(
    "whatever the bytes, their base64 (Node's encoder) is accepted",
    [bytesOf(0, 64)],
    ([bytes]) => {
      const payload = Buffer.from(bytes).toString("base64")
      expect(accepts(dataUrl(payload))).toBe(payload.length > 0)
    }
  )

  it.prop(
    "a payload whose padding was stripped, or that holds a character outside the alphabet, is refused",
    [bytesOf(1, 64), Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)), Schema.Literals(Cases.foreignCharacters)],
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

  // On the Effect 3 line this goes through the service and reads the body sent; here: the params come back as given.
  it("a data URL with parameters is sent exactly as given, as JSON", () => {
    const data = Cases.dataUrlWithParameters
    const params = { modelId: "m", data, name: "a.png" }
    expect(Validate.add(params)).toEqual(Result.succeed(params))
    const { modelId: _, ...body } = params
    expect(JSON.parse(JSON.stringify(body))).toEqual({ data, name: "a.png" })
  })
})

describe("the DataUrl arbitrary (the valid data URLs of the property tests)", () => {
  // A fixed seed: the same sample on every run. Effect 4's generation grows with `size` (fast-check's did not).
  const sample = Effect.runSync(
    Arbitrary.sampleEffect(Arbitrary.schema(TrainingImage.DataUrl), { seed: 11, count: 400, size: 100 })
  )
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
    expect(Validate.add(Cases.undefinedKeys.kept)).toEqual(Result.succeed(Cases.undefinedKeys.kept))
    expect(Result.isSuccess(Validate.add(Cases.undefinedKeys.passes))).toBe(true)
  })

  it("10 asset ids pass, 11 are refused, at the path of the list", () => {
    expect(Result.isSuccess(Validate.add({ modelId: "m", assetIds: Cases.ids(TrainingImage.MAX_BATCH_ASSETS) })))
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
    // The validators directly (the service's suite checks that nothing is sent).
    it(`${operation}: InvalidRequestError naming ${operation}, nothing sent`, () => {
      const result = (Validate[operation] as Validate.Validator<unknown>)(hostile)
      if (Result.isSuccess(result)) throw new Error("expected the params to be refused")
      const error = result.failure
      expect(error._tag).toBe("InvalidRequestError")
      expect(error.operation).toBe(operation)
      expect(error.issues).toHaveLength(1)
      expect(error.issues[0]!.path).toEqual([])
      expect(error.issues[0]!.message).toContain("boom")
    })
  }
})

describe("decoded pairs keep their fields", () => {
  // Through the decoders the service answers with (`ApiResponse`), rather than a stubbed call.
  it.effect("replacePairs: the pairs returned, field by field", () =>
    Effect.gen(function*() {
      const { answered } = Cases.replacePairs
      const result = yield* Effect.fromResult(ApiResponse.decodeReplacePairs(answered))
      expect(result.count).toBe(answered.count)
      expect(result.pairs.map((pair) => ({ ...pair }))).toEqual(answered.pairs)
      expect(result.pairs[0]).toBeInstanceOf(TrainingImage.Pair)
    }))

  it.effect("list: images and pairs, field by field", () =>
    Effect.gen(function*() {
      const model = yield* Effect.fromResult(ApiResponse.decodeModel(Cases.listedModel))
      expect(model.modelId).toBe("m")
      expect(model.status).toBe("trained")
      expect(model.trainingImagesNumber).toBe(1)
      expect(model.trainingImages.map((image) => ({ ...image }))).toEqual([trainingImageJson])
      expect(model.trainingImagePairs.map((pair) => ({ ...pair }))).toEqual(Cases.listedPairs)
    }))

  it("ModelTrainingImages decodes its own fields: each one required, each of its type", () => {
    const decode = Schema.decodeUnknownResult(TrainingImage.ModelTrainingImages)
    const { fields, wrong } = Cases.modelFields
    const decoded = decode(fields)
    if (Result.isFailure(decoded)) throw new Error(String(decoded.failure))
    expect(decoded.success).toBeInstanceOf(TrainingImage.ModelTrainingImages)
    expect(decoded.success.trainingImages[0]).toBeInstanceOf(TrainingImage.TrainingImage)
    for (const key of Object.keys(fields) as Array<keyof typeof fields>) {
      const { [key]: _, ...missing } = fields
      expect(Result.isFailure(decode(missing)), `${key} missing`).toBe(true)
      expect(Result.isFailure(decode({ ...fields, [key]: wrong[key] })), `${key} wrong`).toBe(true)
    }
  })

  it("a decoded value, as text, names its class and its fields", () => {
    const image = new TrainingImage.TrainingImage(trainingImageJson)
    const pair = new TrainingImage.Pair({ sourceId: "asset_1" })
    // Effect 4 prints a class as compact JSON and leaves absent optional keys out (Effect 3 showed them as undefined).
    expect(String(image)).toMatch(/^TrainingImage\(\{"id":"asset_1",/)
    expect(String(pair)).toBe("Pair({\"sourceId\":\"asset_1\"})")
    expect(String(new TrainingImage.ReplacePairsResult({ count: 1, pairs: [pair] }))).toMatch(
      /^ReplacePairsResult\(\{"count":1,"pairs":/
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
    ).toMatch(/^ModelTrainingImages\(\{"modelId":"m","status":"new",/)
  })

  it("a pair field of another type is a decode error; a missing one is absent", () => {
    const decode = Schema.decodeUnknownResult(TrainingImage.Pair)
    for (const pair of Cases.badPairs) expect(Result.isFailure(decode(pair)), JSON.stringify(pair)).toBe(true)
    expect(Result.map(decode({ sourceId: "a" }), (pair) => ({ ...pair }))).toEqual(Result.succeed({ sourceId: "a" }))
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
      const decode = Schema.decodeUnknownResult(schema as Schema.Codec<string>)
      for (const value of documented) expect(decode(value), value).toEqual(Result.succeed(value))
      for (const value of Cases.nearMisses(documented, misses)) {
        expect(Result.isFailure(decode(value)), JSON.stringify(value)).toBe(true)
      }
      expect([...schema.literals].sort()).toEqual([...documented].sort())
    })
  }
})

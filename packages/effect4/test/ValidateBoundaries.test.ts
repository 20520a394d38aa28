/**
 * Validation at its exact boundaries: base64 padding, data URL parameters, the paths of the issues, params
 * that cannot be read, and the fields of decoded pairs. Valid inputs of the property tests come from an
 * encoder of their own (Node's Buffer), never from the schema under test.
 */
import { ApiResponse, TrainingImage, type TrainingImagesError, Validate } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Result, Schema } from "effect"

const dataUrl = (payload: string, header = "data:image/png;base64,") => `${header}${payload}`
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
    for (const payload of ["abcd", "abc=", "ab==", "abcdab==", "abcdabc=", "ab+/", "////", "++==", "AAAAAAA="]) {
      expect(accepts(dataUrl(payload)), payload).toBe(true)
    }
    for (
      const payload of [
        "ab=c",
        "a=bc",
        "=abc",
        "a===",
        "====",
        "abc==",
        "ab=",
        "a==",
        "abcd====",
        "ab==abcd",
        "abc=abcd",
        "ab-_",
        "ab d",
        "abc",
        "abcde",
        ""
      ]
    ) {
      expect(accepts(dataUrl(payload)), payload).toBe(false)
    }
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
    [
      bytesOf(1, 64),
      Schema.Int.check(Schema.isGreaterThanOrEqualTo(0)),
      Schema.Literals(["-", "_", " ", "\n", "!", ".", ":", "é", "\u0000"])
    ],
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
    for (
      const header of [
        "data:image/png;base64,",
        "data:image/svg+xml;base64,",
        "data:image/vnd.microsoft.icon;base64,",
        "data:image/x-icon;base64,",
        "data:image/png;name=a.png;base64,",
        "data:image/png;name=a.png;charset=utf-8;base64,",
        "data:image/jpeg;q-1=A_b+c.d-e;base64,"
      ]
    ) {
      expect(accepts(dataUrl("iVBORw0KGgo=", header)), header).toBe(true)
    }
    for (
      const header of [
        "data:image/;base64,",
        "data:image/+png;base64,",
        "data:image/png;name=;base64,",
        "data:image/png;=a.png;base64,",
        "data:image/png;name=a b.png;base64,",
        "data:image/png;name=\"a.png\";base64,",
        "data:image/png;name;base64,",
        "data:image/png;base64;name=a.png,",
        "data:image/png;BASE64,",
        "Data:image/png;base64,",
        " data:image/png;base64,",
        "data:image/png ;base64,",
        "data:text/png;base64,",
        "data:image/png,"
      ]
    ) {
      expect(accepts(dataUrl("iVBORw0KGgo=", header)), header).toBe(false)
    }
  })

  it("text before the header: refused as no data URL at all, not as a bad payload", () => {
    for (const prefix of ["x", " ", "image/png;", "url(data:image/png;base64,"]) {
      const [issue, ...others] = issuesOf(Validate.add({ modelId: "m", data: `${prefix}data:image/png;base64,AAAA` }))
      expect(others, prefix).toEqual([])
      expect(issue!.message, prefix).toBe("must be a data URL of the form data:image/<type>;base64,<payload>")
    }
  })

  // On the Effect 3 line this goes through the service and reads the body sent; here: the params come back as given.
  it("a data URL with parameters is sent exactly as given, as JSON", () => {
    const data = "data:image/png;name=a.png;charset=utf-8;base64,iVBORw0KGgo="
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
    expect(new Set(parts.map((part) => part.type))).toEqual(new Set(["png", "jpeg", "webp", "gif"]))
  })

  it("payloads in canonical base64, from 1 byte to more than fast-check's default array length of 10", () => {
    for (const { bytes, payload } of parts) expect(bytes.toString("base64")).toBe(payload)
    const lengths = parts.map((part) => part.bytes.length)
    expect(Math.min(...lengths)).toBe(1)
    expect(Math.max(...lengths)).toBeGreaterThan(10)
    expect(Math.max(...lengths)).toBeLessThanOrEqual(48)
  })
})

const trainingImageJson = {
  id: "asset_1",
  automaticCaptioning: "a caption",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "a description",
  downloadUrl: "https://cdn.example/asset_1.png",
  name: "a.png"
}

describe("issue paths", () => {
  it("array indexes are numbers, object keys are strings", () => {
    expect(issuesOf(Validate.add({ modelId: "m", assetIds: ["a", ""] })).map((issue) => issue.path)).toEqual([
      ["assetIds", 1]
    ])
    expect(
      issuesOf(Validate.replacePairs({ modelId: "m", pairs: [{ sourceId: "a", targetId: "b" }, { sourceId: "a" }] }))
        .map((issue) => issue.path)
    ).toEqual([["pairs", 1, "targetId"]])
    expect(issuesOf(Validate.add({ modelId: "m", assetIds: [1, "b", 3] })).map((issue) => issue.path)).toEqual([
      ["assetIds", 0],
      ["assetIds", 2]
    ])
  })

  it("a symbol key becomes its description: an issue path holds only strings and numbers", () => {
    const [issue] = issuesOf(Validate.list({ modelId: "m", [Symbol.for("colour")]: "blue" }))
    expect(issue!.path).toEqual(["Symbol(colour)"])
    expect(typeof issue!.path[0]).toBe("string")
  })

  it("a problem with the params as a whole has the empty path", () => {
    for (const params of [null, undefined, 5, "m", []]) {
      for (const validate of [Validate.add, Validate.replace, Validate.replacePairs, Validate.delete, Validate.list]) {
        const issues = issuesOf(validate(params))
        expect(issues.length, String(params)).toBeGreaterThan(0)
        expect(issues[0]!.path, String(params)).toEqual([])
      }
    }
    expect(issuesOf(Validate.add({ modelId: "m" }))[0]!.path).toEqual([])
    expect(issuesOf(Validate.add({ modelId: "m", name: "a.png" }))[0]!.path).toEqual([])
  })

  it("a conflict is reported at the key that causes it", () => {
    expect(issuesOf(Validate.add({ modelId: "m", assetIds: ["a"], assetId: "b" }))[0]!.path).toEqual(["assetIds"])
    expect(issuesOf(Validate.add({ modelId: "m", assetId: "a", name: "b" }))[0]!.path).toEqual(["assetId"])
  })

  it("an absent key (undefined) does not count as present", () => {
    expect(Validate.add({ modelId: "m", assetId: "a", assetIds: undefined, data: undefined, name: undefined }))
      .toEqual(Result.succeed({ modelId: "m", assetId: "a", assetIds: undefined, data: undefined, name: undefined }))
    expect(Result.isSuccess(Validate.add({ modelId: "m", assetIds: ["a"], assetId: undefined }))).toBe(true)
  })

  it("10 asset ids pass, 11 are refused, at the path of the list", () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => `asset_${i}`)
    expect(Result.isSuccess(Validate.add({ modelId: "m", assetIds: ids(TrainingImage.MAX_BATCH_ASSETS) }))).toBe(true)
    expect(issuesOf(Validate.add({ modelId: "m", assetIds: ids(11) })).map((issue) => issue.path)).toEqual([
      ["assetIds"]
    ])
  })
})

describe("one line per problem, whatever else is wrong", () => {
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `asset_${i}`)
  const pathsOf = (params: unknown) => issuesOf(Validate.add(params)).map((issue) => issue.path)

  it("a batch too large with an empty id and an empty model id: the three problems, the size once", () => {
    const paths = pathsOf({ modelId: "", assetIds: [...ids(11), ""] })
    expect(paths).toHaveLength(3)
    expect(paths).toEqual(expect.arrayContaining([["assetIds"], ["modelId"], ["assetIds", 11]]))
    const sized = pathsOf({ modelId: "", assetIds: ids(11) })
    expect(sized).toHaveLength(2)
    expect(sized).toEqual(expect.arrayContaining([["assetIds"], ["modelId"]]))
  })

  it("a closed set: one line naming every allowed value; an optional field: no line for its absence", () => {
    const [preset, ...others] = issuesOf(Validate.add({ modelId: "m", assetId: "a", preset: "fancy" }))
    expect(others).toEqual([])
    expect(preset!.path).toEqual(["preset"])
    for (const value of TrainingImage.Preset.literals) expect(preset!.message).toContain(JSON.stringify(value))
    const [name, ...rest] = issuesOf(Validate.add({ modelId: "m", data: dataUrl("abcd"), name: 5 }))
    expect(rest).toEqual([])
    expect(name!.path).toEqual(["name"])
    expect(name!.message).not.toContain("undefined")
  })
})

describe("params that cannot be read", () => {
  // Every trap of the proxy throws: whatever the validator reads first, it ends as a typed error.
  const hostile = new Proxy({}, {
    get: () => {
      throw new Error("boom")
    },
    has: () => {
      throw new Error("boom")
    },
    ownKeys: () => {
      throw new Error("boom")
    },
    getOwnPropertyDescriptor: () => {
      throw new Error("boom")
    }
  })

  for (const operation of ["add", "replace", "replacePairs", "delete", "list"] as const) {
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
      const pairs = [
        { sourceId: "asset_1", targetId: "asset_2", instruction: "make it blue" },
        { sourceId: "asset_3", targetId: "asset_4" },
        {}
      ]
      const result = yield* Effect.fromResult(ApiResponse.decodeReplacePairs({ count: 3, pairs }))
      expect(result.count).toBe(3)
      expect(result.pairs.map((pair) => ({ ...pair }))).toEqual(pairs)
      expect(result.pairs[0]).toBeInstanceOf(TrainingImage.Pair)
    }))

  it.effect("list: images and pairs, field by field", () =>
    Effect.gen(function*() {
      const pairs = [{ sourceId: "asset_1", targetId: "asset_1", instruction: "again" }, { targetId: "asset_1" }]
      const model = yield* Effect.fromResult(ApiResponse.decodeModel({
        model: {
          id: "m",
          status: "trained",
          trainingImages: [trainingImageJson],
          trainingImagePairs: pairs,
          trainingImagesNumber: 1
        }
      }))
      expect(model.modelId).toBe("m")
      expect(model.status).toBe("trained")
      expect(model.trainingImagesNumber).toBe(1)
      expect(model.trainingImages.map((image) => ({ ...image }))).toEqual([trainingImageJson])
      expect(model.trainingImagePairs.map((pair) => ({ ...pair }))).toEqual(pairs)
    }))

  it("ModelTrainingImages decodes its own fields: each one required, each of its type", () => {
    const decode = Schema.decodeUnknownResult(TrainingImage.ModelTrainingImages)
    const fields = {
      modelId: "m",
      status: "trained",
      trainingImages: [trainingImageJson],
      trainingImagePairs: [{ sourceId: "asset_1" }],
      trainingImagesNumber: 1
    }
    const decoded = decode(fields)
    if (Result.isFailure(decoded)) throw new Error(String(decoded.failure))
    expect(decoded.success).toBeInstanceOf(TrainingImage.ModelTrainingImages)
    expect(decoded.success.trainingImages[0]).toBeInstanceOf(TrainingImage.TrainingImage)
    const wrong = {
      modelId: 1,
      status: null,
      trainingImages: [{}],
      trainingImagePairs: [{ sourceId: 1 }],
      trainingImagesNumber: "1"
    }
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
    expect(Result.isFailure(decode({ sourceId: 1 }))).toBe(true)
    expect(Result.isFailure(decode({ targetId: null }))).toBe(true)
    expect(Result.isFailure(decode({ instruction: false }))).toBe(true)
    expect(Result.map(decode({ sourceId: "a" }), (pair) => ({ ...pair }))).toEqual(Result.succeed({ sourceId: "a" }))
  })
})

describe("the documented enums: each value decodes, a near miss does not", () => {
  // The values of the API reference (GET /models/{modelId}: the model's status and type; the image presets).
  const statuses = ["copying", "failed", "new", "trained", "training", "training-canceled"]
  const types = [
    "custom",
    "flux.1",
    "flux.1-composition",
    "flux.1-kontext-dev",
    "flux.1-kontext-lora",
    "flux.1-krea-dev",
    "flux.1-krea-lora",
    "flux.1-lora",
    "flux.1-pro",
    "flux.1.1-pro-ultra",
    "flux1.1-pro",
    "gpt-image-1",
    "sd-1_5",
    "sd-1_5-composition",
    "sd-1_5-lora",
    "sd-xl",
    "sd-xl-composition",
    "sd-xl-lora"
  ]
  const presets = ["default", "style", "subject"]
  const cases = [
    ["ModelStatus", TrainingImage.ModelStatus, statuses, ["queued", "canceled", "training-cancelled"]],
    ["KnownModelStatus", TrainingImage.KnownModelStatus, statuses, ["queued", "canceled", "training-cancelled"]],
    ["ModelType", TrainingImage.ModelType, types, ["flux.1-dev", "flux1.1-pro-ultra", "sd-1.5", "sdxl", "gpt-image"]],
    ["Preset", TrainingImage.Preset, presets, ["none", "styles"]]
  ] as const

  for (const [name, schema, documented, misses] of cases) {
    it(`${name}: the ${documented.length} documented values and nothing else`, () => {
      const decode = Schema.decodeUnknownResult(schema as Schema.Codec<string>)
      for (const value of documented) expect(decode(value), value).toEqual(Result.succeed(value))
      const nearMisses = [
        "",
        ...misses,
        ...documented.flatMap((value) => [value.toUpperCase(), `${value} `, ` ${value}`, value.slice(0, -1)])
      ].filter((value) => !(documented as ReadonlyArray<string>).includes(value))
      for (const value of nearMisses) expect(Result.isFailure(decode(value)), JSON.stringify(value)).toBe(true)
      expect([...schema.literals].sort()).toEqual([...documented].sort())
    })
  }
})

/**
 * Validation at its exact boundaries, as plain data for both lines: base64 payloads and data URL headers that
 * pass or not, the paths of the issues, params that cannot be read, the fields of decoded pairs and models, and
 * the documented enums with their near misses. Each line's `test/ValidateBoundaries.test.ts` runs these through
 * its own `Validate` and Schemas (an Either on the Effect 3 line, a Result on the Effect 4 line); the property
 * tests and the sample of the `DataUrl` arbitrary, whose generators differ, stay in the runners.
 */
import { trainingImageJson as errorsTrainingImageJson } from "./errors.js"

export type Operation = "add" | "replace" | "replacePairs" | "delete" | "list"

export const operations: ReadonlyArray<Operation> = ["add", "replace", "replacePairs", "delete", "list"]

export const dataUrl = (payload: string, header = "data:image/png;base64,") => `${header}${payload}`

/** Base64 payloads: none, one or two `=` and only at the end. */
export const payloads = {
  accepted: ["abcd", "abc=", "ab==", "abcdab==", "abcdabc=", "ab+/", "////", "++==", "AAAAAAA="],
  refused: [
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
} as const

/** Characters outside the base64 alphabet, swapped into a valid payload by the property test. */
export const foreignCharacters = ["-", "_", " ", "\n", "!", ".", ":", "é", "\u0000"] as const

/** The payload every header below is tried with. */
export const HEADER_PAYLOAD = "iVBORw0KGgo="

/** Data URL headers: media types and parameters. */
export const headers = {
  accepted: [
    "data:image/png;base64,",
    "data:image/svg+xml;base64,",
    "data:image/vnd.microsoft.icon;base64,",
    "data:image/x-icon;base64,",
    "data:image/png;name=a.png;base64,",
    "data:image/png;name=a.png;charset=utf-8;base64,",
    "data:image/jpeg;q-1=A_b+c.d-e;base64,"
  ],
  refused: [
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
} as const

/** Text before a valid header: refused as no data URL at all, with this one message. */
export const prefixes = ["x", " ", "image/png;", "url(data:image/png;base64,"] as const
export const afterPrefix = "data:image/png;base64,AAAA"
export const NOT_A_DATA_URL = "must be a data URL of the form data:image/<type>;base64,<payload>"

/** A data URL with parameters, sent exactly as given. */
export const dataUrlWithParameters = "data:image/png;name=a.png;charset=utf-8;base64,iVBORw0KGgo="

/** The types of the `DataUrl` arbitrary's sample, and its bytes' bounds. */
export const sampleTypes = ["png", "jpeg", "webp", "gif"] as const
export const sampleBytes = { min: 1, moreThan: 10, atMost: 48 } as const

/** Params refused, and the paths of their issues, exactly and in order. */
export interface PathCheck {
  readonly operation: Operation
  readonly params: unknown
  readonly paths: ReadonlyArray<ReadonlyArray<string | number>>
}

/** Array indexes are numbers, object keys are strings. */
export const indexPaths: ReadonlyArray<PathCheck> = [
  { operation: "add", params: { modelId: "m", assetIds: ["a", ""] }, paths: [["assetIds", 1]] },
  {
    operation: "replacePairs",
    params: { modelId: "m", pairs: [{ sourceId: "a", targetId: "b" }, { sourceId: "a" }] },
    paths: [["pairs", 1, "targetId"]]
  },
  { operation: "add", params: { modelId: "m", assetIds: [1, "b", 3] }, paths: [["assetIds", 0], ["assetIds", 2]] }
]

/** A symbol key, which becomes its description in the path. */
export const symbolKey = { params: { modelId: "m", [Symbol.for("colour")]: "blue" }, path: ["Symbol(colour)"] } as const

/** Params that are no object of params at all: the first issue, for each operation, at the empty path. */
export const notParams: ReadonlyArray<unknown> = [null, undefined, 5, "m", []]

/** `add` params whose problem is the params as a whole (no image; a name alone): the first issue at `[]`. */
export const wholeProblems: ReadonlyArray<unknown> = [{ modelId: "m" }, { modelId: "m", name: "a.png" }]

/** A conflict, reported at the key that causes it (the first issue's path). */
export const conflicts: ReadonlyArray<{ readonly params: unknown; readonly path: ReadonlyArray<string> }> = [
  { params: { modelId: "m", assetIds: ["a"], assetId: "b" }, path: ["assetIds"] },
  { params: { modelId: "m", assetId: "a", name: "b" }, path: ["assetId"] }
]

/** Absent keys (undefined) that do not count as present: `add` passes, giving the params back as they are. */
export const undefinedKeys = {
  kept: { modelId: "m", assetId: "a", assetIds: undefined, data: undefined, name: undefined },
  passes: { modelId: "m", assetIds: ["a"], assetId: undefined }
} as const

export const ids = (n: number) => Array.from({ length: n }, (_, i) => `asset_${i}`)

/** A batch too large with an empty id and an empty model id: each problem once, in any order. */
export const manyProblems: ReadonlyArray<{ readonly params: unknown; readonly paths: ReadonlyArray<unknown> }> = [
  { params: { modelId: "", assetIds: [...ids(11), ""] }, paths: [["assetIds"], ["modelId"], ["assetIds", 11]] },
  { params: { modelId: "", assetIds: ids(11) }, paths: [["assetIds"], ["modelId"]] }
]

/** A value outside a closed set, and a field of the wrong type: one issue each. */
export const badPreset = { modelId: "m", assetId: "a", preset: "fancy" } as const
export const badName = { modelId: "m", data: dataUrl("abcd"), name: 5 } as const

/** Params every trap of which throws `boom`: whatever the validator reads first, it ends as a typed error. */
export const hostileParams = (): object => {
  const boom = () => {
    throw new Error("boom")
  }
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom })
}

/** A training image as the API answers it. */
export const trainingImageJson = errorsTrainingImageJson()

/** A replacePairs answer (its pairs returned field by field, an empty one included) and the pairs sent. */
export const replacePairs = {
  answered: {
    count: 3,
    pairs: [{ sourceId: "asset_1", targetId: "asset_2", instruction: "make it blue" }, {
      sourceId: "asset_3",
      targetId: "asset_4"
    }, {}]
  },
  sent: [{ sourceId: "asset_1", targetId: "asset_2", instruction: "make it blue" }, {
    sourceId: "asset_3",
    targetId: "asset_4"
  }]
} as const

/** A model answered by GET /models/{modelId}, its images and pairs returned field by field. */
export const listedPairs = [{ sourceId: "asset_1", targetId: "asset_1", instruction: "again" }, {
  targetId: "asset_1"
}] as const

export const listedModel = {
  model: {
    id: "m",
    status: "trained",
    trainingImages: [trainingImageJson],
    trainingImagePairs: listedPairs,
    trainingImagesNumber: 1
  }
} as const

/** The fields of a `ModelTrainingImages`, and a value of another type for each. */
export const modelFields = {
  fields: {
    modelId: "m",
    status: "trained",
    trainingImages: [trainingImageJson],
    trainingImagePairs: [{ sourceId: "asset_1" }],
    trainingImagesNumber: 1
  },
  wrong: {
    modelId: 1,
    status: null,
    trainingImages: [{}],
    trainingImagePairs: [{ sourceId: 1 }],
    trainingImagesNumber: "1"
  }
} as const

/** Pair fields of another type: each a decode error. */
export const badPairs: ReadonlyArray<unknown> = [{ sourceId: 1 }, { targetId: null }, { instruction: false }]

/**
 * The documented enums (the API reference, GET /models/{modelId}: the model's status and type; the image
 * presets): each value decodes, and a near miss (empty, these, or a value upper-cased, padded or cut) does not.
 */
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

export type EnumName = "ModelStatus" | "KnownModelStatus" | "ModelType" | "Preset"

export const enums: ReadonlyArray<readonly [EnumName, ReadonlyArray<string>, ReadonlyArray<string>]> = [
  ["ModelStatus", statuses, ["queued", "canceled", "training-cancelled"]],
  ["KnownModelStatus", statuses, ["queued", "canceled", "training-cancelled"]],
  ["ModelType", types, ["flux.1-dev", "flux1.1-pro-ultra", "sd-1.5", "sdxl", "gpt-image"]],
  ["Preset", presets, ["none", "styles"]]
]

/** The near misses of a documented enum. */
export const nearMisses = (documented: ReadonlyArray<string>, misses: ReadonlyArray<string>) =>
  [
    "",
    ...misses,
    ...documented.flatMap((value) => [value.toUpperCase(), `${value} `, ` ${value}`, value.slice(0, -1)])
  ].filter((value) => !documented.includes(value))

// ---------------------------------------------------------------------------------------------------------
// The rules and their messages (`test/Validate.test.ts` of each line)
// ---------------------------------------------------------------------------------------------------------

export const PNG = "data:image/png;base64,iVBORw0KGgo="

/** Each rule: the operation, the params, and a fragment the error message must hold. */
export const rules: ReadonlyArray<readonly [Operation, unknown, string]> = [
  ["add", { modelId: "m", assetIds: ["a"], assetId: "b" }, "assetIds: cannot be combined"],
  ["add", { modelId: "m", assetIds: ["a"], data: PNG }, "assetIds: cannot be combined"],
  ["add", { modelId: "m", assetIds: ["a"], name: "x.png" }, "assetIds: cannot be combined"],
  ["add", { modelId: "m", assetIds: ids(11) }, "at most 10"],
  ["add", { modelId: "m", assetIds: [] }, "at least one"],
  ["add", { modelId: "m", assetIds: ["a", ""] }, "assetIds.1: must not be empty"],
  ["add", { modelId: "m", assetId: "a", data: PNG }, "assetId: cannot be combined with data or name"],
  ["add", { modelId: "m", assetId: "a", name: "x.png" }, "assetId: cannot be combined"],
  ["add", { modelId: "m", assetId: "" }, "assetId: must not be empty"],
  ["add", { modelId: "", assetId: "a" }, "modelId: must not be empty"],
  ["add", { assetId: "a" }, "modelId: is missing"],
  ["add", { modelId: "m" }, "give the image as assetId, assetIds"],
  ["add", { modelId: "m", name: "x.png" }, "name goes with data"],
  ["add", { modelId: "m", data: "iVBORw0KGgo=" }, "must be a data URL"],
  ["add", { modelId: "m", data: "data:text/plain;base64,aGk=" }, "must be a data URL"],
  ["add", { modelId: "m", data: "data:image/png,rawbytes" }, "must be a data URL"],
  ["add", { modelId: "m", data: "data:image/png;base64," }, "base64 payload"],
  ["add", { modelId: "m", data: "data:image/png;base64,abc" }, "base64 payload"],
  ["add", { modelId: "m", data: "data:image/png;base64,ab!d" }, "base64 payload"],
  ["add", { modelId: "m", data: "data:image/png;base64,a===" }, "base64 payload"],
  ["add", { modelId: "m", data: PNG, name: "" }, "name: must be non-empty"],
  ["add", { modelId: "m", assetId: "a", preset: "fancy" }, "preset"],
  ["add", { modelId: "m", assetId: "a", originalAssets: "yes" }, "originalAssets"],
  ["add", { modelId: "m", assetID: "a" }, "give the image as"],
  ["add", { modelId: "m", assetId: "a", colour: "blue" }, "colour"],
  ["add", { modelId: 5, assetId: "a" }, "modelId"],
  ["add", null, "expected an object"],
  ["add", "model_1", "expected an object"],
  ["add", { modelId: "m\uD800", assetId: "a" }, "well-formed"],
  ["replace", { modelId: "m", assetId: "a" }, "trainingImageId: is missing"],
  ["replace", { modelId: "m", trainingImageId: "", assetId: "a" }, "trainingImageId: must not be empty"],
  ["replace", { modelId: "m", trainingImageId: "..", assetId: "a" }, "must not be \".\" or \"..\""],
  ["replace", { modelId: "m", trainingImageId: "t", assetIds: ids(12) }, "at most 10"],
  ["replace", { modelId: "m", trainingImageId: "pairs", assetId: "a" }, "trainingImageId: must not be \"pairs\""],
  ["replacePairs", { modelId: "m" }, "pairs: is missing"],
  ["replacePairs", { modelId: "m", pairs: {} }, "pairs"],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a" }] }, "pairs.0.targetId: is missing"],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "", targetId: "b" }] }, "pairs.0.sourceId: must not be empty"],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: "b", instruction: 3 }] }, "instruction"],
  ["delete", { modelId: "m" }, "trainingImageId: is missing"],
  ["delete", { modelId: "m", trainingImageId: "t", projectId: "" }, "projectId: must not be empty"],
  ["list", { modelId: "." }, "must not be"],
  ["list", {}, "modelId: is missing"]
]

/** Every problem listed at once: the paths of the issues, joined with dots. */
export const allAtOnce = {
  params: { modelId: "", pairs: [{ sourceId: "", targetId: "" }] },
  paths: ["modelId", "pairs.0.sourceId", "pairs.0.targetId"]
} as const

/** One line (`path: message`) per real problem: every one listed, none from the union's other members. */
export const messageLines: ReadonlyArray<readonly [Operation, unknown, ReadonlyArray<string>]> = [
  ["add", { modelId: "m", assetIds: [...ids(11), ""] }, [
    "assetIds: a batch holds at most 10 asset ids, got 12",
    "assetIds.11: must not be empty"
  ]],
  ["add", { modelId: "m", assetIds: ids(11) }, ["assetIds: a batch holds at most 10 asset ids, got 11"]],
  ["add", { modelId: "m", data: "bad", name: "" }, [
    "data: must be a data URL of the form data:image/<type>;base64,<payload>",
    "name: must be non-empty, well-formed text"
  ]],
  ["add", { modelId: "m", assetId: "a", preset: "bogus" }, ["preset: must be \"default\", \"style\" or \"subject\""]],
  ["replace", { modelId: "", trainingImageId: "t", assetIds: [], preset: 1 }, [
    "modelId: must not be empty",
    "assetIds: a batch needs at least one asset id",
    "preset: must be \"default\", \"style\" or \"subject\""
  ]],
  ["add", { modelId: "m", assetId: "a", originalAssets: "yes" }, ["originalAssets: Expected boolean, actual \"yes\""]],
  // A refined string of another type is expected as a string; an unexpected key names the expected ones.
  ["add", { modelId: 5, assetId: "a", colour: "blue" }, [
    "colour: is unexpected, expected: \"modelId\" | \"originalAssets\" | \"assetId\" | \"assetIds\" | \"data\" | \"name\" | \"preset\"",
    "modelId: Expected string, actual 5"
  ]],
  ["add", { modelId: "m", assetIds: [1, "b"] }, ["assetIds.0: Expected string, actual 1"]],
  ["list", {}, ["modelId: is missing"]]
]

/** `add` params whose reading of `modelId` throws `boom`. */
export const throwingParams = () => ({
  get modelId(): string {
    throw new Error("boom")
  },
  assetId: "a"
})

/** Valid params, passed unchanged. */
export const validReplace = {
  modelId: "m",
  trainingImageId: "t",
  data: PNG,
  name: "a.png",
  preset: "style" as const
}

/** A 16 MiB payload: checked whole (valid, and with one character wrong at the end). */
export const hugePayload = () => "A".repeat(16 * 1024 * 1024)

/**
 * The schemas of `TrainingImage` on their own, as plain data for both lines: the wire's JSON of a model and its
 * images and pairs, what a batch of asset ids is refused with, which image inputs hold, and the samples the params
 * schemas' arbitraries are checked on. The runners:
 * `packages/core/test/TrainingImageSchema.test.ts` (Effect 3) and
 * `packages/effect4/test/TrainingImageSchema.test.ts` (Effect 4), which add what only a line's Schema has (its
 * arbitraries, its decode and encode functions).
 */

/** A training image as the API answers it: every documented field. */
export const imageJson = {
  id: "asset_1",
  automaticCaptioning: "a caption",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "a description",
  downloadUrl: "https://cdn.example/asset_1.png",
  name: "a.png"
} as const

/** A pair as the API answers it. */
export const pairJson = { sourceId: "asset_1", targetId: "asset_2", instruction: "make it blue" } as const

/** `GET /models/{modelId}`'s answer, with a field the client does not keep (`type`). */
export const modelJson = {
  model: {
    id: "model_1",
    status: "training",
    trainingImages: [imageJson],
    trainingImagePairs: [pairJson],
    trainingImagesNumber: 1,
    type: "flux.1-lora"
  }
} as const

/** What the model's answer decodes to, but for the two lists (`imageJson`'s and `pairJson`'s fields). */
export const modelFields = {
  modelId: "model_1",
  status: "training",
  trainingImages: [],
  trainingImagePairs: [],
  trainingImagesNumber: 1
} as const

/** Answers of `GET /models/{modelId}` that do not decode: a field missing, or of another type. */
export const badModels: ReadonlyArray<unknown> = [
  { model: { status: "new", trainingImagesNumber: 0 } },
  { model: { id: "m", status: "new", trainingImagesNumber: "0" } },
  { model: { id: "m", status: "new", trainingImagesNumber: 0, trainingImages: {} } },
  {}
]

const ids = (n: number) => Array.from({ length: n }, (_, i) => `asset_${i}`)

/** A batch's params and the issues they are refused with (path and message), exactly. */
export interface BatchCase {
  readonly operation: "add" | "replace"
  readonly params: unknown
  readonly issues: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>
}

/** The batch's messages, by test. */
export const batches = {
  empty: [{
    operation: "add",
    params: { modelId: "m", assetIds: [] },
    issues: [{ path: ["assetIds"], message: "a batch needs at least one asset id" }]
  }],
  overTheLimit: [
    {
      operation: "add",
      params: { modelId: "m", assetIds: ids(11) },
      issues: [{ path: ["assetIds"], message: "a batch holds at most 10 asset ids, got 11" }]
    },
    {
      operation: "replace",
      params: { modelId: "m", trainingImageId: "t", assetIds: ids(25) },
      issues: [{ path: ["assetIds"], message: "a batch holds at most 10 asset ids, got 25" }]
    }
  ],
  // The message names the list's type as the line's Schema prints it (`contract/params.ts`, `withoutTypeName`).
  notAList: [null, 5, "asset_1", { length: 11 }].map((value) => ({
    operation: "add",
    params: { modelId: "m", assetIds: value },
    issues: [{
      path: ["assetIds"],
      message: `Expected <type>, actual ${value === null ? "null" : JSON.stringify(value)}`
    }]
  })),
  badId: [{
    operation: "add",
    params: { modelId: "m", assetIds: ["a", "", "c"] },
    issues: [{ path: ["assetIds", 1], message: "must not be empty" }]
  }]
} satisfies Record<string, ReadonlyArray<BatchCase>>

/** Image inputs: each of the three ways holds alone, never two at once. */
export const imageInputs = {
  valid: [
    { assetId: "a" },
    { assetIds: ["a", "b"], preset: "style" },
    { data: "data:image/png;base64,iVBORw0KGgo=", name: "a.png" }
  ],
  invalid: [
    { assetId: "a", data: "data:image/png;base64,iVBORw0KGgo=" },
    { assetIds: [] },
    { assetIds: ids(11) },
    { name: "a.png" }
  ]
} as const

/** The image keys a sample of the params schemas sets, in a fixed order. */
export const imageKeysOf = (params: Readonly<Record<string, unknown>>): Array<string> =>
  ["assetId", "assetIds", "data", "name"].filter((key) => params[key] !== undefined)

/** The variants of the samples: the image keys of each but `name`. */
export const variantsOf = (samples: ReadonlyArray<Readonly<Record<string, unknown>>>): Set<string> =>
  new Set(samples.map((params) => imageKeysOf(params).filter((key) => key !== "name").join()))

/** Whether a sample sets the keys of one variant only (`data` may come with its `name`). */
export const isOneVariant = (params: Readonly<Record<string, unknown>>): boolean => {
  const keys = imageKeysOf(params)
  return keys.length === 1 || (keys.length === 2 && keys[0] === "data" && keys[1] === "name")
}

/** The samples drawn from a params schema's arbitrary: a fixed seed, the same samples on every run. */
export const SAMPLE = { seed: 7, count: 60 } as const

/** The image variants the samples of `ImageInput`, `AddParams` and `ReplaceParams` must each cover. */
export const VARIANTS: ReadonlySet<string> = new Set(["assetId", "assetIds", "data"])

/** The most asset ids a batch holds. */
export const MAX_BATCH_ASSETS = 10

/** Params whose batch is no list: the line's Schema names the list's type in the first issue's message. */
export const notAListParams = { modelId: "m", assetIds: 5 } as const

/** The first issue's message for `notAListParams`, the list's type named as the line's Schema prints it. */
export const notAListMessage = (typeName: string) =>
  `Expected ${typeName}, actual ${JSON.stringify(notAListParams.assetIds)}`

/** Answers of models without images or pairs, each decoded with lists of its own: both lists empty. */
export const emptyModels = {
  answers: [
    { model: { id: "model_1", status: "new", trainingImagesNumber: 0 } },
    { model: { id: "model_2", status: "new", trainingImagesNumber: 0 } }
  ],
  trainingImages: [],
  trainingImagePairs: []
} as const

/** The wire shape `modelJson`'s model encodes back to: the model under `model`, without the field not kept. */
export const modelWire = (() => {
  const { type: _, ...kept } = modelJson.model
  return { model: kept }
})()

/** An image answer with fields the client does not know, inside the image and beside it: they are dropped. */
export const imageWithExtras = { trainingImage: { ...imageJson, extra: 1 }, other: true } as const

/**
 * What the in-memory fake (`TrainingImagesTest`) must give, as plain data for both lines: its deterministic ids
 * and dates, a seeded model and its listing, the record of the calls made on it, the answers of the API it
 * plays, and the faults it injects. Each line's `TrainingImagesTest.test.ts` (`packages/testing/test/` and
 * `packages/effect4/test/testing/`) makes the calls on its own fake; the faults (the line's `Fault` values)
 * and the error classes stay in the runners.
 */

export const MODEL = "model_1"
export const PNG = "data:image/png;base64,iVBORw0KGgo="

/** Ids come from a counter and createdAt from the Clock: the clock set to `start`, then moved 90 seconds. */
export const clock = {
  start: "2024-05-01T10:00:00.000Z",
  first: { id: "asset_test_000001", createdAt: "2024-05-01T10:00:00.000Z", name: "asset_a" },
  second: { id: "asset_test_000002", createdAt: "2024-05-01T10:01:30.000Z", name: "asset_test_000002.png" }
} as const

/** A seeded model (an image with its fields, one without), its listing, its state, and the next id generated. */
export const seeded = {
  models: {
    model_seeded: {
      status: "trained",
      name: "Cinematic",
      trainingImages: [{ id: "asset_test_000001", name: "a.png", createdAt: "2023-02-03T11:19:41.579Z" }, {}],
      pairs: [{ sourceId: "asset_test_000001", targetId: "asset_test_000002", instruction: "colourise" }]
    }
  },
  /** Each listed image's id, name and the year of its createdAt. */
  listed: [
    ["asset_test_000001", "a.png", "2023"],
    ["asset_test_000002", "asset_test_000002.png", "1970"]
  ],
  pairs: [{ sourceId: "asset_test_000001", targetId: "asset_test_000002", instruction: "colourise" }],
  name: "Cinematic",
  type: "flux.1-lora",
  nextId: "asset_test_000003"
} as const

/** The record of an add (with originalAssets) and a delete of a missing image: params, id, URL and status. */
export const recordedCalls = (baseUrl: string) => [
  {
    operation: "add",
    params: { modelId: MODEL, assetId: "asset_a", originalAssets: true },
    requestId: "req_test_1",
    method: "POST",
    url: `${baseUrl}/models/model_1/training-images?originalAssets=true`,
    fault: undefined,
    status: 200
  },
  {
    operation: "delete",
    params: { modelId: MODEL, trainingImageId: "asset_missing", projectId: "p 1" },
    requestId: "req_test_2",
    method: "DELETE",
    url: `${baseUrl}/models/model_1/training-images/asset_missing?projectId=p+1`,
    fault: undefined,
    status: 404
  }
]

/** An unknown model: the NotFoundError's request and JSON body, under this base URL. */
export const unknownModel = {
  baseUrl: "https://example.test/v1",
  modelId: "model_missing",
  url: "https://example.test/v1/models/model_missing",
  body: { message: "Model model_missing not found" },
  requestId: "req_test_1"
} as const

/** A pair naming an asset that is not a training image of the model: the BadRequestError's body. */
export const pairElsewhere = {
  targetId: "asset_elsewhere",
  body: { message: "pairs[0].targetId: asset_elsewhere is not a training image of model model_1" }
} as const

/** Params the client's validators refuse: each an InvalidRequestError, nothing stored or recorded. */
export const refusedParams: ReadonlyArray<readonly ["add" | "replace" | "list", unknown]> = [
  ["add", { modelId: MODEL, assetIds: Array.from({ length: 11 }, (_, i) => `asset_${i}`) }],
  ["add", { modelId: MODEL, assetIds: [] }],
  ["add", { modelId: MODEL, assetId: "a", data: PNG }],
  ["add", { modelId: MODEL, data: "not a data url" }],
  ["replace", { modelId: MODEL, trainingImageId: "..", assetId: "a" }],
  ["list", { modelId: "" }]
]

/** A 429 asking for 1.5 s: the header says 2 (whole seconds), the error carries 2 s. */
export const rateLimited = {
  retryAfterMs: 1500,
  header: "2",
  waitMs: 2000,
  body: { message: "Too Many Requests" }
} as const

/** An error of the library injected as it is. */
export const conflictFields = {
  operation: "replacePairs",
  method: "PUT",
  url: "https://api.scenario.test/v1/models/model_1/training-images/pairs",
  status: 409,
  headers: {},
  body: { message: "the model is training" }
} as const

/** Random faults: the rate, the seed, and the calls made twice to meet the same faults. */
export const randomFaults = { rate: 0.5, seed: 7, calls: 40 } as const

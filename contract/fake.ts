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
  stepMs: 90_000,
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

/*
 * The rest of the suite, test by test: what each call is given and what must follow. Durations are in
 * milliseconds; a fault's status is given as data, the fault itself is made by the runner.
 */

/** The fake every test starts from (unless it seeds its own): one empty model. */
export const emptyModels = { [MODEL]: {} } as const

/** Two fakes given the same calls, the second an hour later: the same ids and pairs, this many images. */
export const sameCalls = {
  batch: ["a", "b", "c"],
  image: { data: PNG, name: "cat.png" },
  pairSource: "asset_test_000001",
  laterMs: 3_600_000,
  count: 4
} as const

/** The seeded model, then an add to it. */
export const seededAdd = { modelId: "model_seeded", assetId: "asset_new" } as const

/** Seeding at run time: model_1 replaced (its images gone), model_2 added, model_3 never seeded. */
export const runTimeSeed = {
  added: "asset_a",
  /** The snapshot taken before the add: a copy, still empty. */
  snapshotBefore: [],
  seed: { [MODEL]: { status: "training" }, model_2: { trainingImages: [{}] } },
  status: "training",
  /** model_1's images once replaced by the seed. */
  images: [],
  added2: { modelId: "model_2", images: 1 },
  missing: "model_3"
} as const

/** listLag: an image stays off the list until the clock passes the lag; inspection holds it at once. */
export const listLag = {
  lagMs: 2000,
  first: "asset_a",
  second: "asset_b",
  lagging: [],
  storedAtOnce: 1,
  afterLag: ["asset_a"],
  afterOff: ["asset_a", "asset_b"]
} as const

/** The calls whose record is `recordedCalls`: an add, a delete of a missing image, then params refused. */
export const recordedInputs = {
  add: { modelId: MODEL, assetId: "asset_a", originalAssets: true },
  deleteMissing: { modelId: MODEL, trainingImageId: "asset_missing", projectId: "p 1" },
  refused: { modelId: "", assetId: "asset_a" }
} as const

/** A batch add: every asset stored in order, the answer the first. */
export const batch = {
  params: { modelId: MODEL, assetIds: ["a", "b", "c"], preset: "style" },
  first: "a",
  names: ["a", "b", "c"],
  count: 3
} as const

/** Replace: the id kept, the new content taken. */
export const replace = { assetId: "asset_a", data: PNG, name: "new.png" } as const

/** Delete: the image and its pairs gone; another delete, or a replace, of it is this error. */
export const deleted = {
  source: "asset_a",
  target: "asset_b",
  replaceWith: "x",
  pairsAfter: [],
  tag: "NotFoundError"
} as const

/** The unknown model's error, beyond its body (`unknownModel`). */
export const unknownModelError = { tag: "NotFoundError", status: 404, method: "GET" } as const

/** The pair naming another asset: the model's pair is kept as it was. */
export const pairKept = { source: "asset_a", target: "asset_b", tag: "BadRequestError" } as const

/** A training image id of "pairs": refused, the issue at this path. */
export const pairsId = {
  trainingImageId: "pairs",
  assetId: "x",
  tag: "InvalidRequestError",
  path: ["trainingImageId"]
} as const

/** The refused params: every one this error, nothing recorded, nothing stored. */
export const refused = { tag: "InvalidRequestError", calls: [], stored: [] } as const

/** The 429 injected once on an add (see `rateLimited`): its record, and nothing stored. */
export const rateLimitedAdd = {
  assetId: "asset_a",
  headerName: "retry-after",
  tag: "RateLimitError",
  status: 429,
  faultCounts: { "429": 1 },
  log: [["429", 429]],
  stored: 0
} as const

/** A 429 asking for 30 s under the default policy: nothing 1 s before, the retry once the wait has passed. */
export const retryAfterWait = {
  retryAfterMs: 30_000,
  assetId: "asset_a",
  beforeMs: 29_000,
  restMs: 1000,
  id: "asset_test_000001",
  statuses: [429, 200]
} as const

/** failNext on one operation: two 503s on list, the add untouched, then the third list answered. */
export const failNextList = {
  count: 2,
  status: 503,
  operation: "list",
  assetId: "asset_a",
  tags: ["InternalServerError", "InternalServerError"],
  listed: 1,
  faultCounts: { "503": 2 }
} as const

/** An error of the library injected as it is (`conflictFields`): counted by its tag. */
export const injectedError = { faultCounts: { ConflictError: 1 } } as const

/** A dropped connection before the change is applied (nothing stored), then after (stored). */
export const dropped = {
  before: "asset_a",
  after: "asset_b",
  tag: "ConnectionError",
  mayHaveReachedServer: true,
  storedBefore: 0,
  namesAfter: ["asset_b"]
} as const

/** A drop after the change on replacePairs: the default policy retries it once the clock moves on. */
export const droppedRetried = {
  operation: "replacePairs",
  advanceMs: 10_000,
  count: 0,
  log: [["drop-after-apply", undefined], [undefined, 200]]
} as const

/** A delay of a minute against a timeout of 5 s: TimeoutError, the delay recorded, nothing stored. */
export const delayed = {
  delayMs: 60_000,
  assetId: "asset_a",
  timeoutMs: 5000,
  tag: "TimeoutError",
  log: [["delay", undefined]],
  stored: 0
} as const

/** The random faults of `randomFaults`: these server errors, and a 429. */
export const randomFaultStatuses = [500, 502] as const

/** setFaults: every list a 502 while on, none once off; a rate outside 0..1 refused. */
export const setFaultsCase = {
  on: { rate: 1, status: 502, operations: ["list"] },
  tag: "InternalServerError",
  assetId: "asset_a",
  listed: 1,
  refusedRate: 1.5,
  refused: "Failure"
} as const

/** reset: the seed back, no calls, no fault counts, no faults left, ids counted from the start again. */
export const resetCase = {
  added: "asset_a",
  faults: 5,
  addedAfter: "asset_b",
  calls: [],
  faultCounts: {},
  listed: 0,
  id: "asset_test_000001"
} as const

/** The fake as a layer: a 500 on the first add, then the add stored, the record, and reset. */
export const asLayer = {
  status: 500,
  operation: "add",
  assetId: "asset_a",
  tag: "InternalServerError",
  names: ["asset_a"],
  statuses: [500, 200],
  faultCounts: { "500": 1 },
  afterReset: []
} as const

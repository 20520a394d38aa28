/**
 * The contract of a `TrainingImages` implementation, as one table of plain data, with no Effect in it: each
 * line of the library (the Effect 3 packages and `@effect-scenario/effect4`) runs every case over its in-memory
 * fake and over its HTTP client to the emulator, so a behaviour cannot drift between the lines, nor between
 * the fake and HTTP.
 *
 * A case names the models the server starts with, the faults it injects, one call (operation, params and the
 * call's options) and what must follow: the value's fields that matter or the error's tag and fields, the
 * requests the server saw (none for bad input), and what the store holds after. A runner builds the call with
 * its own line's API; what it compares it gets from `errorFacts` and `storedFacts`, written here once.
 *
 * The table sits at the repository's top level, in a TypeScript project of its own (`contract/tsconfig.json`,
 * referenced by the root `tsconfig.json` and by the test projects that import it): it belongs to neither line,
 * no package ships it, and each line's test runner (vitest 3 on the Effect 3 line, vitest 5 on the Effect 4
 * line) loads it as source. The runners: `packages/testing/test/contract/runner.ts` (Effect 3) and
 * `packages/effect4/test/contract/runner.ts` (Effect 4).
 */

/** The operations of the service, as the errors and the server's request log name them. */
export type Operation = "add" | "replace" | "replacePairs" | "delete" | "list"

/** The models a case starts with, in the seed format both the fake and the emulator take. */
export type Seed = Readonly<
  Record<string, {
    readonly status?: "new" | "trained"
    readonly trainingImages?: ReadonlyArray<{ readonly id: string; readonly name?: string }>
    readonly pairs?: ReadonlyArray<{ readonly sourceId: string; readonly targetId: string }>
  }>
>

/** A fault, as data: each runner turns it into its line's `Fault`. */
export type FaultSpec =
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly retryAfterMs?: number
    readonly retryAfterHeader?: "retry-after" | "retry-after-ms" | "both"
    readonly afterApply?: boolean
  }
  | { readonly _tag: "Delay"; readonly ms: number; readonly afterApply?: boolean }
  | { readonly _tag: "Drop"; readonly afterApply: boolean }

/** `failNext(count, fault, { operation })`. */
export interface Injection {
  readonly count: number
  readonly fault: FaultSpec
  readonly operation?: Operation
}

/**
 * The retry policy of a call: `none`, or `RetryPolicy.make` with these limits and no wait between attempts
 * (1 ms, no jitter): the number of attempts is the contract, the backoff's timing is tested elsewhere.
 */
export type RetrySpec = "none" | { readonly maxRetries?: number; readonly maxRetryAfterMs?: number }

export interface CallOptions {
  readonly retry?: RetrySpec
  readonly timeoutMs?: number
  readonly maxRequestBytes?: number
  readonly maxResponseBytes?: number
  /** Credentials the server refuses (only a server that authenticates can show this). */
  readonly wrongCredentials?: boolean
}

export interface Call {
  readonly operation: Operation
  /** Given as is, bad params included: a runner must not check them. */
  readonly params: unknown
  readonly options?: CallOptions
}

/**
 * One request the server saw: its operation (`unauthenticated` for one the server refused credentials for: it
 * names no operation then), the fault it met (`Fault.kind`) and the status answered.
 */
export interface Exchange {
  readonly operation: Operation | "unauthenticated"
  readonly fault?: string
  readonly status?: number
}

/** What an error shows whatever the transport: see `errorFacts`. */
export interface ErrorFacts {
  readonly _tag: string
  readonly status?: number
  readonly body?: unknown
  readonly mayHaveReachedServer?: boolean
  readonly retryAfterMs?: number
  /** Words the error's message contains. */
  readonly messageContains?: string
}

export type Outcome =
  /** The value's fields that matter (matched as a subset: arrays in full, objects by the keys named). */
  | { readonly ok: unknown }
  | { readonly error: ErrorFacts }

/** What a model holds after the call: its images' ids and names in order, and its pairs. */
export interface StoredModel {
  readonly images: ReadonlyArray<readonly [id: string, name: string]>
  readonly pairs?: ReadonlyArray<
    { readonly sourceId: string; readonly targetId: string; readonly instruction?: string }
  >
}

export interface Case {
  readonly name: string
  readonly seed: Seed
  readonly faults?: ReadonlyArray<Injection>
  readonly call: Call
  readonly expect: Outcome
  /**
   * The requests that reached the server, in order; left out only where the emulator cannot have logged them
   * yet (it logs a request when it answers, and a request held past the call's timeout is answered later).
   */
  readonly requests?: ReadonlyArray<Exchange>
  /** The models after the call (`null`: the model does not exist). */
  readonly stored?: Readonly<Record<string, StoredModel | null>>
  /**
   * Only over HTTP to the emulator, with the reason: the fake cannot show this (it does not authenticate, and
   * it never serialises a response).
   */
  readonly httpOnly?: string
}

const MODEL = "model_contract"
const PNG = "data:image/png;base64,iVBORw0KGgo="
const JPEG = "data:image/jpeg;base64,/9j/4AAQ"
const TWO: Seed = { [MODEL]: { trainingImages: [{ id: "img_a", name: "a.png" }, { id: "img_b", name: "b.png" }] } }
const EMPTY: Seed = { [MODEL]: {} }
const UNCHANGED = { [MODEL]: { images: [["img_a", "a.png"], ["img_b", "b.png"]] } } as const
const NOTHING_STORED = { [MODEL]: { images: [] } } as const
const ADD: Call = { operation: "add", params: { modelId: MODEL, assetId: "asset_a" }, options: { retry: "none" } }
const LIST: Call = { operation: "list", params: { modelId: MODEL }, options: { retry: "none" } }
const REPLACE: Call = {
  operation: "replace",
  params: { modelId: MODEL, trainingImageId: "img_a", assetId: "asset_z" },
  options: { retry: "none" }
}
const reason = (status: number): string => STATUS_TEXT[status] ?? `Status ${status}`
const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/** An error status injected on `list`, not retried: the error of its tag with the status and its body. */
const statusCase = (status: number, _tag: string): Case => ({
  name: `${status} → ${_tag} (status and body kept), not retried with RetryPolicy.none`,
  seed: TWO,
  faults: [{ count: 1, fault: { _tag: "Status", status } }],
  call: LIST,
  expect: { error: { _tag, status, body: { message: reason(status) } } },
  requests: [{ operation: "list", fault: String(status), status }]
})

const tooManyIds = Array.from({ length: 11 }, (_, i) => `asset_${i}`)

/** Bad params: `InvalidRequestError`, nothing sent, nothing stored. */
const invalid = (name: string, call: Call, messageContains?: string): Case => ({
  name: `invalid params (${name}): InvalidRequestError, nothing sent`,
  seed: TWO,
  call,
  expect: { error: { _tag: "InvalidRequestError", ...(messageContains === undefined ? {} : { messageContains }) } },
  requests: [],
  stored: UNCHANGED
})

export const cases: ReadonlyArray<Case> = [
  // Every operation's success.
  {
    name: "add by asset id: the new image, stored",
    seed: EMPTY,
    call: { operation: "add", params: { modelId: MODEL, assetId: "asset_a", preset: "subject" } },
    expect: { ok: { id: "asset_test_000001", name: "asset_a" } },
    requests: [{ operation: "add", status: 200 }],
    stored: { [MODEL]: { images: [["asset_test_000001", "asset_a"]] } }
  },
  {
    name: "add a batch of asset ids: the first image, all stored",
    seed: EMPTY,
    call: { operation: "add", params: { modelId: MODEL, assetIds: ["asset_b", "asset_c"], originalAssets: true } },
    expect: { ok: { id: "asset_test_000001", name: "asset_b" } },
    requests: [{ operation: "add", status: 200 }],
    stored: { [MODEL]: { images: [["asset_test_000001", "asset_b"], ["asset_test_000002", "asset_c"]] } }
  },
  {
    name: "add a named data URL",
    seed: EMPTY,
    call: { operation: "add", params: { modelId: MODEL, data: PNG, name: "cat.png", preset: "style" } },
    expect: { ok: { id: "asset_test_000001", name: "cat.png" } },
    requests: [{ operation: "add", status: 200 }],
    stored: { [MODEL]: { images: [["asset_test_000001", "cat.png"]] } }
  },
  {
    name: "add an unnamed data URL: named after its id and type",
    seed: EMPTY,
    call: { operation: "add", params: { modelId: MODEL, data: JPEG, originalAssets: false } },
    expect: { ok: { id: "asset_test_000001", name: "asset_test_000001.jpeg" } },
    requests: [{ operation: "add", status: 200 }],
    stored: { [MODEL]: { images: [["asset_test_000001", "asset_test_000001.jpeg"]] } }
  },
  {
    name: "replace keeps the id, takes the new content",
    seed: TWO,
    call: { operation: "replace", params: { modelId: MODEL, trainingImageId: "img_a", data: PNG, name: "new.png" } },
    expect: { ok: { id: "img_a", name: "new.png" } },
    requests: [{ operation: "replace", status: 200 }],
    stored: { [MODEL]: { images: [["img_a", "new.png"], ["img_b", "b.png"]] } }
  },
  {
    name: "replacePairs: the pairs and their count",
    seed: TWO,
    call: {
      operation: "replacePairs",
      params: { modelId: MODEL, pairs: [{ sourceId: "img_a", targetId: "img_b", instruction: "make it night" }] }
    },
    expect: { ok: { count: 1, pairs: [{ sourceId: "img_a", targetId: "img_b", instruction: "make it night" }] } },
    requests: [{ operation: "replacePairs", status: 200 }],
    stored: {
      [MODEL]: {
        images: UNCHANGED[MODEL].images,
        pairs: [{ sourceId: "img_a", targetId: "img_b", instruction: "make it night" }]
      }
    }
  },
  {
    name: "replacePairs with an empty list removes the pairs",
    seed: { [MODEL]: { ...TWO[MODEL], pairs: [{ sourceId: "img_a", targetId: "img_b" }] } },
    call: { operation: "replacePairs", params: { modelId: MODEL, pairs: [] } },
    expect: { ok: { count: 0, pairs: [] } },
    requests: [{ operation: "replacePairs", status: 200 }],
    stored: { [MODEL]: { images: UNCHANGED[MODEL].images, pairs: [] } }
  },
  {
    name: "delete: the image is gone, with its pairs",
    seed: { [MODEL]: { ...TWO[MODEL], pairs: [{ sourceId: "img_a", targetId: "img_b" }] } },
    call: { operation: "delete", params: { modelId: MODEL, trainingImageId: "img_a", projectId: "project_1" } },
    expect: { ok: null },
    requests: [{ operation: "delete", status: 200 }],
    stored: { [MODEL]: { images: [["img_b", "b.png"]], pairs: [] } }
  },
  {
    name: "list: the model, its images and pairs",
    seed: { [MODEL]: { status: "trained", ...TWO[MODEL], pairs: [{ sourceId: "img_b", targetId: "img_a" }] } },
    call: { operation: "list", params: { modelId: MODEL, originalAssets: true } },
    expect: {
      ok: {
        modelId: MODEL,
        status: "trained",
        trainingImagesNumber: 2,
        trainingImages: [{ id: "img_a", name: "a.png" }, { id: "img_b", name: "b.png" }],
        trainingImagePairs: [{ sourceId: "img_b", targetId: "img_a" }]
      }
    },
    requests: [{ operation: "list", status: 200 }]
  },
  {
    name: "ids that need encoding reach the right model and image",
    seed: { "model/ä b?c#d%e": { trainingImages: [{ id: "img/%2F..x", name: "x.png" }] } },
    call: { operation: "replace", params: { modelId: "model/ä b?c#d%e", trainingImageId: "img/%2F..x", assetId: "a" } },
    expect: { ok: { id: "img/%2F..x", name: "a" } },
    requests: [{ operation: "replace", status: 200 }],
    stored: { "model/ä b?c#d%e": { images: [["img/%2F..x", "a"]] } }
  },

  {
    name: "ids that need encoding: delete reaches the right image",
    seed: {
      "model/ä b?c#d%e": { trainingImages: [{ id: "img/%2F..x", name: "x.png" }, { id: "img?#", name: "y.png" }] }
    },
    call: { operation: "delete", params: { modelId: "model/ä b?c#d%e", trainingImageId: "img?#" } },
    expect: { ok: null },
    requests: [{ operation: "delete", status: 200 }],
    stored: { "model/ä b?c#d%e": { images: [["img/%2F..x", "x.png"]] } }
  },
  // The errors the server's answers give.
  {
    name: "a pair naming an image the model does not hold: BadRequestError, pairs unchanged",
    seed: { [MODEL]: { ...TWO[MODEL], pairs: [{ sourceId: "img_a", targetId: "img_b" }] } },
    call: { operation: "replacePairs", params: { modelId: MODEL, pairs: [{ sourceId: "img_x", targetId: "img_b" }] } },
    expect: {
      error: {
        _tag: "BadRequestError",
        status: 400,
        body: { message: `pairs[0].sourceId: img_x is not a training image of model ${MODEL}` }
      }
    },
    requests: [{ operation: "replacePairs", status: 400 }],
    stored: { [MODEL]: { images: UNCHANGED[MODEL].images, pairs: [{ sourceId: "img_a", targetId: "img_b" }] } }
  },
  ...(["list", "add", "replace", "replacePairs", "delete"] as const).map((operation): Case => ({
    name: `an unknown model: NotFoundError from ${operation}`,
    seed: EMPTY,
    call: {
      operation,
      params: {
        list: { modelId: "model_missing" },
        add: { modelId: "model_missing", assetId: "asset_a" },
        replace: { modelId: "model_missing", trainingImageId: "img_a", assetId: "asset_b" },
        replacePairs: { modelId: "model_missing", pairs: [] },
        delete: { modelId: "model_missing", trainingImageId: "img_a" }
      }[operation]
    },
    expect: { error: { _tag: "NotFoundError", status: 404, body: { message: "Model model_missing not found" } } },
    requests: [{ operation, status: 404 }],
    stored: { model_missing: null }
  })),
  {
    name: "an image the model does not hold: NotFoundError from delete",
    seed: TWO,
    call: { operation: "delete", params: { modelId: MODEL, trainingImageId: "img_x" } },
    expect: {
      error: {
        _tag: "NotFoundError",
        status: 404,
        body: { message: `Training image img_x not found in model ${MODEL}` }
      }
    },
    requests: [{ operation: "delete", status: 404 }],
    stored: UNCHANGED
  },
  {
    name: "an image the model does not hold: NotFoundError from replace, nothing changed",
    seed: TWO,
    call: { operation: "replace", params: { modelId: MODEL, trainingImageId: "img_x", assetId: "asset_z" } },
    expect: {
      error: {
        _tag: "NotFoundError",
        status: 404,
        body: { message: `Training image img_x not found in model ${MODEL}` }
      }
    },
    requests: [{ operation: "replace", status: 404 }],
    stored: UNCHANGED
  },
  {
    name: "credentials the server refuses: AuthenticationError, nothing stored",
    seed: EMPTY,
    call: { ...ADD, options: { retry: "none", wrongCredentials: true } },
    expect: { error: { _tag: "AuthenticationError", status: 401, body: { message: "Unauthorized" } } },
    requests: [{ operation: "unauthenticated", status: 401 }],
    stored: NOTHING_STORED,
    httpOnly: "the fake does not authenticate"
  },
  statusCase(400, "BadRequestError"),
  statusCase(401, "AuthenticationError"),
  statusCase(403, "PermissionDeniedError"),
  statusCase(404, "NotFoundError"),
  statusCase(409, "ConflictError"),
  statusCase(413, "RequestTooLargeError"),
  statusCase(422, "UnprocessableEntityError"),
  statusCase(418, "UnexpectedStatusError"),
  statusCase(500, "InternalServerError"),
  statusCase(502, "InternalServerError"),
  statusCase(503, "InternalServerError"),
  statusCase(504, "InternalServerError"),
  {
    name: "429 with a wait past the policy's cap: RateLimitError with the wait, not retried",
    seed: TWO,
    faults: [{ count: 1, fault: { _tag: "Status", status: 429, retryAfterMs: 30_000 } }],
    call: { ...LIST, options: { retry: { maxRetries: 3, maxRetryAfterMs: 1_000 } } },
    expect: { error: { _tag: "RateLimitError", status: 429, retryAfterMs: 30_000, body: { message: reason(429) } } },
    requests: [{ operation: "list", fault: "429", status: 429 }]
  },
  {
    name: "429 with retry-after in seconds only: the wait read from it",
    seed: TWO,
    faults: [{
      count: 1,
      fault: { _tag: "Status", status: 429, retryAfterMs: 7_000, retryAfterHeader: "retry-after" }
    }],
    call: LIST,
    expect: { error: { _tag: "RateLimitError", status: 429, retryAfterMs: 7_000, body: { message: reason(429) } } },
    requests: [{ operation: "list", fault: "429", status: 429 }]
  },
  {
    name: "429 with retry-after-ms only: the wait read from it",
    seed: TWO,
    faults: [{
      count: 1,
      fault: { _tag: "Status", status: 429, retryAfterMs: 1_500, retryAfterHeader: "retry-after-ms" }
    }],
    call: LIST,
    expect: { error: { _tag: "RateLimitError", status: 429, retryAfterMs: 1_500, body: { message: reason(429) } } },
    requests: [{ operation: "list", fault: "429", status: 429 }]
  },
  {
    name: "a response slower than the call's timeout: TimeoutError, nothing stored",
    seed: EMPTY,
    faults: [{ count: 1, fault: { _tag: "Delay", ms: 60_000 } }],
    call: { ...ADD, options: { retry: "none", timeoutMs: 200 } },
    expect: { error: { _tag: "TimeoutError", mayHaveReachedServer: true } },
    stored: NOTHING_STORED
  },
  {
    name: "a connection dropped before the change: ConnectionError, nothing stored",
    seed: EMPTY,
    faults: [{ count: 1, fault: { _tag: "Drop", afterApply: false } }],
    call: ADD,
    expect: { error: { _tag: "ConnectionError", mayHaveReachedServer: true } },
    requests: [{ operation: "add", fault: "drop-before-apply" }],
    stored: NOTHING_STORED
  },
  {
    name: "a list larger than the call's response limit: ResponseTooLargeError",
    seed: { [MODEL]: { trainingImages: Array.from({ length: 40 }, (_, i) => ({ id: `img_${i}`, name: `${i}.png` })) } },
    call: { ...LIST, options: { retry: "none", maxResponseBytes: 1_024 } },
    expect: { error: { _tag: "ResponseTooLargeError" } },
    requests: [{ operation: "list", status: 200 }],
    httpOnly: "the fake never serialises a response, so there is no response size to limit"
  },

  // Retries: which answers are retried, how many times, and what is stored.
  {
    name: "one 429 with retry-after 0 on replace: retried, succeeds",
    seed: TWO,
    faults: [{ count: 1, fault: { _tag: "Status", status: 429, retryAfterMs: 0 }, operation: "replace" }],
    call: { ...REPLACE, options: { retry: {} } },
    expect: { ok: { id: "img_a", name: "asset_z" } },
    requests: [{ operation: "replace", fault: "429", status: 429 }, { operation: "replace", status: 200 }],
    stored: { [MODEL]: { images: [["img_a", "asset_z"], ["img_b", "b.png"]] } }
  },
  {
    name: "429s on add are retried (it surely did not take effect): stored once",
    seed: EMPTY,
    faults: [{ count: 2, fault: { _tag: "Status", status: 429, retryAfterMs: 0, retryAfterHeader: "retry-after-ms" } }],
    call: { ...ADD, options: { retry: {} } },
    expect: { ok: { id: "asset_test_000001", name: "asset_a" } },
    requests: [
      { operation: "add", fault: "429", status: 429 },
      { operation: "add", fault: "429", status: 429 },
      { operation: "add", status: 200 }
    ],
    stored: { [MODEL]: { images: [["asset_test_000001", "asset_a"]] } }
  },
  {
    name: "a 500 on add is not retried blindly: InternalServerError, nothing stored",
    seed: EMPTY,
    faults: [{ count: 1, fault: { _tag: "Status", status: 500 } }],
    call: { ...ADD, options: { retry: {} } },
    expect: { error: { _tag: "InternalServerError", status: 500, body: { message: reason(500) } } },
    requests: [{ operation: "add", fault: "500", status: 500 }],
    stored: NOTHING_STORED
  },
  {
    name: "a 502 after the add was applied: InternalServerError, not retried, stored once",
    seed: EMPTY,
    faults: [{ count: 1, fault: { _tag: "Status", status: 502, afterApply: true } }],
    call: { ...ADD, options: { retry: {} } },
    expect: { error: { _tag: "InternalServerError", status: 502 } },
    requests: [{ operation: "add", fault: "502-after-apply", status: 502 }],
    stored: { [MODEL]: { images: [["asset_test_000001", "asset_a"]] } }
  },
  {
    name: "a connection dropped after the add was applied: ConnectionError, not retried, stored once",
    seed: EMPTY,
    faults: [{ count: 1, fault: { _tag: "Drop", afterApply: true } }],
    call: { ...ADD, options: { retry: {} } },
    expect: { error: { _tag: "ConnectionError", mayHaveReachedServer: true } },
    requests: [{ operation: "add", fault: "drop-after-apply" }],
    stored: { [MODEL]: { images: [["asset_test_000001", "asset_a"]] } }
  },
  {
    name: "5xx on an idempotent call: retried up to maxRetries, then the last error",
    seed: TWO,
    faults: [{ count: 3, fault: { _tag: "Status", status: 503 } }],
    call: { ...LIST, options: { retry: { maxRetries: 2 } } },
    expect: { error: { _tag: "InternalServerError", status: 503 } },
    requests: [
      { operation: "list", fault: "503", status: 503 },
      { operation: "list", fault: "503", status: 503 },
      { operation: "list", fault: "503", status: 503 }
    ]
  },
  {
    name: "5xx and 409 on an idempotent call: retried, succeeds",
    seed: TWO,
    faults: [
      { count: 1, fault: { _tag: "Status", status: 504 } },
      { count: 1, fault: { _tag: "Status", status: 409 } }
    ],
    call: { ...REPLACE, options: { retry: { maxRetries: 2 } } },
    expect: { ok: { id: "img_a", name: "asset_z" } },
    requests: [
      { operation: "replace", fault: "504", status: 504 },
      { operation: "replace", fault: "409", status: 409 },
      { operation: "replace", status: 200 }
    ],
    stored: { [MODEL]: { images: [["img_a", "asset_z"], ["img_b", "b.png"]] } }
  },
  {
    name: "connections dropped before and after on replacePairs: retried (idempotent), succeeds",
    seed: TWO,
    faults: [
      { count: 1, fault: { _tag: "Drop", afterApply: false }, operation: "replacePairs" },
      { count: 1, fault: { _tag: "Drop", afterApply: true }, operation: "replacePairs" }
    ],
    call: { operation: "replacePairs", params: { modelId: MODEL, pairs: [{ sourceId: "img_a", targetId: "img_a" }] } },
    expect: { ok: { count: 1 } },
    requests: [
      { operation: "replacePairs", fault: "drop-before-apply" },
      { operation: "replacePairs", fault: "drop-after-apply" },
      { operation: "replacePairs", status: 200 }
    ],
    stored: { [MODEL]: { images: UNCHANGED[MODEL].images, pairs: [{ sourceId: "img_a", targetId: "img_a" }] } }
  },
  {
    name: "a 408 on an idempotent call: retried, succeeds",
    seed: TWO,
    faults: [{ count: 1, fault: { _tag: "Status", status: 408 } }],
    call: { ...LIST, options: { retry: { maxRetries: 2 } } },
    expect: { ok: { trainingImagesNumber: 2 } },
    requests: [{ operation: "list", fault: "408", status: 408 }, { operation: "list", status: 200 }]
  },
  {
    name: "a 4xx other than 408, 409 and 429 is never retried",
    seed: TWO,
    faults: [{ count: 1, fault: { _tag: "Status", status: 422 } }],
    call: { ...LIST, options: { retry: { maxRetries: 3 } } },
    expect: { error: { _tag: "UnprocessableEntityError", status: 422 } },
    requests: [{ operation: "list", fault: "422", status: 422 }]
  },
  {
    name: "a delete whose first attempt was applied but lost: retried, the 404 of the retry is its success",
    seed: TWO,
    faults: [{ count: 1, fault: { _tag: "Drop", afterApply: true } }],
    call: { operation: "delete", params: { modelId: MODEL, trainingImageId: "img_a" }, options: { retry: {} } },
    expect: { ok: null },
    requests: [{ operation: "delete", fault: "drop-after-apply" }, { operation: "delete", status: 404 }],
    stored: { [MODEL]: { images: [["img_b", "b.png"]] } }
  },

  // Size limits: refused before sending.
  {
    name: "a request body over the call's maxRequestBytes: refused before sending",
    seed: EMPTY,
    call: {
      operation: "add",
      params: { modelId: MODEL, data: `data:image/png;base64,${"A".repeat(4_096)}` },
      options: { maxRequestBytes: 1_024 }
    },
    expect: { error: { _tag: "InvalidRequestError", messageContains: "1024" } },
    requests: [],
    stored: NOTHING_STORED
  },
  {
    name: "a request body under the call's maxRequestBytes: sent",
    seed: EMPTY,
    call: {
      operation: "add",
      params: { modelId: MODEL, data: `data:image/png;base64,${"A".repeat(512)}`, name: "small.png" },
      options: { maxRequestBytes: 1_024 }
    },
    expect: { ok: { name: "small.png" } },
    requests: [{ operation: "add", status: 200 }],
    stored: { [MODEL]: { images: [["asset_test_000001", "small.png"]] } }
  },

  // Bad params: refused before sending.
  invalid("11 asset ids", { operation: "add", params: { modelId: MODEL, assetIds: tooManyIds } }),
  invalid("no asset ids", { operation: "add", params: { modelId: MODEL, assetIds: [] } }),
  invalid("a name with asset ids", { operation: "add", params: { modelId: MODEL, assetId: "a", name: "x.png" } }),
  invalid("not an image", { operation: "add", params: { modelId: MODEL, data: "data:text/plain;base64,AAAA" } }),
  invalid("no model id", { operation: "add", params: { assetId: "asset_a" } }),
  invalid(
    "an id of ..",
    { operation: "replace", params: { modelId: MODEL, trainingImageId: "..", assetId: "a" } },
    "trainingImageId"
  ),
  invalid(
    "an image id of pairs",
    { operation: "replace", params: { modelId: MODEL, trainingImageId: "pairs", assetId: "a" } },
    "trainingImageId"
  ),
  invalid("an empty source id", {
    operation: "replacePairs",
    params: { modelId: MODEL, pairs: [{ sourceId: "", targetId: "img_a" }] }
  }),
  invalid("an empty model id", { operation: "delete", params: { modelId: "", trainingImageId: "img_a" } }),
  invalid("a flag that is not a boolean", {
    operation: "list",
    params: { modelId: MODEL, originalAssets: "yes" }
  }),
  invalid("an unknown key", { operation: "list", params: { modelId: MODEL, limit: 3 } })
]

/** A training-set sync under faults: plan and apply over a folder, then what the model holds. */
export interface SyncCase {
  readonly name: string
  readonly seed: Seed
  /** The folder: each file's name and the seed of its PNG bytes (test-support's `png`). */
  readonly folder: ReadonlyArray<{ readonly name: string; readonly png: number }>
  readonly deleteOthers?: boolean
  /** Injected after planning, before applying. */
  readonly faults?: ReadonlyArray<Injection>
  readonly retry?: RetrySpec
  /** The plan's items, as `_tag name`. */
  readonly plan: ReadonlyArray<string>
  /** Each item's outcome, as `_tag name: outcome` in the plan's order. */
  readonly outcomes: ReadonlyArray<string>
  /** The names the model holds after, sorted. */
  readonly stored: ReadonlyArray<string>
  /** How many adds reached the server. */
  readonly addRequests: number
}

export const SYNC_MODEL = "model_sync"

export const syncCases: ReadonlyArray<SyncCase> = [
  {
    name: "a folder onto an empty model: every image added once",
    seed: { [SYNC_MODEL]: {} },
    folder: [{ name: "a.png", png: 1 }, { name: "b.png", png: 2 }, { name: "c.png", png: 3 }],
    plan: ["Add a.png", "Add b.png", "Add c.png"],
    outcomes: ["Add a.png: Succeeded", "Add b.png: Succeeded", "Add c.png: Succeeded"],
    stored: ["a.png", "b.png", "c.png"],
    addRequests: 3
  },
  {
    name: "adds that met a drop after apply and a 502 after apply: found by listing, never added twice",
    seed: { [SYNC_MODEL]: {} },
    folder: [{ name: "a.png", png: 1 }, { name: "b.png", png: 2 }, { name: "c.png", png: 3 }],
    faults: [
      { count: 1, fault: { _tag: "Drop", afterApply: true }, operation: "add" },
      { count: 1, fault: { _tag: "Status", status: 502, afterApply: true }, operation: "add" }
    ],
    retry: {},
    plan: ["Add a.png", "Add b.png", "Add c.png"],
    outcomes: ["Add a.png: Succeeded", "Add b.png: Succeeded", "Add c.png: Succeeded"],
    stored: ["a.png", "b.png", "c.png"],
    addRequests: 3
  },
  {
    name: "adds that met a drop before apply and a 503: found missing by listing, sent again, stored once",
    seed: { [SYNC_MODEL]: {} },
    folder: [{ name: "a.png", png: 1 }, { name: "b.png", png: 2 }],
    faults: [
      { count: 1, fault: { _tag: "Drop", afterApply: false }, operation: "add" },
      { count: 1, fault: { _tag: "Status", status: 503 }, operation: "add" }
    ],
    retry: {},
    plan: ["Add a.png", "Add b.png"],
    outcomes: ["Add a.png: Succeeded", "Add b.png: Succeeded"],
    stored: ["a.png", "b.png"],
    addRequests: 4
  },
  {
    name: "an add refused with RetryPolicy.none and a 400: Failed, nothing stored for it, the rest applied",
    seed: { [SYNC_MODEL]: {} },
    folder: [{ name: "a.png", png: 1 }, { name: "b.png", png: 2 }],
    faults: [{ count: 1, fault: { _tag: "Status", status: 400 }, operation: "add" }],
    retry: "none",
    plan: ["Add a.png", "Add b.png"],
    outcomes: ["Add a.png: Failed", "Add b.png: Succeeded"],
    stored: ["b.png"],
    addRequests: 2
  },
  {
    name: "deleteOthers: a stale image deleted through a dropped connection, the kept one untouched",
    seed: { [SYNC_MODEL]: { trainingImages: [{ id: "img_old", name: "old.png" }] } },
    folder: [{ name: "a.png", png: 1 }],
    deleteOthers: true,
    faults: [{ count: 1, fault: { _tag: "Drop", afterApply: true }, operation: "delete" }],
    retry: {},
    plan: ["Add a.png", "Delete old.png"],
    outcomes: ["Add a.png: Succeeded", "Delete old.png: Succeeded"],
    stored: ["a.png"],
    addRequests: 1
  }
]

/**
 * The facts of an error that must not depend on the line or the transport: its tag, status and body, whether
 * the request may have reached the server, the wait asked for (through `millis`, the line's
 * `Duration.toMillis`), and the words of `expected.messageContains` when its message holds them.
 */
export const errorFacts = (
  error: unknown,
  expected: ErrorFacts,
  millis: (duration: never) => number
): ErrorFacts => {
  const e = error as Record<string, unknown>
  const facts: Record<string, unknown> = { _tag: e._tag }
  if ("status" in expected) facts.status = e.status
  if ("body" in expected) facts.body = e.body
  if ("mayHaveReachedServer" in expected) facts.mayHaveReachedServer = e.mayHaveReachedServer
  if ("retryAfterMs" in expected) {
    facts.retryAfterMs = e.retryAfter === undefined ? undefined : millis(e.retryAfter as never)
  }
  if (expected.messageContains !== undefined) {
    const message = typeof e.message === "string" ? e.message : ""
    facts.messageContains = message.includes(expected.messageContains) ? expected.messageContains : message
  }
  return facts as unknown as ErrorFacts
}

/** A model's state as the fake and the emulator report it, reduced to what `StoredModel` compares. */
export const storedFacts = (
  model:
    | {
      readonly trainingImages: ReadonlyArray<{ readonly id: string; readonly name: string }>
      readonly trainingImagePairs?: ReadonlyArray<unknown>
      readonly pairs?: ReadonlyArray<unknown>
    }
    | undefined,
  expected: StoredModel | null
): StoredModel | null => {
  if (model === undefined) return null
  const images = model.trainingImages.map((image) => [image.id, image.name] as const)
  if (expected === null || expected.pairs === undefined) return { images }
  return { images, pairs: (model.trainingImagePairs ?? model.pairs ?? []) as StoredModel["pairs"] & object }
}

/** The requests of a server log as `Exchange`s (the fields that are set). */
export const exchange = (
  request: {
    readonly operation: string | undefined
    readonly fault?: string | undefined
    readonly status?: number | undefined
  }
): Exchange => ({
  operation: (request.operation ?? "unauthenticated") as Exchange["operation"],
  ...(request.fault === undefined ? {} : { fault: request.fault }),
  ...(request.status === undefined ? {} : { status: request.status })
})

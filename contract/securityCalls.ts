/**
 * The calls of the security suites of both lines, as plain data: what each suite calls and with what (the
 * operations and their params, the retry policies, the timeouts, the emulator's faults, the models it starts
 * with) and what must come of it (the error tags, the retry logs, the span names, the log levels, the counts
 * that show enough was exercised). What is searched for, and where plain http may go, is `security.ts`. The
 * runners: `packages/core/test/Security.test.ts` and `packages/platform-node/test/Security.test.ts` (Effect 3),
 * `packages/effect4/test/Security.test.ts` and `packages/effect4/test/node/Security.test.ts` (Effect 4).
 */
import type { FaultSpec, Seed } from "./cases.js"
import type { Keys, ReplySpec } from "./security.js"

/** One call of the service, as data: each runner calls its line's `TrainingImages` with it. */
export type Call =
  | { readonly operation: "add"; readonly params: { readonly modelId: string; readonly assetId: string } }
  | {
    readonly operation: "replace"
    readonly params: {
      readonly modelId: string
      readonly trainingImageId: string
      readonly assetId: string
      readonly originalAssets?: boolean
    }
  }
  | {
    readonly operation: "replacePairs"
    readonly params: {
      readonly modelId: string
      readonly pairs: ReadonlyArray<{ readonly sourceId: string; readonly targetId: string }>
    }
  }
  | {
    readonly operation: "delete"
    readonly params: { readonly modelId: string; readonly trainingImageId: string; readonly projectId?: string }
  }
  | { readonly operation: "list"; readonly params: { readonly modelId: string } }

/** `RetryPolicy.make`'s options, durations in milliseconds. */
export interface RetryLimits {
  readonly initialDelayMs: number
  readonly maxDelayMs: number
  readonly maxRetries: number
}

/** The log levels every level's logging must reach, as the Effect 4 line names them (Effect 3: upper case). */
export const LOG_LEVELS = ["Trace", "Debug", "Info", "Warn", "Error", "Fatal"]

// ---------------------------------------------------------------------------------------------------------
// The client over the stub transport
// ---------------------------------------------------------------------------------------------------------

/** The stub client's timeout, in milliseconds. */
export const CLIENT_TIMEOUT_MS = 50

/** Every operation, each once: what every failing reply is met with. */
export const CLIENT_CALLS: ReadonlyArray<Call> = [
  { operation: "add", params: { modelId: "m", assetId: "a" } },
  { operation: "replace", params: { modelId: "m", trainingImageId: "t", assetId: "a" } },
  { operation: "replacePairs", params: { modelId: "m", pairs: [{ sourceId: "a", targetId: "b" }] } },
  { operation: "delete", params: { modelId: "m", trainingImageId: "t" } },
  { operation: "list", params: { modelId: "m" } }
]

/** An add the params check refuses, with the secret in its params: the error must not show it. */
export const refusedAdd = (keys: Keys): Call => ({
  operation: "add",
  params: { modelId: "", assetId: keys.apiSecret }
})

/** Its tag. */
export const REFUSED_TAG = "InvalidRequestError"

/** A 401 that echoes the credentials in its headers, met by a list: its error keeps none of those headers. */
export const ECHOED_401 = {
  status: 401,
  body: { message: "no" },
  call: { operation: "list", params: { modelId: "m" } } satisfies Call,
  tag: "AuthenticationError"
} as const

/** The base URL of the options searched, and the call made through the service built from them. */
export const OPTIONS = {
  baseUrl: "https://api.example.test/v1",
  call: { operation: "add", params: { modelId: "m", assetId: "a" } } satisfies Call
} as const

/** The traced and logged calls over the stub. */
export const TRACED = {
  retryPolicy: { initialDelayMs: 1, maxDelayMs: 2, maxRetries: 4 } satisfies RetryLimits,
  /** Retried through `RETRIED`, then a success: the requests the stub sees. */
  retried: { operation: "replace", params: { modelId: "m", trainingImageId: "t", assetId: "a" } } satisfies Call,
  retriedRequests: 4,
  /** What each failing reply meets, then logged at every level with this message. */
  failing: { operation: "add", params: { modelId: "m", assetId: "a" } } satisfies Call,
  failedMessage: "add failed",
  /** The layer's replies before its success, and its call, logged at debug level with this message. */
  layerReplies: [{ status: 500 }] satisfies ReadonlyArray<ReplySpec>,
  layerCall: { operation: "list", params: { modelId: "m" } } satisfies Call,
  layerMessage: "list",
  /** A line of the retry logs. */
  retryLog: "retrying replace after InternalServerError",
  /** The span of the retried call, and the span of each of its attempts. */
  callSpan: "TrainingImages.replace",
  attemptSpan: "PUT replace",
  /** What a span event of a retry is named with. */
  retryEvent: "retrying",
  /** The HTTP client's own spans: at least this many beside one per failing reply. */
  httpSpansBeyondFailures: 4,
  /** What Effect writes in place of a redacted header. */
  redacted: "<redacted>"
} as const

/** The runs of the generated hosts, and the ports they are tried with. */
export const INSECURE_RUNS = { remote: 60, loopback: 30 }
export const PORTS = { min: 1, max: 65535, loopback: 4010 }

// ---------------------------------------------------------------------------------------------------------
// The Node transports over the emulator
// ---------------------------------------------------------------------------------------------------------

/** The models the emulator starts with. */
export const NODE_MODELS: Seed = { model_1: {} }

/** The traced and logged calls over the emulator. */
export const NODE_TRACED = {
  retryPolicy: { initialDelayMs: 1, maxDelayMs: 5, maxRetries: 4 } satisfies RetryLimits,
  timeoutMs: 300,
  /** The faults before the retried call, each once: a 503, a dropped connection and a 429. */
  retriedFaults: [
    { _tag: "Status", status: 503 },
    { _tag: "Drop", afterApply: false },
    { _tag: "Status", status: 429, retryAfterMs: 0 }
  ] satisfies ReadonlyArray<FaultSpec>,
  retried: { operation: "replacePairs", params: { modelId: "model_1", pairs: [] } } satisfies Call,
  /** The faults before the failing calls, each once: an add that may have been applied, a timeout, a 500. */
  failingFaults: [
    { _tag: "Drop", afterApply: true },
    { _tag: "Delay", ms: 2000 },
    { _tag: "Status", status: 500 }
  ] satisfies ReadonlyArray<FaultSpec>,
  failing: [
    { operation: "add", params: { modelId: "model_1", assetId: "asset_1" } },
    { operation: "add", params: { modelId: "model_1", assetId: "asset_2" } },
    { operation: "add", params: { modelId: "model_1", assetId: "asset_3" } },
    { operation: "delete", params: { modelId: "model_1", trainingImageId: "missing" } },
    { operation: "list", params: { modelId: "" } }
  ] satisfies ReadonlyArray<Call>,
  failedMessage: "failed",
  /** The call made with credentials the emulator rejects, logged at error level with this message. */
  rejected: { operation: "list", params: { modelId: "model_1" } } satisfies Call,
  rejectedMessage: "rejected",
  /** The tags of the failing calls, then the rejected one. */
  tags: [
    "ConnectionError",
    "TimeoutError",
    "InternalServerError",
    "NotFoundError",
    "InvalidRequestError",
    "AuthenticationError"
  ],
  retryLog: "retrying replacePairs after ConnectionError",
  /** The transport's spans: at least this many. */
  httpSpans: 9
} as const

/** The call through the context built by `layerConfig`, and the model id of its answer. */
export const NODE_CONTEXT_CALL = { operation: "list", params: { modelId: "model_1" } } as const satisfies Call

/** The query each operation of the hostile ids' run sends (the delete's holds the project id alone). */
export const HOSTILE_QUERIES = { add: "", replace: "originalAssets=true", deleteParam: "projectId" } as const

/** The status every operation of the hostile ids' run is answered with. */
export const HOSTILE_STATUS = 200

/** A generated id's lengths: from the whole of Unicode, and from the URL pieces. */
export const GENERATED_ID = { unicodeMax: 10, piecesMax: 8 }

/** The redirect's tag when it is not followed. */
export const REDIRECT_TAG = "UnexpectedStatusError"

/** The hostile ids' run: every operation, each with the ids in their own place. */
export const hostileCalls = (modelId: string, imageId: string, projectId: string): ReadonlyArray<Call> => [
  { operation: "add", params: { modelId, assetId: imageId } },
  { operation: "replace", params: { modelId, trainingImageId: imageId, assetId: imageId, originalAssets: true } },
  { operation: "replacePairs", params: { modelId, pairs: [{ sourceId: imageId, targetId: imageId }] } },
  { operation: "list", params: { modelId } },
  { operation: "delete", params: { modelId, trainingImageId: imageId, projectId } }
]

/**
 * The telemetry of the client's calls, as plain data for both lines: what each call meets (the stub's replies,
 * the retry policy, the timeout, the clock's steps, the labels set around it) and what its metrics and spans must
 * show (the counts by `error.type`, the labels of each series, the ports, the span names and attributes), plus
 * the bounds of the caches of label sets (the cap, the keys kept). The metrics are read through `Series`, the
 * plain form a runner makes of its line's snapshot, by the Effect-free readers here. The runners:
 * `packages/core/test/Telemetry.test.ts` and `packages/core/test/TelemetryBounds.test.ts` (Effect 3),
 * `packages/effect4/test/Telemetry.test.ts` and `packages/effect4/test/TelemetryBounds.test.ts` (Effect 4).
 */
import { METRIC_NAMES } from "./telemetry.js"

export { METRIC_NAMES }

/** The labels the readers look at. */
export const LABELS = {
  serverAddress: "server.address",
  serverPort: "server.port",
  errorType: "error.type",
  statusCode: "http.response.status_code",
  retryReason: "scenario.retry.reason",
  modelId: "scenario.model_id",
  trainingImageId: "scenario.training_image_id",
  stackTrace: "code.stacktrace"
} as const

// ---------------------------------------------------------------------------------------------------------------
// The metrics, read from a snapshot

/** One series of a metric, as a runner reads it from its line's snapshot. */
export interface Series {
  readonly name: string
  /** Its labels as `[key, value]` pairs, in the order the line gives them. */
  readonly labels: ReadonlyArray<readonly [string, string]>
  /** A counter's count, a histogram's count; 0 for any other metric. */
  readonly count: number
  /** A histogram's sum; 0 for any other metric. */
  readonly sum: number
  /** `true` for a histogram. */
  readonly histogram: boolean
  /** A counter's `incremental` (monotonic); absent for any other metric. */
  readonly incremental: boolean | undefined
  readonly description: string | undefined
}

/** The value of a series' label `key` (its first, should it have two). */
export const labelOf = (series: Series, key: string): string | undefined => series.labels.find(([k]) => k === key)?.[1]

const isOf = (series: Series, host: string) =>
  series.labels.some(([key, value]) => key === LABELS.serverAddress && value === host)

/** The series of the calls to `host`. */
export const ofHost = (all: ReadonlyArray<Series>, host: string): ReadonlyArray<Series> =>
  all.filter((series) => isOf(series, host))

/** The counts of one metric for the calls to `host`, by `error.type` ("" when none), non-zero only. */
export const countsOf = (all: ReadonlyArray<Series>, name: string, host: string): Record<string, number> => {
  const counts: Record<string, number> = {}
  for (const series of ofHost(all, host)) {
    if (series.name !== name || series.count === 0) continue
    const error = labelOf(series, LABELS.errorType) ?? ""
    counts[error] = (counts[error] ?? 0) + series.count
  }
  return counts
}

/** The sum of `http.client.request.duration` for the calls to `host`, in seconds. */
export const durationSum = (all: ReadonlyArray<Series>, host: string): number => {
  let sum = 0
  for (const series of ofHost(all, host)) {
    if (series.name === METRIC_NAMES.durations && series.histogram) sum += series.sum
  }
  return sum
}

/** Every series of the client's metrics, whatever its labels: their counts summed, by metric. */
export const totals = (all: ReadonlyArray<Series>): Record<string, number> => {
  const sums: Record<string, number> = {}
  for (const series of all) {
    if (!series.name.startsWith("scenario.client.") && !series.name.startsWith("http.client.")) continue
    sums[series.name] = (sums[series.name] ?? 0) + series.count
  }
  return sums
}

/** The `server.port` labels of the metrics of the calls to `host`, by metric ("" when a series has none). */
export const portsOf = (all: ReadonlyArray<Series>, host: string): Record<string, Array<string>> => {
  const ports: Record<string, Array<string>> = {}
  for (const series of ofHost(all, host)) {
    const port = labelOf(series, LABELS.serverPort) ?? ""
    const seen = (ports[series.name] ??= [])
    if (!seen.includes(port)) seen.push(port)
  }
  return ports
}

/** The label keys of each series of `name` for the calls to `host`, one sorted list per series. */
export const labelKeysOf = (all: ReadonlyArray<Series>, name: string, host: string): Array<Array<string>> =>
  ofHost(all, host).filter((series) => series.name === name).map((series) => series.labels.map(([key]) => key).sort())

/** Each series of the calls to `host` as its `key=value` labels, sorted; the series of each metric sorted too. */
export const labelLinesOf = (all: ReadonlyArray<Series>, host: string): Record<string, Array<string>> => {
  const byName: Record<string, Array<string>> = {}
  for (const series of ofHost(all, host)) {
    ;(byName[series.name] ??= []).push(series.labels.map(([key, value]) => `${key}=${value}`).sort().join(", "))
  }
  for (const list of Object.values(byName)) list.sort()
  return byName
}

/** The values of the label `key` of each series of the calls to `host`, by metric ("" when a series has none). */
export const valuesOf = (all: ReadonlyArray<Series>, host: string, key: string): Record<string, Array<string>> => {
  const seen: Record<string, Array<string>> = {}
  for (const series of ofHost(all, host)) (seen[series.name] ??= []).push(labelOf(series, key) ?? "")
  return seen
}

/** The labels `keys` of each series of `name` for the calls to `host`, as an object per series. */
export const picked = (
  all: ReadonlyArray<Series>,
  name: string,
  host: string,
  keys: ReadonlyArray<string>
): Array<Record<string, string>> =>
  ofHost(all, host).filter((series) => series.name === name).map((series) =>
    Object.fromEntries(series.labels.filter(([key]) => keys.includes(key)))
  )

/** The last series of each metric of the calls to `host`, by name. */
export const byName = (all: ReadonlyArray<Series>, host: string): Map<string, Series> => {
  const found = new Map<string, Series>()
  for (const series of ofHost(all, host)) found.set(series.name, series)
  return found
}

/** A span as the runners read it. */
export interface Span {
  readonly name: string
  readonly attributes: ReadonlyMap<string, unknown>
}

// ---------------------------------------------------------------------------------------------------------------
// The calls

/** What the stub answers one attempt with (a subset of test-support's `Reply`). */
export type Reply =
  | {
    readonly status: number
    readonly body?: unknown
    readonly headers?: Record<string, string>
    readonly chunks?: ReadonlyArray<string>
    readonly streamFails?: { readonly cause: unknown }
  }
  | { readonly reset: true }
  | { readonly hang: true }

/** A retry policy: `RetryPolicy.make` of these, the delay in milliseconds. */
export interface Policy {
  readonly initialDelayMs?: number
  readonly jitter?: boolean
  readonly maxRetries: number
}

/** The model every call here names. */
export const MODEL = "model_1"

/** A `list`'s successful answer. */
export const OK: Reply = { status: 200, body: { model: { id: MODEL, status: "new", trainingImagesNumber: 0 } } }

/** A 503 to retry at once. */
export const UNAVAILABLE: Reply = { status: 503, headers: { "retry-after": "0" } }

/** One retry, after a millisecond, no jitter. */
export const ONE_RETRY: Policy = { initialDelayMs: 1, jitter: false, maxRetries: 1 }

/** No retry. */
export const NO_RETRY: Policy = { maxRetries: 0 }

/** The base URL of the calls to `host`. */
export const baseUrl = (host: string, port?: number): string =>
  `https://${host}${port === undefined ? "" : `:${port}`}/v1`

/** The clock's step to end a call that waits: an hour, in milliseconds. */
export const HOUR = 3_600_000

/** The four metrics of a call. */
export const ALL_METRICS = [
  METRIC_NAMES.requests,
  METRIC_NAMES.retries,
  METRIC_NAMES.durations,
  METRIC_NAMES.active
] as const

/** The metrics every call moves (no retry among them): each with the same labels. */
const eachOfThree = <A>(value: A) => ({
  [METRIC_NAMES.requests]: value,
  [METRIC_NAMES.durations]: value,
  [METRIC_NAMES.active]: value
})

/** A call interrupted while its request is at the transport, whose answer never comes. */
export const interrupted = {
  host: "interrupted.scenario.test",
  tracedHost: "interrupted-traced.scenario.test",
  replies: [{ hang: true }] as ReadonlyArray<Reply>,
  /** The clock's step while waiting for the request to reach the transport. */
  stepMs: 1,
  /** While the request is in flight. */
  during: { [METRIC_NAMES.active]: { "": 1 } },
  /** Once interrupted. */
  after: {
    [METRIC_NAMES.active]: {},
    [METRIC_NAMES.requests]: { interrupted: 1 },
    [METRIC_NAMES.durations]: { interrupted: 1 }
  },
  attemptSpan: "GET list",
  errorType: "interrupted"
} as const

/** A list call whose two attempts both time out, run to its end (the clock moved an hour). */
export const timedOutTwice = {
  replies: [{ hang: true }] as ReadonlyArray<Reply>,
  maxRetries: 1,
  error: "TimeoutError"
} as const

/** Timed out, retried: each attempt counted. */
export const timedOut = {
  host: "timed-out.scenario.test",
  timeoutMs: 50,
  pauseMs: 1,
  counts: {
    [METRIC_NAMES.active]: {},
    [METRIC_NAMES.requests]: { TimeoutError: 2 },
    [METRIC_NAMES.retries]: { "": 1 }
  }
} as const

/** A call the caller made uninterruptible, interrupted: it runs to its end. */
export const uninterruptible = {
  host: "uninterruptible.scenario.test",
  replies: [OK],
  counts: { [METRIC_NAMES.active]: {}, [METRIC_NAMES.requests]: { "": 1 } }
} as const

/** The calls of one fiber: retried then successful, failed with a 400, failed with no response (retried). */
export const oneFiber = {
  host: "observers.scenario.test",
  replies: [UNAVAILABLE, OK, { status: 400, body: { message: "no" } }, { reset: true }] as ReadonlyArray<Reply>,
  policy: ONE_RETRY,
  clockMs: 60_000,
  requests: { "": 1, "503": 1, "400": 1, ConnectionError: 2 }
} as const

/** Two attempts of 1.5 s each; the second after a pause of 1 s, which no attempt counts. */
export const duration = {
  host: "duration.scenario.test",
  timeoutMs: 1_500,
  pauseMs: 1_000,
  /** The sum of the attempts' durations, in seconds, to this many digits. */
  seconds: 3,
  digits: 9
} as const

/** A list that meets a 503 and succeeds on its retry, with the metrics off (or back on). */
export const metricsOff = {
  replies: [UNAVAILABLE, OK],
  policy: ONE_RETRY,
  clockMs: 1_000,
  attempts: 2,
  hosts: {
    off: "metrics-off.scenario.test",
    totals: "metrics-off-totals.scenario.test",
    backOn: "metrics-back-on.scenario.test",
    layer: "metrics-off-layer.scenario.test",
    runtime: "metrics-off-runtime.scenario.test",
    traced: "metrics-off-traced.scenario.test"
  },
  /** With the metrics back on. */
  backOn: { [METRIC_NAMES.requests]: { "": 1, "503": 1 }, [METRIC_NAMES.retries]: { "": 1 } },
  /** Through a ManagedRuntime: one call, answered at once. */
  runtime: { replies: [OK], attempts: 1 },
  /** Under a tracer: the spans but the transport's, and the retry's reason on the third. */
  spans: ["TrainingImages.list", "GET list", "GET list"],
  retryReason: "503"
} as const

/** The ports of one call with its spans and one with the metrics alone. */
export const ports = {
  replies: [OK],
  /** The spans of the traced call. */
  spans: ["TrainingImages.list", "GET list"] as ReadonlyArray<string>,
  explicit: {
    host: "port-explicit.scenario.test",
    port: 8443,
    expected: { spans: [8443, 8443], metrics: eachOfThree(["8443"]) }
  },
  https: {
    host: "port-https.scenario.test",
    port: undefined,
    expected: { spans: [443, 443], metrics: eachOfThree(["443"]) }
  }
} as const

const trainingImageId = "asset_7"

/** test-support's `trainingImageJson(trainingImageId)`. */
const trainingImage = {
  id: trainingImageId,
  automaticCaptioning: "a caption",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "a description",
  downloadUrl: `https://cdn.example/${trainingImageId}.png`,
  name: "my-training-image.jpg"
}

const image: Reply = { status: 200, body: { trainingImage } }

/** An operation's call, the runner's to make through its service. */
export type Call =
  | {
    readonly op: "replace"
    readonly input: { readonly modelId: string; readonly trainingImageId: string; readonly assetId: string }
  }
  | { readonly op: "add"; readonly input: { readonly modelId: string; readonly assetId: string } }
  | { readonly op: "replacePairs"; readonly input: { readonly modelId: string; readonly pairs: readonly [] } }
  | { readonly op: "delete"; readonly input: { readonly modelId: string; readonly trainingImageId: string } }
  | { readonly op: "list"; readonly input: { readonly modelId: string } }

/** Each operation with the reply it succeeds on, and the ids its spans name (the ids it was called with). */
export const operations: {
  readonly baseUrl: string
  readonly cases: ReadonlyArray<{
    readonly span: string
    readonly reply: Reply
    readonly ids: { readonly modelId: string; readonly trainingImageId?: string }
    readonly call: Call
  }>
} = {
  baseUrl: "https://spans.scenario.test/v1",
  cases: [
    {
      span: "PUT replace",
      reply: image,
      ids: { modelId: MODEL, trainingImageId },
      call: { op: "replace", input: { modelId: MODEL, trainingImageId, assetId: "asset_9" } }
    },
    {
      span: "POST add",
      reply: image,
      ids: { modelId: MODEL },
      call: { op: "add", input: { modelId: MODEL, assetId: "asset_9" } }
    },
    {
      span: "PUT replacePairs",
      reply: { status: 200, body: { count: 0, pairs: [] } },
      ids: { modelId: MODEL },
      call: { op: "replacePairs", input: { modelId: MODEL, pairs: [] } }
    },
    {
      span: "DELETE delete",
      reply: { status: 204 },
      ids: { modelId: MODEL, trainingImageId },
      call: { op: "delete", input: { modelId: MODEL, trainingImageId } }
    },
    {
      span: "GET list",
      reply: OK,
      ids: { modelId: MODEL },
      call: { op: "list", input: { modelId: MODEL } }
    }
  ]
}

/** The spans a call's operation makes: the call's and its attempt's. */
export const spansOf = (span: string): Array<string> => [`TrainingImages.${span.split(" ")[1]}`, span]

/** The ids a span names. */
export const idsOf = (span: Span) => ({
  modelId: span.attributes.get(LABELS.modelId),
  trainingImageId: span.attributes.get(LABELS.trainingImageId)
})

/** Labels set around a call join each of its metrics. */
export const tagged = {
  host: "tagged.scenario.test",
  replies: [UNAVAILABLE, OK],
  policy: ONE_RETRY,
  label: ["tenant", "acme"],
  clockMs: 1_000,
  counts: { [METRIC_NAMES.requests]: { "": 1, "503": 1 }, [METRIC_NAMES.retries]: { "": 1 } }
} as const

/** A success and an undecodable answer of the same status. */
export const sameStatus = {
  host: "same-status.scenario.test",
  replies: [OK, { status: 200, body: { unexpected: true } }] as ReadonlyArray<Reply>,
  policy: NO_RETRY,
  error: "ResponseDecodeError",
  // The error type of a failure that carries a status is the status.
  counts: { [METRIC_NAMES.requests]: { "": 1, "200": 1 }, [METRIC_NAMES.durations]: { "": 1, "200": 1 } }
} as const

const exactHost = "exact-labels.scenario.test"
const exactLine = (...labels: Array<string>) =>
  ["http.request.method=GET", "scenario.operation=list", `server.address=${exactHost}`, ...labels].sort().join(", ")

/**
 * `Telemetry.instrument` of an attempt that first fails with no response (a refused connection), then, retried,
 * reports a 200: each series carries exactly its labels.
 */
export const exactLabels = {
  info: { operation: "list", method: "GET", serverAddress: exactHost },
  refused: { operation: "list", method: "GET", url: baseUrl(exactHost), mayHaveReachedServer: false },
  retries: 1,
  status: 200,
  attempts: 2,
  series: {
    [METRIC_NAMES.requests]: [
      exactLine("scenario.status_class=2xx"),
      exactLine("error.type=ConnectionError", "scenario.status_class=none")
    ].sort(),
    [METRIC_NAMES.durations]: [
      exactLine("http.response.status_code=200", "unit=s"),
      exactLine("error.type=ConnectionError", "unit=s")
    ].sort(),
    [METRIC_NAMES.active]: [exactLine()],
    [METRIC_NAMES.retries]: [exactLine("scenario.retry.reason=ConnectionError")]
  }
} as const

/** Failures with no response: a reset, then a timeout (the clock moved a second). */
export const noResponse = {
  host: "no-response.scenario.test",
  replies: [{ reset: true }, { hang: true }] as ReadonlyArray<Reply>,
  timeoutMs: 50,
  policy: NO_RETRY,
  clockMs: 1_000,
  errors: ["ConnectionError", "TimeoutError"],
  requests: { ConnectionError: 1, TimeoutError: 1 }
} as const

/** An answer whose body fails after its head, called twice (the second under a tracer). */
export const bodyFails = {
  host: "body-fails.scenario.test",
  replies: [{ status: 200, chunks: ["{\"model\":"], streamFails: { cause: "reset" } }] as ReadonlyArray<Reply>,
  policy: NO_RETRY,
  error: "ConnectionError",
  durations: [{ [LABELS.statusCode]: "200", [LABELS.errorType]: "ConnectionError" }],
  attemptSpan: "GET list",
  status: 200
} as const

/** `Telemetry.instrument` of an attempt that fails with a status error it never reported. */
export const statusOfFailure = {
  host: "status-of-failure.scenario.test",
  info: { operation: "list", method: "GET", serverAddress: "status-of-failure.scenario.test" },
  failure: {
    operation: "list",
    method: "GET",
    url: baseUrl("status-of-failure.scenario.test"),
    status: 502,
    headers: {},
    body: ""
  },
  codes: ["502"]
} as const

/** A failed call's spans: an attempt with no response. */
export const failedSpans = {
  baseUrl: "https://failed-spans.scenario.test/v1",
  replies: [{ reset: true }] as ReadonlyArray<Reply>,
  policy: NO_RETRY,
  spans: ["TrainingImages.list", "GET list"],
  errorType: "ConnectionError",
  absent: [LABELS.statusCode, LABELS.retryReason],
  // A stack trace would point into the library, not at the caller: neither span carries one.
  absentFromEach: LABELS.stackTrace
} as const

/** `Telemetry.instrument` with a RequestInfo without serverPort, once with its spans, once without. */
export const noPort = {
  info: {
    operation: "list",
    method: "GET",
    serverAddress: "no-port.scenario.test",
    attributes: { [LABELS.modelId]: MODEL }
  },
  status: 200,
  ports: eachOfThree([""]),
  spans: ["TrainingImages.list", "GET list"],
  requests: { "": 2 }
} as const

/** `Telemetry.instrument` of an attempt that dies, once with its spans, once without. */
export const defect = {
  host: "defect.scenario.test",
  defect: "boom",
  counts: { [METRIC_NAMES.requests]: { defect: 2 }, [METRIC_NAMES.active]: {} },
  attemptSpan: "GET list",
  errorType: "defect"
} as const

/** The instruments of a call retried once. */
export const instruments = {
  host: "instruments.scenario.test",
  replies: [UNAVAILABLE, OK],
  policy: ONE_RETRY,
  clockMs: 1_000,
  // An exporter reads `incremental` to make a monotonic counter (or an up-down one).
  incremental: { requests: true, retries: true, active: false }
} as const

/** `Telemetry.instrument` under Effect's built-in tracer. */
export const untraced = {
  info: { operation: "list", method: "GET", serverAddress: "untraced.scenario.test" },
  callerSpan: "caller"
} as const

/** A transport that dies. */
export const transportDies = {
  host: "transport-dies.scenario.test",
  policy: NO_RETRY,
  defect: "the transport broke",
  counts: { [METRIC_NAMES.requests]: { defect: 1 }, [METRIC_NAMES.active]: {} }
} as const

/** A label set around a call. */
export const ambient = {
  host: "ambient.scenario.test",
  replies: [OK],
  label: ["tenant", "a"],
  values: eachOfThree(["a"])
} as const

// ---------------------------------------------------------------------------------------------------------------
// The bounds of the caches of label sets

/** How many label sets each cache keeps, and how many more the tests make. */
export const CAP = 1_000
export const BEYOND = 100

/** The series of a request: one per operation, method and server (`series-${i}`). */
export const seriesCache = {
  info: (i: number) => ({
    operation: "list" as const,
    method: "GET",
    serverAddress: `series-${i}.scenario.test`,
    serverPort: 443
  }),
  kept: CAP,
  /** A request past the cap: its series built anew each time, its labels the same. */
  past: CAP + 50
} as const

/** The fresh series of each recorder test: the `list`s of a server by `GET`. */
export const freshInfo = (host: string) => ({ operation: "list", method: "GET", serverAddress: host }) as const

/** The label sets of a failed attempt, by status and error type. */
export const outcomes = {
  host: "outcomes.scenario.test",
  error: "ConnectionError",
  key: "undefined ConnectionError",
  others: (i: number) => `Error${i}`,
  kept: CAP
} as const

/** The label sets of a retry, by reason. */
export const retries = {
  host: "retries.scenario.test",
  reason: "503",
  others: (i: number) => `Error${i}`,
  kept: CAP
} as const

/** The label sets of a success, by status. */
export const succeeded = {
  host: "succeeded.scenario.test",
  status: 200,
  others: (i: number) => 1_000 + i,
  kept: CAP
} as const

/** The label set of a success with no status, kept with the outcomes. */
export const succeededNoStatus = {
  host: "succeeded-no-status.scenario.test",
  key: "undefined undefined",
  keys: ["undefined undefined"]
} as const

/** A failure the recorder is told of after its attempt ended, or with none begun. */
const lateFailure = { _tag: "RateLimitError", status: 429 } as const

/** An end with no attempt begun. */
export const neverBegun = {
  host: "never-begun.scenario.test",
  error: "ConnectionError",
  failure: lateFailure
} as const

/** An attempt ended twice (then told of a failure). */
export const endedTwice = {
  host: "ended-twice.scenario.test",
  ends: ["ConnectionError", "TimeoutError"],
  failure: lateFailure,
  keys: ["undefined ConnectionError"],
  lastError: "ConnectionError"
} as const

/** A fiber whose recorder begins an attempt and never ends it: the fiber's end does, with this outcome. */
export const watched = {
  dies: { host: "watched-dies.scenario.test", defect: "boom", keys: ["undefined defect"] },
  fails: { host: "watched-fails.scenario.test", error: "no", keys: ["undefined defect"] },
  interrupted: { host: "watched-interrupted.scenario.test", keys: ["undefined interrupted"] },
  ends: { host: "watched-ends.scenario.test", keys: ["undefined interrupted"] }
} as const

/**
 * What a client's telemetry records, as plain data and plain functions: the attribute (and metric label) names,
 * the metrics' names, descriptions and histogram boundaries, the span names, and the rules that turn a request
 * and its outcome into attribute values (`error.type`, the status class, `server.port`). Names follow
 * OpenTelemetry's semantic conventions for HTTP clients where they apply, plus `scenario.*` for the rest. Each
 * binding makes its own metrics and spans from these, so that every line records the same names and values.
 *
 * @since 0.1.0
 */

/**
 * The attribute (and metric label) names.
 *
 * @since 0.1.0
 * @category constants
 */
export const Attributes = {
  operation: "scenario.operation",
  method: "http.request.method",
  statusCode: "http.response.status_code",
  serverAddress: "server.address",
  serverPort: "server.port",
  errorType: "error.type",
  statusClass: "scenario.status_class",
  attempt: "scenario.attempt",
  resendCount: "http.request.resend_count",
  retryReason: "scenario.retry.reason"
} as const

/**
 * The metrics every call records: each one's name and description.
 *
 * | metric                         | kind                     |
 * |--------------------------------|--------------------------|
 * | `scenario.client.requests`     | counter, one per attempt |
 * | `scenario.client.retries`      | counter                  |
 * | `http.client.request.duration` | histogram, seconds       |
 * | `http.client.active_requests`  | up-down counter          |
 *
 * @since 0.1.0
 * @category constants
 */
export const Metrics = {
  requests: {
    name: "scenario.client.requests",
    description: "HTTP requests sent to Scenario's training-images API, one per attempt, by operation and status class"
  },
  retries: {
    name: "scenario.client.retries",
    description: "Attempts that retried a failed request, by operation and the failure retried (its error.type)"
  },
  requestDuration: {
    name: "http.client.request.duration",
    description: "Duration of HTTP requests to Scenario's training-images API, in seconds, one per attempt"
  },
  activeRequests: {
    name: "http.client.active_requests",
    description: "HTTP requests to Scenario's training-images API in flight"
  }
} as const

/**
 * The boundaries of `http.client.request.duration`, in seconds: OpenTelemetry's advised ones.
 *
 * @since 0.1.0
 * @category constants
 */
export const DURATION_BOUNDARIES: ReadonlyArray<number> = [
  0.005,
  0.01,
  0.025,
  0.05,
  0.075,
  0.1,
  0.25,
  0.5,
  0.75,
  1,
  2.5,
  5,
  7.5,
  10,
  30,
  60
]

/**
 * The unit of `http.client.request.duration`, as a label (`unit`, `s`): read by OpenTelemetry exporters as the
 * instrument's unit.
 *
 * @since 0.1.0
 * @category constants
 */
export const DURATION_UNIT = { key: "unit", value: "s" } as const

/**
 * The `error.type` of an attempt cut short by an interruption.
 *
 * @since 0.1.0
 * @category constants
 */
export const INTERRUPTED = "interrupted"

/**
 * The `error.type` of an attempt that ended in a defect (a failure that is no typed error).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFECT = "defect"

/**
 * The status a failure carries, when the server answered (a numeric `status` on it).
 *
 * @since 0.1.0
 * @category getters
 */
export const statusOf = (error: { readonly _tag: string }): number | undefined =>
  "status" in error && typeof error.status === "number" ? error.status : undefined

/**
 * The `error.type` of a failure: the status as text when the server answered (`"429"`, `"503"`), else the
 * error's tag (`"ConnectionError"`, `"TimeoutError"`, `"ResponseDecodeError"`).
 *
 * @since 0.1.0
 * @category getters
 */
export const errorType = (error: { readonly _tag: string }): string => {
  const status = statusOf(error)
  return status === undefined ? error._tag : String(status)
}

/**
 * The `scenario.status_class` of a status: `2xx`, `4xx`, `5xx`, or `none` when no response came.
 *
 * @since 0.1.0
 * @category getters
 */
export const statusClass = (status: number | undefined): string =>
  status === undefined ? "none" : `${Math.floor(status / 100)}xx`

/**
 * The `server.port` of a base URL: its port, or its scheme's default when it names none (443 for https, 80 for
 * http), as OpenTelemetry's HTTP client conventions ask.
 *
 * @since 0.1.0
 * @category getters
 */
export const serverPort = (url: URL): number => url.port !== "" ? Number(url.port) : url.protocol === "http:" ? 80 : 443

/**
 * The name of a call's span: `TrainingImages.<operation>`.
 *
 * @since 0.1.0
 * @category spans
 */
export const callSpanName = (operation: string): string => `TrainingImages.${operation}`

/**
 * The name of an attempt's span (kind client): `<METHOD> <operation>`.
 *
 * @since 0.1.0
 * @category spans
 */
export const attemptSpanName = (method: string, operation: string): string => `${method} ${operation}`

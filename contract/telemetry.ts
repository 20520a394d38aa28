/**
 * The telemetry a call gives, as plain data for both lines: the metrics of a small run (an add, a list that meets
 * a 429 and is retried, a delete of an image that is not there), by series, and the spans of a call retried
 * twice. The runners, which make the run and read the line's metrics and spans:
 * `packages/testing/test/Telemetry.test.ts` (Effect 3) and `packages/effect4/test/testing/Telemetry.test.ts`
 * (Effect 4).
 */

/** The model of every call here. */
export const MODEL = "model_1"

/** One series of a metric: its labels but the server's address, port and method, and its count. */
export type Row = Readonly<Record<string, string | number | undefined>>

const canonical = (row: object) => JSON.stringify(Object.entries(row).sort(([a], [b]) => a.localeCompare(b)))

/** The order rows are compared in (by their labels, whatever their keys' order). */
export const byLabels = (a: object, b: object): number => canonical(a).localeCompare(canonical(b))

/** The rows of each metric, in `byLabels` order. */
export interface Metrics {
  readonly requests: ReadonlyArray<Row>
  readonly retries: ReadonlyArray<Row>
  readonly durations: ReadonlyArray<Row>
  readonly active: ReadonlyArray<Row>
}

/** The names of the metrics `Metrics` holds. */
export const METRIC_NAMES = {
  requests: "scenario.client.requests",
  retries: "scenario.client.retries",
  durations: "http.client.request.duration",
  active: "http.client.active_requests"
} as const

const sorted = (rows: ReadonlyArray<Row>) => [...rows].sort(byLabels)

/** The metrics of the small run, the series counted at 0 left out. */
export const smallRun: Metrics = {
  requests: sorted([
    { "scenario.operation": "add", "scenario.status_class": "2xx", value: 1 },
    { "error.type": "404", "scenario.operation": "delete", "scenario.status_class": "4xx", value: 1 },
    { "error.type": "429", "scenario.operation": "list", "scenario.status_class": "4xx", value: 1 },
    { "scenario.operation": "list", "scenario.status_class": "2xx", value: 1 }
  ]),
  retries: [{ "scenario.operation": "list", "scenario.retry.reason": "429", value: 1 }],
  durations: sorted([
    { "http.response.status_code": "200", "scenario.operation": "add", unit: "s", value: 1 },
    { "error.type": "404", "http.response.status_code": "404", "scenario.operation": "delete", unit: "s", value: 1 },
    { "error.type": "429", "http.response.status_code": "429", "scenario.operation": "list", unit: "s", value: 1 },
    { "http.response.status_code": "200", "scenario.operation": "list", unit: "s", value: 1 }
  ]),
  // Back to zero once every call ended.
  active: []
}

/** The metrics of the small run with the metrics off. */
export const none: Metrics = { requests: [], retries: [], durations: [], active: [] }

/** A `list` on the fake (no port in its base URL) that meets two 503s and succeeds on its third attempt. */
export const retriedList = {
  failures: 2,
  status: 503,
  /** The call's span: its name, kind and attributes (at least these). */
  call: {
    name: "TrainingImages.list",
    kind: "internal",
    attributes: {
      "scenario.operation": "list",
      "http.request.method": "GET",
      "server.address": "api.scenario.test",
      "server.port": 443
    }
  },
  /** The attempts' spans, children of the call's: their name, kind and attributes (exactly these). */
  attempts: {
    name: "GET list",
    kind: "client",
    attributes: [1, 2, 3].map((attempt) => ({
      "scenario.operation": "list",
      "http.request.method": "GET",
      "server.address": "api.scenario.test",
      // The fake's base URL names no port: https's default.
      "server.port": 443,
      "scenario.attempt": attempt,
      "http.request.resend_count": attempt - 1,
      ...(attempt === 1 ? {} : { "scenario.retry.reason": "503" }),
      "http.response.status_code": attempt === 3 ? 200 : 503,
      ...(attempt === 3 ? {} : { "error.type": "503" })
    }))
  }
} as const

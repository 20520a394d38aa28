/**
 * What every call records: Effect `Metric`s and, once a tracer is installed, spans. Names follow
 * OpenTelemetry's semantic conventions for HTTP clients where they apply (`http.request.method`,
 * `http.response.status_code`, `server.address`, `server.port`, `error.type`,
 * `http.client.request.duration`, `http.client.active_requests`), plus `scenario.*` for the rest.
 *
 * | metric                         | kind                     | labels                                                  |
 * |--------------------------------|--------------------------|---------------------------------------------------------|
 * | `scenario.client.requests`     | counter, one per attempt | operation, method, server, `scenario.status_class`, `error.type` |
 * | `scenario.client.retries`      | counter                  | operation, method, server, `scenario.retry.reason`      |
 * | `http.client.request.duration` | histogram, seconds       | operation, method, server, `http.response.status_code`, `error.type` |
 * | `http.client.active_requests`  | up-down counter          | operation, method, server                               |
 *
 * Spans: `TrainingImages.<operation>` for the call, and one `<METHOD> <operation>` (kind client) per
 * attempt below it, with `scenario.attempt`, `http.request.resend_count` and, on a retry,
 * `scenario.retry.reason` (the `error.type` of the failure retried). No header, body, credential or query
 * is ever an attribute. Export both with `@effect/opentelemetry` (see the examples).
 *
 * An attempt cut short by an interruption is counted with `error.type` `"interrupted"` and leaves
 * `http.client.active_requests` by the time the interrupted fiber ends (for a caller that masks the interruption
 * and keeps that fiber running, when it ends). Over this line's Node transport it leaves as the interruption
 * reaches the request: whatever awaits the fiber finds it ended.
 *
 * The metrics live in Effect's metric registry (`Metric.MetricRegistry`, the global one by default) from the
 * first call: a metrics reader sees them whenever it is installed. Attributes set with
 * `Metric.CurrentMetricAttributes` around a call are added to its metrics.
 *
 * @since 0.2.0
 */
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Metric from "effect/Metric"
import * as internal from "./internal/telemetry.js"
import type { Operation, TrainingImagesError } from "./TrainingImagesError.js"

/**
 * The attribute (and metric label) names.
 *
 * @since 0.2.0
 * @category constants
 */
export const Attributes: {
  readonly operation: "scenario.operation"
  readonly method: "http.request.method"
  readonly statusCode: "http.response.status_code"
  readonly serverAddress: "server.address"
  readonly serverPort: "server.port"
  readonly errorType: "error.type"
  readonly statusClass: "scenario.status_class"
  readonly attempt: "scenario.attempt"
  readonly resendCount: "http.request.resend_count"
  readonly retryReason: "scenario.retry.reason"
} = internal.Attributes

/**
 * Requests sent, one per attempt, by operation and status class (`2xx`, `4xx`, `5xx`, or `none` when no
 * response came), with the `error.type` of a failed one.
 *
 * @since 0.2.0
 * @category metrics
 */
export const requests: Metric.Counter<number> = internal.requests

/**
 * Retries, by operation and the `error.type` of the failure retried (`scenario.retry.reason`).
 *
 * @since 0.2.0
 * @category metrics
 */
export const retries: Metric.Counter<number> = internal.retries

/**
 * The time each attempt took, in seconds, by operation, status code and `error.type`.
 *
 * @since 0.2.0
 * @category metrics
 */
export const requestDuration: Metric.Histogram<number> = internal.requestDuration

/**
 * Requests in flight, by operation: an up-down counter.
 *
 * @since 0.2.0
 * @category metrics
 */
export const activeRequests: Metric.Counter<number> = internal.activeRequests

/**
 * The `error.type` of a failure: the status as text when the server answered (`"429"`, `"503"`), else the
 * error's tag (`"ConnectionError"`, `"TimeoutError"`, `"ResponseDecodeError"`).
 *
 * @since 0.2.0
 * @category getters
 */
export const errorType: (error: TrainingImagesError) => string = internal.errorType

/**
 * What a call's metrics and spans say about its request.
 *
 * @since 0.2.0
 * @category models
 */
export interface RequestInfo {
  readonly operation: Operation
  readonly method: string
  /** The API's host name (`server.address`). */
  readonly serverAddress: string
  readonly serverPort?: number | undefined
  /** More span attributes (ids, never secrets); not metric labels, to keep their number small. */
  readonly attributes?: Readonly<Record<string, string>> | undefined
}

/**
 * The `server.port` of a base URL: its port, or its scheme's default when it names none (443 for https, 80 for
 * http), as OpenTelemetry's HTTP client conventions ask. For a `RequestInfo` built by another implementation of
 * the service (the in-memory fake uses it).
 *
 * @since 0.2.0
 * @category attributes
 */
export const serverPort: (url: URL) => number = internal.serverPort

/**
 * Instruments one call: `attempt` sends one request (reporting the status it got through `observe`), `loop`
 * runs the attempts (`RetryPolicy.retry`). Each attempt updates the metrics above and, under a tracer that
 * records spans, gets its span below the call's. Every implementation of the service goes through it, so
 * the in-memory fake records what the HTTP client records.
 *
 * @since 0.2.0
 * @category combinators
 */
export const instrument: <A, E extends TrainingImagesError, R>(
  info: RequestInfo,
  attempt: (observe: (status: number) => void) => Effect.Effect<A, E, R>,
  loop: (attempt: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
) => Effect.Effect<A, E, R> = internal.instrument

/**
 * Turns the metrics of the calls made in `self` off (or back on); they are on by default. Spans are not
 * affected: they are made only under a tracer that records them. With the metrics off and no such tracer, a
 * call costs what it did before it had any telemetry.
 *
 * @example
 * ```ts
 * import { Telemetry, TrainingImages } from "@effect-scenario/effect4"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const images = yield* TrainingImages.TrainingImages
 *   return yield* images.list({ modelId: "model_123" })
 * }).pipe(Telemetry.withMetricsEnabled(false))
 * ```
 *
 * @since 0.2.0
 * @category combinators
 */
export const withMetricsEnabled: {
  (enabled: boolean): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, enabled: boolean): Effect.Effect<A, E, R>
} = internal.withMetricsEnabled

/**
 * `withMetricsEnabled` for everything a layer built with it runs: provide it with the client's layer (or to a
 * `ManagedRuntime`) to turn the metrics off for every call.
 *
 * @example
 * ```ts
 * import { Telemetry } from "@effect-scenario/effect4"
 * import { NodeTrainingImages } from "@effect-scenario/effect4/node"
 * import { Layer } from "effect"
 *
 * const ImagesWithoutMetrics = Layer.merge(NodeTrainingImages.layerConfig(), Telemetry.layerMetricsEnabled(false))
 * ```
 *
 * @since 0.2.0
 * @category layers
 */
export const layerMetricsEnabled: (enabled: boolean) => Layer.Layer<never> = internal.layerMetricsEnabled

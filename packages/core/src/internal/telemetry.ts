import * as Arr from "effect/Array"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberRef from "effect/FiberRef"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"
import * as Tracer from "effect/Tracer"
import type * as Telemetry from "../Telemetry.js"
import type { TrainingImagesError } from "../TrainingImagesError.js"

/** @internal */
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

/** @internal */
export const requests = Metric.counter("scenario.client.requests", {
  description: "HTTP requests sent to Scenario's training-images API, one per attempt, by operation and status class",
  incremental: true
})

/** @internal */
export const retries = Metric.counter("scenario.client.retries", {
  description: "Attempts that retried a failed request, by operation and the failure retried (its error.type)",
  incremental: true
})

// OpenTelemetry's advised boundaries for `http.client.request.duration`, in seconds.
const DURATION_BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60]

/** @internal */
export const requestDuration = Metric.histogram(
  "http.client.request.duration",
  MetricBoundaries.fromIterable(DURATION_BOUNDARIES),
  "Duration of HTTP requests to Scenario's training-images API, in seconds, one per attempt"
)

/** @internal */
export const activeRequests = Metric.counter("http.client.active_requests", {
  description: "HTTP requests to Scenario's training-images API in flight"
})

/** @internal */
export const errorType = (error: TrainingImagesError): string =>
  "status" in error && typeof error.status === "number" ? String(error.status) : error._tag

/** @internal */
export const statusClass = (status: number | undefined): string =>
  status === undefined ? "none" : `${Math.floor(status / 100)}xx`

const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

// Label sets are built once per combination and then reused as the same array: Effect's metrics find their
// hook for a given array in a WeakMap, so an update costs a lookup, not a key hashed and a registry visited.
const labelCache = new Map<string, ReadonlyArray<MetricLabel.MetricLabel>>()

const labels = (
  pairs: ReadonlyArray<readonly [string, string | undefined]>
): ReadonlyArray<MetricLabel.MetricLabel> => {
  let key = ""
  for (const [name, value] of pairs) if (value !== undefined) key += `${name}\u0000${value}\u0001`
  let cached = labelCache.get(key)
  if (cached === undefined) {
    cached = pairs.flatMap(([name, value]) => value === undefined ? [] : [MetricLabel.make(name, value)])
    // Bounded by operations × methods × servers × statuses × error types; a cap keeps a pathological server
    // (a new status each time) from growing it without end.
    if (labelCache.size < 10_000) labelCache.set(key, cached)
  }
  return cached
}

/** @internal */
export const instrument = <A, E extends TrainingImagesError, R>(
  info: Telemetry.RequestInfo,
  attempt: (observe: (status: number) => void) => Effect.Effect<A, E, R>,
  loop: (attempt: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) => {
    const ambient = fiber.getFiberRef(FiberRef.currentMetricLabels)
    const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
    // Effect's built-in tracer keeps its spans nowhere: under it spans are pure cost, so they are made only
    // once a tracer that records them is installed.
    const traced = fiber.currentTracer !== nativeTracer
    const port = info.serverPort === undefined ? undefined : String(info.serverPort)
    const base: ReadonlyArray<readonly [string, string | undefined]> = [
      [Attributes.operation, info.operation],
      [Attributes.method, info.method],
      [Attributes.serverAddress, info.serverAddress],
      [Attributes.serverPort, port]
    ]
    const withAmbient = (set: ReadonlyArray<MetricLabel.MetricLabel>) =>
      ambient.length === 0 ? set : Arr.union(ambient, set)
    const activeLabels = withAmbient(labels(base))
    let attempts = 0
    let lastError: string | undefined = undefined

    const observed = Effect.suspend(() => {
      const number = ++attempts
      const reason = lastError
      if (number > 1) {
        retries.unsafeUpdate(1, withAmbient(labels([...base, [Attributes.retryReason, reason]])))
      }
      let status: number | undefined = undefined
      const start = clock.unsafeCurrentTimeNanos()
      activeRequests.unsafeUpdate(1, activeLabels)
      const measured = (span: Tracer.Span | undefined) =>
        Effect.onExit(attempt((s) => status = s), (exit) =>
          Effect.sync(() => {
            activeRequests.unsafeUpdate(-1, activeLabels)
            let error: string | undefined = undefined
            if (Exit.isFailure(exit)) {
              const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
              if (failure !== undefined) {
                error = errorType(failure)
                if (status === undefined && "status" in failure && typeof failure.status === "number") {
                  status = failure.status
                }
              } else {
                error = Exit.isInterrupted(exit) ? "interrupted" : "defect"
              }
              lastError = error
            }
            const statusCode = status === undefined ? undefined : String(status)
            requests.unsafeUpdate(
              1,
              withAmbient(
                labels([...base, [Attributes.statusClass, statusClass(status)], [Attributes.errorType, error]])
              )
            )
            requestDuration.unsafeUpdate(
              Number(clock.unsafeCurrentTimeNanos() - start) / 1e9,
              withAmbient(labels([...base, [Attributes.statusCode, statusCode], [Attributes.errorType, error]]))
            )
            if (span !== undefined) {
              if (status !== undefined) span.attribute(Attributes.statusCode, status)
              if (error !== undefined) span.attribute(Attributes.errorType, error)
            }
          }))
      if (!traced) return measured(undefined)
      return Effect.useSpan(`${info.method} ${info.operation}`, {
        kind: "client",
        captureStackTrace: false,
        attributes: {
          ...info.attributes,
          [Attributes.operation]: info.operation,
          [Attributes.method]: info.method,
          [Attributes.serverAddress]: info.serverAddress,
          ...(info.serverPort === undefined ? {} : { [Attributes.serverPort]: info.serverPort }),
          [Attributes.attempt]: number,
          [Attributes.resendCount]: number - 1,
          ...(reason === undefined ? {} : { [Attributes.retryReason]: reason })
        }
      }, (span) => Effect.withParentSpan(measured(span), span))
    })

    const call = loop(observed)
    if (!traced) return call
    return Effect.withSpan(call, `TrainingImages.${info.operation}`, {
      kind: "internal",
      captureStackTrace: false,
      attributes: {
        ...info.attributes,
        [Attributes.operation]: info.operation,
        [Attributes.method]: info.method,
        [Attributes.serverAddress]: info.serverAddress,
        ...(info.serverPort === undefined ? {} : { [Attributes.serverPort]: info.serverPort })
      }
    })
  })

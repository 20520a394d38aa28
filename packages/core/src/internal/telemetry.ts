import * as Rules from "@effect-scenario/kernel/Telemetry"
import * as Arr from "effect/Array"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import { globalValue } from "effect/GlobalValue"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"
import * as Tracer from "effect/Tracer"
import type * as Telemetry from "../Telemetry.js"
import type { TrainingImagesError } from "../TrainingImagesError.js"

/** @internal */
export const Attributes = Rules.Attributes

/** @internal */
export const requests = Metric.counter(Rules.Metrics.requests.name, {
  description: Rules.Metrics.requests.description,
  incremental: true
})

/** @internal */
export const retries = Metric.counter(Rules.Metrics.retries.name, {
  description: Rules.Metrics.retries.description,
  incremental: true
})

/** @internal */
export const requestDuration = Metric.histogram(
  Rules.Metrics.requestDuration.name,
  MetricBoundaries.fromIterable(Rules.DURATION_BOUNDARIES),
  Rules.Metrics.requestDuration.description
)

/** @internal */
export const activeRequests = Metric.counter(Rules.Metrics.activeRequests.name, {
  description: Rules.Metrics.activeRequests.description
})

/** @internal */
export const currentMetricsEnabled = globalValue(
  // Stryker disable next-line StringLiteral: equivalent, any key unique among global values
  "@effect-scenario/core/Telemetry/currentMetricsEnabled",
  () => FiberRef.unsafeMake(true)
)

/** @internal */
export const errorType: (error: TrainingImagesError) => string = Rules.errorType

/** @internal */
export const statusClass = Rules.statusClass

/** @internal */
export const serverPort = Rules.serverPort

const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

// Label sets are built once and then reused as the same array: Effect's metrics find their hook for a given
// array in a WeakMap, so an update costs a lookup, not a key hashed and a registry visited. They are kept per
// series (operation, method, server), then by outcome.
/** @internal */
export interface Series {
  readonly base: ReadonlyArray<MetricLabel.MetricLabel>
  readonly outcomes: Map<
    string,
    readonly [ReadonlyArray<MetricLabel.MetricLabel>, ReadonlyArray<MetricLabel.MetricLabel>]
  >
  readonly retries: Map<string, ReadonlyArray<MetricLabel.MetricLabel>>
  /** The outcomes of the attempts that succeeded, by status: found without a key to build. */
  readonly succeeded: Map<
    number,
    readonly [ReadonlyArray<MetricLabel.MetricLabel>, ReadonlyArray<MetricLabel.MetricLabel>]
  >
}

// Bounded by operations × methods × servers, and per series by statuses × error types; the caps keep a
// pathological server (a new status each time) from growing them without end.
const MAX_ENTRIES = 1_000
const seriesCache = new Map<string, Series>()

/** @internal */
export const seriesOf = (info: Telemetry.RequestInfo): Series => {
  const key = `${info.operation} ${info.method} ${info.serverAddress} ${info.serverPort}`
  let series = seriesCache.get(key)
  if (series === undefined) {
    const base = [
      MetricLabel.make(Attributes.operation, info.operation),
      MetricLabel.make(Attributes.method, info.method),
      MetricLabel.make(Attributes.serverAddress, info.serverAddress),
      ...(info.serverPort === undefined ? [] : [MetricLabel.make(Attributes.serverPort, String(info.serverPort))])
    ]
    series = { base, outcomes: new Map(), retries: new Map(), succeeded: new Map() }
    if (seriesCache.size < MAX_ENTRIES) seriesCache.set(key, series)
  }
  return series
}

const UNIT = MetricLabel.make(Rules.DURATION_UNIT.key, Rules.DURATION_UNIT.value)

// The labels of `scenario.client.requests` and of `http.client.request.duration` for one outcome.
const outcomeLabels = (series: Series, status: number | undefined, error: string | undefined) => {
  if (error === undefined && status !== undefined) {
    let labels = series.succeeded.get(status)
    if (labels === undefined) {
      labels = makeOutcomeLabels(series, status, error)
      if (series.succeeded.size < MAX_ENTRIES) series.succeeded.set(status, labels)
    }
    return labels
  }
  const key = `${status} ${error}`
  let labels = series.outcomes.get(key)
  if (labels === undefined) {
    labels = makeOutcomeLabels(series, status, error)
    if (series.outcomes.size < MAX_ENTRIES) series.outcomes.set(key, labels)
  }
  return labels
}

const makeOutcomeLabels = (
  series: Series,
  status: number | undefined,
  error: string | undefined
): readonly [ReadonlyArray<MetricLabel.MetricLabel>, ReadonlyArray<MetricLabel.MetricLabel>] => {
  const errorLabel = error === undefined ? [] : [MetricLabel.make(Attributes.errorType, error)]
  return [
    [...series.base, MetricLabel.make(Attributes.statusClass, statusClass(status)), ...errorLabel],
    [
      ...series.base,
      ...(status === undefined ? [] : [MetricLabel.make(Attributes.statusCode, String(status))]),
      ...errorLabel,
      // Read by `@effect/opentelemetry` as the instrument's unit.
      UNIT
    ]
  ]
}

const retryLabels = (series: Series, reason: string) => {
  let labels = series.retries.get(reason)
  if (labels === undefined) {
    labels = [...series.base, MetricLabel.make(Attributes.retryReason, reason)]
    if (series.retries.size < MAX_ENTRIES) series.retries.set(reason, labels)
  }
  return labels
}

const spanAttributes = (info: Telemetry.RequestInfo): Record<string, unknown> => ({
  ...info.attributes,
  [Attributes.operation]: info.operation,
  [Attributes.method]: info.method,
  [Attributes.serverAddress]: info.serverAddress,
  ...(info.serverPort === undefined ? {} : { [Attributes.serverPort]: info.serverPort })
})

/**
 * The metrics of one call's attempts: set up once per call (series, ambient labels, clock), then `begin` and
 * `end` around each attempt. A class rather than closures so that an attempt allocates nothing of its own.
 *
 * @internal
 */
export class Recorder {
  /** The attempt in flight, or the last one. */
  attempts = 0
  /** The `error.type` of the last failed attempt: the reason of the next one. */
  lastError: string | undefined = undefined
  /** The status of the attempt in flight, once its response head arrived. */
  status: number | undefined = undefined
  private inFlight = false
  /** When the attempt in flight began, in milliseconds. */
  private start = 0
  private readonly activeLabels: ReadonlyArray<MetricLabel.MetricLabel>
  /** The fiber whose end ends an attempt still in flight (see `watch`), while one is. */
  private watched: Fiber.RuntimeFiber<unknown, unknown> | undefined = undefined
  private watching = false

  constructor(
    readonly series: Series,
    // Labels set around the call with `Effect.tagMetrics` join every label set (a new array each time: the
    // slower path, taken only when there are some).
    private readonly ambient: ReadonlyArray<MetricLabel.MetricLabel>,
    // The clock attempts are timed by; `undefined` for the live clock, read directly (no bigint per reading).
    private readonly clock: Clock.Clock | undefined,
    // Whether the metrics are updated: when not, the recorder only follows the attempts (for the spans).
    private readonly metrics: boolean
  ) {
    this.activeLabels = this.withAmbient(series.base)
  }

  private withAmbient(set: ReadonlyArray<MetricLabel.MetricLabel>): ReadonlyArray<MetricLabel.MetricLabel> {
    // Stryker disable next-line ConditionalExpression: equivalent, the union of no ambient labels and `set` holds the labels of `set`: the test only skips building a new array
    return this.ambient.length === 0 ? set : Arr.union(this.ambient, set)
  }

  private now(): number {
    return this.clock === undefined ? performance.now() : Number(this.clock.unsafeCurrentTimeNanos()) / 1e6
  }

  /**
   * Ends an attempt cut short by the interruption of `fiber` (which runs the call) when the fiber ends: an
   * interruption unwinds the call past the attempt's own continuation, and a mask around every call to catch it
   * would cost more than the metrics themselves. Observing the fiber costs an entry in its list of observers
   * while an attempt is in flight. (An interruption cannot end an attempt but leave its fiber running, unless
   * the caller masks it and goes on; then the attempt ends when the fiber does.)
   */
  watch(fiber: Fiber.RuntimeFiber<unknown, unknown>): this {
    this.watched = fiber
    return this
  }

  private readonly cutShort = (exit: Exit.Exit<unknown, unknown>): void => {
    // Called as the fiber ends: it drops its observers itself.
    // Stryker disable next-line BooleanLiteral: equivalent, `end` would then remove the observer from a fiber that already dropped it, which changes nothing
    this.watching = false
    this.end(exit._tag === "Failure" && !Cause.isInterrupted(exit.cause) ? Rules.DEFECT : Rules.INTERRUPTED)
  }

  begin(): void {
    this.attempts++
    this.status = undefined
    this.inFlight = true
    if (!this.metrics) return
    if (this.watched !== undefined) {
      this.watching = true
      this.watched.addObserver(this.cutShort)
    }
    if (this.lastError !== undefined) {
      retries.unsafeUpdate(1, this.withAmbient(retryLabels(this.series, this.lastError)))
    }
    this.start = this.now()
    activeRequests.unsafeUpdate(1, this.activeLabels)
  }

  /** Ends the attempt in flight (if any) with its outcome: `error` is its `error.type`, absent on success. */
  end(error: string | undefined, failure?: TrainingImagesError): void {
    if (!this.inFlight) return
    this.inFlight = false
    if (this.watching) {
      // Stryker disable next-line BooleanLiteral: equivalent, `watching` is read only by `end`, and every `begin` of a watched recorder sets it again before
      this.watching = false
      this.watched!.removeObserver(this.cutShort)
    }
    // Stryker disable next-line ConditionalExpression: equivalent, a success ends a call's attempts: the `lastError` it would clear is never read again
    if (error !== undefined) {
      this.lastError = error
      if (this.status === undefined && failure !== undefined) this.status = Rules.statusOf(failure)
    }
    if (!this.metrics) return
    activeRequests.unsafeUpdate(-1, this.activeLabels)
    const [requestLabels, durationLabels] = outcomeLabels(this.series, this.status, error)
    requests.unsafeUpdate(1, this.withAmbient(requestLabels))
    requestDuration.unsafeUpdate((this.now() - this.start) / 1000, this.withAmbient(durationLabels))
  }

  /** Ends the attempt in flight with a typed failure. */
  fail(failure: TrainingImagesError): void {
    this.end(errorType(failure), failure)
  }

  /** Ends the attempt in flight with a cause holding no typed failure. */
  failCause(cause: Cause.Cause<unknown>): void {
    this.end(Cause.isInterrupted(cause) ? Rules.INTERRUPTED : Rules.DEFECT)
  }

  /** Ends the attempt in flight with `cause`'s typed failure, if it has one. */
  failWith(cause: Cause.Cause<TrainingImagesError>): void {
    const failure = Cause.failureOrCause(cause)
    if (failure._tag === "Left") this.fail(failure.left)
    else this.failCause(cause)
  }

  /** Ends the attempt in flight as its exit says. */
  exit(exit: Exit.Exit<unknown, TrainingImagesError>): void {
    if (exit._tag === "Success") this.end(undefined)
    else if (exit.cause._tag === "Fail") this.fail(exit.cause.error)
    else this.failCause(exit.cause)
  }
}

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

/**
 * Whether the metrics are updated on `fiber` (`Telemetry.withMetricsEnabled`).
 *
 * @internal
 */
export const metricsEnabled = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean =>
  fiber.getFiberRef(currentMetricsEnabled)

/**
 * The recorder of a call made on `fiber`; `series` from `seriesOf`, which a caller may keep; `metrics` when
 * the caller already read `metricsEnabled`.
 *
 * @internal
 */
export const recorder = (
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  series: Series,
  metrics: boolean = metricsEnabled(fiber)
): Recorder => {
  const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
  return new Recorder(
    series,
    fiber.getFiberRef(FiberRef.currentMetricLabels),
    // Stryker disable next-line ConditionalExpression: equivalent, the live clock read through the service times an attempt as `performance.now()` does (a difference of two readings); the test only avoids a bigint per reading
    clock === liveClock ? undefined : clock,
    metrics
  )
}

/**
 * A recorder that records nothing, for calls made with the metrics off and no tracer: shared by them all
 * (what it follows of the attempts is read only for spans).
 *
 * @internal
 */
export const unrecorded: Recorder = new Recorder(
  // Stryker disable next-line ObjectLiteral,ArrayDeclaration: equivalent, no attempt ever begins on this recorder (the bare path never calls `begin`, so `end` returns at once): its series is never read
  { base: [], outcomes: new Map(), retries: new Map(), succeeded: new Map() },
  // Stryker disable next-line ArrayDeclaration: equivalent, no attempt ever begins on this recorder: its ambient labels are never read
  [],
  undefined,
  // Stryker disable next-line BooleanLiteral: equivalent, no attempt ever begins on this recorder, so no metric is updated whatever this says
  false
)

/** @internal */
export const withMetricsEnabled = dual<
  (enabled: boolean) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
  <A, E, R>(self: Effect.Effect<A, E, R>, enabled: boolean) => Effect.Effect<A, E, R>
>(2, (self, enabled) => Effect.locally(self, currentMetricsEnabled, enabled))

/** @internal */
export const layerMetricsEnabled = (enabled: boolean): Layer.Layer<never> =>
  Layer.scopedDiscard(Effect.locallyScoped(currentMetricsEnabled, enabled))

/**
 * Whether spans are made on `fiber`: Effect's built-in tracer keeps its spans nowhere, so under it spans are
 * pure cost, made only once a tracer that records them is installed.
 *
 * @internal
 */
export const isTraced = (fiber: Fiber.RuntimeFiber<unknown, unknown>): boolean => fiber.currentTracer !== nativeTracer

/** @internal */
export const instrument = <A, E extends TrainingImagesError, R>(
  info: Telemetry.RequestInfo,
  attempt: (observe: (status: number) => void) => Effect.Effect<A, E, R>,
  loop: (attempt: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  instrumentWith(info, (record) =>
    attempt((status) => {
      record.status = status
    }), loop)

/**
 * `instrument`, with each attempt given the call's recorder: an attempt may end its own metrics (`end` and
 * friends), the exit of the attempt ends them otherwise.
 *
 * @internal
 */
export const instrumentWith = <A, E extends TrainingImagesError, R>(
  info: Telemetry.RequestInfo,
  attempt: (record: Recorder) => Effect.Effect<A, E, R>,
  loop: (attempt: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.withFiberRuntime((fiber) => {
    const traced = isTraced(fiber)
    const record = recorder(fiber, seriesOf(info))

    const observed = Effect.suspend(() => {
      const reason = record.lastError
      record.begin()
      const number = record.attempts
      const measured = (span: Tracer.Span | undefined) =>
        Effect.onExit(attempt(record), (exit) => {
          record.exit(exit)
          if (span !== undefined) {
            if (record.status !== undefined) span.attribute(Attributes.statusCode, record.status)
            if (exit._tag === "Failure") span.attribute(Attributes.errorType, record.lastError)
          }
          return Effect.void
        })
      if (!traced) return measured(undefined)
      return Effect.useSpan(Rules.attemptSpanName(info.method, info.operation), {
        kind: "client",
        captureStackTrace: false,
        attributes: {
          ...spanAttributes(info),
          [Attributes.attempt]: number,
          [Attributes.resendCount]: number - 1,
          ...(reason === undefined ? {} : { [Attributes.retryReason]: reason })
        }
      }, (span) => Effect.withParentSpan(measured(span), span))
    })

    const call = loop(observed)
    if (!traced) return call
    return Effect.withSpan(call, Rules.callSpanName(info.operation), {
      kind: "internal",
      captureStackTrace: false,
      attributes: spanAttributes(info)
    })
  })

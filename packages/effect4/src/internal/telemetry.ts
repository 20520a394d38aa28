import * as Rules from "@effect-scenario/kernel/Telemetry"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import type * as Exit from "effect/Exit"
import type * as Fiber from "effect/Fiber"
import { dual } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as Tracer from "effect/Tracer"
import type * as Telemetry from "../Telemetry.js"
import type { TrainingImagesError } from "../TrainingImagesError.js"

/** @internal */
export const Attributes = Rules.Attributes

/** @internal */
export const requests: Metric.Counter<number> = Metric.counter(Rules.Metrics.requests.name, {
  description: Rules.Metrics.requests.description,
  incremental: true
})

/** @internal */
export const retries: Metric.Counter<number> = Metric.counter(Rules.Metrics.retries.name, {
  description: Rules.Metrics.retries.description,
  incremental: true
})

/** @internal */
export const requestDuration: Metric.Histogram<number> = Metric.histogram(Rules.Metrics.requestDuration.name, {
  description: Rules.Metrics.requestDuration.description,
  boundaries: Rules.DURATION_BOUNDARIES
})

/** @internal */
export const activeRequests: Metric.Counter<number> = Metric.counter(Rules.Metrics.activeRequests.name, {
  description: Rules.Metrics.activeRequests.description
})

/** @internal */
export const currentMetricsEnabled: Context.Reference<boolean> = Context.Reference<boolean>(
  // Stryker disable next-line StringLiteral: equivalent, any key unique among references
  "@effect-scenario/effect4/Telemetry/currentMetricsEnabled",
  { defaultValue: () => true }
)

/** @internal */
export const errorType: (error: TrainingImagesError) => string = Rules.errorType

/** @internal */
export const statusClass = Rules.statusClass

/** @internal */
export const serverPort = Rules.serverPort

type Attrs = Readonly<Record<string, string>>

const counterWith = (metric: typeof requests, attributes: Attrs): Metric.Counter<number> =>
  Metric.counter(metric.id, { description: metric.description, incremental: true, attributes })

// Each label set is a metric of its own, made once and then reused: Effect's metrics cache the key of their
// series on the metric (as long as the ambient attributes stay the same object), so an update costs a lookup
// in the registry, not a key built and sorted. They are kept per series (operation, method, server), then by
// outcome.
/** @internal */
export interface Series {
  readonly base: Attrs
  /** `http.client.active_requests` of the series. */
  readonly active: Metric.Counter<number>
  readonly outcomes: Map<string, Outcome>
  readonly retries: Map<string, Metric.Counter<number>>
  /** The outcomes of the attempts that succeeded, by status: found without a key to build. */
  readonly succeeded: Map<number, Outcome>
}

/** The metrics of one outcome: `scenario.client.requests` and `http.client.request.duration`. @internal */
export type Outcome = readonly [Metric.Counter<number>, Metric.Histogram<number>]

// Bounded by operations × methods × servers, and per series by statuses × error types; the caps keep a
// pathological server (a new status each time) from growing them without end.
const MAX_ENTRIES = 1_000
const seriesCache = new Map<string, Series>()

const makeSeries = (base: Attrs): Series => ({
  base,
  active: Metric.counter(activeRequests.id, { description: activeRequests.description, attributes: base }),
  outcomes: new Map(),
  retries: new Map(),
  succeeded: new Map()
})

/** @internal */
export const seriesOf = (info: Telemetry.RequestInfo): Series => {
  const key = `${info.operation} ${info.method} ${info.serverAddress} ${info.serverPort}`
  let series = seriesCache.get(key)
  if (series === undefined) {
    series = makeSeries({
      [Attributes.operation]: info.operation,
      [Attributes.method]: info.method,
      [Attributes.serverAddress]: info.serverAddress,
      ...(info.serverPort === undefined ? {} : { [Attributes.serverPort]: String(info.serverPort) })
    })
    if (seriesCache.size < MAX_ENTRIES) seriesCache.set(key, series)
  }
  return series
}

// The metrics of `scenario.client.requests` and of `http.client.request.duration` for one outcome.
const outcomeOf = (series: Series, status: number | undefined, error: string | undefined): Outcome => {
  if (error === undefined && status !== undefined) {
    let outcome = series.succeeded.get(status)
    if (outcome === undefined) {
      outcome = makeOutcome(series, status, error)
      if (series.succeeded.size < MAX_ENTRIES) series.succeeded.set(status, outcome)
    }
    return outcome
  }
  const key = `${status} ${error}`
  let outcome = series.outcomes.get(key)
  if (outcome === undefined) {
    outcome = makeOutcome(series, status, error)
    if (series.outcomes.size < MAX_ENTRIES) series.outcomes.set(key, outcome)
  }
  return outcome
}

const makeOutcome = (series: Series, status: number | undefined, error: string | undefined): Outcome => {
  const errorLabel = error === undefined ? {} : { [Attributes.errorType]: error }
  return [
    counterWith(requests, { ...series.base, [Attributes.statusClass]: statusClass(status), ...errorLabel }),
    Metric.histogram(requestDuration.id, {
      description: requestDuration.description,
      boundaries: Rules.DURATION_BOUNDARIES,
      attributes: {
        ...series.base,
        ...(status === undefined ? {} : { [Attributes.statusCode]: String(status) }),
        ...errorLabel,
        // Read by OpenTelemetry exporters as the instrument's unit.
        [Rules.DURATION_UNIT.key]: Rules.DURATION_UNIT.value
      }
    })
  ]
}

const retryOf = (series: Series, reason: string): Metric.Counter<number> => {
  let metric = series.retries.get(reason)
  if (metric === undefined) {
    metric = counterWith(retries, { ...series.base, [Attributes.retryReason]: reason })
    if (series.retries.size < MAX_ENTRIES) series.retries.set(reason, metric)
  }
  return metric
}

const spanAttributes = (info: Telemetry.RequestInfo): Record<string, unknown> => ({
  ...info.attributes,
  [Attributes.operation]: info.operation,
  [Attributes.method]: info.method,
  [Attributes.serverAddress]: info.serverAddress,
  ...(info.serverPort === undefined ? {} : { [Attributes.serverPort]: info.serverPort })
})

/**
 * The metrics of one call's attempts: set up once per call (series, context, clock), then `begin` and `end`
 * around each attempt. A class rather than closures so that an attempt allocates nothing of its own.
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
  /** The fiber whose end ends an attempt still in flight (see `watch`), while one is. */
  private watched: Fiber.Fiber<unknown, unknown> | undefined = undefined
  /** Removes the observer `watch` put on the fiber, while it is there. */
  private unwatch: (() => void) | undefined = undefined

  constructor(
    readonly series: Series,
    // The context the metrics are updated in (`metricsContextOf`): its registry, and the attributes set around
    // the call with `Metric.CurrentMetricAttributes` (Effect's metrics add them to every series).
    private readonly context: Context.Context<never>,
    // The clock attempts are timed by; `undefined` for the live clock, read directly.
    private readonly clock: Clock.Clock | undefined,
    // Whether the metrics are updated: when not, the recorder only follows the attempts (for the spans).
    private readonly metrics: boolean
  ) {}

  private now(): number {
    return this.clock === undefined ? performance.now() : this.clock.currentTimeMillisUnsafe()
  }

  /**
   * Ends an attempt cut short by the interruption of `fiber` (which runs the call) when the fiber ends: an
   * interruption unwinds the call past the attempt's own continuation, and a mask around every call to catch it
   * would cost more than the metrics themselves. Observing the fiber costs an entry in its list of observers
   * while an attempt is in flight. (An interruption cannot end an attempt but leave its fiber running, unless
   * the caller masks it and goes on; then the attempt ends when the fiber does.)
   */
  watch(fiber: Fiber.Fiber<unknown, unknown>): this {
    this.watched = fiber
    return this
  }

  private readonly cutShort = (exit: Exit.Exit<unknown, unknown>): void => {
    // Called as the fiber ends: it drops its observers itself.
    this.unwatch = undefined
    this.end(exit._tag === "Failure" && !Cause.hasInterrupts(exit.cause) ? Rules.DEFECT : Rules.INTERRUPTED)
  }

  begin(): void {
    this.attempts++
    this.status = undefined
    this.inFlight = true
    if (!this.metrics) return
    if (this.watched !== undefined) this.unwatch = this.watched.addObserver(this.cutShort)
    if (this.lastError !== undefined) retryOf(this.series, this.lastError).updateUnsafe(1, this.context)
    this.start = this.now()
    this.series.active.updateUnsafe(1, this.context)
  }

  /** Ends the attempt in flight (if any) with its outcome: `error` is its `error.type`, absent on success. */
  end(error: string | undefined, failure?: TrainingImagesError): void {
    if (!this.inFlight) return
    this.inFlight = false
    if (this.unwatch !== undefined) {
      const unwatch = this.unwatch
      this.unwatch = undefined
      unwatch()
    }
    if (error !== undefined) {
      this.lastError = error
      if (this.status === undefined && failure !== undefined) this.status = Rules.statusOf(failure)
    }
    if (!this.metrics) return
    this.series.active.updateUnsafe(-1, this.context)
    const [requestsOf, durationOf] = outcomeOf(this.series, this.status, error)
    requestsOf.updateUnsafe(1, this.context)
    durationOf.updateUnsafe((this.now() - this.start) / 1000, this.context)
  }

  /**
   * Ends the attempt in flight as interrupted. A transport that knows when the fiber waiting on it is interrupted
   * calls it (`executeWithTimeout`'s `attempt`) while that fiber unwinds: the observer `watch` puts on the fiber
   * runs only as the fiber ends, after any fiber that began awaiting it before the attempt began has resumed and
   * could read the attempt still in flight.
   */
  interrupted(): void {
    this.end(Rules.INTERRUPTED)
  }

  /** Ends the attempt in flight with a typed failure. */
  fail(failure: TrainingImagesError): void {
    this.end(errorType(failure), failure)
  }

  /** Ends the attempt in flight with a cause holding no typed failure. */
  failCause(cause: Cause.Cause<unknown>): void {
    this.end(Cause.hasInterrupts(cause) ? Rules.INTERRUPTED : Rules.DEFECT)
  }

  /** Ends the attempt in flight with `cause`'s typed failure, if it has one. */
  failWith(cause: Cause.Cause<TrainingImagesError>): void {
    const failure = Cause.findError(cause)
    if (failure._tag === "Success") this.fail(failure.success)
    else this.failCause(cause)
  }

  /** Ends the attempt in flight as its exit says. */
  exit(exit: Exit.Exit<unknown, TrainingImagesError>): void {
    if (exit._tag === "Success") this.end(undefined)
    else this.failWith(exit.cause)
  }
}

// The live clock: the default value of the `Clock` reference, which every context without a clock of its own
// gives (Effect keeps one default value per reference).
const liveClock = Context.get(Context.empty(), Clock.Clock)

/**
 * Whether the metrics are updated on `fiber` (`Telemetry.withMetricsEnabled`).
 *
 * @internal
 */
export const metricsEnabled = (fiber: Fiber.Fiber<unknown, unknown>): boolean => fiber.getRef(currentMetricsEnabled)

/**
 * The clock of `fiber`, or `undefined` when it is the live one.
 *
 * @internal
 */
export const clockOf = (fiber: Fiber.Fiber<unknown, unknown>): Clock.Clock | undefined => {
  const clock = fiber.getRef(Clock.Clock)
  return clock === liveClock ? undefined : clock
}

// Effect's metrics read two things of the context they are updated in: their registry
// (`Metric.MetricRegistry`) and the attributes set around the call (`Metric.CurrentMetricAttributes`). Both are
// references most contexts leave at their default, and a fiber's context is deep (the runtime's services,
// what is provided around the call): each read misses it, a walk and two map lookups, twice per update and four
// updates per attempt. A context of just those two values answers each read at once; it is made once and reused
// while a call finds the same two values as the last call that made one (the default registry, no attributes:
// the same objects every call).
let lastMetricsContext:
  | {
    readonly registry: Metric.MetricRegistry
    readonly attributes: Metric.Metric.AttributeSet
    readonly context: Context.Context<never>
  }
  | undefined

/**
 * The context the metrics of a call made on `fiber` are updated in: its metric registry and ambient attributes,
 * nothing else.
 *
 * @internal
 */
export const metricsContextOf = (fiber: Fiber.Fiber<unknown, unknown>): Context.Context<never> => {
  const registry = fiber.getRef(Metric.MetricRegistry)
  const attributes = fiber.getRef(Metric.CurrentMetricAttributes)
  const last = lastMetricsContext
  if (last !== undefined && last.registry === registry && last.attributes === attributes) return last.context
  const context = Context.makeUnsafe<never>(
    new Map<string, unknown>([[Metric.MetricRegistry.key, registry], [Metric.CurrentMetricAttributes.key, attributes]])
  )
  lastMetricsContext = { registry, attributes, context }
  return context
}

/**
 * The recorder of a call made on `fiber`; `series` from `seriesOf`, which a caller may keep; `metrics` when
 * the caller already read `metricsEnabled`; `clock` when the caller already read `clockOf`.
 *
 * @internal
 */
export const recorder = (
  fiber: Fiber.Fiber<unknown, unknown>,
  series: Series,
  metrics: boolean = metricsEnabled(fiber),
  clock: Clock.Clock | undefined = clockOf(fiber)
): Recorder => new Recorder(series, metrics ? metricsContextOf(fiber) : Context.empty(), clock, metrics)

/**
 * A recorder that records nothing, for calls made with the metrics off and no tracer: shared by them all
 * (what it follows of the attempts is read only for spans).
 *
 * @internal
 */
export const unrecorded: Recorder = new Recorder(makeSeries({}), Context.empty(), undefined, false)

/** @internal */
export const withMetricsEnabled = dual<
  (enabled: boolean) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
  <A, E, R>(self: Effect.Effect<A, E, R>, enabled: boolean) => Effect.Effect<A, E, R>
>(2, (self, enabled) => Effect.provideService(self, currentMetricsEnabled, enabled))

/** @internal */
export const layerMetricsEnabled = (enabled: boolean): Layer.Layer<never> =>
  Layer.succeed(currentMetricsEnabled, enabled)

/**
 * Whether spans are made on `fiber`: Effect's built-in tracer keeps its spans nowhere, so under it spans are
 * pure cost, made only once a tracer that records them is installed.
 *
 * @internal
 */
export const isTraced = (fiber: Fiber.Fiber<unknown, unknown>): boolean =>
  fiber.getRef(Tracer.Tracer) !== Tracer.nativeTracer

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
  Effect.withFiber((fiber) => {
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
        attributes: {
          ...spanAttributes(info),
          [Attributes.attempt]: number,
          [Attributes.resendCount]: number - 1,
          ...(reason === undefined ? {} : { [Attributes.retryReason]: reason })
        }
      }, (span) => Effect.withParentSpan(measured(span), span, { captureStackTrace: false }))
    })

    const call = loop(observed)
    if (!traced) return call
    return Effect.withSpan(call, Rules.callSpanName(info.operation), {
      kind: "internal",
      captureStackTrace: false,
      attributes: spanAttributes(info)
    })
  })

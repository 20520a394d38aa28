/**
 * The client's metrics when a caller interrupts a call mid-request: the attempt leaves
 * `http.client.active_requests` and is counted with `error.type` `interrupted`, with or without a tracer
 * that records spans.
 *
 * The Effect 3 line's runner of the table `contract/telemetryCalls.ts`, shared with the Effect 4 line: the calls,
 * their replies, policies and clock steps, and the counts, labels, ports and spans they must give come from it.
 */
import { RetryPolicy, Telemetry, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import * as Rules from "@effect-scenario/kernel/Telemetry"
import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import {
  Cause,
  Effect,
  Fiber,
  Layer,
  ManagedRuntime,
  Metric,
  MetricKeyType,
  MetricState,
  Option,
  TestClock,
  Tracer
} from "effect"
import * as Table from "../../../contract/telemetryCalls.js"
import { credentials, makeStub, withStub } from "./stub.js"

const { METRIC_NAMES: M } = Table

// The snapshot's series in the table's plain form.
const snapshot = Effect.map(Metric.snapshot, (pairs): ReadonlyArray<Table.Series> =>
  pairs.map((pair) => {
    const state = pair.metricState
    const keyType = pair.metricKey.keyType
    const tags: ReadonlyArray<unknown> = pair.metricKey.tags
    return {
      name: pair.metricKey.name,
      labels: tags.map((tag): readonly [string, string] =>
        typeof tag === "object" && tag !== null && "key" in tag && "value" in tag
          ? [String(tag.key), String(tag.value)]
          : ["not a label", String(tag)]
      ),
      count: MetricState.isCounterState(state)
        ? Number(state.count)
        : MetricState.isHistogramState(state)
        ? state.count
        : 0,
      sum: MetricState.isHistogramState(state) ? state.sum : 0,
      histogram: MetricState.isHistogramState(state),
      incremental: MetricKeyType.isCounterKey(keyType) ? keyType.incremental : undefined,
      description: Option.getOrUndefined(pair.metricKey.description)
    }
  }))

// The counts of one metric for the calls to `host`, by `error.type` ("" when none), non-zero only.
const countsOf = (name: string, host: string) => Effect.map(snapshot, (all) => Table.countsOf(all, name, host))

// The counts of several metrics for the calls to `host`, by metric.
const countsOfEach = (names: ReadonlyArray<string>, host: string) =>
  Effect.map(snapshot, (all) => Object.fromEntries(names.map((name) => [name, Table.countsOf(all, name, host)])))

const policyOf = (policy: Table.Policy) =>
  RetryPolicy.make({
    maxRetries: policy.maxRetries,
    ...(policy.initialDelayMs === undefined ? {} : { initialDelay: policy.initialDelayMs }),
    ...(policy.jitter === undefined ? {} : { jitter: policy.jitter })
  })

// A tracer that records spans: Effect's own, every span kept in `spans`.
const recordingTracer = Effect.map(Effect.tracer, (native) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (...args) => {
      const span = native.span(...args)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  return { spans, tracer }
})

// A span of the HTTP client itself: Effect 3 names it `http.client GET`.
const isTransportSpan = (span: Tracer.Span) => span.name.startsWith("http.client")

// A list call whose two attempts both time out (`timeout` each, `pause` between them), run to its end.
const timedOutTwice = (host: string, timeoutMs: number, pauseMs: number) =>
  Effect.gen(function*() {
    const { images } = yield* withStub(Table.timedOutTwice.replies, {
      baseUrl: Table.baseUrl(host),
      timeout: timeoutMs,
      retryPolicy: policyOf({ initialDelayMs: pauseMs, jitter: false, maxRetries: Table.timedOutTwice.maxRetries })
    })
    const call = yield* Effect.fork(Effect.flip(images.list({ modelId: Table.MODEL })))
    yield* TestClock.adjust(Table.HOUR)
    return yield* Fiber.join(call)
  })

const interruptMidRequest = (host: string) =>
  Effect.gen(function*() {
    const { after, during, replies, stepMs } = Table.interrupted
    const { images, recorded } = yield* withStub(replies, { baseUrl: Table.baseUrl(host) })
    const call = yield* Effect.fork(images.list({ modelId: Table.MODEL }))
    // The request reaches the transport, whose answer never comes.
    while ((yield* recorded).length === 0) yield* TestClock.adjust(stepMs)
    expect(yield* countsOfEach(Object.keys(during), host)).toEqual(during)
    yield* Fiber.interrupt(call)
    expect(yield* countsOfEach(Object.keys(after), host)).toEqual(after)
  })

describe("an interrupted call", () => {
  it.effect("leaves the requests in flight and counts as interrupted", () =>
    interruptMidRequest(Table.interrupted.host))

  it.effect("does so under a tracer that records spans too", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      yield* interruptMidRequest(Table.interrupted.tracedHost).pipe(Effect.withTracer(tracer))
      const attempt = spans.find((span) => span.name === Table.interrupted.attemptSpan)!
      expect(attempt.attributes.get(Telemetry.Attributes.errorType)).toBe(Table.interrupted.errorType)
    }))

  it.effect("timed out, retried: each attempt counted with its TimeoutError, none left in flight", () =>
    Effect.gen(function*() {
      const { counts, host, pauseMs, timeoutMs } = Table.timedOut
      const error = yield* timedOutTwice(host, timeoutMs, pauseMs)
      expect(error._tag).toBe(Table.timedOutTwice.error)
      expect(yield* countsOfEach(Object.keys(counts), host)).toEqual(counts)
    }))

  it.effect("that the caller made uninterruptible runs to its end", () =>
    Effect.gen(function*() {
      const { counts, host, replies } = Table.uninterruptible
      const { images } = yield* withStub(replies, { baseUrl: Table.baseUrl(host) })
      const call = yield* Effect.fork(Effect.uninterruptible(images.list({ modelId: Table.MODEL })))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(call)
      expect(yield* countsOfEach(Object.keys(counts), host)).toEqual(counts)
    }))
})

// The observers of the fiber that runs this: a call's recorder observes it while an attempt is in flight (to end
// an attempt that an interruption cuts short), and must leave no observer behind once the attempt ended.
const observersOfThisFiber = Effect.withFiberRuntime((fiber) =>
  Effect.succeed((fiber as unknown as { readonly _observers: ReadonlyArray<unknown> })._observers.length)
)

describe("the calls of one fiber", () => {
  it.effect("leave no observer on it, whatever their outcome", () =>
    Effect.gen(function*() {
      const { clockMs, host, policy, replies, requests } = Table.oneFiber
      const { images } = yield* withStub(replies, { baseUrl: Table.baseUrl(host), retryPolicy: policyOf(policy) })
      const calls = Effect.gen(function*() {
        const before = yield* observersOfThisFiber
        yield* images.list({ modelId: Table.MODEL })
        const afterRetried = yield* observersOfThisFiber
        yield* Effect.flip(images.list({ modelId: Table.MODEL }))
        yield* Effect.flip(images.list({ modelId: Table.MODEL }))
        return { before, afterRetried, afterFailed: yield* observersOfThisFiber }
      })
      const fiber = yield* Effect.fork(calls)
      yield* TestClock.adjust(clockMs)
      const { afterFailed, afterRetried, before } = yield* Fiber.join(fiber)
      expect({ afterRetried, afterFailed }).toEqual({ afterRetried: before, afterFailed: before })
      expect(yield* countsOf(M.requests, host)).toEqual(requests)
    }))
})

describe("the duration of an attempt", () => {
  it.effect("is read from the fiber's clock: under the TestClock, the time it moved", () =>
    Effect.gen(function*() {
      const { digits, host, pauseMs, seconds, timeoutMs } = Table.duration
      expect((yield* timedOutTwice(host, timeoutMs, pauseMs))._tag).toBe(Table.timedOutTwice.error)
      // Two attempts of 1.5 s each; the second after a pause of 1 s, which no attempt counts.
      expect(yield* Effect.map(snapshot, (all) => Table.durationSum(all, host))).toBeCloseTo(seconds, digits)
    }))
})

describe("with the metrics off", () => {
  const { hosts } = Table.metricsOff

  const callTwice = (host: string) =>
    Effect.gen(function*() {
      const { clockMs, policy, replies } = Table.metricsOff
      const { images, recorded } = yield* withStub(replies, {
        baseUrl: Table.baseUrl(host),
        retryPolicy: policyOf(policy)
      })
      const call = yield* Effect.fork(images.list({ modelId: Table.MODEL }))
      yield* TestClock.adjust(clockMs)
      const result = yield* Fiber.join(call)
      return { result, attempts: (yield* recorded).length }
    })

  const nothingFor = (host: string) =>
    Effect.gen(function*() {
      for (const name of Table.ALL_METRICS) expect(yield* countsOf(name, host)).toEqual({})
    })

  it.effect("withMetricsEnabled(false): the calls and their retries run as before, no metric moves", () =>
    Effect.gen(function*() {
      const { attempts } = yield* callTwice(hosts.off).pipe(Telemetry.withMetricsEnabled(false))
      expect(attempts).toBe(Table.metricsOff.attempts)
      yield* nothingFor(hosts.off)
    }))

  // Every series of the client's metrics, whatever its labels: their counts summed, by metric.
  const totals = Effect.map(snapshot, Table.totals)

  it.effect("withMetricsEnabled(false), no tracer: no series moves at all, not even one without a server", () =>
    Effect.gen(function*() {
      const before = yield* totals
      const { attempts } = yield* callTwice(hosts.totals).pipe(Telemetry.withMetricsEnabled(false))
      expect(attempts).toBe(Table.metricsOff.attempts)
      expect(yield* totals).toEqual(before)
    }))

  it.effect("withMetricsEnabled(true) inside turns them back on", () =>
    Effect.gen(function*() {
      const { backOn } = Table.metricsOff
      yield* callTwice(hosts.backOn).pipe(Telemetry.withMetricsEnabled(true), Telemetry.withMetricsEnabled(false))
      expect(yield* countsOfEach(Object.keys(backOn), hosts.backOn)).toEqual(backOn)
    }))

  it.effect("layerMetricsEnabled(false), provided with the client's layer", () =>
    Effect.gen(function*() {
      yield* callTwice(hosts.layer).pipe(Effect.provide(Telemetry.layerMetricsEnabled(false)))
      yield* nothingFor(hosts.layer)
    }))

  it.live("layerMetricsEnabled(false) merged into a ManagedRuntime's layer", () =>
    Effect.gen(function*() {
      const { attempts, replies } = Table.metricsOff.runtime
      const stub = yield* makeStub(replies)
      const runtime = ManagedRuntime.make(
        Layer.merge(
          TrainingImages.layer({ credentials, baseUrl: Table.baseUrl(hosts.runtime) }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, stub.client))
          ),
          Telemetry.layerMetricsEnabled(false)
        )
      )
      yield* Effect.promise(() =>
        runtime.runPromise(
          Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId: Table.MODEL }))
        )
      )
      yield* Effect.promise(() => runtime.dispose())
      expect((yield* stub.recorded).length).toBe(attempts)
      yield* nothingFor(hosts.runtime)
    }))

  it.effect("under a tracer that records spans: the spans are made, still no metric moves", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      yield* callTwice(hosts.traced).pipe(Telemetry.withMetricsEnabled(false), Effect.withTracer(tracer))
      // The stub transport's own spans (`http.client GET`) left aside.
      const ours = spans.filter((span) => !isTransportSpan(span))
      expect(ours.map((span) => span.name)).toEqual(Table.metricsOff.spans)
      expect(ours[2]!.attributes.get(Telemetry.Attributes.retryReason)).toBe(Table.metricsOff.retryReason)
      yield* nothingFor(hosts.traced)
    }))
})

// The `server.port` labels of the metrics of the calls to `host`, by metric ("" when a series has none).
const portsOf = (host: string) => Effect.map(snapshot, (all) => Table.portsOf(all, host))

describe("server.port", () => {
  const portsAfterCalls = (host: string, baseUrl: string) =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const { images } = yield* withStub(Table.ports.replies, { baseUrl })
      // One call with its spans, one with the metrics alone.
      yield* images.list({ modelId: Table.MODEL }).pipe(Effect.withTracer(tracer))
      yield* images.list({ modelId: Table.MODEL })
      const ours = spans.filter((span) => Table.ports.spans.includes(span.name))
      expect(ours).toHaveLength(Table.ports.spans.length)
      return {
        spans: ours.map((span) => span.attributes.get(Telemetry.Attributes.serverPort)),
        metrics: yield* portsOf(host)
      }
    })

  it.effect("the port of the base URL when it names one", () =>
    Effect.gen(function*() {
      const { expected, host, port } = Table.ports.explicit
      expect(yield* portsAfterCalls(host, Table.baseUrl(host, port))).toEqual(expected)
    }))

  it.effect("the scheme's default when the base URL names none: 443 for https", () =>
    Effect.gen(function*() {
      const { expected, host, port } = Table.ports.https
      expect(yield* portsAfterCalls(host, Table.baseUrl(host, port))).toEqual(expected)
    }))
})

describe("the spans of each operation", () => {
  // The operation's call through the service.
  const callOf = (
    images: TrainingImages.Service,
    call: Table.Call
  ): Effect.Effect<unknown, TrainingImagesError.TrainingImagesError> => {
    switch (call.op) {
      case "replace":
        return images.replace(call.input)
      case "add":
        return images.add(call.input)
      case "replacePairs":
        return images.replacePairs(call.input)
      case "delete":
        return images.delete(call.input)
      case "list":
        return images.list(call.input)
    }
  }

  it.effect("the call's span and its attempt's name the model, and the training image when there is one", () =>
    Effect.gen(function*() {
      for (const operation of Table.operations.cases) {
        const { spans, tracer } = yield* recordingTracer
        const { images } = yield* withStub([operation.reply], { baseUrl: Table.operations.baseUrl })
        yield* Effect.withTracer(callOf(images, operation.call), tracer)
        const ours = spans.filter((span) => !isTransportSpan(span))
        expect(ours.map((span) => span.name)).toEqual(Table.spansOf(operation.span))
        for (const span of ours) {
          expect(Table.idsOf(span), span.name).toEqual({ trainingImageId: undefined, ...operation.ids })
        }
      }
    }))
})

// The label keys of each series of `name` for the calls to `host`, one sorted list per series.
const tagKeysOf = (name: string, host: string) => Effect.map(snapshot, (all) => Table.labelKeysOf(all, name, host))

describe("the labels of a call's metrics", () => {
  it.effect("labels set around the call join each of its metrics", () =>
    Effect.gen(function*() {
      const { clockMs, counts, host, label, policy, replies } = Table.tagged
      const { images } = yield* withStub(replies, { baseUrl: Table.baseUrl(host), retryPolicy: policyOf(policy) })
      const call = yield* Effect.fork(images.list({ modelId: Table.MODEL }).pipe(Effect.tagMetrics(...label)))
      yield* TestClock.adjust(clockMs)
      yield* Fiber.join(call)
      for (const name of Table.ALL_METRICS) {
        const series = yield* tagKeysOf(name, host)
        expect(series.length, name).toBeGreaterThan(0)
        for (const keys of series) expect(keys, name).toContain(label[0])
      }
      expect(yield* countsOfEach(Object.keys(counts), host)).toEqual(counts)
    }))

  it.effect("a success and an undecodable answer of the same status each count under their own error.type", () =>
    Effect.gen(function*() {
      const { counts, error, host, policy, replies } = Table.sameStatus
      const { images } = yield* withStub(replies, { baseUrl: Table.baseUrl(host), retryPolicy: policyOf(policy) })
      yield* images.list({ modelId: Table.MODEL })
      expect((yield* Effect.flip(images.list({ modelId: Table.MODEL })))._tag).toBe(error)
      // The error type of a failure that carries a status is the status.
      expect(yield* countsOfEach(Object.keys(counts), host)).toEqual(counts)
    }))

  it.effect("each series carries exactly its labels: none added for a port, status or error it does not have", () =>
    Effect.gen(function*() {
      const { info, refused: fields, retries, status } = Table.exactLabels
      const refused = new TrainingImagesError.ConnectionError(fields)
      // The first attempt fails with no response, the second (a retry of it) succeeds with a 200.
      let attempts = 0
      yield* Telemetry.instrument(
        info,
        (observe) =>
          Effect.suspend(() => {
            attempts++
            if (attempts === 1) return Effect.fail(refused)
            observe(status)
            return Effect.void
          }),
        (attempt) => Effect.retry(attempt, { times: retries })
      )
      expect(attempts).toBe(Table.exactLabels.attempts)
      // Each series as its `key=value` labels, sorted; the series of each metric sorted too.
      const series = yield* Effect.map(snapshot, (all) => Table.labelLinesOf(all, info.serverAddress))
      expect(series).toEqual(Table.exactLabels.series)
    }))

  it.effect("failures with no response each count under their own error.type, with no status code", () =>
    Effect.gen(function*() {
      const { clockMs, errors, host, policy, replies, requests, timeoutMs } = Table.noResponse
      const { images } = yield* withStub(replies, {
        baseUrl: Table.baseUrl(host),
        timeout: timeoutMs,
        retryPolicy: policyOf(policy)
      })
      expect((yield* Effect.flip(images.list({ modelId: Table.MODEL })))._tag).toBe(errors[0])
      const call = yield* Effect.fork(Effect.flip(images.list({ modelId: Table.MODEL })))
      yield* TestClock.adjust(clockMs)
      expect((yield* Fiber.join(call))._tag).toBe(errors[1])
      expect(yield* countsOf(M.requests, host)).toEqual(requests)
      for (const keys of yield* tagKeysOf(M.durations, host)) {
        expect(keys).not.toContain(Telemetry.Attributes.statusCode)
        expect(keys).toContain(Telemetry.Attributes.errorType)
      }
    }))
})

describe("an answer whose body fails to arrive", () => {
  it.effect("keeps the status its head gave, in the metrics and the attempt's span", () =>
    Effect.gen(function*() {
      const { attemptSpan, error, host, policy, replies, status } = Table.bodyFails
      const { spans, tracer } = yield* recordingTracer
      const { images } = yield* withStub(replies, { baseUrl: Table.baseUrl(host), retryPolicy: policyOf(policy) })
      expect((yield* Effect.flip(images.list({ modelId: Table.MODEL })))._tag).toBe(error)
      expect((yield* Effect.flip(images.list({ modelId: Table.MODEL }).pipe(Effect.withTracer(tracer))))._tag).toBe(
        error
      )
      const durations = yield* Effect.map(
        snapshot,
        (all) => Table.picked(all, M.durations, host, [Telemetry.Attributes.statusCode, Telemetry.Attributes.errorType])
      )
      expect(durations).toEqual(Table.bodyFails.durations)
      const attempt = spans.find((span) => span.name === attemptSpan)!
      expect(attempt.attributes.get(Telemetry.Attributes.statusCode)).toBe(status)
      expect(attempt.attributes.get(Telemetry.Attributes.errorType)).toBe(error)
    }))

  it.effect("a failure that carries a status the attempt never reported: the failure's status", () =>
    Effect.gen(function*() {
      const { codes, failure: fields, host, info } = Table.statusOfFailure
      const failure = TrainingImagesError.fromStatus(fields)
      yield* Effect.flip(Telemetry.instrument(info, () => Effect.fail(failure), (attempt) => attempt))
      const found = yield* Effect.map(
        snapshot,
        (all) => Table.picked(all, M.durations, host, [Telemetry.Attributes.statusCode])
      )
      expect(found.map((labels) => labels[Telemetry.Attributes.statusCode])).toEqual(codes)
    }))
})

describe("the spans of a failed call", () => {
  it.effect("an attempt with no response: no status code, no retry reason, no stack trace", () =>
    Effect.gen(function*() {
      const { absent, absentFromEach, baseUrl, errorType, policy, replies } = Table.failedSpans
      const { spans, tracer } = yield* recordingTracer
      const { images } = yield* withStub(replies, { baseUrl, retryPolicy: policyOf(policy) })
      yield* Effect.flip(images.list({ modelId: Table.MODEL })).pipe(Effect.withTracer(tracer))
      const ours = spans.filter((span) => !isTransportSpan(span))
      expect(ours.map((span) => span.name)).toEqual(Table.failedSpans.spans)
      const attempt = ours[1]!
      expect(attempt.attributes.get(Telemetry.Attributes.errorType)).toBe(errorType)
      for (const key of absent) expect(attempt.attributes.has(key), key).toBe(false)
      // A stack trace would point into the library, not at the caller: neither span carries one.
      for (const span of ours) expect(span.attributes.has(absentFromEach), span.name).toBe(false)
    }))
})

describe("Telemetry.instrument", () => {
  const { info } = Table.noPort

  it.effect("a RequestInfo without serverPort: no server.port, in the metrics or the spans", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const once = Telemetry.instrument(
        info,
        (observe) => Effect.sync(() => observe(Table.noPort.status)),
        (attempt) => attempt
      )
      yield* once.pipe(Effect.withTracer(tracer))
      yield* once
      expect(yield* portsOf(info.serverAddress)).toEqual(Table.noPort.ports)
      expect(spans.map((span) => span.name)).toEqual(Table.noPort.spans)
      for (const span of spans) {
        expect(span.attributes.has(Telemetry.Attributes.serverPort), span.name).toBe(false)
        expect(span.attributes.get(Table.LABELS.modelId), span.name).toBe(Table.MODEL)
        expect(span.attributes.get(Telemetry.Attributes.serverAddress), span.name).toBe(info.serverAddress)
      }
      expect(spans[1]!.attributes.get(Telemetry.Attributes.statusCode)).toBe(Table.noPort.status)
      expect(yield* countsOf(M.requests, info.serverAddress)).toEqual(Table.noPort.requests)
    }))

  it.effect("an attempt that dies counts as a defect, its span says so", () =>
    Effect.gen(function*() {
      const { attemptSpan, counts, defect, errorType, host } = Table.defect
      const { spans, tracer } = yield* recordingTracer
      const dying = (traced: boolean) =>
        Telemetry.instrument({ ...info, serverAddress: host }, () => Effect.die(defect), (attempt) => attempt).pipe(
          traced ? Effect.withTracer(tracer) : (self) => self,
          Effect.exit
        )
      expect((yield* dying(true))._tag).toBe("Failure")
      expect((yield* dying(false))._tag).toBe("Failure")
      expect(yield* countsOfEach(Object.keys(counts), host)).toEqual(counts)
      expect(spans.find((span) => span.name === attemptSpan)!.attributes.get(Telemetry.Attributes.errorType)).toBe(
        errorType
      )
    }))
})

describe("the instruments", () => {
  it.effect("requests and retries only go up, active requests up and down; each has its description", () =>
    Effect.gen(function*() {
      const { clockMs, host, incremental, policy, replies } = Table.instruments
      const { images } = yield* withStub(replies, { baseUrl: Table.baseUrl(host), retryPolicy: policyOf(policy) })
      const call = yield* Effect.fork(images.list({ modelId: Table.MODEL }))
      yield* TestClock.adjust(clockMs)
      yield* Fiber.join(call)
      const found = yield* Effect.map(snapshot, (all) => Table.byName(all, host))
      // An exporter reads `incremental` to make a monotonic counter (or an up-down one).
      expect({
        requests: found.get(Rules.Metrics.requests.name)!.incremental,
        retries: found.get(Rules.Metrics.retries.name)!.incremental,
        active: found.get(Rules.Metrics.activeRequests.name)!.incremental
      }).toEqual(incremental)
      for (const metric of Object.values(Rules.Metrics)) {
        expect(found.get(metric.name)?.description, metric.name).toBe(metric.description)
      }
    }))
})

describe("under Effect's built-in tracer", () => {
  it.effect("no span is made: an attempt runs under its caller's span, or none", () =>
    Effect.gen(function*() {
      const { callerSpan, info } = Table.untraced
      const spanOfAttempt = Telemetry.instrument(info, () => Effect.option(Effect.currentSpan), (attempt) => attempt)
      expect(yield* spanOfAttempt).toEqual(Option.none())
      const caller = yield* Effect.withSpan(
        Effect.zip(Effect.currentSpan, spanOfAttempt),
        callerSpan
      )
      expect(Option.map(caller[1], (span) => span.spanId)).toEqual(Option.some(caller[0].spanId))
    }))
})

describe("a transport that dies", () => {
  it.effect("its defect reaches the caller as it was, the attempt counted as a defect", () =>
    Effect.gen(function*() {
      const { counts, host, policy } = Table.transportDies
      const defect = new Error(Table.transportDies.defect)
      const dying = HttpClient.make(() => Effect.die(defect))
      const exit = yield* Effect.exit(
        Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId: Table.MODEL })).pipe(
          Effect.provide(
            TrainingImages.layer({ credentials, baseUrl: Table.baseUrl(host), retryPolicy: policyOf(policy) }).pipe(
              Layer.provide(Layer.succeed(HttpClient.HttpClient, dying))
            )
          )
        )
      )
      const defects = exit._tag === "Failure" ? Array.from(Cause.defects(exit.cause)) : []
      expect(defects.map((error) => (error as Error).message)).toEqual([defect.message])
      expect(yield* countsOfEach(Object.keys(counts), host)).toEqual(counts)
    }))
})

describe("attributes set around a call", () => {
  // Set with `Effect.tagMetrics` (Effect 4: `Metric.CurrentMetricAttributes`).
  it.effect("labels set around the call join every series of its metrics, with their values", () =>
    Effect.gen(function*() {
      const { host, label, replies, values } = Table.ambient
      const { images } = yield* withStub(replies, { baseUrl: Table.baseUrl(host) })
      yield* images.list({ modelId: Table.MODEL }).pipe(Effect.tagMetrics(...label))
      expect(yield* Effect.map(snapshot, (all) => Table.valuesOf(all, host, label[0]))).toEqual(values)
    }))
})

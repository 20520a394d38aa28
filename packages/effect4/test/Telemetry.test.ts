/**
 * The client's metrics when a caller interrupts a call mid-request: the attempt leaves
 * `http.client.active_requests` and is counted with `error.type` `interrupted`, with or without a tracer
 * that records spans.
 */
import * as Rules from "@effect-scenario/kernel/Telemetry"
import { describe, expect, it } from "@effect/vitest"
import { Cause, type Duration, Effect, Fiber, Layer, ManagedRuntime, Metric, Option, Tracer } from "effect"
import { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as Telemetry from "../src/Telemetry.js"
import * as TrainingImages from "../src/TrainingImages.js"
import * as TrainingImagesError from "../src/TrainingImagesError.js"
import { credentials, makeStub, type Reply, trainingImageJson, withStub } from "./stub.js"

// The counts of one metric for the calls to `host`, by `error.type` ("" when none), non-zero only.
const countsOf = (name: string, host: string) =>
  Effect.map(Metric.snapshot, (snapshots) => {
    const counts: Record<string, number> = {}
    for (const snapshot of snapshots) {
      const tags = snapshot.attributes ?? {}
      if (snapshot.id !== name) continue
      if (tags[Telemetry.Attributes.serverAddress] !== host) continue
      const value = snapshot.type === "Counter"
        ? Number(snapshot.state.count)
        : snapshot.type === "Histogram"
        ? snapshot.state.count
        : 0
      if (value === 0) continue
      const error = tags[Telemetry.Attributes.errorType] ?? ""
      counts[error] = (counts[error] ?? 0) + value
    }
    return counts
  })

// A tracer that records spans: Effect's own, every span kept in `spans`.
const recordingTracer = Effect.map(Effect.tracer, (native) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span(options) {
      const span = native.span(options)
      spans.push(span)
      return span
    }
  })
  return { spans, tracer }
})

// A span of the HTTP client itself: Effect 4 names it by the request's method alone (`GET`).
const isTransportSpan = (span: Tracer.Span) => /^[A-Z]+$/.test(span.name)

// A list call whose two attempts both time out (`timeout` each, `pause` between them), run to its end.
const timedOutTwice = (host: string, timeout: Duration.Input, pause: Duration.Input) =>
  Effect.gen(function*() {
    const { images } = yield* withStub([{ hang: true }], {
      baseUrl: `https://${host}/v1`,
      timeout,
      retryPolicy: RetryPolicy.make({ initialDelay: pause, jitter: false, maxRetries: 1 })
    })
    const call = yield* Effect.forkChild(Effect.flip(images.list({ modelId: "model_1" })))
    yield* TestClock.adjust("1 hour")
    return yield* Fiber.join(call)
  })

const interruptMidRequest = (host: string) =>
  Effect.gen(function*() {
    const { images, recorded } = yield* withStub([{ hang: true }], { baseUrl: `https://${host}/v1` })
    const call = yield* Effect.forkChild(images.list({ modelId: "model_1" }))
    // The request reaches the transport, whose answer never comes.
    while ((yield* recorded).length === 0) yield* TestClock.adjust("1 millis")
    expect(yield* countsOf("http.client.active_requests", host)).toEqual({ "": 1 })
    yield* Fiber.interrupt(call)
    expect(yield* countsOf("http.client.active_requests", host)).toEqual({})
    expect(yield* countsOf("scenario.client.requests", host)).toEqual({ interrupted: 1 })
    expect(yield* countsOf("http.client.request.duration", host)).toEqual({ interrupted: 1 })
  })

describe("an interrupted call", () => {
  it.effect("leaves the requests in flight and counts as interrupted", () =>
    interruptMidRequest("interrupted.scenario.test"))

  it.effect("does so under a tracer that records spans too", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      yield* interruptMidRequest("interrupted-traced.scenario.test").pipe(Effect.withTracer(tracer))
      const attempt = spans.find((span) => span.name === "GET list")!
      expect(attempt.attributes.get(Telemetry.Attributes.errorType)).toBe("interrupted")
    }))

  it.effect("timed out, retried: each attempt counted with its TimeoutError, none left in flight", () =>
    Effect.gen(function*() {
      const host = "timed-out.scenario.test"
      const error = yield* timedOutTwice(host, "50 millis", "1 millis")
      expect(error._tag).toBe("TimeoutError")
      expect(yield* countsOf("http.client.active_requests", host)).toEqual({})
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({ TimeoutError: 2 })
      expect(yield* countsOf("scenario.client.retries", host)).toEqual({ "": 1 })
    }))

  it.effect("that the caller made uninterruptible runs to its end", () =>
    Effect.gen(function*() {
      const host = "uninterruptible.scenario.test"
      const { images } = yield* withStub([{
        status: 200,
        body: { model: { id: "model_1", status: "new", trainingImagesNumber: 0 } }
      }], {
        baseUrl: `https://${host}/v1`
      })
      const call = yield* Effect.forkChild(Effect.uninterruptible(images.list({ modelId: "model_1" })))
      yield* Effect.yieldNow
      yield* Fiber.interrupt(call)
      expect(yield* countsOf("http.client.active_requests", host)).toEqual({})
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({ "": 1 })
    }))
})

// The observers of the fiber that runs this: a call's recorder observes it while an attempt is in flight (to end
// an attempt that an interruption cuts short), and must leave no observer behind once the attempt ended.
const observersOfThisFiber = Effect.withFiber((fiber) =>
  Effect.succeed(
    (fiber as unknown as { readonly _observers: ReadonlyArray<unknown> | undefined })._observers?.length ?? 0
  )
)

describe("the calls of one fiber", () => {
  it.effect("leave no observer on it, whatever their outcome", () =>
    Effect.gen(function*() {
      const host = "observers.scenario.test"
      const { images } = yield* withStub([
        { status: 503, headers: { "retry-after": "0" } },
        { status: 200, body: { model: { id: "model_1", status: "new", trainingImagesNumber: 0 } } },
        { status: 400, body: { message: "no" } },
        { reset: true }
      ], {
        baseUrl: `https://${host}/v1`,
        retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", jitter: false, maxRetries: 1 })
      })
      const calls = Effect.gen(function*() {
        const before = yield* observersOfThisFiber
        yield* images.list({ modelId: "model_1" })
        const afterRetried = yield* observersOfThisFiber
        yield* Effect.flip(images.list({ modelId: "model_1" }))
        yield* Effect.flip(images.list({ modelId: "model_1" }))
        return { before, afterRetried, afterFailed: yield* observersOfThisFiber }
      })
      const fiber = yield* Effect.forkChild(calls)
      yield* TestClock.adjust("1 minute")
      const { afterFailed, afterRetried, before } = yield* Fiber.join(fiber)
      expect({ afterRetried, afterFailed }).toEqual({ afterRetried: before, afterFailed: before })
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({
        "": 1,
        "503": 1,
        "400": 1,
        ConnectionError: 2
      })
    }))
})

// The sum of `http.client.request.duration` for the calls to `host`, in seconds.
const durationSum = (host: string) =>
  Effect.map(Metric.snapshot, (snapshots) => {
    let sum = 0
    for (const snapshot of snapshots) {
      if (snapshot.id !== "http.client.request.duration") continue
      if (snapshot.attributes?.[Telemetry.Attributes.serverAddress] !== host) continue
      if (snapshot.type === "Histogram") sum += snapshot.state.sum
    }
    return sum
  })

const ok = { status: 200, body: { model: { id: "model_1", status: "new", trainingImagesNumber: 0 } } }

describe("the duration of an attempt", () => {
  it.effect("is read from the fiber's clock: under the TestClock, the time it moved", () =>
    Effect.gen(function*() {
      const host = "duration.scenario.test"
      expect((yield* timedOutTwice(host, "1500 millis", "1 second"))._tag).toBe("TimeoutError")
      // Two attempts of 1.5 s each; the second after a pause of 1 s, which no attempt counts.
      expect(yield* durationSum(host)).toBeCloseTo(3, 9)
    }))
})

describe("with the metrics off", () => {
  const failingThenOk = [{ status: 503, headers: { "retry-after": "0" } }, ok]
  const policy = RetryPolicy.make({ initialDelay: "1 millis", jitter: false, maxRetries: 1 })

  const callTwice = (host: string) =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub(failingThenOk, {
        baseUrl: `https://${host}/v1`,
        retryPolicy: policy
      })
      const call = yield* Effect.forkChild(images.list({ modelId: "model_1" }))
      yield* TestClock.adjust("1 second")
      const result = yield* Fiber.join(call)
      return { result, attempts: (yield* recorded).length }
    })

  const nothingFor = (host: string) =>
    Effect.gen(function*() {
      for (
        const name of [
          "scenario.client.requests",
          "scenario.client.retries",
          "http.client.request.duration",
          "http.client.active_requests"
        ]
      ) {
        expect(yield* countsOf(name, host)).toEqual({})
      }
    })

  it.effect("withMetricsEnabled(false): the calls and their retries run as before, no metric moves", () =>
    Effect.gen(function*() {
      const host = "metrics-off.scenario.test"
      const { attempts } = yield* callTwice(host).pipe(Telemetry.withMetricsEnabled(false))
      expect(attempts).toBe(2)
      yield* nothingFor(host)
    }))

  // Every series of the client's metrics, whatever its labels: their counts summed, by metric.
  const totals = Effect.map(Metric.snapshot, (snapshots) => {
    const sums: Record<string, number> = {}
    for (const snapshot of snapshots) {
      const name = snapshot.id
      if (!name.startsWith("scenario.client.") && !name.startsWith("http.client.")) continue
      const value = snapshot.type === "Counter"
        ? Number(snapshot.state.count)
        : snapshot.type === "Histogram"
        ? snapshot.state.count
        : 0
      sums[name] = (sums[name] ?? 0) + value
    }
    return sums
  })

  it.effect("withMetricsEnabled(false), no tracer: no series moves at all, not even one without a server", () =>
    Effect.gen(function*() {
      const before = yield* totals
      const { attempts } = yield* callTwice("metrics-off-totals.scenario.test").pipe(
        Telemetry.withMetricsEnabled(false)
      )
      expect(attempts).toBe(2)
      expect(yield* totals).toEqual(before)
    }))

  it.effect("withMetricsEnabled(true) inside turns them back on", () =>
    Effect.gen(function*() {
      const host = "metrics-back-on.scenario.test"
      yield* callTwice(host).pipe(Telemetry.withMetricsEnabled(true), Telemetry.withMetricsEnabled(false))
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({ "": 1, "503": 1 })
      expect(yield* countsOf("scenario.client.retries", host)).toEqual({ "": 1 })
    }))

  it.effect("layerMetricsEnabled(false), provided with the client's layer", () =>
    Effect.gen(function*() {
      const host = "metrics-off-layer.scenario.test"
      yield* callTwice(host).pipe(Effect.provide(Telemetry.layerMetricsEnabled(false)))
      yield* nothingFor(host)
    }))

  it.live("layerMetricsEnabled(false) merged into a ManagedRuntime's layer", () =>
    Effect.gen(function*() {
      const host = "metrics-off-runtime.scenario.test"
      const stub = yield* makeStub([ok])
      const runtime = ManagedRuntime.make(
        Layer.merge(
          TrainingImages.layer({ credentials, baseUrl: `https://${host}/v1` }).pipe(
            Layer.provide(Layer.succeed(HttpClient.HttpClient, stub.client))
          ),
          Telemetry.layerMetricsEnabled(false)
        )
      )
      yield* Effect.promise(() =>
        runtime.runPromise(
          Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId: "model_1" }))
        )
      )
      yield* Effect.promise(() => runtime.dispose())
      expect((yield* stub.recorded).length).toBe(1)
      yield* nothingFor(host)
    }))

  it.effect("under a tracer that records spans: the spans are made, still no metric moves", () =>
    Effect.gen(function*() {
      const host = "metrics-off-traced.scenario.test"
      const { spans, tracer } = yield* recordingTracer
      yield* callTwice(host).pipe(Telemetry.withMetricsEnabled(false), Effect.withTracer(tracer))
      // The stub transport's own spans (named by their method alone, `GET`, on Effect 4) left aside.
      const ours = spans.filter((span) => !isTransportSpan(span))
      expect(ours.map((span) => span.name)).toEqual(["TrainingImages.list", "GET list", "GET list"])
      expect(ours[2]!.attributes.get(Telemetry.Attributes.retryReason)).toBe("503")
      yield* nothingFor(host)
    }))
})

// The `server.port` labels of the metrics of the calls to `host`, by metric ("" when a series has none).
const portsOf = (host: string) =>
  Effect.map(Metric.snapshot, (snapshots) => {
    const ports: Record<string, Array<string>> = {}
    for (const snapshot of snapshots) {
      const tags = snapshot.attributes ?? {}
      if (tags[Telemetry.Attributes.serverAddress] !== host) continue
      const port = tags[Telemetry.Attributes.serverPort] ?? ""
      const seen = (ports[snapshot.id] ??= [])
      if (!seen.includes(port)) seen.push(port)
    }
    return ports
  })

describe("server.port", () => {
  const portsAfterCalls = (host: string, baseUrl: string) =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const { images } = yield* withStub([ok], { baseUrl })
      // One call with its spans, one with the metrics alone.
      yield* images.list({ modelId: "model_1" }).pipe(Effect.withTracer(tracer))
      yield* images.list({ modelId: "model_1" })
      const ours = spans.filter((span) => span.name === "TrainingImages.list" || span.name === "GET list")
      expect(ours).toHaveLength(2)
      return {
        spans: ours.map((span) => span.attributes.get(Telemetry.Attributes.serverPort)),
        metrics: yield* portsOf(host)
      }
    })

  it.effect("the port of the base URL when it names one", () =>
    Effect.gen(function*() {
      const host = "port-explicit.scenario.test"
      expect(yield* portsAfterCalls(host, `https://${host}:8443/v1`)).toEqual({
        spans: [8443, 8443],
        metrics: {
          "scenario.client.requests": ["8443"],
          "http.client.request.duration": ["8443"],
          "http.client.active_requests": ["8443"]
        }
      })
    }))

  it.effect("the scheme's default when the base URL names none: 443 for https", () =>
    Effect.gen(function*() {
      const host = "port-https.scenario.test"
      expect(yield* portsAfterCalls(host, `https://${host}/v1`)).toEqual({
        spans: [443, 443],
        metrics: {
          "scenario.client.requests": ["443"],
          "http.client.request.duration": ["443"],
          "http.client.active_requests": ["443"]
        }
      })
    }))
})

describe("the spans of each operation", () => {
  const modelId = "model_1"
  const trainingImageId = "asset_7"
  const image = { status: 200, body: { trainingImage: trainingImageJson(trainingImageId) } }
  // Each operation with the reply it succeeds on, and the ids its spans name (the ids it was called with).
  const operations: ReadonlyArray<{
    readonly span: string
    readonly reply: Reply
    readonly ids: { readonly modelId: string; readonly trainingImageId?: string }
    readonly call: (images: TrainingImages.Service) => Effect.Effect<unknown, TrainingImagesError.TrainingImagesError>
  }> = [
    {
      span: "PUT replace",
      reply: image,
      ids: { modelId, trainingImageId },
      call: (images: TrainingImages.Service) => images.replace({ modelId, trainingImageId, assetId: "asset_9" })
    },
    {
      span: "POST add",
      reply: image,
      ids: { modelId },
      call: (images: TrainingImages.Service) => images.add({ modelId, assetId: "asset_9" })
    },
    {
      span: "PUT replacePairs",
      reply: { status: 200, body: { count: 0, pairs: [] } },
      ids: { modelId },
      call: (images: TrainingImages.Service) => images.replacePairs({ modelId, pairs: [] })
    },
    {
      span: "DELETE delete",
      reply: { status: 204 },
      ids: { modelId, trainingImageId },
      call: (images: TrainingImages.Service) => images.delete({ modelId, trainingImageId })
    },
    {
      span: "GET list",
      reply: { status: 200, body: { model: { id: modelId, status: "new", trainingImagesNumber: 0 } } },
      ids: { modelId },
      call: (images: TrainingImages.Service) => images.list({ modelId })
    }
  ]

  it.effect("the call's span and its attempt's name the model, and the training image when there is one", () =>
    Effect.gen(function*() {
      for (const operation of operations) {
        const { spans, tracer } = yield* recordingTracer
        const { images } = yield* withStub([operation.reply], { baseUrl: "https://spans.scenario.test/v1" })
        yield* operation.call(images).pipe(Effect.withTracer(tracer))
        const ours = spans.filter((span) => !isTransportSpan(span))
        const [, name] = operation.span.split(" ")
        expect(ours.map((span) => span.name)).toEqual([`TrainingImages.${name}`, operation.span])
        for (const span of ours) {
          const ids = {
            modelId: span.attributes.get("scenario.model_id"),
            trainingImageId: span.attributes.get("scenario.training_image_id")
          }
          expect(ids, span.name).toEqual({ trainingImageId: undefined, ...operation.ids })
        }
      }
    }))
})

// The attribute keys of each series of `name` for the calls to `host`, one sorted list per series.
const tagKeysOf = (name: string, host: string) =>
  Effect.map(Metric.snapshot, (snapshots) =>
    snapshots
      .filter((snapshot) => snapshot.id === name && snapshot.attributes?.[Telemetry.Attributes.serverAddress] === host)
      .map((snapshot) => Object.keys(snapshot.attributes ?? {}).sort()))

const noRetry = RetryPolicy.make({ maxRetries: 0 })

describe("the labels of a call's metrics", () => {
  it.effect("labels set around the call join each of its metrics", () =>
    Effect.gen(function*() {
      const host = "tagged.scenario.test"
      const { images } = yield* withStub([{ status: 503, headers: { "retry-after": "0" } }, ok], {
        baseUrl: `https://${host}/v1`,
        retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", jitter: false, maxRetries: 1 })
      })
      const call = yield* Effect.forkChild(
        images.list({ modelId: "model_1" }).pipe(
          Effect.provideService(Metric.CurrentMetricAttributes, { tenant: "acme" })
        )
      )
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(call)
      const names = [
        "scenario.client.requests",
        "scenario.client.retries",
        "http.client.request.duration",
        "http.client.active_requests"
      ]
      for (const name of names) {
        const series = yield* tagKeysOf(name, host)
        expect(series.length, name).toBeGreaterThan(0)
        for (const keys of series) expect(keys, name).toContain("tenant")
      }
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({ "": 1, "503": 1 })
      expect(yield* countsOf("scenario.client.retries", host)).toEqual({ "": 1 })
    }))

  it.effect("a success and an undecodable answer of the same status each count under their own error.type", () =>
    Effect.gen(function*() {
      const host = "same-status.scenario.test"
      const { images } = yield* withStub([ok, { status: 200, body: { unexpected: true } }], {
        baseUrl: `https://${host}/v1`,
        retryPolicy: noRetry
      })
      yield* images.list({ modelId: "model_1" })
      expect((yield* Effect.flip(images.list({ modelId: "model_1" })))._tag).toBe("ResponseDecodeError")
      // The error type of a failure that carries a status is the status.
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({ "": 1, "200": 1 })
      expect(yield* countsOf("http.client.request.duration", host)).toEqual({ "": 1, "200": 1 })
    }))

  it.effect("each series carries exactly its labels: none added for a port, status or error it does not have", () =>
    Effect.gen(function*() {
      const host = "exact-labels.scenario.test"
      const info = { operation: "list", method: "GET", serverAddress: host } as const
      const refused = new TrainingImagesError.ConnectionError({
        operation: "list",
        method: "GET",
        url: `https://${host}/v1`,
        mayHaveReachedServer: false
      })
      // The first attempt fails with no response, the second (a retry of it) succeeds with a 200.
      let attempts = 0
      yield* Telemetry.instrument(
        info,
        (observe) =>
          Effect.suspend(() => {
            attempts++
            if (attempts === 1) return Effect.fail(refused)
            observe(200)
            return Effect.void
          }),
        (attempt) => Effect.retry(attempt, { times: 1 })
      )
      expect(attempts).toBe(2)
      // Each series as its `key=value` labels, sorted; the series of each metric sorted too.
      const series = yield* Effect.map(Metric.snapshot, (snapshots) => {
        const byName: Record<string, Array<string>> = {}
        for (const snapshot of snapshots) {
          const tags = snapshot.attributes ?? {}
          if (tags[Telemetry.Attributes.serverAddress] !== host) continue
          const labels = Object.entries(tags).map(([key, value]) => `${key}=${String(value)}`)
          ;(byName[snapshot.id] ??= []).push(labels.sort().join(", "))
        }
        for (const list of Object.values(byName)) list.sort()
        return byName
      })
      const base = ["http.request.method=GET", "scenario.operation=list", `server.address=${host}`]
      const line = (...labels: Array<string>) => [...base, ...labels].sort().join(", ")
      expect(series).toEqual({
        "scenario.client.requests": [
          line("scenario.status_class=2xx"),
          line("error.type=ConnectionError", "scenario.status_class=none")
        ].sort(),
        "http.client.request.duration": [
          line("http.response.status_code=200", "unit=s"),
          line("error.type=ConnectionError", "unit=s")
        ].sort(),
        "http.client.active_requests": [line()],
        "scenario.client.retries": [line("scenario.retry.reason=ConnectionError")]
      })
    }))

  it.effect("failures with no response each count under their own error.type, with no status code", () =>
    Effect.gen(function*() {
      const host = "no-response.scenario.test"
      const { images } = yield* withStub([{ reset: true }, { hang: true }], {
        baseUrl: `https://${host}/v1`,
        timeout: "50 millis",
        retryPolicy: noRetry
      })
      expect((yield* Effect.flip(images.list({ modelId: "model_1" })))._tag).toBe("ConnectionError")
      const call = yield* Effect.forkChild(Effect.flip(images.list({ modelId: "model_1" })))
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(call))._tag).toBe("TimeoutError")
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({ ConnectionError: 1, TimeoutError: 1 })
      for (const keys of yield* tagKeysOf("http.client.request.duration", host)) {
        expect(keys).not.toContain(Telemetry.Attributes.statusCode)
        expect(keys).toContain(Telemetry.Attributes.errorType)
      }
    }))
})

describe("an answer whose body fails to arrive", () => {
  it.effect("keeps the status its head gave, in the metrics and the attempt's span", () =>
    Effect.gen(function*() {
      const host = "body-fails.scenario.test"
      const { spans, tracer } = yield* recordingTracer
      const { images } = yield* withStub([{ status: 200, chunks: ["{\"model\":"], streamFails: { cause: "reset" } }], {
        baseUrl: `https://${host}/v1`,
        retryPolicy: noRetry
      })
      expect((yield* Effect.flip(images.list({ modelId: "model_1" })))._tag).toBe("ConnectionError")
      expect((yield* Effect.flip(images.list({ modelId: "model_1" }).pipe(Effect.withTracer(tracer))))._tag).toBe(
        "ConnectionError"
      )
      const durations = yield* Effect.map(Metric.snapshot, (snapshots) =>
        snapshots.filter((snapshot) =>
          snapshot.id === "http.client.request.duration" &&
          snapshot.attributes?.[Telemetry.Attributes.serverAddress] === host
        ).map((snapshot) =>
          Object.fromEntries(
            Object.entries(snapshot.attributes ?? {}).filter(([key]) =>
              key === Telemetry.Attributes.statusCode || key === Telemetry.Attributes.errorType
            )
          )
        ))
      expect(durations).toEqual([{
        [Telemetry.Attributes.statusCode]: "200",
        [Telemetry.Attributes.errorType]: "ConnectionError"
      }])
      const attempt = spans.find((span) =>
        span.name === "GET list"
      )!
      expect(attempt.attributes.get(Telemetry.Attributes.statusCode)).toBe(200)
      expect(attempt.attributes.get(Telemetry.Attributes.errorType)).toBe("ConnectionError")
    }))

  it.effect("a failure that carries a status the attempt never reported: the failure's status", () =>
    Effect.gen(function*() {
      const host = "status-of-failure.scenario.test"
      const info = { operation: "list", method: "GET", serverAddress: host } as const
      const failure = TrainingImagesError.fromStatus({
        operation: "list",
        method: "GET",
        url: `https://${host}/v1`,
        status: 502,
        headers: {},
        body: ""
      })
      yield* Effect.flip(Telemetry.instrument(info, () => Effect.fail(failure), (attempt) => attempt))
      const codes = yield* Effect.map(
        Metric.snapshot,
        (snapshots) =>
          snapshots.filter((snapshot) =>
            snapshot.id === "http.client.request.duration" &&
            snapshot.attributes?.[Telemetry.Attributes.serverAddress] === host
          ).map((snapshot) => snapshot.attributes?.[Telemetry.Attributes.statusCode])
      )
      expect(codes).toEqual(["502"])
    }))
})

describe("the spans of a failed call", () => {
  it.effect("an attempt with no response: no status code, no retry reason, no stack trace", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const { images } = yield* withStub([{ reset: true }], {
        baseUrl: "https://failed-spans.scenario.test/v1",
        retryPolicy: noRetry
      })
      yield* Effect.flip(images.list({ modelId: "model_1" })).pipe(Effect.withTracer(tracer))
      const ours = spans.filter((span) => !isTransportSpan(span))
      expect(ours.map((span) => span.name)).toEqual(["TrainingImages.list", "GET list"])
      const attempt = ours[1]!
      expect(attempt.attributes.get(Telemetry.Attributes.errorType)).toBe("ConnectionError")
      expect(attempt.attributes.has(Telemetry.Attributes.statusCode)).toBe(false)
      expect(attempt.attributes.has(Telemetry.Attributes.retryReason)).toBe(false)
      // A stack trace would point into the library, not at the caller: neither span carries one.
      for (const span of ours) expect(span.attributes.has("code.stacktrace"), span.name).toBe(false)
    }))
})

describe("Telemetry.instrument", () => {
  const info = {
    operation: "list",
    method: "GET",
    serverAddress: "no-port.scenario.test",
    attributes: { "scenario.model_id": "model_1" }
  } as const

  it.effect("a RequestInfo without serverPort: no server.port, in the metrics or the spans", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recordingTracer
      const once = Telemetry.instrument(info, (observe) => Effect.sync(() => observe(200)), (attempt) => attempt)
      yield* once.pipe(Effect.withTracer(tracer))
      yield* once
      expect(yield* portsOf(info.serverAddress)).toEqual({
        "scenario.client.requests": [""],
        "http.client.request.duration": [""],
        "http.client.active_requests": [""]
      })
      expect(spans.map((span) => span.name)).toEqual(["TrainingImages.list", "GET list"])
      for (const span of spans) {
        expect(span.attributes.has(Telemetry.Attributes.serverPort), span.name).toBe(false)
        expect(span.attributes.get("scenario.model_id"), span.name).toBe("model_1")
        expect(span.attributes.get(Telemetry.Attributes.serverAddress), span.name).toBe(info.serverAddress)
      }
      expect(spans[1]!.attributes.get(Telemetry.Attributes.statusCode)).toBe(200)
      expect(yield* countsOf("scenario.client.requests", info.serverAddress)).toEqual({ "": 2 })
    }))

  it.effect("an attempt that dies counts as a defect, its span says so", () =>
    Effect.gen(function*() {
      const host = "defect.scenario.test"
      const { spans, tracer } = yield* recordingTracer
      const dying = (traced: boolean) =>
        Telemetry.instrument({ ...info, serverAddress: host }, () => Effect.die("boom"), (attempt) => attempt).pipe(
          traced ? Effect.withTracer(tracer) : (self) => self,
          Effect.exit
        )
      expect((yield* dying(true))._tag).toBe("Failure")
      expect((yield* dying(false))._tag).toBe("Failure")
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({ defect: 2 })
      expect(yield* countsOf("http.client.active_requests", host)).toEqual({})
      expect(spans.find((span) => span.name === "GET list")!.attributes.get(Telemetry.Attributes.errorType)).toBe(
        "defect"
      )
    }))
})

describe("the instruments", () => {
  it.effect("requests and retries only go up, active requests up and down; each has its description", () =>
    Effect.gen(function*() {
      const host = "instruments.scenario.test"
      const { images } = yield* withStub([{ status: 503, headers: { "retry-after": "0" } }, ok], {
        baseUrl: `https://${host}/v1`,
        retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", jitter: false, maxRetries: 1 })
      })
      const call = yield* Effect.forkChild(images.list({ modelId: "model_1" }))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(call)
      const found = new Map<string, Metric.Metric.Snapshot>()
      for (const snapshot of yield* Metric.snapshot) {
        if (snapshot.attributes?.[Telemetry.Attributes.serverAddress] === host) found.set(snapshot.id, snapshot)
      }
      // An exporter reads `incremental` to make a monotonic counter (or an up-down one).
      const incremental = (name: string) => {
        const snapshot = found.get(name)!
        return snapshot.type === "Counter" ? snapshot.state.incremental : undefined
      }
      expect({
        requests: incremental(Rules.Metrics.requests.name),
        retries: incremental(Rules.Metrics.retries.name),
        active: incremental(Rules.Metrics.activeRequests.name)
      }).toEqual({ requests: true, retries: true, active: false })
      for (const metric of Object.values(Rules.Metrics)) {
        expect(found.get(metric.name)?.description, metric.name).toBe(metric.description)
      }
    }))
})

describe("under Effect's built-in tracer", () => {
  it.effect("no span is made: an attempt runs under its caller's span, or none", () =>
    Effect.gen(function*() {
      const info = { operation: "list", method: "GET", serverAddress: "untraced.scenario.test" } as const
      const spanOfAttempt = Telemetry.instrument(info, () => Effect.option(Effect.currentSpan), (attempt) => attempt)
      expect(yield* spanOfAttempt).toEqual(Option.none())
      const caller = yield* Effect.withSpan(
        Effect.zip(Effect.currentSpan, spanOfAttempt),
        "caller"
      )
      expect(Option.map(caller[1], (span) => span.spanId)).toEqual(Option.some(caller[0].spanId))
    }))
})

describe("a transport that dies", () => {
  it.effect("its defect reaches the caller as it was, the attempt counted as a defect", () =>
    Effect.gen(function*() {
      const host = "transport-dies.scenario.test"
      const defect = new Error("the transport broke")
      const dying = HttpClient.make(() => Effect.die(defect))
      const exit = yield* Effect.exit(
        Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId: "model_1" })).pipe(
          Effect.provide(
            TrainingImages.layer({ credentials, baseUrl: `https://${host}/v1`, retryPolicy: noRetry }).pipe(
              Layer.provide(Layer.succeed(HttpClient.HttpClient, dying))
            )
          )
        )
      )
      const defects = exit._tag === "Failure"
        ? exit.cause.reasons.filter(Cause.isDieReason).map((reason) => reason.defect)
        : []
      expect(defects.map((error) => (error as Error).message)).toEqual([defect.message])
      expect(yield* countsOf("scenario.client.requests", host)).toEqual({ defect: 1 })
      expect(yield* countsOf("http.client.active_requests", host)).toEqual({})
    }))
})

describe("attributes set around a call", () => {
  // Set with `Metric.CurrentMetricAttributes` (Effect 3: `Effect.tagMetrics`).
  it.effect("labels set around the call join every series of its metrics, with their values", () =>
    Effect.gen(function*() {
      const host = "ambient.scenario.test"
      const { images } = yield* withStub([ok], { baseUrl: `https://${host}/v1` })
      yield* images.list({ modelId: "model_1" }).pipe(
        Effect.provideService(Metric.CurrentMetricAttributes, { tenant: "a" })
      )
      const tenants = Effect.map(Metric.snapshot, (snapshots) => {
        const seen: Record<string, Array<string>> = {}
        for (const snapshot of snapshots) {
          const tags = snapshot.attributes ?? {}
          if (tags[Telemetry.Attributes.serverAddress] !== host) continue
          ;(seen[snapshot.id] ??= []).push(tags.tenant ?? "")
        }
        return seen
      })
      expect(yield* tenants).toEqual({
        "scenario.client.requests": ["a"],
        "http.client.request.duration": ["a"],
        "http.client.active_requests": ["a"]
      })
    }))
})

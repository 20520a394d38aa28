/**
 * The client's metrics when a caller interrupts a call mid-request: the attempt leaves
 * `http.client.active_requests` and is counted with `error.type` `interrupted`, with or without a tracer
 * that records spans.
 */
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Fiber, Layer, ManagedRuntime, Metric, Tracer } from "effect"
import { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as Telemetry from "../src/Telemetry.js"
import * as TrainingImages from "../src/TrainingImages.js"
import type * as TrainingImagesError from "../src/TrainingImagesError.js"
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

describe("attributes set around a call", () => {
  it.effect("Metric.CurrentMetricAttributes join every series of the call's metrics", () =>
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

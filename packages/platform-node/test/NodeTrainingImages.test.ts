/**
 * `NodeTrainingImages`: core's client over the undici transport, against a node:http server on 127.0.0.1.
 * The requests it sends, the typed errors its failures become (refused, cut after the request was read,
 * timed out), interruption reaching the server, and the layers that read their options from `Config`.
 *
 * The Effect 3 line's runner of the table `contract/nodeTransport.ts`, shared with the Effect 4 line.
 */
import { Credentials, RetryPolicy, TrainingImages } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import * as Answers from "@effect-scenario/test-support/httpAnswers"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Fiber, Layer, Metric, MetricState, Tracer } from "effect"
import * as Crypto from "node:crypto"
import * as Exchange from "../../../contract/nodeTransport.js"
import * as RecordingServer from "./recordingServer.js"

const credentials = Credentials.basic(Exchange.API_KEY, Exchange.API_SECRET)
const { BASIC, MODEL } = Exchange

const imagesAt = (server: RecordingServer.RecordingServer, options?: Partial<NodeTrainingImages.Options>) =>
  NodeTrainingImages.make({ credentials, baseUrl: `${server.origin}/v1`, retryPolicy: RetryPolicy.none, ...options })

/** A recording server answering so, and the service at its address. */
const serviceAt = (answer?: RecordingServer.Answer, options?: Partial<NodeTrainingImages.Options>) =>
  Effect.flatMap(
    RecordingServer.make(answer),
    (server) => Effect.map(imagesAt(server, options), (images) => ({ images, server }))
  )

describe("NodeTrainingImages: requests", () => {
  it.scopedLive("replace sends the documented request and decodes the answer", () =>
    Effect.gen(function*() {
      const { images, server } = yield* serviceAt(
        RecordingServer.json(200, { trainingImage: RecordingServer.trainingImage("asset_2") })
      )
      const { REPLACE } = Exchange
      const image = yield* images.replace(REPLACE.params)
      expect(image.id).toBe(REPLACE.params.trainingImageId)
      const [seen] = server.received
      expect(seen!.method).toBe(REPLACE.method)
      expect(seen!.url).toBe(REPLACE.url)
      expect(seen!.headers.authorization).toBe(BASIC)
      expect(seen!.headers["content-type"]).toBe(REPLACE.contentType)
      expect(seen!.headers["user-agent"]).toBe(TrainingImages.USER_AGENT)
      expect(JSON.parse(seen!.body.toString())).toEqual(REPLACE.body)
    }))

  it.scopedLive("an image of several megabytes arrives byte for byte", () =>
    Effect.gen(function*() {
      const { images, server } = yield* serviceAt(
        RecordingServer.json(200, { trainingImage: RecordingServer.trainingImage("asset_big") })
      )
      const { name, preset, size } = Exchange.BIG_ADD
      const data = `data:image/jpeg;base64,${Crypto.randomBytes(size).toString("base64")}`
      yield* images.add({ modelId: "model_1", data, name, preset })
      const [seen] = server.received
      expect(Number(seen!.headers["content-length"])).toBe(seen!.body.length)
      expect(JSON.parse(seen!.body.toString())).toEqual({ data, name, preset })
    }))

  it.scopedLive("a status error carries the status, the body and the request id", () =>
    Effect.gen(function*() {
      const { images } = yield* serviceAt(
        RecordingServer.json(404, Exchange.NOT_FOUND.body, Exchange.NOT_FOUND.headers)
      )
      const error = yield* Effect.flip(images.delete({ modelId: "model_x", trainingImageId: "asset_1" }))
      expect(error._tag).toBe("NotFoundError")
      if (error._tag !== "NotFoundError") return
      const { _tag, body, requestId, status } = error
      expect({ _tag, status, body, requestId }).toEqual(Exchange.NOT_FOUND.error)
    }))

  it.scopedLive("a retried call succeeds on the next attempt", () =>
    Effect.gen(function*() {
      const { images, server } = yield* serviceAt(
        Answers.firstThen(
          RecordingServer.json(503, { message: "busy" }),
          RecordingServer.json(200, { trainingImage: RecordingServer.trainingImage("asset_1") })
        ),
        {
          retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "2 millis", maxRetries: 2 })
        }
      )
      const image = yield* images.replace({ modelId: "model_1", trainingImageId: "asset_1", assetId: "asset_9" })
      expect(image.id).toBe("asset_1")
      expect(server.received).toHaveLength(2)
    }))
})

describe("NodeTrainingImages: transport failures are typed errors", () => {
  it.scopedLive("connection refused: a ConnectionError, the request surely not sent", () =>
    Effect.gen(function*() {
      const port = yield* RecordingServer.closedPort
      const images = yield* NodeTrainingImages.make({
        credentials,
        baseUrl: `http://127.0.0.1:${port}/v1`,
        retryPolicy: RetryPolicy.none
      })
      const error = yield* Effect.flip(images.add({ modelId: "model_1", assetId: "asset_1" }))
      expect(error._tag).toBe("ConnectionError")
      if (error._tag === "ConnectionError") expect(error.mayHaveReachedServer).toBe(false)
    }))

  it.scopedLive("the connection destroyed once the request was read: it may have reached the server", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.destroy)
      // The default policy: an add that may have been applied is not sent again.
      const images = yield* imagesAt(server, { retryPolicy: RetryPolicy.defaultPolicy })
      const error = yield* Effect.flip(images.add({ modelId: "model_1", assetId: "asset_1" }))
      expect(error._tag).toBe("ConnectionError")
      if (error._tag === "ConnectionError") expect(error.mayHaveReachedServer).toBe(true)
      expect(server.received).toHaveLength(1)
    }))

  it.scopedLive("no complete answer within the call's timeout: a TimeoutError, and the request aborted", () =>
    Effect.gen(function*() {
      const { images, server } = yield* serviceAt(Answers.never)
      const error = yield* Effect.flip(
        images.replace({ modelId: "model_1", trainingImageId: "asset_1", assetId: "asset_9" }).pipe(
          TrainingImages.withRequestOptions({ timeout: "100 millis" })
        )
      )
      expect(error._tag).toBe("TimeoutError")
      if (error._tag === "TimeoutError") expect(error.mayHaveReachedServer).toBe(true)
      yield* server.nextAbort
    }))

  it.scopedLive("an attempt that timed out is retried, and the retry can succeed", () =>
    Effect.gen(function*() {
      const { images, server } = yield* serviceAt(
        Answers.firstThen(
          Answers.never,
          RecordingServer.json(200, { trainingImage: RecordingServer.trainingImage("a") })
        ),
        {
          timeout: "500 millis", // the retry answers at once: long enough for a loaded machine
          retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "2 millis", maxRetries: 1 })
        }
      )
      const image = yield* images.replace({ modelId: "model_1", trainingImageId: "a", assetId: "b" })
      expect(image.id).toBe("a")
      expect(server.received).toHaveLength(2)
      yield* server.nextAbort
    }))

  it.scopedLive("a body that stops halfway times out too", () =>
    Effect.gen(function*() {
      const { images, server } = yield* serviceAt(Answers.halfBody(Exchange.HALF.declared, Exchange.HALF.partial), {
        timeout: "100 millis"
      })
      const error = yield* Effect.flip(images.list({ modelId: "model_1" }))
      expect(error._tag).toBe("TimeoutError")
      yield* server.nextAbort
    }))
})

// The non-zero series of one metric for the server, by `error.type` ("" when none).
const countsAt = (server: RecordingServer.RecordingServer) => {
  const port = String(new URL(server.origin).port)
  return (name: string) =>
    Effect.map(Metric.snapshot, (pairs) => {
      const out: Record<string, number> = {}
      for (const { metricKey, metricState } of pairs) {
        if (metricKey.name !== name) continue
        if (!metricKey.tags.some((tag) => tag.key === "server.port" && tag.value === port)) continue
        const value = MetricState.isCounterState(metricState)
          ? Number(metricState.count)
          : MetricState.isHistogramState(metricState)
          ? metricState.count
          : 0
        const error = metricKey.tags.find((tag) => tag.key === "error.type")?.value ?? ""
        if (value !== 0) out[error] = (out[error] ?? 0) + value
      }
      return out
    })
}

describe("NodeTrainingImages: interruption reaches the server", () => {
  it.scopedLive("Fiber.interrupt on a call closes its connection", () =>
    Effect.gen(function*() {
      const { images, server } = yield* serviceAt(Answers.never)
      const call = yield* Effect.fork(images.replace({ modelId: "model_1", trainingImageId: "a", assetId: "b" }))
      yield* server.nextRequest
      const exit = yield* Fiber.interrupt(call)
      expect(Exit.isInterrupted(exit)).toBe(true)
      const aborted = yield* server.nextAbort
      expect(aborted.url).toBe(Exchange.REPLACE_A_URL)
    }))

  it.scopedLive("the interrupted attempt leaves the requests in flight and counts as interrupted", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.never)
      const counts = countsAt(server)
      const images = yield* imagesAt(server)
      const call = yield* Effect.fork(images.replace({ modelId: "model_1", trainingImageId: "a", assetId: "b" }))
      yield* server.nextRequest
      expect(yield* counts("http.client.active_requests")).toEqual({ "": 1 })
      yield* Fiber.interrupt(call)
      expect(yield* counts("http.client.active_requests")).toEqual({})
      expect(yield* counts("scenario.client.requests")).toEqual({ interrupted: 1 })
      yield* server.nextAbort
    }))

  // A fiber that awaits the call is resumed as the call's fiber ends; one that began awaiting it before the
  // attempt began is resumed first of all. Waiting for the head or for the body, the attempt has ended by then.
  for (
    const [waitingFor, answer] of [
      ["the head", Answers.never],
      ["the body", Answers.halfBody(Exchange.HALF.declared, Exchange.HALF.partial)]
    ] as const
  ) {
    it.scopedLive(
      `a fiber awaiting the call from before its attempt began finds the attempt ended (waiting for ${waitingFor})`,
      () =>
        Effect.gen(function*() {
          const server = yield* RecordingServer.make(answer)
          const counts = countsAt(server)
          const images = yield* imagesAt(server)
          const call = yield* Effect.fork(
            Effect.zipRight(
              Effect.sleep("20 millis"),
              images.replace({ modelId: "model_1", trainingImageId: "a", assetId: "b" })
            )
          )
          const awaiting = yield* Effect.fork(Effect.zipRight(Fiber.await(call), counts("http.client.active_requests")))
          yield* server.nextRequest
          // Time for the head to arrive, when it comes.
          yield* Effect.sleep("50 millis")
          expect(yield* counts("http.client.active_requests")).toEqual({ "": 1 })
          yield* Fiber.interrupt(call)
          expect(yield* Fiber.join(awaiting)).toEqual({})
          expect(yield* counts("scenario.client.requests")).toEqual({ interrupted: 1 })
          yield* server.nextAbort
        })
    )
  }
})

describe("NodeTrainingImages: tracing", () => {
  it.scopedLive("under a recording tracer: the call's span, its attempt's, and the HTTP span inside it", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, MODEL))
      const names: Array<string> = []
      const native = yield* Effect.tracer
      const tracer = Tracer.make({
        span: (name, ...rest) => {
          names.push(name)
          return native.span(name, ...rest)
        },
        context: (f) => f()
      })
      const images = yield* imagesAt(server)
      yield* images.list({ modelId: "model_1" }).pipe(Effect.withTracer(tracer))
      // The call, its one attempt, and the transport's own HTTP span inside that attempt.
      expect(names).toEqual(Exchange.LIST_SPANS.effect3)
      expect(server.received[0]!.headers.traceparent).toMatch(Exchange.TRACEPARENT)
    }))
})

describe("NodeTrainingImages: the transport's own entry", () => {
  // Under Effect's own tracer (which records nothing) the transport makes no span of its own, on either of its
  // entries: the request carries the trace context of the span it is sent from.
  it.scopedLive("under Effect's own tracer, the request carries the caller's span, not a span of its own", () =>
    Effect.gen(function*() {
      const { images, server } = yield* serviceAt(RecordingServer.json(200, MODEL))
      const caller = yield* Effect.withSpan(
        Effect.tap(Effect.currentSpan, () => images.list({ modelId: "model_1" })),
        "caller"
      )
      expect(server.received[0]!.headers.traceparent).toBe(`00-${caller.traceId}-${caller.spanId}-01`)
    }))
})

describe("NodeTrainingImages: layers", () => {
  const env = (port: number, entries: Record<string, string>) =>
    ConfigProvider.fromMap(new Map(Object.entries(Exchange.env(port, entries))))

  const listOnce = Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId: "model_1" }))

  it.scopedLive("layer() and layerConfig() read the credentials and the base URL from the environment", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, MODEL))
      const provider = env(server.port, Exchange.CREDENTIALS_ENV)
      for (const live of [NodeTrainingImages.layer(), NodeTrainingImages.layerConfig({ pool: { connections: 2 } })]) {
        yield* listOnce.pipe(Effect.provide(Layer.provide(live, Layer.setConfigProvider(provider))))
      }
      expect(server.received.map((r) => [r.url, r.headers.authorization])).toEqual([
        ["/v1/models/model_1", BASIC],
        ["/v1/models/model_1", BASIC]
      ])
    }))

  it.scopedLive("a missing API key fails the layer with a ConfigError that names it", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make()
      const exit = yield* listOnce.pipe(
        Effect.provide(Layer.provide(
          NodeTrainingImages.layer(),
          Layer.setConfigProvider(env(server.port, Exchange.WITHOUT_KEY_ENV))
        )),
        Effect.exit
      )
      expect(Exit.isFailure(exit)).toBe(true)
      if (Exit.isSuccess(exit)) return
      const failure = exit.cause._tag === "Fail" ? exit.cause.error : undefined
      expect((failure as { _tag?: string })?._tag).toBe("ConfigError")
      expect(String(failure)).toContain(Exchange.MISSING)
      expect(server.received).toHaveLength(0)
    }))

  it.scopedLive("layer(options) takes the options as given", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, MODEL))
      yield* listOnce.pipe(
        Effect.provide(NodeTrainingImages.layer({
          credentials: Credentials.bearer(Exchange.BEARER),
          baseUrl: `${server.origin}/v1`,
          pool: { connections: 1 }
        }))
      )
      expect(server.received[0]!.headers.authorization).toBe(`Bearer ${Exchange.BEARER}`)
    }))
})

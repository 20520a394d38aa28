/**
 * The undici transport against a node:http server on 127.0.0.1: what goes on the wire, what comes back, and
 * that interrupting a request (a timeout, `Fiber.interrupt`, a lost race, a closed scope) aborts it, which
 * the server sees as its connection closing, with nothing left running in the pool.
 *
 * The Effect 4 line's runner of the table `contract/undici.ts`, shared with the Effect 3 line.
 */
import { UndiciHttpClient } from "@effect-scenario/effect4/node"
import * as Answers from "@effect-scenario/test-support/httpAnswers"
import * as LimitAnswers from "@effect-scenario/test-support/limitAnswers"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Context, Deferred, Effect, Exit, Fiber, Layer, Option, Schedule, Stream, Tracer } from "effect"
import {
  Headers,
  HttpBody,
  HttpClient,
  type HttpClientError,
  HttpClientRequest,
  type HttpClientResponse
} from "effect/http"
import * as Crypto from "node:crypto"
import * as V8 from "node:v8"
import * as Vm from "node:vm"
import * as Undici from "undici"
import * as Wire from "../../../../contract/undici.js"
import * as RecordingServer from "./recordingServer.js"

// A pool of the test's own, so that what it still runs can be asked.
// The pool's own count of running requests settles when undici has seen its socket close, just after the
// server has: this waits for it (the test's timeout bounds the wait).
const { ANSWER, BODIES, CUT, LARGE, TRACED, TWICE, WIRE } = Wire

const settled = (pool: Undici.Pool) =>
  Effect.repeat(Effect.sync(() => pool.stats.running + pool.stats.pending), {
    until: (busy) => busy === 0,
    schedule: Schedule.spaced("5 millis")
  })

const withPool =
  <A, E, R>(use: (client: HttpClient.HttpClient, pool: Undici.Pool, origin: string) => Effect.Effect<A, E, R>) =>
  (server: RecordingServer.RecordingServer) =>
    Effect.flatMap(
      Effect.acquireRelease(
        Effect.sync(() => new Undici.Pool(server.origin, { connections: 4 })),
        (pool) => Effect.promise(() => pool.destroy())
      ),
      (pool) => use(UndiciHttpClient.make(pool), pool, server.origin)
    )

// A tracer that keeps its spans, as an exporter would.
const recordingTracer = () => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: ({ kind, links, name, parent, sampled, startTime }) => {
      const attributes = new Map<string, unknown>()
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId: Crypto.randomBytes(8).toString("hex"),
        traceId: parent._tag === "Some" ? parent.value.traceId : Crypto.randomBytes(16).toString("hex"),
        parent,
        annotations: Context.empty(),
        status: { _tag: "Started", startTime },
        attributes,
        links,
        sampled,
        kind,
        end: () => {},
        attribute: (key, value) => attributes.set(key, value),
        event: () => {},
        addLinks: () => {}
      }
      spans.push(span)
      return span
    }
  })
  return { spans, tracer }
}

describe("UndiciHttpClient: the request on the wire", () => {
  it.live("method, path, query, headers and a text body", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, { ok: true }))
      yield* withPool((client) =>
        client.execute(
          HttpClientRequest.post(`${server.origin}${WIRE.path}`, {
            urlParams: WIRE.urlParams,
            headers: WIRE.headers,
            body: HttpBody.text(WIRE.body, WIRE.contentType)
          }).pipe(HttpClientRequest.setHash(WIRE.hash))
        )
      )(server)
      const [seen] = server.received
      expect(seen!.method).toBe(WIRE.seen.method)
      expect(seen!.url).toBe(WIRE.seen.url)
      for (const [name, value] of Object.entries(WIRE.seen.headers)) {
        expect([name, seen!.headers[name]]).toEqual([name, value])
      }
      expect(seen!.body.toString()).toBe(WIRE.body)
    }))

  it.live("bytes, a stream, and no body at all", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, {}))
      const bytes = Crypto.randomBytes(BODIES.bytes)
      yield* withPool((client) =>
        Effect.gen(function*() {
          yield* client.execute(HttpClientRequest.put(`${server.origin}/bytes`, {
            body: HttpBody.uint8Array(bytes, "application/octet-stream")
          }))
          yield* client.execute(HttpClientRequest.put(`${server.origin}/stream`, {
            body: HttpBody.stream(
              Stream.fromIterable(BODIES.pieces.map((piece) => Buffer.from(piece))),
              "text/plain"
            )
          }))
          yield* client.execute(HttpClientRequest.delete(`${server.origin}/none`))
        })
      )(server)
      const [fromBytes, fromStream, none] = server.received
      expect(fromBytes!.body.equals(bytes)).toBe(true)
      expect(fromBytes!.headers["content-length"]).toBe(String(bytes.length))
      expect(fromStream!.body.toString()).toBe(BODIES.streamed)
      expect(none!.method).toBe("DELETE")
      expect(none!.body.length).toBe(0)
    }))

  it.live("a FormData body goes as multipart, with the boundary undici writes", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, {}))
      yield* withPool((client) =>
        client.execute(HttpClientRequest.post(`${server.origin}/form`, { body: HttpBody.formData(Wire.formOf()) }))
      )(server)
      const [seen] = server.received
      const contentType = String(seen!.headers["content-type"])
      expect(Wire.FORM.contentType.test(contentType)).toBe(true)
      const parsed = yield* Effect.promise(() => Wire.readForm(new Uint8Array(seen!.body), contentType))
      expect(parsed.get(Wire.FORM.field[0])).toBe(Wire.FORM.field[1])
      const file = parsed.get(Wire.FORM.file.name) as File
      expect([file.name, file.type]).toEqual([Wire.FORM.file.fileName, Wire.FORM.file.type])
      expect([...new Uint8Array(yield* Effect.promise(() => file.arrayBuffer()))]).toEqual(Wire.FORM.file.bytes)
    }))

  it.live("middleware added on top still applies", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, {}))
      yield* withPool((client) =>
        client.pipe(HttpClient.mapRequest(HttpClientRequest.setHeader(...Wire.ADDED))).get(
          `${server.origin}/with-middleware`
        )
      )(server)
      expect(server.received[0]!.headers[Wire.ADDED[0]]).toBe(Wire.ADDED[1])
    }))
})

describe("UndiciHttpClient: the response", () => {
  it.live("status, headers, cookies and the body as text, JSON or bytes", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.raw(ANSWER.status, ANSWER.headers, ANSWER.body))
      yield* withPool((client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/answer`)
          expect(response.status).toBe(ANSWER.status)
          expect(response.headers["x-request-id"]).toBe(ANSWER.requestId)
          expect(response.headers["content-type"]).toBe(ANSWER.contentType)
          // An Effect `Headers`, read by its own functions (which lowercase the name asked for).
          expect(Headers.isHeaders(response.headers)).toBe(true)
          expect(Headers.get(response.headers, "X-Request-Id")).toEqual(Option.some(ANSWER.requestId))
          expect(response.cookies.cookies.a?.value).toBe(ANSWER.cookies.a)
          expect(response.cookies.cookies.b?.value).toBe(ANSWER.cookies.b)
          expect(yield* response.text).toBe(ANSWER.text)
          expect(yield* response.json).toEqual(ANSWER.json)
          const bytes = new Uint8Array(yield* response.arrayBuffer)
          expect(bytes[0]).toBe(ANSWER.firstByte)
        })
      )(server)
    }))

  it.live("an empty body is empty text and null JSON", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make((_, response) => {
        response.writeHead(204)
        response.end()
      })
      yield* withPool((client) =>
        Effect.gen(function*() {
          const response = yield* client.del(`${server.origin}/nothing`)
          expect(response.status).toBe(204)
          expect(yield* response.text).toBe("")
          expect(yield* response.json).toBe(null)
        })
      )(server)
    }))

  it.live("a large body read as a stream arrives whole and in order", () =>
    Effect.gen(function*() {
      const payload = Crypto.randomBytes(LARGE.size)
      const server = yield* RecordingServer.make(Answers.inPieces(payload, LARGE.piece))
      yield* withPool((client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/large`)
          const chunks = yield* Stream.runCollect(response.stream)
          const received = Buffer.concat(chunks)
          expect(chunks.length).toBeGreaterThan(1)
          expect(received.equals(payload)).toBe(true)
        })
      )(server)
    }))

  it.live("a body read twice as text gives the same text; once streamed it cannot be read whole", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, TWICE.body))
      yield* withPool((client) =>
        Effect.gen(function*() {
          const first = yield* client.get(`${server.origin}/twice`)
          expect(yield* first.text).toBe(TWICE.text)
          expect(yield* first.text).toBe(TWICE.text)
          const second = yield* client.get(`${server.origin}/streamed`)
          yield* Stream.runDrain(second.stream)
          const error = yield* Effect.flip(second.text)
          expect(Wire.failureKind.effect4(error)).toBe("decode")
        })
      )(server)
    }))
})

describe("UndiciHttpClient: failures", () => {
  it.live("connection refused is a transport error carrying the cause", () =>
    Effect.gen(function*() {
      const port = yield* RecordingServer.closedPort
      const pool = new Undici.Pool(`http://127.0.0.1:${port}`)
      yield* Effect.addFinalizer(() => Effect.promise(() => pool.destroy()))
      const error = yield* Effect.flip(UndiciHttpClient.make(pool).get(`http://127.0.0.1:${port}/x`))
      expect(Wire.failureKind.effect4(error)).toBe("transport")
      expect((error.cause as { code?: string }).code).toBe(Wire.REFUSED_CODE)
    }))

  it.live("a connection closed while the body is read is a decode error", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.cutBody(CUT.declared, CUT.partial, CUT.afterMillis))
      yield* withPool((client) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/cut`)
          const error = yield* Effect.flip(response.text)
          expect(Wire.failureKind.effect4(error)).toBe("decode")
        })
      )(server)
    }))

  it.live("an invalid URL is an invalid-URL error, and nothing is sent", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make()
      const error = yield* withPool((client) => Effect.flip(client.get(Wire.INVALID_URL)))(server)
      expect(Wire.failureKind.effect4(error)).toBe("invalidUrl")
      expect(server.received).toHaveLength(0)
    }))
})

describe("UndiciHttpClient: interruption aborts the request", () => {
  // The server reads the request and never answers; the request is interrupted once the server has it.
  const abortedBy = (
    label: string,
    interrupt: (
      call: Effect.Effect<unknown, unknown>,
      arrived: Effect.Effect<unknown>
    ) => Effect.Effect<unknown, unknown>
  ) =>
    it.live(label, () =>
      Effect.gen(function*() {
        const server = yield* RecordingServer.make(Answers.never)
        yield* withPool((client, pool) =>
          Effect.gen(function*() {
            const call = client.put(`${server.origin}${Wire.NEVER_ANSWERED}`, { body: HttpBody.text("{}") })
            yield* interrupt(call, server.nextRequest)
            const aborted = yield* server.nextAbort
            expect(aborted.url).toBe(Wire.NEVER_ANSWERED)
            yield* settled(pool)
          })
        )(server)
      }))

  abortedBy("by Fiber.interrupt", (call, arrived) =>
    Effect.gen(function*() {
      const fiber = yield* Effect.forkChild(call)
      yield* arrived
      yield* Fiber.interrupt(fiber)
    }))

  abortedBy("by Effect.timeout", (call) =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.timeout(call, "100 millis"))
      expect(Exit.isFailure(exit)).toBe(true)
    }))

  abortedBy("by losing Effect.race", (call, arrived) =>
    Effect.gen(function*() {
      const winner = yield* Deferred.make<string>()
      const race = yield* Effect.forkChild(Effect.race(call, Deferred.await(winner)))
      yield* arrived
      yield* Deferred.succeed(winner, "won")
      expect(yield* Fiber.join(race)).toBe("won")
    }))

  it.live("while the body is read", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.halfBody(CUT.declared, CUT.partial))
      yield* withPool((client, pool) =>
        Effect.gen(function*() {
          const response = yield* client.get(`${server.origin}/half-answered`)
          const read = yield* Effect.exit(Effect.timeout(response.text, "50 millis"))
          expect(Exit.isFailure(read)).toBe(true)
          yield* server.nextAbort
          yield* settled(pool)
        })
      )(server)
    }))

  it.live("by closing the scope of HttpClient.withScope", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make((_, response) => {
        response.writeHead(200, { "content-type": "text/plain" })
        response.write("first line\n")
      })
      yield* withPool((client, pool) =>
        Effect.gen(function*() {
          const scoped = HttpClient.withScope(client)
          yield* Effect.scoped(Effect.flatMap(scoped.get(`${server.origin}/scoped`), (response) => {
            expect(response.status).toBe(200)
            return Effect.void
          }))
          yield* server.nextAbort
          yield* settled(pool)
        })
      )(server)
    }))
})

describe("UndiciHttpClient: tracing", () => {
  it.live("under a recording tracer, a client span per request, its context sent along", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, {}))
      const { spans, tracer } = recordingTracer()
      yield* withPool((client) => client.get(`${server.origin}${TRACED.path}`))(server).pipe(Effect.withTracer(tracer))
      const span = spans.find((s) => s.name === "GET")!
      expect(span.kind).toBe("client")
      expect(span.attributes.get("http.request.method")).toBe(TRACED.method)
      expect(span.attributes.get("url.full")).toBe(`${server.origin}${TRACED.path}`)
      expect(span.attributes.get("http.response.status_code")).toBe(TRACED.status)
      expect(server.received[0]!.headers.traceparent).toBe(Wire.traceparent(span.traceId, span.spanId))
    }))

  // Effect 4's `HttpClient.make` makes the client span under Effect's own tracer too: the request carries
  // that span's context, a child of the enclosing span, or the root of a trace of its own (the calls of the
  // service skip that span: see below).
  it.live("under Effect's own tracer, a child of the enclosing span is sent, a new trace without one", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, {}))
      yield* withPool((client) =>
        Effect.gen(function*() {
          const parent = yield* Effect.withSpan(
            Effect.tap(Effect.currentSpan, () => client.get(`${server.origin}/in-span`)),
            "caller"
          )
          yield* client.get(`${server.origin}/no-span`)
          yield* client.get(`${server.origin}/no-propagation`).pipe(
            Effect.withSpan("caller"),
            Effect.provideService(HttpClient.TracerPropagationEnabled, false)
          )
          const [inSpan, noSpan, noPropagation] = server.received
          expect(inSpan!.headers.traceparent).toMatch(new RegExp(`^00-${parent.traceId}-[0-9a-f]{16}-01$`))
          expect(inSpan!.headers.traceparent).not.toContain(parent.spanId)
          expect(inSpan!.headers.b3).toMatch(new RegExp(`^${parent.traceId}-[0-9a-f]{16}-1-${parent.spanId}$`))
          expect(noSpan!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
          expect(noSpan!.headers.traceparent).not.toContain(parent.traceId)
          expect(noPropagation!.headers.traceparent).toBeUndefined()
        })
      )(server)
    }))
})

describe("UndiciHttpClient: layers", () => {
  it.live("layerWithoutDispatcher() sends through the dispatcher of NodeHttpClient.Dispatcher", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, Wire.VIA_DISPATCHER.body))
      const dispatched: Array<string> = []
      const body = yield* Effect.flatMap(
        HttpClient.get(`${server.origin}${Wire.VIA_DISPATCHER.path}`),
        (response) => response.json
      ).pipe(
        Effect.provide(UndiciHttpClient.layerWithoutDispatcher),
        Effect.provide(Layer.effect(
          NodeHttpClient.Dispatcher,
          Effect.map(
            UndiciHttpClient.makeDispatcher({ connections: 1 }),
            (agent) =>
              agent.compose((dispatch) => (options, handler) => {
                dispatched.push(String(options.path))
                return dispatch(options, handler)
              })
          )
        ))
      )
      expect(body).toEqual(Wire.VIA_DISPATCHER.body)
      expect(dispatched).toEqual([Wire.VIA_DISPATCHER.path])
    }))

  it.live("layer() provides an HttpClient over a pool of its own", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, Wire.VIA_LAYER))
      const body = yield* Effect.flatMap(HttpClient.get(`${server.origin}/via-layer`), (response) => response.json)
        .pipe(Effect.provide(UndiciHttpClient.layer({ connections: 2, keepAliveTimeout: "1 second" })))
      expect(body).toEqual(Wire.VIA_LAYER)
    }))
})

describe("UndiciHttpClient: the calls of the service (its per-attempt entry)", () => {
  // What `@effect-scenario/effect4`'s client finds on the transport, under this key.
  const EXECUTE_WITH_TIMEOUT = Symbol.for(Wire.EXECUTE_WITH_TIMEOUT)
  const RESPONSE_TOO_LARGE = Symbol.for(Wire.RESPONSE_TOO_LARGE)
  type Fast = (
    request: HttpClientRequest.HttpClientRequest,
    millis: number,
    options?: {
      readonly maxResponseBytes?: number | undefined
      readonly secretHeaders?: Readonly<Record<string, string>> | undefined
    }
  ) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
  const fastOf = (client: HttpClient.HttpClient): Fast =>
    (client as unknown as Record<symbol, Fast>)[EXECUTE_WITH_TIMEOUT]!

  it.live("the secret headers go on the wire only, never into the request errors and spans keep", () =>
    Effect.gen(function*() {
      const { SECRET } = Wire
      const server = yield* RecordingServer.make(RecordingServer.json(SECRET.status, {}))
      const { spans, tracer } = recordingTracer()
      yield* withPool((client) =>
        Effect.gen(function*() {
          const fast = fastOf(client)
          const request = HttpClientRequest.put(`${server.origin}${SECRET.path}`)
          const response = yield* fast(request, 5_000, { secretHeaders: SECRET.headers })
          expect(response.request.headers.authorization).toBeUndefined()
          yield* fast(request, 5_000, { secretHeaders: SECRET.headers }).pipe(Effect.withTracer(tracer))
        })
      )(server)
      expect(server.received.map((seen) => seen.headers.authorization)).toEqual([SECRET.sent, SECRET.sent])
      const span = spans.find((s) => s.name === SECRET.span.effect4)!
      expect(span.attributes.get("http.response.status_code")).toBe(SECRET.status)
      for (const [, value] of span.attributes) expect(String(value)).not.toContain(SECRET.hidden)
    }))

  it.live("a body past the limit fails the read, marked, and closes the connection", () =>
    Effect.gen(function*() {
      const { PAST_LIMIT } = Wire
      const pastLimit = LimitAnswers.pastLimit(PAST_LIMIT)
      const server = yield* RecordingServer.make(pastLimit.answer)
      yield* withPool((client, pool) =>
        Effect.gen(function*() {
          const fast = fastOf(client)
          for (const path of [PAST_LIMIT.declared, PAST_LIMIT.chunked]) {
            const response = yield* fast(HttpClientRequest.get(`${server.origin}${path}`), 5_000, {
              maxResponseBytes: PAST_LIMIT.limit
            })
            const error = yield* Effect.flip(response.text)
            expect(Wire.failureKind.effect4(error), path).toBe("decode")
            expect((error.cause as Record<symbol, unknown>)[RESPONSE_TOO_LARGE], path).toBe(PAST_LIMIT.limit)
            // The server sees the (keep-alive) connection of that request closed.
            yield* Effect.repeat(Effect.sync(() => pastLimit.closed(path)), {
              until: (closed) => closed,
              schedule: Schedule.spaced("5 millis")
            })
          }
          const within = yield* fast(HttpClientRequest.get(`${server.origin}${PAST_LIMIT.declared}`), 5_000, {
            maxResponseBytes: PAST_LIMIT.size
          })
          expect((yield* within.text).length).toBe(PAST_LIMIT.size)
          yield* settled(pool)
        })
      )(server)
    }))

  it.live("no complete response within the time is a transport error caused by a timeout, the request aborted", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.never)
      yield* withPool((client, pool) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(
            fastOf(client)(HttpClientRequest.get(`${server.origin}${Wire.SLOW.path}`), Wire.SLOW.millis)
          )
          expect(Wire.failureKind.effect4(error)).toBe("transport")
          expect(Cause.isTimeoutError(error.cause)).toBe(true)
          expect((yield* server.nextAbort).url).toBe(Wire.SLOW.path)
          yield* settled(pool)
        })
      )(server)
    }))

  it.live("interrupted, it aborts the request", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.never)
      yield* withPool((client, pool) =>
        Effect.gen(function*() {
          const fiber = yield* Effect.forkChild(
            fastOf(client)(HttpClientRequest.get(`${server.origin}${Wire.INTERRUPTED}`), 60_000)
          )
          yield* server.nextRequest
          yield* Fiber.interrupt(fiber)
          expect((yield* server.nextAbort).url).toBe(Wire.INTERRUPTED)
          yield* settled(pool)
        })
      )(server)
    }))

  it.live("under Effect's own tracer no span is made: the enclosing span's context is sent, and none without one", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(RecordingServer.json(200, {}))
      yield* withPool((client) =>
        Effect.gen(function*() {
          const fast = fastOf(client)
          const parent = yield* Effect.withSpan(
            Effect.tap(Effect.currentSpan, () => fast(HttpClientRequest.get(`${server.origin}/in-span`), 5_000)),
            "caller"
          )
          yield* fast(HttpClientRequest.get(`${server.origin}/no-span`), 5_000)
          yield* fast(HttpClientRequest.get(`${server.origin}/no-propagation`), 5_000).pipe(
            Effect.withSpan("caller"),
            Effect.provideService(HttpClient.TracerPropagationEnabled, false)
          )
          const [inSpan, noSpan, noPropagation] = server.received
          expect(inSpan!.headers.traceparent).toBe(Wire.traceparent(parent.traceId, parent.spanId))
          expect(noSpan!.headers.traceparent).toBeUndefined()
          expect(noPropagation!.headers.traceparent).toBeUndefined()
        })
      )(server)
    }))

  it.live("a URL with a query or an odd path is parsed, and an invalid one is an invalid-URL error", () =>
    Effect.gen(function*() {
      const { ODD_URL } = Wire
      const server = yield* RecordingServer.make(RecordingServer.json(200, {}))
      const error = yield* withPool((client) =>
        Effect.gen(function*() {
          const fast = fastOf(client)
          yield* fast(HttpClientRequest.get(`${server.origin}${ODD_URL.path}`, { urlParams: ODD_URL.urlParams }), 5_000)
          return yield* Effect.flip(fast(HttpClientRequest.get(Wire.INVALID_URL), 5_000))
        })
      )(server)
      expect(server.received.map((seen) => seen.url)).toEqual([ODD_URL.seen])
      expect(Wire.failureKind.effect4(error)).toBe("invalidUrl")
    }))

  // A response whose body nobody reads would hold its connection (paused, or waiting on a server that stalls)
  // for good: once the response is collected, the request is aborted. (A response of `execute` has Effect's own
  // registry for that; one of this entry has only the transport's.)
  it.live("a response dropped unread is aborted once it is collected, its connection closed", () =>
    Effect.gen(function*() {
      const { DROPPED } = Wire
      V8.setFlagsFromString("--expose-gc")
      const gc = Vm.runInNewContext("gc") as () => void
      const server = yield* RecordingServer.make(Answers.halfBody(DROPPED.declared, DROPPED.partial))
      yield* withPool((client) =>
        Effect.gen(function*() {
          const status = yield* Effect.map(
            // A timer longer than the test: only the collection can end the request.
            fastOf(client)(HttpClientRequest.get(`${server.origin}${DROPPED.path}`), 600_000),
            (response) => response.status
          )
          expect(status).toBe(200)
          // Finalizers run after a collection, on a later turn of the event loop.
          for (let i = 0; i < DROPPED.collections; i++) {
            gc()
            yield* Effect.sleep("20 millis")
          }
          const aborted = yield* server.nextAbort.pipe(Effect.timeout("5 seconds"))
          expect(aborted.url).toBe(DROPPED.path)
        })
      )(server)
    }))
})

import * as ResponseExchange from "@effect-scenario/kernel/ResponseExchange"
import * as Transport from "@effect-scenario/kernel/Transport"
import * as Target from "@effect-scenario/kernel/UrlTarget"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as IncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as FiberRef from "effect/FiberRef"
import { globalValue } from "effect/GlobalValue"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Tracer from "effect/Tracer"
import { createRequire } from "node:module"
import * as Undici from "undici"
import type * as UndiciHttpClient from "../UndiciHttpClient.js"

/** @internal */
export const DEFAULT_CONNECTIONS = 64

/** @internal */
export const DEFAULT_KEEP_ALIVE_TIMEOUT: Duration.Duration = Duration.seconds(4)

// undici's HTTP/1.1 parser treats an interim `100 Continue` as a broken response and closes the connection,
// although RFC 9110 §15.2 has a client skip any 1xx it did not ask for (undici already skips the others).
// The sockets of this transport's agent get a parser that reads a 100 as it reads any other 1xx (the kernel's
// `ResponseExchange.skipContinue`, which wraps the parser undici keeps on each socket). The parser
// is reached through undici's `kParser` symbol; if a later undici moves it, the parser is left as it is (the
// Hostile suite's `100 Continue` test then fails).
const kParser: symbol | undefined = (() => {
  try {
    const symbols = createRequire(import.meta.url)("undici/lib/core/symbols.js") as { kParser?: unknown }
    return typeof symbols.kParser === "symbol" ? symbols.kParser : undefined
  } catch {
    return undefined
  }
})()

const makeConnector = (connectTimeout: number | undefined): Undici.buildConnector.connector => {
  const connect = Undici.buildConnector(connectTimeout === undefined ? {} : { timeout: connectTimeout })
  return (options, callback) =>
    connect(options, (error, socket) => {
      if (error === null && socket !== null && kParser !== undefined) ResponseExchange.skipContinue(socket, kParser) // undici's callback type pairs (Error, null) and (null, Socket) in its overloads.
      ;(callback as (error: Error | null, socket: unknown) => void)(error, socket)
    })
}

/** @internal */
export const makeAgent = (options?: UndiciHttpClient.PoolOptions): Undici.Agent => {
  const keepAliveTimeout = Duration.toMillis(Duration.decode(options?.keepAliveTimeout ?? DEFAULT_KEEP_ALIVE_TIMEOUT))
  return new Undici.Agent({
    connections: options?.connections ?? DEFAULT_CONNECTIONS,
    keepAliveTimeout,
    // A server's own keep-alive hint may shorten the idle time, never lengthen it past ours.
    keepAliveMaxTimeout: keepAliveTimeout,
    connect: makeConnector(
      options?.connectTimeout === undefined ? undefined : Duration.toMillis(Duration.decode(options.connectTimeout))
    )
  })
}

/** @internal */
export const makeDispatcher = (
  options?: UndiciHttpClient.PoolOptions
): Effect.Effect<Undici.Dispatcher, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => makeAgent(options)),
    (agent) => Effect.promise(() => agent.destroy())
  )

// `HttpClient.withScope` leaves the AbortController of each request it scopes here, and aborts it when the
// scope closes; honouring it keeps that combinator working over this transport.
const scopedRequests = globalValue(
  "@effect/platform/HttpClient/scopedRequests",
  () => new WeakMap<HttpClientRequest.HttpClientRequest, AbortController>()
)

const UNDICI_OPTIONS_KEY = "@effect/platform-node/NodeHttpClient/undiciOptions"

// Timeouts are the caller's business (`Effect.timeout` and friends interrupt, which aborts the request).
const HEADERS_TIMEOUT = 60 * 60 * 1000

const HeadersProto = Object.getPrototypeOf(Headers.empty) as object

const toHeaders = (input: ResponseExchange.ResponseHeaders): Headers.Headers => {
  const out: Record<string, string> = Object.create(HeadersProto)
  for (const name in input) {
    const value = input[name]
    if (value === undefined) continue
    out[name] = typeof value === "string" ? value : value.join(", ")
  }
  return out as unknown as Headers.Headers
}

const interrupted = () => new Undici.errors.RequestAbortedError("The request was interrupted")

// A body read stopped past the limit: its cause carries the marker each line's client reads.
const tooLarge = Transport.responseTooLargeCause

type OnHead = (
  effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
) => void

/**
 * One request in flight, as undici's dispatch handler: it resolves the `execute` effect at the response
 * head, then keeps the body chunks for whoever reads them (whole, or as a stream with backpressure).
 *
 * It never references the response it produced, so that a response dropped unread can be collected, which
 * aborts the request (see `abandoned`).
 */
class Exchange extends ResponseExchange.ResponseExchange<Buffer> implements Undici.Dispatcher.DispatchHandler {
  onHead: OnHead | null

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    onHead: OnHead,
    limit: number
  ) {
    super(limit)
    this.onHead = onHead
  }

  protected deliverHead(): void {
    const onHead = this.onHead
    if (onHead === null) return
    this.onHead = null
    const response = new UndiciResponse(this.request, this)
    // Until its body has arrived, a response dropped unread would hold its connection (paused, or waiting on
    // a server that stalls): collecting it aborts the request.
    abandoned.register(response, this, this)
    onHead(Effect.succeed(response))
  }

  protected failHead(reason: Error): boolean {
    const onHead = this.onHead
    if (onHead === null) return false
    this.onHead = null
    onHead(Effect.fail(
      new HttpClientError.RequestError({ request: this.request, reason: "Transport", cause: reason })
    ))
    return true
  }

  protected dropHead(): void {
    this.onHead = null
  }

  protected settled(): void {
    abandoned.unregister(this)
  }

  protected timeoutError(millis: number): Error {
    return new Cause.TimeoutException(`No complete response within ${millis} ms`)
  }

  protected interruptedError(): Error {
    return interrupted()
  }

  protected tooLargeError(limit: number): Error {
    return tooLarge(limit)
  }
}

// A response whose body was never read would otherwise hold its connection paused for good.
const abandoned = globalValue(
  "@effect-scenario/platform-node/UndiciHttpClient/abandoned",
  () => new FinalizationRegistry<Exchange>((exchange) => exchange.interrupt())
)

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly status: number
  private readonly exchange: Exchange
  private cachedHeaders: Headers.Headers | undefined = undefined
  private cachedCookies: Cookies.Cookies | undefined = undefined
  private whole: Buffer | undefined = undefined

  constructor(
    readonly request: HttpClientRequest.HttpClientRequest,
    exchange: Exchange
  ) {
    super()
    this.exchange = exchange
    this.status = exchange.statusCode
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= toHeaders(this.exchange.headers)
  }

  get cookies(): Cookies.Cookies {
    if (this.cachedCookies !== undefined) return this.cachedCookies
    const header = this.exchange.headers["set-cookie"]
    return this.cachedCookies = header === undefined
      ? Cookies.empty
      : Cookies.fromSetCookie(typeof header === "string" ? [header] : header)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  private decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  private wholeNow(): Buffer {
    if (this.whole !== undefined) return this.whole
    const { buffered, chunks } = this.exchange
    const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered)
    this.exchange.chunks = [whole]
    return this.whole = whole
  }

  /** The whole body, once it has arrived. Interrupting the wait aborts the request. */
  get bytes(): Effect.Effect<Buffer, HttpClientError.ResponseError> {
    const exchange = this.exchange
    if (exchange.consumer === ResponseExchange.Consumer.Stream) {
      return Effect.fail(this.decodeError(new Error("The body was already read as a stream")))
    }
    if (exchange.done) return Effect.succeed(this.wholeNow())
    if (exchange.failure !== null) return Effect.fail(this.decodeError(exchange.failure))
    return Effect.async<Buffer, HttpClientError.ResponseError>((resume) => {
      if (exchange.consumer === ResponseExchange.Consumer.Stream) {
        return resume(Effect.fail(this.decodeError(new Error("The body was already read as a stream"))))
      }
      exchange.consumer = ResponseExchange.Consumer.Whole
      const wait = () => {
        if (exchange.done) resume(Effect.sync(() => this.wholeNow()))
        else if (exchange.failure !== null) resume(Effect.fail(this.decodeError(exchange.failure)))
        else exchange.wake = wait
      }
      wait()
      exchange.resume()
      return Effect.sync(() => exchange.interrupt())
    })
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.map(this.bytes, (bytes) => bytes.toString("utf8", Transport.utf8BomLength(bytes)))
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) => {
      if (text === "") return Effect.succeed(null)
      try {
        return Effect.succeed(JSON.parse(text) as unknown)
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(
      this.bytes,
      (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        try: () => UrlParams.fromInput(new URLSearchParams(text)),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.bytes, (bytes) =>
      Effect.tryPromise({
        try: () => {
          const contentType = this.exchange.headers["content-type"]
          const headers: Record<string, string> = typeof contentType === "string" ? { "content-type": contentType } : {}
          return new Response(new Uint8Array(bytes), { headers }).formData()
        },
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      const exchange = this.exchange
      if (exchange.consumer !== ResponseExchange.Consumer.None) {
        return Stream.fail(this.decodeError(new Error("The body was already read")))
      }
      exchange.consumer = ResponseExchange.Consumer.Stream
      const pull: Effect.Effect<Uint8Array, Option.Option<HttpClientError.ResponseError>> = Effect.suspend(() => {
        const next = exchange.takeChunk()
        if (next !== undefined) return Effect.succeed(next)
        if (exchange.done) return Effect.fail(Option.none())
        if (exchange.failure !== null) return Effect.fail(Option.some(this.decodeError(exchange.failure)))
        return Effect.async<void>((resume) => {
          exchange.wake = () => resume(Effect.void)
          exchange.resume()
          return Effect.sync(() => {
            exchange.wake = null
          })
        }).pipe(Effect.zipRight(pull))
      })
      return Stream.ensuring(Stream.repeatEffectOption(pull), Effect.sync(() => exchange.interrupt()))
    })
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }
}

type DispatchBody = Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>

const convertBody = (
  request: HttpClientRequest.HttpClientRequest
): DispatchBody | Effect.Effect<DispatchBody, HttpClientError.RequestError> => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return null
    case "Raw":
      return body.body as DispatchBody
    case "Uint8Array":
      return body.body
    case "FormData":
      // undici sends only its own FormData as multipart (with the boundary it writes in a content type of its own):
      // the global one, copied entry by entry.
      try {
        return convertFormData(body.formData) as unknown as DispatchBody
      } catch (cause) {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "Encode", cause }))
      }
    case "Stream":
      return NodeStream.toReadable(body.stream)
  }
}

const convertFormData = (formData: FormData): Undici.FormData => {
  const converted = new Undici.FormData()
  for (const [key, value] of formData) converted.append(key, value as string | Blob)
  return converted
}

type DispatchHeaders = NonNullable<Undici.Dispatcher.DispatchOptions["headers"]>

const abortReason = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Undici.errors.RequestAbortedError("The request was aborted")

const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  target: Target.Target,
  headers: DispatchHeaders,
  body: DispatchBody,
  context: Context.Context<never>,
  timeoutMillis: number | undefined,
  limit: number
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.async((resume) => {
    const exchange = new Exchange(request, resume, limit)
    const scoped = scopedRequests.get(request)
    if (scoped !== undefined) {
      const signal = scoped.signal
      if (signal.aborted) exchange.abort(abortReason(signal))
      else signal.addEventListener("abort", () => exchange.abort(abortReason(signal)), { once: true })
    }
    const extra = context.unsafeMap.get(UNDICI_OPTIONS_KEY) as Undici.Dispatcher.RequestOptions | undefined
    const options: Undici.Dispatcher.DispatchOptions = {
      ...extra,
      origin: target.origin,
      path: target.path,
      method: request.method as Undici.Dispatcher.HttpMethod,
      headers,
      body,
      headersTimeout: HEADERS_TIMEOUT,
      bodyTimeout: 0
    }
    try {
      dispatcher.dispatch(options, exchange)
    } catch (cause) {
      exchange.abort(cause instanceof Error ? cause : new Error(String(cause)))
    }
    if (timeoutMillis !== undefined) exchange.startTimer(timeoutMillis)
    return Effect.sync(() => exchange.interrupt())
  })

const sendWithBody = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  target: Target.Target,
  headers: DispatchHeaders,
  context: Context.Context<never>,
  options: ExecuteOptions
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const body = convertBody(request)
  const wire = options.secretHeaders === undefined ? headers : { ...headers, ...options.secretHeaders }
  const { limit, timeoutMillis } = options
  return Effect.isEffect(body)
    ? Effect.flatMap(
      body,
      (readable) => send(dispatcher, request, target, wire, readable, context, timeoutMillis, limit)
    )
    : send(dispatcher, request, target, wire, body, context, timeoutMillis, limit)
}

interface ExecuteOptions {
  readonly timeoutMillis: number | undefined
  readonly limit: number
  /** Written on the wire only: never in the request that errors and spans keep. */
  readonly secretHeaders: Readonly<Record<string, string>> | undefined
}

const PLAIN: ExecuteOptions = { timeoutMillis: undefined, limit: Number.POSITIVE_INFINITY, secretHeaders: undefined }

// The request's headers plus the trace context of `span`, as a plain object for undici.
const withTraceContext = (headers: Headers.Headers, span: Tracer.AnySpan): DispatchHeaders => {
  const out: Record<string, string> = {}
  for (const name in headers) out[name] = headers[name]!
  const sampled = span.sampled ? "1" : "0"
  out.b3 = span._tag === "Span" && span.parent._tag === "Some"
    ? `${span.traceId}-${span.spanId}-${sampled}-${span.parent.value.spanId}`
    : `${span.traceId}-${span.spanId}-${sampled}`
  out.traceparent = `00-${span.traceId}-${span.spanId}-0${sampled}`
  return out
}

const ATTR_HTTP_REQUEST_METHOD = "http.request.method"
const ATTR_HTTP_RESPONSE_STATUS_CODE = "http.response.status_code"
const ATTR_SERVER_ADDRESS = "server.address"
const ATTR_SERVER_PORT = "server.port"
const ATTR_URL_FULL = "url.full"
const ATTR_URL_PATH = "url.path"
const ATTR_URL_SCHEME = "url.scheme"
const ATTR_URL_QUERY = "url.query"

const traced = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  fiber: Fiber.RuntimeFiber<unknown, unknown>,
  options: ExecuteOptions
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const context = fiber.currentContext
  const name = Context.get(context, HttpClient.SpanNameGenerator)(request)
  return Effect.useSpan(name, { kind: "client", captureStackTrace: false }, (span: Tracer.Span) => {
    span.attribute(ATTR_HTTP_REQUEST_METHOD, request.method)
    span.attribute(ATTR_SERVER_ADDRESS, url.origin)
    if (url.port !== "") span.attribute(ATTR_SERVER_PORT, +url.port)
    span.attribute(ATTR_URL_FULL, url.toString())
    span.attribute(ATTR_URL_PATH, url.pathname)
    span.attribute(ATTR_URL_SCHEME, url.protocol.slice(0, -1))
    const query = url.search.slice(1)
    if (query !== "") span.attribute(ATTR_URL_QUERY, query)
    const redactedNames = fiber.getFiberRef(Headers.currentRedactedNames)
    const requestHeaders = Headers.redact(request.headers, redactedNames)
    for (const name in requestHeaders) {
      span.attribute(`http.request.header.${name}`, String(requestHeaders[name]))
    }
    const headers = fiber.getFiberRef(HttpClient.currentTracerPropagation)
      ? withTraceContext(request.headers, span)
      : request.headers
    return Effect.tap(
      sendWithBody(dispatcher, request, Target.targetOf(url), headers, context, options),
      (response) => {
        span.attribute(ATTR_HTTP_RESPONSE_STATUS_CODE, response.status)
        const responseHeaders = Headers.redact(response.headers, redactedNames)
        for (const name in responseHeaders) {
          span.attribute(`http.response.header.${name}`, String(responseHeaders[name]))
        }
      }
    )
  })
}

// Effect's built-in tracer records nothing anywhere: under it a span per request is pure cost. The request
// still carries the trace context of the span it is sent from, if any.
const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

const execute = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  options: ExecuteOptions
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.withFiberRuntime((fiber) => {
    const context = fiber.currentContext
    const enabled = fiber.getFiberRef(FiberRef.currentTracerEnabled) &&
      !fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)(request)
    const recorded = enabled &&
      Context.get(fiber.getFiberRef(DefaultServices.currentServices), Tracer.Tracer) !== nativeTracer
    // A span describes the URL, which is parsed for it; without one, a URL of the plain form is only split.
    let target = !recorded && request.urlParams.length === 0 && request.hash._tag === "None"
      ? Target.plainTarget(request.url)
      : undefined
    let url: URL | undefined
    if (target === undefined) {
      const parsed = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
      if (parsed._tag === "Left") {
        return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: parsed.left }))
      }
      url = parsed.right
      target = Target.targetOf(url)
    }
    if (!enabled) return sendWithBody(dispatcher, request, target, request.headers, context, options)
    if (recorded) return traced(dispatcher, request, url!, fiber, options)
    const parent = context.unsafeMap.get(Tracer.ParentSpan.key) as Tracer.AnySpan | undefined
    const headers = parent !== undefined && fiber.getFiberRef(HttpClient.currentTracerPropagation)
      ? withTraceContext(request.headers, parent)
      : request.headers
    return sendWithBody(dispatcher, request, target, headers, context, options)
  })

/**
 * The key under which `@effect-scenario/core` looks for a client's own per-attempt timeout: `(request,
 * millis, options)` executes the request and fails it with an `HttpClientError` whose cause is a
 * `Cause.TimeoutException` when no complete response has arrived within `millis`. It spares the fibers that
 * `Effect.timeoutFail` would fork for every attempt. `options.maxResponseBytes` bounds the body as it
 * arrives (the read fails with a cause marked `RESPONSE_TOO_LARGE`, the connection closed);
 * `options.secretHeaders` are written on the wire only, so that the request kept by errors and spans
 * carries no credentials.
 */
const EXECUTE_WITH_TIMEOUT = Symbol.for("@effect-scenario/core/HttpClient/executeWithTimeout")

/** @internal */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient => {
  const client = HttpClient.makeWith(
    (effect) => Effect.flatMap(effect, (request) => execute(dispatcher, request, PLAIN)),
    Effect.succeed as HttpClient.HttpClient.Preprocess<never, never>
  )
  return Object.assign(client, {
    [EXECUTE_WITH_TIMEOUT]: (
      request: HttpClientRequest.HttpClientRequest,
      millis: number,
      options?: {
        readonly maxResponseBytes?: number | undefined
        readonly secretHeaders?: Readonly<Record<string, string>> | undefined
      }
    ) =>
      execute(dispatcher, request, {
        timeoutMillis: millis,
        limit: options?.maxResponseBytes ?? Number.POSITIVE_INFINITY,
        secretHeaders: options?.secretHeaders
      })
  })
}

/** @internal */
export const layerWithoutDispatcher: Layer.Layer<HttpClient.HttpClient, never, NodeHttpClient.Dispatcher> = Layer
  .effect(HttpClient.HttpClient, Effect.map(NodeHttpClient.Dispatcher, make))

/** @internal */
export const layer = (options?: UndiciHttpClient.PoolOptions): Layer.Layer<HttpClient.HttpClient> =>
  Layer.scoped(HttpClient.HttpClient, Effect.map(makeDispatcher(options), make))

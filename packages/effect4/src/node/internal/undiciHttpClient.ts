import * as ResponseExchange from "@effect-scenario/kernel/ResponseExchange"
import * as Transport from "@effect-scenario/kernel/Transport"
import * as Target from "@effect-scenario/kernel/UrlTarget"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeStream from "@effect/platform-node/NodeStream"
import * as Cause from "effect/Cause"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Fiber from "effect/Fiber"
import * as Cookies from "effect/http/Cookies"
import * as Headers from "effect/http/Headers"
import type * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import * as HttpClientError from "effect/http/HttpClientError"
import type * as HttpClientRequest from "effect/http/HttpClientRequest"
import * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as IncomingMessage from "effect/http/HttpIncomingMessage"
import * as Url from "effect/http/Url"
import * as UrlParams from "effect/http/UrlParams"
import * as Inspectable from "effect/Inspectable"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { pipeArguments } from "effect/Pipeable"
import * as References from "effect/References"
import * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import type * as Socket from "effect/socket/Socket"
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
  const keepAliveTimeout = Duration.toMillis(
    Duration.fromInputUnsafe(options?.keepAliveTimeout ?? DEFAULT_KEEP_ALIVE_TIMEOUT)
  )
  return new Undici.Agent({
    connections: options?.connections ?? DEFAULT_CONNECTIONS,
    keepAliveTimeout,
    // A server's own keep-alive hint may shorten the idle time, never lengthen it past ours.
    keepAliveMaxTimeout: keepAliveTimeout,
    connect: makeConnector(
      options?.connectTimeout === undefined
        ? undefined
        : Duration.toMillis(Duration.fromInputUnsafe(options.connectTimeout))
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

// Timeouts are the caller's business (`Effect.timeout` and friends interrupt, which aborts the request).
const HEADERS_TIMEOUT = 60 * 60 * 1000

// The prototype of every `Headers`: a response's headers are written straight into an object made from it, as
// `Headers.fromInput` makes them. (`Headers.fromRecordUnsafe` gives a plain record that prototype afterwards,
// which V8 makes several times slower, on every response.)
const HeadersProto: object = Object.getPrototypeOf(Headers.empty)

const toHeaders = (input: ResponseExchange.ResponseHeaders): Headers.Headers => {
  const out = Object.create(HeadersProto) as Record<string, string>
  for (const name in input) {
    const value = input[name]
    if (value === undefined) continue
    out[name] = typeof value === "string" ? value : value.join(", ")
  }
  return out as Headers.Headers
}

const interrupted = () => new Undici.errors.RequestAbortedError("The request was interrupted")

// A body read stopped past the limit: its cause carries the marker each line's client reads.
const tooLarge = Transport.responseTooLargeCause

/** Told when the fiber waiting on an execution is interrupted (`ExecuteOptions.attempt`). */
interface Attempt {
  readonly interrupted: () => void
}

type OnHead = (
  effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
) => void

const transportError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })

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
    readonly target: Target.Target,
    onHead: OnHead,
    limit: number,
    private readonly attempt: Attempt | undefined
  ) {
    super(limit)
    this.onHead = onHead
  }

  /**
   * The fiber waiting on this exchange (for the head, or for the body) was interrupted: the exchange is aborted
   * and the attempt told, while the fiber is still unwinding.
   */
  interrupted(): void {
    this.interrupt()
    this.attempt?.interrupted()
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
    onHead(Effect.fail(transportError(this.request, reason)))
    return true
  }

  protected dropHead(): void {
    this.onHead = null
  }

  protected settled(): void {
    abandoned.unregister(this)
  }

  protected timeoutError(millis: number): Error {
    return new Cause.TimeoutError(`No complete response within ${millis} ms`)
  }

  protected interruptedError(): Error {
    return interrupted()
  }

  protected tooLargeError(limit: number): Error {
    return tooLarge(limit)
  }
}

// A response whose body was never read would otherwise hold its connection paused for good.
const abandoned = new FinalizationRegistry<Exchange>((exchange) => exchange.interrupt())

class UndiciResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [IncomingMessage.TypeId]: typeof IncomingMessage.TypeId = IncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: typeof HttpClientResponse.TypeId = HttpClientResponse.TypeId
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

  get url(): string {
    return this.exchange.target.origin + this.exchange.target.path
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

  private decodeError(cause: unknown): HttpClientError.HttpClientError {
    return new HttpClientError.HttpClientError({
      reason: new HttpClientError.DecodeError({ request: this.request, response: this, cause })
    })
  }

  private wholeNow(): Buffer {
    if (this.whole !== undefined) return this.whole
    const { buffered, chunks } = this.exchange
    const whole = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, buffered)
    this.exchange.chunks = [whole]
    return this.whole = whole
  }

  /** The whole body, once it has arrived. Interrupting the wait aborts the request. */
  get bytes(): Effect.Effect<Buffer, HttpClientError.HttpClientError> {
    const exchange = this.exchange
    if (exchange.consumer === ResponseExchange.Consumer.Stream) {
      return Effect.fail(this.decodeError(new Error("The body was already read as a stream")))
    }
    if (exchange.done) return Effect.succeed(this.wholeNow())
    if (exchange.failure !== null) return Effect.fail(this.decodeError(exchange.failure))
    return Effect.callback<Buffer, HttpClientError.HttpClientError>((resume) => {
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
      return Effect.sync(() => exchange.interrupted())
    })
  }

  get text(): Effect.Effect<string, HttpClientError.HttpClientError> {
    return Effect.map(this.bytes, (bytes) => bytes.toString("utf8", Transport.utf8BomLength(bytes)))
  }

  get json(): Effect.Effect<Schema.Json, HttpClientError.HttpClientError> {
    return Effect.flatMap(this.text, (text) => {
      if (text === "") return Effect.succeed(null)
      try {
        return Effect.succeed(JSON.parse(text) as Schema.Json)
      } catch (cause) {
        return Effect.fail(this.decodeError(cause))
      }
    })
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.HttpClientError> {
    return Effect.map(
      this.bytes,
      (bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    )
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.HttpClientError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({
        // A leading "?" is form data; URLSearchParams would drop it as a query prefix.
        try: () => UrlParams.fromInput(new URLSearchParams(text.replace(/^\?/, "%3F"))),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.HttpClientError> {
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

  get upgrade(): Effect.Effect<Socket.Socket, HttpClientError.HttpClientError> {
    return Effect.fail(
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.StatusCodeError({
          request: this.request,
          response: this,
          description: "this transport does not hand over the connection of an HTTP upgrade"
        })
      })
    )
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.HttpClientError> {
    return Stream.suspend(() => {
      const exchange = this.exchange
      if (exchange.consumer !== ResponseExchange.Consumer.None) {
        return Stream.fail(this.decodeError(new Error("The body was already read")))
      }
      exchange.consumer = ResponseExchange.Consumer.Stream
      const pull: Effect.Effect<
        readonly [Uint8Array, ...Array<Uint8Array>],
        HttpClientError.HttpClientError | Cause.Done
      > = Effect.suspend(() => {
        const next = exchange.takeChunk()
        if (next !== undefined) return Effect.succeed([next] as const)
        if (exchange.done) return Cause.done()
        if (exchange.failure !== null) return Effect.fail(this.decodeError(exchange.failure))
        return Effect.callback<void>((resume) => {
          exchange.wake = () => resume(Effect.void)
          exchange.resume()
          return Effect.sync(() => {
            exchange.wake = null
          })
        }).pipe(Effect.andThen(pull))
      })
      return Stream.ensuring(Stream.fromPull(Effect.succeed(pull)), Effect.sync(() => exchange.interrupt()))
    })
  }

  toJSON(): unknown {
    return IncomingMessage.inspect(this, {
      _id: "effect/http/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
  }

  pipe() {
    // eslint-disable-next-line prefer-rest-params
    return pipeArguments(this, arguments)
  }
}

type DispatchBody = Exclude<Undici.Dispatcher.DispatchOptions["body"], undefined>
type DispatchHeaders = Record<string, string>

const convertFormData = (formData: FormData): Undici.FormData => {
  const converted = new Undici.FormData()
  for (const [key, value] of formData) converted.append(key, value as string | Blob)
  return converted
}

const withoutContentType = (headers: DispatchHeaders): DispatchHeaders => {
  const out: DispatchHeaders = {}
  for (const name in headers) if (name !== "content-type") out[name] = headers[name]!
  return out
}

const abortReason = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new Undici.errors.RequestAbortedError("The request was aborted")

/** What one execution asks beyond the request: its timer, its body limit, and the headers for the wire only. */
interface ExecuteOptions {
  readonly timeoutMillis: number | undefined
  readonly limit: number
  /** Written on the wire only: never in the request that errors and spans keep. */
  readonly secretHeaders: Readonly<Record<string, string>> | undefined
  /** Told when the fiber waiting on the response is interrupted, before that fiber ends. */
  readonly attempt: Attempt | undefined
}

const PLAIN: ExecuteOptions = {
  timeoutMillis: undefined,
  limit: Number.POSITIVE_INFINITY,
  secretHeaders: undefined,
  attempt: undefined
}

// The options of the execution under way, for the runner that `HttpClient.make` calls (a traced execution
// goes through it, so that its span is the one every `effect/http` client makes).
const CurrentExecuteOptions = Context.Reference<ExecuteOptions>(
  "@effect-scenario/effect4/node/UndiciHttpClient/CurrentExecuteOptions",
  { defaultValue: () => PLAIN }
)

const send = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  target: Target.Target,
  headers: DispatchHeaders,
  body: DispatchBody,
  fiber: Fiber.Fiber<unknown, unknown>,
  options: ExecuteOptions,
  signal: AbortSignal | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.callback((resume) => {
    const exchange = new Exchange(request, target, resume, options.limit, options.attempt)
    if (signal !== undefined) {
      if (signal.aborted) exchange.abort(abortReason(signal))
      else signal.addEventListener("abort", () => exchange.abort(abortReason(signal)), { once: true })
    }
    const extra = fiber.getRef(NodeHttpClient.UndiciOptions)
    const dispatchOptions: Undici.Dispatcher.DispatchOptions = {
      ...extra,
      origin: target.origin,
      path: target.path,
      method: request.method as Undici.Dispatcher.HttpMethod,
      headers: options.secretHeaders === undefined ? headers : { ...headers, ...options.secretHeaders },
      body,
      headersTimeout: HEADERS_TIMEOUT,
      bodyTimeout: 0
    }
    try {
      dispatcher.dispatch(dispatchOptions, exchange)
    } catch (cause) {
      exchange.abort(cause instanceof Error ? cause : new Error(String(cause)))
    }
    if (options.timeoutMillis !== undefined) exchange.startTimer(options.timeoutMillis)
    return Effect.sync(() => exchange.interrupted())
  })

const sendWithBody = (
  dispatcher: Undici.Dispatcher,
  request: HttpClientRequest.HttpClientRequest,
  target: Target.Target,
  headers: DispatchHeaders,
  fiber: Fiber.Fiber<unknown, unknown>,
  options: ExecuteOptions,
  signal: AbortSignal | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const body: HttpBody.HttpBody = request.body
  switch (body._tag) {
    case "Empty":
      return send(dispatcher, request, target, headers, null, fiber, options, signal)
    case "Raw":
      return send(dispatcher, request, target, headers, body.body as DispatchBody, fiber, options, signal)
    case "Uint8Array":
      return send(dispatcher, request, target, headers, body.body, fiber, options, signal)
    case "FormData": {
      // undici writes the multipart boundary in a content type of its own.
      let formData: Undici.FormData
      try {
        formData = convertFormData(body.formData)
      } catch (cause) {
        return Effect.fail(
          new HttpClientError.HttpClientError({ reason: new HttpClientError.EncodeError({ request, cause }) })
        )
      }
      return send(
        dispatcher,
        request,
        target,
        withoutContentType(headers),
        formData as unknown as DispatchBody,
        fiber,
        options,
        signal
      )
    }
    case "Stream":
      return Effect.flatMap(
        NodeStream.toReadable(body.stream),
        (readable) => send(dispatcher, request, target, headers, readable, fiber, options, signal)
      )
  }
}

// The request's headers plus the trace context of `span`, as a plain object for undici.
const withTraceContext = (headers: Headers.Headers, span: Tracer.AnySpan): DispatchHeaders => {
  const out: DispatchHeaders = {}
  for (const name in headers) out[name] = headers[name]!
  // As `HttpTraceContext.toHeaders` writes them, for an external parent span too.
  const sampled = span.sampled ? "1" : "0"
  out.b3 = span._tag === "Span" && span.parent._tag === "Some"
    ? `${span.traceId}-${span.spanId}-${sampled}-${span.parent.value.spanId}`
    : `${span.traceId}-${span.spanId}-${sampled}`
  out.traceparent = `00-${span.traceId.padStart(32, "0")}-${span.spanId}-0${sampled}`
  return out
}

// Effect's built-in tracer records nothing anywhere: under it a span per request is pure cost, so the calls
// of `@effect-scenario/effect4`'s client skip `HttpClient.make`'s span. The request still carries the trace
// context of the span it is sent from, if any.
const executeFast = (
  dispatcher: Undici.Dispatcher,
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest,
  options: ExecuteOptions
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.withFiber((fiber) => {
    const enabled = fiber.getRef(References.TracerEnabled) && !fiber.getRef(Tracer.DisablePropagation) &&
      !fiber.getRef(HttpClient.TracerDisabledWhen)(request)
    if (enabled && fiber.getRef(Tracer.Tracer) !== Tracer.nativeTracer) {
      // Under a tracer that records spans, the span `HttpClient.make` makes for every client.
      return Effect.provideService(client.execute(request), CurrentExecuteOptions, options)
    }
    // Without a span the URL is not needed whole: one of the plain form is only split.
    let target = request.urlParams.params.length === 0 && request.hash._tag === "None"
      ? Target.plainTarget(request.url)
      : undefined
    if (target === undefined) {
      const parsed = Url.make(request.url, request.urlParams, Option.getOrUndefined(request.hash))
      if (Result.isFailure(parsed)) {
        return Effect.fail(
          new HttpClientError.HttpClientError({
            reason: new HttpClientError.InvalidUrlError({ request, cause: parsed.failure })
          })
        )
      }
      target = Target.targetOf(parsed.success)
    }
    const parent = enabled && fiber.getRef(HttpClient.TracerPropagationEnabled)
      ? fiber.context.mapUnsafe.get(Tracer.ParentSpanKey) as Tracer.AnySpan | undefined
      : undefined
    const headers = parent !== undefined ? withTraceContext(request.headers, parent) : request.headers
    return sendWithBody(dispatcher, request, target, headers, fiber, options, undefined)
  })

/**
 * The key under which `@effect-scenario/effect4`'s client looks for a client's own per-attempt timeout:
 * `(request, millis, options)` executes the request and fails it with an `HttpClientError` whose cause is a
 * `Cause.TimeoutError` when no complete response has arrived within `millis`. It spares the fibers that
 * `Effect.timeoutOrElse` would fork for every attempt. `options.maxResponseBytes` bounds the body as it
 * arrives (the read fails with a cause marked `RESPONSE_TOO_LARGE`, the connection closed);
 * `options.secretHeaders` are written on the wire only, so that the request kept by errors and spans
 * carries no credentials. `options.attempt.interrupted` is called when the fiber waiting on the response (its
 * head or its body) is interrupted, while that fiber unwinds: before anything that awaits the fiber resumes.
 */
const EXECUTE_WITH_TIMEOUT = Symbol.for("@effect-scenario/core/HttpClient/executeWithTimeout")

/** @internal */
export const make = (dispatcher: Undici.Dispatcher): HttpClient.HttpClient => {
  const client = HttpClient.make((request, url, signal, fiber) =>
    sendWithBody(
      dispatcher,
      request,
      Target.targetOf(url),
      request.headers,
      fiber,
      fiber.getRef(CurrentExecuteOptions),
      signal
    )
  )
  return Object.assign(client, {
    [EXECUTE_WITH_TIMEOUT]: (
      request: HttpClientRequest.HttpClientRequest,
      millis: number,
      options?: {
        readonly maxResponseBytes?: number | undefined
        readonly secretHeaders?: Readonly<Record<string, string>> | undefined
        readonly attempt?: Attempt | undefined
      }
    ) =>
      executeFast(dispatcher, client, request, {
        timeoutMillis: millis,
        limit: options?.maxResponseBytes ?? Number.POSITIVE_INFINITY,
        secretHeaders: options?.secretHeaders,
        attempt: options?.attempt
      })
  })
}

/** @internal */
export const layerWithoutDispatcher: Layer.Layer<HttpClient.HttpClient, never, NodeHttpClient.Dispatcher> = Layer
  .effect(HttpClient.HttpClient, Effect.map(Effect.service(NodeHttpClient.Dispatcher), make))

/** @internal */
export const layer = (options?: UndiciHttpClient.PoolOptions): Layer.Layer<HttpClient.HttpClient> =>
  Layer.effect(HttpClient.HttpClient, Effect.map(makeDispatcher(options), make))

import * as Authorization from "@effect-scenario/kernel/Authorization"
import * as Endpoint from "@effect-scenario/kernel/Endpoint"
import * as RequestBody from "@effect-scenario/kernel/RequestBody"
import * as RequestError from "@effect-scenario/kernel/RequestError"
import * as Transport from "@effect-scenario/kernel/Transport"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { dual } from "effect/Function"
import * as Headers from "effect/http/Headers"
import * as HttpBody from "effect/http/HttpBody"
import * as HttpClient from "effect/http/HttpClient"
import type * as HttpClientError from "effect/http/HttpClientError"
import * as HttpClientRequest from "effect/http/HttpClientRequest"
import type * as HttpClientResponse from "effect/http/HttpClientResponse"
import * as Redacted from "effect/Redacted"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as Stream from "effect/Stream"
import * as Credentials from "../Credentials.js"
import * as RetryPolicy from "../RetryPolicy.js"
import type * as TrainingImage from "../TrainingImage.js"
import type * as TrainingImages from "../TrainingImages.js"
import {
  ConnectionError,
  type DeleteError,
  InvalidRequestError,
  ResponseTooLargeError,
  TimeoutError,
  type TrainingImagesError
} from "../TrainingImagesError.js"
import * as Response from "./response.js"
import * as Telemetry from "./telemetry.js"
import * as Validate from "./validate.js"
import { VERSION } from "./version.js"

/** @internal */
export const DEFAULT_BASE_URL: string = Endpoint.DEFAULT_BASE_URL

/** @internal */
export const DEFAULT_TIMEOUT: Duration.Duration = Duration.seconds(60)

/** @internal */
export const DEFAULT_MAX_REQUEST_BYTES: number = RequestBody.DEFAULT_MAX_REQUEST_BYTES

/** @internal */
export const DEFAULT_MAX_RESPONSE_BYTES: number = Transport.DEFAULT_MAX_RESPONSE_BYTES

/** @internal */
export const USER_AGENT = `effect-scenario/${VERSION}`

/** @internal */
export const currentRequestOptions: Context.Reference<TrainingImages.RequestOptions> = Context.Reference<
  TrainingImages.RequestOptions
>(
  // Stryker disable next-line StringLiteral: equivalent, any key unique among references
  "@effect-scenario/effect4/TrainingImages/currentRequestOptions",
  { defaultValue: () => ({}) }
)

/** @internal */
export const withRequestOptions = dual<
  (options: TrainingImages.RequestOptions) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
  <A, E, R>(self: Effect.Effect<A, E, R>, options: TrainingImages.RequestOptions) => Effect.Effect<A, E, R>
>(2, (self, options) => Effect.updateService(self, currentRequestOptions, (current) => ({ ...current, ...options })))

/**
 * A `ConfigError` that names the field at `path` and says what is wrong with it (never quoting the value).
 *
 * @internal
 */
export const invalidData = (path: ReadonlyArray<string>, message: string): Config.ConfigError =>
  new Config.ConfigError(
    new Schema.SchemaError(new SchemaIssue.Pointer(path, new SchemaIssue.InvalidValue({ message })))
  )

/**
 * The base URL, checked once when the service is built (the kernel's rules), as a `ConfigError` at `path`.
 *
 * @internal
 */
export const checkBaseUrl = (
  input: string | URL | undefined,
  allowInsecureHttp: boolean | undefined,
  path: string = "baseUrl"
): Result.Result<string, Config.ConfigError> => {
  const checked = Endpoint.checkBaseUrl(input === undefined ? DEFAULT_BASE_URL : input.toString(), allowInsecureHttp)
  return checked._tag === "Valid"
    ? Result.succeed(checked.url)
    : Result.fail(invalidData([path], checked.problem))
}

/** @internal */
export const surelyNotSent = Transport.surelyNotSent

/** The code of a transport's local refusal of the request, if `cause` is one. @internal */
export const refusedLocally = Transport.refusedLocally

/**
 * The marker a transport puts on the cause of a body read that went past the limit it was given.
 *
 * @internal
 */
export const RESPONSE_TOO_LARGE: typeof Transport.RESPONSE_TOO_LARGE = Transport.RESPONSE_TOO_LARGE

const tooLargeError = (
  line: Response.RequestLine,
  response: { readonly status: number; readonly headers: Readonly<Record<string, string>> },
  maxResponseBytes: number
): ResponseTooLargeError =>
  new ResponseTooLargeError({ ...line, ...RequestError.responseFacts(response), maxResponseBytes })

/**
 * The body as text within `limit` bytes, for any transport. A `content-length` above the limit fails before
 * reading anything. A body whose `content-length` is within it and that is not compressed is read with
 * `response.text`: every HTTP/1.1 transport stops at the declared length, so the read is bounded, and
 * converting the body to a stream would cost more than the request itself on some transports. Any other
 * body (chunked, or compressed, whose declared length says nothing of its size once inflated) is read as a
 * stream and counted: past `limit` bytes the read stops (the stream is cancelled, which closes the
 * connection) with a `ResponseTooLargeError`.
 *
 * @internal
 */
export const readText = (
  line: Response.RequestLine,
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<string, HttpClientError.HttpClientError | ResponseTooLargeError> => {
  const declared = Transport.declaredLength(response.headers)
  if (declared !== undefined) {
    if (declared > limit) {
      return Effect.andThen(
        Effect.ignore(Stream.runHead(response.stream)),
        Effect.fail(tooLargeError(line, response, limit))
      )
    }
    if (Transport.isUncompressed(response.headers)) return response.text
  }
  return Effect.suspend(() => {
    const body = Transport.boundedBody(limit)
    return response.stream.pipe(
      Stream.runForEachArray((chunk) => {
        for (const bytes of chunk) {
          if (!body.add(bytes)) return Effect.fail(tooLargeError(line, response, limit))
        }
        return Effect.void
      }),
      Effect.map(body.text),
      // A response without a body (fetch's `null` body) has the empty text.
      Effect.catchIf(
        (error): error is HttpClientError.HttpClientError =>
          // Stryker disable next-line ConditionalExpression: equivalent, only an HttpClientError has a reason
          error._tag === "HttpClientError" && error.reason._tag === "EmptyBodyError",
        () => Effect.succeed("")
      )
    )
  })
}

// The names the request could not be built for, as the Effect 3 line's errors give them.
const UNBUILT: Readonly<Record<string, string>> = { InvalidUrlError: "InvalidUrl", EncodeError: "Encode" }

const fromHttpClientError = (
  line: Response.RequestLine,
  error: HttpClientError.HttpClientError
): TrainingImagesError => {
  const reason = error.reason
  const unbuilt = UNBUILT[reason._tag]
  if (unbuilt !== undefined) {
    return new InvalidRequestError({
      operation: line.operation,
      issues: [{ path: [], message: Transport.unbuiltProblem(unbuilt, reason.cause) }]
    })
  }
  const refused = reason._tag === "TransportError" ? refusedLocally(reason.cause) : undefined
  if (refused !== undefined) {
    // The transport's message may quote the refused value (a header holding a secret): it is not repeated.
    return new InvalidRequestError({
      operation: line.operation,
      issues: [{ path: [], message: Transport.refusedProblem(refused) }]
    })
  }
  // A failure while reading the response means the request was sent.
  const sent = reason._tag !== "TransportError" || !surelyNotSent(reason.cause)
  return new ConnectionError({ ...line, mayHaveReachedServer: sent, cause: reason.cause ?? reason.description })
}

/**
 * A timeout kept by Effect (`Effect.timeoutOrElse`) races the attempt against a timer per attempt, a large
 * share of a request's cost. A transport that
 * keeps the time itself offers, on its client under this key, `(request, millis, options)`: the request
 * executed like `execute` does, failed with an `HttpClientError` whose reason's cause is a `Cause.TimeoutError`
 * once `millis` pass before the whole response (body included) has arrived. It counts real time, so it
 * stands in for `Effect.timeoutOrElse` only under the live clock; a client wrapped in middleware no longer
 * carries it. It also counts the body against `maxResponseBytes` as it arrives, and writes `secretHeaders`
 * (the credentials) on the wire without putting them in the request that errors and spans keep.
 */
// The same key as the Effect 3 line's, so that one transport may serve both.
const EXECUTE_WITH_TIMEOUT = Symbol.for("@effect-scenario/core/HttpClient/executeWithTimeout")

type ExecuteWithTimeout = (
  request: HttpClientRequest.HttpClientRequest,
  millis: number,
  options?: {
    /** Past this many body bytes the read fails with a cause marked `RESPONSE_TOO_LARGE`, the connection closed. */
    readonly maxResponseBytes?: number | undefined
    /** Headers added only to what is written on the wire: never to the request errors and spans keep. */
    readonly secretHeaders?: Readonly<Record<string, string>> | undefined
    /** Told when the fiber waiting on the response is interrupted, before that fiber ends. */
    readonly attempt?: { readonly interrupted: () => void } | undefined
  }
) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>

// Timers longer than this never fire under the live clock: `Effect.timeoutOrElse` keeps that behaviour.
const MAX_TIMER_MILLIS = Transport.MAX_TIMER_MILLIS

const jsonBody = (json: string): HttpBody.HttpBody => HttpBody.raw(json, { contentType: "application/json" })

// The JSON body of an image (`RequestBody.imageBody`): text, or bytes for a large inline image.
const imageBody = (params: TrainingImage.AddParams | TrainingImage.ReplaceParams): HttpBody.HttpBody => {
  const body = RequestBody.imageBody(params)
  return typeof body === "string" ? jsonBody(body) : HttpBody.uint8Array(body, "application/json")
}

// The size of a JSON body in bytes, or its length when that is within `limit` (`RequestBody.textBodySize`).
const bodySize = (body: HttpBody.HttpBody, limit: number): number => {
  if (body._tag === "Uint8Array") return body.body.length
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, every body here is a Uint8Array or jsonBody's text
  if (body._tag !== "Raw" || typeof body.body !== "string") return 0
  return RequestBody.textBodySize(body.body, limit)
}

/**
 * The refusal of a body over the request limit, before anything is sent.
 *
 * @internal
 */
export const checkRequestSize = (
  operation: TrainingImagesError["operation"],
  size: number,
  limit: number
): InvalidRequestError | undefined => size <= limit ? undefined : requestTooLarge(operation, size, limit)

/**
 * The error of a body of `size` bytes over the request limit.
 *
 * @internal
 */
export const requestTooLarge = (
  operation: TrainingImagesError["operation"],
  size: number,
  limit: number
): InvalidRequestError =>
  new InvalidRequestError({
    operation,
    issues: [{
      path: [],
      message: RequestBody.requestTooLargeProblem(size, limit)
    }]
  })

const pairsBody = (params: TrainingImage.ReplacePairsParams): HttpBody.HttpBody =>
  jsonBody(RequestBody.pairsBody(params.pairs))

/**
 * The size in bytes of the JSON body the client sends for validated params (0 for calls without a body).
 *
 * @internal
 */
export const requestBodySize = (
  operation: TrainingImagesError["operation"],
  params: unknown
): number => {
  const body = operation === "add" || operation === "replace"
    ? imageBody(params as TrainingImage.AddParams)
    : operation === "replacePairs"
    ? pairsBody(params as TrainingImage.ReplacePairsParams)
    : undefined
  // A limit of 0: the exact size, whatever the length.
  return body === undefined ? 0 : bodySize(body, 0)
}

/**
 * The credentials, checked once when the service is built: a value that cannot travel in the
 * `authorization` header is a `ConfigError` naming the field (never quoting the value), not a failure of
 * every call.
 *
 * @internal
 */
export const checkCredentials = (
  credentials: Credentials.Credentials
): Result.Result<Credentials.Credentials, Config.ConfigError> => {
  if (credentials._tag === "Bearer") {
    const problem = Authorization.bearerTokenProblem(Redacted.value(credentials.token))
    return problem === undefined
      ? Result.succeed(credentials)
      : Result.fail(invalidData(["credentials", "token"], problem))
  }
  for (const field of ["apiKey", "apiSecret"] as const) {
    const problem = Authorization.basicFieldProblem(field, Redacted.value(credentials[field]))
    if (problem !== undefined) return Result.fail(invalidData(["credentials", field], problem))
  }
  return Result.succeed(credentials)
}

const checkMaxResponseBytes = (value: number | undefined): Result.Result<number, Config.ConfigError> =>
  value === undefined
    ? Result.succeed(DEFAULT_MAX_RESPONSE_BYTES)
    : Transport.isByteLimit(value)
    ? Result.succeed(value)
    : Result.fail(invalidData(["maxResponseBytes"], Transport.BYTE_LIMIT_PROBLEM))

// The validated params given to `f`, or the refusal of the params as the call's failure.
const validated = <P, A, E>(
  result: Result.Result<P, InvalidRequestError>,
  f: (params: P) => Effect.Effect<A, E>
): Effect.Effect<A, E | InvalidRequestError> =>
  Result.isSuccess(result) ? f(result.success) : Effect.fail(result.failure)

/** @internal */
export const make = (
  options: TrainingImages.Options
): Effect.Effect<TrainingImages.Service, Config.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = yield* Effect.fromResult(checkBaseUrl(options.baseUrl, options.allowInsecureHttp))
    const credentials = yield* Effect.fromResult(checkCredentials(options.credentials))
    const defaultMaxResponseBytes = yield* Effect.fromResult(checkMaxResponseBytes(options.maxResponseBytes))
    const httpClient = yield* HttpClient.HttpClient
    const executeWithTimeout = (httpClient as { readonly [EXECUTE_WITH_TIMEOUT]?: ExecuteWithTimeout })[
      EXECUTE_WITH_TIMEOUT
    ]
    const defaultTimeout = options.timeout === undefined ? DEFAULT_TIMEOUT : Duration.fromInputUnsafe(options.timeout)
    const defaultPolicy = options.retryPolicy ?? RetryPolicy.defaultPolicy
    const server = new URL(baseUrl)
    const serverPort = Telemetry.serverPort(server)
    const defaultMaxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES
    // The metric series of each operation, found once: the server is fixed, and so is each operation's method.
    const seriesByOperation = new Map<Endpoint.Endpoint["operation"], Telemetry.Series>()
    const seriesOf = (endpoint: Endpoint.Endpoint): Telemetry.Series => {
      let series = seriesByOperation.get(endpoint.operation)
      // Stryker disable next-line ConditionalExpression: equivalent, Telemetry.seriesOf gives the same labels each time
      if (series === undefined) {
        series = Telemetry.seriesOf({
          operation: endpoint.operation,
          method: endpoint.method,
          serverAddress: server.hostname,
          serverPort
        })
        seriesByOperation.set(endpoint.operation, series)
      }
      return series
    }
    const authorization = Credentials.authorization(credentials)
    // The requests are built without the credentials: a transport that can write them on the wire only
    // (`secretHeaders`) gets them that way, so that the request its errors and spans keep holds no secret.
    // Any other transport gets them as a header of the request.
    const secretHeaders = { authorization: Redacted.value(authorization) }
    const headers = Headers.fromInput({
      "user-agent": USER_AGENT,
      accept: "application/json"
    })
    // One request per method, with the headers every call sends: a call only sets its URL (and body) on it.
    // Stryker disable StringLiteral: equivalent, each call sets the URL
    const blank = {
      GET: HttpClientRequest.get("", { headers }),
      POST: HttpClientRequest.post("", { headers }),
      PUT: HttpClientRequest.put("", { headers }),
      DELETE: HttpClientRequest.delete("", { headers })
    }
    // Stryker restore StringLiteral

    const send = <A>(
      endpoint: Endpoint.Endpoint,
      body: HttpBody.HttpBody | undefined,
      decode: Response.Decoder<A> | undefined,
      attributes: Record<string, string>
    ): Effect.Effect<A, TrainingImagesError> => {
      const line: Response.RequestLine = {
        operation: endpoint.operation,
        method: endpoint.method,
        url: Endpoint.url(baseUrl, endpoint)
      }
      let request = HttpClientRequest.setUrl(blank[endpoint.method], baseUrl + endpoint.path)
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, no params set none
      if (endpoint.query.length > 0) request = HttpClientRequest.setUrlParams(request, endpoint.query)
      if (body !== undefined) request = HttpClientRequest.setBody(request, body)
      const timeoutError = (timeout: Duration.Duration) =>
        new TimeoutError({ ...line, timeout, mayHaveReachedServer: true })
      const mapError = (
        error: TrainingImagesError | HttpClientError.HttpClientError,
        timeout: Duration.Duration | undefined,
        maxResponseBytes: number
      ): TrainingImagesError => {
        if (error._tag !== "HttpClientError") return error
        const response = error.response
        if (response !== undefined && Transport.isResponseTooLarge(error.reason.cause)) {
          return tooLargeError(line, response, maxResponseBytes)
        }
        return timeout !== undefined && Cause.isTimeoutError(error.reason.cause)
          ? timeoutError(timeout)
          : fromHttpClientError(line, error)
      }
      // The attempt's one continuation both maps the transport's errors and ends the attempt's metrics: a
      // wrapper per attempt (`onExit` and the like) costs more than the metrics themselves.
      const handle = (
        response: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>,
        timeout: Duration.Duration | undefined,
        maxResponseBytes: number,
        // Whether the transport counts the body against the limit itself.
        counted: boolean,
        record: Telemetry.Recorder
      ): Effect.Effect<A, TrainingImagesError> =>
        Effect.matchCauseEffect(
          Effect.flatMap(response, (response) => {
            record.status = response.status
            return Effect.flatMap(
              counted ? response.text : readText(line, response, maxResponseBytes),
              (text) => Response.interpret(line, { status: response.status, headers: response.headers, text }, decode)
            )
          }),
          {
            onFailure: (cause) => {
              const failure = Cause.findError(cause)
              if (failure._tag === "Failure") {
                record.failCause(cause)
                return Effect.failCause(failure.failure)
              }
              const error = mapError(failure.success, timeout, maxResponseBytes)
              record.fail(error)
              return Effect.fail(error)
            },
            onSuccess: (value) => {
              record.end(undefined)
              return Effect.succeed(value)
            }
          }
        )
      const attempt = (
        fast: boolean,
        timeout: Duration.Duration,
        maxResponseBytes: number,
        record: Telemetry.Recorder
      ): Effect.Effect<A, TrainingImagesError> => {
        if (fast) {
          const millis = Duration.toMillis(timeout)
          if (millis <= MAX_TIMER_MILLIS) {
            return handle(
              executeWithTimeout!(request, millis, { maxResponseBytes, secretHeaders, attempt: record }),
              timeout,
              maxResponseBytes,
              // Stryker disable next-line BooleanLiteral: equivalent, the transport already held the body to the same limit: counting it again (as a stream) gives the same text or error, only slower
              true,
              record
            )
          }
        }
        const authorized = HttpClientRequest.setHeader(request, "authorization", secretHeaders.authorization)
        // A timeout interrupts `handle` (it runs in a fiber of its own) before it could end the attempt.
        return Effect.tapCause(
          Effect.timeoutOrElse(
            handle(httpClient.execute(authorized), undefined, maxResponseBytes, false, record),
            {
              duration: timeout,
              orElse: () => Effect.fail(timeoutError(timeout))
            }
          ),
          (cause) => Effect.sync(() => record.failWith(cause))
        )
      }
      // The fiber is read once per call: the request options, the clock, the tracer and the metric labels.
      const call = Effect.withFiber<A, TrainingImagesError>((fiber) => {
        const overrides = fiber.getRef(currentRequestOptions)
        const timeout = overrides.timeout === undefined ? defaultTimeout : Duration.fromInputUnsafe(overrides.timeout)
        const policy = overrides.retryPolicy ?? defaultPolicy
        if (body !== undefined) {
          const limit = overrides.maxRequestBytes ?? defaultMaxRequestBytes
          const tooLarge = checkRequestSize(endpoint.operation, bodySize(body, limit), limit)
          if (tooLarge !== undefined) return Effect.fail(tooLarge)
        }
        const maxResponseBytes = overrides.maxResponseBytes ?? defaultMaxResponseBytes
        if (!Transport.isByteLimit(maxResponseBytes)) {
          return Effect.fail(
            new InvalidRequestError({
              operation: endpoint.operation,
              issues: [{ path: ["maxResponseBytes"], message: Transport.BYTE_LIMIT_PROBLEM }]
            })
          )
        }
        const context = { operation: endpoint.operation, method: endpoint.method, idempotent: endpoint.idempotent }
        const clock = Telemetry.clockOf(fiber)
        const fast = executeWithTimeout !== undefined && clock === undefined
        // Stryker disable next-line ConditionalExpression: equivalent, untraced, instrumentWith makes no span and records the same metrics (it reads whether they are on): the paths below only cost less
        if (Telemetry.isTraced(fiber)) {
          // Under a tracer that records spans, the spans cost more than any wrapper: the general path.
          return Telemetry.instrumentWith(
            { ...context, serverAddress: server.hostname, serverPort, attributes },
            (record) => attempt(fast, timeout, maxResponseBytes, record),
            (attempt) => RetryPolicy.retry(attempt, policy, context)
          )
        }
        if (!Telemetry.metricsEnabled(fiber)) {
          // Nothing to record: the attempts run bare.
          return RetryPolicy.retry(attempt(fast, timeout, maxResponseBytes, Telemetry.unrecorded), policy, context)
        }
        // The metrics were found on just above: the fiber is not read for them again. An attempt that an
        // interruption cuts short ends when the fiber does (`watch`): no wrapper per call.
        const record = Telemetry.recorder(fiber, seriesOf(endpoint), true, clock).watch(fiber)
        return RetryPolicy.retry(
          Effect.suspend(() => {
            record.begin()
            return attempt(fast, timeout, maxResponseBytes, record)
          }),
          policy,
          context
        )
      })
      return call
    }

    const service: TrainingImages.Service = {
      add: (params) =>
        validated(Validate.add(params), (p) =>
          send(Endpoint.add(p), imageBody(p), Response.decodeTrainingImage, { "scenario.model_id": p.modelId })),
      replace: (params) =>
        validated(Validate.replace(params), (p) =>
          send(Endpoint.replace(p), imageBody(p), Response.decodeTrainingImage, {
            "scenario.model_id": p.modelId,
            "scenario.training_image_id": p.trainingImageId
          })),
      replacePairs: (params) =>
        validated(Validate.replacePairs(params), (p) =>
          send(Endpoint.replacePairs(p), pairsBody(p), Response.decodeReplacePairs, {
            "scenario.model_id": p.modelId
          })),
      delete: (params) =>
        validated(Validate.delete_(params), (p) =>
          send<void>(Endpoint.delete(p), undefined, undefined, {
            "scenario.model_id": p.modelId,
            "scenario.training_image_id": p.trainingImageId
          }) as Effect.Effect<void, DeleteError>),
      list: (params) =>
        validated(Validate.list(params), (p) =>
          send(Endpoint.list(p), undefined, Response.decodeModel, { "scenario.model_id": p.modelId })),
      maxRequestBytes: defaultMaxRequestBytes
    }
    return service
  })

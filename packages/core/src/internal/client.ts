import * as Headers from "@effect/platform/Headers"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import { dual } from "effect/Function"
import { globalValue } from "effect/GlobalValue"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import * as Credentials from "../Credentials.js"
import * as Endpoint from "../Endpoint.js"
import * as RetryPolicy from "../RetryPolicy.js"
import type * as TrainingImage from "../TrainingImage.js"
import type * as TrainingImages from "../TrainingImages.js"
import {
  ConnectionError,
  type DeleteError,
  InvalidRequestError,
  TimeoutError,
  type TrainingImagesError
} from "../TrainingImagesError.js"
import * as Response from "./response.js"
import * as Validate from "./validate.js"
import { VERSION } from "./version.js"

/** @internal */
export const DEFAULT_BASE_URL = "https://api.cloud.scenario.com/v1"

/** @internal */
export const DEFAULT_TIMEOUT: Duration.Duration = Duration.seconds(60)

/** @internal */
export const USER_AGENT = `effect-scenario/${VERSION}`

/** @internal */
export const currentRequestOptions = globalValue(
  "@effect-scenario/core/TrainingImages/currentRequestOptions",
  () => FiberRef.unsafeMake<TrainingImages.RequestOptions>({})
)

/** @internal */
export const withRequestOptions = dual<
  (options: TrainingImages.RequestOptions) => <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>,
  <A, E, R>(self: Effect.Effect<A, E, R>, options: TrainingImages.RequestOptions) => Effect.Effect<A, E, R>
>(2, (self, options) => Effect.locallyWith(self, currentRequestOptions, (current) => ({ ...current, ...options })))

const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname)

/**
 * The base URL, checked once when the service is built: an http(s) URL without embedded credentials, and
 * plain http only to loopback unless the user opted in.
 *
 * @internal
 */
export const checkBaseUrl = (
  input: string | URL | undefined,
  allowInsecureHttp: boolean | undefined,
  path: string = "baseUrl"
): Either.Either<string, ConfigError.ConfigError> => {
  const raw = input === undefined ? DEFAULT_BASE_URL : input.toString()
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    // The value is not echoed: a URL that does not parse may still hold credentials.
    return Either.left(
      ConfigError.InvalidData([path], "Expected an absolute http(s) URL; the value given does not parse")
    )
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return Either.left(ConfigError.InvalidData([path], `Expected an http(s) URL, got the scheme ${url.protocol}`))
  }
  if (url.username !== "" || url.password !== "") {
    return Either.left(
      ConfigError.InvalidData([path], "The base URL must not embed credentials: pass them as credentials")
    )
  }
  // An empty "?" or "#" leaves `search` and `hash` empty but stays in the URL, where the paths appended to it
  // would become a query or a fragment: the serialised URL is checked (no host or path holds them unescaped).
  if (/[?#]/.test(url.href)) {
    return Either.left(ConfigError.InvalidData([path], "The base URL must not hold a query or a fragment"))
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && allowInsecureHttp !== true) {
    return Either.left(ConfigError.InvalidData(
      [path],
      `Refusing to send credentials over plain http to ${url.host}: use https, or set allowInsecureHttp: true`
    ))
  }
  const text = url.toString()
  return Either.right(text.endsWith("/") ? text.slice(0, -1) : text)
}

// Errors of the transport that mean the request never left this machine: nothing was sent, so nothing can
// have been applied.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
])

/** @internal */
export const surelyNotSent = (cause: unknown): boolean => {
  let current: unknown = cause
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true
    const errors = (current as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.length > 0 && errors.every(surelyNotSent)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

const fromHttpClientError = (
  line: Response.RequestLine,
  error: HttpClientError.HttpClientError
): TrainingImagesError => {
  if (error._tag === "RequestError" && (error.reason === "InvalidUrl" || error.reason === "Encode")) {
    return new InvalidRequestError({
      operation: line.operation,
      issues: [{ path: [], message: `the request could not be built (${error.reason}): ${String(error.cause)}` }]
    })
  }
  // A failure while reading the response means the request was sent.
  const sent = error._tag === "ResponseError" || !surelyNotSent(error.cause)
  return new ConnectionError({ ...line, mayHaveReachedServer: sent, cause: error.cause ?? error.description })
}

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)

// Effect's built-in tracer keeps its spans nowhere: under it a span per call is pure cost, so calls are traced
// once a tracer that records them is installed.
const nativeTracer = Context.get(DefaultServices.liveServices, Tracer.Tracer)

/**
 * `Effect.timeoutFail` forks two fibers per attempt, a large share of a request's cost. A transport that
 * keeps the time itself offers, on its client under this key, `(request, millis)`: the request executed like
 * `execute` does, failed with an `HttpClientError` whose cause is a `Cause.TimeoutException` once `millis`
 * pass before the whole response (body included) has arrived. It counts real time, so it stands in for
 * `Effect.timeoutFail` only under the live clock; a client wrapped in middleware no longer carries it.
 */
const EXECUTE_WITH_TIMEOUT = Symbol.for("@effect-scenario/core/HttpClient/executeWithTimeout")

type ExecuteWithTimeout = (
  request: HttpClientRequest.HttpClientRequest,
  millis: number
) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>

// Timers longer than this never fire under the live clock: `Effect.timeoutFail` keeps that behaviour.
const MAX_TIMER_MILLIS = 2 ** 31 - 1

const jsonBody = (json: string): HttpBody.HttpBody => HttpBody.raw(json, { contentType: "application/json" })

const utf8 = new TextEncoder()

const DATA_HEAD = "{\"data\":\""

// From this length on a data URL goes into the body as bytes written once, rather than joined into the text
// (which the transport would copy again to encode it).
const BYTES_FROM_LENGTH = 64 * 1024

// The JSON body of an image. A data URL needs no escaping (the DataUrl schema admits no such character, and
// only ASCII): it is spliced in rather than run through JSON.stringify, which for an image of many megabytes
// saves a full scan and a copy.
const imageBody = (params: TrainingImage.AddParams | TrainingImage.ReplaceParams): HttpBody.HttpBody => {
  const rest: Record<string, unknown> = {}
  if (params.assetId !== undefined) rest.assetId = params.assetId
  if (params.assetIds !== undefined) rest.assetIds = params.assetIds
  if (params.name !== undefined) rest.name = params.name
  if (params.preset !== undefined) rest.preset = params.preset
  if (params.data === undefined) return jsonBody(JSON.stringify(rest))
  const fields = JSON.stringify(rest)
  const tail = fields === "{}" ? "\"}" : `",${fields.slice(1)}`
  const data = params.data
  if (data.length < BYTES_FROM_LENGTH) return jsonBody(DATA_HEAD + data + tail)
  const tailBytes = utf8.encode(tail)
  const bytes = new Uint8Array(DATA_HEAD.length + data.length + tailBytes.length)
  utf8.encodeInto(DATA_HEAD, bytes)
  const { read, written } = utf8.encodeInto(data, bytes.subarray(DATA_HEAD.length))
  // Its length is its size in bytes only if it is ASCII, as every data URL the schema admits is.
  if (read !== data.length || written !== data.length) {
    return jsonBody(`{"data":${JSON.stringify(data)}${tail.slice(1)}`)
  }
  bytes.set(tailBytes, DATA_HEAD.length + data.length)
  return HttpBody.uint8Array(bytes, "application/json")
}

const pairsBody = (params: TrainingImage.ReplacePairsParams): HttpBody.HttpBody =>
  jsonBody(JSON.stringify(params.pairs.map((pair) =>
    pair.instruction === undefined
      ? { sourceId: pair.sourceId, targetId: pair.targetId }
      : { sourceId: pair.sourceId, targetId: pair.targetId, instruction: pair.instruction }
  )))

/** @internal */
export const make = (
  options: TrainingImages.Options
): Effect.Effect<TrainingImages.Service, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = yield* checkBaseUrl(options.baseUrl, options.allowInsecureHttp)
    const httpClient = yield* HttpClient.HttpClient
    const executeWithTimeout = (httpClient as { readonly [EXECUTE_WITH_TIMEOUT]?: ExecuteWithTimeout })[
      EXECUTE_WITH_TIMEOUT
    ]
    const defaultTimeout = options.timeout === undefined ? DEFAULT_TIMEOUT : Duration.decode(options.timeout)
    const defaultPolicy = options.retryPolicy ?? RetryPolicy.defaultPolicy
    const headers = Headers.fromInput({
      authorization: Redacted.value(Credentials.authorization(options.credentials)),
      "user-agent": USER_AGENT,
      accept: "application/json"
    })
    // One request per method, with the headers every call sends: a call only sets its URL (and body) on it.
    const blank = {
      GET: HttpClientRequest.get("", { headers }),
      POST: HttpClientRequest.post("", { headers }),
      PUT: HttpClientRequest.put("", { headers }),
      DELETE: HttpClientRequest.del("", { headers })
    }

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
      if (endpoint.query.length > 0) request = HttpClientRequest.setUrlParams(request, endpoint.query)
      if (body !== undefined) request = HttpClientRequest.setBody(request, body)
      const timeoutError = (timeout: Duration.Duration) =>
        new TimeoutError({ ...line, timeout, mayHaveReachedServer: true })
      const handle = (
        response: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>,
        timeout: Duration.Duration | undefined
      ): Effect.Effect<A, TrainingImagesError> =>
        response.pipe(
          Effect.flatMap((response) =>
            Effect.flatMap(
              response.text,
              (text) => Response.interpret(line, { status: response.status, headers: response.headers, text }, decode)
            )
          ),
          Effect.catchAll((error: TrainingImagesError | HttpClientError.HttpClientError) => {
            if (error._tag !== "RequestError" && error._tag !== "ResponseError") return Effect.fail(error)
            return Effect.fail(
              timeout !== undefined && Cause.isTimeoutException(error.cause)
                ? timeoutError(timeout)
                : fromHttpClientError(line, error)
            )
          })
        )
      const attempt = (timeout: Duration.Duration): Effect.Effect<A, TrainingImagesError> =>
        Effect.clockWith((clock) => {
          if (executeWithTimeout !== undefined && clock === liveClock) {
            const millis = Duration.toMillis(timeout)
            if (millis <= MAX_TIMER_MILLIS) return handle(executeWithTimeout(request, millis), timeout)
          }
          return Effect.timeoutFail(handle(httpClient.execute(request), undefined), {
            duration: timeout,
            onTimeout: () => timeoutError(timeout)
          })
        })
      const call = Effect.flatMap(FiberRef.get(currentRequestOptions), (overrides) => {
        const timeout = overrides.timeout === undefined ? defaultTimeout : Duration.decode(overrides.timeout)
        const policy = overrides.retryPolicy ?? defaultPolicy
        const context = { operation: endpoint.operation, method: endpoint.method, idempotent: endpoint.idempotent }
        return RetryPolicy.retry(attempt(timeout), policy, context)
      })
      return Effect.tracerWith((tracer) =>
        tracer === nativeTracer ? call : Effect.withSpan(call, `TrainingImages.${endpoint.operation}`, {
          kind: "client",
          captureStackTrace: false,
          attributes: { "scenario.operation": endpoint.operation, ...attributes }
        })
      )
    }

    const service: TrainingImages.Service = {
      add: (params) =>
        Effect.flatMap(Validate.add(params), (p) =>
          send(Endpoint.add(p), imageBody(p), Response.decodeTrainingImage, { "scenario.model_id": p.modelId })),
      replace: (params) =>
        Effect.flatMap(Validate.replace(params), (p) =>
          send(Endpoint.replace(p), imageBody(p), Response.decodeTrainingImage, {
            "scenario.model_id": p.modelId,
            "scenario.training_image_id": p.trainingImageId
          })),
      replacePairs: (params) =>
        Effect.flatMap(Validate.replacePairs(params), (p) =>
          send(Endpoint.replacePairs(p), pairsBody(p), Response.decodeReplacePairs, {
            "scenario.model_id": p.modelId
          })),
      delete: (params) =>
        Effect.flatMap(Validate.delete_(params), (p) =>
          send<void>(Endpoint.delete(p), undefined, undefined, {
            "scenario.model_id": p.modelId,
            "scenario.training_image_id": p.trainingImageId
          }) as Effect.Effect<void, DeleteError>),
      list: (params) =>
        Effect.flatMap(Validate.list(params), (p) =>
          send(Endpoint.list(p), undefined, Response.decodeModel, { "scenario.model_id": p.modelId }))
    }
    return service
  })

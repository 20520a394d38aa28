/**
 * The typed errors of the `TrainingImages` service. Each names the operation, method and URL (never
 * credentials); the errors that come from a response also carry its status, headers, body (opaque JSON, or
 * text) and request id. The status errors keep the names of the Stainless runtime the official SDK uses.
 *
 * @since 0.1.0
 */
import * as RequestError from "@effect-scenario/kernel/RequestError"
import * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"

/**
 * The operations of the service.
 *
 * @since 0.1.0
 * @category models
 */
export const Operation = Schema.Literals(["add", "replace", "replacePairs", "delete", "list"])

/**
 * @since 0.1.0
 * @category models
 */
export type Operation = typeof Operation.Type

/**
 * One reason a request was rejected before sending: where in the params, and what is wrong.
 *
 * @since 0.1.0
 * @category models
 */
export const Issue = Schema.Struct({
  path: Schema.Array(Schema.Union([Schema.String, Schema.Number])),
  message: Schema.String
})

/**
 * @since 0.1.0
 * @category models
 */
export type Issue = typeof Issue.Type

const requestFields = {
  operation: Operation,
  method: Schema.String,
  url: Schema.String
}

const responseFields = {
  ...requestFields,
  status: Schema.Number,
  headers: Schema.Record(Schema.String, Schema.String),
  /** The response body: parsed JSON when it is JSON, else its text (empty string for no body). */
  body: Schema.Unknown,
  requestId: Schema.optional(Schema.String),
  /** The wait the server asked for (`retry-after-ms`, or `retry-after` in seconds or as an HTTP date). */
  retryAfter: Schema.optional(Schema.Duration)
}

const describeResponse = (
  self: {
    readonly method: string
    readonly url: string
    readonly status: number
    readonly body: unknown
    readonly requestId?: string | undefined
  },
  kind: RequestError.StatusKind
): string => RequestError.statusMessage(self, RequestError.STATUS_SUMMARIES[kind])

/**
 * The params were rejected before anything was sent: nothing reached the network.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequestError extends Schema.TaggedError<InvalidRequestError>()("InvalidRequestError", {
  operation: Operation,
  issues: Schema.NonEmptyArray(Issue)
}) {
  override get message(): string {
    return RequestError.invalidRequestMessage(this.operation, this.issues)
  }
}

/**
 * 400: the server rejected the request as malformed.
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequestError extends Schema.TaggedError<BadRequestError>()(
  "BadRequestError",
  responseFields
) {
  override get message(): string {
    return describeResponse(this, "BadRequestError")
  }
}

/**
 * 401: the credentials were missing or not accepted.
 *
 * @since 0.1.0
 * @category errors
 */
export class AuthenticationError
  extends Schema.TaggedError<AuthenticationError>()("AuthenticationError", responseFields)
{
  override get message(): string {
    return describeResponse(this, "AuthenticationError")
  }
}

/**
 * 403: the credentials do not allow this request.
 *
 * @since 0.1.0
 * @category errors
 */
export class PermissionDeniedError
  extends Schema.TaggedError<PermissionDeniedError>()("PermissionDeniedError", responseFields)
{
  override get message(): string {
    return describeResponse(this, "PermissionDeniedError")
  }
}

/**
 * 404: the model or training image does not exist.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFoundError extends Schema.TaggedError<NotFoundError>()(
  "NotFoundError",
  responseFields
) {
  override get message(): string {
    return describeResponse(this, "NotFoundError")
  }
}

/**
 * 409: the request conflicts with the model's current state.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConflictError extends Schema.TaggedError<ConflictError>()(
  "ConflictError",
  responseFields
) {
  override get message(): string {
    return describeResponse(this, "ConflictError")
  }
}

/**
 * 413: the request body was larger than the server (API Gateway: 10,485,760 bytes) accepts. The client
 * refuses such a body before sending it (see `TrainingImages.Options.maxRequestBytes`), so this is met only
 * when the server's limit is lower than the one configured.
 *
 * @since 0.2.0
 * @category errors
 */
export class RequestTooLargeError
  extends Schema.TaggedError<RequestTooLargeError>()("RequestTooLargeError", responseFields)
{
  override get message(): string {
    return describeResponse(this, "RequestTooLargeError")
  }
}

/**
 * 422: the request was well-formed but could not be processed.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnprocessableEntityError
  extends Schema.TaggedError<UnprocessableEntityError>()("UnprocessableEntityError", responseFields)
{
  override get message(): string {
    return describeResponse(this, "UnprocessableEntityError")
  }
}

/**
 * 429: a rate limit was exceeded. `retryAfter` holds the wait the server asked for, when it gave one; a
 * wait longer than the retry policy's `maxRetryAfter` is never slept through and surfaces here.
 *
 * @since 0.1.0
 * @category errors
 */
export class RateLimitError extends Schema.TaggedError<RateLimitError>()(
  "RateLimitError",
  responseFields
) {
  override get message(): string {
    return RequestError.statusMessage(
      this,
      RequestError.STATUS_SUMMARIES.RateLimitError,
      this.retryAfter === undefined ? undefined : Duration.toMillis(this.retryAfter)
    )
  }
}

/**
 * 500 and above: the server failed.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalServerError
  extends Schema.TaggedError<InternalServerError>()("InternalServerError", responseFields)
{
  override get message(): string {
    return describeResponse(this, "InternalServerError")
  }
}

/**
 * Any other status outside 2xx (including 408 and 3xx).
 *
 * @since 0.1.0
 * @category errors
 */
export class UnexpectedStatusError
  extends Schema.TaggedError<UnexpectedStatusError>()("UnexpectedStatusError", responseFields)
{
  override get message(): string {
    return describeResponse(this, "UnexpectedStatusError")
  }
}

/**
 * The connection failed. `mayHaveReachedServer` is `false` only when the request surely never left (the
 * connection was refused, the host not found): then nothing was applied. When `true` the request was sent,
 * or may have been, and an `add` may have taken effect: reconcile with `list` before adding again.
 *
 * @since 0.1.0
 * @category errors
 */
export class ConnectionError extends Schema.TaggedError<ConnectionError>()(
  "ConnectionError",
  {
    ...requestFields,
    mayHaveReachedServer: Schema.Boolean,
    cause: Schema.optional(Schema.Defect())
  }
) {
  override get message(): string {
    return RequestError.connectionMessage({
      method: this.method,
      url: this.url,
      mayHaveReachedServer: this.mayHaveReachedServer,
      causeMessage: this.cause instanceof Error ? this.cause.message : undefined
    })
  }
}

/**
 * No complete response arrived within the request timeout. The request may have reached the server
 * (`mayHaveReachedServer`), so an `add` that timed out may have taken effect.
 *
 * @since 0.1.0
 * @category errors
 */
export class TimeoutError extends Schema.TaggedError<TimeoutError>()(
  "TimeoutError",
  {
    ...requestFields,
    timeout: Schema.Duration,
    mayHaveReachedServer: Schema.Boolean
  }
) {
  override get message(): string {
    return RequestError.timeoutMessage({
      method: this.method,
      url: this.url,
      timeoutMillis: Duration.toMillis(this.timeout),
      mayHaveReachedServer: this.mayHaveReachedServer
    })
  }
}

/**
 * A 2xx response whose body is not what the API documents. `body` keeps the raw text (the first
 * `MAX_KEPT_BODY` characters; `bodyLength` says how long it was).
 *
 * @since 0.1.0
 * @category errors
 */
export class ResponseDecodeError extends Schema.TaggedError<ResponseDecodeError>()("ResponseDecodeError", {
  ...requestFields,
  status: Schema.Number,
  headers: Schema.Record(Schema.String, Schema.String),
  body: Schema.String,
  bodyLength: Schema.Number,
  requestId: Schema.optional(Schema.String),
  issue: Schema.String
}) {
  override get message(): string {
    return RequestError.decodeMessage(this)
  }
}

/**
 * The response body was larger than the limit (`maxResponseBytes`, 32 MiB by default, counted after any
 * decompression). Reading stopped at the limit and the connection was closed; nothing of the body is kept.
 * `status` is the response's: a 2xx means the server applied the request, and nothing is retried after it.
 *
 * @since 0.2.0
 * @category errors
 */
export class ResponseTooLargeError extends Schema.TaggedError<ResponseTooLargeError>()("ResponseTooLargeError", {
  ...requestFields,
  status: Schema.Number,
  headers: Schema.Record(Schema.String, Schema.String),
  requestId: Schema.optional(Schema.String),
  /** The limit, in bytes, that the body went past. */
  maxResponseBytes: Schema.Number
}) {
  override get message(): string {
    return RequestError.responseTooLargeMessage(this)
  }
}

/**
 * How much of an undecodable body a `ResponseDecodeError` keeps.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_KEPT_BODY: number = RequestError.MAX_KEPT_BODY

/**
 * The errors that come from a response with a non-2xx status.
 *
 * @since 0.1.0
 * @category errors
 */
export type StatusError =
  | BadRequestError
  | AuthenticationError
  | PermissionDeniedError
  | NotFoundError
  | ConflictError
  | RequestTooLargeError
  | UnprocessableEntityError
  | RateLimitError
  | InternalServerError
  | UnexpectedStatusError

/**
 * The errors of any request that was sent: a status error, or the transport failing.
 *
 * @since 0.1.0
 * @category errors
 */
export type TransportError = ConnectionError | TimeoutError

/**
 * `add`, `replace`, `replacePairs` and `list` decode a body; `delete` does not. Every method may meet a
 * body larger than `maxResponseBytes` (`ResponseTooLargeError`).
 *
 * @since 0.1.0
 * @category errors
 */
export type AddError =
  | InvalidRequestError
  | StatusError
  | TransportError
  | ResponseDecodeError
  | ResponseTooLargeError

/**
 * The errors `replace` can raise: those of `add`.
 *
 * @since 0.1.0
 * @category errors
 */
export type ReplaceError = AddError

/**
 * The errors `replacePairs` can raise: those of `add`.
 *
 * @since 0.1.0
 * @category errors
 */
export type ReplacePairsError = AddError

/**
 * The errors `list` can raise: those of `add`.
 *
 * @since 0.1.0
 * @category errors
 */
export type ListError = AddError

/**
 * The errors `delete` can raise: no `ResponseDecodeError`, since its body is not read.
 *
 * @since 0.1.0
 * @category errors
 */
export type DeleteError = InvalidRequestError | StatusError | TransportError | ResponseTooLargeError

/**
 * Every error the service raises.
 *
 * @since 0.1.0
 * @category errors
 */
export type TrainingImagesError = AddError

/**
 * The schema of every error, for serialising them (between workers, into logs) and decoding them back.
 *
 * @since 0.1.0
 * @category errors
 */
export const TrainingImagesError = Schema.Union([
  InvalidRequestError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RequestTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  UnexpectedStatusError,
  ConnectionError,
  TimeoutError,
  ResponseDecodeError,
  ResponseTooLargeError
])

const statusTags: ReadonlySet<string> = new Set([
  "BadRequestError",
  "AuthenticationError",
  "PermissionDeniedError",
  "NotFoundError",
  "ConflictError",
  "RequestTooLargeError",
  "UnprocessableEntityError",
  "RateLimitError",
  "InternalServerError",
  "UnexpectedStatusError"
])

const tags: ReadonlySet<string> = new Set([
  "InvalidRequestError",
  ...statusTags,
  "ConnectionError",
  "TimeoutError",
  "ResponseDecodeError",
  "ResponseTooLargeError"
])

/**
 * Whether a value is one of this library's errors.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTrainingImagesError = (u: unknown): u is TrainingImagesError =>
  Predicate.hasProperty(u, "_tag") && typeof u._tag === "string" && tags.has(u._tag) && u instanceof Error

/**
 * Whether a value is one of the errors made from a non-2xx response (`BadRequestError` …
 * `UnexpectedStatusError`).
 *
 * @since 0.1.0
 * @category guards
 */
export const isStatusError = (u: unknown): u is StatusError => isTrainingImagesError(u) && statusTags.has(u._tag)

/**
 * The error class for a status outside 2xx: 400, 401, 403, 404, 409, 413, 422, 429, >= 500, else
 * `UnexpectedStatusError`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const statusErrorFor = (status: number) => statusErrors[RequestError.kindOfStatus(status)]

const statusErrors = {
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  RequestTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  UnexpectedStatusError
} as const

/**
 * The fields every status error carries.
 *
 * @since 0.1.0
 * @category models
 */
export type StatusErrorFields = Omit<ConstructorParameters<typeof BadRequestError>[0], "_tag">

/**
 * Builds the error for a response status outside 2xx.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromStatus = (fields: StatusErrorFields): StatusError => new (statusErrorFor(fields.status))(fields)

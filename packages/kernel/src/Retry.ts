/**
 * The retry decision, as plain functions over a plain description of a failure: whether a failed request may be
 * sent again, what may have taken effect on the server (and so must not be resent blindly), whether a wait the
 * server asked for is within the cap, and the backoff's arithmetic.
 *
 * The rules follow the Stainless runtime of the official SDK (`x-should-retry` first; connection errors,
 * timeouts, 408, 409, 429 and 5xx retried; a backoff from 0.5 s doubling to at most 8 s), except that a POST
 * (`add`, not idempotent: Scenario documents no idempotency key) is resent only when it surely did not take
 * effect.
 *
 * @since 0.1.0
 */

/**
 * What the retry decision knows of a failure: its kind (`_tag`, the names of the bindings' errors:
 * `ConnectionError`, `TimeoutError`, `ConflictError`, `RateLimitError`, `InternalServerError`,
 * `UnexpectedStatusError`, `ResponseDecodeError`, `ResponseTooLargeError`, `NotFoundError`, …), the response's
 * status and headers when there was a response, whether the request may have reached the server when there was
 * none, and the response body when one was kept. A binding's error is one as it is.
 *
 * @since 0.1.0
 * @category models
 */
export interface Failure {
  readonly _tag: string
  readonly status?: number | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly mayHaveReachedServer?: boolean | undefined
  readonly body?: unknown
}

/**
 * What the retry decision knows of the request: whether sending it twice has the same effect as sending it
 * once (every operation but `add`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly idempotent: boolean
}

/**
 * The `x-should-retry` header's grammar: exactly `true` or `false`; anything else (or no header) says nothing.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseShouldRetry = (value: string | undefined): boolean | undefined =>
  value === "true" ? true : value === "false" ? false : undefined

/**
 * Whether the failure came from a response with a 2xx status (a body that did not decode, or was too large).
 * The server applied the request: nothing is retried after it, whatever a policy or the headers say.
 *
 * @since 0.1.0
 * @category rules
 */
export const isAnsweredWithSuccess = (failure: Failure): boolean =>
  // Stryker disable next-line ConditionalExpression: equivalent, the check only narrows the type (undefined >= 200 is false)
  failure.status !== undefined &&
  failure.status >= 200 && failure.status < 300

/**
 * The default decision.
 *
 * - Nothing is retried after a 2xx response (see `isAnsweredWithSuccess`).
 * - `x-should-retry: true | false` on a response with an error status decides first (on every status outside
 *   2xx, 1xx and 3xx included, as the Stainless runtime reads it).
 * - Idempotent requests: connection errors, timeouts, 408, 409, 429 and >= 500 are retried.
 * - A request that is not idempotent (`add`, a POST): only what surely did not take effect: 429, 503, and a
 *   connection that failed before the request was sent. Never a timeout or a connection lost mid-request.
 * - Anything else (invalid params, undecodable responses, every other 4xx) is never retried.
 *
 * @since 0.1.0
 * @category rules
 */
export const shouldRetry = (failure: Failure, request: Request): boolean => {
  if (isAnsweredWithSuccess(failure)) return false
  const header = failure.headers === undefined ? undefined : parseShouldRetry(failure.headers["x-should-retry"])
  if (header !== undefined) return header
  switch (failure._tag) {
    case "ConnectionError":
    case "TimeoutError":
      return request.idempotent || failure.mayHaveReachedServer !== true
    case "ConflictError":
      return request.idempotent
    case "RateLimitError":
      return true
    case "InternalServerError":
      return request.idempotent || failure.status === 503
    case "UnexpectedStatusError":
      return request.idempotent && failure.status === 408
    default:
      return false
  }
}

/**
 * Whether a wait the server asked for (`requestedMillis`, none when `undefined`) may be slept through under a
 * cap of `maxMillis`: a longer one ends the retries, and the failure surfaces with it.
 *
 * @since 0.1.0
 * @category rules
 */
export const isWithinRetryAfterCap = (requestedMillis: number | undefined, maxMillis: number): boolean =>
  // Stryker disable next-line ConditionalExpression: equivalent, the check only narrows the type (undefined > maxMillis is false)
  requestedMillis === undefined ||
  !(requestedMillis > maxMillis)

/**
 * Whether a failure may be retried at all, in the order every retry loop decides: never after a 2xx
 * (`isAnsweredWithSuccess`), never when the server asked for a wait beyond the cap (`isWithinRetryAfterCap`),
 * else as the policy's own decision says (`decide`, asked last, and only then).
 *
 * @since 0.3.0
 * @category rules
 */
export const mayRetry = <F extends Failure>(
  failure: F,
  options: {
    readonly requestedMillis: number | undefined
    readonly maxRetryAfterMillis: number
    readonly decide: (failure: F) => boolean
  }
): boolean =>
  !isAnsweredWithSuccess(failure) &&
  isWithinRetryAfterCap(options.requestedMillis, options.maxRetryAfterMillis) &&
  options.decide(failure)

/**
 * The backoff before retry `retry` (0 for the first): `min(initialMillis × 2^retry, maxMillis)`, 0.5 s doubling
 * to at most 8 s by default, before any jitter.
 *
 * @since 0.1.0
 * @category backoff
 */
export const backoffMillis = (
  retry: number,
  options?: { readonly initialMillis?: number | undefined; readonly maxMillis?: number | undefined }
): number => Math.min((options?.initialMillis ?? 500) * Math.pow(2, retry), options?.maxMillis ?? 8000)

/**
 * Whether a request that failed so may have taken effect on the server: its response was lost (a connection
 * error or timeout that may have reached the server), or the server failed with a 5xx other than 503 (a 503 is
 * a refusal). A retried delete that then answers "training image not found" has done what was asked.
 *
 * @since 0.1.0
 * @category rules
 */
export const mayHaveApplied = (failure: Failure): boolean =>
  failure._tag === "ConnectionError" || failure._tag === "TimeoutError"
    ? failure.mayHaveReachedServer === true
    : failure._tag === "InternalServerError" && failure.status !== 503

/**
 * Whether an `add` that failed so may have taken effect: found out by listing the model, never by sending it
 * again blindly. Wider than `mayHaveApplied`: a 503 counts (a gateway may answer it after the service has
 * applied the change), and so does a 2xx whose body did not decode or was too large.
 *
 * @since 0.1.0
 * @category rules
 */
export const addMayHaveApplied = (failure: Failure): boolean => {
  switch (failure._tag) {
    case "ConnectionError":
    case "TimeoutError":
      return failure.mayHaveReachedServer === true
    case "InternalServerError":
    case "ResponseDecodeError":
    case "ResponseTooLargeError":
      return true
    default:
      return false
  }
}

// The words' edges are letters and digits, not `\b`: `\b` counts `_` as a letter, and would miss
// `training_image_not_found`.
const TRAINING_IMAGE_NOT_FOUND = /(?<![a-z\d])training[ _-]?images?(?![a-z\d]).*(?<![a-z\d])not[ _-]?found(?![a-z\d])/i

const BODY_MESSAGE_FIELDS = ["message", "apiError", "error", "reason", "detail"]

/**
 * Whether a 404 (`NotFoundError`) says that the *training image* is not there (as opposed to the model, or a
 * route): its body, or one of the body's `message`, `apiError`, `error`, `reason`, `detail` fields, reads
 * "training image … not found" within its first 1000 characters (case, and a space, `_` or `-` between the
 * words, aside). A bare "Not Found", as a gateway answers, does not.
 *
 * @since 0.1.0
 * @category rules
 */
export const isTrainingImageNotFound = (failure: Failure): boolean => {
  if (failure._tag !== "NotFoundError") return false
  const body = failure.body
  if (typeof body === "string") return TRAINING_IMAGE_NOT_FOUND.test(body.slice(0, 1000))
  if (typeof body !== "object" || body === null) return false
  return BODY_MESSAGE_FIELDS.some((field) => {
    const value = (body as Record<string, unknown>)[field]
    return typeof value === "string" && TRAINING_IMAGE_NOT_FOUND.test(value.slice(0, 1000))
  })
}

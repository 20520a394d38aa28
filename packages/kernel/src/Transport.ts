/**
 * What a transport's failure says of the request, read from the error codes on it and its causes: whether the
 * request surely never left this machine (so nothing can have been applied, and even a POST may be sent again),
 * and whether the transport refused to build it (a header value it will not send, refused again by every retry).
 *
 * @since 0.1.0
 */

/**
 * The error codes that mean the request never left this machine: the connection was refused, the host not found,
 * the network unreachable, the TLS handshake rejected the server.
 *
 * @since 0.1.0
 * @category constants
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set([
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

/**
 * Whether a transport's failure means the request surely never left: a code of `NOT_SENT_CODES` on the error
 * or one of its causes (followed six deep), or an `AggregateError` (every address tried) each of whose errors
 * is such a failure.
 *
 * @since 0.1.0
 * @category rules
 */
export const surelyNotSent = (cause: unknown): boolean => {
  let current: unknown = cause
  for (let depth = 0; depth < 6 && typeof current === "object" && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    // Stryker disable next-line ConditionalExpression: equivalent, a set of strings holds no other value
    if (typeof code === "string" && NOT_SENT_CODES.has(code)) return true
    const errors = (current as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.length > 0 && errors.every(surelyNotSent)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}

/**
 * The error codes of a transport's own checks of the request (a header value it refuses): raised before
 * anything is written, and raised again by every retry.
 *
 * @since 0.1.0
 * @category constants
 */
export const REFUSED_LOCALLY_CODES: ReadonlySet<string> = new Set([
  "UND_ERR_INVALID_ARG",
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
  "ERR_HTTP_INVALID_HEADER_VALUE",
  "ERR_INVALID_ARG_VALUE"
])

/**
 * The code of a transport's refusal to build the request, if `cause` is one: a code of `REFUSED_LOCALLY_CODES`,
 * or `"TypeError"` for fetch's bare `TypeError` about a header name or value (a network failure is a
 * `TypeError` with a cause).
 *
 * @since 0.1.0
 * @category rules
 */
export const refusedLocally = (cause: unknown): string | undefined => {
  if (typeof cause !== "object" || cause === null) return undefined
  const code = (cause as { code?: unknown }).code
  // Stryker disable next-line ConditionalExpression: equivalent, a set of strings holds no other value
  if (typeof code === "string" && REFUSED_LOCALLY_CODES.has(code)) return code
  if (cause instanceof TypeError && (cause as { cause?: unknown }).cause === undefined) {
    if (/header (?:name|value)/i.test(cause.message)) return "TypeError"
  }
  return undefined
}

/**
 * The response limit a client reads bodies up to by default: 32 MiB, far above the largest `list` of a model.
 *
 * @since 0.1.0
 * @category limits
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

/**
 * What is wrong with a byte limit (`maxResponseBytes`) that is not a whole number of bytes above 0.
 *
 * @since 0.1.0
 * @category limits
 */
export const BYTE_LIMIT_PROBLEM = "Expected a whole number of bytes above 0"

/**
 * Whether `value` can be a byte limit: a whole number of bytes above 0 (and a safe integer).
 *
 * @since 0.1.0
 * @category limits
 */
export const isByteLimit = (value: number): boolean => Number.isSafeInteger(value) && value > 0

/**
 * The longest timer Node can set, in milliseconds: a longer one never fires (it is taken for 1 ms and
 * warned about by Node, or kept by Effect as a wait of its own).
 *
 * @since 0.1.0
 * @category limits
 */
export const MAX_TIMER_MILLIS = 2 ** 31 - 1

const DIGITS = /^\d+$/

/**
 * The body length a response declares that a reader can trust to bound what it reads: its `content-length` when
 * that is a plain number of bytes (digits only, no sign, exponent or fraction), else `undefined`.
 *
 * @since 0.1.0
 * @category responses
 */
export const declaredLength = (headers: Readonly<Record<string, string | undefined>>): number | undefined => {
  const declared = headers["content-length"]
  // Stryker disable next-line ConditionalExpression: equivalent, DIGITS.test(undefined) tests the text "undefined"
  return declared !== undefined && DIGITS.test(declared) ? Number(declared) : undefined
}

/**
 * Whether a response's body arrives as it is sent, uncompressed (no `content-encoding`, an empty one, or
 * `identity`): only then does its declared length say how large the body is once read.
 *
 * @since 0.1.0
 * @category responses
 */
export const isUncompressed = (headers: Readonly<Record<string, string | undefined>>): boolean => {
  const encoding = headers["content-encoding"]
  return encoding === undefined || encoding === "" || encoding.toLowerCase() === "identity"
}

/**
 * Why a request is refused when the transport could not build it (`reason`: `InvalidUrl` or `Encode`, as the
 * transport names it), with the transport's account of it.
 *
 * @since 0.1.0
 * @category problems
 */
export const unbuiltProblem = (reason: string, cause: unknown): string =>
  `the request could not be built (${reason}): ${String(cause)}`

/**
 * Why a request is refused when the transport refused it before sending (`code` from `refusedLocally`). The
 * transport's message is not repeated: it may quote the refused value (a header holding a secret).
 *
 * @since 0.1.0
 * @category problems
 */
export const refusedProblem = (code: string): string => `the transport refused the request before sending it (${code})`

/**
 * The marker a transport puts on the cause of a body read that went past the limit it was given (its value:
 * that limit), which each line's client reads to fail with its `ResponseTooLargeError`. A registered symbol,
 * so that one transport marks its causes once for every line.
 *
 * @since 0.1.0
 * @category constants
 */
export const RESPONSE_TOO_LARGE: unique symbol = Symbol.for("@effect-scenario/core/ResponseTooLarge")

/**
 * The cause of a body read stopped past `limit` bytes, marked `RESPONSE_TOO_LARGE`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const responseTooLargeCause = (limit: number): Error =>
  Object.assign(new Error(`The response body is larger than ${limit} bytes`), { [RESPONSE_TOO_LARGE]: limit })

/**
 * Whether `cause` is marked `RESPONSE_TOO_LARGE`.
 *
 * @since 0.1.0
 * @category rules
 */
export const isResponseTooLarge = (cause: unknown): boolean =>
  typeof cause === "object" && cause !== null && RESPONSE_TOO_LARGE in cause

/**
 * How many leading bytes of a body are a UTF-8 byte order mark (3 or 0): a response's text is read after it,
 * as `TextDecoder` and `Response.text()` do.
 *
 * @since 0.1.0
 * @category rules
 */
export const utf8BomLength = (bytes: Uint8Array): number =>
  // No length check: past the end a byte reads `undefined`, which equals no byte of the mark.
  bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0

/**
 * A response body gathered chunk by chunk within `limit` bytes: `add` keeps a chunk and says whether the body
 * is still within the limit (the caller stops reading when it is not), `text` decodes what was kept as UTF-8.
 *
 * @since 0.1.0
 * @category models
 */
export interface BoundedBody {
  readonly add: (bytes: Uint8Array) => boolean
  readonly text: () => string
}

const utf8Decoder = new TextDecoder()

/**
 * An empty `BoundedBody` of at most `limit` bytes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const boundedBody = (limit: number): BoundedBody => {
  const chunks: Array<Uint8Array> = []
  let total = 0
  return {
    add: (bytes) => {
      total += bytes.length
      chunks.push(bytes)
      return total <= limit
    },
    text: () => {
      // Stryker disable next-line ConditionalExpression: equivalent when false, no chunks joined decode to "" too
      if (chunks.length === 0) return ""
      // Stryker disable next-line ConditionalExpression: equivalent when false, one chunk joined is that chunk
      if (chunks.length === 1) return utf8Decoder.decode(chunks[0])
      const whole = new Uint8Array(total)
      let offset = 0
      for (const chunk of chunks) {
        whole.set(chunk, offset)
        offset += chunk.length
      }
      return utf8Decoder.decode(whole)
    }
  }
}

/**
 * How an injected status fault is answered: the default message of its status (the reason phrase) and the
 * headers that carry its wait, `retry-after` in whole seconds (rounded up, as the header allows no fraction)
 * and/or the `retry-after-ms` extension in milliseconds.
 *
 * @since 0.1.0
 */

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout"
}

/**
 * The reason phrase of a status (`Status <n>` for one without a common phrase).
 *
 * @since 0.1.0
 * @category answers
 */
export const reasonPhrase = (status: number): string => REASONS[status] ?? `Status ${status}`

/**
 * Which header(s) carry the wait.
 *
 * @since 0.1.0
 * @category models
 */
export type RetryAfterHeader = "retry-after" | "retry-after-ms" | "both"

/**
 * The headers that ask for a wait of `millis` (none without a wait; a negative wait is 0).
 *
 * @example
 * ```ts
 * import { FaultAnswer } from "@effect-scenario/emulator"
 *
 * FaultAnswer.retryAfterHeaders(1500, "both") // { "retry-after": "2", "retry-after-ms": "1500" }
 * ```
 *
 * @since 0.1.0
 * @category answers
 */
export const retryAfterHeaders = (millis: number | undefined, header: RetryAfterHeader): Record<string, string> => {
  if (millis === undefined) return {}
  const rounded = Math.max(0, Math.round(millis))
  const headers: Record<string, string> = {}
  if (header !== "retry-after-ms") headers["retry-after"] = String(Math.ceil(rounded / 1000))
  if (header !== "retry-after") headers["retry-after-ms"] = String(rounded)
  return headers
}

import * as Duration from "effect/Duration"
import type * as Fault from "../Fault.js"

/**
 * The headers a `StatusFault` is answered with: its wait as `retry-after` (whole seconds, rounded up, as the
 * header allows no fraction) and/or `retry-after-ms`.
 *
 * @internal
 */
export const statusHeaders = (fault: Fault.StatusFault): Record<string, string> => {
  if (fault.retryAfter === undefined) return {}
  const millis = Math.max(0, Math.round(Duration.toMillis(fault.retryAfter)))
  const headers: Record<string, string> = {}
  if (fault.retryAfterHeader !== "retry-after-ms") headers["retry-after"] = String(Math.ceil(millis / 1000))
  if (fault.retryAfterHeader !== "retry-after") headers["retry-after-ms"] = String(millis)
  return headers
}

import * as FaultAnswer from "@effect-scenario/emulator/FaultAnswer"
import * as Duration from "effect/Duration"
import type * as Fault from "../Fault.js"

/**
 * The headers a `StatusFault` is answered with (`FaultAnswer.retryAfterHeaders` of its wait).
 *
 * @internal
 */
export const statusHeaders = (fault: Fault.StatusFault): Record<string, string> =>
  FaultAnswer.retryAfterHeaders(
    fault.retryAfter === undefined ? undefined : Duration.toMillis(fault.retryAfter),
    fault.retryAfterHeader
  )

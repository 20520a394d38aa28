/**
 * A status fault's answer: its reason phrase, and its wait in whole seconds (rounded up) and/or milliseconds.
 */
import * as FaultAnswer from "@effect-scenario/emulator/FaultAnswer"
import { describe, expect, it } from "vitest"

describe("FaultAnswer", () => {
  it("names the common statuses, and any other by its number", () => {
    expect(FaultAnswer.reasonPhrase(429)).toBe("Too Many Requests")
    expect(FaultAnswer.reasonPhrase(504)).toBe("Gateway Timeout")
    expect(FaultAnswer.reasonPhrase(599)).toBe("Status 599")
  })

  it("writes the wait in the headers asked for", () => {
    expect(FaultAnswer.retryAfterHeaders(undefined, "both")).toEqual({})
    expect(FaultAnswer.retryAfterHeaders(1500, "both")).toEqual({ "retry-after": "2", "retry-after-ms": "1500" })
    expect(FaultAnswer.retryAfterHeaders(2000, "retry-after")).toEqual({ "retry-after": "2" })
    expect(FaultAnswer.retryAfterHeaders(0.4, "retry-after-ms")).toEqual({ "retry-after-ms": "0" })
    expect(FaultAnswer.retryAfterHeaders(-5, "both")).toEqual({ "retry-after": "0", "retry-after-ms": "0" })
  })
})

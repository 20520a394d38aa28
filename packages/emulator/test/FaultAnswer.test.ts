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

describe("FaultAnswer, exactly", () => {
  it("names each common status by its reason phrase", () => {
    expect([400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504].map(FaultAnswer.reasonPhrase)).toEqual([
      "Bad Request",
      "Unauthorized",
      "Forbidden",
      "Not Found",
      "Request Timeout",
      "Conflict",
      "Unprocessable Entity",
      "Too Many Requests",
      "Internal Server Error",
      "Bad Gateway",
      "Service Unavailable",
      "Gateway Timeout"
    ])
    expect(FaultAnswer.reasonPhrase(418)).toBe("Status 418")
  })

  it("rounds the wait to a millisecond, then up to a second for retry-after", () => {
    expect(FaultAnswer.retryAfterHeaders(1001, "both")).toStrictEqual({ "retry-after": "2", "retry-after-ms": "1001" })
    expect(FaultAnswer.retryAfterHeaders(1000.4, "both")).toStrictEqual({
      "retry-after": "1",
      "retry-after-ms": "1000"
    })
    expect(FaultAnswer.retryAfterHeaders(999.6, "retry-after-ms")).toStrictEqual({ "retry-after-ms": "1000" })
    expect(FaultAnswer.retryAfterHeaders(1, "retry-after")).toStrictEqual({ "retry-after": "1" })
    expect(FaultAnswer.retryAfterHeaders(0, "both")).toStrictEqual({ "retry-after": "0", "retry-after-ms": "0" })
  })
})

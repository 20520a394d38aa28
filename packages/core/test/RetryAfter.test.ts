/**
 * The grammar of `retry-after` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date in its three forms) and of
 * `retry-after-ms`: anything outside it is no wait at all, so the backoff applies.
 */
import { describe, expect, it } from "@effect/vitest"
import { parseHttpDate, parseRetryAfter, parseRetryAfterMs, requestedWaitMillis } from "../src/internal/retryAfter.js"

const now = Date.UTC(2026, 0, 1, 0, 0, 0)

describe("retry-after", () => {
  it("delay-seconds: digits only", () => {
    expect(parseRetryAfter("0", now)).toBe(0)
    expect(parseRetryAfter("2", now)).toBe(2000)
    expect(parseRetryAfter("0120", now)).toBe(120_000)
    for (const junk of ["0x2", "2e0", "2.5", "-1", "+2", "", "2 ", " 2s", "Infinity", "NaN", "1_000", "２"]) {
      expect(parseRetryAfter(junk, now), junk).toBeUndefined()
    }
  })

  it("the three forms of HTTP-date", () => {
    const expected = Date.UTC(1994, 10, 6, 8, 49, 37)
    expect(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", now)).toBe(expected)
    expect(parseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", now)).toBe(expected)
    expect(parseHttpDate("Sun Nov  6 08:49:37 1994", now)).toBe(expected)
    expect(parseHttpDate("Sun Nov 16 08:49:37 1994", now)).toBe(Date.UTC(1994, 10, 16, 8, 49, 37))
    // A two-digit year more than 50 years ahead is the century before.
    expect(parseHttpDate("Monday, 01-Jan-80 00:00:00 GMT", now)).toBe(Date.UTC(1980, 0, 1))
    expect(parseHttpDate("Thursday, 01-Jan-70 00:00:00 GMT", Date.UTC(2026, 0, 1))).toBe(Date.UTC(2070, 0, 1))
  })

  it("a date in the future is the wait until it, one in the past no wait", () => {
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", now)).toBe(3000)
    expect(parseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now)).toBe(0)
  })

  it("date-like junk, and a header given twice, are not a wait", () => {
    for (
      const junk of [
        "x 2030",
        "Sat 2030",
        "Thu, 01 Jan 2026 00:00:03 UTC",
        "Thu, 01 Jan 2026 00:00:03 GMT junk",
        "Thu, 1 Jan 2026 00:00:03 GMT",
        "Thu, 32 Jan 2026 00:00:03 GMT",
        "Thu, 30 Feb 2026 00:00:03 GMT",
        "Thu, 01 Jan 2026 24:00:00 GMT",
        "2026-01-01T00:00:03Z",
        "Thu, 01 Jan 2026 00:00:03 GMT, Thu, 01 Jan 2026 00:00:05 GMT",
        "2, 3",
        "2,2"
      ]
    ) {
      expect(parseRetryAfter(junk, now), junk).toBeUndefined()
    }
  })
})

describe("retry-after-ms", () => {
  it("digits, with an optional decimal fraction", () => {
    expect(parseRetryAfterMs("0")).toBe(0)
    expect(parseRetryAfterMs("250")).toBe(250)
    expect(parseRetryAfterMs("12.5")).toBe(12.5)
    for (const junk of ["0x10", "1e3", "-5", ".5", "5.", "", "5ms", "1, 2"]) {
      expect(parseRetryAfterMs(junk), junk).toBeUndefined()
    }
  })

  it("wins over retry-after when well-formed, else retry-after applies", () => {
    expect(requestedWaitMillis({ "retry-after-ms": "10", "retry-after": "5" }, now)).toBe(10)
    expect(requestedWaitMillis({ "retry-after-ms": "1e3", "retry-after": "5" }, now)).toBe(5000)
    expect(requestedWaitMillis({ "retry-after-ms": "1e3", "retry-after": "0x5" }, now)).toBeUndefined()
    expect(requestedWaitMillis({}, now)).toBeUndefined()
  })
})

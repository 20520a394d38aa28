/**
 * The grammar of `retry-after` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date in its three forms) and of
 * `retry-after-ms`: anything outside it is no wait at all, so the backoff applies.
 */
import {
  parseHttpDate,
  parseRetryAfter,
  parseRetryAfterMs,
  requestedWaitMillis
} from "@effect-scenario/kernel/RetryAfter"
import { describe, expect, it } from "vitest"

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

describe("retry-after: the calendar", () => {
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
  const LONG_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
  const pad = (n: number) => String(n).padStart(2, "0")
  // The three forms of one instant (the weekday is not checked against the date, but is given right).
  const forms = (year: number, month: number, day: number, time = "12:34:56") => {
    const weekday = new Date(Date.UTC(year, month, day)).getUTCDay()
    const long = LONG_DAYS[weekday]!
    const short = long.slice(0, 3)
    const name = MONTHS[month]!
    return [
      `${short}, ${pad(day)} ${name} ${year} ${time} GMT`,
      `${long}, ${pad(day)}-${name}-${pad(year % 100)} ${time} GMT`,
      `${short} ${name} ${String(day).padStart(2, " ")} ${time} ${year}`
    ]
  }

  it("every month, in every form, is that month (not a month of another year)", () => {
    const later = Date.UTC(2030, 0, 1)
    for (let month = 0; month < 12; month++) {
      const expected = Date.UTC(2031, month, 15, 12, 34, 56)
      for (const value of forms(2031, month, 15)) {
        expect(parseHttpDate(value, later), value).toBe(expected)
        // A date ahead is a wait until it, never a date in the past (a wait of 0).
        expect(parseRetryAfter(value, later), value).toBe(expected - later)
      }
    }
  })

  it("the last day of every month is a date, the day after it is not (leap years included)", () => {
    for (const year of [2026, 2028]) {
      for (let month = 0; month < 12; month++) {
        const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate()
        for (const value of forms(year, month, last)) {
          expect(parseHttpDate(value, now), value).toBe(Date.UTC(year, month, last, 12, 34, 56))
        }
        if (last < 31) {
          for (const value of forms(year, month, last + 1)) expect(parseHttpDate(value, now), value).toBeUndefined()
        }
      }
    }
    expect(parseHttpDate("Tue, 29 Feb 2028 00:00:00 GMT", now)).toBe(Date.UTC(2028, 1, 29))
    expect(parseHttpDate("Thu, 29 Feb 2026 00:00:00 GMT", now)).toBeUndefined()
  })

  it("day 00 is not a date", () => {
    expect(parseHttpDate("Sun, 00 Mar 2026 00:00:00 GMT", now)).toBeUndefined()
    expect(parseHttpDate("Sunday, 00-Mar-26 00:00:00 GMT", now)).toBeUndefined()
    expect(parseHttpDate("Sun Mar  0 00:00:00 2026", now)).toBeUndefined()
    expect(parseHttpDate("Sun, 01 Mar 2026 00:00:00 GMT", now)).toBe(Date.UTC(2026, 2, 1))
  })

  it("the clock's bounds: 23:59:59 and a leap second are times, hour 24, minute 60 and second 61 to 99 are not", () => {
    for (const value of forms(2026, 5, 30, "23:59:59")) {
      expect(parseHttpDate(value, now), value).toBe(Date.UTC(2026, 5, 30, 23, 59, 59))
    }
    for (const value of forms(2026, 5, 30, "23:00:00")) {
      expect(parseHttpDate(value, now), value).toBe(Date.UTC(2026, 5, 30, 23))
    }
    // The leap second the grammar allows is read as the next second.
    for (const value of forms(2026, 5, 30, "23:59:60")) {
      expect(parseHttpDate(value, now), value).toBe(Date.UTC(2026, 6, 1, 0, 0, 0))
    }
    for (const time of ["24:00:00", "12:60:00", "12:00:61", "12:00:62", "12:00:99", "99:00:00", "12:99:00"]) {
      for (const value of forms(2026, 5, 30, time)) expect(parseHttpDate(value, now), value).toBeUndefined()
    }
  })

  it("an RFC 850 year exactly 50 years ahead stays in this century, 51 years ahead is the century before", () => {
    const at = Date.UTC(2026, 5, 1)
    expect(parseHttpDate("Wednesday, 01-Jan-76 00:00:00 GMT", at)).toBe(Date.UTC(2076, 0, 1))
    expect(parseHttpDate("Thursday, 01-Jan-77 00:00:00 GMT", at)).toBe(Date.UTC(1977, 0, 1))
    expect(parseHttpDate("Thursday, 01-Jan-26 00:00:00 GMT", at)).toBe(Date.UTC(2026, 0, 1))
  })

  it("a wait is the distance from now, to the millisecond", () => {
    const at = Date.UTC(2026, 0, 1, 0, 0, 0, 250)
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:03 GMT", at)).toBe(2750)
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:00 GMT", at)).toBe(0)
  })

  it("delay-seconds beyond a safe integer is not a wait", () => {
    expect(parseRetryAfter("9007199254740991", now)).toBe(9007199254740991 * 1000)
    expect(parseRetryAfter("9007199254740993", now)).toBeUndefined()
    expect(parseRetryAfter("1".padEnd(400, "0"), now)).toBeUndefined()
  })
})

describe("retry-after-ms", () => {
  it("digits, with an optional decimal fraction", () => {
    expect(parseRetryAfterMs("0")).toBe(0)
    expect(parseRetryAfterMs("250")).toBe(250)
    expect(parseRetryAfterMs("12.5")).toBe(12.5)
    expect(parseRetryAfterMs("12.55")).toBe(12.55)
    expect(parseRetryAfterMs("0.125")).toBe(0.125)
    expect(parseRetryAfterMs("1500")).toBe(1500)
    // Digits so many that the number is not finite.
    expect(parseRetryAfterMs("1".padEnd(400, "0"))).toBeUndefined()
    for (const junk of ["0x10", "1e3", "-5", ".5", "5.", "", "5ms", "1, 2"]) {
      expect(parseRetryAfterMs(junk), junk).toBeUndefined()
    }
  })

  it("wins over retry-after when well-formed, else retry-after applies", () => {
    expect(requestedWaitMillis({ "retry-after-ms": "10", "retry-after": "5" }, now)).toBe(10)
    expect(requestedWaitMillis({ "retry-after-ms": "1e3", "retry-after": "5" }, now)).toBe(5000)
    expect(requestedWaitMillis({ "retry-after-ms": "1e3", "retry-after": "0x5" }, now)).toBeUndefined()
    expect(requestedWaitMillis({}, now)).toBeUndefined()
    expect(requestedWaitMillis({ "retry-after": "5" }, now)).toBe(5000)
    expect(requestedWaitMillis({ "retry-after-ms": "12.55" }, now)).toBe(12.55)
  })

  it("the optional whitespace around a field value is not part of it", () => {
    expect(requestedWaitMillis({ "retry-after-ms": " 10 ", "retry-after": "5" }, now)).toBe(10)
    expect(requestedWaitMillis({ "retry-after": " 5 " }, now)).toBe(5000)
    expect(requestedWaitMillis({ "retry-after": "\tThu, 01 Jan 2026 00:00:03 GMT " }, now)).toBe(3000)
  })
})

/**
 * The grammar of the headers that ask for a wait before a retry, as plain functions.
 *
 * - `retry-after` (RFC 9110 §10.2.3): `delay-seconds` (`1*DIGIT`) or an HTTP-date in one of its three forms
 *   (IMF-fixdate, the obsolete RFC 850 form, ANSI C's asctime form, §5.6.7).
 * - `retry-after-ms` (the Stainless runtime's): milliseconds as digits, with an optional decimal fraction.
 *
 * Anything else is not a wait at all (the policy's backoff applies): `0x2`, `2e0`, `-1`, a date with junk
 * around it, and two values joined by a comma (a header given twice) alike.
 *
 * @since 0.1.0
 */

const DIGITS = /^\d+$/
const DECIMAL = /^\d+(?:\.\d+)?$/

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
const DAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
const DAY_LONG = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
const MONTH = "(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
const TIME = "(\\d{2}):(\\d{2}):(\\d{2})"

// Sun, 06 Nov 1994 08:49:37 GMT
const IMF_FIXDATE = new RegExp(`^${DAY}, (\\d{2}) ${MONTH} (\\d{4}) ${TIME} GMT$`)
// Sunday, 06-Nov-94 08:49:37 GMT
const RFC_850 = new RegExp(`^${DAY_LONG}, (\\d{2})-${MONTH}-(\\d{2}) ${TIME} GMT$`)
// Sun Nov  6 08:49:37 1994
const ASCTIME = new RegExp(`^${DAY} ${MONTH} ((?:\\d| )\\d) ${TIME} (\\d{4})$`)

const toMillis = (
  year: number,
  month: string,
  day: number,
  hour: number,
  minute: number,
  second: number
): number | undefined => {
  const monthIndex = MONTHS.indexOf(month)
  // A leap second (60) is allowed by the grammar; it is read as the next second.
  if (hour > 23 || minute > 59 || second > 60 || day < 1) return undefined
  const daysInMonth = new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate()
  if (day > daysInMonth) return undefined
  const date = new Date(0)
  date.setUTCFullYear(year, monthIndex, day)
  date.setUTCHours(hour, minute, second, 0)
  return date.getTime()
}

/**
 * An HTTP-date as milliseconds since the epoch, or `undefined` when `value` is not one. An RFC 850 date's
 * two-digit year is read as RFC 9110 says: more than 50 years in the future means the century before.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseHttpDate = (value: string, now: number): number | undefined => {
  let match = IMF_FIXDATE.exec(value)
  if (match !== null) {
    return toMillis(Number(match[3]), match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]))
  }
  match = RFC_850.exec(value)
  if (match !== null) {
    const currentYear = new Date(now).getUTCFullYear()
    let year = currentYear - (currentYear % 100) + Number(match[3])
    if (year > currentYear + 50) year -= 100
    return toMillis(year, match[2]!, Number(match[1]), Number(match[4]), Number(match[5]), Number(match[6]))
  }
  match = ASCTIME.exec(value)
  if (match !== null) {
    return toMillis(
      Number(match[6]),
      match[1]!,
      // Stryker disable next-line MethodExpression: equivalent, Number() ignores the space of a one-digit day (" 6")
      Number(match[2]!.trim()),
      Number(match[3]),
      Number(match[4]),
      Number(match[5])
    )
  }
  return undefined
}

/**
 * The wait a `retry-after` value asks for in milliseconds, relative to `now`; a date in the past is a wait of
 * zero. `undefined` when the value follows neither form.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRetryAfter = (value: string, now: number): number | undefined => {
  if (DIGITS.test(value)) {
    const seconds = Number(value)
    return Number.isSafeInteger(seconds) ? seconds * 1000 : undefined
  }
  const date = parseHttpDate(value, now)
  return date === undefined ? undefined : Math.max(0, date - now)
}

/**
 * The wait a `retry-after-ms` value asks for in milliseconds (digits, optionally with a decimal fraction), or
 * `undefined`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseRetryAfterMs = (value: string): number | undefined => {
  if (!DECIMAL.test(value)) return undefined
  const millis = Number(value)
  return Number.isFinite(millis) ? millis : undefined
}

/**
 * The wait the headers of a response ask for, in milliseconds: `retry-after-ms` when it is well-formed,
 * else `retry-after`; `undefined` when neither is. Header values are taken as given (no trimming beyond the
 * optional whitespace HTTP strips around a field value).
 *
 * @since 0.1.0
 * @category parsing
 */
export const requestedWaitMillis = (
  headers: Readonly<Record<string, string | undefined>>,
  now: number
): number | undefined => {
  const ms = headers["retry-after-ms"]
  if (ms !== undefined) {
    const millis = parseRetryAfterMs(ms.trim())
    if (millis !== undefined) return millis
  }
  const header = headers["retry-after"]
  return header === undefined ? undefined : parseRetryAfter(header.trim(), now)
}

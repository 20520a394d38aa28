/**
 * The retry decision over a plain description of a failure: `x-should-retry` first, then the kind of failure,
 * what may have reached the server, the cap on a server's wait, and the backoff's arithmetic.
 */
import { describe, expect, it } from "vitest"
import {
  addMayHaveApplied,
  backoffMillis,
  isAnsweredWithSuccess,
  isTrainingImageNotFound,
  isWithinRetryAfterCap,
  mayHaveApplied,
  mayRetry,
  parseShouldRetry,
  shouldRetry
} from "../src/Retry.js"

const idempotent = { idempotent: true }
const post = { idempotent: false }
const status = (_tag: string, code: number, headers: Record<string, string> = {}) => ({ _tag, status: code, headers })

describe("Retry", () => {
  it("x-should-retry: exactly true or false, anything else says nothing", () => {
    expect(parseShouldRetry("true")).toBe(true)
    expect(parseShouldRetry("false")).toBe(false)
    for (const value of [undefined, "", "TRUE", "1", " true", "true, false"]) {
      expect(parseShouldRetry(value)).toBe(undefined)
    }
  })

  it("the header decides first on an error status, never on a 2xx", () => {
    expect(shouldRetry(status("BadRequestError", 400, { "x-should-retry": "true" }), post)).toBe(true)
    expect(shouldRetry(status("InternalServerError", 500, { "x-should-retry": "false" }), idempotent)).toBe(false)
    expect(shouldRetry(status("UnexpectedStatusError", 302, { "x-should-retry": "true" }), post)).toBe(true)
    expect(shouldRetry(status("ResponseDecodeError", 200, { "x-should-retry": "true" }), idempotent)).toBe(false)
    expect(isAnsweredWithSuccess(status("ResponseTooLargeError", 299))).toBe(true)
    expect(isAnsweredWithSuccess(status("UnexpectedStatusError", 300))).toBe(false)
    expect(isAnsweredWithSuccess({ _tag: "ConnectionError", mayHaveReachedServer: true })).toBe(false)
  })

  it("by kind: idempotent requests and a POST", () => {
    const table: ReadonlyArray<[failure: Parameters<typeof shouldRetry>[0], idempotent: boolean, post: boolean]> = [
      [{ _tag: "ConnectionError", mayHaveReachedServer: false }, true, true],
      [{ _tag: "ConnectionError", mayHaveReachedServer: true }, true, false],
      [{ _tag: "TimeoutError", mayHaveReachedServer: true }, true, false],
      [status("ConflictError", 409), true, false],
      [status("RateLimitError", 429), true, true],
      [status("InternalServerError", 500), true, false],
      [status("InternalServerError", 503), true, true],
      [status("UnexpectedStatusError", 408), true, false],
      [status("UnexpectedStatusError", 418), false, false],
      [status("NotFoundError", 404), false, false],
      [{ _tag: "InvalidRequestError" }, false, false]
    ]
    for (const [failure, whenIdempotent, whenPost] of table) {
      expect([shouldRetry(failure, idempotent), shouldRetry(failure, post)], JSON.stringify(failure)).toEqual([
        whenIdempotent,
        whenPost
      ])
    }
  })

  it("what may have taken effect: for a retried request, and for an add", () => {
    const lost = { _tag: "TimeoutError", mayHaveReachedServer: true }
    const refused = { _tag: "ConnectionError", mayHaveReachedServer: false }
    expect([lost, refused, status("InternalServerError", 500), status("InternalServerError", 503)].map(mayHaveApplied))
      .toEqual([true, false, true, false])
    expect(
      [
        lost,
        refused,
        status("InternalServerError", 503),
        status("ResponseDecodeError", 200),
        status("RateLimitError", 429)
      ]
        .map(addMayHaveApplied)
    ).toEqual([true, false, true, true, false])
  })

  it("a server's wait within the cap, and the backoff 0.5 s doubling to 8 s", () => {
    expect(isWithinRetryAfterCap(undefined, 0)).toBe(true)
    expect(isWithinRetryAfterCap(60_000, 60_000)).toBe(true)
    expect(isWithinRetryAfterCap(60_001, 60_000)).toBe(false)
    expect(isWithinRetryAfterCap(1e12, Infinity)).toBe(true)
    expect([0, 1, 2, 3, 4, 5, 1100].map((retry) => backoffMillis(retry))).toEqual([
      500,
      1000,
      2000,
      4000,
      8000,
      8000,
      8000
    ])
    expect(backoffMillis(2, { initialMillis: 100, maxMillis: 300 })).toBe(300)
  })

  it("a training image not found, as opposed to a model or a route", () => {
    const notFound = (body: unknown) => ({ _tag: "NotFoundError", status: 404, body })
    expect(isTrainingImageNotFound(notFound("Training image not found"))).toBe(true)
    expect(isTrainingImageNotFound(notFound({ apiError: "training_image_not_found" }))).toBe(true)
    expect(isTrainingImageNotFound(notFound("Not Found"))).toBe(false)
    expect(isTrainingImageNotFound(notFound({ message: "model not found" }))).toBe(false)
    expect(isTrainingImageNotFound({ _tag: "ConflictError", body: "training image not found" })).toBe(false)
  })

  it("mayRetry: never after a 2xx, never past the cap, else the policy's decision, asked last", () => {
    const asked: Array<string> = []
    const decide = (failure: { readonly _tag: string }) => {
      asked.push(failure._tag)
      return true
    }
    const answered = { _tag: "ResponseDecodeError", status: 200, headers: {} }
    expect(mayRetry(answered, { requestedMillis: undefined, maxRetryAfterMillis: 60_000, decide })).toBe(false)
    const limited = status("RateLimitError", 429)
    expect(mayRetry(limited, { requestedMillis: 60_001, maxRetryAfterMillis: 60_000, decide })).toBe(false)
    expect(asked).toEqual([])
    expect(mayRetry(limited, { requestedMillis: 60_000, maxRetryAfterMillis: 60_000, decide })).toBe(true)
    expect(mayRetry(limited, { requestedMillis: undefined, maxRetryAfterMillis: 0, decide: () => false })).toBe(false)
    expect(asked).toEqual(["RateLimitError"])
  })
})

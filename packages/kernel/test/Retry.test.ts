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

describe("Retry: the edges of each rule", () => {
  it("a 2xx is 200 to 299: a 1xx or a 3xx is not answered with success, and a header then decides", () => {
    expect([100, 199, 200, 299, 300].map((code) => isAnsweredWithSuccess(status("UnexpectedStatusError", code))))
      .toEqual([false, false, true, true, false])
    expect(shouldRetry(status("UnexpectedStatusError", 199, { "x-should-retry": "true" }), post)).toBe(true)
    // No headers at all: the kind decides.
    expect(shouldRetry({ _tag: "RateLimitError", status: 429 }, post)).toBe(true)
    expect(shouldRetry({ _tag: "NotFoundError", status: 404 }, idempotent)).toBe(false)
  })

  it("a connection error or a timeout that does not say whether it reached the server: a POST is resent", () => {
    expect(shouldRetry({ _tag: "ConnectionError" }, post)).toBe(true)
    expect(shouldRetry({ _tag: "TimeoutError" }, post)).toBe(true)
    expect(shouldRetry({ _tag: "TimeoutError", mayHaveReachedServer: false }, post)).toBe(true)
    expect(shouldRetry({ _tag: "TimeoutError", mayHaveReachedServer: true }, post)).toBe(false)
  })

  it("what may have taken effect: only a lost response said to have reached the server, or a 5xx but 503", () => {
    const table: ReadonlyArray<[failure: Parameters<typeof mayHaveApplied>[0], retried: boolean, add: boolean]> = [
      [{ _tag: "ConnectionError", mayHaveReachedServer: true }, true, true],
      [{ _tag: "ConnectionError", mayHaveReachedServer: false }, false, false],
      [{ _tag: "ConnectionError" }, false, false],
      [{ _tag: "TimeoutError", mayHaveReachedServer: true }, true, true],
      [{ _tag: "TimeoutError", mayHaveReachedServer: false }, false, false],
      [{ _tag: "TimeoutError" }, false, false],
      [status("InternalServerError", 500), true, true],
      [status("InternalServerError", 502), true, true],
      [status("InternalServerError", 503), false, true],
      [status("ResponseDecodeError", 200), false, true],
      [status("ResponseTooLargeError", 200), false, true],
      [status("RateLimitError", 429), false, false],
      [status("ConflictError", 409), false, false],
      [status("UnexpectedStatusError", 500), false, false],
      [{ _tag: "InvalidRequestError" }, false, false]
    ]
    for (const [failure, retried, add] of table) {
      expect([mayHaveApplied(failure), addMayHaveApplied(failure)], JSON.stringify(failure)).toEqual([retried, add])
    }
  })

  it("the backoff's defaults apply one by one", () => {
    expect(backoffMillis(3, { initialMillis: 100 })).toBe(800)
    expect(backoffMillis(5, { initialMillis: 100 })).toBe(3200)
    expect(backoffMillis(2, { maxMillis: 1500 })).toBe(1500)
    expect(backoffMillis(1, { maxMillis: 1500 })).toBe(1000)
    expect(backoffMillis(1, {})).toBe(1000)
  })
})

describe("Retry: a training image not found", () => {
  const notFound = (body: unknown) => ({ _tag: "NotFoundError", status: 404, body })
  const says = "training image not found"

  it("in each of the body's message fields", () => {
    for (const field of ["message", "apiError", "error", "reason", "detail"]) {
      expect(isTrainingImageNotFound(notFound({ [field]: says })), field).toBe(true)
      expect(isTrainingImageNotFound(notFound({ [field]: "model not found" })), field).toBe(false)
    }
    expect(isTrainingImageNotFound(notFound({ other: says }))).toBe(false)
    expect(isTrainingImageNotFound(notFound({ info: "x", detail: says }))).toBe(true)
  })

  it("only a text says it: a field that is no string, a body that is no object or text, say nothing", () => {
    for (const body of [undefined, null, 404, true, { message: 404 }, { error: { message: says } }, [says]]) {
      expect(isTrainingImageNotFound(notFound(body)), JSON.stringify(body)).toBe(false)
    }
  })

  it("within the first 1000 characters of the body or of a field", () => {
    const at = (offset: number) => `${" ".repeat(offset)}${says}`
    expect(isTrainingImageNotFound(notFound(at(1000 - says.length)))).toBe(true)
    expect(isTrainingImageNotFound(notFound(at(1001 - says.length)))).toBe(false)
    expect(isTrainingImageNotFound(notFound({ message: at(1000 - says.length) }))).toBe(true)
    expect(isTrainingImageNotFound(notFound({ message: at(1001 - says.length) }))).toBe(false)
  })

  it("the words with a space, _ or - or nothing between them, in any case, whole words only", () => {
    for (
      const text of [
        "Training image not found",
        "TRAINING_IMAGE_NOT_FOUND",
        "training-images not-found",
        "trainingimage notfound",
        "trainingImages: not found",
        "the training image abc was not found.",
        "(training image) not found!"
      ]
    ) {
      expect(isTrainingImageNotFound(notFound(text)), text).toBe(true)
    }
    for (
      const text of [
        "pretraining image not found",
        "training imagery not found",
        "training image cannot found",
        "training image not founder",
        "training  image not found",
        "training image not  found",
        "not found: training image",
        "image not found",
        "training not found",
        "training image found",
        "Not Found"
      ]
    ) {
      expect(isTrainingImageNotFound(notFound(text)), text).toBe(false)
    }
  })
})

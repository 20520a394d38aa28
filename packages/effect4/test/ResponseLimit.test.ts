/**
 * `maxResponseBytes` over a transport that does not count the body itself (the stub here, like fetch or
 * `NodeHttpClient`), at its exact boundaries: a body of exactly the limit is read and one byte more is a
 * `ResponseTooLargeError`, whether streamed in one chunk or several or declared by its `content-length`; a
 * declared length is trusted only when it is a plain number and the body is not compressed; the error
 * carries the response's status, kept headers and request id. A failed body read stays a transport error,
 * whatever its cause.
 */
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { RESPONSE_TOO_LARGE } from "../src/internal/client.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImagesError from "../src/TrainingImagesError.js"
import { type Reply, withStub } from "./stub.js"

const limit = 100

const model = { id: "m", status: "new", type: "sd-xl", trainingImagesNumber: 0 }

// A `list` answer of exactly `size` bytes in UTF-8: the model's JSON, padded with spaces (still valid JSON).
const listBody = (size: number, id = "m") => {
  const json = JSON.stringify({ model: { ...model, id } })
  const bytes = new TextEncoder().encode(json).length
  expect(bytes).toBeLessThanOrEqual(size)
  return json + " ".repeat(size - bytes)
}

// What `list` ends with when the stub answers `reply`: the model id it read, or the error's tag.
const listOutcome = (reply: Reply, maxResponseBytes = limit) =>
  Effect.gen(function*() {
    const { images } = yield* withStub([reply], { retryPolicy: RetryPolicy.none, maxResponseBytes })
    const result = yield* Effect.result(images.list({ modelId: "m" }))
    return result._tag === "Success" ? `read ${result.success.modelId}` : result.failure._tag
  })

const tooLarge = (reply: Reply) =>
  Effect.gen(function*() {
    const { images } = yield* withStub([reply], { retryPolicy: RetryPolicy.none, maxResponseBytes: limit })
    const error = yield* Effect.flip(images.list({ modelId: "m" }))
    assert(error._tag === "ResponseTooLargeError", `expected a ResponseTooLargeError, got ${error._tag}`)
    return error
  })

describe("a streamed body (no content-length)", () => {
  it.effect("exactly maxResponseBytes is read; one byte more is a ResponseTooLargeError", () =>
    Effect.gen(function*() {
      expect(yield* listOutcome({ status: 200, chunks: [listBody(limit)] })).toBe("read m")
      expect(yield* listOutcome({ status: 200, chunks: [listBody(limit + 1)] })).toBe("ResponseTooLargeError")
    }))

  it.effect("several chunks are joined in order; their sum past the limit is a ResponseTooLargeError", () =>
    Effect.gen(function*() {
      const whole = listBody(limit, "abcdefghij")
      const pieces = [whole.slice(0, 13), whole.slice(13, 14), whole.slice(14, 60), whole.slice(60)]
      expect(yield* listOutcome({ status: 200, chunks: pieces })).toBe("read abcdefghij")
      // No chunk is past the limit on its own; together they are one byte over.
      expect(yield* listOutcome({ status: 200, chunks: [...pieces, " "] })).toBe("ResponseTooLargeError")
      expect(yield* listOutcome({ status: 200, chunks: [" ".repeat(limit), " "] })).toBe("ResponseTooLargeError")
    }))

  it.effect("a character split across chunks is decoded whole", () =>
    Effect.gen(function*() {
      const bytes = new TextEncoder().encode(listBody(limit, "mé"))
      const at = bytes.indexOf(0xc3) + 1
      const chunks = [bytes.slice(0, at), bytes.slice(at)]
      expect(yield* listOutcome({ status: 200, chunks })).toBe("read mé")
    }))

  it.effect("an empty stream, and no body at all (fetch's null body), are the empty text", () =>
    Effect.gen(function*() {
      for (const reply of [{ status: 200, chunks: [] }, { status: 200 }] as const) {
        const { images } = yield* withStub([reply], { retryPolicy: RetryPolicy.none, maxResponseBytes: limit })
        yield* images.delete({ modelId: "m", trainingImageId: "t" })
        // `list` reads the same empty text: not JSON.
        expect(yield* listOutcome(reply)).toBe("ResponseDecodeError")
      }
    }))
})

describe("a declared content-length", () => {
  it.effect("equal to the limit is read; above it is a ResponseTooLargeError before the body is read", () =>
    Effect.gen(function*() {
      expect(
        yield* listOutcome({ status: 200, body: listBody(limit), headers: { "content-length": String(limit) } })
      ).toBe("read m")
      // The declared length decides: the body is not read (it is shorter than declared here).
      for (const declared of [limit + 1, 10 * limit, 1_000_000]) {
        const outcome = yield* listOutcome({
          status: 200,
          body: listBody(80),
          headers: { "content-length": String(declared) }
        })
        expect([declared, outcome]).toEqual([declared, "ResponseTooLargeError"])
      }
    }))

  it.effect("within the limit and not compressed, the body is read as the transport delivers it, uncounted", () =>
    Effect.gen(function*() {
      // The transport stops at the declared length (every HTTP/1.1 transport does): a stub that sends more
      // shows which read was used.
      for (const encoding of [undefined, "", "identity", "Identity"]) {
        const headers: Record<string, string> = { "content-length": "60" }
        if (encoding !== undefined) headers["content-encoding"] = encoding
        const outcome = yield* listOutcome({ status: 200, body: listBody(limit + 50), headers })
        expect([encoding, outcome]).toEqual([encoding, "read m"])
      }
    }))

  it.effect("a compressed body is counted as it is read, whatever its declared length", () =>
    Effect.gen(function*() {
      for (const encoding of ["gzip", "br", "identity, gzip"]) {
        const headers = { "content-length": "60", "content-encoding": encoding }
        const past = yield* listOutcome({ status: 200, body: listBody(limit + 1), headers })
        expect([encoding, past]).toEqual([encoding, "ResponseTooLargeError"])
        const exact = yield* listOutcome({ status: 200, body: listBody(limit), headers })
        expect([encoding, exact]).toEqual([encoding, "read m"])
      }
    }))

  it.effect("a length that is not a plain number is not trusted: the body is counted", () =>
    Effect.gen(function*() {
      for (const declared of ["0x5", "5x", "x5", "1e1", "5.0", "-5", "+5", ""]) {
        const headers = { "content-length": declared }
        const past = yield* listOutcome({ status: 200, body: listBody(limit + 1), headers })
        expect([declared, past]).toEqual([declared, "ResponseTooLargeError"])
        const exact = yield* listOutcome({ status: 200, body: listBody(limit), headers })
        expect([declared, exact]).toEqual([declared, "read m"])
      }
    }))
})

describe("the ResponseTooLargeError", () => {
  it.effect("carries the status, the kept headers, the request id when given, and the limit", () =>
    Effect.gen(function*() {
      const headers = {
        "content-length": String(limit + 1),
        "x-request-id": "req_1",
        "set-cookie": "session=secret",
        "x-other": "kept"
      }
      for (const status of [200, 500]) {
        const declared = yield* tooLarge({ status, body: listBody(limit + 1), headers })
        const streamed = yield* tooLarge({ status, chunks: [listBody(limit + 1)], headers: { ...headers } })
        for (const error of [declared, streamed]) {
          expect(error.status).toBe(status)
          expect(error.requestId).toBe("req_1")
          expect(error.maxResponseBytes).toBe(limit)
          expect(error.headers["x-other"]).toBe("kept")
          expect(error.headers).not.toHaveProperty("set-cookie")
          expect(error.operation).toBe("list")
          expect(error.message).toContain("[request id req_1]")
        }
      }
      const bare = yield* tooLarge({ status: 200, chunks: [listBody(limit + 1)] })
      expect(Object.keys(bare)).not.toContain("requestId")
      expect(bare.message).not.toContain("request id")
    }))
})

describe("a body read that fails", () => {
  it.effect("is a ConnectionError whatever its cause (none, a string, an Error), never too large", () =>
    Effect.gen(function*() {
      for (const cause of [null, undefined, "reset", 7, new Error("reset")]) {
        const { images } = yield* withStub([{ status: 200, chunks: ["{\"model\":"], streamFails: { cause } }], {
          retryPolicy: RetryPolicy.none,
          maxResponseBytes: limit
        })
        const error = yield* Effect.flip(images.list({ modelId: "m" }))
        assert(error._tag === "ConnectionError", `${String(cause)}: ${error._tag}`)
        expect(error.mayHaveReachedServer).toBe(true)
      }
    }))

  it.effect("a transport's cause marked too large is a ResponseTooLargeError with the response's fields", () =>
    Effect.gen(function*() {
      const marked = { [RESPONSE_TOO_LARGE]: true }
      const error = yield* tooLarge({
        status: 503,
        chunks: ["{"],
        streamFails: { cause: marked },
        headers: { "x-amzn-requestid": "req_2" }
      })
      expect(error.status).toBe(503)
      expect(error.requestId).toBe("req_2")
      expect(error.maxResponseBytes).toBe(limit)
    }))

  it.effect("a request that fails before any response is never too large, whatever its cause carries", () =>
    Effect.gen(function*() {
      const { images } = yield* withStub([{ requestFails: { cause: { [RESPONSE_TOO_LARGE]: true } } }], {
        retryPolicy: RetryPolicy.none,
        maxResponseBytes: limit
      })
      const error = yield* Effect.flip(images.list({ modelId: "m" }))
      expect(error).toBeInstanceOf(TrainingImagesError.ConnectionError)
    }))
})

/**
 * What an error keeps of a response, at its exact boundaries: JSON nested to the depth limit and one level
 * past it, bodies of the kept length and one character longer, the headers left out, the request id and
 * requested wait carried only when given, and the account of a body that does not decode (an issue of the
 * kept length and one character longer).
 */
import { ApiResponse, TrainingImagesError } from "@effect-scenario/effect4"
import { capDepth, MAX_ISSUE_LENGTH, MAX_KEPT_DEPTH, TOO_DEEP } from "@effect-scenario/kernel/RequestError"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Result, Schema, SchemaIssue } from "effect"
import { inspect } from "node:util"
import * as Cases from "../../../contract/responseBoundaries.js"

const line = { operation: "list", method: "GET", url: "https://api.example.test/v1/models/m/training-images" } as const

const failureOf = (
  status: number,
  text: string,
  headers: Record<string, string> = {},
  decode: ApiResponse.Decoder<unknown> = ApiResponse.decodeModel
) => Effect.flip(ApiResponse.interpret(line, { status, headers, text }, decode))

const bodyOf = (status: number, text: string) =>
  Effect.map(failureOf(status, text), (error) => (error as { readonly body: unknown }).body)

// The issue of a 2xx body that `decode` rejects.
const issueOf = (text: string, decode: ApiResponse.Decoder<unknown> = ApiResponse.decodeModel) =>
  Effect.map(failureOf(200, text, {}, decode), (error) => (error as TrainingImagesError.ResponseDecodeError).issue)

// A decoder that rejects every body, its schema's account of why being `message`.
const rejectingWith = (message: string): ApiResponse.Decoder<unknown> =>
  Schema.decodeUnknownResult(Schema.Never.annotate({ message }))

// A decoder that rejects every body with an issue whose message cannot be read (Effect 4's message annotation
// is a string, not a function: a getter that throws stands for a formatter that fails).
const unformattableDecoder: ApiResponse.Decoder<unknown> = () =>
  Result.fail(
    new Schema.SchemaError(
      new SchemaIssue.InvalidValue({
        get message(): string {
          throw new Error("formatting failed on purpose")
        }
      })
    )
  )

const { descend, nestedArrays, nestedObjects } = Cases

describe("JSON nested at the depth limit", () => {
  const limit = MAX_KEPT_DEPTH

  it.effect("containers down to the limit are kept whole; one level deeper is replaced, its siblings kept", () =>
    Effect.gen(function*() {
      for (const nested of [nestedArrays, nestedObjects]) {
        const within = nested(limit)
        expect(yield* bodyOf(500, JSON.stringify(within))).toEqual(within)
        const past = yield* bodyOf(500, JSON.stringify(nested(limit + 1)))
        // The container at depth `limit` (the root being depth 0) became the marker; all above it is kept.
        expect(descend(past, limit)).toBe(TOO_DEEP)
        expect(descend(past, limit - 1)).not.toBe(TOO_DEEP)
        expect(Array.isArray(descend(past, limit - 1)) || typeof descend(past, limit - 1) === "object").toBe(true)
      }
      // Past the limit, the objects keep their other keys at every level above the cut.
      const past = (yield* bodyOf(500, JSON.stringify(nestedObjects(limit + 1)))) as Record<string, unknown>
      expect(past.n).toBe(limit)
      expect((descend(past, limit - 1) as Record<string, unknown>).n).toBe(1)
    }))

  it.effect("a leaf that is not a container never counts as a level", () =>
    Effect.gen(function*() {
      for (const leaf of Cases.leaves) {
        // `limit` containers (the innermost holding two leaves) are kept whole; one more is cut.
        const within = nestedArrays(limit - 1, [leaf, leaf])
        expect(yield* bodyOf(500, JSON.stringify(within))).toEqual(within)
        const past = yield* bodyOf(500, JSON.stringify(nestedArrays(limit, [leaf, leaf])))
        expect(descend(past, limit)).toBe(TOO_DEEP)
      }
    }))

  it.effect("one deep branch among shallow ones: only the deep branch is cut", () =>
    Effect.gen(function*() {
      const body = Cases.branches(nestedArrays(limit + 5))
      const kept = (yield* bodyOf(500, JSON.stringify(body))) as Record<string, unknown>
      expect(kept.shallow).toEqual([1, { b: 2 }])
      expect(kept.after).toBe("x")
      // `deep` sits at depth 1: its container at depth `limit` is `limit - 1` levels below it.
      expect(descend(kept.deep, limit - 1)).toBe(TOO_DEEP)
    }))

  it.effect("the marker says what was cut, and at which depth", () =>
    Effect.gen(function*() {
      const past = yield* bodyOf(500, JSON.stringify(nestedArrays(limit + 1)))
      expect(JSON.stringify(past)).toContain(Cases.MARKER_TEXT)
    }))

  it.effect("JSON that is not a container is kept as parsed; a container within the limit is kept as is", () =>
    Effect.gen(function*() {
      for (const [text, value] of Cases.scalars) expect(yield* bodyOf(500, text), text).toBe(value)
      // Within the limit nothing is copied: the very value comes back.
      for (const within of [nestedArrays(limit), nestedObjects(limit), [], {}]) {
        expect(capDepth(within)).toBe(within)
      }
    }))
})

describe("the body an error keeps", () => {
  const max = TrainingImagesError.MAX_KEPT_BODY

  it.effect("empty, text, JSON; text of the kept length whole, one character longer cut to it", () =>
    Effect.gen(function*() {
      for (const [text, kept] of Cases.keptBodies) expect(yield* bodyOf(500, text), text).toEqual(kept)
      const exact = "x".repeat(max)
      expect(yield* bodyOf(500, exact)).toBe(exact)
      expect(yield* bodyOf(500, `${exact}y`)).toBe(exact)
      // JSON of exactly the kept length is still parsed; one character longer it is kept as cut text.
      const json = JSON.stringify("j".repeat(max - 2))
      expect(json).toHaveLength(max)
      expect(yield* bodyOf(500, json)).toBe("j".repeat(max - 2))
      const longer = JSON.stringify("j".repeat(max - 1))
      expect(yield* bodyOf(500, longer)).toBe(longer.slice(0, max))
    }))

  it.effect("a 2xx body that does not decode: the text kept up to the limit, its full length counted", () =>
    Effect.gen(function*() {
      for (const length of [0, 1, max, max + 1]) {
        const text = "y".repeat(length)
        const error = (yield* failureOf(200, text)) as TrainingImagesError.ResponseDecodeError
        expect(error._tag).toBe("ResponseDecodeError")
        expect(error.body).toBe(text.slice(0, max))
        expect(error.bodyLength).toBe(length)
        expect(error.issue.length).toBeGreaterThan(0)
      }
      const empty = (yield* failureOf(200, "")) as TrainingImagesError.ResponseDecodeError
      const junk = (yield* failureOf(200, "y")) as TrainingImagesError.ResponseDecodeError
      expect(empty.issue).not.toBe(junk.issue)
    }))

  it.effect("a body of the wrong shape: the issue is bounded, also for JSON nested past the limit", () =>
    Effect.gen(function*() {
      const wide = Cases.wideBody
      const deep = JSON.stringify({ model: nestedObjects(MAX_KEPT_DEPTH * 4) })
      for (const text of [wide, deep]) {
        const error = (yield* failureOf(200, text)) as TrainingImagesError.ResponseDecodeError
        expect(error._tag).toBe("ResponseDecodeError")
        expect(error.issue.length).toBeGreaterThan(0)
        expect(error.issue.length).toBeLessThanOrEqual(MAX_ISSUE_LENGTH + 1)
      }
      const small = (yield* failureOf(200, Cases.smallWrongBody)) as TrainingImagesError.ResponseDecodeError
      expect(small.issue.length).toBeLessThan(MAX_ISSUE_LENGTH)
      expect(small.issue).toContain("id")
    }))

  it.effect("a body nesting past the limit: the issue says so, without formatting the body", () =>
    Effect.gen(function*() {
      const past = yield* issueOf(JSON.stringify({ model: nestedObjects(MAX_KEPT_DEPTH) }))
      expect(past).toBe(Cases.NESTS_TOO_DEEP)
      // One level shallower, the schema's own account is given.
      const within = yield* issueOf(JSON.stringify({ model: nestedObjects(MAX_KEPT_DEPTH - 1) }))
      expect(within).not.toContain("nests deeper")
      expect(within).toContain("[\"id\"]")
    }))

  it.effect("an issue of the maximum length is kept whole; one character longer is cut to it and marked", () =>
    Effect.gen(function*() {
      const short = Cases.SHORT_ISSUE
      expect(yield* issueOf("{}", rejectingWith(short))).toBe(short)
      const exact = "a".repeat(MAX_ISSUE_LENGTH)
      expect(yield* issueOf("{}", rejectingWith(exact))).toBe(exact)
      const longer = yield* issueOf("{}", rejectingWith(`${exact}b`))
      expect(longer).toBe(`${exact}…`)
      expect(longer).toHaveLength(MAX_ISSUE_LENGTH + 1)
    }))

  it.effect("a decoder whose issue cannot be formatted: a plain issue instead", () =>
    Effect.gen(function*() {
      const error = (yield* failureOf(200, "{}", {}, unformattableDecoder)) as TrainingImagesError.ResponseDecodeError
      expect(error._tag).toBe("ResponseDecodeError")
      expect(error.issue).toBe(Cases.UNFORMATTABLE_ISSUE)
    }))

  it.effect("a request id or a requested wait is carried when the response has one, and no key for it otherwise", () =>
    Effect.gen(function*() {
      // A key holding `undefined` would show in every inspection of the error, logs included.
      for (const [status, text] of Cases.carriers) {
        const bare = yield* failureOf(status, text)
        expect(Object.keys(bare), `${status}`).not.toContain("requestId")
        expect(Object.keys(bare), `${status}`).not.toContain("retryAfter")
        expect(inspect(bare), `${status}`).not.toContain("undefined")
        const carried = (yield* failureOf(status, text, Cases.carriedHeaders)) as {
          readonly requestId?: string
          readonly retryAfter?: Duration.Duration
        }
        expect(carried.requestId, `${status}`).toBe("req_1")
        // A decode error is not retried, so it keeps no wait.
        if (status === 200) expect(Object.keys(carried)).not.toContain("retryAfter")
        else expect(Duration.toMillis(carried.retryAfter!), `${status}`).toBe(3000)
      }
    }))

  it.effect("headers that can carry session material are left out, the others kept", () =>
    Effect.gen(function*() {
      const headers = Cases.sessionHeaders
      for (const status of [200, 500]) {
        const error = (yield* failureOf(status, status === 200 ? "{}" : "{}", headers)) as {
          readonly headers: Record<string, string>
        }
        expect(error.headers).toEqual(Cases.keptHeaders)
      }
    }))
})

/**
 * The retry rules and the reading of responses at their exact boundaries: which statuses and failures are
 * retried, the jitter, the 60 s cap on a server's requested wait, Retry-After against a clock that is not at
 * the epoch, and the request id a response carries. The exported decisions (`defaultShouldRetry`,
 * `isAnsweredWithSuccess`, `isTrainingImageNotFound`) are also called directly, at their edges.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Fiber, Random } from "effect"
import { TestClock } from "effect/testing"
import * as ApiResponse from "../src/ApiResponse.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImagesError from "../src/TrainingImagesError.js"
import { type Reply, stepThrough, trainingImageJson, withStub } from "./stub.js"

const ok: Reply = { status: 200, body: { trainingImage: trainingImageJson() } }
const line = { operation: "replace", method: "PUT", url: "https://api.example.test/v1/models/m" } as const

type Call = "add" | "replace" | "delete" | "list" | "replacePairs"

const callOf = (
  images: Effect.Success<ReturnType<typeof withStub>>["images"],
  call: Call
): Effect.Effect<unknown, TrainingImagesError.TrainingImagesError> => {
  switch (call) {
    case "add":
      return images.add({ modelId: "m", assetId: "a" })
    case "replace":
      return images.replace({ modelId: "m", trainingImageId: "t", assetId: "a" })
    case "delete":
      return images.delete({ modelId: "m", trainingImageId: "t" })
    case "list":
      return images.list({ modelId: "m" })
    case "replacePairs":
      return images.replacePairs({ modelId: "m", pairs: [] })
  }
}

/** One call against the replies, the TestClock moved step by step: attempts seen after each step, the outcome. */
const run = (
  replies: ReadonlyArray<Reply>,
  call: Call,
  steps: ReadonlyArray<Duration.Input> = [],
  wrap: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E> = (self) => self
) =>
  Effect.flatMap(withStub(replies), ({ images, recorded }) =>
    stepThrough(
      wrap(callOf(images, call) as Effect.Effect<unknown, TrainingImagesError.TrainingImagesError>),
      recorded,
      steps
    ))

const outcome = (exit: Exit.Exit<unknown, TrainingImagesError.TrainingImagesError>) => {
  if (Exit.isSuccess(exit)) return "Success"
  const failure = Cause.findError(exit.cause)
  return failure._tag === "Success" ? failure.success._tag : "Defect"
}

const errorOf = <E>(exit: Exit.Exit<unknown, E>): E => {
  const failure = Exit.isFailure(exit) ? Cause.findError(exit.cause) : undefined
  if (failure?._tag === "Success") return failure.success
  throw new Error("expected a failure")
}

const imageGone = { status: 404, body: { message: "Training image t not found in model m" } }

describe("what is retried", () => {
  it.effect("a 404 after an attempt that may have been applied is a success for delete only", () =>
    Effect.gen(function*() {
      for (const call of ["replace", "list", "replacePairs"] as const) {
        const { attempts, exit } = yield* run([{ status: 500 }, imageGone], call)
        expect(outcome(exit), call).toBe("NotFoundError")
        expect(attempts, call).toBe(2)
      }
      const { attempts, exit } = yield* run([{ status: 500 }, imageGone], "delete")
      expect(outcome(exit)).toBe("Success")
      expect(attempts).toBe(2)
    }))

  it.effect("a delete that timed out, then found the image gone: success", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* run([{ hang: true }, imageGone], "delete")
      expect(outcome(exit)).toBe("Success")
      expect(attempts).toBe(2)
    }))

  it.effect("a delete whose first attempt surely did nothing keeps its 404", () =>
    Effect.gen(function*() {
      for (const first of [{ refuse: true }, { status: 503 }, { status: 429 }, { status: 409 }] as const) {
        const { exit } = yield* run([first, imageGone], "delete")
        expect(outcome(exit), JSON.stringify(first)).toBe("NotFoundError")
      }
    }))

  it.effect("unexpected statuses (418, 3xx, 1xx-like) and 4xx other than 408, 409, 429 are not retried", () =>
    Effect.gen(function*() {
      for (const status of [300, 301, 302, 304, 307, 400, 401, 403, 404, 405, 410, 418, 422, 451]) {
        for (const call of ["replace", "delete", "add"] as const) {
          const { attempts, exit } = yield* run([{ status, body: { message: "no" } }, ok], call)
          expect(attempts, `${call} ${status}`).toBe(1)
          expect(outcome(exit), `${call} ${status}`).not.toBe("Success")
        }
      }
    }))

  it.effect("408 and 409 are retried for idempotent calls only; 429 and 503 for every call; 500 not for add", () =>
    Effect.gen(function*() {
      const expected: ReadonlyArray<readonly [number, Call, number]> = [
        [408, "replace", 2],
        [408, "add", 1],
        [409, "delete", 2],
        [409, "add", 1],
        [429, "add", 2],
        [503, "add", 2],
        [500, "add", 1],
        [502, "add", 1],
        [500, "list", 2],
        [599, "replacePairs", 2]
      ]
      for (const [status, call, attempts] of expected) {
        const done = call === "list"
          ? { status: 200, body: { model: { id: "m", status: "new", trainingImagesNumber: 0 } } }
          : call === "replacePairs"
          ? { status: 200, body: { count: 0, pairs: [] } }
          : call === "delete"
          ? { status: 204 }
          : ok
        const result = yield* run([{ status }, done], call)
        expect(result.attempts, `${call} ${status}`).toBe(attempts)
      }
    }))
})

describe("backoff and jitter", () => {
  // A random source that always draws `value` (Effect 4 has no `Random.fixed`).
  const withRandom = (value: number) => <A, E>(self: Effect.Effect<A, E>) =>
    Effect.provideService(self, Random.Random, {
      nextIntUnsafe: () => Math.floor(value * Number.MAX_SAFE_INTEGER),
      nextDoubleUnsafe: () => value
    })

  it.effect("the jitter takes up to 25% off: with the random at 0.5, 437.5 ms then 875 ms", () =>
    Effect.gen(function*() {
      const { seen } = yield* run([{ status: 500 }], "replace", [
        "0 millis",
        "437 millis", // t = 437: not yet
        "1 millis", // t = 438: the first retry (437.5)
        "874 millis", // t = 1312: not yet
        "1 millis" // t = 1313: the second (437.5 + 875 = 1312.5)
      ], withRandom(0.5))
      expect(seen).toEqual([1, 1, 2, 2, 3])
    }))

  it.effect("the jitter's bounds: 0 gives 75% of the delay, 1 all of it", () =>
    Effect.gen(function*() {
      const low = yield* run([{ status: 500 }], "replace", ["374 millis", "1 millis"], withRandom(0))
      expect(low.seen).toEqual([1, 2])
      const high = yield* run([{ status: 500 }], "replace", ["499 millis", "1 millis"], withRandom(1))
      expect(high.seen).toEqual([1, 2])
    }))

  it.effect("without jitter the delay is exact", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 500 }], {
        retryPolicy: RetryPolicy.make({
          jitter: false,
          initialDelay: "100 millis",
          maxDelay: "150 millis",
          maxRetries: 3
        })
      })
      const fiber = yield* Effect.forkChild(Effect.exit(callOf(images, "replace")))
      const seen: Array<number> = []
      const steps: ReadonlyArray<Duration.Input> = [
        "99 millis",
        "1 millis",
        "149 millis",
        "1 millis",
        "149 millis",
        "1 millis"
      ]
      for (const step of steps) {
        yield* TestClock.adjust(step)
        seen.push((yield* recorded).length)
      }
      yield* Fiber.join(fiber)
      // 100, then 200 capped to 150, then 150.
      expect(seen).toEqual([1, 2, 2, 3, 3, 4])
    }))
})

describe("the 60 s cap on a requested wait", () => {
  it.effect("59.999 s and 60 s are waited for; 60.001 s is not, and the error carries it", () =>
    Effect.gen(function*() {
      for (const [ms, retried] of [["59999", true], ["60000", true], ["60001", false]] as const) {
        const { attempts, exit, seen } = yield* run(
          [{ status: 429, headers: { "retry-after-ms": ms } }, ok],
          "replace",
          [Duration.millis(Number(ms) - 1), "1 millis"]
        )
        expect(attempts, ms).toBe(retried ? 2 : 1)
        if (retried) expect(seen, ms).toEqual([1, 2])
        else {
          const error = errorOf(exit)
          expect(error._tag).toBe("RateLimitError")
          if (error._tag === "RateLimitError") expect(Duration.toMillis(error.retryAfter!)).toBe(Number(ms))
        }
      }
      for (const [seconds, retried] of [["60", true], ["61", false]] as const) {
        const { attempts } = yield* run([{ status: 503, headers: { "retry-after": seconds } }, ok], "replace")
        expect(attempts, seconds).toBe(retried ? 2 : 1)
      }
    }))

  it.effect("a policy's own cap is used instead", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 429, headers: { "retry-after": "5" } }, ok], {
        retryPolicy: RetryPolicy.make({ maxRetryAfter: "5 seconds" })
      })
      const fiber = yield* Effect.forkChild(callOf(images, "replace"))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(yield* recorded).toHaveLength(2)
    }))
})

describe("reading a response", () => {
  const interpret = (status: number, headers: Record<string, string>, text = "{\"message\":\"no\"}") =>
    Effect.exit(ApiResponse.interpret(line, { status, headers, text }, ApiResponse.decodeTrainingImage))

  const waitOf = (headers: Record<string, string>, status = 429) =>
    Effect.map(interpret(status, headers), (exit) => {
      const error = errorOf(exit) as { readonly retryAfter?: Duration.Duration }
      return error.retryAfter === undefined ? undefined : Duration.toMillis(error.retryAfter)
    })

  it.effect("retry-after-ms: milliseconds; blank, negative or not a number is ignored", () =>
    Effect.gen(function*() {
      expect(yield* waitOf({ "retry-after-ms": "0" })).toBe(0)
      expect(yield* waitOf({ "retry-after-ms": "1" })).toBe(1)
      expect(yield* waitOf({ "retry-after-ms": "1500" })).toBe(1500)
      for (const value of ["", " ", "-1", "-0.5", "NaN", "abc", "Infinity"]) {
        expect(yield* waitOf({ "retry-after-ms": value }), JSON.stringify(value)).toBeUndefined()
        // Ignored, it leaves retry-after to decide.
        expect(yield* waitOf({ "retry-after-ms": value, "retry-after": "3" }), JSON.stringify(value)).toBe(3000)
      }
    }))

  it.effect("retry-after: seconds; blank or negative is ignored", () =>
    Effect.gen(function*() {
      expect(yield* waitOf({ "retry-after": "0" })).toBe(0)
      expect(yield* waitOf({ "retry-after": "7" })).toBe(7000)
      for (const value of ["", "  ", "-1", "-30"]) {
        expect(yield* waitOf({ "retry-after": value }), JSON.stringify(value)).toBeUndefined()
      }
    }))

  it.effect("an HTTP-date is a wait from now, whatever the clock reads; a past date is no wait", () =>
    Effect.gen(function*() {
      const now = Date.parse("2030-03-01T12:00:00.000Z")
      yield* TestClock.setTime(now)
      expect(yield* waitOf({ "retry-after": new Date(now + 3000).toUTCString() })).toBe(3000)
      expect(yield* waitOf({ "retry-after": new Date(now + 45_000).toUTCString() })).toBe(45_000)
      expect(yield* waitOf({ "retry-after": new Date(now - 3000).toUTCString() })).toBe(0)
      expect(yield* waitOf({ "retry-after": "Thu, 01 Jan 1970 00:00:00 GMT" })).toBe(0)
    }))

  it.effect("an HTTP-date in each of its three forms", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("1994-11-06T08:49:00.000Z"))
      expect(yield* waitOf({ "retry-after": "Sun, 06 Nov 1994 08:49:37 GMT" })).toBe(37_000)
      expect(yield* waitOf({ "retry-after": "Sunday, 06-Nov-94 08:49:37 GMT" })).toBe(37_000)
      expect(yield* waitOf({ "retry-after": "Sun Nov  6 08:49:37 1994" })).toBe(37_000)
    }))

  it.effect("the retry through an HTTP-date under a clock past the epoch", () =>
    Effect.gen(function*() {
      const now = Date.parse("2030-03-01T12:00:00.000Z")
      yield* TestClock.setTime(now)
      const { seen } = yield* run(
        [{ status: 503, headers: { "retry-after": new Date(now + 2000).toUTCString() } }, ok],
        "replace",
        ["1999 millis", "1 millis"]
      )
      expect(seen).toEqual([1, 2])
    }))

  it.effect("the request id: each gateway header, the first non-empty one in order", () =>
    Effect.gen(function*() {
      const idOf = (headers: Record<string, string>, status = 500) =>
        Effect.map(interpret(status, headers), (exit) => (errorOf(exit) as { readonly requestId?: string }).requestId)
      for (
        const name of ["x-request-id", "x-amzn-requestid", "apigw-requestid", "x-amz-apigw-id", "x-amz-request-id"]
      ) {
        expect(yield* idOf({ [name]: "req_1" }), name).toBe("req_1")
        expect(yield* idOf({ [name]: "" }), name).toBeUndefined()
      }
      expect(yield* idOf({ "x-request-id": "", "apigw-requestid": "req_2" })).toBe("req_2")
      expect(yield* idOf({ "x-amz-request-id": "req_3", "x-request-id": "req_4" })).toBe("req_4")
      expect(yield* idOf({ "x-amz-apigw-id": "req_5", "apigw-requestid": "req_6" })).toBe("req_6")
      expect(yield* idOf({})).toBeUndefined()
    }))

  it.effect("a 2xx body that does not decode: ResponseDecodeError with the request id", () =>
    Effect.gen(function*() {
      for (const text of ["{}", "not json", ""]) {
        const error = errorOf(yield* interpret(200, { "apigw-requestid": "req_9" }, text))
        expect(error._tag).toBe("ResponseDecodeError")
        expect((error as { readonly requestId?: string }).requestId).toBe("req_9")
      }
      const error = errorOf(yield* interpret(201, {}, "{}"))
      expect((error as { readonly requestId?: string }).requestId).toBeUndefined()
    }))

  it.effect("2xx is a success from 200 to 299; 1xx and 3xx are status errors", () =>
    Effect.gen(function*() {
      const body = JSON.stringify({ trainingImage: trainingImageJson() })
      for (const status of [200, 201, 204, 299]) {
        expect(Exit.isSuccess(yield* interpret(status, {}, body)), String(status)).toBe(true)
      }
      for (const status of [100, 101, 199, 300, 301, 304, 399]) {
        const exit = yield* interpret(status, {}, body)
        expect(Exit.isFailure(exit), String(status)).toBe(true)
        expect((errorOf(exit) as { readonly status: number }).status).toBe(status)
        expect(errorOf(exit)._tag).toBe("UnexpectedStatusError")
      }
    }))
})

describe("after a 2xx nothing is retried, and the Retry-After grammar (RFC 9110)", () => {
  it.effect("a delete whose retry finds the model gone is a NotFoundError: only an image not found converges", () =>
    Effect.gen(function*() {
      const modelGone = { status: 404, body: { message: "Model m not found" } }
      const { attempts, exit } = yield* run([{ status: 500 }, modelGone], "delete")
      expect(outcome(exit)).toBe("NotFoundError")
      expect(attempts).toBe(2)
    }))

  it.effect("a 2xx is never retried, whatever x-should-retry says and whether its body decodes", () =>
    Effect.gen(function*() {
      for (
        const reply of [
          { status: 201, body: { trainingImage: trainingImageJson() }, headers: { "x-should-retry": "true" } },
          { status: 200, body: "not json", headers: { "x-should-retry": "true" } },
          { status: 200, body: {}, headers: { "x-should-retry": "true", "retry-after": "0" } }
        ]
      ) {
        for (const call of ["add", "replace"] as const) {
          const { attempts } = yield* run([reply, ok], call)
          expect(attempts, `${call} ${JSON.stringify(reply)}`).toBe(1)
        }
      }
    }))

  it.effect("delay-seconds is digits only, an HTTP-date one of its three forms; anything else is ignored", () =>
    Effect.gen(function*() {
      const now = Date.parse("2030-03-01T12:00:00.000Z")
      yield* TestClock.setTime(now)
      const waitOf = (value: string) =>
        Effect.map(
          Effect.exit(ApiResponse.interpret(line, {
            status: 429,
            headers: { "retry-after": value },
            text: ""
          }, ApiResponse.decodeTrainingImage)),
          (exit) => {
            const error = errorOf(exit) as { readonly retryAfter?: Duration.Duration }
            return error.retryAfter === undefined ? undefined : Duration.toMillis(error.retryAfter)
          }
        )
      expect(yield* waitOf("2")).toBe(2000)
      expect(yield* waitOf("002")).toBe(2000)
      expect(yield* waitOf("Fri, 01 Mar 2030 12:00:02 GMT")).toBe(2000)
      expect(yield* waitOf("Friday, 01-Mar-30 12:00:02 GMT")).toBe(2000)
      expect(yield* waitOf("Fri Mar  1 12:00:02 2030")).toBe(2000)
      for (const value of ["0x2", "2e0", "2.0", "1.5", "+2", "-0", "2, 3", "x 2030", "2030-03-01", "soon"]) {
        expect(yield* waitOf(value), JSON.stringify(value)).toBeUndefined()
      }
    }))
})

describe("the decisions, called directly", () => {
  const idempotent: RetryPolicy.RetryContext = { operation: "replace", method: "PUT", idempotent: true }
  const post: RetryPolicy.RetryContext = { operation: "add", method: "POST", idempotent: false }
  const response = (status: number, headers: Record<string, string> = {}, body: unknown = "") => ({
    ...line,
    status,
    headers,
    body
  })
  const undecodable = (status: number, headers: Record<string, string> = {}) =>
    new TrainingImagesError.ResponseDecodeError({ ...line, status, headers, body: "", bodyLength: 0, issue: "no" })
  const tooLarge = (status: number, headers: Record<string, string> = {}) =>
    new TrainingImagesError.ResponseTooLargeError({ ...line, status, headers, maxResponseBytes: 1 })
  const unexpected = (status: number, headers: Record<string, string> = {}) =>
    new TrainingImagesError.UnexpectedStatusError(response(status, headers))
  const connection = (mayHaveReachedServer: boolean) =>
    new TrainingImagesError.ConnectionError({ ...line, mayHaveReachedServer })
  const timeout = (mayHaveReachedServer: boolean) =>
    new TrainingImagesError.TimeoutError({ ...line, timeout: Duration.seconds(1), mayHaveReachedServer })
  // Not through `response`: its default would turn an undefined body into "".
  const notFound = (body: unknown) => new TrainingImagesError.NotFoundError({ ...line, status: 404, headers: {}, body })

  it("isAnsweredWithSuccess: a status from 200 to 299, nothing else", () => {
    for (const status of [200, 201, 204, 299]) {
      expect(RetryPolicy.isAnsweredWithSuccess(undecodable(status)), String(status)).toBe(true)
      expect(RetryPolicy.isAnsweredWithSuccess(tooLarge(status)), String(status)).toBe(true)
    }
    for (const status of [100, 199, 300, 408, 500]) {
      expect(RetryPolicy.isAnsweredWithSuccess(unexpected(status)), String(status)).toBe(false)
      expect(RetryPolicy.isAnsweredWithSuccess(tooLarge(status)), String(status)).toBe(false)
    }
    expect(RetryPolicy.isAnsweredWithSuccess(new TrainingImagesError.InternalServerError(response(503)))).toBe(false)
    expect(RetryPolicy.isAnsweredWithSuccess(connection(true))).toBe(false)
  })

  it("defaultShouldRetry after a 2xx: false, even when x-should-retry says true", () => {
    const yes = { "x-should-retry": "true" }
    for (const error of [undecodable(200, yes), undecodable(299, yes), tooLarge(200, yes), tooLarge(201, yes)]) {
      expect(RetryPolicy.defaultShouldRetry(error, idempotent), `${error._tag} ${error.status}`).toBe(false)
      expect(RetryPolicy.defaultShouldRetry(error, post), `${error._tag} ${error.status}`).toBe(false)
    }
  })

  it("x-should-retry decides on every status outside 2xx, 1xx and 3xx included", () => {
    for (const status of [101, 199, 300, 304, 400, 404]) {
      expect(RetryPolicy.defaultShouldRetry(unexpected(status, { "x-should-retry": "true" }), post), String(status))
        .toBe(true)
      expect(RetryPolicy.defaultShouldRetry(unexpected(status), idempotent), String(status)).toBe(false)
    }
    const serverError = new TrainingImagesError.InternalServerError(response(503, { "x-should-retry": "false" }))
    expect(RetryPolicy.defaultShouldRetry(serverError, idempotent)).toBe(false)
    // A body too large under an error status: the header is read there too.
    expect(RetryPolicy.defaultShouldRetry(tooLarge(502, { "x-should-retry": "true" }), post)).toBe(true)
    // Any other value is no answer.
    expect(RetryPolicy.defaultShouldRetry(unexpected(300, { "x-should-retry": "yes" }), post)).toBe(false)
  })

  it("defaultShouldRetry: each failure, for an idempotent call and for add, exactly true or false", () => {
    const invalid = new TrainingImagesError.InvalidRequestError({
      operation: "add",
      issues: [{ path: ["modelId"], message: "must not be empty" }]
    })
    const cases: ReadonlyArray<readonly [string, TrainingImagesError.TrainingImagesError, boolean, boolean]> = [
      ["invalid params", invalid, false, false],
      ["a 2xx that did not decode", undecodable(200), false, false],
      ["a 500 body too large", tooLarge(500), false, false],
      ["connection refused", connection(false), true, true],
      ["connection lost", connection(true), true, false],
      ["timeout before sending", timeout(false), true, true],
      ["timeout after sending", timeout(true), true, false],
      ["400", new TrainingImagesError.BadRequestError(response(400)), false, false],
      ["401", new TrainingImagesError.AuthenticationError(response(401)), false, false],
      ["403", new TrainingImagesError.PermissionDeniedError(response(403)), false, false],
      ["404", new TrainingImagesError.NotFoundError(response(404)), false, false],
      ["409", new TrainingImagesError.ConflictError(response(409)), true, false],
      ["413", new TrainingImagesError.RequestTooLargeError(response(413)), false, false],
      ["422", new TrainingImagesError.UnprocessableEntityError(response(422)), false, false],
      ["429", new TrainingImagesError.RateLimitError(response(429)), true, true],
      ["500", new TrainingImagesError.InternalServerError(response(500)), true, false],
      ["502", new TrainingImagesError.InternalServerError(response(502)), true, false],
      ["503", new TrainingImagesError.InternalServerError(response(503)), true, true],
      ["408", unexpected(408), true, false],
      ["407", unexpected(407), false, false],
      ["418", unexpected(418), false, false]
    ]
    for (const [name, error, forIdempotent, forPost] of cases) {
      expect(RetryPolicy.defaultShouldRetry(error, idempotent), `${name}, idempotent`).toBe(forIdempotent)
      expect(RetryPolicy.defaultShouldRetry(error, post), `${name}, add`).toBe(forPost)
    }
  })

  it("RetryPolicy.none says no itself, so its decision holds under another schedule", () => {
    for (const error of [connection(false), new TrainingImagesError.InternalServerError(response(503))]) {
      expect(RetryPolicy.none.shouldRetry(error, idempotent), error._tag).toBe(false)
    }
  })

  it.effect("RetryPolicy.none with a schedule put back still never retries", () =>
    Effect.gen(function*() {
      const retryPolicy = { ...RetryPolicy.none, schedule: RetryPolicy.exponentialBackoff() }
      const { images, recorded } = yield* withStub([{ status: 503 }, ok], { retryPolicy })
      const fiber = yield* Effect.forkChild(Effect.exit(callOf(images, "replace")))
      yield* TestClock.adjust("1 hour")
      expect(outcome(yield* Fiber.join(fiber))).toBe("InternalServerError")
      expect(yield* recorded).toHaveLength(1)
    }))

  it("isTrainingImageNotFound: a NotFoundError only", () => {
    const says = { message: "Training image t not found in model m" }
    expect(RetryPolicy.isTrainingImageNotFound(notFound(says))).toBe(true)
    for (
      const error of [
        new TrainingImagesError.InternalServerError(response(500, {}, says)),
        new TrainingImagesError.ConflictError(response(409, {}, says)),
        new TrainingImagesError.BadRequestError(response(400, {}, "Training image t not found")),
        connection(true)
      ]
    ) {
      expect(RetryPolicy.isTrainingImageNotFound(error), error._tag).toBe(false)
    }
  })

  it("isTrainingImageNotFound: a text body, each message field, and no other body", () => {
    expect(RetryPolicy.isTrainingImageNotFound(notFound("Training image t not found in model m"))).toBe(true)
    for (const field of ["message", "apiError", "error", "reason", "detail"]) {
      expect(RetryPolicy.isTrainingImageNotFound(notFound({ [field]: "training image not found" })), field).toBe(true)
    }
    for (const field of ["title", "description", "code", "Message"]) {
      expect(RetryPolicy.isTrainingImageNotFound(notFound({ [field]: "training image not found" })), field).toBe(false)
    }
    for (const body of [null, undefined, 404, true, "", [], ["training image not found"], { message: 404 }]) {
      expect(RetryPolicy.isTrainingImageNotFound(notFound(body)), JSON.stringify(body)).toBe(false)
    }
  })

  it("isTrainingImageNotFound: case, and a space, _ or - (or nothing) between the words, aside", () => {
    for (
      const text of [
        "training image not found",
        "Training images t1, t2 not found",
        "TRAINING_IMAGE_NOT_FOUND",
        "training_image_not_found",
        "training-image-not-found",
        "trainingImage notFound",
        "trainingimage notfound",
        "error: training image t not found."
      ]
    ) {
      expect(RetryPolicy.isTrainingImageNotFound(notFound(text)), text).toBe(true)
      expect(RetryPolicy.isTrainingImageNotFound(notFound({ message: text })), text).toBe(true)
    }
    for (
      const text of [
        "Not Found",
        "Model m not found",
        "not found: training image t",
        "retraining image not found",
        "2training image not found",
        "training imagery not found",
        "training image2 not found",
        "training image cannot found",
        "training image not foundation",
        "training image not found2",
        "training image found"
      ]
    ) {
      expect(RetryPolicy.isTrainingImageNotFound(notFound(text)), text).toBe(false)
      expect(RetryPolicy.isTrainingImageNotFound(notFound({ message: text })), text).toBe(false)
    }
  })

  it("isTrainingImageNotFound reads the first 1000 characters of the body or field, no further", () => {
    const phrase = "training image not found"
    const within = " ".repeat(1000 - phrase.length) + phrase
    const past = " " + within
    expect(within).toHaveLength(1000)
    expect(RetryPolicy.isTrainingImageNotFound(notFound(within))).toBe(true)
    expect(RetryPolicy.isTrainingImageNotFound(notFound({ detail: within }))).toBe(true)
    expect(RetryPolicy.isTrainingImageNotFound(notFound(past))).toBe(false)
    expect(RetryPolicy.isTrainingImageNotFound(notFound({ detail: past }))).toBe(false)
  })

  it.effect("delete: a 500 that says the training image is not found stays an InternalServerError", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* run([{
        status: 500,
        body: { message: "Training image t not found in model m" }
      }], "delete")
      expect(outcome(exit)).toBe("InternalServerError")
      expect(attempts).toBe(3)
    }))

  it.effect("delete: a 404 after a lost attempt, saying so as text or as an error code, is a success", () =>
    Effect.gen(function*() {
      for (const body of ["Training image t not found in model m", { error: "TRAINING_IMAGE_NOT_FOUND" }]) {
        const { attempts, exit } = yield* run([{ status: 502 }, { status: 404, body }], "delete")
        expect(outcome(exit), JSON.stringify(body)).toBe("Success")
        expect(attempts).toBe(2)
      }
    }))
})

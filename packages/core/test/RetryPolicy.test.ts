import { Credentials, RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { HttpClient, HttpClientError } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, HashMap, Layer, Logger, LogLevel, TestClock } from "effect"
import { currentRetryObserver } from "../src/internal/retryObserver.js"
import { type Reply, stepThrough, trainingImageJson, withStub } from "./stub.js"

const errorTypeOf = (error: TrainingImagesError.TrainingImagesError): string =>
  "status" in error ? String(error.status) : error._tag

const ok: Reply = { status: 200, body: { trainingImage: trainingImageJson() } }
const replace = { modelId: "m", trainingImageId: "t", assetId: "a" } as const
const add = { modelId: "m", assetId: "a" } as const

type Call = "add" | "replace"

/** One call against the replies, stepped through the TestClock (`stepThrough`). */
const run = (
  replies: ReadonlyArray<Reply>,
  call: Call,
  steps: ReadonlyArray<Duration.DurationInput>,
  options?: Partial<TrainingImages.Options>,
  wrap: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E> = (self) => self
) =>
  Effect.flatMap(
    withStub(replies, options),
    ({ images, recorded }) =>
      stepThrough(wrap(call === "add" ? images.add(add) : images.replace(replace)), recorded, steps)
  )

const failureTag = (exit: Exit.Exit<unknown, TrainingImagesError.TrainingImagesError>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail"
    ? exit.cause.error._tag
    : Exit.isSuccess(exit)
    ? "Success"
    : "Defect"

describe("the default policy", () => {
  it.effect("retries a 500 twice, backing off 0.5 s then 1 s with up to 25% jitter", () =>
    Effect.gen(function*() {
      // The first retry comes 375–500 ms after the first attempt, the second 750–1000 ms after that.
      const { seen, exit, attempts } = yield* run([{ status: 500 }], "replace", [
        "0 millis", // t = 0: the first attempt
        "374 millis", // t = 374: before the shortest first delay
        "126 millis", // t = 500: the longest first delay is over
        "624 millis", // t = 1124: before the earliest second retry (375 + 750)
        "376 millis" // t = 1500: the latest second retry (500 + 1000)
      ])
      expect(seen).toEqual([1, 1, 2, 2, 3])
      expect(attempts).toBe(3)
      expect(failureTag(exit)).toBe("InternalServerError")
    }))

  it.effect("succeeds when a retry does", () =>
    Effect.gen(function*() {
      const { exit, attempts } = yield* run([{ status: 502 }, { status: 503 }, ok], "replace", [])
      expect(failureTag(exit)).toBe("Success")
      expect(attempts).toBe(3)
    }))

  it.effect("honours retry-after in seconds exactly, without jitter", () =>
    Effect.gen(function*() {
      const { seen, exit } = yield* run([{ status: 429, headers: { "retry-after": "2" } }, ok], "replace", [
        "0 millis",
        "1999 millis",
        "1 millis"
      ])
      expect(seen).toEqual([1, 1, 2])
      expect(failureTag(exit)).toBe("Success")
    }))

  it.effect("retry-after-ms wins over retry-after", () =>
    Effect.gen(function*() {
      const { seen } = yield* run(
        [{ status: 503, headers: { "retry-after-ms": "150", "retry-after": "30" } }, ok],
        "replace",
        ["0 millis", "149 millis", "1 millis"]
      )
      expect(seen).toEqual([1, 1, 2])
    }))

  it.effect("retry-after as an HTTP date", () =>
    Effect.gen(function*() {
      // The TestClock starts at the epoch: this date is 3 seconds after it.
      const date = new Date(3000).toUTCString()
      const { seen } = yield* run([{ status: 429, headers: { "retry-after": date } }, ok], "replace", [
        "0 millis",
        "2999 millis",
        "1 millis"
      ])
      expect(seen).toEqual([1, 1, 2])
    }))

  it.effect("retry-after of zero retries at once", () =>
    Effect.gen(function*() {
      const { seen } = yield* run([{ status: 429, headers: { "retry-after": "0" } }, ok], "replace", ["0 millis"])
      expect(seen).toEqual([2])
    }))

  it.effect("a wait longer than 60 s is not slept through: RateLimitError with that duration", () =>
    Effect.gen(function*() {
      const { exit, attempts } = yield* run([{ status: 429, headers: { "retry-after": "120" } }, ok], "replace", [])
      expect(attempts).toBe(1)
      expect(failureTag(exit)).toBe("RateLimitError")
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "RateLimitError") {
        expect(Duration.toSeconds(exit.cause.error.retryAfter!)).toBe(120)
      }
    }))

  it.effect("an unreadable retry-after falls back to the backoff", () =>
    Effect.gen(function*() {
      const { seen } = yield* run([{ status: 429, headers: { "retry-after": "soon" } }, ok], "replace", [
        "0 millis",
        "500 millis"
      ])
      expect(seen).toEqual([1, 2])
    }))

  it.effect("x-should-retry: false stops a retryable status", () =>
    Effect.gen(function*() {
      const { attempts } = yield* run([{ status: 500, headers: { "x-should-retry": "false" } }, ok], "replace", [])
      expect(attempts).toBe(1)
    }))

  it.effect("x-should-retry: true retries what would not be, even a POST", () =>
    Effect.gen(function*() {
      const bad = yield* run([{ status: 400, headers: { "x-should-retry": "true" } }, ok], "replace", [])
      expect(bad.attempts).toBe(2)
      const post = yield* run([{ status: 500, headers: { "x-should-retry": "true" } }, ok], "add", [])
      expect(post.attempts).toBe(2)
      expect(failureTag(post.exit)).toBe("Success")
    }))

  const idempotentCases: ReadonlyArray<readonly [string, Reply, number]> = [
    ["connection reset", { reset: true }, 3],
    ["connection refused", { refuse: true }, 3],
    ["408", { status: 408 }, 3],
    ["409", { status: 409 }, 3],
    ["429", { status: 429 }, 3],
    ["500", { status: 500 }, 3],
    ["400", { status: 400 }, 1],
    ["401", { status: 401 }, 1],
    ["403", { status: 403 }, 1],
    ["404", { status: 404 }, 1],
    ["422", { status: 422 }, 1],
    ["a body that does not decode", { status: 200, body: { trainingImage: {} } }, 1]
  ]

  it.effect("replace (idempotent): what is retried", () =>
    Effect.gen(function*() {
      for (const [name, reply, expected] of idempotentCases) {
        const { attempts } = yield* run([reply], "replace", [])
        expect(attempts, name).toBe(expected)
      }
    }))

  const postCases: ReadonlyArray<readonly [string, Reply, number]> = [
    ["429: rejected, not applied", { status: 429 }, 3],
    ["503: not applied", { status: 503 }, 3],
    ["connection refused before sending", { refuse: true }, 3],
    ["connection lost mid-request", { reset: true }, 1],
    ["500", { status: 500 }, 1],
    ["502", { status: 502 }, 1],
    ["504", { status: 504 }, 1],
    ["408", { status: 408 }, 1],
    ["409", { status: 409 }, 1]
  ]

  it.effect("add (a POST without idempotency key): retried only when surely not applied", () =>
    Effect.gen(function*() {
      for (const [name, reply, expected] of postCases) {
        const { attempts } = yield* run([reply], "add", [])
        expect(attempts, name).toBe(expected)
      }
    }))

  it.effect("a timeout is retried for replace, never for add", () =>
    Effect.gen(function*() {
      const idempotent = yield* run([{ hang: true }, ok], "replace", [], { timeout: "1 second" })
      expect(idempotent.attempts).toBe(2)
      expect(failureTag(idempotent.exit)).toBe("Success")
      const post = yield* run([{ hang: true }, ok], "add", [], { timeout: "1 second" })
      expect(post.attempts).toBe(1)
      expect(failureTag(post.exit)).toBe("TimeoutError")
    }))
})

describe("delete after a lost response", () => {
  const del = (replies: ReadonlyArray<Reply>) =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub(replies)
      const fiber = yield* Effect.fork(Effect.exit(images.delete({ modelId: "m", trainingImageId: "t" })))
      yield* TestClock.adjust("1 hour")
      return { exit: yield* Fiber.join(fiber), attempts: (yield* recorded).length }
    })

  it.effect("a 404 after an attempt that may have been applied means the image is gone: success", () =>
    Effect.gen(function*() {
      for (const first of [{ reset: true }, { status: 502 }, { status: 500 }] as const) {
        const { exit, attempts } = yield* del([first, {
          status: 404,
          body: { message: "Training image t not found in model m" }
        }])
        expect(failureTag(exit), JSON.stringify(first)).toBe("Success")
        expect(attempts).toBe(2)
      }
    }))

  it.effect("a 404 after attempts that surely did nothing is still NotFoundError", () =>
    Effect.gen(function*() {
      expect(failureTag((yield* del([{ status: 404 }])).exit)).toBe("NotFoundError")
      expect(failureTag((yield* del([{ refuse: true }, { status: 404 }])).exit)).toBe("NotFoundError")
      expect(failureTag((yield* del([{ status: 503 }, { status: 404 }])).exit)).toBe("NotFoundError")
    }))

  it.effect("only a 404 saying the training image is not found counts: an unknown model stays NotFoundError", () =>
    Effect.gen(function*() {
      for (const first of [{ reset: true }, { status: 500 }] as const) {
        for (const body of [{ message: "Model m not found" }, { message: "Not Found" }, "Not Found", {}]) {
          const { exit, attempts } = yield* del([first, { status: 404, body }])
          expect(failureTag(exit), JSON.stringify([first, body])).toBe("NotFoundError")
          expect(attempts).toBe(2)
        }
        for (const body of [{ apiError: "trainingImage not found" }, { error: "Training-Image not found" }]) {
          expect(failureTag((yield* del([first, { status: 404, body }])).exit)).toBe("Success")
        }
      }
    }))
})

describe("policies", () => {
  it.effect("the backoff doubles and is capped at 8 s", () =>
    Effect.gen(function*() {
      const retryPolicy = RetryPolicy.make({ maxRetries: 6, jitter: false })
      // Delays: 0.5, 1, 2, 4, 8, 8 (capped) seconds.
      const { seen, attempts } = yield* run([{ status: 500 }], "replace", [
        "0 millis",
        "500 millis",
        "1 second",
        "2 seconds",
        "4 seconds",
        "7999 millis",
        "1 millis",
        "7999 millis",
        "1 millis"
      ], { retryPolicy })
      expect(seen).toEqual([1, 2, 3, 4, 5, 5, 6, 6, 7])
      expect(attempts).toBe(7)
    }))

  it.effect("a layer's policy", () =>
    Effect.gen(function*() {
      const { attempts } = yield* run([{ status: 500 }], "replace", [], { retryPolicy: RetryPolicy.none })
      expect(attempts).toBe(1)
    }))

  it.effect("a custom decision and schedule", () =>
    Effect.gen(function*() {
      const retryPolicy = RetryPolicy.make({
        maxRetries: 4,
        initialDelay: "10 millis",
        shouldRetry: (error) => error._tag === "NotFoundError"
      })
      const notFound = yield* run([{ status: 404 }], "replace", [], { retryPolicy })
      expect(notFound.attempts).toBe(5)
      const serverError = yield* run([{ status: 500 }], "replace", [], { retryPolicy })
      expect(serverError.attempts).toBe(1)
    }))

  it.effect("maxRetryAfter is the policy's to set", () =>
    Effect.gen(function*() {
      const retryPolicy = RetryPolicy.make({ maxRetryAfter: "5 minutes" })
      const { seen, exit } = yield* run([{ status: 429, headers: { "retry-after": "120" } }, ok], "replace", [
        "0 millis",
        "119 seconds",
        "1 second"
      ], { retryPolicy })
      expect(seen).toEqual([1, 1, 2])
      expect(failureTag(exit)).toBe("Success")
    }))

  it.effect("none never retries", () =>
    Effect.gen(function*() {
      // The retry loop itself, over an attempt that answers a 503 (which the default policy retries) every time.
      let attempts = 0
      const unavailable = TrainingImagesError.fromStatus({
        operation: "replace",
        method: "PUT",
        url: "u",
        status: 503,
        headers: {},
        body: ""
      })
      const attempt = Effect.suspend(() => {
        attempts++
        return Effect.fail(unavailable)
      })
      const context = { operation: "replace", method: "PUT", idempotent: true } as const
      const fiber = yield* Effect.fork(Effect.exit(RetryPolicy.retry(attempt, RetryPolicy.none, context)))
      yield* TestClock.adjust("1 hour")
      expect(failureTag(yield* Fiber.join(fiber))).toBe("InternalServerError")
      expect(attempts).toBe(1)
    }))

  it.effect("the default decision is a plain function users can call", () =>
    Effect.sync(() => {
      const error = new TrainingImagesError.ConnectionError({
        operation: "add",
        method: "POST",
        url: "u",
        mayHaveReachedServer: true
      })
      expect(RetryPolicy.defaultShouldRetry(error, { operation: "add", method: "POST", idempotent: false })).toBe(false)
      expect(RetryPolicy.defaultShouldRetry(error, { operation: "replace", method: "PUT", idempotent: true })).toBe(
        true
      )
    }))
})

describe("per-call overrides", () => {
  it.effect("withRequestOptions replaces the policy for one call", () =>
    Effect.gen(function*() {
      const { attempts } = yield* run(
        [{ status: 500 }],
        "replace",
        [],
        undefined,
        TrainingImages.withRequestOptions({ retryPolicy: RetryPolicy.none })
      )
      expect(attempts).toBe(1)
    }))

  it.effect("withRequestOptions sets the timeout for one call", () =>
    Effect.gen(function*() {
      const { seen, exit } = yield* run(
        [{ hang: true }],
        "add",
        ["0 millis", "99 millis", "1 millis"],
        { timeout: "1 hour" },
        TrainingImages.withRequestOptions({ timeout: "100 millis" })
      )
      expect(seen).toEqual([1, 1, 1])
      expect(failureTag(exit)).toBe("TimeoutError")
      if (Exit.isFailure(exit) && exit.cause._tag === "Fail" && exit.cause.error._tag === "TimeoutError") {
        expect(Duration.toMillis(exit.cause.error.timeout)).toBe(100)
      }
    }))

  it.effect("overrides nest, the innermost winning, and end with their effect", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 500 }])
      const inner = images.replace(replace).pipe(
        TrainingImages.withRequestOptions({
          retryPolicy: RetryPolicy.make({ maxRetries: 1, initialDelay: "1 millis" })
        }),
        Effect.flip
      )
      const fiber = yield* Effect.fork(
        inner.pipe(TrainingImages.withRequestOptions({ retryPolicy: RetryPolicy.none, timeout: "5 seconds" }))
      )
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect((yield* recorded).length).toBe(2)
      // Outside the override the layer's default policy applies again: 3 attempts.
      const after = yield* Effect.fork(Effect.flip(images.replace(replace)))
      yield* TestClock.adjust("1 hour")
      yield* Fiber.join(after)
      expect((yield* recorded).length).toBe(5)
    }))
})

describe("nothing is retried after a 2xx", () => {
  it.effect("whatever its headers: x-should-retry and a retry-after on a 2xx are not read", () =>
    Effect.gen(function*() {
      const headers = { "x-should-retry": "true", "retry-after": "0" }
      for (
        const reply of [
          { status: 201, body: "", headers },
          { status: 200, body: "{not json", headers },
          { status: 200, body: { trainingImage: [] }, headers }
        ]
      ) {
        for (const call of ["add", "replace"] as const) {
          const { exit, attempts } = yield* run([reply, ok], call, [])
          expect(failureTag(exit), JSON.stringify(reply)).toBe("ResponseDecodeError")
          expect(attempts, `${call} ${JSON.stringify(reply)}`).toBe(1)
        }
      }
    }))

  it.effect("not even under a policy that would retry anything", () =>
    Effect.gen(function*() {
      const retryPolicy = RetryPolicy.make({ shouldRetry: () => true, maxRetries: 5 })
      const { exit, attempts } = yield* run([{ status: 200, body: "" }, ok], "add", [], { retryPolicy })
      expect(failureTag(exit)).toBe("ResponseDecodeError")
      expect(attempts).toBe(1)
    }))
})

describe("retry log lines", () => {
  const capture = () => {
    const lines: Array<{ readonly message: unknown; readonly annotations: Record<string, unknown> }> = []
    const logger = Logger.make<unknown, void>(({ annotations, message }) => {
      // The forked call's own failure is logged by the fiber that runs it, not by the retry loop.
      if (!String(message).includes("retrying")) return
      lines.push({ message, annotations: Object.fromEntries(HashMap.toEntries(annotations)) })
    })
    return { lines, layer: Logger.replace(Logger.defaultLogger, logger) }
  }

  it.effect("one line per retry that happens, with the attempt and the delay; none for a final failure", () =>
    Effect.gen(function*() {
      const logs = capture()
      const retryPolicy = RetryPolicy.make({ jitter: false })
      const { exit } = yield* run(
        [{ status: 500 }],
        "replace",
        [],
        { retryPolicy },
        (self) => self.pipe(Effect.provide(logs.layer), Logger.withMinimumLogLevel(LogLevel.All))
      )
      expect(failureTag(exit)).toBe("InternalServerError")
      expect(logs.lines.map((line) => line.message)).toEqual([
        ["retrying replace after InternalServerError: attempt 2 in 500 ms"],
        ["retrying replace after InternalServerError: attempt 3 in 1000 ms"]
      ])
      expect(logs.lines[1]!.annotations).toMatchObject({ attempt: 3, delayMillis: 1000, operation: "replace" })
    }))

  it.effect("each line names the failure it follows, not the first one", () =>
    Effect.gen(function*() {
      const logs = capture()
      const retryPolicy = RetryPolicy.make({ jitter: false })
      const { exit } = yield* run(
        [{ status: 500 }, { status: 429 }, ok],
        "replace",
        [],
        { retryPolicy },
        (self) => self.pipe(Effect.provide(logs.layer), Logger.withMinimumLogLevel(LogLevel.All))
      )
      expect(failureTag(exit)).toBe("Success")
      expect(logs.lines.map((line) => line.message)).toEqual([
        ["retrying replace after InternalServerError: attempt 2 in 500 ms"],
        ["retrying replace after RateLimitError: attempt 3 in 1000 ms"]
      ])
    }))

  it.effect("a failure that is not retried logs nothing", () =>
    Effect.gen(function*() {
      const logs = capture()
      for (const [reply, call] of [[{ status: 500 }, "add"], [{ status: 400 }, "replace"]] as const) {
        const { exit, attempts } = yield* run([reply], call, [], {}, (self) =>
          self.pipe(Effect.provide(logs.layer), Logger.withMinimumLogLevel(LogLevel.All)))
        expect(failureTag(exit)).not.toBe("Success")
        expect(attempts).toBe(1)
      }
      expect(logs.lines).toEqual([])
    }))
})

describe("a request the transport refuses before sending", () => {
  it.effect("is an InvalidRequestError (not sent), never retried, and does not quote the refused value", () =>
    Effect.gen(function*() {
      let attempts = 0
      const refusals = [
        Object.assign(new TypeError("Invalid header value: \"Bearer s3cr3t\\r\\n\""), { code: "UND_ERR_INVALID_ARG" }),
        Object.assign(new TypeError("Invalid character in header content [\"authorization\"]"), {
          code: "ERR_INVALID_CHAR"
        }),
        new TypeError("Headers.append: \"Bearer s3cr3t\n\" is an invalid header value.")
      ]
      for (const cause of refusals) {
        const client = HttpClient.make((request) => {
          attempts++
          return Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause }))
        })
        const images = yield* TrainingImages.make({ credentials: Credentials.bearer("token") }).pipe(
          Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
        )
        attempts = 0
        const exit = yield* Effect.exit(images.replace(replace))
        expect(failureTag(exit)).toBe("InvalidRequestError")
        expect(attempts).toBe(1)
        const error = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
        expect(error?.message).toContain("refused the request before sending it")
        expect(error?.message).not.toContain("s3cr3t")
      }
    }))
})

describe("the retry observer", () => {
  it.effect("is told of each retry that happens, with the failure retried, and of nothing else", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const { images } = yield* withStub([{ status: 503, headers: { "retry-after": "0" } }, { status: 500 }, {
        status: 400
      }], {
        retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", jitter: false, maxRetries: 5 })
      })
      const call = yield* Effect.fork(
        Effect.flip(images.replace(replace)).pipe(
          Effect.locally(currentRetryObserver, (error) => Effect.sync(() => seen.push(errorTypeOf(error))))
        )
      )
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(call))._tag).toBe("BadRequestError")
      // The 400 is not retried: never told.
      expect(seen).toEqual(["503", "500"])
    }))
  it.effect("hears each retry once it is decided, and no failure that is not retried", () =>
    Effect.gen(function*() {
      const heard: Array<string> = []
      const observe = <A, E>(self: Effect.Effect<A, E>) =>
        Effect.locally(self, currentRetryObserver, (error) => Effect.sync(() => heard.push(error._tag)))
      yield* run([{ status: 500 }, { status: 429 }, { status: 400 }], "replace", [], undefined, observe)
      expect(heard).toEqual(["InternalServerError", "RateLimitError"])
    }))
})

/**
 * The retry loop (`RetryPolicy.retry`) over scripted attempts: each attempt answers the next reply, through
 * `ApiResponse.interpret` (so that headers such as `retry-after` and `x-should-retry` are read as the client
 * reads them), stepped through the TestClock. The Effect 3 suite runs the same cases through the service over a
 * stubbed HttpClient; the cases here are those that are the policy's own. The cases of a policy set on the layer
 * or for one call (`withRequestOptions`), of the retry observer as the service tells it, and of a request the
 * transport refuses run through the service over the stub, as on the Effect 3 line.
 */
import { ApiResponse, Credentials, RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Exit, Fiber, Layer, Logger, References, Schedule } from "effect"
import { HttpClient, HttpClientError } from "effect/http"
import { TestClock } from "effect/testing"
import { currentRetryObserver } from "../src/internal/retryObserver.js"
import { type Reply as StubReply, stepThrough, withStub } from "./stub.js"

type Reply =
  | { readonly status: number; readonly headers?: Record<string, string>; readonly text?: string }
  | { readonly error: TrainingImagesError.TrainingImagesError }

type Call = "add" | "replace" | "delete"

const contexts: Record<Call, RetryPolicy.RetryContext> = {
  add: { operation: "add", method: "POST", idempotent: false },
  replace: { operation: "replace", method: "PUT", idempotent: true },
  delete: { operation: "delete", method: "DELETE", idempotent: true }
}

const trainingImageText = JSON.stringify({
  trainingImage: {
    id: "asset_1",
    automaticCaptioning: "",
    createdAt: "2024-01-01T00:00:00.000Z",
    description: "",
    downloadUrl: "https://cdn.example.test/asset_1",
    name: "a.png"
  }
})
const ok: Reply = { status: 200, text: trainingImageText }

/** One call against the replies (the last one repeated), stepped through the TestClock. */
const run = (
  replies: ReadonlyArray<Reply>,
  call: Call,
  steps: ReadonlyArray<Duration.Input>,
  policy: RetryPolicy.RetryPolicy = RetryPolicy.defaultPolicy,
  wrap: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E> = (self) => self
) =>
  Effect.gen(function*() {
    let attempts = 0
    const context = contexts[call]
    const line = { operation: context.operation, method: context.method, url: "https://api.example.test/v1/x" }
    const attempt = Effect.suspend(() => {
      const reply = replies[Math.min(attempts, replies.length - 1)]!
      attempts++
      if ("error" in reply) return Effect.fail(reply.error)
      const response = { status: reply.status, headers: reply.headers ?? {}, text: reply.text ?? "" }
      return ApiResponse.interpret(line, response, call === "delete" ? undefined : ApiResponse.decodeTrainingImage)
    })
    const fiber = yield* Effect.forkChild(wrap(RetryPolicy.retry(attempt, policy, context)))
    const seen: Array<number> = []
    for (const step of steps) {
      yield* TestClock.adjust(step)
      seen.push(attempts)
    }
    yield* TestClock.adjust("1 hour")
    const exit = yield* Fiber.await(fiber)
    return { seen, exit, attempts }
  })

const replaceInput = { modelId: "m", trainingImageId: "t", assetId: "a" } as const
const addInput = { modelId: "m", assetId: "a" } as const

/** One call of the service over a stub answering with `replies`, stepped through the TestClock (`stepThrough`). */
const runService = (
  replies: ReadonlyArray<StubReply>,
  call: "add" | "replace",
  steps: ReadonlyArray<Duration.Input>,
  options?: Partial<TrainingImages.Options>,
  wrap: <A, E>(self: Effect.Effect<A, E>) => Effect.Effect<A, E> = (self) => self
) =>
  Effect.flatMap(
    withStub(replies, options),
    ({ images, recorded }) =>
      stepThrough(wrap(call === "add" ? images.add(addInput) : images.replace(replaceInput)), recorded, steps)
  )

const errorTypeOf = (error: TrainingImagesError.TrainingImagesError): string =>
  "status" in error ? String(error.status) : error._tag

const failureTag = (exit: Exit.Exit<unknown, TrainingImagesError.TrainingImagesError>) => {
  if (Exit.isSuccess(exit)) return "Success"
  const error = Cause.findErrorOption(exit.cause)
  return error._tag === "Some" ? error.value._tag : "Defect"
}

const connectionError = (mayHaveReachedServer: boolean) =>
  new TrainingImagesError.ConnectionError({
    operation: "replace",
    method: "PUT",
    url: "u",
    mayHaveReachedServer
  })

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
        [{ status: 503, headers: { "retry-after-ms": "1500", "retry-after": "30" } }, ok],
        "replace",
        ["1499 millis", "1 millis"]
      )
      expect(seen).toEqual([1, 2])
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
      const { exit, attempts } = yield* run([{ status: 429, headers: { "retry-after": "120" } }], "replace", [])
      expect(attempts).toBe(1)
      expect(failureTag(exit)).toBe("RateLimitError")
      const error = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : undefined
      expect(error?._tag === "Some" && error.value._tag === "RateLimitError" && error.value.retryAfter)
        .toEqual(Duration.seconds(120))
    }))

  it.effect("an unreadable retry-after falls back to the backoff", () =>
    Effect.gen(function*() {
      const { seen } = yield* run([{ status: 429, headers: { "retry-after": "soon" } }, ok], "replace", [
        "374 millis",
        "126 millis"
      ])
      expect(seen).toEqual([1, 2])
    }))

  it.effect("x-should-retry: false stops a retryable status", () =>
    Effect.gen(function*() {
      const { attempts } = yield* run([{ status: 503, headers: { "x-should-retry": "false" } }], "replace", [])
      expect(attempts).toBe(1)
    }))

  it.effect("x-should-retry: true retries what would not be, even a POST", () =>
    Effect.gen(function*() {
      const { attempts, exit } = yield* run([{ status: 400, headers: { "x-should-retry": "true" } }, ok], "add", [])
      expect(attempts).toBe(2)
      expect(failureTag(exit)).toBe("Success")
    }))

  it.effect("replace (idempotent): what is retried", () =>
    Effect.gen(function*() {
      for (const status of [408, 409, 429, 500, 502, 503, 504]) {
        expect((yield* run([{ status }, ok], "replace", [])).attempts, `${status}`).toBe(2)
      }
      for (const status of [400, 401, 403, 404, 413, 422]) {
        expect((yield* run([{ status }, ok], "replace", [])).attempts, `${status}`).toBe(1)
      }
      expect((yield* run([{ error: connectionError(true) }, ok], "replace", [])).attempts).toBe(2)
    }))

  it.effect("add (a POST without idempotency key): retried only when surely not applied", () =>
    Effect.gen(function*() {
      for (const status of [429, 503]) expect((yield* run([{ status }, ok], "add", [])).attempts, `${status}`).toBe(2)
      for (const status of [408, 409, 500, 502, 504]) {
        expect((yield* run([{ status }, ok], "add", [])).attempts, `${status}`).toBe(1)
      }
      expect((yield* run([{ error: connectionError(false) }, ok], "add", [])).attempts).toBe(2)
      expect((yield* run([{ error: connectionError(true) }, ok], "add", [])).attempts).toBe(1)
    }))

  it.effect("a timeout is retried for replace, never for add", () =>
    Effect.gen(function*() {
      const timeout = new TrainingImagesError.TimeoutError({
        operation: "replace",
        method: "PUT",
        url: "u",
        timeout: Duration.seconds(1),
        mayHaveReachedServer: true
      })
      expect((yield* run([{ error: timeout }, ok], "replace", [])).attempts).toBe(2)
      expect((yield* run([{ error: timeout }, ok], "add", [])).attempts).toBe(1)
    }))
})

describe("delete after a lost response", () => {
  const imageGone: Reply = { status: 404, text: JSON.stringify({ message: "Training image not found" }) }

  it.effect("a 404 after an attempt that may have been applied means the image is gone: success", () =>
    Effect.gen(function*() {
      for (const first of [{ status: 500 }, { status: 504 }, { error: connectionError(true) }] as const) {
        const { exit, attempts } = yield* run([first, imageGone], "delete", [])
        expect(failureTag(exit), JSON.stringify(first)).toBe("Success")
        expect(attempts).toBe(2)
      }
    }))

  it.effect("a 404 after attempts that surely did nothing is still NotFoundError", () =>
    Effect.gen(function*() {
      for (const first of [{ status: 503 }, { status: 429 }, { error: connectionError(false) }] as const) {
        const { exit } = yield* run([first, imageGone], "delete", [])
        expect(failureTag(exit), JSON.stringify(first)).toBe("NotFoundError")
      }
    }))

  it.effect("only a 404 saying the training image is not found counts: an unknown model stays NotFoundError", () =>
    Effect.gen(function*() {
      for (const text of [JSON.stringify({ message: "Model not found" }), "Not Found", ""]) {
        const { exit } = yield* run([{ status: 500 }, { status: 404, text }], "delete", [])
        expect(failureTag(exit), text).toBe("NotFoundError")
      }
    }))
})

describe("policies", () => {
  it.effect("the backoff doubles and is capped at 8 s", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({ maxRetries: 6, jitter: false })
      // Retries at 0.5, 1.5, 3.5, 7.5, 15.5 and 23.5 s.
      const { seen, attempts } = yield* run([{ status: 500 }], "replace", [
        "499 millis",
        "1 millis",
        "999 millis",
        "1 millis",
        "1999 millis",
        "1 millis",
        "3999 millis",
        "1 millis",
        "7999 millis",
        "1 millis",
        "7999 millis",
        "1 millis"
      ], policy)
      expect(seen).toEqual([1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7])
      expect(attempts).toBe(7)
    }))

  it.effect("a layer's policy", () =>
    Effect.gen(function*() {
      const { attempts } = yield* runService([{ status: 500 }], "replace", [], { retryPolicy: RetryPolicy.none })
      expect(attempts).toBe(1)
    }))

  it.effect("a custom decision and schedule", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({
        schedule: Schedule.max([Schedule.spaced("100 millis"), Schedule.recurs(4)]),
        shouldRetry: (error) => error._tag === "BadRequestError"
      })
      const { seen, attempts } = yield* run([{ status: 400 }], "add", ["99 millis", "1 millis", "100 millis"], policy)
      expect(seen).toEqual([1, 2, 3])
      expect(attempts).toBe(5)
      expect((yield* run([{ status: 500 }], "replace", [], policy)).attempts).toBe(1)
    }))

  it.effect("maxRetryAfter is the policy's to set", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({ maxRetryAfter: "5 minutes" })
      const { seen, exit } = yield* run(
        [{ status: 429, headers: { "retry-after": "120" } }, ok],
        "replace",
        ["119 seconds", "1 second"],
        policy
      )
      expect(seen).toEqual([1, 2])
      expect(failureTag(exit)).toBe("Success")
    }))

  it("the default decision is a plain function users can call", () => {
    const error = new TrainingImagesError.InternalServerError({
      operation: "replace",
      method: "PUT",
      url: "u",
      status: 500,
      headers: {},
      body: ""
    })
    expect(RetryPolicy.defaultShouldRetry(error, contexts.replace)).toBe(true)
    expect(RetryPolicy.defaultShouldRetry(error, contexts.add)).toBe(false)
    expect(RetryPolicy.defaultPolicy.shouldRetry(error, contexts.replace)).toBe(true)
  })

  it.effect("none never retries", () =>
    Effect.gen(function*() {
      expect((yield* run([{ status: 503 }, ok], "replace", [], RetryPolicy.none)).attempts).toBe(1)
    }))
})

describe("per-call overrides", () => {
  it.effect("withRequestOptions replaces the policy for one call", () =>
    Effect.gen(function*() {
      const { attempts } = yield* runService(
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
      const { seen, exit } = yield* runService(
        [{ hang: true }],
        "add",
        ["0 millis", "99 millis", "1 millis"],
        { timeout: "1 hour" },
        TrainingImages.withRequestOptions({ timeout: "100 millis" })
      )
      expect(seen).toEqual([1, 1, 1])
      expect(failureTag(exit)).toBe("TimeoutError")
      const error = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : undefined
      expect(error?._tag === "Some" && error.value._tag === "TimeoutError" && Duration.toMillis(error.value.timeout))
        .toBe(100)
    }))

  it.effect("overrides nest, the innermost winning, and end with their effect", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 500 }])
      const inner = images.replace(replaceInput).pipe(
        TrainingImages.withRequestOptions({
          retryPolicy: RetryPolicy.make({ maxRetries: 1, initialDelay: "1 millis" })
        }),
        Effect.flip
      )
      const fiber = yield* Effect.forkChild(
        inner.pipe(TrainingImages.withRequestOptions({ retryPolicy: RetryPolicy.none, timeout: "5 seconds" }))
      )
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      expect((yield* recorded).length).toBe(2)
      // Outside the override the layer's default policy applies again: 3 attempts.
      const after = yield* Effect.forkChild(Effect.flip(images.replace(replaceInput)))
      yield* TestClock.adjust("1 hour")
      yield* Fiber.join(after)
      expect((yield* recorded).length).toBe(5)
    }))
})

describe("nothing is retried after a 2xx", () => {
  it.effect("whatever its headers: x-should-retry and a retry-after on a 2xx are not read", () =>
    Effect.gen(function*() {
      const { exit, attempts } = yield* run(
        [{ status: 200, text: "not json", headers: { "x-should-retry": "true", "retry-after": "1" } }, ok],
        "replace",
        []
      )
      expect(failureTag(exit)).toBe("ResponseDecodeError")
      expect(attempts).toBe(1)
    }))

  it.effect("not even under a policy that would retry anything", () =>
    Effect.gen(function*() {
      const policy = RetryPolicy.make({ shouldRetry: () => true })
      const { attempts } = yield* run([{ status: 201, text: "{}" }, ok], "replace", [], policy)
      expect(attempts).toBe(1)
    }))
})

describe("retry log lines", () => {
  const capture = () => {
    const lines: Array<{ readonly message: unknown; readonly annotations: Record<string, unknown> }> = []
    const logger = Logger.make<unknown, void>(({ fiber, message }) => {
      // The forked call's own failure is logged by the fiber that runs it, not by the retry loop.
      if (!String(message).includes("retrying")) return
      lines.push({ message, annotations: { ...fiber.getRef(References.CurrentLogAnnotations) } })
    })
    const wrap = <A, E>(self: Effect.Effect<A, E>) =>
      self.pipe(Effect.provide(Logger.layer([logger])), Effect.provideService(References.MinimumLogLevel, "All"))
    return { lines, wrap }
  }

  it.effect("one line per retry that happens, with the attempt and the delay; none for a final failure", () =>
    Effect.gen(function*() {
      const logs = capture()
      const { exit } = yield* run([{ status: 500 }], "replace", [], RetryPolicy.make({ jitter: false }), logs.wrap)
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
      const { exit } = yield* run(
        [{ status: 500 }, { status: 429 }, ok],
        "replace",
        [],
        RetryPolicy.make({ jitter: false }),
        logs.wrap
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
        const { exit, attempts } = yield* run([reply], call, [], RetryPolicy.defaultPolicy, logs.wrap)
        expect(failureTag(exit)).not.toBe("Success")
        expect(attempts).toBe(1)
      }
      expect(logs.lines).toEqual([])
    }))
})

describe("the retry observer", () => {
  it.effect("hears each retry once it is decided, and no failure that is not retried", () =>
    Effect.gen(function*() {
      const heard: Array<string> = []
      const observe = <A, E>(self: Effect.Effect<A, E>) =>
        Effect.provideService(self, currentRetryObserver, (error) => Effect.sync(() => heard.push(error._tag)))
      yield* run([{ status: 500 }, { status: 429 }, { status: 400 }], "replace", [], RetryPolicy.defaultPolicy, observe)
      expect(heard).toEqual(["InternalServerError", "RateLimitError"])
    }))
  it.effect("is told of each retry that happens, with the failure retried, and of nothing else", () =>
    Effect.gen(function*() {
      const seen: Array<string> = []
      const { images } = yield* withStub([{ status: 503, headers: { "retry-after": "0" } }, { status: 500 }, {
        status: 400
      }], {
        retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", jitter: false, maxRetries: 5 })
      })
      const call = yield* Effect.forkChild(
        Effect.flip(images.replace(replaceInput)).pipe(
          Effect.provideService(currentRetryObserver, (error) => Effect.sync(() => seen.push(errorTypeOf(error))))
        )
      )
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(call))._tag).toBe("BadRequestError")
      // The 400 is not retried: never told.
      expect(seen).toEqual(["503", "500"])
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
          return Effect.fail(
            new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })
          )
        })
        const images = yield* TrainingImages.make({ credentials: Credentials.bearer("token") }).pipe(
          Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
        )
        attempts = 0
        const exit = yield* Effect.exit(images.replace(replaceInput))
        expect(failureTag(exit)).toBe("InvalidRequestError")
        expect(attempts).toBe(1)
        const error = Exit.isFailure(exit) ? Cause.findErrorOption(exit.cause) : undefined
        const message = error?._tag === "Some" ? error.value.message : undefined
        expect(message).toContain("refused the request before sending it")
        expect(message).not.toContain("s3cr3t")
      }
    }))
})

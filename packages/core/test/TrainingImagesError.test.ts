import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Schema, TestClock } from "effect"
import * as Errors from "../../../contract/errors.js"
import { withStub } from "./stub.js"

// The cases of `contract/errors.ts`, shared with the Effect 4 line: here each answer goes through the service
// over the stub transport. The transport errors and the error schema follow.

const noRetry = { retryPolicy: RetryPolicy.none }

const line: Errors.Line = {
  isTrainingImagesError: TrainingImagesError.isTrainingImagesError,
  isStatusError: TrainingImagesError.isStatusError,
  maxKeptBody: TrainingImagesError.MAX_KEPT_BODY,
  millis: Duration.toMillis
}

// The answer through the service over the stub transport.
const errorOf = (check: Errors.Check) =>
  Effect.gen(function*() {
    const { images } = yield* withStub([{ ...check.answer, headers: { ...check.answer.headers } }], noRetry)
    return yield* Effect.flip(
      check.operation === "add"
        ? images.add({ modelId: "m", assetId: "a" })
        : images.replace({ modelId: "m", trainingImageId: "t", assetId: "a" })
    )
  })

const run = (check: Errors.Check) =>
  Effect.map(errorOf(check), (error) => {
    expect(Errors.errorFacts(error, check.expect, line), check.name).toEqual(check.expect)
  })

for (const group of Errors.groups) {
  describe(group.name, () => {
    const test = group.test
    if (test !== undefined) it.effect(test, () => Effect.forEach(group.checks, run, { discard: true }))
    else for (const check of group.checks) it.effect(check.name, () => run(check))
  })
}

describe("transport errors", () => {
  it.effect("connection refused: not sent", () =>
    Effect.gen(function*() {
      const { images } = yield* withStub([{ refuse: true }], noRetry)
      const error = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" }))
      expect(error._tag).toBe("ConnectionError")
      expect(error._tag === "ConnectionError" && error.mayHaveReachedServer).toBe(false)
      expect(error.message).toContain("the request was not sent")
    }))

  it.effect("connection reset: may have reached the server", () =>
    Effect.gen(function*() {
      const { images } = yield* withStub([{ reset: true }], noRetry)
      const error = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" }))
      expect(error._tag === "ConnectionError" && error.mayHaveReachedServer).toBe(true)
    }))

  it.effect("timeout: may have reached the server", () =>
    Effect.gen(function*() {
      const { images } = yield* withStub([{ hang: true }], { ...noRetry, timeout: "50 millis" })
      const error = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" })).pipe(Effect.fork)
      yield* TestClock.adjust("50 millis")
      const result = yield* Fiber.join(error)
      expect(result._tag).toBe("TimeoutError")
      if (result._tag !== "TimeoutError") return
      expect(result.mayHaveReachedServer).toBe(true)
      expect(Duration.toMillis(result.timeout)).toBe(50)
    }))
})

describe("the error schema", () => {
  it("round-trips every error through its encoded form", () => {
    const errors = [
      new TrainingImagesError.NotFoundError({
        operation: "delete",
        method: "DELETE",
        url: "u",
        status: 404,
        headers: {},
        body: { message: "gone" }
      }),
      new TrainingImagesError.RateLimitError({
        operation: "add",
        method: "POST",
        url: "u",
        status: 429,
        headers: {},
        body: "",
        retryAfter: Duration.seconds(3)
      }),
      new TrainingImagesError.InvalidRequestError({ operation: "add", issues: [{ path: ["modelId"], message: "x" }] })
    ]
    for (const error of errors) {
      const encoded = Schema.encodeSync(TrainingImagesError.TrainingImagesError)(error)
      const decoded = Schema.decodeUnknownSync(TrainingImagesError.TrainingImagesError)(
        JSON.parse(JSON.stringify(encoded))
      )
      expect(decoded._tag).toBe(error._tag)
      expect(decoded.message).toBe(error.message)
    }
  })

  it("isTrainingImagesError rejects look-alikes", () => {
    expect(TrainingImagesError.isTrainingImagesError({ _tag: "NotFoundError" })).toBe(false)
    expect(TrainingImagesError.isTrainingImagesError(new Error("x"))).toBe(false)
    expect(TrainingImages.DEFAULT_BASE_URL).toBe("https://api.cloud.scenario.com/v1")
  })
})

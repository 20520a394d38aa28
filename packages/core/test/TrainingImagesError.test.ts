import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Schema, TestClock } from "effect"
import * as Errors from "../../../contract/errors.js"
import { withStub } from "./stub.js"

// The cases of `contract/errors.ts`, shared with the Effect 4 line: here each answer goes through the service
// over the stub transport, as the transport errors do. The error schema and the error classes follow.

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

// A transport failure, through the service over the stub transport, the clock moved past the timeout if any.
const transportError = (check: Errors.TransportCheck) =>
  Effect.gen(function*() {
    const timeout = check.timeoutMs === undefined ? {} : { timeout: Duration.millis(check.timeoutMs) }
    const { images } = yield* withStub([check.reply], { ...noRetry, ...timeout })
    const fiber = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" })).pipe(Effect.fork)
    if (check.timeoutMs !== undefined) yield* TestClock.adjust(Duration.millis(check.timeoutMs))
    return yield* Fiber.join(fiber)
  })

describe("transport errors", () => {
  for (const check of Errors.transportChecks) {
    it.effect(check.name, () =>
      Effect.map(transportError(check), (error) => {
        expect(Errors.errorFacts(error, check.expect, line)).toEqual(check.expect)
      }))
  }
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

describe("the error classes", () => {
  it(Errors.named.test, () => {
    const error = TrainingImagesError.fromStatus({
      ...Errors.named.fields,
      body: { ...Errors.named.fields.body },
      retryAfter: Duration.millis(Errors.named.retryAfterMs)
    })
    expect(Errors.errorFacts(error, Errors.named.expect, line)).toEqual(Errors.named.expect)
  })
})

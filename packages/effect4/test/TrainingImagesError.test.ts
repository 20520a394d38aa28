import { ApiResponse, RetryPolicy, TrainingImagesError } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Schema } from "effect"
import { TestClock } from "effect/testing"
import * as Errors from "../../../contract/errors.js"
import { withStub } from "./stub.js"

// The cases of `contract/errors.ts`, shared with the Effect 3 line: there they go through the service over a
// stubbed HttpClient; here through `ApiResponse.interpret`, which the service answers with. The transport
// errors (refused, reset, timeout) need the service and its transport: they belong with its port.
const reply = (
  reply: Errors.Answer,
  operation: "replace" | "add" = "replace"
) =>
  Effect.flip(ApiResponse.interpret(
    { operation, method: operation === "add" ? "POST" : "PUT", url: Errors.URL },
    {
      status: reply.status,
      headers: reply.headers ?? {},
      text: reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body)
    },
    ApiResponse.decodeTrainingImage
  ))

const line: Errors.Line = {
  isTrainingImagesError: TrainingImagesError.isTrainingImagesError,
  isStatusError: TrainingImagesError.isStatusError,
  maxKeptBody: TrainingImagesError.MAX_KEPT_BODY,
  millis: Duration.toMillis
}

const run = (check: Errors.Check) =>
  Effect.map(reply(check.answer, check.operation), (error) => {
    expect(Errors.errorFacts(error, check.expect, line), check.name).toEqual(check.expect)
  })

for (const group of Errors.groups) {
  describe(group.name, () => {
    const test = group.test
    if (test !== undefined) it.effect(test, () => Effect.forEach(group.checks, run, { discard: true }))
    else for (const check of group.checks) it.effect(check.name, () => run(check))
  })
}

const noRetry = { retryPolicy: RetryPolicy.none }

// A transport failure, through the service over the stub transport, the clock moved past the timeout if any.
const transportError = (check: Errors.TransportCheck) =>
  Effect.gen(function*() {
    const timeout = check.timeoutMs === undefined ? {} : { timeout: Duration.millis(check.timeoutMs) }
    const { images } = yield* withStub([check.reply], { ...noRetry, ...timeout })
    const fiber = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" })).pipe(Effect.forkChild)
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
    // Effect 4's `Schema.Duration` is the Duration itself: its JSON form comes from the JSON codec.
    const codec = Schema.toCodecJson(TrainingImagesError.TrainingImagesError)
    for (const error of errors) {
      const encoded = Schema.encodeSync(codec)(error)
      const decoded = Schema.decodeUnknownSync(codec)(JSON.parse(JSON.stringify(encoded)))
      expect(decoded._tag).toBe(error._tag)
      expect(decoded.message).toBe(error.message)
    }
  })

  it("isTrainingImagesError rejects look-alikes", () => {
    expect(TrainingImagesError.isTrainingImagesError({ _tag: "NotFoundError" })).toBe(false)
    expect(TrainingImagesError.isTrainingImagesError(new Error("x"))).toBe(false)
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

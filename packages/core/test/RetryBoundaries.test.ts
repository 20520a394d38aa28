/**
 * The retry rules and the reading of responses at their exact boundaries: which statuses and failures are
 * retried, the jitter, the 60 s cap on a server's requested wait, Retry-After against a clock that is not at
 * the epoch, and the request id a response carries. The exported decisions (`defaultShouldRetry`,
 * `isAnsweredWithSuccess`, `isTrainingImageNotFound`) are also called directly, at their edges.
 *
 * The cases are `contract/retry.ts`, shared with the Effect 4 line: here each run goes through the service over
 * the stub transport, each response through `ApiResponse.interpret`, each decision through `RetryPolicy`.
 */
import { ApiResponse, RetryPolicy, type TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Random, TestClock } from "effect"
import * as Retry from "../../../contract/retry.js"
import { stepThrough, withStub } from "./stub.js"

const callOf = (
  images: Effect.Effect.Success<ReturnType<typeof withStub>>["images"],
  call: Retry.Call
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

const optionsOf = (policy: Retry.Policy | undefined): Partial<TrainingImages.Options> | undefined => {
  if (policy === undefined) return undefined
  if (policy === "noneWithBackoff") {
    return { retryPolicy: { ...RetryPolicy.none, schedule: RetryPolicy.exponentialBackoff() } }
  }
  return {
    retryPolicy: RetryPolicy.make({
      ...(policy.jitter === undefined ? {} : { jitter: policy.jitter }),
      ...(policy.maxRetries === undefined ? {} : { maxRetries: policy.maxRetries }),
      ...(policy.initialDelayMs === undefined ? {} : { initialDelay: Duration.millis(policy.initialDelayMs) }),
      ...(policy.maxDelayMs === undefined ? {} : { maxDelay: Duration.millis(policy.maxDelayMs) }),
      ...(policy.maxRetryAfterMs === undefined ? {} : { maxRetryAfter: Duration.millis(policy.maxRetryAfterMs) })
    })
  }
}

// A random source that always draws `value`.
const withRandom = (value: number) => <A, E>(self: Effect.Effect<A, E>) =>
  Effect.withRandom(self, Random.fixed([value]))

const outcome = (exit: Exit.Exit<unknown, TrainingImagesError.TrainingImagesError>) =>
  Exit.isSuccess(exit) ? "Success" : exit.cause._tag === "Fail" ? exit.cause.error._tag : "Defect"

const errorOf = <E>(exit: Exit.Exit<unknown, E>): E | undefined =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined

const fieldsOf = (exit: Exit.Exit<unknown, TrainingImagesError.TrainingImagesError>) =>
  Retry.readResult(outcome(exit), errorOf(exit), Duration.toMillis)

const run = (check: Retry.Run) =>
  Effect.gen(function*() {
    if (check.now !== undefined) yield* TestClock.setTime(check.now)
    const { images, recorded } = yield* withStub(check.replies, optionsOf(check.policy))
    const call = callOf(images, check.call)
    const { attempts, exit, seen } = yield* stepThrough(
      check.random === undefined ? call : withRandom(check.random)(call),
      recorded,
      (check.steps ?? []).map(Duration.millis)
    )
    const result: Retry.RunResult = { ...fieldsOf(exit), seen, attempts }
    expect(Retry.factsOf(result, check.expect), check.label).toEqual(check.expect)
  })

const read = (check: Retry.Read) =>
  Effect.gen(function*() {
    if (check.now !== undefined) yield* TestClock.setTime(check.now)
    const exit = yield* Effect.exit(
      ApiResponse.interpret(
        Retry.LINE,
        { status: check.status, headers: { ...check.headers }, text: check.text },
        ApiResponse.decodeTrainingImage
      )
    )
    const result: Retry.ReadResult = fieldsOf(exit)
    expect(Retry.factsOf(result, check.expect), check.label).toEqual(check.expect)
  })

const idempotent: RetryPolicy.RetryContext = { operation: "replace", method: "PUT", idempotent: true }
const post: RetryPolicy.RetryContext = { operation: "add", method: "POST", idempotent: false }

const decide = (check: Retry.Decision) => {
  const error = Retry.errorFor<TrainingImagesError.TrainingImagesError>(
    check.error,
    TrainingImagesError,
    Duration.seconds(1)
  )
  const result: Retry.Decisions = {
    isAnsweredWithSuccess: RetryPolicy.isAnsweredWithSuccess(error),
    shouldRetryIdempotent: RetryPolicy.defaultShouldRetry(error, idempotent),
    shouldRetryPost: RetryPolicy.defaultShouldRetry(error, post),
    noneShouldRetry: RetryPolicy.none.shouldRetry(error, idempotent),
    isTrainingImageNotFound: RetryPolicy.isTrainingImageNotFound(error)
  }
  expect(Retry.factsOf(result, check.expect), check.label).toEqual(check.expect)
}

const plain = (test: Retry.Test) => {
  if (test.fixture !== undefined) expect(test.fixture.actual).toEqual(test.fixture.expected)
  for (const check of test.decisions ?? []) decide(check)
}

for (const group of Retry.groups) {
  describe(group.name, () => {
    for (const test of group.tests) {
      if (test.runs === undefined && test.reads === undefined) it(test.name, () => plain(test))
      else {
        it.effect(test.name, () =>
          Effect.gen(function*() {
            plain(test)
            for (const check of test.runs ?? []) yield* run(check)
            for (const check of test.reads ?? []) yield* read(check)
          }))
      }
    }
  })
}

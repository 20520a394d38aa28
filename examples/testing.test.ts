/**
 * How to test your own code that uses `TrainingImages`: swap the service for the in-memory fake in one line,
 * seed it, inspect it, and inject faults to exercise your error handling.
 */
import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { Fault, TrainingImagesTest } from "@effect-scenario/testing"
import { describe, expect, it } from "@effect/vitest"
import { Data, Duration, Effect, Fiber, TestClock } from "effect"

// ---- the code under test: yours ---------------------------------------------------------------------------

class TryLater extends Data.TaggedError("TryLater")<{ readonly after: Duration.Duration }> {}

/** Replaces every training image of a model with the same image; images deleted meanwhile are skipped. */
const replaceAll = (modelId: string, data: string) =>
  Effect.gen(function*() {
    const images = yield* TrainingImages.TrainingImages
    const { trainingImages } = yield* images.list({ modelId })
    const replaced = yield* Effect.forEach(
      trainingImages,
      (image) =>
        images.replace({ modelId, trainingImageId: image.id, data, name: `${image.name}.v2` }).pipe(
          Effect.as(1),
          Effect.catchTag("NotFoundError", () => Effect.succeed(0))
        ),
      { concurrency: 4 }
    )
    return replaced.reduce((a, b) => a + b, 0)
  }).pipe(
    Effect.catchTag("RateLimitError", (e) => Effect.fail(new TryLater({ after: e.retryAfter ?? Duration.seconds(30) })))
  )

// ---- the tests ---------------------------------------------------------------------------------------------

const PNG = "data:image/png;base64,iVBORw0KGgo="
const seeded = { model_1: { trainingImages: [{ id: "asset_a", name: "a" }, { id: "asset_b", name: "b" }] } }

describe("replaceAll", () => {
  it.effect("replaces every image of the model", () =>
    Effect.gen(function*() {
      expect(yield* replaceAll("model_1", PNG)).toBe(2)
      const state = yield* TrainingImagesTest.snapshot
      expect(state.models.model_1!.trainingImages.map((i) => i.name)).toEqual(["a.v2", "b.v2"])
      const calls = yield* TrainingImagesTest.calls
      expect(calls.map((c) => c.operation)).toEqual(["list", "replace", "replace"])
    }).pipe(Effect.provide(TrainingImagesTest.layer({ models: seeded }))))

  it.effect("skips an image deleted meanwhile", () =>
    Effect.gen(function*() {
      yield* TrainingImagesTest.failNext(
        1,
        new TrainingImagesError.NotFoundError({
          operation: "replace",
          method: "PUT",
          url: `${TrainingImagesTest.DEFAULT_BASE_URL}/models/model_1/training-images/asset_a`,
          status: 404,
          headers: {},
          body: { message: "not found" }
        }),
        { operation: "replace" }
      )
      expect(yield* replaceAll("model_1", PNG)).toBe(1)
    }).pipe(Effect.provide(TrainingImagesTest.layer({ models: seeded }))))

  it.effect("turns a rate limit the retries could not absorb into TryLater, with the server's wait", () =>
    Effect.gen(function*() {
      yield* TrainingImagesTest.failNext(1, Fault.rateLimited({ retryAfter: "20 seconds" }), { operation: "list" })
      const error = yield* Effect.flip(replaceAll("model_1", PNG))
      expect(error._tag).toBe("TryLater")
      if (error._tag === "TryLater") expect(Duration.toSeconds(error.after)).toBe(20)
    }).pipe(Effect.provide(TrainingImagesTest.layer({ models: seeded, retryPolicy: RetryPolicy.none }))))

  it.effect("with the default policy, a short rate limit is retried after the server's wait (TestClock)", () =>
    Effect.gen(function*() {
      yield* TrainingImagesTest.failNext(1, Fault.rateLimited({ retryAfter: "2 seconds" }), { operation: "list" })
      const fiber = yield* Effect.fork(replaceAll("model_1", PNG))
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(fiber)).toBe(2)
      expect((yield* TrainingImagesTest.faultCounts)["429"]).toBe(1)
    }).pipe(Effect.provide(TrainingImagesTest.layer({ models: seeded }))))
})

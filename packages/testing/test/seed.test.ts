import * as Seed from "@effect-scenario/emulator/Seed"
import { TrainingImagesTest } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Seeds from "../../../contract/seed.js"
import { seedIssues } from "../src/internal/seed.js"

// Seeds often come from JSON fixtures: typed as `any` here, as they would be.
const untyped = (models: unknown): TrainingImagesTest.Seed => models as TrainingImagesTest.Seed

describe("seeds are checked against the API's enums", () => {
  it("lists every problem with its path", () => {
    for (const { issues, seed } of Seeds.seedCases) {
      expect(Seeds.issueFacts(seedIssues(seed), issues)).toEqual(issues)
    }
    expect(seedIssues(null)).toHaveLength(1)
  })

  it.effect("the fake's layer fails with InvalidSeedError", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(TrainingImagesTest.make({ models: untyped({ model_1: { status: "queued" } }) }))
      expect(error._tag).toBe("InvalidSeedError")
      expect(error.issues.map((issue) => issue.path.join("."))).toEqual(["models.model_1.status"])
      expect(error.message).toContain("models.model_1.status: must be")
    }))

  it.effect("seeding later is checked too, and leaves the store as it was", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(TrainingImagesTest.seed(untyped({ model_2: { type: "dall-e" } })))
      expect(error._tag).toBe("InvalidSeedError")
      expect(Object.keys((yield* TrainingImagesTest.snapshot).models)).toEqual(["model_1"])
    }).pipe(Effect.provide(TrainingImagesTest.layer({ models: { model_1: {} } }))))

  it.effect("the emulator refuses to start on a bad seed, and checks later seeds", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(ScenarioEmulator.make({ models: untyped({ model_1: { status: "done" } }) }))
      expect(error._tag).toBe("InvalidSeedError")
      const emulator = yield* ScenarioEmulator.make({ models: { model_1: { status: "trained" } } })
      const later = yield* Effect.flip(emulator.seed(untyped({ model_2: { status: "queued" } })))
      expect(later._tag).toBe("InvalidSeedError")
    }).pipe(Effect.scoped))
})

describe("the seed limit", () => {
  const { maxImages, overMessage } = Seeds.defaultImageLimit
  const images = (count: number): TrainingImagesTest.Seed => Seeds.defaultImageLimit.seed(count)

  it.effect("by default the emulator's own, Seed.DEFAULT_MAX_IMAGES: at start and for later seeds", () =>
    Effect.gen(function*() {
      expect(Seed.DEFAULT_MAX_IMAGES).toBe(maxImages)
      const over = yield* Effect.flip(ScenarioEmulator.make({ models: images(maxImages + 1) }))
      expect(over.message).toBe(overMessage)
      const emulator = yield* ScenarioEmulator.make({ models: images(maxImages) })
      expect((yield* emulator.snapshot).models.model_1?.trainingImages.length).toBe(maxImages)
      const later = yield* Effect.flip(emulator.seed(images(maxImages + 1)))
      expect(later._tag).toBe("InvalidSeedError")
      expect(later.message).toBe(overMessage)
    }).pipe(Effect.scoped))
})

/**
 * The emulator package checks seeds without Effect, so it holds its own list of the documented model statuses
 * and types: they must be core's, value for value.
 */
import { TrainingImage } from "@effect-scenario/core"
import * as Seed from "@effect-scenario/emulator/Seed"
import { describe, expect, it } from "@effect/vitest"

describe("the seed check's enums", () => {
  it("are the statuses and types core's Schemas accept", () => {
    expect(Seed.MODEL_STATUSES).toEqual(TrainingImage.ModelStatus.literals)
    expect(Seed.MODEL_TYPES).toEqual(TrainingImage.ModelType.literals)
  })
})

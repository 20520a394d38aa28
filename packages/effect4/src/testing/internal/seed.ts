import * as Seed from "@effect-scenario/emulator/Seed"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as TrainingImagesError from "../../TrainingImagesError.js"
import type * as TrainingImagesTest from "../TrainingImagesTest.js"

/**
 * Every problem of a seed (the emulator package's `Seed.issues`).
 *
 * @internal
 */
export const seedIssues: (models: unknown) => Array<TrainingImagesError.Issue> = Seed.issues

/**
 * The most training images one seed may create unless `maxSeedImages` says otherwise (the emulator package's
 * `Seed.DEFAULT_MAX_IMAGES`, which its server uses too).
 *
 * @internal
 */
export const DEFAULT_MAX_SEED_IMAGES: number = Seed.DEFAULT_MAX_IMAGES

/** @internal */
export class InvalidSeedError extends Schema.TaggedError<InvalidSeedError>(
  "@effect-scenario/testing/InvalidSeedError"
)("InvalidSeedError", { issues: Schema.NonEmptyArray(TrainingImagesError.Issue) }) {
  override get message(): string {
    return `Invalid seed: ${Seed.format(this.issues)}`
  }
}

/**
 * The seed, or the error that lists every problem in it (`Seed.check`); with `maxImages`, a seed of more
 * training images (over all its models) is refused for that alone.
 *
 * @internal
 */
export const checkSeed = (
  models: unknown,
  maxImages?: number
): Effect.Effect<TrainingImagesTest.Seed, InvalidSeedError> => {
  const checked = Seed.check(models, maxImages)
  return checked._tag === "Valid"
    ? Effect.succeed(checked.seed as TrainingImagesTest.Seed)
    : Effect.fail(new InvalidSeedError({ issues: checked.issues }))
}

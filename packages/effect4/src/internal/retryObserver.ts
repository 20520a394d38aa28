import * as Context from "effect/Context"
import type * as Effect from "effect/Effect"
import type { TrainingImagesError } from "../TrainingImagesError.js"

/**
 * Who hears of each retry `RetryPolicy.retry` decides on, once it is decided (after every rule of the policy, so
 * a failure the policy does not retry is never told as one): a training set's run, which reports each retry as
 * an event. Unset, nobody is told.
 *
 * @internal
 */
export const currentRetryObserver = Context.Reference<
  ((error: TrainingImagesError) => Effect.Effect<void>) | undefined
>(
  // Stryker disable next-line StringLiteral: equivalent, any key unique among references
  "@effect-scenario/effect4/RetryPolicy/currentRetryObserver",
  { defaultValue: () => undefined }
)

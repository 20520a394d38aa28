// What the training-set suites share: small PNG images made from a seed (test-support's, which both lines'
// suites use), and a way to run an effect to its end under the TestClock.
import { type Duration, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"

export { png, PNG_SIGNATURE } from "@effect-scenario/test-support/png"

/**
 * Runs `effect` to its end under TestClock, moving the clock `step` at a time while it waits (each move also
 * lets the forked fibers run, which takes real time on a busy machine: the steps are few).
 */
export const settle = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  step: Duration.Input = "1 second",
  maxSteps = 3600
) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(effect)
    for (let i = 0; i < maxSteps; i++) {
      if (fiber.pollUnsafe() !== undefined) break
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

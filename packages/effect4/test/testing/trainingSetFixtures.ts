// What the training-set suites share: small PNG images made from a seed, and a way to run an effect to its end
// under the TestClock.
import { type Duration, Effect, Fiber } from "effect"
import { TestClock } from "effect/testing"

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** A PNG signature followed by `size - 8` bytes derived from `seed`: a distinct image for each seed. */
export const png = (seed: number, size = 32): Uint8Array => {
  const bytes = new Uint8Array(size)
  bytes.set(PNG_SIGNATURE)
  for (let i = PNG_SIGNATURE.length; i < size; i++) bytes[i] = (seed * 31 + i * 7) & 0xff
  return bytes
}

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

// An image fitted under the request limit by a fitter, and the fitter's result checked by the kernel's rules
// (`TrainingSetPlan.checkFit`): whatever the fitter is (ours on sharp, a user's), what is sent is the image
// type it says and its body fits.
import type { ImageMediaType } from "@effect-scenario/kernel/MediaType"
import { maxInlineImageBytes } from "@effect-scenario/kernel/RequestBody"
import { checkFit, fitterFailedReason, unfittableReason } from "@effect-scenario/kernel/TrainingSetPlan"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as ImageFitter from "../ImageFitter.js"
import { ImageFitError } from "../ImageFitter.js"

/** @internal */
export const fitImage = (
  fitter: ImageFitter.ImageFitter,
  input: {
    readonly name: string
    readonly bytes: Uint8Array
    readonly mediaType: ImageMediaType
    readonly maxRequestBytes: number
  }
): Effect.Effect<{ readonly bytes: Uint8Array; readonly fitted: ImageFitter.Fitted }, ImageFitError> => {
  const { bytes, maxRequestBytes, mediaType, name } = input
  const fail = (reason: string, cause?: unknown) =>
    Effect.fail(new ImageFitError({ name, reason, ...(cause === undefined ? {} : { cause }) }))
  const unfittable = unfittableReason({ name, maxRequestBytes })
  if (unfittable !== undefined) return fail(unfittable)
  const maxBytes = maxInlineImageBytes({ name, maxRequestBytes })
  return Effect.suspend(() => fitter.fit({ name, bytes, mediaType, maxBytes })).pipe(
    // A fitter that throws or dies fails this item, typed, rather than the run.
    Effect.catchAllDefect((defect) => {
      const [first] = Cause.pretty(Cause.die(defect)).split("\n")
      // Stryker disable next-line StringLiteral: equivalent, `split` always gives at least one element: the fallback is never read
      return fail(fitterFailedReason(first ?? ""), defect)
    }),
    Effect.flatMap((result) => {
      const checked = checkFit(input, result)
      return checked._tag === "Unfit" ? fail(checked.reason) : Effect.succeed(checked)
    })
  )
}

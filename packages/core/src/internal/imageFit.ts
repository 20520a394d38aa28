// An image fitted under the request limit by a fitter, and the fitter's result checked: whatever the fitter
// is (ours on sharp, a user's), what is sent is the image type it says and its body fits.
import type { ImageMediaType } from "@effect-scenario/kernel/MediaType"
import { sniff } from "@effect-scenario/kernel/MediaType"
import { inlineImageBodySize, maxInlineImageBytes } from "@effect-scenario/kernel/RequestBody"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import type * as ImageFitter from "../ImageFitter.js"
import { ImageFitError } from "../ImageFitter.js"

const positiveInteger = (n: unknown): boolean => typeof n === "number" && Number.isSafeInteger(n) && n > 0

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
  const maxBytes = maxInlineImageBytes({ name, maxRequestBytes })
  if (maxBytes <= 0) return fail(`its name alone makes a request over the ${maxRequestBytes}-byte limit`)
  return Effect.suspend(() => fitter.fit({ name, bytes, mediaType, maxBytes })).pipe(
    // A fitter that throws or dies fails this item, typed, rather than the run.
    Effect.catchAllDefect((defect) =>
      fail(`the fitter failed: ${Cause.pretty(Cause.die(defect)).split("\n")[0]}`, defect)
    ),
    Effect.flatMap((result) => {
      const sentType = result.bytes instanceof Uint8Array ? sniff(result.bytes) : undefined
      if (sentType === undefined || sentType !== result.mediaType) {
        return fail(`the fitter returned bytes that are not the ${String(result.mediaType)} image it said`)
      }
      const requestBytes = inlineImageBodySize({ bytes: result.bytes.length, mediaType: sentType, name })
      if (requestBytes > maxRequestBytes) {
        return fail(
          `the fitter returned ${result.bytes.length} bytes, a ${requestBytes}-byte request, still over the ` +
            `${maxRequestBytes}-byte limit`
        )
      }
      if (![result.width, result.height, result.sourceWidth, result.sourceHeight].every(positiveInteger)) {
        return fail("the fitter returned no valid dimensions")
      }
      return Effect.succeed({
        bytes: result.bytes,
        fitted: {
          bytes: bytes.length,
          width: result.sourceWidth,
          height: result.sourceHeight,
          mediaType,
          sentBytes: result.bytes.length,
          sentWidth: result.width,
          sentHeight: result.height,
          sentMediaType: sentType
        }
      })
    })
  )
}

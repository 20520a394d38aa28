/**
 * The hook through which a training set sends an image over the request limit anyway: a fitter downscales or
 * recompresses the image's bytes, in memory, until they fit the budget it is given. The source is never
 * touched. The library holds no image codec: a fitter is given to `TrainingSet.plan` and `TrainingSet.apply` (the
 * command line's `--fit` gives one built on sharp).
 *
 * ```ts
 * import { ImageFitter, TrainingSet } from "@effect-scenario/effect4"
 * import { Effect } from "effect"
 *
 * // A fitter that gives up: any fitter is checked the same way (its result must be the image type it says,
 * // and fit the budget), and its failure is the item's, in the report.
 * const fit = ImageFitter.make((input) =>
 *   Effect.fail(new ImageFitter.ImageFitError({ name: input.name, reason: "no codec here" }))
 * )
 *
 * const sync = Effect.gen(function*() {
 *   const images = yield* TrainingSet.readFolder("./images")
 *   const plan = yield* TrainingSet.plan({ modelId: "model_123", images, fit })
 *   return yield* TrainingSet.apply(plan, images, { fit })
 * })
 * ```
 *
 * @since 0.3.0
 */
import type { ImageMediaType } from "@effect-scenario/kernel/MediaType"
import type * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/**
 * An image could not be fitted under the request limit: the fitter failed (an image it cannot decode, one
 * that cannot get small enough), or its result was not what it said (another type, still too large). The
 * item fails with it; nothing is sent for it.
 *
 * @since 0.3.0
 * @category errors
 */
export class ImageFitError extends Schema.TaggedError<ImageFitError>("@effect-scenario/effect4/ImageFitError")(
  "ImageFitError",
  {
    /** The training image's name. */
    name: Schema.String,
    reason: Schema.String,
    cause: Schema.optional(Schema.Defect())
  }
) {
  override get message(): string {
    return `${this.name} could not be fitted under the request limit: ${this.reason}`
  }
}

/**
 * What a fitter is given: the image's bytes and media type (sniffed from its bytes), and the largest it may
 * be, in bytes (`maxBytes`: the budget the request limit leaves for it, `RequestBody.maxInlineImageBytes`).
 *
 * @since 0.3.0
 * @category models
 */
export interface FitInput {
  /** The training image's name, for messages. */
  readonly name: string
  readonly bytes: Uint8Array
  readonly mediaType: ImageMediaType
  readonly maxBytes: number
}

/**
 * What a fitter returns: new bytes of at most `maxBytes` and their media type, with the image's dimensions as
 * it was (`sourceWidth`, `sourceHeight`) and as fitted (`width`, `height`).
 *
 * @since 0.3.0
 * @category models
 */
export interface FitResult {
  readonly bytes: Uint8Array
  readonly mediaType: ImageMediaType
  readonly width: number
  readonly height: number
  readonly sourceWidth: number
  readonly sourceHeight: number
}

/**
 * Downscales or recompresses an image until it is at most `maxBytes`, or fails with an `ImageFitError`.
 * Called for one image at a time per concurrency slot of a run, with the image's bytes in memory.
 *
 * @since 0.3.0
 * @category models
 */
export interface ImageFitter {
  readonly fit: (input: FitInput) => Effect.Effect<FitResult, ImageFitError>
}

/**
 * A fitter from its function.
 *
 * @since 0.3.0
 * @category constructors
 */
export const make = (fit: (input: FitInput) => Effect.Effect<FitResult, ImageFitError>): ImageFitter => ({ fit })

/**
 * What was sent for a fitted image, in a report's outcome: its size, dimensions and media type as it is,
 * and as sent.
 *
 * @since 0.3.0
 * @category models
 */
export const Fitted = Schema.Struct({
  bytes: Schema.Number,
  width: Schema.Number,
  height: Schema.Number,
  mediaType: Schema.String,
  sentBytes: Schema.Number,
  sentWidth: Schema.Number,
  sentHeight: Schema.Number,
  sentMediaType: Schema.String
})

/**
 * @since 0.3.0
 * @category models
 */
export type Fitted = typeof Fitted.Type

/**
 * How a planned item will be fitted (`Add.fit`, `Replace.fit`): its size, its JSON body and the limit, and
 * the largest image whose body fits (`maxImageBytes`), what the fitter is asked for.
 *
 * @since 0.3.0
 * @category models
 */
export const Fit = Schema.Struct({
  bytes: Schema.Number,
  requestBytes: Schema.Number,
  maxRequestBytes: Schema.Number,
  maxImageBytes: Schema.Number
})

/**
 * @since 0.3.0
 * @category models
 */
export type Fit = typeof Fit.Type

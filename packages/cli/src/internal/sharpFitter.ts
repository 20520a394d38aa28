// `--fit`: the image fitter of the command line, on sharp. sharp is an optional dependency of the command
// line, loaded with a dynamic import only when `--fit` is given, so that neither the library nor a command
// run without `--fit` needs it.
import { ImageFitter } from "@effect-scenario/core"
import type { ImageMediaType } from "@effect-scenario/kernel/MediaType"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type SharpModule from "sharp"

type Sharp = typeof SharpModule

/** sharp could not be loaded: not installed, or installed without the binaries of this platform. */
export class SharpUnavailableError extends Data.TaggedError("SharpUnavailableError")<{
  readonly detail: string | undefined
  readonly cause?: unknown
}> {
  override get message(): string {
    return "--fit needs sharp, an optional dependency of @effect-scenario/cli, and it could not be loaded" +
      `${this.detail === undefined ? "" : ` (${this.detail})`}: install it where @effect-scenario/cli is ` +
      "installed with `npm install sharp` (an install with --omit=optional, or on a platform without sharp's " +
      "prebuilt binaries, leaves it out), or send the images without --fit"
  }
}

/** The largest image decoded, in pixels: above, the fit fails rather than hold a huge image in memory. */
export const MAX_INPUT_PIXELS = 100_000_000

/** At most this many encodings per image: each shrinks it by at least `MIN_STEP`, so the loop always ends. */
export const MAX_ATTEMPTS = 10

// Each step down shrinks the sides by at least this much, whatever the byte ratio says.
const MIN_STEP = 0.97
// Aim a little under the budget: an encoding's size is not proportional to its pixels.
const MARGIN = 0.95
// The quality of a JPEG or WebP re-encoded: a photo's usual quality, well above visible loss.
const LOSSY_QUALITY = 85

const firstLine = (error: unknown): string => {
  const text = error instanceof Error ? error.message : String(error)
  return text.split("\n")[0]!.slice(0, 300)
}

const isNotFound = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error &&
  (error.code === "ERR_MODULE_NOT_FOUND" || error.code === "MODULE_NOT_FOUND")

/**
 * The sidelengths of `width`x`height` scaled by `scale`, the aspect ratio kept (the short side rounded from
 * the long one), each at least 1 pixel.
 */
export const scaled = (width: number, height: number, scale: number): { width: number; height: number } => {
  if (scale >= 1) return { width, height }
  if (width >= height) {
    const w = Math.max(1, Math.floor(width * scale))
    return { width: w, height: Math.max(1, Math.round(w * height / width)) }
  }
  const h = Math.max(1, Math.floor(height * scale))
  return { width: Math.max(1, Math.round(h * width / height)), height: h }
}

/**
 * Fits one image with sharp. The format is kept: JPEG stays JPEG (re-encoded at quality 85, then smaller),
 * PNG stays PNG (lossless, smaller), WebP stays WebP, GIF stays GIF (its first frame). The sides shrink from an
 * estimate made from the byte ratio (the pixel count follows the bytes), then further while the encoding is
 * still over the budget; once under, up to two steps back up are tried when the estimate left much room. The
 * image is oriented as its EXIF says and its metadata is not kept. The same bytes give the same result.
 */
const fitWith = async (sharp: Sharp, input: ImageFitter.FitInput): Promise<ImageFitter.FitResult> => {
  const options = { limitInputPixels: MAX_INPUT_PIXELS, autoOrient: true }
  const metadata = await sharp(input.bytes, options).metadata()
  const sourceWidth = metadata.autoOrient?.width ?? metadata.width
  const sourceHeight = metadata.autoOrient?.height ?? metadata.height
  const encode = async (size: { width: number; height: number }): Promise<Uint8Array> => {
    let pipeline = sharp(input.bytes, options)
    if (size.width !== sourceWidth || size.height !== sourceHeight) {
      pipeline = pipeline.resize(size.width, size.height, { fit: "fill" })
    }
    switch (input.mediaType) {
      case "image/jpeg":
        pipeline = pipeline.jpeg({ quality: LOSSY_QUALITY })
        break
      case "image/webp":
        pipeline = pipeline.webp({ quality: LOSSY_QUALITY })
        break
      case "image/png":
        pipeline = pipeline.png()
        break
      case "image/gif":
        pipeline = pipeline.gif()
        break
    }
    return new Uint8Array(await pipeline.toBuffer())
  }
  const result = (bytes: Uint8Array, size: { width: number; height: number }): ImageFitter.FitResult => ({
    bytes,
    mediaType: input.mediaType,
    width: size.width,
    height: size.height,
    sourceWidth,
    sourceHeight
  })
  // A lossy image is first re-encoded at its own size (at quality 85 it may fit as it is, and its size then
  // tells how far to shrink); a lossless one starts from the pixels kept in proportion to the bytes the
  // budget allows.
  const lossy = input.mediaType === "image/jpeg" || input.mediaType === "image/webp"
  let scale = lossy ? 1 : Math.min(1, Math.sqrt(input.maxBytes / input.bytes.length) * MARGIN)
  // The smallest scale known to be over the budget.
  let over = Infinity
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const size = scaled(sourceWidth, sourceHeight, scale)
    const bytes = await encode(size)
    if (bytes.length <= input.maxBytes) {
      // Much room left (the estimate shrank it more than needed): a step back up from the byte ratio, then,
      // if that is over, halfway; each kept only if it fits.
      if (scale < 1 && bytes.length < input.maxBytes * 0.6) {
        const up = Math.min(1, over, scale * Math.sqrt(input.maxBytes / bytes.length) * MARGIN)
        for (const candidate of [up, (scale + up) / 2]) {
          if (candidate <= scale) break
          const larger = scaled(sourceWidth, sourceHeight, candidate)
          const again = await encode(larger)
          if (again.length <= input.maxBytes) return result(again, larger)
        }
      }
      return result(bytes, size)
    }
    if (size.width === 1 && size.height === 1) break
    over = Math.min(over, scale)
    scale = scale * Math.min(MIN_STEP, Math.sqrt(input.maxBytes / bytes.length) * MARGIN)
  }
  throw new Error(`no encoding of it came under ${input.maxBytes} bytes after ${MAX_ATTEMPTS} attempts`)
}

const mediaTypes: ReadonlyArray<ImageMediaType> = ["image/png", "image/jpeg", "image/webp", "image/gif"]

/** The fitter over a loaded sharp. */
export const makeSharpFitter = (sharp: Sharp): ImageFitter.ImageFitter =>
  ImageFitter.make((input) =>
    mediaTypes.includes(input.mediaType)
      ? Effect.tryPromise({
        try: () => fitWith(sharp, input),
        catch: (error) =>
          new ImageFitter.ImageFitError({ name: input.name, reason: `sharp: ${firstLine(error)}`, cause: error })
      })
      : Effect.fail(new ImageFitter.ImageFitError({ name: input.name, reason: `${input.mediaType} is not fitted` }))
  )

/**
 * Loads sharp (`load` is the dynamic import; a test gives another) and makes the fitter, or says how to
 * install sharp.
 */
export const loadSharpFitter = (
  load: () => Promise<unknown> = () => import("sharp")
): Effect.Effect<ImageFitter.ImageFitter, SharpUnavailableError> =>
  Effect.tryPromise({
    try: load,
    catch: (error) =>
      new SharpUnavailableError({ detail: isNotFound(error) ? undefined : firstLine(error), cause: error })
  }).pipe(
    Effect.flatMap((module) => {
      const sharp = typeof module === "object" && module !== null && "default" in module ? module.default : module
      if (typeof sharp !== "function") {
        return Effect.fail(new SharpUnavailableError({ detail: "the sharp module found is not sharp" }))
      }
      const loaded = sharp as Sharp
      // No cache of decoded images between fits: each holds one image, for its own fit only.
      loaded.cache(false)
      return Effect.succeed(makeSharpFitter(loaded))
    })
  )

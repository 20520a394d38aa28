/**
 * What the emulator's inspector serves apart from its page: which paths are its own, the state JSON the page
 * reads, and how a stored data URL becomes a thumbnail (only the raster types a browser shows safely).
 *
 * @since 0.1.0
 */
import type * as Store from "./Store.js"

/**
 * The prefix of the inspector's own paths (besides `/` and `/favicon.ico`).
 *
 * @since 0.1.0
 * @category constants
 */
export const PATH_PREFIX = "/inspector/"

/**
 * The request log entries the state carries, newest first.
 *
 * @since 0.1.0
 * @category constants
 */
export const REQUEST_LIMIT = 500

/**
 * Whether a path is the inspector's rather than the API's.
 *
 * @since 0.1.0
 * @category rules
 */
export const isInspectorPath = (path: string): boolean =>
  path === "/" || path === "/favicon.ico" || path.startsWith(PATH_PREFIX)

// Only the raster types a browser shows safely as an image: the content came from a test, not a trusted source.
const IMAGE_TYPES = new Set(["png", "jpeg", "jpg", "gif", "webp", "avif", "bmp"])

/**
 * The bytes (Base64) of a stored data URL and their content type, when it is an image a browser may show.
 *
 * @since 0.1.0
 * @category rules
 */
export const imageOf = (dataUrl: string): { readonly contentType: string; readonly base64: string } | undefined => {
  const match = /^data:image\/([A-Za-z0-9.+-]+)(?:;[^,;]*)*;base64,/.exec(dataUrl)
  if (match === null) return undefined
  const type = match[1]!.toLowerCase()
  if (!IMAGE_TYPES.has(type)) return undefined
  return { contentType: `image/${type === "jpg" ? "jpeg" : type}`, base64: dataUrl.slice(match[0].length) }
}

/**
 * Where the page finds an image's content; the revision in the URL changes with the content.
 *
 * @since 0.1.0
 * @category rules
 */
export const thumbnailPath = (modelId: string, trainingImageId: string, revision: number): string =>
  `${PATH_PREFIX}images/${encodeURIComponent(modelId)}/${encodeURIComponent(trainingImageId)}?revision=${revision}`

/**
 * An image as the page shows it.
 *
 * @since 0.1.0
 * @category models
 */
export interface InspectorImage extends Store.StoredImage {
  /** Where the page finds the image's content; `null` for an image added by asset id (a placeholder). */
  readonly thumbnail: string | null
}

/**
 * A model as the page shows it.
 *
 * @since 0.1.0
 * @category models
 */
export interface InspectorModel extends Omit<Store.ModelState, "trainingImages"> {
  readonly trainingImages: ReadonlyArray<InspectorImage>
}

/**
 * `GET /inspector/api/state`: everything the page shows, `R` being a recorded request.
 *
 * @since 0.1.0
 * @category models
 */
export interface InspectorState<R> {
  readonly version: number
  readonly baseUrl: string
  readonly models: ReadonlyArray<InspectorModel>
  /** Newest first, at most `REQUEST_LIMIT`. */
  readonly requests: ReadonlyArray<R>
  readonly requestCount: number
  readonly pendingFaults: number
  readonly faultCounts: Readonly<Record<string, number>>
}

/**
 * The state the page reads, from the store's snapshot and the request log (oldest first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const stateOf = <R>(input: {
  readonly version: number
  readonly baseUrl: string
  readonly snapshot: Store.Snapshot
  readonly requests: ReadonlyArray<R>
  readonly pendingFaults: number
  readonly faultCounts: Readonly<Record<string, number>>
  readonly revisionOf: (modelId: string, trainingImageId: string) => number | undefined
}): InspectorState<R> => ({
  version: input.version,
  baseUrl: input.baseUrl,
  models: Object.values(input.snapshot.models).map((model) => ({
    ...model,
    trainingImages: model.trainingImages.map((image) => {
      const revision = input.revisionOf(model.id, image.id)
      return { ...image, thumbnail: revision === undefined ? null : thumbnailPath(model.id, image.id, revision) }
    })
  })),
  requests: input.requests.slice(-REQUEST_LIMIT).reverse(),
  requestCount: input.requests.length,
  pendingFaults: input.pendingFaults,
  faultCounts: input.faultCounts
})

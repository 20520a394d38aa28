/**
 * Validation rules of the API and their messages, shared by every binding's Schemas and validators.
 *
 * @since 0.1.0
 */

/**
 * How many asset ids one add may carry.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_BATCH_ASSETS = 10

/**
 * The problem with an empty batch.
 *
 * @since 0.1.0
 * @category messages
 */
export const EMPTY_BATCH_PROBLEM = "a batch needs at least one asset id"

/**
 * The problem with a batch of `count` asset ids, if any.
 *
 * @since 0.1.0
 * @category rules
 */
export const batchSizeProblem = (count: number): string | undefined =>
  count < 1
    ? EMPTY_BATCH_PROBLEM
    : count > MAX_BATCH_ASSETS
    ? `a batch holds at most ${MAX_BATCH_ASSETS} asset ids, got ${count}`
    : undefined

/**
 * How a closed set of allowed values is named in a message: `"a", "b" or "c"`.
 *
 * @since 0.1.0
 * @category messages
 */
export const oneOf = (values: ReadonlyArray<unknown>): string => {
  const shown = values.map((value) => typeof value === "bigint" ? `${value}n` : JSON.stringify(value))
  return shown.length <= 1 ? shown.join("") : `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`
}

/**
 * The problem with params that are not an object.
 *
 * @since 0.1.0
 * @category messages
 */
export const NOT_AN_OBJECT_PROBLEM = "expected an object of params"

/**
 * The problem with params that throw when read (a getter that throws, a proxy).
 *
 * @since 0.1.0
 * @category messages
 */
export const unreadableProblem = (error: unknown): string => `the params could not be read: ${String(error)}`

/**
 * Which way an image is given, picked from the keys present (a key holding `undefined` is absent) before
 * anything is decoded: `assetIds` (a batch), `assetId` (one asset) or `data` (a data URL); or, when the keys
 * conflict or name none of them, the problem at its path. The ways exclude each other, so that a message names
 * the conflict instead of every way that failed.
 *
 * @since 0.1.0
 * @category rules
 */
export type ImageVariant =
  | { readonly _tag: "AssetIds" }
  | { readonly _tag: "AssetId" }
  | { readonly _tag: "Data" }
  | { readonly _tag: "Invalid"; readonly path: ReadonlyArray<string>; readonly problem: string }

/**
 * The way an image is given in `params`, or the problem with its keys (see `ImageVariant`).
 *
 * @since 0.1.0
 * @category rules
 */
export const imageVariant = (params: { readonly [key: string]: unknown }): ImageVariant => {
  const present = (key: string) => params[key] !== undefined
  if (present("assetIds")) {
    return present("assetId") || present("data") || present("name")
      ? { _tag: "Invalid", path: ["assetIds"], problem: "cannot be combined with assetId, data or name" }
      : { _tag: "AssetIds" }
  }
  if (present("assetId")) {
    return present("data") || present("name")
      ? {
        _tag: "Invalid",
        path: ["assetId"],
        problem: "cannot be combined with data or name (the API would ignore them)"
      }
      : { _tag: "AssetId" }
  }
  if (present("data")) return { _tag: "Data" }
  return {
    _tag: "Invalid",
    path: [],
    problem: present("name")
      ? "name goes with data: give the image as a data URL"
      : "give the image as assetId, assetIds (1 to 10 asset ids) or data (a data URL)"
  }
}

/**
 * The model statuses the API documents (`GET /models/{modelId}`).
 *
 * @since 0.1.0
 * @category constants
 */
export const MODEL_STATUSES = ["copying", "failed", "new", "trained", "training", "training-canceled"] as const

/**
 * The model types the API documents (`GET /models/{modelId}`), e.g. `"flux.1-lora"`.
 *
 * @since 0.1.0
 * @category constants
 */
export const MODEL_TYPES = [
  "custom",
  "flux.1",
  "flux.1-composition",
  "flux.1-kontext-dev",
  "flux.1-kontext-lora",
  "flux.1-krea-dev",
  "flux.1-krea-lora",
  "flux.1-lora",
  "flux.1-pro",
  "flux.1.1-pro-ultra",
  "flux1.1-pro",
  "gpt-image-1",
  "sd-1_5",
  "sd-1_5-composition",
  "sd-1_5-lora",
  "sd-xl",
  "sd-xl-composition",
  "sd-xl-lora"
] as const

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
 * The issues of a batch's params, its size problem among them. A schema checks the size of an array only once
 * its elements are valid, so a validator that reported `issues` for `assetIds` may have missed it: it is put
 * first unless one of `issues` already says it (no other rule writes that message). `undefined` when the size
 * is fine or already reported: the issues stand as they are.
 *
 * @since 0.1.0
 * @category rules
 */
export const withBatchSizeIssue = <I extends { readonly message: string }>(
  assetIds: unknown,
  issues: ReadonlyArray<I>
): readonly [{ readonly path: ReadonlyArray<string>; readonly message: string }, ...Array<I>] | undefined => {
  const size = Array.isArray(assetIds) ? batchSizeProblem(assetIds.length) : undefined
  if (size === undefined || issues.some((issue) => issue.message === size)) return undefined
  return [{ path: ["assetIds"], message: size }, ...issues]
}

/**
 * How a closed set of allowed values is named in a message: `"a", "b" or "c"`.
 *
 * @since 0.1.0
 * @category messages
 */
export const oneOf = (values: ReadonlyArray<unknown>): string => {
  const shown = values.map((value) => typeof value === "bigint" ? `${value}n` : JSON.stringify(value))
  return shown.length <= 1 ? shown[0] ?? "" : `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`
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

/**
 * Whether text is well-formed Unicode (no lone surrogate).
 *
 * @since 0.1.0
 * @category rules
 */
export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s)

// Made once: a regular expression literal in the function would be a new object at every call (a call's params
// are checked several times). Not global, so `test` keeps no state between strings.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g")

/**
 * `s` with each lone surrogate (the half of a pair without its other half) replaced by `replacement`: well-formed
 * Unicode, as `isWellFormed` asks.
 *
 * @since 0.1.0
 * @category rules
 */
export const replaceLoneSurrogates = (s: string, replacement: string): string => s.replace(LONE_SURROGATES, replacement)

/**
 * The problem with an identifier (a model, asset, image or project id), if any: it is a path segment of the API.
 *
 * @since 0.1.0
 * @category rules
 */
export const idProblem = (s: string): string | undefined => {
  if (s.length === 0) return "must not be empty"
  if (s === "." || s === "..") return "must not be \".\" or \"..\""
  if (!isWellFormed(s)) return "must be well-formed Unicode (it holds a lone surrogate)"
  return undefined
}

/**
 * The problem with a training image id of a path that replaces an image, beyond `idProblem`: `pairs` is the
 * path that replaces the pairs.
 *
 * @since 0.1.0
 * @category rules
 */
export const trainingImageIdProblem = (s: string): string | undefined =>
  s === "pairs" ? "must not be \"pairs\" (that path replaces the pairs)" : undefined

// Parameter values are limited to token characters, so that a valid data URL never needs escaping in JSON.
// Sticky, and searched from 0: anchored at the start of the string (no `^` needed), and where a match ends is read
// off `lastIndex`, with no match array made per check.
const DATA_URL_HEADER = /data:image\/[A-Za-z0-9][A-Za-z0-9.+-]*(?:;[A-Za-z0-9-]+=[A-Za-z0-9._+-]+)*;base64,/y
// A data URL can be many megabytes. Its payload's characters are checked by the platform's own base64 decoder
// (`atob`, native on every runtime: several times faster than a regular expression's search of the payload), a
// chunk at a time, so that no more than one chunk's decoded copy is held at once. `atob` forgives two things this
// rule does not: it skips ASCII whitespace, and it accepts a payload without its padding. The length (a multiple
// of 4) and where the padding starts (no "=" before the last two characters) are checked first, and a skipped
// character leaves the decoded text shorter than the characters promise (3 bytes for every 4, less one per "="
// and per character after the first "="): the two lengths are compared.
const CHUNK = 65_536

const isBase64From = (s: string, from: number): boolean => {
  const length = s.length - from
  if (length === 0 || length % 4 !== 0) return false
  const padding = s.indexOf("=", from)
  // Padding starts at one of the last two characters (that it runs to the end, `atob` and the lengths check).
  // Without this, whitespace after the "=" could pass: " AA=   =" decodes to as many bytes as its length promises.
  if (padding !== -1 && padding < s.length - 2) return false
  const padded = padding === -1 ? 0 : s.length - padding
  // Stryker disable next-line EqualityOperator: equivalent as `<=`: the extra turn decodes an empty chunk, which promises nothing
  for (let start = from; start < s.length; start += CHUNK) {
    // Stryker disable next-line MethodExpression: equivalent as `Math.max`: one chunk of the whole rest, the same verdict with more memory held
    const end = Math.min(start + CHUNK, s.length)
    let decoded: string
    try {
      decoded = atob(s.slice(start, end))
    } catch {
      return false
    }
    // Only the last chunk holds the padding.
    if (decoded.length !== ((end - start) >> 2) * 3 - (end === s.length ? padded : 0)) return false
  }
  return true
}

/**
 * The problem with an image's data URL, if any: `data:image/<type>[;param=value...];base64,<payload>`, the
 * payload non-empty and padded.
 *
 * @since 0.1.0
 * @category rules
 */
export const dataUrlProblem = (s: string): string | undefined => {
  DATA_URL_HEADER.lastIndex = 0
  if (!DATA_URL_HEADER.test(s)) return "must be a data URL of the form data:image/<type>;base64,<payload>"
  if (!isBase64From(s, DATA_URL_HEADER.lastIndex)) {
    return "must carry a non-empty, padded base64 payload after \";base64,\""
  }
  return undefined
}

/**
 * The problem with a name, if any: non-empty, well-formed text.
 *
 * @since 0.1.0
 * @category rules
 */
export const nonEmptyTextProblem = (s: string): string | undefined =>
  s.length > 0 && isWellFormed(s) ? undefined : "must be non-empty, well-formed text"

/**
 * The presets of an added image.
 *
 * @since 0.1.0
 * @category constants
 */
export const PRESETS = ["default", "style", "subject"] as const

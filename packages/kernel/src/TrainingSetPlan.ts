/**
 * The rules of a training-set sync, as plain functions over plain data: the diff between a folder and a model,
 * the pairs check, what an image's size and first bytes say before it is read (skipped, too large), the guard
 * against an unsafe plan, the state a run leaves, an image's inline data URL, why a file or link cannot be read,
 * and which failed requests a run sends again. The types are plain TypeScript, structurally the types of
 * each binding's Schemas, so a binding passes its values through as they are.
 *
 * @since 0.1.0
 */
import { encode as encodeBase64 } from "./Base64.js"
import { type ImageMediaType, sniff } from "./MediaType.js"
import { dataUrlPrefix, inlineImageBodySize, maxInlineImageBytes } from "./RequestBody.js"
import type { Failure } from "./Retry.js"
import { MAX_BATCH_ASSETS } from "./Validation.js"

/**
 * A before/after pair by image names: `source` becomes `target` as `instruction` says.
 *
 * @since 0.1.0
 * @category models
 */
export interface PlannedPair {
  readonly source: string
  readonly target: string
  readonly instruction?: string | undefined
}

/**
 * Why a file of the set is skipped: not an image (judged by its first bytes), a symbolic link to nothing, a
 * loop of links (or a link to a folder above it), or a link to a folder already listed.
 *
 * @since 0.1.0
 * @category models
 */
export type SkipReason = "not-an-image" | "dangling-link" | "link-loop" | "already-listed"

/**
 * Add a local image absent from the model.
 *
 * @since 0.1.0
 * @category plan
 */
export interface Add {
  readonly _tag: "Add"
  readonly name: string
  readonly sha256?: string | undefined
  /** Set when the image is over the request limit and will be fitted under it before it is sent. */
  readonly fit?: Fit | undefined
}

/**
 * An image over the request limit that a fitter will downscale or recompress before it is sent: its size as
 * it is, its JSON body as it is, the limit, and the largest image (`maxImageBytes`) whose body fits.
 *
 * @since 0.1.0
 * @category plan
 */
export interface Fit {
  readonly bytes: number
  readonly requestBytes: number
  readonly maxRequestBytes: number
  readonly maxImageBytes: number
}

/**
 * What was sent for a fitted image: its size, dimensions and media type as it is (`bytes`, `width`,
 * `height`, `mediaType`) and as sent (`sentBytes`, `sentWidth`, `sentHeight`, `sentMediaType`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Fitted {
  readonly bytes: number
  readonly width: number
  readonly height: number
  readonly mediaType: string
  readonly sentBytes: number
  readonly sentWidth: number
  readonly sentHeight: number
  readonly sentMediaType: string
}

/**
 * Add existing assets, at most 10 per request.
 *
 * @since 0.1.0
 * @category plan
 */
export interface AddAssets {
  readonly _tag: "AddAssets"
  readonly assets: ReadonlyArray<{ readonly assetId: string; readonly name: string }>
}

/**
 * Replace the content of a training image whose local content changed (known from the state).
 *
 * @since 0.1.0
 * @category plan
 */
export interface Replace {
  readonly _tag: "Replace"
  readonly name: string
  readonly trainingImageId: string
  readonly sha256?: string | undefined
  /** Set when the image is over the request limit and will be fitted under it before it is sent. */
  readonly fit?: Fit | undefined
}

/**
 * Delete a training image whose name is not in the set, or an extra image holding a name of the set twice.
 *
 * @since 0.1.0
 * @category plan
 */
export interface Delete {
  readonly _tag: "Delete"
  readonly name: string
  readonly trainingImageId: string
  readonly reason: "not-in-set" | "duplicate"
}

/**
 * Leave a training image as it is.
 *
 * @since 0.1.0
 * @category plan
 */
export interface Keep {
  readonly _tag: "Keep"
  readonly name: string
  readonly trainingImageId: string
  readonly sha256?: string | undefined
}

/**
 * Replace the model's pairs (after every other item, names resolved to ids).
 *
 * @since 0.1.0
 * @category plan
 */
export interface SetPairs {
  readonly _tag: "SetPairs"
  readonly pairs: ReadonlyArray<PlannedPair>
}

/**
 * A file of the set that is not sent, and not a failure: its reason says why.
 *
 * @since 0.1.0
 * @category plan
 */
export interface Skip {
  readonly _tag: "Skip"
  readonly name: string
  readonly reason: SkipReason
}

/**
 * An image that cannot be sent: its JSON body (`requestBytes`) is over the request limit. With
 * `trainingImageId`, it would have replaced that training image.
 *
 * @since 0.1.0
 * @category plan
 */
export interface TooLarge {
  readonly _tag: "TooLarge"
  readonly name: string
  readonly bytes: number
  readonly requestBytes: number
  readonly maxRequestBytes: number
  readonly trainingImageId?: string | undefined
}

/**
 * One step of a plan.
 *
 * @since 0.1.0
 * @category plan
 */
export type PlanItem = Add | AddAssets | Replace | Delete | Keep | SetPairs | Skip | TooLarge

/**
 * What was last sent for each name, to detect changed content under the same name. Names are own properties
 * of `images` (any name, `__proto__` included).
 *
 * @since 0.1.0
 * @category models
 */
export interface State {
  readonly modelId: string
  readonly images: { readonly [name: string]: { readonly sha256: string; readonly trainingImageId: string } }
}

/**
 * One problem with a request's params: where it is, and what is wrong.
 *
 * @since 0.1.0
 * @category models
 */
export interface Issue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/**
 * An image of the folder, as the diff sees it.
 *
 * @since 0.1.0
 * @category models
 */
export interface LocalImage {
  readonly name: string
  /** Present when content is tracked (a state was given). */
  readonly sha256?: string | undefined
  /** Present for an existing asset rather than bytes. */
  readonly assetId?: string | undefined
}

/**
 * A training image of the model, as its listing gives it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RemoteImage {
  readonly id: string
  readonly name: string
}

/**
 * A pair of the model, as its listing gives it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RemotePair {
  readonly sourceId?: string | undefined
  readonly targetId?: string | undefined
  readonly instruction?: string | undefined
}

/**
 * A pair with its names resolved to training image ids.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResolvedPair {
  readonly sourceId: string
  readonly targetId: string
  readonly instruction?: string
}

/**
 * How many existing assets one `AddAssets` item carries at most.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_BATCH = MAX_BATCH_ASSETS

/**
 * Every pair must name images of the set; an unknown name is reported by where it is.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkPairs = (names: ReadonlySet<string>, pairs: ReadonlyArray<PlannedPair>): Array<Issue> => {
  const issues: Array<Issue> = []
  pairs.forEach((pair, index) => {
    for (const field of ["source", "target"] as const) {
      if (!names.has(pair[field])) {
        issues.push({ path: ["pairs", index, field], message: `"${pair[field]}" is not an image of the set` })
      }
    }
  })
  return issues
}

const pairKey = (sourceId: string, targetId: string, instruction: string | undefined) =>
  JSON.stringify([sourceId, targetId, instruction ?? null])

/**
 * Whether the pairs, with names resolved to ids, are exactly the model's pairs (order aside).
 *
 * @since 0.1.0
 * @category rules
 */
export const samePairs = (wanted: ReadonlyArray<ResolvedPair>, current: ReadonlyArray<RemotePair>): boolean => {
  if (wanted.length !== current.length) return false
  const keys = new Map<string, number>()
  for (const pair of current) {
    // Without this check a missing id makes a key holding `null`, which no wanted pair (ids are strings) has: with
    // the counts equal, some wanted pair then finds no match, and the answer is `false` all the same.
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, see above
    if (pair.sourceId === undefined || pair.targetId === undefined) return false
    const key = pairKey(pair.sourceId, pair.targetId, pair.instruction)
    keys.set(key, (keys.get(key) ?? 0) + 1)
  }
  for (const pair of wanted) {
    const key = pairKey(pair.sourceId, pair.targetId, pair.instruction)
    const count = keys.get(key) ?? 0
    if (count === 0) return false
    keys.set(key, count - 1)
  }
  return true
}

/**
 * What the diff compares: the folder's images, the model's images and pairs, the last state, the wanted pairs.
 *
 * @since 0.1.0
 * @category models
 */
export interface DiffInput {
  readonly modelId: string
  readonly local: ReadonlyArray<LocalImage>
  readonly remote: ReadonlyArray<RemoteImage>
  readonly remotePairs: ReadonlyArray<RemotePair>
  readonly state?: State | undefined
  readonly pairs?: ReadonlyArray<PlannedPair> | undefined
  readonly deleteOthers?: boolean | undefined
}

// Names in code unit order, whatever the locale.
const byName = (a: { readonly name: string }, b: { readonly name: string }): number => {
  if (a.name < b.name) return -1
  // `Array.prototype.sort` only asks whether the result is below 0: 1 and 0 are told apart by no input.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, see above
  return a.name > b.name ? 1 : 0
}

const withSha = <A extends object>(item: A, sha256: string | undefined): A & { sha256?: string } =>
  sha256 === undefined ? item : { ...item, sha256 }

// A name's entry in a state: an own property only, so that a name such as `constructor` or `__proto__`
// never reads a member of `Object.prototype`.
const stateEntry = (state: State | undefined, name: string) =>
  state !== undefined && Object.hasOwn(state.images, name) ? state.images[name] : undefined

/**
 * The plan's items: local images match training images by name. A present name is kept, unless its content
 * is tracked and differs from what the state says was last sent (then it is replaced). Absent names are
 * added (existing assets in batches of at most 10). With `deleteOthers`, training images whose name is not
 * in the set are deleted, and so are extra images holding a name of the set twice. Pairs are set when they
 * differ from the model's, or name an image still to be added. Items come in name order, pairs last.
 *
 * A list may repeat an entry: one id listed twice is one image (its first entry counts). Duplicates are
 * images under one name with different ids.
 *
 * @since 0.1.0
 * @category rules
 */
export const diff = (input: DiffInput): Array<PlanItem> => {
  const ids = new Set<string>()
  const remote = input.remote.filter((image) => {
    if (ids.has(image.id)) return false
    ids.add(image.id)
    return true
  })
  const remoteByName = new Map<string, string>()
  // Stryker disable next-line ArrayDeclaration: an entry that is no image has no name, is never deleted
  const duplicates: Array<RemoteImage> = []
  for (const image of remote) {
    if (remoteByName.has(image.name)) duplicates.push(image)
    else remoteByName.set(image.name, image.id)
  }
  const seen = new Set<string>()
  const local = [...input.local].sort(byName).filter((image) => {
    if (seen.has(image.name)) return false
    seen.add(image.name)
    return true
  })
  const items: Array<PlanItem> = []
  const assets: Array<{ assetId: string; name: string }> = []
  const added = new Set<string>()
  for (const image of local) {
    const id = remoteByName.get(image.name)
    if (id === undefined) {
      added.add(image.name)
      if (image.assetId !== undefined) assets.push({ assetId: image.assetId, name: image.name })
      else items.push(withSha({ _tag: "Add", name: image.name }, image.sha256))
      continue
    }
    const last = stateEntry(input.state, image.name)
    if (image.sha256 !== undefined && last !== undefined && last.sha256 !== image.sha256) {
      items.push(withSha({ _tag: "Replace", name: image.name, trainingImageId: id }, image.sha256))
    } else {
      items.push(withSha({ _tag: "Keep", name: image.name, trainingImageId: id }, image.sha256))
    }
  }
  for (let i = 0; i < assets.length; i += MAX_BATCH) {
    items.push({ _tag: "AddAssets", assets: assets.slice(i, i + MAX_BATCH) })
  }
  if (input.deleteOthers === true) {
    for (const image of remote) {
      if (!seen.has(image.name)) {
        items.push({ _tag: "Delete", name: image.name, trainingImageId: image.id, reason: "not-in-set" })
      }
    }
    for (const image of duplicates) {
      if (seen.has(image.name)) {
        items.push({ _tag: "Delete", name: image.name, trainingImageId: image.id, reason: "duplicate" })
      }
    }
  }
  if (input.pairs !== undefined) {
    const needsAdded = input.pairs.some((pair) => added.has(pair.source) || added.has(pair.target))
    const resolved = input.pairs.map((pair) => ({
      // A pair's names are checked (`checkPairs`) before a diff: a name the model lacks is one to add, and an add
      // sets the pairs whatever the ids compare to.
      // Stryker disable next-line StringLiteral: equivalent, see above
      sourceId: remoteByName.get(pair.source) ?? "",
      // Stryker disable next-line StringLiteral: equivalent, see above
      targetId: remoteByName.get(pair.target) ?? "",
      // Stryker disable next-line ConditionalExpression: an `instruction: undefined` makes the same key (`?? null`)
      ...(pair.instruction === undefined ? {} : { instruction: pair.instruction })
    }))
    if (needsAdded || !samePairs(resolved, input.remotePairs)) items.push({ _tag: "SetPairs", pairs: input.pairs })
  }
  return items
}

/**
 * How many first bytes tell an image's type (WebP needs 12).
 *
 * @since 0.1.0
 * @category constants
 */
export const HEAD_BYTES = 16

/**
 * An image's size in bytes and its first bytes (at least the first `HEAD_BYTES`, or all of them when there
 * are fewer).
 *
 * @since 0.1.0
 * @category models
 */
export interface ImagePeek {
  readonly size: number
  readonly head: Uint8Array
}

/**
 * Why an image of the set is not sent: skipped (not a failure), or over the request limit (a failure).
 *
 * @since 0.1.0
 * @category models
 */
export type Refusal =
  | { readonly _tag: "Skip"; readonly reason: SkipReason }
  | {
    readonly _tag: "TooLarge"
    readonly bytes: number
    readonly requestBytes: number
    readonly maxRequestBytes: number
  }

/**
 * The refusal of an image from its size and first bytes, or `undefined` when it can be sent: a non-image is
 * skipped, an image whose JSON body would be over `maxRequestBytes` is too large.
 *
 * @since 0.1.0
 * @category rules
 */
export const judge = (input: {
  readonly name: string
  readonly peek: ImagePeek
  readonly maxRequestBytes: number
}): Refusal | undefined => {
  const mediaType = sniff(input.peek.head)
  if (mediaType === undefined) return { _tag: "Skip", reason: "not-an-image" }
  const requestBytes = inlineImageBodySize({ bytes: input.peek.size, mediaType, name: input.name })
  return requestBytes <= input.maxRequestBytes
    ? undefined
    : { _tag: "TooLarge", bytes: input.peek.size, requestBytes, maxRequestBytes: input.maxRequestBytes }
}

/**
 * How an image refused as too large would be fitted instead: to the largest image whose body with its name
 * fits the limit (`RequestBody.maxInlineImageBytes`). `undefined` when not even an empty image would fit
 * (a name longer than the limit): such an image stays too large.
 *
 * @since 0.1.0
 * @category rules
 */
export const fitOf = (name: string, refusal: Refusal): Fit | undefined => {
  if (refusal._tag !== "TooLarge") return undefined
  const maxImageBytes = maxInlineImageBytes({ name, maxRequestBytes: refusal.maxRequestBytes })
  return maxImageBytes <= 0 ? undefined : {
    bytes: refusal.bytes,
    requestBytes: refusal.requestBytes,
    maxRequestBytes: refusal.maxRequestBytes,
    maxImageBytes
  }
}

/**
 * The diff's items with the images to fit marked: an `Add` or a `Replace` of a name in `fits` carries its
 * `fit`. A `Keep` stays kept: what the model holds under the name is what the last run sent.
 *
 * @since 0.1.0
 * @category rules
 */
export const markFits = (items: ReadonlyArray<PlanItem>, fits: ReadonlyMap<string, Fit>): Array<PlanItem> =>
  items.map((item) => {
    if (item._tag !== "Add" && item._tag !== "Replace") return item
    const fit = fits.get(item.name)
    return fit === undefined ? item : { ...item, fit }
  })

/**
 * The media type of an image read for sending that must be fitted first: one whose JSON body with its name
 * is over `maxRequestBytes`. `undefined` for an image that fits, and for bytes that are no image (those go
 * their usual way: sent, or refused as not an image).
 *
 * @since 0.1.0
 * @category rules
 */
export const fitType = (input: {
  readonly name: string
  readonly bytes: Uint8Array
  readonly maxRequestBytes: number
}): ImageMediaType | undefined => {
  const mediaType = sniff(input.bytes)
  // Stryker disable next-line ConditionalExpression: bytes that are no image give their media type: `undefined` too
  return mediaType === undefined ||
      inlineImageBodySize({ bytes: input.bytes.length, mediaType, name: input.name }) <= input.maxRequestBytes
    ? undefined
    : mediaType
}

/**
 * What a fitter returned, as `checkFit` reads it: new bytes and the media type it says they are, with the
 * image's dimensions as fitted (`width`, `height`) and as it was (`sourceWidth`, `sourceHeight`).
 *
 * @since 0.1.0
 * @category models
 */
export interface FitResult {
  readonly bytes: Uint8Array
  readonly mediaType: string
  readonly width: number
  readonly height: number
  readonly sourceWidth: number
  readonly sourceHeight: number
}

/**
 * Why an image cannot be fitted at all: its name alone makes a request over the limit (its budget,
 * `RequestBody.maxInlineImageBytes`, is 0). `undefined` when there is a budget to fit it to.
 *
 * @since 0.1.0
 * @category rules
 */
export const unfittableReason = (input: {
  readonly name: string
  readonly maxRequestBytes: number
}): string | undefined =>
  maxInlineImageBytes(input) <= 0
    ? `its name alone makes a request over the ${input.maxRequestBytes}-byte limit`
    : undefined

/**
 * Why an image was not fitted when the fitter itself failed (threw, died): `detail` is the first line of
 * what it failed with.
 *
 * @since 0.1.0
 * @category rules
 */
export const fitterFailedReason = (detail: string): string => `the fitter failed: ${detail}`

/**
 * The check of a fitter's result, whatever the fitter (one on an image codec, a user's): what is sent must
 * be the image type it says (sniffed from its bytes), its JSON body with the name must be within
 * `maxRequestBytes`, and its dimensions positive integers. Gives what was sent (`Fitted`, with the source's
 * size and media type), or the reason the item fails.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkFit = (
  input: {
    readonly name: string
    readonly bytes: Uint8Array
    readonly mediaType: string
    readonly maxRequestBytes: number
  },
  result: FitResult
):
  | { readonly _tag: "Fitted"; readonly bytes: Uint8Array; readonly fitted: Fitted }
  | { readonly _tag: "Unfit"; readonly reason: string } =>
{
  const { maxRequestBytes, name } = input
  const sentType = result.bytes instanceof Uint8Array ? sniff(result.bytes) : undefined
  if (sentType === undefined || sentType !== result.mediaType) {
    return {
      _tag: "Unfit",
      reason: `the fitter returned bytes that are not the ${String(result.mediaType)} image it said`
    }
  }
  const requestBytes = inlineImageBodySize({ bytes: result.bytes.length, mediaType: sentType, name })
  if (requestBytes > maxRequestBytes) {
    return {
      _tag: "Unfit",
      reason: `the fitter returned ${result.bytes.length} bytes, a ${requestBytes}-byte request, still over the ` +
        `${maxRequestBytes}-byte limit`
    }
  }
  if (![result.width, result.height, result.sourceWidth, result.sourceHeight].every(positiveInteger)) {
    return { _tag: "Unfit", reason: "the fitter returned no valid dimensions" }
  }
  return {
    _tag: "Fitted",
    bytes: result.bytes,
    fitted: {
      bytes: input.bytes.length,
      width: result.sourceWidth,
      height: result.sourceHeight,
      mediaType: input.mediaType,
      sentBytes: result.bytes.length,
      sentWidth: result.width,
      sentHeight: result.height,
      sentMediaType: sentType
    }
  }
}

// Stryker disable next-line ConditionalExpression: `Number.isSafeInteger` is false for anything but a number
const positiveInteger = (n: unknown): boolean => typeof n === "number" && Number.isSafeInteger(n) && n > 0

/**
 * The diff's items with the refused images put right: a refused name the diff would add or keep becomes a
 * `Skip` or a `TooLarge` (a kept name stays kept unless its content is tracked: a tracked image now over
 * the limit is not what was last sent, so its replace is the planned failure), and no training image named
 * like a refused image is deleted: its file is there, only not sendable.
 *
 * @since 0.1.0
 * @category rules
 */
export const refine = (
  items: ReadonlyArray<PlanItem>,
  refused: ReadonlyMap<string, Refusal>,
  state: State | undefined
): Array<PlanItem> =>
  items.flatMap((item): Array<PlanItem> => {
    switch (item._tag) {
      case "Add":
      case "Keep":
      case "Replace": {
        const refusal = refused.get(item.name)
        if (refusal === undefined) return [item]
        if (refusal._tag === "Skip") return [{ _tag: "Skip", name: item.name, reason: refusal.reason }]
        const { _tag, ...sizes } = refusal
        if (item._tag === "Add") return [{ _tag: "TooLarge", name: item.name, ...sizes }]
        if (item._tag === "Keep" && state?.images[item.name] === undefined) return [item]
        return [{ _tag: "TooLarge", name: item.name, ...sizes, trainingImageId: item.trainingImageId }]
      }
      case "Delete":
        return refused.has(item.name) ? [] : [item]
      default:
        return [item]
    }
  })

/**
 * Why a plan's delete is refused: it deletes an id the plan also keeps (or replaces), or it leaves a name of
 * the folder with no image at all.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnsafeDelete {
  readonly name: string
  readonly trainingImageId: string
  readonly reason: "deletes-kept-image" | "leaves-name-empty"
}

/**
 * The last guard before anything is sent: the deletes of a plan that would remove an image the plan keeps,
 * or leave a name of the folder (`folderNames`, and every name the plan keeps, replaces or adds) with no
 * image. A plan made by `diff` never has one; a plan from elsewhere (built by hand, decoded from JSON, made
 * from a list that misbehaved) might.
 *
 * @since 0.1.0
 * @category rules
 */
export const unsafeDeletes = (items: ReadonlyArray<PlanItem>, folderNames: Iterable<string>): Array<UnsafeDelete> => {
  const deleted = new Set<string>()
  const kept = new Set<string>()
  const names = new Set(folderNames)
  for (const item of items) {
    switch (item._tag) {
      case "Delete":
        deleted.add(item.trainingImageId)
        break
      case "Keep":
      case "Replace":
        kept.add(item.trainingImageId)
        names.add(item.name)
        break
      // An added name is always held (below): leaving it out of `names` changes no answer.
      // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, see above
      case "Add":
        names.add(item.name)
        break
      case "TooLarge":
        // A replace planned to fail leaves the image it would have replaced where it is.
        // Stryker disable next-line ConditionalExpression: an `undefined` kept matches no delete (ids are strings)
        if (item.trainingImageId !== undefined) kept.add(item.trainingImageId)
        names.add(item.name)
        break
      // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, an asset's name is held too
      case "AddAssets":
        for (const asset of item.assets) names.add(asset.name)
    }
  }
  // The names that still hold an image once the plan is carried out.
  const held = new Set<string>()
  for (const item of items) {
    if (
      (item._tag === "Keep" || item._tag === "Replace" ||
        (item._tag === "TooLarge" && item.trainingImageId !== undefined)) &&
      !deleted.has(item.trainingImageId!)
    ) held.add(item.name)
    if (item._tag === "Add") held.add(item.name)
    if (item._tag === "AddAssets") { for (const asset of item.assets) held.add(asset.name) }
  }
  const issues: Array<UnsafeDelete> = []
  for (const item of items) {
    if (item._tag !== "Delete") continue
    const { name, trainingImageId } = item
    if (kept.has(trainingImageId)) issues.push({ name, trainingImageId, reason: "deletes-kept-image" })
    if (names.has(name) && !held.has(name)) issues.push({ name, trainingImageId, reason: "leaves-name-empty" })
  }
  return issues
}

/**
 * The message of a plan refused before anything was sent, each unsafe delete told.
 *
 * @since 0.1.0
 * @category messages
 */
export const unsafePlanMessage = (modelId: string, issues: ReadonlyArray<UnsafeDelete>): string => {
  const told = issues.map((issue) =>
    issue.reason === "deletes-kept-image"
      ? `it deletes ${issue.trainingImageId} (${issue.name}), which it also keeps`
      : `deleting ${issue.trainingImageId} leaves ${issue.name}, an image of the folder, with no training image`
  )
  return `The plan for model ${modelId} was refused, nothing was sent: ${told.join("; ")}`
}

/**
 * An item a run carried out, with the training image ids it ended with when it succeeded.
 *
 * @since 0.1.0
 * @category models
 */
export interface Done {
  readonly item: PlanItem
  /** The training image ids the item ended with, when it succeeded. */
  readonly trainingImageIds?: ReadonlyArray<string> | undefined
}

/**
 * The state after a run: what each image of the set holds on the model as far as this run knows. Kept
 * images are recorded with their local content (on a first tracked run that is the assumption that what
 * carries the name holds it); failed items leave their previous entry; deleted names leave the state.
 *
 * @since 0.1.0
 * @category rules
 */
export const nextState = (modelId: string, previous: State | undefined, done: ReadonlyArray<Done>): State => {
  // A Map, turned into an object by `Object.fromEntries` (which defines own properties): assigning
  // `images["__proto__"]` would set the object's prototype instead of adding the name.
  const images = new Map<string, { readonly sha256: string; readonly trainingImageId: string }>(
    previous?.modelId === modelId ? Object.entries(previous.images) : []
  )
  for (const { item, trainingImageIds } of done) {
    switch (item._tag) {
      case "Add":
      case "Replace":
      case "Keep": {
        // Stryker disable next-line ConditionalExpression,StringLiteral: an add has no `trainingImageId` to fall to
        const id = trainingImageIds?.[0] ?? (item._tag === "Add" ? undefined : item.trainingImageId)
        if (trainingImageIds === undefined && item._tag !== "Keep") break
        if (item.sha256 !== undefined && id !== undefined) {
          images.set(item.name, { sha256: item.sha256, trainingImageId: id })
        }
        break
      }
      case "Delete":
        if (trainingImageIds !== undefined && item.reason === "not-in-set") images.delete(item.name)
        break
    }
  }
  return { modelId, images: Object.fromEntries(images) }
}

/**
 * How one item of a plan ended, as far as the state cares: succeeded with the ids it ended with (the new image,
 * the replaced one, the batch's; none for a delete), unchanged, or failed.
 *
 * @since 0.1.0
 * @category models
 */
export type Outcome =
  | { readonly _tag: "Succeeded"; readonly trainingImageIds: ReadonlyArray<string> }
  | { readonly _tag: "Unchanged" }
  | { readonly _tag: "Failed" }

/**
 * The state a run leaves, from the outcomes known so far: `outcomes[i]` is the outcome of `items[i]`, or
 * `undefined` for an item not done (a run interrupted part-way). A kept image holds what the plan says, whether
 * or not the run got to it; then `nextState`'s rules.
 *
 * @since 0.1.0
 * @category rules
 */
export const stateAfter = (
  modelId: string,
  items: ReadonlyArray<PlanItem>,
  previous: State | undefined,
  outcomes: ReadonlyArray<Outcome | undefined>
): State =>
  nextState(
    modelId,
    previous,
    items.flatMap((item, index): Array<Done> => {
      const outcome = outcomes[index]
      // Stryker disable next-line ArrayDeclaration: with no ids `nextState` falls back on the keep's own id
      if (item._tag === "Keep") return [{ item, trainingImageIds: [item.trainingImageId] }]
      if (outcome === undefined) return []
      // A failed or unchanged item has no `trainingImageIds`, and an item done without them changes no entry.
      // Stryker disable next-line ConditionalExpression,ArrayDeclaration: equivalent, see above
      return outcome._tag === "Succeeded" ? [{ item, trainingImageIds: outcome.trainingImageIds }] : [{ item }]
    })
  )

/**
 * A plan's items counted by kind.
 *
 * @since 0.1.0
 * @category models
 */
export interface Summary {
  readonly add: number
  readonly replace: number
  readonly delete: number
  readonly keep: number
  /** Files skipped (`Skip`), not failures. */
  readonly skip: number
  /** Images over the request limit (`TooLarge`): planned failures. */
  readonly tooLarge: number
  /** Adds and replaces of images over the request limit that will be fitted under it (`fit` set). */
  readonly fit: number
  readonly setPairs: boolean
  /** Items that send requests (`add` counts images, asset batches counted per asset). */
  readonly changes: number
}

/**
 * A plan's items counted by kind; `changes` counts what sends requests (adds, replaces, deletes, and the pairs
 * once).
 *
 * @since 0.1.0
 * @category rules
 */
export const summarize = (items: ReadonlyArray<PlanItem>): Summary => {
  let add = 0, replace = 0, del = 0, keep = 0, skip = 0, tooLarge = 0, fit = 0, setPairs = false
  for (const item of items) {
    // Stryker disable next-line ConditionalExpression: no other item carries a `fit`
    if ((item._tag === "Add" || item._tag === "Replace") && item.fit !== undefined) fit++
    switch (item._tag) {
      case "Add":
        add++
        break
      case "AddAssets":
        add += item.assets.length
        break
      case "Replace":
        replace++
        break
      case "Delete":
        del++
        break
      case "Keep":
        keep++
        break
      case "Skip":
        skip++
        break
      case "TooLarge":
        tooLarge++
        break
      case "SetPairs":
        setPairs = true
    }
  }
  return {
    add,
    replace,
    delete: del,
    keep,
    skip,
    tooLarge,
    fit,
    setPairs,
    changes: add + replace + del + (setPairs ? 1 : 0)
  }
}

/**
 * The issue message for bytes that are not a PNG, JPEG, WebP or GIF image.
 *
 * @since 0.1.0
 * @category messages
 */
export const notAnImageMessage = (name: string): string =>
  `${name} is not a PNG, JPEG, WebP or GIF image (judged by its content, not its name)`

/**
 * An image's bytes as the API's inline input: a `data:` URL with the media type sniffed from the bytes (never
 * from a name); `undefined` when they are not a recognised image.
 *
 * @since 0.1.0
 * @category encoding
 */
export const imageDataUrl = (bytes: Uint8Array): string | undefined => {
  const mediaType = sniff(bytes)
  return mediaType === undefined ? undefined : `${dataUrlPrefix(mediaType)}${encodeBase64(bytes)}`
}

/**
 * Whether a run lets the retry loop send a failed request again, on top of its policy: any operation but `add`;
 * an `add` only when it surely was not applied (a 429, or a connection that failed before the request was
 * sent). Any other failure of an add, a 503 included, is found out by listing the model, so that no name is
 * ever added twice.
 *
 * @since 0.1.0
 * @category rules
 */
export const runMayRetry = (failure: Failure, operation: string): boolean =>
  operation !== "add" || failure._tag === "RateLimitError" ||
  (failure._tag === "ConnectionError" && failure.mayHaveReachedServer !== true)

/**
 * Why an image source could not be read, from the kind of the file system's failure (`NotFound`,
 * `PermissionDenied`, …; `undefined` when it has none).
 *
 * @since 0.1.0
 * @category messages
 */
export const unreadableReason = (systemReason: string | undefined): string =>
  systemReason === "NotFound"
    ? "no such file or folder"
    : systemReason === "PermissionDenied"
    ? "permission denied"
    : "could not be read"

/**
 * A link whose target cannot be read (a `stat` through it failed): a link to nothing when the failure says
 * `NotFound`, otherwise a loop of links.
 *
 * @since 0.1.0
 * @category rules
 */
export const brokenLinkReason = (systemReason: string | undefined): "dangling-link" | "link-loop" =>
  systemReason === "NotFound" ? "dangling-link" : "link-loop"

/**
 * Why reading a link skipped by the folder walk fails, by its skip reason.
 *
 * @since 0.1.0
 * @category messages
 */
export const SKIPPED_LINK_REASONS: Readonly<Record<Exclude<SkipReason, "not-an-image">, string>> = {
  "dangling-link": "a symbolic link to nothing",
  "link-loop": "a symbolic link that loops",
  "already-listed": "a symbolic link to a folder already listed"
}

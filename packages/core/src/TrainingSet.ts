/**
 * A folder of images (and, maybe, before/after pairs) kept as a model's training set: `plan` computes what
 * must change as a value (printable, JSON-encodable, testable without I/O), `apply` carries it out with
 * bounded concurrency, one pace for the whole run, reconciliation of adds whose outcome is unknown, and a
 * report where every planned item has exactly one outcome. Works over any `TrainingImages`: HTTP or the fake.
 *
 * ```ts
 * import { TrainingSet } from "@effect-scenario/core"
 * import { Effect } from "effect"
 *
 * const sync = Effect.gen(function*() {
 *   const images = yield* TrainingSet.readFolder("./images")
 *   const plan = yield* TrainingSet.plan({ modelId: "model_123", images, deleteOthers: true })
 *   const report = yield* TrainingSet.apply(plan, images, { concurrency: 8 })
 *   return TrainingSet.isSuccess(report)
 * })
 * ```
 *
 * @since 0.2.0
 */
import * as mediaType from "@effect-scenario/kernel/MediaType"
import * as Files from "@effect-scenario/kernel/TrainingSetFiles"
import { unsafePlanMessage } from "@effect-scenario/kernel/TrainingSetPlan"
import type * as PlanRules from "@effect-scenario/kernel/TrainingSetPlan"
import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Path from "@effect/platform/Path"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import { Fit, Fitted, ImageFitError, type ImageFitter } from "./ImageFitter.js"
import { NamedRecord } from "./internal/namedRecord.js"
import * as internal from "./internal/trainingSet.js"
import * as pullInternal from "./internal/trainingSetPull.js"
import type * as RetryPolicy from "./RetryPolicy.js"
import type * as TrainingImages from "./TrainingImages.js"
import { InvalidRequestError, type ListError, TrainingImagesError } from "./TrainingImagesError.js"

// ---------------------------------------------------------------------------------------------------------
// sources
// ---------------------------------------------------------------------------------------------------------

/**
 * An image source could not be read (a file vanished, a folder is missing, permission denied).
 *
 * @since 0.2.0
 * @category errors
 */
export class ImageSourceError extends Schema.TaggedError<ImageSourceError>("@effect-scenario/core/ImageSourceError")(
  "ImageSourceError",
  {
    /** The file or folder, as given. */
    path: Schema.String,
    reason: Schema.String,
    cause: Schema.optional(Schema.Defect)
  }
) {
  override get message(): string {
    return `${this.path}: ${this.reason}`
  }
}

/**
 * An image given as bytes: read only when it is about to be sent (or hashed), so that a run holds at most
 * `concurrency` images in memory whatever the size of the folder.
 *
 * @since 0.2.0
 * @category models
 */
export interface ImageSource {
  readonly _tag: "ImageSource"
  /** The training image's name: the file name (for a folder, its path below the folder, with `/`). */
  readonly name: string
  /** Where the bytes come from, for messages. */
  readonly path: string
  readonly read: Effect.Effect<Uint8Array, ImageSourceError>
  /**
   * The image's size and first bytes, without reading the rest: with it, `plan` skips a file that is not an
   * image and plans the failure of an image over the request limit, and `apply` refuses such an image
   * without reading it. Set by `readFolder`, `readFiles` and `fromBytes`; a source without it is judged
   * from its bytes when it is sent.
   *
   * @since 0.3.0
   */
  readonly peek?: Effect.Effect<ImagePeek, ImageSourceError> | undefined
  /**
   * Set by `readFolder` on an entry it cannot use (a link to nothing, a loop of links, a link to a folder
   * above it or already listed): `plan` skips it with this reason, and reading it fails.
   *
   * @since 0.3.0
   */
  readonly skip?: SkipReason | undefined
}

/**
 * What `ImageSource.peek` tells: the size in bytes and the first bytes (at least the first 16, or all of
 * them when there are fewer), enough to recognise the image's type.
 *
 * @since 0.3.0
 * @category models
 */
export interface ImagePeek {
  readonly size: number
  readonly head: Uint8Array
}

/**
 * An existing Scenario asset to use as a training image. Assets are added in batches of at most 10.
 *
 * @since 0.2.0
 * @category models
 */
export interface AssetSource {
  readonly _tag: "AssetSource"
  readonly assetId: string
  /** The name its training image carries; defaults to the asset id. */
  readonly name: string
}

/**
 * Where a training image comes from: bytes, or an existing asset.
 *
 * @since 0.2.0
 * @category models
 */
export type Source = ImageSource | AssetSource

/**
 * An image from bytes in memory.
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromBytes = (name: string, bytes: Uint8Array): ImageSource => internal.fromBytes(name, bytes)

/**
 * An image from a reader of its bytes, called when the image is about to be sent.
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromReader = (
  name: string,
  read: Effect.Effect<Uint8Array, ImageSourceError>,
  path: string = name
): ImageSource => ({ _tag: "ImageSource", name, path, read })

/**
 * An existing asset.
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromAsset = (assetId: string, name: string = assetId): AssetSource => ({
  _tag: "AssetSource",
  assetId,
  name
})

/**
 * Which files of a folder are images of the set.
 *
 * @since 0.2.0
 * @category models
 */
export interface FolderOptions {
  /** Descend into sub-folders; names are then paths below the folder (`a/b.png`). Default `false`. */
  readonly recursive?: boolean | undefined
  /** Globs (picomatch syntax) a name must match, e.g. `["**\/*.png"]`. Default: every file. */
  readonly include?: ReadonlyArray<string> | undefined
  /** Globs of names left out. Hidden files (a segment starting with `.`) are always left out. */
  readonly exclude?: ReadonlyArray<string> | undefined
}

/**
 * The files of a folder, sorted by name, through `@effect/platform`'s `FileSystem`. No file is read here:
 * each is read when it is about to be sent (its size and first bytes are read by `plan`, see
 * `ImageSource.peek`). Links are followed, and each folder is entered once: a link to nothing, a loop of
 * links, or a link to a folder above it or already listed is returned as a source with `skip` set (since
 * 0.3.0; it used to fail the whole folder, or never end with `recursive`), which `plan` skips.
 *
 * @since 0.2.0
 * @category constructors
 */
export const readFolder: (
  folder: string,
  options?: FolderOptions
) => Effect.Effect<Array<ImageSource>, ImageSourceError, FileSystem.FileSystem | Path.Path> = internal.readFolder

/**
 * Single files, each named by its base name.
 *
 * @since 0.2.0
 * @category constructors
 */
export const readFiles: (
  paths: ReadonlyArray<string>
) => Effect.Effect<Array<ImageSource>, ImageSourceError, FileSystem.FileSystem | Path.Path> = internal.readFiles

/**
 * The media types recognised from an image's bytes: PNG, JPEG, WebP and GIF.
 *
 * @since 0.2.0
 * @category models
 */
export type ImageMediaType = mediaType.ImageMediaType

/**
 * The media type from the image's signature bytes, never from its name; `undefined` when it is none of
 * PNG, JPEG, WebP or GIF.
 *
 * @since 0.2.0
 * @category encoding
 */
export const sniffMediaType: (bytes: Uint8Array) => ImageMediaType | undefined = mediaType.sniff

/**
 * The API's inline image input for bytes: a `data:` URL with the sniffed media type and the name. Bytes that
 * are not a recognised image fail with an `InvalidRequestError` naming the file.
 *
 * @since 0.2.0
 * @category encoding
 */
export const toImageInput: (
  name: string,
  bytes: Uint8Array,
  operation?: "add" | "replace"
) => Either.Either<{ readonly data: string; readonly name: string }, InvalidRequestError> = internal.toImageInput

// ---------------------------------------------------------------------------------------------------------
// plan
// ---------------------------------------------------------------------------------------------------------

/**
 * A before/after pair by image names: `source` becomes `target` as `instruction` says.
 *
 * @since 0.2.0
 * @category models
 */
export const PlannedPair = Schema.Struct({
  source: Schema.String,
  target: Schema.String,
  instruction: Schema.optional(Schema.String)
})

/**
 * @since 0.2.0
 * @category models
 */
export type PlannedPair = typeof PlannedPair.Type

/**
 * Add a local image absent from the model.
 *
 * @since 0.2.0
 * @category plan
 */
export const Add = Schema.TaggedStruct("Add", {
  name: Schema.String,
  sha256: Schema.optional(Schema.String),
  /** Since 0.3.0: the image is over the request limit and will be fitted under it (a fitter was given). */
  fit: Schema.optional(Fit)
})

/**
 * Add existing assets, at most 10 per request.
 *
 * @since 0.2.0
 * @category plan
 */
export const AddAssets = Schema.TaggedStruct("AddAssets", {
  assets: Schema.Array(Schema.Struct({ assetId: Schema.String, name: Schema.String }))
})

/**
 * Replace the content of a training image whose local content changed (known from the state).
 *
 * @since 0.2.0
 * @category plan
 */
export const Replace = Schema.TaggedStruct("Replace", {
  name: Schema.String,
  trainingImageId: Schema.String,
  sha256: Schema.optional(Schema.String),
  /** Since 0.3.0: the image is over the request limit and will be fitted under it (a fitter was given). */
  fit: Schema.optional(Fit)
})

/**
 * Delete a training image whose name is not in the set, or an extra image holding a name of the set twice.
 *
 * @since 0.2.0
 * @category plan
 */
export const Delete = Schema.TaggedStruct("Delete", {
  name: Schema.String,
  trainingImageId: Schema.String,
  reason: Schema.Literal("not-in-set", "duplicate")
})

/**
 * Leave a training image as it is.
 *
 * @since 0.2.0
 * @category plan
 */
export const Keep = Schema.TaggedStruct("Keep", {
  name: Schema.String,
  trainingImageId: Schema.String,
  sha256: Schema.optional(Schema.String)
})

/**
 * Replace the model's pairs (after every other item, names resolved to ids).
 *
 * @since 0.2.0
 * @category plan
 */
export const SetPairs = Schema.TaggedStruct("SetPairs", { pairs: Schema.Array(PlannedPair) })

/**
 * Why a file of the set is skipped: not an image (judged by its first bytes), a symbolic link to nothing, a
 * loop of links (or a link to a folder above it), or a link to a folder already listed.
 *
 * @since 0.3.0
 * @category plan
 */
export const SkipReason = Schema.Literal("not-an-image", "dangling-link", "link-loop", "already-listed")

/**
 * @since 0.3.0
 * @category plan
 */
export type SkipReason = typeof SkipReason.Type

/**
 * A file of the set that is not sent, and not a failure: its reason says why. A training image of the same
 * name is left as it is, even with `deleteOthers`.
 *
 * @since 0.3.0
 * @category plan
 */
export const Skip = Schema.TaggedStruct("Skip", { name: Schema.String, reason: SkipReason })

/**
 * An image that cannot be sent: its JSON body (`requestBytes`: base64 is 4/3 of its `bytes`) is over the
 * request limit. Judged from its size before it is read; a planned failure, the item fails at apply without
 * reading it. With `trainingImageId`, it would have replaced that training image (its content is tracked
 * and changed); a training image of the same name is never deleted for it.
 *
 * @since 0.3.0
 * @category plan
 */
export const TooLarge = Schema.TaggedStruct("TooLarge", {
  name: Schema.String,
  bytes: Schema.Number,
  requestBytes: Schema.Number,
  maxRequestBytes: Schema.Number,
  trainingImageId: Schema.optional(Schema.String)
})

/**
 * One step of a plan: `Add`, `AddAssets`, `Replace`, `Delete`, `Keep`, `SetPairs`, and since 0.3.0 `Skip`
 * and `TooLarge`.
 *
 * @since 0.2.0
 * @category plan
 */
export const PlanItem = Schema.Union(Add, AddAssets, Replace, Delete, Keep, SetPairs, Skip, TooLarge)

/**
 * @since 0.2.0
 * @category plan
 */
export type PlanItem = typeof PlanItem.Type

/**
 * What was last sent for each name, to detect changed content under the same name. `images` is a JSON
 * object by name; any name round-trips through it (`__proto__` and `constructor` included: since 0.3.0 the
 * names are read and written as own properties).
 *
 * @since 0.2.0
 * @category models
 */
export const State = Schema.Struct({
  modelId: Schema.String,
  images: NamedRecord(Schema.Struct({ sha256: Schema.String, trainingImageId: Schema.String }))
})

/**
 * @since 0.2.0
 * @category models
 */
export type State = typeof State.Type

/**
 * Everything a run will do, item by item. Encode it with `Schema.encode(Plan)` (or print it) for a dry run.
 *
 * @since 0.2.0
 * @category plan
 */
export const Plan = Schema.Struct({
  modelId: Schema.String,
  items: Schema.Array(PlanItem),
  /** Whether content is compared by sha256 (a state was given): then the report carries the next state. */
  tracksContent: Schema.Boolean
})

/**
 * @since 0.2.0
 * @category plan
 */
export type Plan = typeof Plan.Type

/**
 * What `plan` compares: the images of the set (and its pairs) against the model.
 *
 * @since 0.2.0
 * @category models
 */
export interface PlanOptions {
  readonly modelId: string
  readonly images: ReadonlyArray<Source>
  readonly pairs?: ReadonlyArray<PlannedPair> | undefined
  /** Delete training images whose name is not in `images`. Default `false`: nothing is deleted. */
  readonly deleteOthers?: boolean | undefined
  /**
   * The state the last run left: with it, each image is read and hashed (sha256) to detect changed content
   * under a present name. Pass `TrainingSet.emptyState(modelId)` to start tracking.
   */
  readonly state?: State | undefined
  /**
   * A fitter for images over the request limit: with it, such an image is planned as an `Add` (or a
   * `Replace`) with `fit` set, to the size its body allows, rather than as a `TooLarge`, and is hashed like
   * any other when content is tracked (the state keeps the hash of the file, not of what was sent). Give the
   * same fitter to `apply`.
   *
   * @since 0.3.0
   */
  readonly fit?: ImageFitter | undefined
}

/**
 * Lists the model and computes the plan. Each image's size and first bytes (`ImageSource.peek`) decide,
 * before anything is sent, whether it is skipped (not an image, or a link `readFolder` could not follow) or
 * a planned failure (`TooLarge`: over the request limit, the `maxRequestBytes` of `withRequestOptions` in
 * force, else the service's). With a state, reads each other image once (four at a time) to hash it.
 * Pairs naming an image outside the set fail with `InvalidRequestError`.
 *
 * @since 0.2.0
 * @category plan
 */
export const plan: (
  options: PlanOptions
) => Effect.Effect<Plan, ListError | ImageSourceError, TrainingImages.TrainingImages> = internal.plan

/**
 * The plan's items counted by kind.
 *
 * @since 0.2.0
 * @category plan
 */
export const summarize = (plan: Plan): Summary => internal.summarize(plan)

/**
 * A plan's items counted by kind (see `summarize`).
 *
 * @since 0.2.0
 * @category models
 */
export type Summary = PlanRules.Summary

/**
 * A state that tracks nothing yet.
 *
 * @since 0.2.0
 * @category constructors
 */
export const emptyState = (modelId: string): State => ({ modelId, images: {} })

/**
 * The SHA-256 of bytes, as lowercase hex, through Web Crypto (`crypto.subtle`).
 *
 * @since 0.2.0
 * @category encoding
 */
export const sha256: (bytes: Uint8Array) => Effect.Effect<string> = internal.sha256

// ---------------------------------------------------------------------------------------------------------
// apply
// ---------------------------------------------------------------------------------------------------------

/**
 * Why an item failed: a typed error of the service, or its source, or (since 0.3.0) the fitting of its image.
 *
 * @since 0.2.0
 * @category models
 */
export const ItemError = Schema.Union(TrainingImagesError, ImageSourceError, ImageFitError)

/**
 * @since 0.2.0
 * @category models
 */
export type ItemError = typeof ItemError.Type

/**
 * The outcome of one planned item.
 *
 * @since 0.2.0
 * @category models
 */
export const Outcome = Schema.Union(
  Schema.TaggedStruct("Succeeded", {
    /** The ids the item ended with (the new image, the replaced one, the batch's; empty for a delete). */
    trainingImageIds: Schema.Array(Schema.String),
    /** The outcome of an earlier attempt was unknown and was found out by listing the model. */
    reconciled: Schema.Boolean,
    /** Since 0.3.0: the image was fitted under the request limit; what was sent. */
    fitted: Schema.optional(Fitted)
  }),
  Schema.TaggedStruct("Unchanged", {}),
  Schema.TaggedStruct("Failed", { error: ItemError })
)

/**
 * @since 0.2.0
 * @category models
 */
export type Outcome = typeof Outcome.Type

/**
 * Every planned item with its one outcome, in plan order, and the state to keep for the next run.
 *
 * @since 0.2.0
 * @category models
 */
export const Report = Schema.Struct({
  modelId: Schema.String,
  results: Schema.Array(Schema.Struct({ item: PlanItem, outcome: Outcome })),
  state: Schema.optional(State)
})

/**
 * @since 0.2.0
 * @category models
 */
export type Report = typeof Report.Type

/**
 * Whether no item failed.
 *
 * @since 0.2.0
 * @category getters
 */
export const isSuccess = (report: Report): boolean => report.results.every((result) => result.outcome._tag !== "Failed")

/**
 * The state a run leaves, from the outcomes known so far: `outcomes[i]` is the outcome of `plan.items[i]`, or
 * `undefined` for an item not done (a run interrupted part-way). An image added, replaced or kept is recorded
 * with the content it was planned with and its id; a name deleted as not in the set leaves the state; a failed
 * item keeps its previous entry. For a finished run it is the report's `state`; for an interrupted one, what a
 * rerun should start from (`apply`'s `Succeeded` and `Failed` events give the outcomes as they come).
 *
 * @since 0.3.0
 * @category getters
 */
export const stateAfter = (
  plan: Plan,
  previous: State | undefined,
  outcomes: ReadonlyArray<Outcome | undefined>
): State => internal.stateAfter(plan, previous, outcomes)

/**
 * The failed items.
 *
 * @since 0.2.0
 * @category getters
 */
export const failures = (
  report: Report
): Array<{ readonly item: PlanItem; readonly error: ItemError }> =>
  report.results.flatMap((result) =>
    result.outcome._tag === "Failed" ? [{ item: result.item, error: result.outcome.error }] : []
  )

/**
 * What happens during a run, in order. `index` is the item's place in `plan.items`.
 *
 * @since 0.2.0
 * @category models
 */
export type Event =
  | { readonly _tag: "Planned"; readonly plan: Plan }
  | { readonly _tag: "Started"; readonly index: number; readonly item: PlanItem }
  | {
    readonly _tag: "Retried"
    readonly index: number
    readonly item: PlanItem
    readonly error: TrainingImagesError
  }
  | { readonly _tag: "Paused"; readonly index: number; readonly retryAfter: Duration.Duration }
  | { readonly _tag: "Reconciled"; readonly index: number; readonly item: PlanItem; readonly found: boolean }
  | { readonly _tag: "Succeeded"; readonly index: number; readonly item: PlanItem; readonly outcome: Outcome }
  | { readonly _tag: "Failed"; readonly index: number; readonly item: PlanItem; readonly error: ItemError }
  | { readonly _tag: "Finished"; readonly report: Report }

/**
 * How `apply` runs: its concurrency, its pace, its retry policy, and who hears its events.
 *
 * @since 0.2.0
 * @category models
 */
export interface ApplyOptions {
  /** How many requests are in flight at once. Default 4. */
  readonly concurrency?: number | undefined
  /** At most this many requests per second for the whole run (Effect's `RateLimiter`). Default: no limit. */
  readonly rate?: number | undefined
  /**
   * The retry policy of every call of the run. Default `defaultRetryPolicy`. Whatever it is, a 429's
   * Retry-After pauses every worker of the run, not only the one that got it, when it is within the policy's
   * `maxRetryAfter`; a longer wait pauses nobody: the item that got it fails at once with the
   * `RateLimitError`, whose `retryAfter` says when to run again.
   */
  readonly retryPolicy?: RetryPolicy.RetryPolicy | undefined
  /** How many times an add whose outcome was unknown, and found not applied, is sent again. Default 5. */
  readonly maxResends?: number | undefined
  /**
   * How long the model's list may take to show an add (eventual consistency: the API promises no
   * read-after-write). An add whose outcome was unknown is sent again only when a listing made at least this
   * long after its failure still lacks its name; a listing made at once that finds it ends the wait early.
   * Default 5 seconds: longer than the replication delays eventually consistent stores commonly show (under a
   * second, a few at worst), short next to the backoff a failed add already costs; it delays only adds of
   * unknown outcome that a first listing did not find. `0` decides from the first listing.
   *
   * @since 0.3.0
   */
  readonly settleWindow?: Duration.DurationInput | undefined
  /** The state the plan was made with, carried into the report's next state. */
  readonly state?: State | undefined
  /** Called with every event, in order. */
  readonly onEvent?: ((event: Event) => Effect.Effect<void>) | undefined
  /**
   * The fitter of images over the request limit (the one given to `plan`): an `Add` or `Replace` whose image
   * is over the limit when it is read is fitted before it is sent, one image at a time per concurrency slot;
   * its outcome's `fitted` says what was sent. Its result is checked (the media type it says, a body within
   * the limit): a fitter that fails, dies or misses the budget fails that item with an `ImageFitError`.
   * Without it, such an image fails with the request limit's `InvalidRequestError`, unread. A `TooLarge`
   * item stays a planned failure either way.
   *
   * @since 0.3.0
   */
  readonly fit?: ImageFitter | undefined
}

/**
 * The retry policy of a run: the default policy with 5 retries (a run has many calls, and gives up on an
 * item only after a longer effort than a single call would).
 *
 * @since 0.2.0
 * @category constants
 */
export const defaultRetryPolicy: RetryPolicy.RetryPolicy = internal.defaultRetryPolicy

/**
 * A plan `apply` refuses before sending anything: it would delete an image it also keeps (or replaces), or
 * leave a name of the folder with no image at all. `plan` never makes one; a plan built by hand, decoded
 * from elsewhere, or made from a list that misbehaved might. Each issue names the delete at fault.
 *
 * @since 0.3.0
 * @category errors
 */
export class UnsafePlanError extends Schema.TaggedError<UnsafePlanError>("@effect-scenario/core/UnsafePlanError")(
  "UnsafePlanError",
  {
    modelId: Schema.String,
    issues: Schema.NonEmptyArray(Schema.Struct({
      name: Schema.String,
      trainingImageId: Schema.String,
      reason: Schema.Literal("deletes-kept-image", "leaves-name-empty")
    }))
  }
) {
  override get message(): string {
    return unsafePlanMessage(this.modelId, this.issues)
  }
}

/**
 * The `UnsafePlanError` that `apply` would fail with for this plan and these sources, if any: a delete of an
 * id the plan keeps or replaces, or a delete that leaves a name of the sources (or one the plan keeps,
 * replaces or adds) with no image.
 *
 * @since 0.3.0
 * @category plan
 */
export const checkPlan = (plan: Plan, sources: ReadonlyArray<Source>): UnsafePlanError | undefined =>
  internal.checkPlan(plan, sources)

/**
 * Carries out a plan. Adds, replaces and deletes run with bounded concurrency; then the pairs, names
 * resolved to ids. An add whose outcome is unknown (`mayHaveReachedServer`, a 5xx, an undecodable 2xx) is
 * reconciled by listing the model and looking for the name before anything is sent again, and sent again
 * only when the name is still absent a `settleWindow` after the failure (a list may lag), so no name is added
 * twice. Each item's failure is kept in the report. The run itself fails only with `UnsafePlanError`, before
 * anything is sent, for a plan that would delete an image it keeps or leave a name of the folder with none
 * (`checkPlan`). Interrupted, it leaves the model in a state that a new plan and apply complete without
 * duplicates.
 *
 * Since 0.3.0: a `Skip` ends `Unchanged` (its `Started` and `Succeeded` events told, nothing sent), a
 * `TooLarge` fails with the `InvalidRequestError` of the request limit without reading its file, and an
 * image with `peek` is judged again from its size and first bytes before it is read, so that one grown
 * over the limit since the plan fails unread too: a run holds at most `concurrency` images within the limit.
 *
 * @since 0.2.0
 * @category apply
 */
export const apply: (
  plan: Plan,
  sources: ReadonlyArray<Source>,
  options?: ApplyOptions
) => Effect.Effect<Report, UnsafePlanError, TrainingImages.TrainingImages> = internal.apply

/**
 * `apply` as a stream of its events, ending with `Finished` (which carries the report). A plan `apply`
 * refuses fails the stream with `UnsafePlanError` before any event.
 *
 * @since 0.2.0
 * @category apply
 */
export const events: (
  plan: Plan,
  sources: ReadonlyArray<Source>,
  options?: Omit<ApplyOptions, "onEvent">
) => Stream.Stream<Event, UnsafePlanError, TrainingImages.TrainingImages> = internal.events

/**
 * The `InvalidRequestError` for pairs naming images outside the set, if any.
 *
 * @since 0.2.0
 * @category plan
 */
export const checkPairs = (
  names: ReadonlySet<string>,
  pairs: ReadonlyArray<PlannedPair>
): InvalidRequestError | undefined => {
  const issues = internal.checkPairs(names, pairs)
  const [first, ...rest] = issues
  return first === undefined
    ? undefined
    : new InvalidRequestError({ operation: "replacePairs", issues: [first, ...rest] })
}

// ---------------------------------------------------------------------------------------------------------
// pull and copy
// ---------------------------------------------------------------------------------------------------------

/**
 * An image could not be downloaded from its `downloadUrl`: the download host answered outside 2xx
 * (`status`), the connection failed (`transport`), the body was over the limit (`too-large`, `maxBytes`), no
 * answer came in time (`timeout`), or the URL is not an `http:` or `https:` one (`invalid-url`). `url` is
 * the URL without its query, which a download host may sign; for the same reason no cause is kept (the
 * transport's error names the whole URL).
 *
 * @since 0.4.0
 * @category errors
 */
export class DownloadError extends Schema.TaggedError<DownloadError>("@effect-scenario/core/DownloadError")(
  "DownloadError",
  {
    name: Schema.String,
    trainingImageId: Schema.String,
    url: Schema.String,
    reason: Schema.Literal("status", "transport", "too-large", "timeout", "invalid-url"),
    status: Schema.optional(Schema.Number),
    maxBytes: Schema.Number
  }
) {
  override get message(): string {
    return Files.downloadMessage(this)
  }
}

/**
 * A file of the folder is in the way of a pulled image and is left as it is: it holds other bytes
 * (`differs`), it was changed since the last pull wrote it (`changed`), or it is not a file (`not-a-file`).
 * `force` overwrites the first two.
 *
 * @since 0.4.0
 * @category errors
 */
export class FileExistsError extends Schema.TaggedError<FileExistsError>("@effect-scenario/core/FileExistsError")(
  "FileExistsError",
  {
    path: Schema.String,
    /** The training image's name. */
    name: Schema.String,
    reason: Schema.Literal("differs", "changed", "not-a-file")
  }
) {
  override get message(): string {
    return Files.fileExistsMessage(this)
  }
}

/**
 * A file or the folder of a pull could not be created, read or written.
 *
 * @since 0.4.0
 * @category errors
 */
export class FileWriteError extends Schema.TaggedError<FileWriteError>("@effect-scenario/core/FileWriteError")(
  "FileWriteError",
  { path: Schema.String, reason: Schema.String, cause: Schema.optional(Schema.Defect) }
) {
  override get message(): string {
    return `${this.path}: ${this.reason}`
  }
}

/**
 * Why one image of a pull failed.
 *
 * @since 0.4.0
 * @category models
 */
export const PullItemError = Schema.Union(DownloadError, FileExistsError, FileWriteError)

/**
 * @since 0.4.0
 * @category models
 */
export type PullItemError = typeof PullItemError.Type

/**
 * Why a whole pull failed: the model could not be listed, or the folder (or its pairs or state file) could
 * not be written. A `concurrency` or `maxImageBytes` that is not a whole number above 0 is refused first, with
 * an `InvalidRequestError` (one of `ListError`) naming it.
 *
 * @since 0.4.0
 * @category models
 */
export type PullError = ListError | FileWriteError

/**
 * How one image of a pull ended: written (`bytes`, `sha256`), already there and whole (`Unchanged`), or failed.
 *
 * @since 0.4.0
 * @category models
 */
export const PullOutcome = Schema.Union(
  Schema.TaggedStruct("Written", { bytes: Schema.Number, sha256: Schema.String }),
  Schema.TaggedStruct("Unchanged", { sha256: Schema.String }),
  Schema.TaggedStruct("Failed", { error: PullItemError })
)

/**
 * @since 0.4.0
 * @category models
 */
export type PullOutcome = typeof PullOutcome.Type

/**
 * One training image of a pull: its name, the file it went to (below the folder; another than its name when
 * the name is not a portable file name or is taken, see `pullFileNames`), and its outcome.
 *
 * @since 0.4.0
 * @category models
 */
export const PullResult = Schema.Struct({
  name: Schema.String,
  file: Schema.String,
  trainingImageId: Schema.String,
  outcome: PullOutcome
})

/**
 * @since 0.4.0
 * @category models
 */
export type PullResult = typeof PullResult.Type

/**
 * Every training image of the model with its one outcome, in listing order; how many pairs were written to the
 * pairs file, and how many were left out (naming an image the listing lacks).
 *
 * @since 0.4.0
 * @category models
 */
export const PullReport = Schema.Struct({
  modelId: Schema.String,
  folder: Schema.String,
  results: Schema.Array(PullResult),
  pairs: Schema.Number,
  droppedPairs: Schema.Number,
  pairsFile: Schema.String,
  stateFile: Schema.String
})

/**
 * @since 0.4.0
 * @category models
 */
export type PullReport = typeof PullReport.Type

/**
 * What happens during a pull: the model listed, each image done (in the order they end), the report.
 *
 * @since 0.4.0
 * @category models
 */
export type PullEvent =
  | { readonly _tag: "Listed"; readonly modelId: string; readonly images: number }
  | { readonly _tag: "Pulled"; readonly index: number; readonly result: PullResult }
  | { readonly _tag: "PulledAll"; readonly report: PullReport }

/**
 * What `pull` writes where, and how.
 *
 * @since 0.4.0
 * @category models
 */
export interface PullOptions {
  readonly modelId: string
  /** Created when missing. */
  readonly folder: string
  /** Overwrite files that hold other bytes than the image (never without it). Default `false`. */
  readonly force?: boolean | undefined
  /** How many images are downloaded at once (and held in memory). Default 4. */
  readonly concurrency?: number | undefined
  /** The largest image downloaded, in bytes; a larger one fails with `DownloadError`. Default 32 MiB. */
  readonly maxImageBytes?: number | undefined
  /** How long one download may take. Default 2 minutes. */
  readonly timeout?: Duration.DurationInput | undefined
  readonly onEvent?: ((event: PullEvent) => Effect.Effect<void>) | undefined
}

/**
 * The name of the pairs file a pull writes in its folder (hidden): a JSON array of
 * `{ source, target, instruction? }` by file name, which `scenario-training sync --pairs` reads back.
 *
 * @since 0.4.0
 * @category constants
 */
export const PULL_PAIRS_FILE: string = Files.PAIRS_FILE

/**
 * The name of the state file a pull writes in its folder (hidden): a `State` by file name, which
 * `scenario-training sync --state` reads back, and a rerun of the pull uses to skip what it wrote.
 *
 * @since 0.4.0
 * @category constants
 */
export const PULL_STATE_FILE: string = Files.STATE_FILE

/**
 * The file each training image of a listing is pulled to (see the kernel's `TrainingSetFiles.fileNames`):
 * its name when that is a portable file name (no separator, control or reserved character, not hidden, no
 * trailing dot or space, no Windows device name, at most 255 bytes) and no other image holds it, compared
 * without case; else a stable rename (`photo~<id>.png`). Depends only on the listing, so a rerun writes each
 * image where the last one did.
 *
 * @since 0.4.0
 * @category pull
 */
export const pullFileNames = (
  images: ReadonlyArray<{ readonly id: string; readonly name: string }>
): Array<string> => Files.fileNames(images)

/**
 * Writes every training image of a model to a folder, from its `downloadUrl`, with the pairs file and the
 * state file beside them (`PULL_PAIRS_FILE`, `PULL_STATE_FILE`), so that a sync of that folder with them sends
 * nothing past the list. Downloads go through the `HttpClient` in context as it is, never with the service's
 * credentials (they are for the API's origin only), `concurrency` at a time, each at most `maxImageBytes`.
 *
 * Each image goes to its file (`pullFileNames`): nothing is written outside the folder whatever a name holds.
 * A file is written to a temporary file and renamed into place, so a file under its own name is always whole;
 * the state is written every 50 images and at the end (interrupted or not). A rerun skips the files the state
 * knows and finds whole, downloads the others, and leaves a file that holds the same bytes as it is. An
 * existing file holding other bytes is never overwritten without `force`: that image fails with
 * `FileExistsError`. Every image ends with one outcome in the report; the pull itself fails only when the model
 * cannot be listed or the folder, pairs or state cannot be written.
 *
 * @since 0.4.0
 * @category pull
 */
export const pull: (
  options: PullOptions
) => Effect.Effect<
  PullReport,
  PullError,
  TrainingImages.TrainingImages | HttpClient.HttpClient | FileSystem.FileSystem | Path.Path
> = pullInternal.pull

/**
 * A model's training images as image sources, each read from its `downloadUrl` when it is about to be sent
 * (through the `HttpClient` in context, without credentials), and its pairs by name: a folder that is a
 * model, for `plan` and `apply`. A name listed twice is one source (the first listed).
 *
 * @since 0.4.0
 * @category constructors
 */
export const fromModel: (
  modelId: string,
  options?: {
    readonly maxImageBytes?: number | undefined
    readonly timeout?: Duration.DurationInput | undefined
  }
) => Effect.Effect<
  { readonly images: Array<ImageSource>; readonly pairs: Array<PlannedPair> },
  ListError,
  TrainingImages.TrainingImages | HttpClient.HttpClient
> = pullInternal.fromModel

/**
 * What `copy` copies, and how it runs (`apply`'s options).
 *
 * @since 0.4.0
 * @category models
 */
export interface CopyOptions extends ApplyOptions {
  readonly from: string
  readonly to: string
  /** Delete the training images of `to` whose name `from` lacks. Default `false`. */
  readonly deleteOthers?: boolean | undefined
  readonly maxImageBytes?: number | undefined
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * Copies the training images and pairs of one model to another, without a folder: `fromModel`, then `plan`
 * and `apply` with it. Each image is downloaded when it is about to be sent, so a run holds at most
 * `concurrency` images; names the target holds already are kept, so a rerun sends nothing, and an
 * interrupted copy is completed by a rerun without duplicates (`apply`'s guarantees).
 *
 * @since 0.4.0
 * @category apply
 */
export const copy: (
  options: CopyOptions
) => Effect.Effect<
  Report,
  ListError | ImageSourceError | UnsafePlanError,
  TrainingImages.TrainingImages | HttpClient.HttpClient
> = pullInternal.copy

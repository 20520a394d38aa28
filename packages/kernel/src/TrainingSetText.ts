/**
 * The lines a command line prints about a training set, as plain functions over the plain types of
 * `TrainingSetPlan`: what an item is and what was done to it, a failure, a plan's summary, a retry, a pause, an
 * item reconciled, what a sync leaves, an interrupted run, and the speed a progress bar shows. Text from outside
 * (names, ids, server messages) is escaped (`Terminal.escapeControl`), so every line is safe to print. Shared by
 * every command line of either Effect line, so that both word a sync the same way.
 *
 * @since 0.1.0
 */
import { escapeControl } from "./Terminal.js"
import type { Fit, Fitted, PlanItem, SkipReason, Summary } from "./TrainingSetPlan.js"

const SKIP_REASONS: Record<SkipReason, string> = {
  "not-an-image": "not a PNG, JPEG, WebP or GIF image (judged by its first bytes)",
  "dangling-link": "a symbolic link to nothing",
  "link-loop": "a symbolic link that loops",
  "already-listed": "a symbolic link to a folder already listed"
}

// The gateway's "10 MB" is 10 MiB: sizes in MiB (the exact bytes are in the JSON plan).
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

const fitText = (fit: Fit | undefined): string =>
  fit === undefined
    ? ""
    : `, fitted: ${megabytes(fit.bytes)} is over the ${megabytes(fit.maxRequestBytes)} request limit, sent as at most ${
      megabytes(fit.maxImageBytes)
    }`

/**
 * What an item is, as the plan shows it (`add a.png`, `delete b.png (ti_1)`), not escaped: see `itemText`.
 *
 * @since 0.1.0
 * @category items
 */
export const describeItem = (item: PlanItem): string => {
  switch (item._tag) {
    case "Add":
      return `add ${item.name}${fitText(item.fit)}`
    case "AddAssets":
      return `add assets ${item.assets.map((asset) => asset.assetId).join(", ")}`
    case "Replace":
      return `replace ${item.name} (${item.trainingImageId})${fitText(item.fit)}`
    case "Delete":
      return `delete ${item.name} (${item.trainingImageId}${item.reason === "duplicate" ? ", a duplicate" : ""})`
    case "Keep":
      return `keep ${item.name}`
    case "SetPairs":
      return `set ${item.pairs.length} pair${item.pairs.length === 1 ? "" : "s"}`
    case "Skip":
      return `skip ${item.name}: ${SKIP_REASONS[item.reason]}`
    case "TooLarge":
      return `${item.trainingImageId === undefined ? "add" : "replace"} ${item.name} will fail: ${
        megabytes(item.bytes)
      }, a ${megabytes(item.requestBytes)} request, over the ${
        megabytes(item.maxRequestBytes)
      } request limit: downscale it (--fit does) or exclude it`
  }
}

/**
 * What was done to an item (`added a.png (ti_1)`), with the training image ids it got, not escaped: see
 * `doneText`.
 *
 * @since 0.1.0
 * @category items
 */
export const pastTense = (item: PlanItem, ids: ReadonlyArray<string>): string => {
  const idText = ids.length === 0 ? "" : ` (${ids.join(", ")})`
  switch (item._tag) {
    case "Add":
      return `added ${item.name}${idText}`
    case "AddAssets":
      return `added ${item.assets.length} asset${item.assets.length === 1 ? "" : "s"}${idText}`
    case "Replace":
      return `replaced ${item.name}${idText}`
    case "Delete":
      return `deleted ${item.name} (${item.trainingImageId})`
    case "Keep":
      return `kept ${item.name}`
    case "SetPairs":
      return `set ${item.pairs.length} pair${item.pairs.length === 1 ? "" : "s"}`
    case "Skip":
      return `skipped ${item.name}: ${SKIP_REASONS[item.reason]}`
    case "TooLarge":
      return `not sent ${item.name}`
  }
}

// Names, ids and server messages come from outside: every line built from them is escaped as a whole (the
// command's own words hold no control character), here where lines are made rather than in each case.

/**
 * What an item is, ready to print.
 *
 * @since 0.1.0
 * @category lines
 */
export const itemText = (item: PlanItem): string => escapeControl(describeItem(item))

/**
 * What was done to an item, ready to print.
 *
 * @since 0.1.0
 * @category lines
 */
export const doneText = (item: PlanItem, ids: ReadonlyArray<string>): string => escapeControl(pastTense(item, ids))

/**
 * One line per failed item: what it was, and why. Never a stack trace.
 *
 * @since 0.1.0
 * @category lines
 */
export const failureLine = (item: PlanItem, error: { readonly message: string }): string =>
  `FAILED ${itemText(item)}: ${escapeControl(error.message)}`

/**
 * A plan's summary for a model: how many items of each kind.
 *
 * @since 0.1.0
 * @category lines
 */
export const summaryLine = (summary: Summary, modelId: string): string =>
  `Plan for ${
    escapeControl(modelId)
  }: ${summary.add} to add, ${summary.replace} to replace, ${summary.delete} to delete, ${summary.keep} unchanged${
    summary.skip > 0 ? `, ${summary.skip} skipped` : ""
  }${summary.fit > 0 ? `, ${summary.fit} to fit under the request limit` : ""}${
    summary.tooLarge > 0 ? `, ${summary.tooLarge} over the request limit (will fail)` : ""
  }${summary.setPairs ? ", pairs to set" : ""}`

const shortType = (mediaType: string): string =>
  mediaType.startsWith("image/") ? mediaType.slice("image/".length).toUpperCase() : mediaType

/**
 * What was sent for an image fitted under the request limit: its size, dimensions and format as it is, and
 * as sent.
 *
 * @since 0.1.0
 * @category lines
 */
export const fittedLine = (name: string, fitted: Fitted): string =>
  escapeControl(
    `fitted ${name}: ${megabytes(fitted.bytes)} ${fitted.width}x${fitted.height} ${
      shortType(fitted.mediaType)
    } sent as ${megabytes(fitted.sentBytes)} ${fitted.sentWidth}x${fitted.sentHeight} ${
      shortType(fitted.sentMediaType)
    }`
  )

/**
 * An item sent again after a failure, named by its tag.
 *
 * @since 0.1.0
 * @category lines
 */
export const retryLine = (item: PlanItem, error: { readonly _tag: string }): string =>
  `retrying ${itemText(item)} after ${error._tag}`

/**
 * Every worker pausing after a 429; `wait` is the pause as the binding formats a duration.
 *
 * @since 0.1.0
 * @category lines
 */
export const pausedLine = (wait: string): string => `rate limited: every worker pauses ${wait}`

/**
 * An item whose outcome was unknown (its request may have taken effect), and what the model showed.
 *
 * @since 0.1.0
 * @category lines
 */
export const reconciledLine = (item: PlanItem, found: boolean): string =>
  `${itemText(item)}: outcome unknown, ${found ? "found on the model" : "not on the model, sending again"}`

/**
 * What a sync without `--delete` leaves: training images whose name is not in the folder, and extra images
 * holding a name twice. Empty when there are none.
 *
 * @since 0.1.0
 * @category lines
 */
export const leftLines = (left: { readonly notInFolder: number; readonly duplicates: number }): Array<string> => [
  ...(left.notInFolder === 0 ? [] : [
    left.notInFolder === 1
      ? "1 training image on the model is not in the folder: left as it is (--delete removes it)"
      : `${left.notInFolder} training images on the model are not in the folder: left as they are (--delete removes them)`
  ]),
  ...(left.duplicates === 0 ? [] : [
    left.duplicates === 1
      ? "1 training image holds a name another one holds too: left as it is (--delete removes it)"
      : `${left.duplicates} training images hold a name another one holds too: left as they are (--delete removes them)`
  ])
]

/**
 * What an interrupted run did, and that a rerun resumes it.
 *
 * @since 0.1.0
 * @category lines
 */
export const interruptedLine = (counts: {
  readonly succeeded: number
  readonly failed: number
  readonly total: number
}): string =>
  `Interrupted: ${counts.succeeded} succeeded, ${counts.failed} failed, ${
    counts.total - counts.succeeded - counts.failed
  } not done of ${counts.total}; a rerun resumes where this one stopped.`

/**
 * What the speed meter reads of a run's events: their tag, and a failure's tag.
 *
 * @since 0.1.0
 * @category speed
 */
export interface ProgressEvent {
  readonly _tag: string
  readonly error?: { readonly _tag: string } | undefined
}

/**
 * A speed meter, reading the time from `now` (milliseconds).
 *
 * @since 0.1.0
 * @category speed
 */
export interface Speed {
  /** Counts an event: an item whose request was answered. */
  readonly record: (event: ProgressEvent) => void
  /** The speed since the meter was made, ready to show. */
  readonly text: () => string
}

/**
 * The speed a progress bar shows: items whose requests were answered, over the wall time since the run
 * started. A failure refused before anything was sent (a file that is no image, a request over the limit, an
 * image that could not be fitted under it) is no work done, and nothing is shown in the first second: a rate
 * limiter lets a first burst through at once, and 4 answers in 310 ms would read as 12.9/s under `--rate 4`.
 *
 * @since 0.1.0
 * @category speed
 */
export const makeSpeed = (now: () => number): Speed => {
  const started = now()
  let completed = 0
  return {
    record: (event) => {
      if (event._tag === "Succeeded") completed++
      else if (
        event._tag === "Failed" && event.error?._tag !== "InvalidRequestError" &&
        event.error?._tag !== "ImageSourceError" && event.error?._tag !== "ImageFitError"
      ) completed++
    },
    text: () => {
      const seconds = (now() - started) / 1000
      return seconds < 1 ? "- items/s" : `${(completed / seconds).toFixed(1)} items/s`
    }
  }
}

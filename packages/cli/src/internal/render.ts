import type { TrainingImagesError, TrainingSet } from "@effect-scenario/core"
import cliProgress from "cli-progress"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { escapeControl } from "./terminal.js"

/** @internal */
export const describeItem = (item: TrainingSet.PlanItem): string => {
  switch (item._tag) {
    case "Add":
      return `add ${item.name}`
    case "AddAssets":
      return `add assets ${item.assets.map((asset) => asset.assetId).join(", ")}`
    case "Replace":
      return `replace ${item.name} (${item.trainingImageId})`
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
      } request limit: downscale it or exclude it`
  }
}

const SKIP_REASONS: Record<TrainingSet.SkipReason, string> = {
  "not-an-image": "not a PNG, JPEG, WebP or GIF image (judged by its first bytes)",
  "dangling-link": "a symbolic link to nothing",
  "link-loop": "a symbolic link that loops",
  "already-listed": "a symbolic link to a folder already listed"
}

// The gateway's "10 MB" is 10 MiB: sizes in MiB (the exact bytes are in the JSON plan).
const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

const pastTense = (item: TrainingSet.PlanItem, ids: ReadonlyArray<string>): string => {
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
 * @internal
 */
export const itemText = (item: TrainingSet.PlanItem): string => escapeControl(describeItem(item))

const doneText = (item: TrainingSet.PlanItem, ids: ReadonlyArray<string>): string => escapeControl(pastTense(item, ids))

/**
 * One line per failed item: what it was, and why. Never a stack trace.
 *
 * @internal
 */
export const failureLine = (item: TrainingSet.PlanItem, error: TrainingSet.ItemError): string =>
  `FAILED ${itemText(item)}: ${escapeControl(error.message)}`

/** @internal */
export const summaryLine = (summary: TrainingSet.Summary, modelId: string): string =>
  `Plan for ${
    escapeControl(modelId)
  }: ${summary.add} to add, ${summary.replace} to replace, ${summary.delete} to delete, ${summary.keep} unchanged${
    summary.skip > 0 ? `, ${summary.skip} skipped` : ""
  }${summary.tooLarge > 0 ? `, ${summary.tooLarge} over the request limit (will fail)` : ""}${
    summary.setPairs ? ", pairs to set" : ""
  }`

/** @internal */
export interface Renderer {
  readonly onEvent: (event: TrainingSet.Event) => Effect.Effect<void>
  readonly stop: Effect.Effect<void>
}

const retryText = (error: TrainingImagesError.TrainingImagesError): string => error._tag

/**
 * The speed a progress bar shows: items whose requests were answered, over the wall time since the run
 * started. A failure refused before anything was sent (a file that is no image, a request over the limit)
 * is no work done, and nothing is shown in the first second: a rate limiter lets a first burst through at
 * once, and 4 answers in 310 ms would read as 12.9/s under `--rate 4`.
 *
 * @internal
 */
export const makeSpeed = (now: () => number) => {
  const started = now()
  let completed = 0
  return {
    record: (event: TrainingSet.Event): void => {
      if (event._tag === "Succeeded") completed++
      else if (
        event._tag === "Failed" && event.error._tag !== "InvalidRequestError" && event.error._tag !== "ImageSourceError"
      ) completed++
    },
    text: (): string => {
      const seconds = (now() - started) / 1000
      return seconds < 1 ? "- items/s" : `${(completed / seconds).toFixed(1)} items/s`
    }
  }
}

/**
 * On a terminal, a live progress bar on stderr (done/total, rate, retries, ETA) with failures printed above
 * it; elsewhere, one plain line per step on stdout. `quiet` (for `--json`) keeps stdout for the report.
 *
 * @internal
 */
export const makeRenderer = (options: {
  readonly total: number
  readonly tty: boolean
  readonly quiet: boolean
  readonly stream?: NodeJS.WriteStream | undefined
  /** The clock of the speed shown, in milliseconds. Default `Date.now`. */
  readonly now?: (() => number) | undefined
}): Renderer => {
  if (options.tty && options.total > 0) {
    let retries = 0
    const meter = makeSpeed(options.now ?? Date.now)
    const multibar = new cliProgress.MultiBar({
      stream: options.stream ?? process.stderr,
      format: " {bar} {value}/{total} | {speed} | retries {retries} | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 50
    }, cliProgress.Presets.shades_classic)
    const bar = multibar.create(options.total, 0, { retries: 0, speed: meter.text() })
    const speed = () => meter.text()
    return {
      onEvent: (event) =>
        Effect.sync(() => {
          switch (event._tag) {
            case "Retried":
              retries++
              bar.update({ retries, speed: speed() })
              break
            case "Paused":
              multibar.log(`rate limited: every worker pauses ${Duration.format(event.retryAfter)}\n`)
              break
            case "Failed":
              meter.record(event)
              multibar.log(`${failureLine(event.item, event.error)}\n`)
              bar.increment(1, { retries, speed: speed() })
              break
            case "Succeeded":
              meter.record(event)
              if (event.item._tag === "Skip") multibar.log(`${doneText(event.item, [])}\n`)
              bar.increment(1, { retries, speed: speed() })
              break
          }
        }),
      stop: Effect.sync(() => multibar.stop())
    }
  }
  return {
    onEvent: (event) => {
      switch (event._tag) {
        case "Retried":
          return options.quiet
            ? Effect.void
            : Console.log(`retrying ${itemText(event.item)} after ${retryText(event.error)}`)
        case "Paused":
          return options.quiet
            ? Effect.void
            : Console.log(`rate limited: every worker pauses ${Duration.format(event.retryAfter)}`)
        case "Reconciled":
          return options.quiet
            ? Effect.void
            : Console.log(
              `${itemText(event.item)}: outcome unknown, ${
                event.found ? "found on the model" : "not on the model, sending again"
              }`
            )
        case "Succeeded":
          // A skip ends unchanged, and is told: a file of the folder was left out.
          return options.quiet || (event.outcome._tag !== "Succeeded" && event.item._tag !== "Skip")
            ? Effect.void
            : Console.log(
              doneText(event.item, event.outcome._tag === "Succeeded" ? event.outcome.trainingImageIds : [])
            )
        case "Failed":
          return Console.error(failureLine(event.item, event.error))
        default:
          return Effect.void
      }
    },
    stop: Effect.void
  }
}

/**
 * What a sync without `--delete` leaves: training images whose name is not in the folder, and extra images
 * holding a name twice. Empty when there are none.
 *
 * @internal
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

const MINUTE = 60_000

/**
 * When to run again after a 429 asked to wait longer than the retry policy sleeps through: the wait, and
 * the time in UTC (rounded up to the minute, with the date when it is not today's).
 *
 * @internal
 */
export const rerunLine = (wait: Duration.Duration, at: Date, now: Date): string => {
  const time = new Date(Math.ceil(at.getTime() / MINUTE) * MINUTE).toISOString()
  const day = time.slice(0, 10) === now.toISOString().slice(0, 10) ? "" : `${time.slice(0, 10)} `
  const seconds = Duration.seconds(Math.ceil(Duration.toMillis(wait) / 1000))
  return `The server asked to wait ${Duration.format(seconds)}: rerun after ${day}${time.slice(11, 16)} UTC.`
}

/**
 * What an interrupted run did, and that a rerun resumes it.
 *
 * @internal
 */
export const interruptedLine = (counts: {
  readonly succeeded: number
  readonly failed: number
  readonly total: number
}): string =>
  `Interrupted: ${counts.succeeded} succeeded, ${counts.failed} failed, ${
    counts.total - counts.succeeded - counts.failed
  } not done of ${counts.total}; a rerun resumes where this one stopped.`

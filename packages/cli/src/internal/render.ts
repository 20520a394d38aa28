import type { TrainingImagesError, TrainingSet } from "@effect-scenario/core"
import cliProgress from "cli-progress"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

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

/**
 * One line per failed item: what it was, and why. Never a stack trace.
 *
 * @internal
 */
export const failureLine = (item: TrainingSet.PlanItem, error: TrainingSet.ItemError): string =>
  `FAILED ${describeItem(item)}: ${error.message}`

/** @internal */
export const summaryLine = (summary: TrainingSet.Summary, modelId: string): string =>
  `Plan for ${modelId}: ${summary.add} to add, ${summary.replace} to replace, ${summary.delete} to delete, ${summary.keep} unchanged${
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
}): Renderer => {
  if (options.tty && options.total > 0) {
    let retries = 0
    let done = 0
    const started = Date.now()
    const multibar = new cliProgress.MultiBar({
      stream: options.stream ?? process.stderr,
      format: " {bar} {value}/{total} | {speed}/s | retries {retries} | ETA {eta_formatted}",
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      etaBuffer: 50
    }, cliProgress.Presets.shades_classic)
    const bar = multibar.create(options.total, 0, { retries: 0, speed: "0.0" })
    const speed = () => (done / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(1)
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
              done++
              multibar.log(`${failureLine(event.item, event.error)}\n`)
              bar.increment(1, { retries, speed: speed() })
              break
            case "Succeeded":
              done++
              if (event.item._tag === "Skip") multibar.log(`${pastTense(event.item, [])}\n`)
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
            : Console.log(`retrying ${describeItem(event.item)} after ${retryText(event.error)}`)
        case "Paused":
          return options.quiet
            ? Effect.void
            : Console.log(`rate limited: every worker pauses ${Duration.format(event.retryAfter)}`)
        case "Reconciled":
          return options.quiet
            ? Effect.void
            : Console.log(
              `${describeItem(event.item)}: outcome unknown, ${
                event.found ? "found on the model" : "not on the model, sending again"
              }`
            )
        case "Succeeded":
          // A skip ends unchanged, and is told: a file of the folder was left out.
          return options.quiet || (event.outcome._tag !== "Succeeded" && event.item._tag !== "Skip")
            ? Effect.void
            : Console.log(
              pastTense(event.item, event.outcome._tag === "Succeeded" ? event.outcome.trainingImageIds : [])
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

import type { ImageFitter, TrainingSet } from "@effect-scenario/core"
import * as Text from "@effect-scenario/kernel/TrainingSetText"
import cliProgress from "cli-progress"
import * as Console from "effect/Console"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"

export { interruptedLine, itemText, leftLines, makeSpeed, summaryLine } from "@effect-scenario/kernel/TrainingSetText"

// What was sent for an image fitted under the request limit, ready to print.
const fittedOf = (event: Extract<TrainingSet.Event, { readonly _tag: "Succeeded" }>): string | undefined => {
  // Only a succeeded outcome has `fitted`.
  const fitted = (event.outcome as { readonly fitted?: ImageFitter.Fitted | undefined }).fitted
  return fitted !== undefined && (event.item._tag === "Add" || event.item._tag === "Replace")
    ? Text.fittedLine(event.item.name, fitted)
    : undefined
}

/** @internal */
export interface Renderer {
  readonly onEvent: (event: TrainingSet.Event) => Effect.Effect<void>
  readonly stop: Effect.Effect<void>
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
    const meter = Text.makeSpeed(options.now ?? Date.now)
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
              multibar.log(`${Text.pausedLine(Duration.format(event.retryAfter))}\n`)
              break
            case "Failed":
              meter.record(event)
              multibar.log(`${Text.failureLine(event.item, event.error)}\n`)
              bar.increment(1, { retries, speed: speed() })
              break
            case "Succeeded":
              meter.record(event)
              // Stryker disable next-line ArrayDeclaration: a skip's line names no ids, whatever the ids given
              if (event.item._tag === "Skip") multibar.log(`${Text.doneText(event.item, [])}\n`)
              if (fittedOf(event) !== undefined) multibar.log(`${fittedOf(event)}\n`)
              bar.increment(1, { retries, speed: speed() })
              break
          }
        }),
      // cli-progress writes the lines logged above the bar only when it redraws, which its `stop` does not: drawn
      // once more first, or the lines of the last events (a failure of the last item) would never be shown.
      stop: Effect.sync(() => {
        multibar.update()
        multibar.stop()
      })
    }
  }
  return {
    onEvent: (event) => {
      switch (event._tag) {
        case "Retried":
          return options.quiet
            ? Effect.void
            : Console.log(Text.retryLine(event.item, event.error))
        case "Paused":
          return options.quiet
            ? Effect.void
            : Console.log(Text.pausedLine(Duration.format(event.retryAfter)))
        case "Reconciled":
          return options.quiet
            ? Effect.void
            : Console.log(Text.reconciledLine(event.item, event.found))
        case "Succeeded": {
          // A skip ends unchanged, and is told: a file of the folder was left out.
          if (options.quiet || (event.outcome._tag !== "Succeeded" && event.item._tag !== "Skip")) return Effect.void
          const done = Console.log(
            // Stryker disable next-line ArrayDeclaration: only a skip gets here without succeeding; its line names no ids
            Text.doneText(event.item, event.outcome._tag === "Succeeded" ? event.outcome.trainingImageIds : [])
          )
          const fitted = fittedOf(event)
          return fitted === undefined ? done : Effect.zipRight(done, Console.log(fitted))
        }
        case "Failed":
          return Console.error(Text.failureLine(event.item, event.error))
        default:
          return Effect.void
      }
    },
    stop: Effect.void
  }
}

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

/**
 * The `scenario-training` command line: a thin shell over `TrainingSet` (parse with `@effect/cli`, build
 * the layers, run, render).
 *
 * ```sh
 * scenario-training sync ./images --model model_123 --delete --pairs pairs.csv
 * scenario-training sync ./images --model model_demo --emulator
 * ```
 *
 * @since 0.2.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import type * as Command from "@effect/cli/Command"
import type * as Effect from "effect/Effect"
import * as internal from "./internal/cli.js"

/**
 * The root command, with its subcommands `sync`, `list`, `add`, `replace`, `delete` and `pairs`.
 *
 * @since 0.2.0
 * @category commands
 */
export const command: Command.Command<"scenario-training", any, any, any> = internal.command

/**
 * Runs the command line on `argv` (as `process.argv`: the first two entries are skipped) and returns the
 * exit code: 0 only when every item succeeded; 1 when an item or the run failed (one line per failure on
 * stderr, never a stack trace); 2 for bad input (an invalid argument, a missing folder or file, an invalid
 * pairs or state file, a state file that could not be written, two files of one name, `--fit` without sharp
 * installed), refused before any request. The binary exits 130 when interrupted (Ctrl-C), after saying what was done. Text from outside
 * (file names, ids, server messages) is printed with its control characters escaped (`\x1b`, `\u202e`).
 *
 * @since 0.2.0
 * @category running
 */
export const run: (argv: ReadonlyArray<string>) => Effect.Effect<number, never, CliApp.CliApp.Environment> =
  internal.run

/**
 * What `--json` prints on stdout for a run (`sync` without `--dry-run`, `add`, `replace`, `delete`,
 * `pairs`): whether every item succeeded, the totals, and the report with every planned item's outcome.
 *
 * - `totals.planned`: the items that send requests (every item but the unchanged ones);
 *   `succeeded`, `reconciled` (of those succeeded, found by listing after an unknown outcome), `failed`,
 *   `unchanged` (names already on the model, left as they are).
 * - `totals.notInFolder` (`sync` only): training images on the model whose name is not in the folder, left
 *   as they are without `--delete` (0 with it).
 * - `rerunAfter`: when a 429 asked to wait longer than the retry policy sleeps through, the time (ISO 8601)
 *   after which a rerun may go.
 *
 * `sync --dry-run --json` prints the plan (`TrainingSet.Plan`) instead. Control characters that
 * `JSON.stringify` leaves as they are (DEL, C1, bidirectional controls) are written as `\uXXXX` escapes.
 *
 * @since 0.2.0
 * @category models
 */
export const SyncOutput = internal.SyncOutput

/**
 * @since 0.2.0
 * @category models
 */
export type SyncOutput = typeof internal.SyncOutput.Type

/**
 * What `scenario-training pull --json` prints on stdout: whether every image was written or found whole, the
 * totals (`renamed`: images written under another file name than their name), and the report
 * (`TrainingSet.PullReport`). `copy --json` prints a `SyncOutput`, as `sync` does.
 *
 * @since 0.4.0
 * @category models
 */
export const PullOutput = internal.PullOutput

/**
 * @since 0.4.0
 * @category models
 */
export type PullOutput = typeof internal.PullOutput.Type

/**
 * The line printed when credentials are missing: it names the variables to set.
 *
 * @since 0.2.0
 * @category constants
 */
export const MISSING_CREDENTIALS: string = internal.MISSING_CREDENTIALS

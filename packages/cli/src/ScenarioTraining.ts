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
 * exit code: 0 only when every item succeeded, 1 when an item or the run failed (one line per failure on
 * stderr, never a stack trace), 2 for invalid arguments.
 *
 * @since 0.2.0
 * @category running
 */
export const run: (argv: ReadonlyArray<string>) => Effect.Effect<number, never, CliApp.CliApp.Environment> =
  internal.run

/**
 * The line printed when credentials are missing: it names the variables to set.
 *
 * @since 0.2.0
 * @category constants
 */
export const MISSING_CREDENTIALS: string = internal.MISSING_CREDENTIALS

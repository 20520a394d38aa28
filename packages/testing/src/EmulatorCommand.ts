/**
 * The `scenario-emulator` command: the `ScenarioEmulator` served from a terminal until Ctrl-C or SIGTERM,
 * for curl, another language's client, or a consumer test suite that starts it once.
 *
 * ```sh
 * npx scenario-emulator --port 4010
 * npx scenario-emulator --port 4010 --model model_1 --fault-rate 0.2 --fault-seed 7 --faults 429,503,drop-after-apply
 * npx scenario-emulator --port 4010 --list-lag 2s # an added image is listed 2 s after its add
 * npx scenario-emulator --help
 * ```
 *
 * The command itself, with no Effect, is `@effect-scenario/emulator`'s `Command` (its flags, their defaults and
 * checks, the emulator it serves), which both packages' `scenario-emulator` bins run. This module is the same
 * command for an `@effect/cli` application, built from that table; importing it starts nothing.
 *
 * @since 0.1.0
 */
import type * as CliApp from "@effect/cli/CliApp"
import type * as Command from "@effect/cli/Command"
import type * as ValidationError from "@effect/cli/ValidationError"
import type * as Effect from "effect/Effect"
import * as internal from "./internal/emulatorCli.js"

/**
 * The emulator could not start listening. `message` is the one line shown to the user, e.g.
 * `port 4010 is already in use`.
 *
 * @since 0.1.0
 * @category errors
 */
export const EmulatorStartError: typeof internal.EmulatorStartError = internal.EmulatorStartError

/**
 * @since 0.1.0
 * @category errors
 */
export type EmulatorStartError = internal.EmulatorStartError

/**
 * The parsed command line of `scenario-emulator`.
 *
 * @since 0.1.0
 * @category models
 */
export type Arguments = internal.Arguments

/**
 * The command, for embedding in a larger `@effect/cli` application as a subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const command: Command.Command<"scenario-emulator", never, EmulatorStartError, Arguments> = internal.command

/**
 * Runs the command over `process.argv`-shaped arguments (the first two are the runtime and the script). A
 * failure to listen is printed as one line and fails with `EmulatorStartError`; a usage error is printed by
 * `@effect/cli` with the help text.
 *
 * @example
 * ```ts
 * import * as EmulatorCommand from "@effect-scenario/testing/EmulatorCommand"
 * import { NodeContext, NodeRuntime } from "@effect/platform-node"
 * import { Effect } from "effect"
 *
 * EmulatorCommand.run(process.argv).pipe(Effect.provide(NodeContext.layer), NodeRuntime.runMain)
 * ```
 *
 * @since 0.1.0
 * @category running
 */
export const run: (
  argv: ReadonlyArray<string>
) => Effect.Effect<void, EmulatorStartError | ValidationError.ValidationError, CliApp.CliApp.Environment> = internal.run

import * as Terminal from "@effect-scenario/kernel/Terminal"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"

/**
 * How an `@effect/cli` command reads as text; nothing here is specific to one command.
 *
 * Plain text for a command line's output when it is not read on a colour terminal. `@effect/cli` writes its
 * help and its errors with ANSI escapes whatever the output is; a script, a pipe, a CI log or a user with
 * `NO_COLOR` then reads them as noise: run the command under `withPlainTextUnlessColor`.
 *
 * `withDefaultShown`: `@effect/cli` calls an option with a default optional without saying what the default is.
 */

/**
 * Runs `effect` with a `Console` that strips ANSI escapes from what goes to a stream that wants no colour:
 * standard output for `log`, `info` and `debug`, standard error for `error`, `warn` and `trace` (the
 * kernel's `Terminal.plainConsole`).
 *
 * @internal
 */
export const withPlainTextUnlessColor = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  streams: {
    readonly stdout: { readonly isTTY?: boolean | undefined }
    readonly stderr: { readonly isTTY?: boolean | undefined }
    readonly env: Readonly<Record<string, string | undefined>>
  } = { stdout: process.stdout, stderr: process.stderr, env: process.env }
): Effect.Effect<A, E, R> =>
  Effect.consoleWith((console) => Effect.withConsole(effect, Terminal.plainConsole(console, streams)))

/**
 * `Options.withDefault`, and the default said in the option's help (`Default: 4010.`).
 *
 * @internal
 */
export const withDefaultShown =
  <A>(fallback: A, shown: string = String(fallback)) => (self: Options.Options<A>): Options.Options<A> =>
    self.pipe(Options.withDefault(fallback), Options.withDescription(`Default: ${shown}.`))

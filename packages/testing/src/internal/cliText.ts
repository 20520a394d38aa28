import * as Options from "@effect/cli/Options"
import type * as Console from "effect/Console"
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

// Select Graphic Rendition and the other CSI sequences (colours, bold, cursor moves).
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const ANSI_ESCAPE = /\u001b\[[0-9;?]*[A-Za-z]/g

/** @internal */
export const stripAnsi = (text: string): string => text.replace(ANSI_ESCAPE, "")

/**
 * Colours only on a terminal, and not when `NO_COLOR` is set to anything but the empty string (no-color.org).
 *
 * @internal
 */
export const colorsWanted = (
  stream: { readonly isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>
): boolean => stream.isTTY === true && (env.NO_COLOR ?? "") === ""

const plain = (write: (...args: ReadonlyArray<unknown>) => Effect.Effect<void>) => (...args: ReadonlyArray<unknown>) =>
  write(...args.map((arg) => typeof arg === "string" ? stripAnsi(arg) : arg))

/**
 * Runs `effect` with a `Console` that strips ANSI escapes from what goes to a stream that wants no colour:
 * standard output for `log`, `info` and `debug`, standard error for `error`, `warn` and `trace`.
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
): Effect.Effect<A, E, R> => {
  const stdoutPlain = !colorsWanted(streams.stdout, streams.env)
  const stderrPlain = !colorsWanted(streams.stderr, streams.env)
  if (!stdoutPlain && !stderrPlain) return effect
  return Effect.consoleWith((console) => {
    const wrapped: Console.Console = {
      ...console,
      ...(stdoutPlain ? { log: plain(console.log), info: plain(console.info), debug: plain(console.debug) } : {}),
      ...(stderrPlain ? { error: plain(console.error), warn: plain(console.warn), trace: plain(console.trace) } : {})
    }
    return Effect.withConsole(effect, wrapped)
  })
}

/**
 * `Options.withDefault`, and the default said in the option's help (`Default: 4010.`).
 *
 * @internal
 */
export const withDefaultShown =
  <A>(fallback: A, shown: string = String(fallback)) => (self: Options.Options<A>): Options.Options<A> =>
    self.pipe(Options.withDefault(fallback), Options.withDescription(`Default: ${shown}.`))

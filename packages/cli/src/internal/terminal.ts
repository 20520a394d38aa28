// What reaches a terminal: the rules are the kernel's (`Terminal`); here only their binding to Effect's Console.
import * as Terminal from "@effect-scenario/kernel/Terminal"
import * as Effect from "effect/Effect"

export { escapeControl, jsonText } from "@effect-scenario/kernel/Terminal"

/**
 * Runs `effect` with a `Console` whose `log` (stdout) and `error` (stderr) drop colours and styles when
 * that stream is no terminal or `NO_COLOR` is set: `@effect/cli` styles its help and its argument errors
 * whatever the output is. Only the styles go; the text is the same.
 *
 * @internal
 */
export const withStylesWhereWanted = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  options: {
    readonly stdout: { readonly isTTY?: boolean | undefined }
    readonly stderr: { readonly isTTY?: boolean | undefined }
    readonly env: Readonly<Record<string, string | undefined>>
  } = { stdout: process.stdout, stderr: process.stderr, env: process.env }
): Effect.Effect<A, E, R> =>
  Effect.consoleWith((console) => Effect.withConsole(effect, Terminal.plainConsole(console, options)))

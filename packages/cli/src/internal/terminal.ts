// What reaches a terminal: text from outside (file names, server messages, ids) shown with its control
// characters escaped, and the decision to print colours at all. Plain functions, tested without a terminal.
import * as Effect from "effect/Effect"

// C0 (line breaks and tabs included: a name must not start a line of its own), DEL, C1, the line and
// paragraph separators, and the bidirectional embeddings, overrides and isolates (which reorder what follows).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

const hex = (code: number, digits: number) => code.toString(16).padStart(digits, "0")

/**
 * Text from outside, safe to print: each control character becomes a visible escape (`\x1b`, `\x07`,
 * `\u202e`), so that no file name or server message can move the cursor, retitle the terminal, clear it,
 * change colours, or start a line that looks like the command's own. Everything else is left as it is.
 *
 * @internal
 */
export const escapeControl = (text: string): string =>
  text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0)
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`
  })

// JSON.stringify escapes C0 but leaves DEL, C1 and the bidirectional controls as they are.
const JSON_UNESCAPED = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * `JSON.stringify` with no raw control character in its output: those JSON leaves as they are are written
 * as `\uXXXX` escapes (they can only stand inside strings), so the text parses back to the same value.
 *
 * @internal
 */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(JSON_UNESCAPED, (char) => `\\u${hex(char.charCodeAt(0), 4)}`)

/**
 * Whether a stream gets colours and other styles: only a terminal, and only while `NO_COLOR` is unset or
 * empty (https://no-color.org).
 *
 * @internal
 */
export const colorsWanted = (
  stream: { readonly isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>
): boolean => stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "")

// Select Graphic Rendition sequences: the only escapes @effect/cli's help and error renderer writes.
// eslint-disable-next-line no-control-regex -- finding escape sequences is the point
const SGR = /\u001b\[[0-9;]*m/g

/**
 * Text without its colours and styles.
 *
 * @internal
 */
export const stripStyles = (text: string): string => text.replace(SGR, "")

const plainParts = (parts: ReadonlyArray<unknown>) =>
  parts.map((part) => typeof part === "string" ? stripStyles(part) : part)

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
  }
): Effect.Effect<A, E, R> => {
  const plainOut = !colorsWanted(options.stdout, options.env)
  const plainErr = !colorsWanted(options.stderr, options.env)
  if (!plainOut && !plainErr) return effect
  return Effect.flatMap(Effect.console, (console) =>
    Effect.withConsole(effect, {
      ...console,
      log: (...parts) => plainOut ? console.log(...plainParts(parts)) : console.log(...parts),
      error: (...parts) => plainErr ? console.error(...plainParts(parts)) : console.error(...parts)
    }))
}

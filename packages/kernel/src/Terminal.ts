/**
 * What reaches a terminal, as plain functions: text from outside (file names, server messages, ids) shown with
 * its control characters escaped, JSON with none left raw, and whether a stream gets colours at all. Shared by
 * every command line of the project (`scenario-training`, `scenario-emulator`) on either Effect line.
 *
 * @since 0.1.0
 */

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
 * @since 0.1.0
 * @category escaping
 */
export const escapeControl = (text: string): string =>
  text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0)
    // Stryker disable next-line EqualityOperator: equivalent as < 0xff, U+00FF is no control character (never matched)
    return code <= 0xff ? `\\x${hex(code, 2)}` : `\\u${hex(code, 4)}`
  })

// JSON.stringify escapes C0 but leaves DEL, C1 and the bidirectional controls as they are.
const JSON_UNESCAPED = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/**
 * `JSON.stringify(value, null, 2)` with no raw control character in its output: those JSON leaves as they are
 * are written as `\uXXXX` escapes (they can only stand inside strings), so the text parses back to the same
 * value.
 *
 * @since 0.1.0
 * @category escaping
 */
export const jsonText = (value: unknown): string =>
  JSON.stringify(value, null, 2).replace(JSON_UNESCAPED, (char) => `\\u${hex(char.charCodeAt(0), 4)}`)

/**
 * Whether a stream gets colours and other styles: only a terminal, and only while `NO_COLOR` is unset or
 * empty (https://no-color.org).
 *
 * @since 0.1.0
 * @category colours
 */
export const colorsWanted = (
  stream: { readonly isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>
): boolean => stream.isTTY === true && (env.NO_COLOR ?? "") === ""

// Select Graphic Rendition and the other CSI sequences (colours, bold, cursor moves).
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const CSI = /\u001b\[[0-9;?]*[A-Za-z]/g

/**
 * Text without its colours, styles and cursor moves (ANSI CSI sequences).
 *
 * @since 0.1.0
 * @category colours
 */
export const stripStyles = (text: string): string => text.replace(CSI, "")

/**
 * The methods of a console that write to standard output.
 *
 * @since 0.1.0
 * @category colours
 */
export const STDOUT_METHODS = ["log", "info", "debug"] as const

/**
 * The methods of a console that write to standard error.
 *
 * @since 0.1.0
 * @category colours
 */
export const STDERR_METHODS = ["error", "warn", "trace"] as const

/**
 * A console (any object with `log`, `error` and the like, whatever they return) whose methods drop colours
 * and styles from their string arguments for the streams that want none (`colorsWanted`): what a command line
 * runs under when its library styles text whatever the output is. The console itself when both streams want
 * colours.
 *
 * @since 0.1.0
 * @category colours
 */
export const plainConsole = <C extends object>(
  console: C,
  streams: {
    readonly stdout: { readonly isTTY?: boolean | undefined }
    readonly stderr: { readonly isTTY?: boolean | undefined }
    readonly env: Readonly<Record<string, string | undefined>>
  }
): C => {
  const methods = [
    ...(colorsWanted(streams.stdout, streams.env) ? [] : STDOUT_METHODS),
    ...(colorsWanted(streams.stderr, streams.env) ? [] : STDERR_METHODS)
  ]
  if (methods.length === 0) return console
  const source = console as unknown as Record<string, unknown>
  const wrapped: Record<string, unknown> = { ...source }
  for (const name of methods) {
    const method = source[name]
    if (typeof method !== "function") continue
    wrapped[name] = (...parts: ReadonlyArray<unknown>) =>
      method.apply(console, parts.map((part) => typeof part === "string" ? stripStyles(part) : part))
  }
  return wrapped as unknown as C
}

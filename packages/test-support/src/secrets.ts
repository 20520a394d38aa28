/**
 * How the security suites of both lines turn a value into the texts searched for secrets, without Effect:
 * the renderings any Node program may apply to it. Each line's suite adds the renderings of its own Effect
 * (its inspectable formatting, its pretty causes) and searches all of them.
 */
import * as util from "node:util"

/** The text of `render`, or a note that it threw (which the search then covers instead). */
export const safely = (render: () => unknown): string => {
  try {
    return String(render())
  } catch (error) {
    return `(rendering threw: ${String(error)})`
  }
}

/** Every way Node itself turns `value` into text, named. */
export const plainRenderings = (value: unknown): Array<readonly [string, string]> => {
  const all: Array<readonly [string, string]> = [
    ["String", safely(() => String(value))],
    ["util.inspect", safely(() => util.inspect(value, { depth: Infinity, showHidden: true, getters: true }))],
    ["util.format %o", safely(() => util.format("%o", value))],
    ["JSON.stringify", safely(() => JSON.stringify(value))]
  ]
  if (value instanceof Error) {
    all.push(["message", value.message], ["stack", value.stack ?? ""], ["toString", value.toString()])
  }
  return all
}

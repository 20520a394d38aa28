/**
 * Validation rules of the API and their messages, shared by every binding's Schemas and validators.
 *
 * @since 0.1.0
 */

/**
 * How many asset ids one add may carry.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_BATCH_ASSETS = 10

/**
 * The problem with an empty batch.
 *
 * @since 0.1.0
 * @category messages
 */
export const EMPTY_BATCH_PROBLEM = "a batch needs at least one asset id"

/**
 * The problem with a batch of `count` asset ids, if any.
 *
 * @since 0.1.0
 * @category rules
 */
export const batchSizeProblem = (count: number): string | undefined =>
  count < 1
    ? EMPTY_BATCH_PROBLEM
    : count > MAX_BATCH_ASSETS
    ? `a batch holds at most ${MAX_BATCH_ASSETS} asset ids, got ${count}`
    : undefined

/**
 * How a closed set of allowed values is named in a message: `"a", "b" or "c"`.
 *
 * @since 0.1.0
 * @category messages
 */
export const oneOf = (values: ReadonlyArray<unknown>): string => {
  const shown = values.map((value) => typeof value === "bigint" ? `${value}n` : JSON.stringify(value))
  return shown.length <= 1 ? shown.join("") : `${shown.slice(0, -1).join(", ")} or ${shown.at(-1)}`
}

/**
 * The checks every `TrainingImages` implementation runs on its params before doing anything: the HTTP client
 * before sending, the in-memory fake before touching its store. Each returns the params, or the
 * `InvalidRequestError` that lists every problem found.
 *
 * @since 0.1.0
 */
import type * as Result from "effect/Result"
import * as internal from "./internal/validate.js"
import type * as TrainingImage from "./TrainingImage.js"
import type { InvalidRequestError } from "./TrainingImagesError.js"

/**
 * A check of unknown params: the params typed, or the `InvalidRequestError` listing every problem.
 *
 * @since 0.1.0
 * @category models
 */
export type Validator<A> = (input: unknown) => Result.Result<A, InvalidRequestError>

/**
 * Checks the params of `add`.
 *
 * @example
 * ```ts
 * import { Validate } from "@effect-scenario/effect4"
 * import { Result } from "effect"
 *
 * const result = Validate.add({ modelId: "model_1", assetIds: [] })
 * if (Result.isFailure(result)) console.log(result.failure.message) // ... assetIds: a batch needs at least one asset id
 * ```
 *
 * @since 0.1.0
 * @category validators
 */
export const add: Validator<TrainingImage.AddParams> = internal.add

/**
 * Checks the params of `replace`.
 *
 * @since 0.1.0
 * @category validators
 */
export const replace: Validator<TrainingImage.ReplaceParams> = internal.replace

/**
 * Checks the params of `replacePairs`.
 *
 * @since 0.1.0
 * @category validators
 */
export const replacePairs: Validator<TrainingImage.ReplacePairsParams> = internal.replacePairs

const delete_: Validator<TrainingImage.DeleteParams> = internal.delete_

export {
  /**
   * Checks the params of `delete`.
   *
   * @since 0.1.0
   * @category validators
   */
  delete_ as delete
}

/**
 * Checks the params of `list`.
 *
 * @since 0.1.0
 * @category validators
 */
export const list: Validator<TrainingImage.ListParams> = internal.list

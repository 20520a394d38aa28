/**
 * The checks every `TrainingImages` implementation runs on its params before doing anything: the HTTP client
 * before sending, the in-memory fake before touching its store. Each returns the params, or the
 * `InvalidRequestError` that lists every problem found.
 *
 * @since 0.1.0
 */
import type * as Either from "effect/Either"
import * as internal from "./internal/validate.js"
import type * as TrainingImage from "./TrainingImage.js"
import type { InvalidRequestError } from "./TrainingImagesError.js"

/**
 * @since 0.1.0
 * @category models
 */
export type Validator<A> = (input: unknown) => Either.Either<A, InvalidRequestError>

/**
 * @since 0.1.0
 * @category validators
 */
export const add: Validator<TrainingImage.AddParams> = internal.add

/**
 * @since 0.1.0
 * @category validators
 */
export const replace: Validator<TrainingImage.ReplaceParams> = internal.replace

/**
 * @since 0.1.0
 * @category validators
 */
export const replacePairs: Validator<TrainingImage.ReplacePairsParams> = internal.replacePairs

const delete_: Validator<TrainingImage.DeleteParams> = internal.delete_

export {
  /**
   * @since 0.1.0
   * @category validators
   */
  delete_ as delete
}

/**
 * @since 0.1.0
 * @category validators
 */
export const list: Validator<TrainingImage.ListParams> = internal.list

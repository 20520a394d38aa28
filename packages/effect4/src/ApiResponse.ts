/**
 * How a response of the API becomes a value or a typed error: the decoded body of a 2xx, else the error of
 * its status (with its body, request id and requested wait). The HTTP client and the in-memory fake both
 * answer through it, so they cannot drift apart.
 *
 * @since 0.1.0
 */
import type * as Effect from "effect/Effect"
import type * as Result from "effect/Result"
import type * as Schema from "effect/Schema"
import * as internal from "./internal/response.js"
import type * as TrainingImage from "./TrainingImage.js"
import type { Operation, ResponseDecodeError, StatusError } from "./TrainingImagesError.js"

/**
 * The request a response answers, as errors name it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestLine {
  readonly operation: Operation
  readonly method: string
  readonly url: string
}

/**
 * A response: its status, its headers (lower-case names) and its body as text.
 *
 * @since 0.1.0
 * @category models
 */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

/**
 * Decodes the parsed JSON body of a 2xx response.
 *
 * @since 0.1.0
 * @category models
 */
export type Decoder<A> = (json: unknown) => Result.Result<A, Schema.SchemaError>

/**
 * The body of `add` and `replace`: the training image.
 *
 * @since 0.1.0
 * @category decoders
 */
export const decodeTrainingImage: Decoder<TrainingImage.TrainingImage> = internal.decodeTrainingImage

/**
 * The body of `replacePairs`.
 *
 * @since 0.1.0
 * @category decoders
 */
export const decodeReplacePairs: Decoder<TrainingImage.ReplacePairsResult> = internal.decodeReplacePairs

/**
 * The body of `list` (`GET /models/{modelId}`).
 *
 * @since 0.1.0
 * @category decoders
 */
export const decodeModel: Decoder<TrainingImage.ModelTrainingImages> = internal.decodeModel

/**
 * The value of a 2xx response (`undefined` without a decoder, as for `delete`), else the error of its
 * status; a 2xx body that does not decode is a `ResponseDecodeError`.
 *
 * @since 0.1.0
 * @category interpreting
 */
export const interpret: <A>(
  line: RequestLine,
  response: RawResponse,
  decode: Decoder<A> | undefined
) => Effect.Effect<A, StatusError | ResponseDecodeError> = internal.interpret

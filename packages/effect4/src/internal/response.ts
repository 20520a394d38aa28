import * as RequestError from "@effect-scenario/kernel/RequestError"
import { requestedWaitMillis } from "@effect-scenario/kernel/RetryAfter"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import * as TrainingImage from "../TrainingImage.js"
import { fromStatus, type Operation, ResponseDecodeError, type StatusError } from "../TrainingImagesError.js"

/** @internal */
export interface RequestLine {
  readonly operation: Operation
  readonly method: string
  readonly url: string
}

/** @internal */
export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

/** @internal */
export const requestIdOf = RequestError.requestIdOf

/** @internal */
export const keptHeaders = RequestError.keptHeaders

/**
 * The wait a response asks for: `retry-after-ms` (milliseconds), else `retry-after` as seconds or an HTTP
 * date (relative to `now`), following the grammar of `retryAfter.ts`. A date in the past is a wait of zero;
 * anything malformed is no wait at all.
 *
 * @internal
 */
export const retryAfterOf = (
  headers: Readonly<Record<string, string>>,
  now: number
): Duration.Duration | undefined => {
  const millis = requestedWaitMillis(headers, now)
  return millis === undefined ? undefined : Duration.millis(millis)
}

/** The error for a response whose status is outside 2xx. @internal */
export const statusError = (line: RequestLine, response: RawResponse, now: number): StatusError => {
  const retryAfter = retryAfterOf(response.headers, now)
  return fromStatus({
    ...line,
    ...RequestError.responseFacts(response),
    body: RequestError.keptBody(response.text),
    ...(retryAfter === undefined ? {} : { retryAfter })
  })
}

const decodeError = (line: RequestLine, response: RawResponse, issue: string) =>
  new ResponseDecodeError({
    ...line,
    ...RequestError.responseFacts(response),
    ...RequestError.undecodedBody(response.text),
    issue
  })

/** @internal */
export type Decoder<A> = (json: unknown) => Result.Result<A, Schema.SchemaError>

/** Decodes the JSON body of a 2xx response. @internal */
export const decodeBody = <A>(
  line: RequestLine,
  response: RawResponse,
  decode: Decoder<A>
): Result.Result<A, ResponseDecodeError> => {
  const parsed = RequestError.parseJsonBody(response.text)
  if (parsed._tag === "NotJson") return Result.fail(decodeError(line, response, parsed.issue))
  const json = parsed.json
  const result = decode(json)
  return Result.isSuccess(result)
    ? result as Result.Result<A, never>
    : Result.fail(decodeError(line, response, describeIssue(result.failure, json)))
}

// The schema's account of what is wrong, bounded (`RequestError.mismatchIssue`).
const describeIssue = (error: Schema.SchemaError, json: unknown): string =>
  RequestError.mismatchIssue(json, () => formatIssue(error.issue))

const formatIssue = SchemaIssue.makeFormatterDefault()

// Fields the API adds are ignored: Schema's default. The option is left unset rather than written out as
// "ignore": with any `onExcessProperty` given, Schema decodes a struct on its general path (a generator per
// struct, per response) instead of its direct one, for the same result.
const compileDecoder = <S extends Schema.Decoder<unknown>>(schema: S): Decoder<S["Type"]> =>
  Schema.decodeUnknownResult(schema)

const decodeImageResponse = compileDecoder(TrainingImage.TrainingImageResponse)

/** @internal */
export const decodeTrainingImage: Decoder<TrainingImage.TrainingImage> = (json) =>
  Result.map(decodeImageResponse(json), (response) => response.trainingImage)

/** @internal */
export const decodeReplacePairs: Decoder<TrainingImage.ReplacePairsResult> = compileDecoder(
  TrainingImage.ReplacePairsResponse
)

/** @internal */
export const decodeModel: Decoder<TrainingImage.ModelTrainingImages> = compileDecoder(TrainingImage.ModelResponse)

/** A response as the API gives it: the decoded body for 2xx, else the error of its status. @internal */
export const interpret = <A>(
  line: RequestLine,
  response: RawResponse,
  decode: Decoder<A> | undefined
): Effect.Effect<A, StatusError | ResponseDecodeError> => {
  if (response.status >= 200 && response.status < 300) {
    return decode === undefined ? Effect.succeed(undefined as A) : Effect.fromResult(decodeBody(line, response, decode))
  }
  // The clock is read only here: a `retry-after` given as an HTTP date is a wait relative to now.
  return Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(statusError(line, response, now)))
}

import { requestedWaitMillis } from "@effect-scenario/kernel/RetryAfter"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as TrainingImage from "../TrainingImage.js"
import {
  fromStatus,
  MAX_KEPT_BODY,
  type Operation,
  ResponseDecodeError,
  type StatusError
} from "../TrainingImagesError.js"

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

const REQUEST_ID_HEADERS = ["x-request-id", "x-amzn-requestid", "apigw-requestid", "x-amz-apigw-id", "x-amz-request-id"]

// Response headers that can carry session material: kept out of errors, which end up in logs.
const DROPPED_HEADERS = new Set(["set-cookie", "cookie", "authorization", "proxy-authorization"])

/** @internal */
export const requestIdOf = (headers: Readonly<Record<string, string>>): string | undefined => {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name]
    if (value !== undefined && value !== "") return value
  }
  return undefined
}

/** @internal */
export const keptHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const kept: Record<string, string> = {}
  for (const name in headers) {
    if (!DROPPED_HEADERS.has(name)) kept[name] = headers[name]!
  }
  return kept
}

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

/**
 * How deep kept JSON may nest. The API's bodies nest a few levels; past this a subtree is replaced by
 * `TOO_DEEP`, so that rendering an error (logging, `JSON.stringify`, inspecting it) never recurses without
 * bound.
 *
 * @internal
 */
export const MAX_KEPT_DEPTH = 32

/** @internal */
export const TOO_DEEP = `[nested deeper than ${MAX_KEPT_DEPTH} levels]`

const isContainer = (value: unknown): value is object => typeof value === "object" && value !== null

/**
 * `value` with every array or object deeper than `MAX_KEPT_DEPTH` replaced by `TOO_DEEP`, walked without
 * recursion. Values within the limit are returned as they are (no copy).
 *
 * @internal
 */
export const capDepth = (value: unknown): unknown => {
  if (!isContainer(value) || depthWithin(value, MAX_KEPT_DEPTH)) return value
  const copyAt = (node: object, depth: number): unknown => {
    if (depth >= MAX_KEPT_DEPTH) return TOO_DEEP
    // A node is at most MAX_KEPT_DEPTH deep here, so this recursion is bounded.
    if (Array.isArray(node)) return node.map((child) => isContainer(child) ? copyAt(child, depth + 1) : child)
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key]
      out[key] = isContainer(child) ? copyAt(child, depth + 1) : child
    }
    return out
  }
  return copyAt(value, 0)
}

// Whether no container in `value` lies deeper than `limit`, checked with an explicit stack.
const depthWithin = (value: object, limit: number): boolean => {
  const stack: Array<[object, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (!isContainer(child)) continue
      if (depth + 1 >= limit) return false
      stack.push([child, depth + 1])
    }
  }
  return true
}

// The body an error keeps: parsed JSON when it is JSON, else its text (so an empty body is ""); past
// MAX_KEPT_BODY characters only the start of the text, since errors are logged, serialised and held on to.
const parseBody = (text: string): unknown => {
  if (text.length > MAX_KEPT_BODY) return text.slice(0, MAX_KEPT_BODY)
  try {
    return capDepth(JSON.parse(text))
  } catch {
    return text
  }
}

/** The error for a response whose status is outside 2xx. @internal */
export const statusError = (line: RequestLine, response: RawResponse, now: number): StatusError => {
  const retryAfter = retryAfterOf(response.headers, now)
  const requestId = requestIdOf(response.headers)
  return fromStatus({
    ...line,
    status: response.status,
    headers: keptHeaders(response.headers),
    body: parseBody(response.text),
    ...(requestId === undefined ? {} : { requestId }),
    ...(retryAfter === undefined ? {} : { retryAfter })
  })
}

const decodeError = (line: RequestLine, response: RawResponse, issue: string) => {
  const requestId = requestIdOf(response.headers)
  return new ResponseDecodeError({
    ...line,
    status: response.status,
    headers: keptHeaders(response.headers),
    body: response.text.slice(0, MAX_KEPT_BODY),
    bodyLength: response.text.length,
    ...(requestId === undefined ? {} : { requestId }),
    issue
  })
}

/** @internal */
export type Decoder<A> = (json: unknown) => Either.Either<A, ParseResult.ParseError>

/** Decodes the JSON body of a 2xx response. @internal */
export const decodeBody = <A>(
  line: RequestLine,
  response: RawResponse,
  decode: Decoder<A>
): Either.Either<A, ResponseDecodeError> => {
  let json: unknown
  try {
    json = JSON.parse(response.text)
  } catch (error) {
    const reason = response.text === "" ? "the body is empty" : `the body is not JSON (${(error as Error).message})`
    return Either.left(decodeError(line, response, reason))
  }
  const result = decode(json)
  return Either.isRight(result)
    ? result as Either.Either<A, never>
    : Either.left(decodeError(line, response, describeIssue(result.left, json)))
}

/** How long the `issue` of a `ResponseDecodeError` may be. @internal */
export const MAX_ISSUE_LENGTH = 2000

// The schema's account of what is wrong, bounded: formatting it renders the value it found, which for a body
// nesting deeper than the stack allows would throw, and for a large body would be as large.
const describeIssue = (error: ParseResult.ParseError, json: unknown): string => {
  let issue: string
  if (isContainer(json) && !depthWithin(json, MAX_KEPT_DEPTH)) {
    issue = `the body nests deeper than ${MAX_KEPT_DEPTH} levels and does not match the expected shape`
  } else {
    try {
      issue = ParseResult.TreeFormatter.formatErrorSync(error)
    } catch {
      issue = "the body does not match the expected shape"
    }
  }
  return issue.length > MAX_ISSUE_LENGTH ? `${issue.slice(0, MAX_ISSUE_LENGTH)}…` : issue
}

const compileDecoder = <A, I>(schema: Schema.Schema<A, I>): Decoder<A> =>
  // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent, "ignore" is Schema's default (any value but "error" or "preserve" acts as it); written out to say that fields the API adds are ignored
  Schema.decodeUnknownEither(schema, { onExcessProperty: "ignore" })

const decodeImageResponse = compileDecoder(TrainingImage.TrainingImageResponse)

/** @internal */
export const decodeTrainingImage: Decoder<TrainingImage.TrainingImage> = (json) =>
  Either.map(decodeImageResponse(json), (response) => response.trainingImage)

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
    return decode === undefined ? Effect.succeed(undefined as A) : decodeBody(line, response, decode)
  }
  // The clock is read only here: a `retry-after` given as an HTTP date is a wait relative to now.
  return Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.fail(statusError(line, response, now)))
}

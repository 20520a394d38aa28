/**
 * The shape of an image's JSON body, in one place: a client builds the body from it, and a training set
 * computes the size of that body from an image's byte count alone (before reading the image), so that the two
 * cannot disagree.
 *
 * @since 0.1.0
 */
import { encodedLength } from "./Base64.js"

/**
 * What an image's JSON body starts with: the `data` field, its value opened.
 *
 * @since 0.1.0
 * @category constants
 */
export const DATA_HEAD = "{\"data\":\""

/**
 * The JSON after the data URL: its closing quote, then the other fields of the input.
 *
 * @since 0.1.0
 * @category encoding
 */
export const imageBodyTail = (params: {
  readonly assetId?: string | undefined
  readonly assetIds?: ReadonlyArray<string> | undefined
  readonly name?: string | undefined
  readonly preset?: string | undefined
}): string => {
  const fields = imageBodyFields(params)
  return fields === "{}" ? "\"}" : `",${fields.slice(1)}`
}

/**
 * The JSON of the fields other than `data`.
 *
 * @since 0.1.0
 * @category encoding
 */
export const imageBodyFields = (params: {
  readonly assetId?: string | undefined
  readonly assetIds?: ReadonlyArray<string> | undefined
  readonly name?: string | undefined
  readonly preset?: string | undefined
}): string => {
  const rest: Record<string, unknown> = {}
  // Stryker disable ConditionalExpression: equivalent, JSON.stringify leaves out a field set to undefined
  if (params.assetId !== undefined) rest.assetId = params.assetId
  if (params.assetIds !== undefined) rest.assetIds = params.assetIds
  if (params.name !== undefined) rest.name = params.name
  if (params.preset !== undefined) rest.preset = params.preset
  // Stryker restore ConditionalExpression
  return JSON.stringify(rest)
}

/**
 * What comes before the base64 in an image's data URL.
 *
 * @since 0.1.0
 * @category encoding
 */
export const dataUrlPrefix = (mediaType: string): string => `data:${mediaType};base64,`

const utf8 = new TextEncoder()

/**
 * The size in bytes of the JSON body that adds (or replaces) an image of `bytes` bytes inline as a data URL
 * of `mediaType`, with `name`: what the client's request limit is checked against.
 *
 * @since 0.1.0
 * @category sizes
 */
export const inlineImageBodySize = (params: {
  readonly bytes: number
  readonly mediaType: string
  readonly name: string
}): number =>
  DATA_HEAD.length + dataUrlPrefix(params.mediaType).length + encodedLength(params.bytes) +
  utf8.encode(imageBodyTail({ name: params.name })).length

/**
 * The request limit a client holds JSON bodies to by default: 10,485,760 bytes, the body size API Gateway's REST
 * APIs accept (larger bodies are answered 413).
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MAX_REQUEST_BYTES = 10_485_760

/**
 * The JSON body of `replacePairs`: the pairs as a bare array, each with its source and target and, when it has
 * one, its instruction.
 *
 * @since 0.1.0
 * @category bodies
 */
export const pairsBody = (
  pairs: ReadonlyArray<{
    readonly sourceId: string
    readonly targetId: string
    readonly instruction?: string | undefined
  }>
): string =>
  JSON.stringify(pairs.map((pair) =>
    // Stryker disable next-line ConditionalExpression: equivalent, JSON.stringify leaves out an undefined instruction
    pair.instruction === undefined
      ? { sourceId: pair.sourceId, targetId: pair.targetId }
      : { sourceId: pair.sourceId, targetId: pair.targetId, instruction: pair.instruction }
  ))

/**
 * The size in bytes of a JSON body's text, or its length when that is within `limit` even at 3 bytes per UTF-16
 * unit (the most UTF-8 takes): then the length decides as well, without encoding the text. Over the limit the
 * size is exact, for a refusal to report. A limit of 0 always gives the exact size.
 *
 * @since 0.1.0
 * @category sizes
 */
export const textBodySize = (text: string, limit: number): number =>
  // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, the size encoded is within the limit too
  text.length * 3 <= limit ? text.length : utf8.encode(text).length

/**
 * Why a JSON body of `size` bytes is refused under a request limit of `limit` bytes.
 *
 * @since 0.1.0
 * @category sizes
 */
export const requestTooLargeProblem = (size: number, limit: number): string =>
  `the JSON body is ${size} bytes, over the request limit of ${limit} bytes (maxRequestBytes): ` +
  `resize or recompress the image (inline data is base64, 4/3 of the image's bytes)`

/**
 * From this length on, a data URL goes into an image's body as bytes written once (`imageBody`), rather than
 * joined into the text (which a transport would copy again to encode it).
 *
 * @since 0.1.0
 * @category bodies
 */
export const BYTES_FROM_LENGTH = 64 * 1024

/**
 * The JSON body of `add` and `replace`: text, or from `BYTES_FROM_LENGTH` characters of inline data on, its
 * UTF-8 bytes. A data URL needs no escaping (a valid one holds no such character, and only ASCII): it is spliced
 * in rather than run through `JSON.stringify`, which for an image of many megabytes saves a full scan and a
 * copy. (A data URL that is not ASCII, which validation refuses, is escaped as any text.)
 *
 * @since 0.1.0
 * @category bodies
 */
export const imageBody = (params: {
  readonly assetId?: string | undefined
  readonly assetIds?: ReadonlyArray<string> | undefined
  readonly data?: string | undefined
  readonly name?: string | undefined
  readonly preset?: string | undefined
}): string | Uint8Array => {
  if (params.data === undefined) return imageBodyFields(params)
  const tail = imageBodyTail(params)
  const data = params.data
  if (data.length < BYTES_FROM_LENGTH) return DATA_HEAD + data + tail
  const tailBytes = utf8.encode(tail)
  const bytes = new Uint8Array(DATA_HEAD.length + data.length + tailBytes.length)
  utf8.encodeInto(DATA_HEAD, bytes)
  const { read, written } = utf8.encodeInto(data, bytes.subarray(DATA_HEAD.length))
  // Its length is its size in bytes only if it is ASCII, as every valid data URL is.
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: equivalent for every valid data URL (ASCII only)
  if (read !== data.length || written !== data.length) return `{"data":${JSON.stringify(data)}${tail.slice(1)}`
  bytes.set(tailBytes, DATA_HEAD.length + data.length)
  return bytes
}

// The longest media type an image may be sent as: a budget computed with it holds whichever type a fitted
// image ends up in.
const LONGEST_IMAGE_MEDIA_TYPE = "image/jpeg"

/**
 * The largest image, in bytes, whose inline JSON body with `name` stays within `maxRequestBytes`, whatever
 * image media type it is sent as (PNG, JPEG, WebP or GIF): the budget an image is fitted to. `0` when even an
 * empty image would not fit.
 *
 * @since 0.1.0
 * @category sizes
 */
export const maxInlineImageBytes = (params: {
  readonly name: string
  readonly maxRequestBytes: number
}): number => {
  const overhead = inlineImageBodySize({ bytes: 0, mediaType: LONGEST_IMAGE_MEDIA_TYPE, name: params.name })
  const base64 = params.maxRequestBytes - overhead
  // Base64 turns every 3 bytes (the last group padded) into 4 characters.
  // Stryker disable next-line EqualityOperator: equivalent as < 0, no base64 room gives Math.floor(0 / 4) * 3 = 0 too
  return base64 <= 0 ? 0 : Math.floor(base64 / 4) * 3
}

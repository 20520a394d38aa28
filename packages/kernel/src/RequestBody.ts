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
  return base64 <= 0 ? 0 : Math.floor(base64 / 4) * 3
}

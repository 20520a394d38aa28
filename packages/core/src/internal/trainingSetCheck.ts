// What a training set can send, judged before anything is read or sent: an image's first bytes say whether
// it is an image at all, its size whether its request fits the limit. Plain functions over plain values.
import { sniff } from "@effect-scenario/kernel/MediaType"
import { inlineImageBodySize } from "@effect-scenario/kernel/RequestBody"
import type * as TrainingSet from "../TrainingSet.js"

/**
 * How many first bytes tell an image's type (WebP needs 12).
 *
 * @internal
 */
export const HEAD_BYTES = 16

/**
 * Why an image of the set is not sent: skipped (not a failure), or over the request limit (a failure).
 *
 * @internal
 */
export type Refusal =
  | { readonly _tag: "Skip"; readonly reason: TrainingSet.SkipReason }
  | {
    readonly _tag: "TooLarge"
    readonly bytes: number
    readonly requestBytes: number
    readonly maxRequestBytes: number
  }

/**
 * The refusal of an image from its size and first bytes, or `undefined` when it can be sent: a non-image is
 * skipped, an image whose JSON body would be over `maxRequestBytes` is too large.
 *
 * @internal
 */
export const judge = (input: {
  readonly name: string
  readonly peek: TrainingSet.ImagePeek
  readonly maxRequestBytes: number
}): Refusal | undefined => {
  const mediaType = sniff(input.peek.head)
  if (mediaType === undefined) return { _tag: "Skip", reason: "not-an-image" }
  const requestBytes = inlineImageBodySize({ bytes: input.peek.size, mediaType, name: input.name })
  return requestBytes <= input.maxRequestBytes
    ? undefined
    : { _tag: "TooLarge", bytes: input.peek.size, requestBytes, maxRequestBytes: input.maxRequestBytes }
}

/**
 * The diff's items with the refused images put right: a refused name the diff would add or keep becomes a
 * `Skip` or a `TooLarge` (a kept name stays kept unless its content is tracked: a tracked image now over
 * the limit is not what was last sent, so its replace is the planned failure), and no training image named
 * like a refused image is deleted: its file is there, only not sendable.
 *
 * @internal
 */
export const refine = (
  items: ReadonlyArray<TrainingSet.PlanItem>,
  refused: ReadonlyMap<string, Refusal>,
  state: TrainingSet.State | undefined
): Array<TrainingSet.PlanItem> =>
  items.flatMap((item): Array<TrainingSet.PlanItem> => {
    switch (item._tag) {
      case "Add":
      case "Keep":
      case "Replace": {
        const refusal = refused.get(item.name)
        if (refusal === undefined) return [item]
        if (refusal._tag === "Skip") return [{ _tag: "Skip", name: item.name, reason: refusal.reason }]
        const { _tag, ...sizes } = refusal
        if (item._tag === "Add") return [{ _tag: "TooLarge", name: item.name, ...sizes }]
        if (item._tag === "Keep" && state?.images[item.name] === undefined) return [item]
        return [{ _tag: "TooLarge", name: item.name, ...sizes, trainingImageId: item.trainingImageId }]
      }
      case "Delete":
        return refused.has(item.name) ? [] : [item]
      default:
        return [item]
    }
  })

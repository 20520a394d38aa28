/**
 * What an image's size and first bytes say before it is read: not an image (skipped), or a body over the request
 * limit (a planned failure); and the plan put right for the refused names.
 */
import { describe, expect, it } from "vitest"
import { inlineImageBodySize } from "../src/RequestBody.js"
import type * as TrainingSet from "../src/TrainingSetPlan.js"
import { HEAD_BYTES, judge, refine, type Refusal } from "../src/TrainingSetPlan.js"

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

describe("TrainingSet's judgement before reading", () => {
  it("a non-image is skipped whatever its size; an image is too large only over the limit", () => {
    const text = new TextEncoder().encode("not an image, whatever its size")
    expect(judge({ name: "a.png", peek: { size: 1e12, head: text }, maxRequestBytes: 10 })).toEqual({
      _tag: "Skip",
      reason: "not-an-image"
    })
    const head = Uint8Array.from([...PNG, 0, 0, 0, 0, 0, 0, 0, 0]).subarray(0, HEAD_BYTES)
    const size = inlineImageBodySize({ bytes: 1000, mediaType: "image/png", name: "a.png" })
    const peek = { size: 1000, head }
    expect(judge({ name: "a.png", peek, maxRequestBytes: size })).toBeUndefined()
    expect(judge({ name: "a.png", peek, maxRequestBytes: size - 1 })).toEqual({
      _tag: "TooLarge",
      bytes: 1000,
      requestBytes: size,
      maxRequestBytes: size - 1
    })
  })

  it("refused names: a skip or a planned failure in place of an add or a keep, and never a delete", () => {
    const refused = new Map<string, Refusal>([
      ["notes.txt", { _tag: "Skip", reason: "not-an-image" }],
      ["big.png", { _tag: "TooLarge", bytes: 9e6, requestBytes: 12e6, maxRequestBytes: 10e6 }],
      ["tracked.png", { _tag: "TooLarge", bytes: 9e6, requestBytes: 12e6, maxRequestBytes: 10e6 }]
    ])
    const sizes = { bytes: 9e6, requestBytes: 12e6, maxRequestBytes: 10e6 }
    const items: Array<TrainingSet.PlanItem> = [
      { _tag: "Add", name: "a.png" },
      { _tag: "Keep", name: "big.png", trainingImageId: "asset_big" },
      { _tag: "Add", name: "new.png" },
      { _tag: "Keep", name: "notes.txt", trainingImageId: "asset_notes" },
      { _tag: "Keep", name: "tracked.png", trainingImageId: "asset_tracked" },
      { _tag: "Delete", name: "big.png", trainingImageId: "asset_big2", reason: "duplicate" },
      { _tag: "Delete", name: "notes.txt", trainingImageId: "asset_notes2", reason: "duplicate" },
      { _tag: "Delete", name: "old.png", trainingImageId: "asset_old", reason: "not-in-set" }
    ]
    const state = {
      modelId: "model_x",
      images: { "tracked.png": { sha256: "00", trainingImageId: "asset_tracked" } }
    }
    refused.set("new.png", { _tag: "TooLarge", ...sizes })
    expect(refine(items, refused, state)).toEqual([
      { _tag: "Add", name: "a.png" },
      { _tag: "Keep", name: "big.png", trainingImageId: "asset_big" },
      { _tag: "TooLarge", name: "new.png", ...sizes },
      { _tag: "Skip", name: "notes.txt", reason: "not-an-image" },
      { _tag: "TooLarge", name: "tracked.png", ...sizes, trainingImageId: "asset_tracked" },
      { _tag: "Delete", name: "old.png", trainingImageId: "asset_old", reason: "not-in-set" }
    ])
  })
})

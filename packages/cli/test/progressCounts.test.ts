import type { TrainingSet } from "@effect-scenario/core"
import { InvalidRequestError } from "@effect-scenario/core/TrainingImagesError"
import { describe, expect, it } from "@effect/vitest"
import { makeProgress } from "../src/internal/progress.js"

const plan: TrainingSet.Plan = {
  modelId: "m",
  tracksContent: true,
  items: [
    { _tag: "Add", name: "a.png", sha256: "a1" },
    { _tag: "Keep", name: "k.png", trainingImageId: "asset_k", sha256: "k1" },
    { _tag: "Replace", name: "c.png", trainingImageId: "asset_c", sha256: "c2" },
    { _tag: "Delete", name: "e.png", trainingImageId: "asset_e", reason: "not-in-set" },
    { _tag: "Delete", name: "f.png", trainingImageId: "asset_f", reason: "not-in-set" },
    { _tag: "Keep", name: "l.png", trainingImageId: "asset_l", sha256: "l1" }
  ]
}

const previous: TrainingSet.State = {
  modelId: "m",
  images: {
    "c.png": { sha256: "c1", trainingImageId: "asset_c" },
    "e.png": { sha256: "e1", trainingImageId: "asset_e" },
    "f.png": { sha256: "f1", trainingImageId: "asset_f" }
  }
}

const error = new InvalidRequestError({ operation: "add", issues: [{ path: ["data"], message: "not an image" }] })

describe("the counts and state of a run so far", () => {
  it("kept items are not in the total; nothing done counts nothing", () => {
    const progress = makeProgress(plan)
    expect(progress.counts()).toEqual({ succeeded: 0, failed: 0, total: 4 })
    // Before any event the state holds the kept images beside the previous state.
    expect(progress.state(previous)).toEqual({
      modelId: "m",
      images: {
        ...previous.images,
        "k.png": { sha256: "k1", trainingImageId: "asset_k" },
        "l.png": { sha256: "l1", trainingImageId: "asset_l" }
      }
    })
  })

  it("failures are counted apart from successes; an unchanged item is neither; other events count nothing", () => {
    const progress = makeProgress(plan)
    progress.onEvent({ _tag: "Started", index: 0, item: plan.items[0]! })
    progress.onEvent({ _tag: "Failed", index: 0, item: plan.items[0]!, error })
    progress.onEvent({ _tag: "Failed", index: 2, item: plan.items[2]!, error })
    progress.onEvent({ _tag: "Succeeded", index: 3, item: plan.items[3]!, outcome: { _tag: "Unchanged" } })
    progress.onEvent({ _tag: "Retried", index: 4, item: plan.items[4]!, error })
    expect(progress.counts()).toEqual({ succeeded: 0, failed: 2, total: 4 })
    progress.onEvent({
      _tag: "Succeeded",
      index: 4,
      item: plan.items[4]!,
      outcome: { _tag: "Succeeded", trainingImageIds: [], reconciled: false }
    })
    expect(progress.counts()).toEqual({ succeeded: 1, failed: 2, total: 4 })
    // Only the delete that succeeded leaves the state; the failed replace keeps its previous content.
    expect(progress.state(previous).images).toEqual({
      "c.png": { sha256: "c1", trainingImageId: "asset_c" },
      "e.png": { sha256: "e1", trainingImageId: "asset_e" },
      "k.png": { sha256: "k1", trainingImageId: "asset_k" },
      "l.png": { sha256: "l1", trainingImageId: "asset_l" }
    })
  })
})

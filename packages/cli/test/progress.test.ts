import type { TrainingSet } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { makeProgress } from "../src/internal/progress.js"

const plan: TrainingSet.Plan = {
  modelId: "m",
  tracksContent: true,
  items: [
    { _tag: "Add", name: "__proto__", sha256: "a1" },
    { _tag: "Add", name: "b.png", sha256: "b1" },
    { _tag: "Replace", name: "c.png", trainingImageId: "asset_c", sha256: "c2" },
    { _tag: "Keep", name: "d.png", trainingImageId: "asset_d", sha256: "d1" },
    { _tag: "Delete", name: "e.png", trainingImageId: "asset_e", reason: "not-in-set" },
    { _tag: "Delete", name: "f.png", trainingImageId: "asset_f", reason: "not-in-set" }
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

const succeeded = (...ids: Array<string>): TrainingSet.Outcome => ({
  _tag: "Succeeded",
  trainingImageIds: ids,
  reconciled: false
})

describe("the state an interrupted run leaves", () => {
  it("counts the items that send requests, from the events", () => {
    const progress = makeProgress(plan)
    progress.onEvent({ _tag: "Succeeded", index: 1, item: plan.items[1]!, outcome: succeeded("asset_b") })
    progress.onEvent({ _tag: "Started", index: 2, item: plan.items[2]! })
    expect(progress.counts()).toEqual({ succeeded: 1, failed: 0, total: 5 })
    expect(progress.state(previous).images["b.png"]).toEqual({ sha256: "b1", trainingImageId: "asset_b" })
  })
})

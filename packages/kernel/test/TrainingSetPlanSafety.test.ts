/**
 * The rules of a sync that keep a user's images safe: a repeated list entry, the guard against an unsafe plan,
 * any name in the state.
 */
import { describe, expect, it } from "vitest"
import { diff, nextState, stateAfter, summarize, unsafeDeletes } from "../src/TrainingSetPlan.js"

describe("TrainingSet plan rules", () => {
  it("one id listed twice is one image: nothing deleted, each name once", () => {
    const remote = [
      { id: "asset_a", name: "a.png" },
      { id: "asset_a", name: "a.png" },
      { id: "asset_x", name: "x.png" },
      { id: "asset_x", name: "x.png" }
    ]
    const items = diff({
      modelId: "m",
      local: [{ name: "a.png" }],
      remote,
      remotePairs: [],
      deleteOthers: true
    })
    expect(items).toEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "asset_a" },
      { _tag: "Delete", name: "x.png", trainingImageId: "asset_x", reason: "not-in-set" }
    ])
  })

  it("the guard: a delete of a kept id, or of a name's last image, is unsafe; duplicates and others are not", () => {
    const keep = { _tag: "Keep", name: "a.png", trainingImageId: "asset_a" } as const
    expect(
      unsafeDeletes([keep, { _tag: "Delete", name: "a.png", trainingImageId: "asset_a", reason: "duplicate" }], [])
    )
      .toEqual([
        { name: "a.png", trainingImageId: "asset_a", reason: "deletes-kept-image" },
        { name: "a.png", trainingImageId: "asset_a", reason: "leaves-name-empty" }
      ])
    expect(unsafeDeletes([{ _tag: "Delete", name: "b.png", trainingImageId: "asset_b", reason: "not-in-set" }], [
      "b.png"
    ])).toEqual([{ name: "b.png", trainingImageId: "asset_b", reason: "leaves-name-empty" }])
    // A replaced image whose id is deleted: unsafe too.
    expect(
      unsafeDeletes([
        { _tag: "Replace", name: "c.png", trainingImageId: "asset_c" },
        { _tag: "Delete", name: "c.png", trainingImageId: "asset_c", reason: "duplicate" }
      ], ["c.png"]).map((issue) => issue.reason)
    ).toEqual(["deletes-kept-image", "leaves-name-empty"])
    // Safe: an extra copy under a kept name, a name outside the folder, a name that is added again.
    expect(unsafeDeletes([
      keep,
      { _tag: "Delete", name: "a.png", trainingImageId: "asset_a2", reason: "duplicate" },
      { _tag: "Delete", name: "old.png", trainingImageId: "asset_old", reason: "not-in-set" },
      { _tag: "Add", name: "d.png" },
      { _tag: "Delete", name: "d.png", trainingImageId: "asset_d", reason: "not-in-set" },
      { _tag: "AddAssets", assets: [{ assetId: "asset_e0", name: "e.png" }] },
      { _tag: "Delete", name: "e.png", trainingImageId: "asset_e", reason: "not-in-set" }
    ], ["a.png", "d.png", "e.png"])).toEqual([])
  })

  it("any name round-trips through the state: __proto__ and Object.prototype's other members included", () => {
    const names = ["__proto__", "constructor", "hasOwnProperty", "a.png"]
    const state = nextState(
      "m",
      undefined,
      names.map((name, i) => ({
        item: { _tag: "Add", name, sha256: `sha${i}` },
        trainingImageIds: [`asset_${i}`]
      }))
    )
    expect(Object.keys(state.images)).toEqual(names)
    expect(Object.getPrototypeOf(state.images)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(state.images, "__proto__")?.value).toEqual({
      sha256: "sha0",
      trainingImageId: "asset_0"
    })
    const decoded = JSON.parse(JSON.stringify(state))
    expect(Object.keys(decoded.images)).toEqual(names)
    // The next state keeps them, and a deleted one leaves.
    const after = nextState("m", decoded, [{
      item: { _tag: "Delete", name: "__proto__", trainingImageId: "asset_0", reason: "not-in-set" },
      trainingImageIds: []
    }])
    expect(Object.keys(after.images)).toEqual(names.slice(1))
  })
})

describe("TrainingSet plan: the state a run leaves, and a summary", () => {
  const items = [
    { _tag: "Keep", name: "k.png", trainingImageId: "asset_k", sha256: "k" },
    { _tag: "Add", name: "a.png", sha256: "a" },
    { _tag: "Replace", name: "r.png", trainingImageId: "asset_r", sha256: "r2" },
    { _tag: "Delete", name: "old.png", trainingImageId: "asset_old", reason: "not-in-set" },
    { _tag: "AddAssets", assets: [{ assetId: "x", name: "x.png" }, { assetId: "y", name: "y.png" }] },
    { _tag: "Skip", name: "notes.txt", reason: "not-an-image" },
    { _tag: "TooLarge", name: "big.png", bytes: 9, requestBytes: 12, maxRequestBytes: 10 },
    { _tag: "SetPairs", pairs: [] }
  ] as const
  const previous = {
    modelId: "m",
    images: {
      "r.png": { sha256: "r1", trainingImageId: "asset_r" },
      "old.png": { sha256: "o", trainingImageId: "asset_old" }
    }
  }

  it("kept images hold what the plan says even before the run gets to them; failures keep the previous entry", () => {
    expect(stateAfter("m", items, previous, [])).toEqual({
      modelId: "m",
      images: { ...previous.images, "k.png": { sha256: "k", trainingImageId: "asset_k" } }
    })
    const done = stateAfter("m", items, previous, [
      undefined,
      { _tag: "Succeeded", trainingImageIds: ["asset_a"] },
      { _tag: "Failed" },
      { _tag: "Succeeded", trainingImageIds: [] }
    ])
    expect(done.images).toEqual({
      "r.png": { sha256: "r1", trainingImageId: "asset_r" },
      "k.png": { sha256: "k", trainingImageId: "asset_k" },
      "a.png": { sha256: "a", trainingImageId: "asset_a" }
    })
  })

  it("counts by kind; asset batches per asset, the pairs once", () => {
    expect(summarize(items)).toEqual({
      add: 3,
      replace: 1,
      delete: 1,
      keep: 1,
      skip: 1,
      tooLarge: 1,
      fit: 0,
      setPairs: true,
      changes: 6
    })
    expect(summarize([]).changes).toBe(0)
  })
})

/**
 * The rules of a training-set sync that need no I/O: the diff between a folder and a model, the pairs check
 * and comparison, and the state a run leaves behind.
 */
import { describe, expect, it } from "vitest"
import type * as TrainingSet from "../src/TrainingSetPlan.js"
import { checkPairs, diff, type DiffInput, nextState, samePairs } from "../src/TrainingSetPlan.js"

const MODEL = "model_plan"

const plan = (input: Partial<DiffInput>) => diff({ modelId: MODEL, local: [], remote: [], remotePairs: [], ...input })
const tags = (items: ReadonlyArray<TrainingSet.PlanItem>) => items.map((item) => item._tag)
const named = (items: ReadonlyArray<TrainingSet.PlanItem>) =>
  items.flatMap((item) => "name" in item ? [`${item._tag} ${item.name}`] : [item._tag])

// The model holds `a.png` (id_a) and `b.png` (id_b); the set is the same two images.
const inStep = {
  local: [{ name: "a.png" }, { name: "b.png" }],
  remote: [{ id: "id_a", name: "a.png" }, { id: "id_b", name: "b.png" }]
}

describe("samePairs", () => {
  const p = { sourceId: "id_a", targetId: "id_b", instruction: "make it blue" }

  it("the same pairs in another order are the same", () => {
    const q = { sourceId: "id_b", targetId: "id_c" }
    expect(samePairs([p, q], [q, p])).toBe(true)
    expect(samePairs([], [])).toBe(true)
    expect(samePairs([{ sourceId: "id_a", targetId: "id_b" }], [{ sourceId: "id_a", targetId: "id_b" }])).toBe(true)
  })

  it("an instruction changed, added or removed is a change", () => {
    expect(samePairs([p], [{ ...p, instruction: "make it red" }])).toBe(false)
    expect(samePairs([{ sourceId: "id_a", targetId: "id_b" }], [p])).toBe(false)
    expect(samePairs([p], [{ sourceId: "id_a", targetId: "id_b" }])).toBe(false)
  })

  it("pairs removed, added, swapped or re-pointed are a change, even when their count is kept", () => {
    expect(samePairs([], [p])).toBe(false)
    expect(samePairs([p], [])).toBe(false)
    expect(samePairs([p], [{ ...p, sourceId: "id_b", targetId: "id_a" }])).toBe(false)
    expect(samePairs([p], [{ ...p, targetId: "id_c" }])).toBe(false)
    expect(samePairs([p], [{ ...p, sourceId: "id_c" }])).toBe(false)
  })

  it("a pair listed twice counts twice", () => {
    const q = { sourceId: "id_b", targetId: "id_c" }
    expect(samePairs([p, p], [p, p])).toBe(true)
    expect(samePairs([p, p], [p, q])).toBe(false)
    expect(samePairs([p, q], [p, p])).toBe(false)
    expect(samePairs([p], [p, p])).toBe(false)
  })

  it("a pair of the model without both ids is never the same as a wanted one", () => {
    expect(samePairs([{ sourceId: "id_a", targetId: "" }], [{ sourceId: "id_a" }])).toBe(false)
    expect(samePairs([{ sourceId: "", targetId: "id_b" }], [{ targetId: "id_b" }])).toBe(false)
  })
})

describe("checkPairs", () => {
  it("every unknown name is reported where it is, source and target alike", () => {
    const names = new Set(["a.png", "b.png"])
    expect(checkPairs(names, [{ source: "a.png", target: "b.png" }])).toEqual([])
    expect(checkPairs(names, [
      { source: "a.png", target: "b.png" },
      { source: "x.png", target: "a.png" },
      { source: "b.png", target: "y.png" },
      { source: "z.png", target: "w.png" }
    ])).toEqual([
      { path: ["pairs", 1, "source"], message: "\"x.png\" is not an image of the set" },
      { path: ["pairs", 2, "target"], message: "\"y.png\" is not an image of the set" },
      { path: ["pairs", 3, "source"], message: "\"z.png\" is not an image of the set" },
      { path: ["pairs", 3, "target"], message: "\"w.png\" is not an image of the set" }
    ])
  })
})

describe("diff: pairs", () => {
  const pair = { source: "a.png", target: "b.png", instruction: "make it blue" }
  const onModel = { sourceId: "id_a", targetId: "id_b", instruction: "make it blue" }

  it("pairs edited on a set already in step are set", () => {
    const items = plan({ ...inStep, remotePairs: [onModel], pairs: [{ ...pair, target: "a.png" }] })
    expect(items).toEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a" },
      { _tag: "Keep", name: "b.png", trainingImageId: "id_b" },
      { _tag: "SetPairs", pairs: [{ ...pair, target: "a.png" }] }
    ])
  })

  it("an edit of the instruction alone is set; the same pairs are not set again", () => {
    const edited = [{ ...pair, instruction: "make it red" }]
    expect(plan({ ...inStep, remotePairs: [onModel], pairs: edited }).at(-1)).toEqual({
      _tag: "SetPairs",
      pairs: edited
    })
    expect(tags(plan({ ...inStep, remotePairs: [onModel], pairs: [pair] }))).toEqual(["Keep", "Keep"])
    // Without an instruction on either side: the same.
    const bare = { sourceId: "id_a", targetId: "id_b" }
    expect(tags(plan({ ...inStep, remotePairs: [bare], pairs: [{ source: "a.png", target: "b.png" }] }))).toEqual([
      "Keep",
      "Keep"
    ])
  })

  it("removing every pair is set (as an empty list); no pairs option leaves the model's pairs alone", () => {
    expect(plan({ ...inStep, remotePairs: [onModel], pairs: [] }).at(-1)).toEqual({ _tag: "SetPairs", pairs: [] })
    expect(tags(plan({ ...inStep, remotePairs: [onModel] }))).toEqual(["Keep", "Keep"])
    expect(tags(plan({ ...inStep, remotePairs: [], pairs: [] }))).toEqual(["Keep", "Keep"])
  })

  it("pairs changed with their count kept, or a pair listed twice, are set", () => {
    const swapped = [{ ...pair, source: "b.png", target: "a.png" }]
    expect(tags(plan({ ...inStep, remotePairs: [onModel], pairs: swapped }))).toContain("SetPairs")
    const twice = [pair, pair]
    const other = { sourceId: "id_b", targetId: "id_a" }
    expect(tags(plan({ ...inStep, remotePairs: [onModel, other], pairs: twice }))).toContain("SetPairs")
    expect(tags(plan({ ...inStep, remotePairs: [onModel, onModel], pairs: twice }))).not.toContain("SetPairs")
  })

  it("pairs that name an image still to be added are set, and come after every image", () => {
    const items = plan({
      local: [{ name: "b.png" }, { name: "a.png" }],
      remote: [{ id: "id_a", name: "a.png" }],
      remotePairs: [],
      pairs: [pair]
    })
    expect(items).toEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a" },
      { _tag: "Add", name: "b.png" },
      { _tag: "SetPairs", pairs: [pair] }
    ])
    // Whatever the model's pairs look like: here one whose target id is empty, as an image not yet added
    // resolves to.
    const odd = plan({
      local: [{ name: "a.png" }, { name: "b.png" }],
      remote: [{ id: "id_a", name: "a.png" }],
      remotePairs: [{ sourceId: "id_a", targetId: "", instruction: "make it blue" }],
      pairs: [pair]
    })
    expect(odd.at(-1)).toEqual({ _tag: "SetPairs", pairs: [pair] })
  })
})

describe("diff: names and order", () => {
  it("a name given twice in the set is planned once", () => {
    expect(plan({ local: [{ name: "a.png" }, { name: "a.png" }] })).toEqual([{ _tag: "Add", name: "a.png" }])
    const assets = plan({ local: [{ name: "a.png", assetId: "asset_1" }, { name: "a.png", assetId: "asset_2" }] })
    expect(assets.length).toBe(1)
    expect(assets[0]?._tag === "AddAssets" && assets[0].assets.length).toBe(1)
    expect(plan({ ...inStep, local: [...inStep.local, { name: "b.png" }] })).toEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a" },
      { _tag: "Keep", name: "b.png", trainingImageId: "id_b" }
    ])
  })

  it("images come in name order whatever order they are given in, pairs last", () => {
    const local = ["e.png", "c.png", "a.png", "d.png", "b.png", "B.png", "a b.png"].map((name) => ({ name }))
    const items = plan({
      local,
      remote: [{ id: "id_d", name: "d.png" }, { id: "id_a", name: "a.png" }],
      pairs: [{ source: "a.png", target: "b.png" }]
    })
    expect(named(items)).toEqual([
      "Add B.png",
      "Add a b.png",
      "Keep a.png",
      "Add b.png",
      "Add c.png",
      "Keep d.png",
      "Add e.png",
      "SetPairs"
    ])
  })

  it("assets go after the images, in name order, in batches of at most 10", () => {
    const assets = (count: number) =>
      Array.from(
        { length: count },
        (_, i) => ({ name: `asset-${String(count - i).padStart(2, "0")}`, assetId: `a${i}` })
      )
    const batches = (count: number) =>
      plan({ local: assets(count) }).map((item) => item._tag === "AddAssets" ? item.assets.length : 0)
    expect(batches(1)).toEqual([1])
    expect(batches(10)).toEqual([10])
    expect(batches(11)).toEqual([10, 1])
    expect(batches(20)).toEqual([10, 10])
    expect(batches(21)).toEqual([10, 10, 1])
    const items = plan({ local: [...assets(3), { name: "z.png" }, { name: "b.png" }] })
    expect(items).toEqual([
      { _tag: "Add", name: "b.png" },
      { _tag: "Add", name: "z.png" },
      {
        _tag: "AddAssets",
        assets: [
          { assetId: "a2", name: "asset-01" },
          { assetId: "a1", name: "asset-02" },
          { assetId: "a0", name: "asset-03" }
        ]
      }
    ])
    // An asset whose name the model holds is kept, not added again.
    expect(plan({ local: [{ name: "a.png", assetId: "asset_1" }], remote: [{ id: "id_a", name: "a.png" }] })).toEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a" }
    ])
  })

  it("only with deleteOthers are images outside the set deleted, each id once", () => {
    const remote = [
      { id: "id_a", name: "a.png" },
      { id: "id_x1", name: "x.png" },
      { id: "id_x2", name: "x.png" },
      { id: "id_y", name: "y.png" }
    ]
    const local = [{ name: "a.png" }]
    expect(tags(plan({ local, remote }))).toEqual(["Keep"])
    expect(tags(plan({ local, remote, deleteOthers: false }))).toEqual(["Keep"])
    const items = plan({ local, remote, deleteOthers: true })
    const deletes = items.flatMap((item) => item._tag === "Delete" ? [item] : [])
    expect(deletes.map((item) => [item.trainingImageId, item.name, item.reason])).toEqual([
      ["id_x1", "x.png", "not-in-set"],
      ["id_x2", "x.png", "not-in-set"],
      ["id_y", "y.png", "not-in-set"]
    ])
  })

  it("an extra copy of a name of the set is deleted as a duplicate, the first copy kept", () => {
    const items = plan({
      local: [{ name: "a.png" }],
      remote: [{ id: "id_a", name: "a.png" }, { id: "id_a2", name: "a.png" }, { id: "id_a3", name: "a.png" }],
      deleteOthers: true
    })
    expect(items).toEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a" },
      { _tag: "Delete", name: "a.png", trainingImageId: "id_a2", reason: "duplicate" },
      { _tag: "Delete", name: "a.png", trainingImageId: "id_a3", reason: "duplicate" }
    ])
    // Without deleteOthers the extra copies stay.
    expect(tags(plan({
      local: [{ name: "a.png" }],
      remote: [{ id: "id_a", name: "a.png" }, { id: "id_a2", name: "a.png" }]
    }))).toEqual(["Keep"])
  })
})

describe("diff: state", () => {
  const state = (images: Record<string, { sha256: string; trainingImageId: string }>): TrainingSet.State => ({
    modelId: MODEL,
    images
  })
  const remote = [{ id: "id_a", name: "a.png" }]

  it("a name the model holds without an entry in the state is kept, with its content", () => {
    expect(plan({ local: [{ name: "a.png", sha256: "h1" }], remote, state: state({}) })).toStrictEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a", sha256: "h1" }
    ])
  })

  it("content other than the state's is replaced, the same content kept", () => {
    const last = state({ "a.png": { sha256: "h1", trainingImageId: "id_a" } })
    expect(plan({ local: [{ name: "a.png", sha256: "h2" }], remote, state: last })).toStrictEqual([
      { _tag: "Replace", name: "a.png", trainingImageId: "id_a", sha256: "h2" }
    ])
    expect(plan({ local: [{ name: "a.png", sha256: "h1" }], remote, state: last })).toStrictEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a", sha256: "h1" }
    ])
  })

  it("an asset, or an image that could not be read (no hash), is kept even with an entry in the state", () => {
    const last = state({ "a.png": { sha256: "h1", trainingImageId: "id_a" } })
    expect(plan({ local: [{ name: "a.png", assetId: "asset_1" }], remote, state: last })).toStrictEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a" }
    ])
    expect(plan({ local: [{ name: "a.png" }], remote, state: last })).toStrictEqual([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a" }
    ])
  })

  it("an add carries its content's hash when it has one, none otherwise", () => {
    expect(plan({ local: [{ name: "a.png", sha256: "h1" }], state: state({}) })).toStrictEqual([
      { _tag: "Add", name: "a.png", sha256: "h1" }
    ])
    expect(plan({ local: [{ name: "a.png" }] })).toStrictEqual([{ _tag: "Add", name: "a.png" }])
  })
})

// Compared with `toEqual`: the state's records may be plain objects or objects without a prototype.
describe("nextState", () => {
  const entry = (sha256: string, trainingImageId: string) => ({ sha256, trainingImageId })
  const previous: TrainingSet.State = {
    modelId: MODEL,
    images: { "a.png": entry("h_a", "id_a"), "b.png": entry("h_b", "id_b"), "x.png": entry("h_x", "id_x") }
  }

  it("entries of this model that the run did not touch are kept; another model's are not taken in", () => {
    const done = [{ item: { _tag: "Add", name: "c.png", sha256: "h_c" } as const, trainingImageIds: ["id_c"] }]
    expect(nextState(MODEL, previous, done)).toEqual({
      modelId: MODEL,
      images: { ...previous.images, "c.png": entry("h_c", "id_c") }
    })
    expect(nextState("model_other", previous, done)).toEqual({
      modelId: "model_other",
      images: { "c.png": entry("h_c", "id_c") }
    })
    expect(nextState(MODEL, undefined, [])).toEqual({ modelId: MODEL, images: {} })
  })

  it("a succeeded replace records the new content and id; a failed one leaves the last entry", () => {
    const replace = { _tag: "Replace", name: "a.png", trainingImageId: "id_a", sha256: "h_new" } as const
    expect(nextState(MODEL, previous, [{ item: replace, trainingImageIds: ["id_a9"] }]).images["a.png"]).toEqual(
      entry("h_new", "id_a9")
    )
    expect(nextState(MODEL, previous, [{ item: replace }]).images["a.png"]).toEqual(entry("h_a", "id_a"))
  })

  it("a failed add records nothing; an add without a hash records nothing", () => {
    const add = { _tag: "Add", name: "c.png", sha256: "h_c" } as const
    expect(nextState(MODEL, previous, [{ item: add }]).images).toEqual(previous.images)
    // An entry needs the id the content is under: an add that reports none records nothing.
    expect(nextState(MODEL, previous, [{ item: add, trainingImageIds: [] }]).images).toEqual(previous.images)
    expect(nextState(MODEL, previous, [{ item: { _tag: "Add", name: "c.png" }, trainingImageIds: ["id_c"] }]).images)
      .toEqual(previous.images)
  })

  it("kept images are recorded with their content and id", () => {
    const keep = { _tag: "Keep", name: "k.png", trainingImageId: "id_k", sha256: "h_k" } as const
    expect(nextState(MODEL, undefined, [{ item: keep, trainingImageIds: ["id_k"] }]).images).toEqual({
      "k.png": entry("h_k", "id_k")
    })
    expect(nextState(MODEL, undefined, [{ item: keep }]).images).toEqual({ "k.png": entry("h_k", "id_k") })
    // A kept image whose content is not known (no state at plan time, an unreadable file) is not recorded.
    const unknown = { _tag: "Keep", name: "k.png", trainingImageId: "id_k" } as const
    expect(nextState(MODEL, undefined, [{ item: unknown, trainingImageIds: ["id_k"] }]).images).toEqual({})
  })

  it("a name deleted as outside the set leaves the state; a failed delete, or a duplicate's, does not", () => {
    const del = (reason: "not-in-set" | "duplicate") =>
      ({ _tag: "Delete", name: "x.png", trainingImageId: "id_x", reason }) as const
    expect(Object.keys(nextState(MODEL, previous, [{ item: del("not-in-set"), trainingImageIds: [] }]).images))
      .toEqual(["a.png", "b.png"])
    expect(Object.keys(nextState(MODEL, previous, [{ item: del("not-in-set") }]).images)).toEqual([
      "a.png",
      "b.png",
      "x.png"
    ])
    expect(Object.keys(nextState(MODEL, previous, [{ item: del("duplicate"), trainingImageIds: [] }]).images))
      .toEqual(["a.png", "b.png", "x.png"])
  })

  it("pairs leave the state as it was", () => {
    const setPairs = { _tag: "SetPairs", pairs: [{ source: "a.png", target: "b.png" }] } as const
    expect(nextState(MODEL, previous, [{ item: setPairs, trainingImageIds: [] }])).toEqual(previous)
  })
})

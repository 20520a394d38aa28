/**
 * The plan's rules at their edges: names that are members of `Object.prototype`, a name given twice, a refused
 * image without a state, the guard's planned failures, and the message of a refused plan.
 */
import { describe, expect, it } from "vitest"
import { inlineImageBodySize } from "../src/RequestBody.js"
import type * as TrainingSet from "../src/TrainingSetPlan.js"
import {
  checkFit,
  diff,
  type DiffInput,
  fitType,
  markFits,
  refine,
  type Refusal,
  unsafeDeletes,
  unsafePlanMessage
} from "../src/TrainingSetPlan.js"

const plan = (input: Partial<DiffInput>) => diff({ modelId: "m", local: [], remote: [], remotePairs: [], ...input })

describe("diff: edges", () => {
  it("a name the model holds that is a member of Object.prototype, with no entry in the state, is kept", () => {
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      expect(plan({
        local: [{ name, sha256: "h1" }],
        remote: [{ id: "id_1", name }],
        state: { modelId: "m", images: {} }
      })).toStrictEqual([{ _tag: "Keep", name, trainingImageId: "id_1", sha256: "h1" }])
    }
  })

  it("a name given twice counts its first entry", () => {
    expect(plan({ local: [{ name: "a.png", assetId: "asset_1" }, { name: "a.png", assetId: "asset_2" }] })).toEqual([
      { _tag: "AddAssets", assets: [{ assetId: "asset_1", name: "a.png" }] }
    ])
    expect(plan({
      local: [{ name: "b.png", sha256: "h1" }, { name: "a.png", sha256: "h0" }, { name: "b.png", sha256: "h2" }]
    })).toEqual([
      { _tag: "Add", name: "a.png", sha256: "h0" },
      { _tag: "Add", name: "b.png", sha256: "h1" }
    ])
  })
})

describe("refine: a refused image the model holds", () => {
  const tooLarge: Refusal = { _tag: "TooLarge", bytes: 9, requestBytes: 12, maxRequestBytes: 10 }
  const keep: TrainingSet.PlanItem = { _tag: "Keep", name: "big.png", trainingImageId: "id_big" }
  const refused = new Map([["big.png", tooLarge]])

  it("is kept when no state tracks it, with no state at all or none for its name", () => {
    expect(refine([keep], refused, undefined)).toEqual([keep])
    expect(refine([keep], refused, { modelId: "m", images: {} })).toEqual([keep])
  })

  it("a replace of it is a planned failure that names the image it would have replaced", () => {
    const replace: TrainingSet.PlanItem = { _tag: "Replace", name: "big.png", trainingImageId: "id_big", sha256: "h" }
    expect(refine([replace], refused, undefined)).toEqual([
      { _tag: "TooLarge", name: "big.png", bytes: 9, requestBytes: 12, maxRequestBytes: 10, trainingImageId: "id_big" }
    ])
  })
})

describe("unsafeDeletes: planned failures", () => {
  const tooLarge = { _tag: "TooLarge", name: "big.png", bytes: 9, requestBytes: 12, maxRequestBytes: 10 } as const

  it("an image a planned replace leaves where it is is kept: deleting it is unsafe", () => {
    expect(unsafeDeletes([
      { ...tooLarge, trainingImageId: "id_big" },
      { _tag: "Delete", name: "big.png", trainingImageId: "id_big", reason: "duplicate" }
    ], [])).toEqual([
      { name: "big.png", trainingImageId: "id_big", reason: "deletes-kept-image" },
      { name: "big.png", trainingImageId: "id_big", reason: "leaves-name-empty" }
    ])
  })

  it("its extra copy may go: the planned failure still holds the name", () => {
    expect(unsafeDeletes([
      { ...tooLarge, trainingImageId: "id_big" },
      { _tag: "Delete", name: "big.png", trainingImageId: "id_big2", reason: "duplicate" }
    ], ["big.png"])).toEqual([])
  })

  it("a planned add that will fail holds no image: deleting the name's image leaves it empty", () => {
    expect(unsafeDeletes([
      tooLarge,
      { _tag: "Delete", name: "big.png", trainingImageId: "id_big", reason: "not-in-set" }
    ], [])).toEqual([{ name: "big.png", trainingImageId: "id_big", reason: "leaves-name-empty" }])
  })

  it("a name of the folder only, or one the plan keeps under another id, is checked the same way", () => {
    expect(unsafeDeletes([
      { _tag: "Keep", name: "a.png", trainingImageId: "id_a" },
      { _tag: "Delete", name: "a.png", trainingImageId: "id_a2", reason: "duplicate" },
      { _tag: "Delete", name: "f.png", trainingImageId: "id_f", reason: "not-in-set" },
      { _tag: "Delete", name: "g.png", trainingImageId: "id_g", reason: "not-in-set" }
    ], ["f.png"])).toEqual([{ name: "f.png", trainingImageId: "id_f", reason: "leaves-name-empty" }])
    // A replace whose own id is deleted leaves its name empty; a kept image under another id holds it.
    expect(
      unsafeDeletes([
        { _tag: "Replace", name: "r.png", trainingImageId: "id_r" },
        { _tag: "Delete", name: "r.png", trainingImageId: "id_r", reason: "duplicate" }
      ], []).map((issue) => issue.reason)
    ).toEqual(["deletes-kept-image", "leaves-name-empty"])
    // A name of a batch of assets, or an add, counts as a name of the folder.
    expect(unsafeDeletes([
      { _tag: "AddAssets", assets: [{ assetId: "asset_1", name: "e.png" }] },
      { _tag: "Delete", name: "e.png", trainingImageId: "id_e", reason: "not-in-set" },
      { _tag: "Delete", name: "h.png", trainingImageId: "id_h", reason: "not-in-set" }
    ], [])).toEqual([])
  })
})

describe("unsafePlanMessage", () => {
  it("tells each unsafe delete, and that nothing was sent", () => {
    expect(unsafePlanMessage("model_1", [
      { name: "a.png", trainingImageId: "id_a", reason: "deletes-kept-image" },
      { name: "b.png", trainingImageId: "id_b", reason: "leaves-name-empty" }
    ])).toBe(
      "The plan for model model_1 was refused, nothing was sent: it deletes id_a (a.png), which it also keeps; " +
        "deleting id_b leaves b.png, an image of the folder, with no training image"
    )
  })
})

describe("refine: the other items", () => {
  const tooLarge: Refusal = { _tag: "TooLarge", bytes: 9, requestBytes: 12, maxRequestBytes: 10 }

  it("pairs, asset batches, skips and planned failures pass through as they are", () => {
    const items: Array<TrainingSet.PlanItem> = [
      { _tag: "AddAssets", assets: [{ assetId: "asset_1", name: "big.png" }] },
      { _tag: "Skip", name: "big.png", reason: "not-an-image" },
      { _tag: "TooLarge", name: "big.png", bytes: 1, requestBytes: 2, maxRequestBytes: 1 },
      { _tag: "SetPairs", pairs: [{ source: "a.png", target: "big.png" }] }
    ]
    expect(refine(items, new Map([["big.png", tooLarge]]), undefined)).toStrictEqual(items)
  })

  it("an add refused as too large names no training image", () => {
    expect(refine([{ _tag: "Add", name: "big.png" }], new Map([["big.png", tooLarge]]), undefined)).toStrictEqual([
      { _tag: "TooLarge", name: "big.png", bytes: 9, requestBytes: 12, maxRequestBytes: 10 }
    ])
  })
})

describe("unsafeDeletes: what holds a name", () => {
  it("a skipped file holds no image: deleting its name's image leaves a name of the folder empty", () => {
    expect(unsafeDeletes([
      { _tag: "Skip", name: "x.png", reason: "not-an-image" },
      { _tag: "Delete", name: "x.png", trainingImageId: "id_x", reason: "not-in-set" }
    ], ["x.png"])).toEqual([{ name: "x.png", trainingImageId: "id_x", reason: "leaves-name-empty" }])
  })

  it("a replaced image holds its name: its extra copy may go", () => {
    expect(unsafeDeletes([
      { _tag: "Replace", name: "r.png", trainingImageId: "id_r" },
      { _tag: "Delete", name: "r.png", trainingImageId: "id_r2", reason: "duplicate" }
    ], ["r.png"])).toEqual([])
  })
})

describe("fits at their edges", () => {
  const jpeg = (size: number) => {
    const bytes = new Uint8Array(size)
    bytes.set([0xff, 0xd8, 0xff, 0xdb])
    return bytes
  }

  it("a mark adds a fit only to the names given: the others are left without one", () => {
    const items: Array<TrainingSet.PlanItem> = [{ _tag: "Add", name: "a.jpg" }, {
      _tag: "Replace",
      name: "b.jpg",
      trainingImageId: "ti_b"
    }]
    expect(markFits(items, new Map())).toStrictEqual(items)
  })

  it("an image whose body is exactly the limit fits; a fitter's result exactly at the limit is sent", () => {
    const exact = inlineImageBodySize({ bytes: 600, mediaType: "image/jpeg", name: "a.jpg" })
    expect(fitType({ name: "a.jpg", bytes: jpeg(600), maxRequestBytes: exact })).toBeUndefined()
    expect(fitType({ name: "a.jpg", bytes: jpeg(600), maxRequestBytes: exact - 1 })).toBe("image/jpeg")
    const input = { name: "a.jpg", bytes: jpeg(5000), mediaType: "image/jpeg", maxRequestBytes: exact }
    const dims = { width: 1, height: 1, sourceWidth: 2, sourceHeight: 2 }
    expect(checkFit(input, { bytes: jpeg(600), mediaType: "image/jpeg", ...dims })._tag).toBe("Fitted")
  })

  it("a fitter's bytes that are no image are refused even when it names no media type", () => {
    const input = { name: "a.jpg", bytes: jpeg(5000), mediaType: "image/jpeg", maxRequestBytes: 10_000 }
    const result = {
      bytes: new Uint8Array(10),
      mediaType: undefined as unknown as string,
      width: 1,
      height: 1,
      sourceWidth: 2,
      sourceHeight: 2
    }
    expect(checkFit(input, result)).toEqual({
      _tag: "Unfit",
      reason: "the fitter returned bytes that are not the undefined image it said"
    })
  })
})

describe("diff: many names", () => {
  it("a long list in any order comes out in name order, each name's first entry counted", () => {
    const names = Array.from({ length: 150 }, (_, i) => `n${String((i * 37) % 150).padStart(3, "0")}`)
    const local = [
      ...names.map((name) => ({ name, assetId: `first_${name}` })),
      ...names.map((name) => ({ name, assetId: `second_${name}` }))
    ].reverse()
    const items = plan({ local })
    const assets = items.flatMap((item) => item._tag === "AddAssets" ? item.assets : [])
    const sorted = [...names].sort()
    expect(assets.map((asset) => asset.name)).toEqual(sorted)
    expect(assets.map((asset) => asset.assetId)).toEqual(sorted.map((name) => `second_${name}`))
  })
})

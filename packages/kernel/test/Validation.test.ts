import { Validation } from "@effect-scenario/kernel"
import { describe, expect, it } from "vitest"

describe("Validation", () => {
  it("a batch holds 1 to MAX_BATCH_ASSETS asset ids", () => {
    expect(Validation.MAX_BATCH_ASSETS).toBe(10)
    expect(Validation.batchSizeProblem(0)).toBe(Validation.EMPTY_BATCH_PROBLEM)
    expect(Validation.batchSizeProblem(1)).toBeUndefined()
    expect(Validation.batchSizeProblem(10)).toBeUndefined()
    expect(Validation.batchSizeProblem(11)).toBe("a batch holds at most 10 asset ids, got 11")
  })

  it("a closed set of values is named as a list with `or`", () => {
    expect(Validation.oneOf([])).toBe("")
    expect(Validation.oneOf(["a"])).toBe("\"a\"")
    expect(Validation.oneOf(["a", "b"])).toBe("\"a\" or \"b\"")
    expect(Validation.oneOf(["a", 1, true, 2n])).toBe("\"a\", 1, true or 2n")
  })

  it("an image's way is picked from the keys present; conflicts and none at all are problems", () => {
    const tags = (params: Record<string, unknown>) => {
      const variant = Validation.imageVariant(params)
      return variant._tag === "Invalid" ? `${variant.path.join(".")}: ${variant.problem}` : variant._tag
    }
    expect(tags({ assetIds: ["a"] })).toBe("AssetIds")
    expect(tags({ assetIds: [], assetId: undefined, name: undefined })).toBe("AssetIds")
    expect(tags({ assetIds: ["a"], name: "x" })).toBe("assetIds: cannot be combined with assetId, data or name")
    expect(tags({ assetId: "a" })).toBe("AssetId")
    expect(tags({ assetId: "a", data: "d" })).toBe(
      "assetId: cannot be combined with data or name (the API would ignore them)"
    )
    expect(tags({ data: "d", name: "x" })).toBe("Data")
    expect(tags({ name: "x" })).toBe(": name goes with data: give the image as a data URL")
    expect(tags({})).toBe(": give the image as assetId, assetIds (1 to 10 asset ids) or data (a data URL)")
  })

  it("params that are not an object, or cannot be read", () => {
    expect(Validation.NOT_AN_OBJECT_PROBLEM).toBe("expected an object of params")
    expect(Validation.unreadableProblem(new Error("boom"))).toBe("the params could not be read: Error: boom")
  })
})

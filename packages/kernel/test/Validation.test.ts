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
})

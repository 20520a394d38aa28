/**
 * A seed is checked as plain data: the seed as given, or every problem with its path.
 */
import * as Seed from "@effect-scenario/emulator/Seed"
import { describe, expect, it } from "vitest"

describe("Seed.check", () => {
  it("gives back the very seed, `__proto__` model included", () => {
    const models = JSON.parse("{\"__proto__\":{\"status\":\"trained\"},\"model_1\":{}}")
    const checked = Seed.check(models)
    expect(checked._tag).toBe("Valid")
    if (checked._tag === "Valid") {
      expect(checked.seed).toBe(models)
      expect(Object.keys(checked.seed)).toEqual(["__proto__", "model_1"])
    }
  })

  it("lists every problem, and formats them on one line", () => {
    const checked = Seed.check({ model_1: { status: "queued", pairs: [{ sourceId: "..", targetId: "b" }] } })
    expect(checked._tag).toBe("Invalid")
    if (checked._tag === "Invalid") {
      expect(checked.issues.map((issue) => issue.path.join("."))).toEqual([
        "models.model_1.status",
        "models.model_1.pairs.0"
      ])
      expect(Seed.format(checked.issues)).toMatch(
        /^models\.model_1\.status: must be "copying", .*; models\.model_1\.pairs\.0: /
      )
    }
  })

  it("refuses a seed of too many images for that alone", () => {
    const checked = Seed.check({ a: { status: "queued", trainingImages: [{}, {}] }, b: { trainingImages: [{}] } }, 2)
    expect(checked).toEqual({
      _tag: "Invalid",
      issues: [{ path: ["models"], message: "3 training images, over the limit of 2 (maxSeedImages)" }]
    })
    expect(Seed.check({ a: { trainingImages: [{}, {}] } }, 2)._tag).toBe("Valid")
  })

  it("checks pair ids as the API does: not empty, not a path step, well-formed", () => {
    for (const sourceId of ["", ".", "..", "\uD800", 3]) {
      expect(Seed.issues({ m: { pairs: [{ sourceId, targetId: "b" }] } }), String(sourceId)).toHaveLength(1)
    }
    expect(Seed.issues({ m: { pairs: [{ sourceId: "a", targetId: "b", instruction: 1 }] } })).toHaveLength(1)
    expect(Seed.issues({ m: { pairs: [{ sourceId: "a", targetId: "b", instruction: "x" }] } })).toEqual([])
  })
  it("refuses a training image id that is not well-formed Unicode, which no URL could carry", () => {
    expect(Seed.issues({ m: { trainingImages: [{ id: "a\uD800" }] } })).toEqual([
      { path: ["models", "m", "trainingImages", 0, "id"], message: "must be well-formed Unicode" }
    ])
    expect(Seed.issues({ m: { trainingImages: [{ id: "a\uD83D\uDE42" }] } })).toEqual([])
  })
})

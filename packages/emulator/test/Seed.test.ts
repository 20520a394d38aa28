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

describe("Seed.issues, problem by problem", () => {
  const at = (...path: Array<string | number>) => ["models", "m", ...path]

  it("a seed that is not an object of models", () => {
    for (const models of [null, 3, "m", undefined]) {
      expect(Seed.issues(models), String(models)).toStrictEqual([{ path: [], message: "expected an object of models" }])
      expect(Seed.check(models, 10), String(models)).toStrictEqual({
        _tag: "Invalid",
        issues: [{ path: [], message: "expected an object of models" }]
      })
    }
  })

  it("an empty model id, and a model that is not an object", () => {
    expect(Seed.issues({ "": {} })).toStrictEqual([{ path: ["models", ""], message: "a model id must not be empty" }])
    expect(Seed.issues({ m: null, n: 3 })).toStrictEqual([
      { path: at(), message: "expected an object" },
      { path: ["models", "n"], message: "expected an object" }
    ])
  })

  it("status and type from the documented lists, name a string", () => {
    expect(Seed.issues({ m: { status: "trained", type: Seed.MODEL_TYPES[0], name: "n" } })).toStrictEqual([])
    const found = Seed.issues({ m: { status: 3, type: "gpt", name: 1 } })
    expect(found.map((issue) => issue.path)).toStrictEqual([at("status"), at("type"), at("name")])
    expect(found[0]!.message).toMatch(/^must be "copying", .*, got 3$/)
    expect(found[1]!.message).toMatch(/^must be one of the documented model types \(".*\), got "gpt"$/)
    expect(found[2]!.message).toBe("must be a string")
    expect(Seed.MODEL_STATUSES).toContain("trained")
  })

  it("training images: an array of objects, each field a string, ids not empty, well-formed and given once", () => {
    expect(Seed.issues({ m: { trainingImages: {} } })).toStrictEqual([
      { path: at("trainingImages"), message: "must be an array" }
    ])
    expect(Seed.issues({ m: { trainingImages: [null, 3] } })).toStrictEqual([
      { path: at("trainingImages", 0), message: "expected an object" },
      { path: at("trainingImages", 1), message: "expected an object" }
    ])
    const fields = ["id", "name", "createdAt", "description", "automaticCaptioning", "downloadUrl", "data"]
    expect(Seed.issues({ m: { trainingImages: [Object.fromEntries(fields.map((field) => [field, 1]))] } }))
      .toStrictEqual(fields.map((field) => ({ path: at("trainingImages", 0, field), message: "must be a string" })))
    expect(Seed.issues({ m: { trainingImages: [{ id: "" }] } })).toStrictEqual([
      { path: at("trainingImages", 0, "id"), message: "must not be empty" }
    ])
    // An id that is not text is reported as such only, however it reads as text; images without an id are not
    // given twice.
    expect(Seed.issues({ m: { trainingImages: [{ id: ["\uD800"] }, { id: ["\uD800"] }, {}, {}] } })).toStrictEqual([
      { path: at("trainingImages", 0, "id"), message: "must be a string" },
      { path: at("trainingImages", 1, "id"), message: "must be a string" }
    ])
    expect(Seed.issues({ m: { trainingImages: [{ id: "a" }, { id: "b" }, { id: "a" }, {}] } })).toStrictEqual([
      { path: at("trainingImages", 2, "id"), message: "a is given twice" }
    ])
    // Ids are checked per model: the same id in two models is not given twice.
    expect(Seed.issues({ m: { trainingImages: [{ id: "a" }] }, n: { trainingImages: [{ id: "a" }] } })).toStrictEqual(
      []
    )
    expect(Seed.issues({ m: { trainingImages: [{ createdAt: "yesterday" }, { createdAt: "2024-05-01T10:00:00Z" }] } }))
      .toStrictEqual([{ path: at("trainingImages", 0, "createdAt"), message: "must be an ISO date" }])
  })

  it("pairs: an array of objects with a sourceId and a targetId", () => {
    expect(Seed.issues({ m: { pairs: "a" } })).toStrictEqual([{ path: at("pairs"), message: "must be an array" }])
    const message = "must have a non-empty sourceId and targetId"
    expect(
      Seed.issues({
        m: {
          pairs: [null, "a", { sourceId: "a" }, { targetId: "b" }, { sourceId: "a", targetId: "" }, {
            sourceId: "a",
            targetId: "b"
          }]
        }
      })
    ).toStrictEqual([0, 1, 2, 3, 4].map((index) => ({ path: at("pairs", index), message })))
    for (const targetId of [".", "..", "\uDC00", "a\uD800b"]) {
      expect(Seed.issues({ m: { pairs: [{ sourceId: "a", targetId }] } }), targetId).toHaveLength(1)
    }
    expect(Seed.issues({ m: { pairs: [{ sourceId: "\uD83D\uDE42", targetId: "a.b" }] } })).toStrictEqual([])
  })
})

describe("Seed.check's image limit", () => {
  it("counts the images of every model, at the limit valid, and skips what is not a list of images", () => {
    expect(Seed.check({ a: { trainingImages: [{}] }, b: { trainingImages: [{}] } }, 2)._tag).toBe("Valid")
    expect(Seed.check({ a: { trainingImages: [{}, {}, {}] } }, 2)).toStrictEqual({
      _tag: "Invalid",
      issues: [{ path: ["models"], message: "3 training images, over the limit of 2 (maxSeedImages)" }]
    })
    // A model that is not an object, or images that are not an array: counted as none, then reported as such.
    expect(Seed.check({ a: null, b: { trainingImages: "xyz" }, c: { trainingImages: [{}] } }, 1)).toStrictEqual({
      _tag: "Invalid",
      issues: [
        { path: ["models", "a"], message: "expected an object" },
        { path: ["models", "b", "trainingImages"], message: "must be an array" }
      ]
    })
    expect(Seed.check({ a: { trainingImages: [{}, {}, {}] } })._tag).toBe("Valid")
    expect(Seed.DEFAULT_MAX_IMAGES).toBe(10_000)
  })

  it("formats problems on one line, each path joined by dots", () => {
    expect(Seed.format([{ path: ["models", "m", "pairs", 0], message: "x" }, { path: ["models"], message: "y" }])).toBe(
      "models.m.pairs.0: x; models: y"
    )
  })
})

import { ParamsCheck, Validation } from "@effect-scenario/kernel"
import { describe, expect, it } from "vitest"

// The same params through core's Schemas give the same issues: core's test/ParamsCheck.test.ts.
const issues = (checked: ParamsCheck.Checked<unknown>) =>
  checked._tag === "Valid" ? [] : checked.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`)

describe("ParamsCheck", () => {
  it("gives the params back when they are valid", () => {
    const params = { modelId: "m", data: "data:image/png;base64,iVBORw0KGgo=", name: "a.png", preset: "style" }
    expect(ParamsCheck.add(params)).toEqual({ _tag: "Valid", params })
    expect(ParamsCheck.delete({ modelId: "m", trainingImageId: "t", projectId: undefined })._tag).toBe("Valid")
  })

  it("tells every problem with its path: unexpected keys first, then each field in order", () => {
    expect(issues(ParamsCheck.add({ modelId: "..", assetId: 5, preset: "x", extra: 1 }))).toEqual([
      "extra: is unexpected, expected: \"modelId\" | \"originalAssets\" | \"assetId\" | \"assetIds\" | \"data\" | \"name\" | \"preset\"",
      "modelId: must not be \".\" or \"..\"",
      "assetId: Expected string, actual 5",
      "preset: must be \"default\", \"style\" or \"subject\""
    ])
    expect(issues(ParamsCheck.add({ modelId: "m", assetIds: Array(11).fill("") }))).toHaveLength(12)
    expect(issues(ParamsCheck.add({ modelId: "m", assetIds: Array(11).fill("") }))[0]).toBe(
      "assetIds: a batch holds at most 10 asset ids, got 11"
    )
    expect(issues(ParamsCheck.replace({ modelId: "m", trainingImageId: "pairs", assetId: "a" }))).toEqual([
      "trainingImageId: must not be \"pairs\" (that path replaces the pairs)"
    ])
    expect(issues(ParamsCheck.replacePairs({ modelId: "m", pairs: [{ sourceId: "a" }, null] }))).toEqual([
      "pairs.0.targetId: is missing",
      "pairs.1: Expected { readonly sourceId: AssetId; readonly targetId: AssetId; readonly instruction?: string | undefined }, actual null"
    ])
    expect(issues(ParamsCheck.list({ modelId: "m", originalAssets: "true" }))).toEqual([
      "originalAssets: Expected boolean, actual \"true\""
    ])
    expect(issues(ParamsCheck.add([]))).toEqual([`: ${Validation.NOT_AN_OBJECT_PROBLEM}`])
  })

  it("turns params that throw when read into one problem, never a throw", () => {
    const hostile = new Proxy({}, {
      ownKeys: () => {
        throw new Error("no")
      }
    })
    expect(issues(ParamsCheck.list(hostile))).toEqual([": the params could not be read: Error: no"])
  })

  it("shows values as the Schemas do", () => {
    expect(ParamsCheck.show({ a: [1, "b", null], c: true })).toBe("{\"a\":[1,\"b\",null],\"c\":true}")
    expect(ParamsCheck.show(undefined)).toBe("undefined")
    expect(ParamsCheck.show(2n)).toBe("2n")
  })
})

describe("Validation's field rules", () => {
  it("ids, names and data URLs", () => {
    expect(Validation.idProblem("model_1")).toBeUndefined()
    expect(Validation.idProblem("")).toBe("must not be empty")
    expect(Validation.idProblem("..")).toBe("must not be \".\" or \"..\"")
    expect(Validation.idProblem("a\uD800")).toBe("must be well-formed Unicode (it holds a lone surrogate)")
    expect(Validation.trainingImageIdProblem("pairs")).toContain("must not be \"pairs\"")
    expect(Validation.trainingImageIdProblem("t")).toBeUndefined()
    expect(Validation.nonEmptyTextProblem("a.png")).toBeUndefined()
    expect(Validation.nonEmptyTextProblem("")).toBe("must be non-empty, well-formed text")
    expect(Validation.dataUrlProblem("data:image/png;base64,iVBORw0KGgo=")).toBeUndefined()
    expect(Validation.dataUrlProblem("data:image/svg+xml;charset=utf-8;base64,AA==")).toBeUndefined()
    expect(Validation.dataUrlProblem("data:text/plain;base64,AA==")).toContain("must be a data URL")
    for (const payload of ["", "AAA", "A=AA", "AA=A", "AA*A"]) {
      expect(Validation.dataUrlProblem(`data:image/png;base64,${payload}`)).toContain("padded base64 payload")
    }
  })
})

describe("ParamsCheck, each operation's rules", () => {
  const PAIR = "{ readonly sourceId: AssetId; readonly targetId: AssetId; readonly instruction?: string | undefined }"

  it("params that are not an object name the type each operation expects", () => {
    expect(issues(ParamsCheck.replacePairs(null))).toEqual([
      `: Expected { readonly modelId: ModelId; readonly pairs: ReadonlyArray<${PAIR}> }, actual null`
    ])
    expect(issues(ParamsCheck.delete(5))).toEqual([
      ": Expected { readonly modelId: ModelId; readonly trainingImageId: AssetId; readonly projectId?: Id | undefined }, actual 5"
    ])
    expect(issues(ParamsCheck.list([]))).toEqual([
      ": Expected { readonly modelId: ModelId; readonly originalAssets?: boolean | undefined }, actual []"
    ])
    expect(issues(ParamsCheck.replace("m"))).toEqual([`: ${Validation.NOT_AN_OBJECT_PROBLEM}`])
    expect(issues(ParamsCheck.add(null))).toEqual([`: ${Validation.NOT_AN_OBJECT_PROBLEM}`])
  })

  it("a required key holding undefined is checked (not skipped as an optional one is)", () => {
    expect(issues(ParamsCheck.list({ modelId: undefined }))).toEqual(["modelId: Expected string, actual undefined"])
    expect(issues(ParamsCheck.list({ modelId: "m", originalAssets: undefined }))).toEqual([])
    expect(issues(ParamsCheck.list({}))).toEqual(["modelId: is missing"])
  })

  it("valid params of every operation come back as they are", () => {
    const list = { modelId: "m", originalAssets: true }
    expect(ParamsCheck.list(list)).toEqual({ _tag: "Valid", params: list })
    const pairs = {
      modelId: "m",
      pairs: [{ sourceId: "a", targetId: "b", instruction: "x" }, { sourceId: "c", targetId: "d" }]
    }
    expect(ParamsCheck.replacePairs(pairs)).toEqual({ _tag: "Valid", params: pairs })
    const deleted = { modelId: "m", trainingImageId: "t", projectId: "p" }
    expect(ParamsCheck.delete(deleted)).toEqual({ _tag: "Valid", params: deleted })
    const replaced = {
      modelId: "m",
      trainingImageId: "t",
      assetIds: ["a", "b"],
      preset: "subject",
      originalAssets: false
    }
    expect(ParamsCheck.replace(replaced)).toEqual({ _tag: "Valid", params: replaced })
    const asset = { modelId: "m", assetId: "a", preset: "default" }
    expect(ParamsCheck.add(asset)).toEqual({ _tag: "Valid", params: asset })
  })

  it("an image given no way, or two, is one problem at the conflicting key", () => {
    expect(issues(ParamsCheck.add({ modelId: "m" }))).toEqual([
      ": give the image as assetId, assetIds (1 to 10 asset ids) or data (a data URL)"
    ])
    expect(issues(ParamsCheck.add({ modelId: 5, assetIds: ["a"], data: "x" }))).toEqual([
      "assetIds: cannot be combined with assetId, data or name"
    ])
    expect(issues(ParamsCheck.replace({ modelId: "m", trainingImageId: "t", assetId: "a", name: "n" }))).toEqual([
      "assetId: cannot be combined with data or name (the API would ignore them)"
    ])
  })

  it("pairs: an array of pairs, each an object of two ids and an optional instruction", () => {
    expect(issues(ParamsCheck.replacePairs({ modelId: "m", pairs: "x" }))).toEqual([
      `pairs: Expected ReadonlyArray<${PAIR}>, actual "x"`
    ])
    expect(
      issues(ParamsCheck.replacePairs({ modelId: "m", pairs: [{ sourceId: "a", targetId: "", instruction: 3, x: 1 }] }))
    ).toEqual([
      "pairs.0.x: is unexpected, expected: \"sourceId\" | \"targetId\" | \"instruction\"",
      "pairs.0.targetId: must not be empty",
      "pairs.0.instruction: Expected string, actual 3"
    ])
    expect(
      issues(ParamsCheck.replacePairs({ modelId: "m", pairs: [{ sourceId: "a", targetId: "b", instruction: "" }] }))
    )
      .toEqual([])
  })

  it("ids: a training image id is an id first, then not \"pairs\"; a project id is an id", () => {
    expect(issues(ParamsCheck.replace({ modelId: "m", trainingImageId: "", assetId: "a" }))).toEqual([
      "trainingImageId: must not be empty"
    ])
    expect(issues(ParamsCheck.replace({ modelId: "m", trainingImageId: 1, assetId: "a" }))).toEqual([
      "trainingImageId: Expected string, actual 1"
    ])
    expect(issues(ParamsCheck.delete({ modelId: "m", trainingImageId: "t", projectId: "", z: 1 }))).toEqual([
      "z: is unexpected, expected: \"modelId\" | \"trainingImageId\" | \"projectId\"",
      "projectId: must not be empty"
    ])
    expect(issues(ParamsCheck.delete({ modelId: "m", trainingImageId: "." }))).toEqual([
      "trainingImageId: must not be \".\" or \"..\""
    ])
  })

  it("a data URL and its name, a batch and its size, a flag", () => {
    expect(issues(ParamsCheck.add({ modelId: "m", data: "data:x", name: "" }))).toEqual([
      "data: must be a data URL of the form data:image/<type>;base64,<payload>",
      "name: must be non-empty, well-formed text"
    ])
    expect(issues(ParamsCheck.add({ modelId: "m", data: 1, name: 2 }))).toEqual([
      "data: Expected string, actual 1",
      "name: Expected string, actual 2"
    ])
    expect(issues(ParamsCheck.add({ modelId: "m", assetIds: [], preset: "default", originalAssets: 1 }))).toEqual([
      "originalAssets: Expected boolean, actual 1",
      "assetIds: a batch needs at least one asset id"
    ])
    expect(issues(ParamsCheck.add({ modelId: "m", assetIds: "a" }))).toEqual([
      "assetIds: Expected ReadonlyArray<AssetId>, actual \"a\""
    ])
    expect(issues(ParamsCheck.add({ modelId: "m", assetIds: ["a", 2, ""] }))).toEqual([
      "assetIds.1: Expected string, actual 2",
      "assetIds.2: must not be empty"
    ])
    expect(issues(ParamsCheck.add({ modelId: "m", assetIds: Array(11).fill("") })).slice(0, 2)).toEqual([
      "assetIds: a batch holds at most 10 asset ids, got 11",
      "assetIds.0: must not be empty"
    ])
    expect(issues(ParamsCheck.add({ modelId: "m", assetId: "a", preset: 1 }))).toEqual([
      "preset: must be \"default\", \"style\" or \"subject\""
    ])
  })

  it("shows text quoted, arrays and objects spelled out, nested", () => {
    expect(ParamsCheck.show("a\"b")).toBe("\"a\\\"b\"")
    expect(ParamsCheck.show(["x", [1n]])).toBe("[\"x\",[1n]]")
    expect(ParamsCheck.show({ "k y": { z: "w" } })).toBe("{\"k y\":{\"z\":\"w\"}}")
    expect(ParamsCheck.show({})).toBe("{}")
    expect(ParamsCheck.show(null)).toBe("null")
    expect(ParamsCheck.show(1.5)).toBe("1.5")
  })
})

describe("ParamsCheck's verdicts and each variant's keys", () => {
  it("a verdict with problems is tagged Invalid, a throw while reading too", () => {
    expect(ParamsCheck.list({})).toEqual({ _tag: "Invalid", issues: [{ path: ["modelId"], message: "is missing" }] })
    const hostile = new Proxy({}, {
      ownKeys: () => {
        throw new Error("no")
      }
    })
    expect(ParamsCheck.delete(hostile)).toEqual({
      _tag: "Invalid",
      issues: [{ path: [], message: "the params could not be read: Error: no" }]
    })
  })

  it("each variant allows the other variants' keys holding undefined, and names them when a key is unexpected", () => {
    const none = { assetId: undefined, assetIds: undefined, data: undefined, name: undefined }
    for (
      const params of [
        { ...none, modelId: "m", assetId: "a" },
        { ...none, modelId: "m", assetIds: ["a"] },
        { ...none, modelId: "m", data: "data:image/png;base64,AA==" }
      ]
    ) {
      expect(ParamsCheck.add(params), JSON.stringify(Object.keys(params))).toEqual({ _tag: "Valid", params })
    }
    expect(issues(ParamsCheck.add({ modelId: "m", assetIds: ["a"], extra: 1 }))).toEqual([
      "extra: is unexpected, expected: \"modelId\" | \"originalAssets\" | \"assetIds\" | \"assetId\" | \"data\" | \"name\" | \"preset\""
    ])
    expect(issues(ParamsCheck.add({ modelId: "m", data: "data:image/png;base64,AA==", extra: 1 }))).toEqual([
      "extra: is unexpected, expected: \"modelId\" | \"originalAssets\" | \"data\" | \"name\" | \"assetId\" | \"assetIds\" | \"preset\""
    ])
  })
})

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

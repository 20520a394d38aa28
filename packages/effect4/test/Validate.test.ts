import type { TrainingImagesError } from "@effect-scenario/effect4"
import { Validate } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"

const PNG = "data:image/png;base64,iVBORw0KGgo="
const ids = (n: number) => Array.from({ length: n }, (_, i) => `asset_${i}`)

// Each case: the operation, the params, and a fragment the error message must hold.
const invalid: ReadonlyArray<readonly ["add" | "replace" | "replacePairs" | "delete" | "list", unknown, string]> = [
  ["add", { modelId: "m", assetIds: ["a"], assetId: "b" }, "assetIds: cannot be combined"],
  ["add", { modelId: "m", assetIds: ["a"], data: PNG }, "assetIds: cannot be combined"],
  ["add", { modelId: "m", assetIds: ["a"], name: "x.png" }, "assetIds: cannot be combined"],
  ["add", { modelId: "m", assetIds: ids(11) }, "at most 10"],
  ["add", { modelId: "m", assetIds: [] }, "at least one"],
  ["add", { modelId: "m", assetIds: ["a", ""] }, "assetIds.1: must not be empty"],
  ["add", { modelId: "m", assetId: "a", data: PNG }, "assetId: cannot be combined with data or name"],
  ["add", { modelId: "m", assetId: "a", name: "x.png" }, "assetId: cannot be combined"],
  ["add", { modelId: "m", assetId: "" }, "assetId: must not be empty"],
  ["add", { modelId: "", assetId: "a" }, "modelId: must not be empty"],
  ["add", { assetId: "a" }, "modelId: is missing"],
  ["add", { modelId: "m" }, "give the image as assetId, assetIds"],
  ["add", { modelId: "m", name: "x.png" }, "name goes with data"],
  ["add", { modelId: "m", data: "iVBORw0KGgo=" }, "must be a data URL"],
  ["add", { modelId: "m", data: "data:text/plain;base64,aGk=" }, "must be a data URL"],
  ["add", { modelId: "m", data: "data:image/png,rawbytes" }, "must be a data URL"],
  ["add", { modelId: "m", data: "data:image/png;base64," }, "base64 payload"],
  ["add", { modelId: "m", data: "data:image/png;base64,abc" }, "base64 payload"],
  ["add", { modelId: "m", data: "data:image/png;base64,ab!d" }, "base64 payload"],
  ["add", { modelId: "m", data: "data:image/png;base64,a===" }, "base64 payload"],
  ["add", { modelId: "m", data: PNG, name: "" }, "name: must be non-empty"],
  ["add", { modelId: "m", assetId: "a", preset: "fancy" }, "preset"],
  ["add", { modelId: "m", assetId: "a", originalAssets: "yes" }, "originalAssets"],
  ["add", { modelId: "m", assetID: "a" }, "give the image as"],
  ["add", { modelId: "m", assetId: "a", colour: "blue" }, "colour"],
  ["add", { modelId: 5, assetId: "a" }, "modelId"],
  ["add", null, "expected an object"],
  ["add", "model_1", "expected an object"],
  ["add", { modelId: "m\uD800", assetId: "a" }, "well-formed"],
  ["replace", { modelId: "m", assetId: "a" }, "trainingImageId: is missing"],
  ["replace", { modelId: "m", trainingImageId: "", assetId: "a" }, "trainingImageId: must not be empty"],
  ["replace", { modelId: "m", trainingImageId: "..", assetId: "a" }, "must not be \".\" or \"..\""],
  ["replace", { modelId: "m", trainingImageId: "t", assetIds: ids(12) }, "at most 10"],
  ["replace", { modelId: "m", trainingImageId: "pairs", assetId: "a" }, "trainingImageId: must not be \"pairs\""],
  ["replacePairs", { modelId: "m" }, "pairs: is missing"],
  ["replacePairs", { modelId: "m", pairs: {} }, "pairs"],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a" }] }, "pairs.0.targetId: is missing"],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "", targetId: "b" }] }, "pairs.0.sourceId: must not be empty"],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: "b", instruction: 3 }] }, "instruction"],
  ["delete", { modelId: "m" }, "trainingImageId: is missing"],
  ["delete", { modelId: "m", trainingImageId: "t", projectId: "" }, "projectId: must not be empty"],
  ["list", { modelId: "." }, "must not be"],
  ["list", {}, "modelId: is missing"]
]

describe("invalid params fail before anything is sent", () => {
  // On the Effect 3 line this runs through the service over a stub and also checks that nothing was sent;
  // here the validators are called directly (the service's own suite covers what it sends).
  it("every rule", () => {
    for (const [operation, params, fragment] of invalid) {
      const result = (Validate[operation] as Validate.Validator<unknown>)(params)
      expect(Result.isFailure(result), JSON.stringify(params)).toBe(true)
      if (Result.isSuccess(result)) continue
      const error = result.failure
      expect(error._tag, JSON.stringify(params)).toBe("InvalidRequestError")
      expect(error.operation).toBe(operation)
      expect(error.message, JSON.stringify(params)).toContain(fragment)
    }
  })

  it("every problem is listed at once", () => {
    const result = Validate.replacePairs({ modelId: "", pairs: [{ sourceId: "", targetId: "" }] })
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isSuccess(result)) return
    expect(result.failure.issues.map((issue) => issue.path.join("."))).toEqual([
      "modelId",
      "pairs.0.sourceId",
      "pairs.0.targetId"
    ])
  })

  it("one line per real problem: every one listed, none from the union's other members", () => {
    const lines = (result: Result.Result<unknown, TrainingImagesError.InvalidRequestError>) =>
      Result.isFailure(result) ? result.failure.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) : []
    expect(lines(Validate.add({ modelId: "m", assetIds: [...ids(11), ""] }))).toEqual([
      "assetIds: a batch holds at most 10 asset ids, got 12",
      "assetIds.11: must not be empty"
    ])
    expect(lines(Validate.add({ modelId: "m", assetIds: ids(11) }))).toEqual([
      "assetIds: a batch holds at most 10 asset ids, got 11"
    ])
    expect(lines(Validate.add({ modelId: "m", data: "bad", name: "" }))).toEqual([
      "data: must be a data URL of the form data:image/<type>;base64,<payload>",
      "name: must be non-empty, well-formed text"
    ])
    expect(lines(Validate.add({ modelId: "m", assetId: "a", preset: "bogus" }))).toEqual([
      "preset: must be \"default\", \"style\" or \"subject\""
    ])
    expect(lines(Validate.replace({ modelId: "", trainingImageId: "t", assetIds: [], preset: 1 }))).toEqual([
      "modelId: must not be empty",
      "assetIds: a batch needs at least one asset id",
      "preset: must be \"default\", \"style\" or \"subject\""
    ])
    expect(lines(Validate.add({ modelId: "m", assetId: "a", originalAssets: "yes" }))).toEqual([
      "originalAssets: Expected boolean, actual \"yes\""
    ])
  })

  it("params whose reading throws end as InvalidRequestError, never a throw", () => {
    const hostile = {
      get modelId(): string {
        throw new Error("boom")
      },
      assetId: "a"
    }
    const result = Validate.add(hostile)
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isSuccess(result)) return
    expect(result.failure._tag).toBe("InvalidRequestError")
    expect(result.failure.message).toContain("boom")
  })

  it("valid params pass unchanged", () => {
    const params = { modelId: "m", trainingImageId: "t", data: PNG, name: "a.png", preset: "style" as const }
    expect(Validate.replace(params)).toEqual(Result.succeed(params))
    expect(Validate.add({ modelId: "m", assetIds: ids(10) })).toEqual(
      Result.succeed({ modelId: "m", assetIds: ids(10) })
    )
  })

  it("a 16 MiB data URL is checked", () => {
    const payload = "A".repeat(16 * 1024 * 1024)
    expect(Result.isSuccess(Validate.add({ modelId: "m", data: `data:image/png;base64,${payload}` }))).toBe(true)
    expect(Result.isFailure(Validate.add({ modelId: "m", data: `data:image/png;base64,${payload.slice(1)}!` }))).toBe(
      true
    )
  })
})

describe("messages as the Effect 3 line words them", () => {
  const lines = (result: Result.Result<unknown, TrainingImagesError.InvalidRequestError>) =>
    Result.isFailure(result) ? result.failure.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) : []

  it("a refined string of another type is expected as a string; an unexpected key names the expected ones", () => {
    expect(lines(Validate.add({ modelId: 5, assetId: "a", colour: "blue" }))).toEqual([
      "colour: is unexpected, expected: \"modelId\" | \"originalAssets\" | \"assetId\" | \"assetIds\" | \"data\" | \"name\" | \"preset\"",
      "modelId: Expected string, actual 5"
    ])
    expect(lines(Validate.add({ modelId: "m", assetIds: [1, "b"] }))).toEqual(["assetIds.0: Expected string, actual 1"])
    expect(lines(Validate.list({}))).toEqual(["modelId: is missing"])
  })
})

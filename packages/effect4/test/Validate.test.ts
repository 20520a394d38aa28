import type { TrainingImagesError } from "@effect-scenario/effect4"
import { Validate } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as Cases from "../../../contract/validate.js"

const { ids } = Cases

describe("invalid params fail before anything is sent", () => {
  // On the Effect 3 line this runs through the service over a stub and also checks that nothing was sent;
  // here the validators are called directly (the service's own suite covers what it sends).
  it("every rule", () => {
    for (const [operation, params, fragment] of Cases.rules) {
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
    const result = Validate.replacePairs(Cases.allAtOnce.params)
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isSuccess(result)) return
    expect(result.failure.issues.map((issue) => issue.path.join("."))).toEqual(Cases.allAtOnce.paths)
  })

  it("one line per real problem: every one listed, none from the union's other members", () => {
    const lines = (result: Result.Result<unknown, TrainingImagesError.InvalidRequestError>) =>
      Result.isFailure(result) ? result.failure.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) : []
    for (const [operation, params, expected] of Cases.messageLines) {
      expect(lines(Validate[operation](params)), JSON.stringify(params)).toEqual(expected)
    }
  })

  it("params whose reading throws end as InvalidRequestError, never a throw", () => {
    const hostile = Cases.throwingParams()
    const result = Validate.add(hostile)
    expect(Result.isFailure(result)).toBe(true)
    if (Result.isSuccess(result)) return
    expect(result.failure._tag).toBe("InvalidRequestError")
    expect(result.failure.message).toContain("boom")
  })

  it("valid params pass unchanged", () => {
    const params = Cases.validReplace
    expect(Validate.replace(params)).toEqual(Result.succeed(params))
    expect(Validate.add({ modelId: "m", assetIds: ids(10) })).toEqual(
      Result.succeed({ modelId: "m", assetIds: ids(10) })
    )
  })

  it("a 16 MiB data URL is checked", () => {
    const payload = Cases.hugePayload()
    expect(Result.isSuccess(Validate.add({ modelId: "m", data: `data:image/png;base64,${payload}` }))).toBe(true)
    expect(Result.isFailure(Validate.add({ modelId: "m", data: `data:image/png;base64,${payload.slice(1)}!` }))).toBe(
      true
    )
  })
})

import type { TrainingImagesError } from "@effect-scenario/core"
import { Validate } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import * as Cases from "../../../contract/validate.js"
import { withStub } from "./stub.js"

const { ids } = Cases

describe("invalid params fail before anything is sent", () => {
  it.effect("every rule", () =>
    Effect.gen(function*() {
      for (const [operation, params, fragment] of Cases.rules) {
        const { images, recorded } = yield* withStub([{ status: 200, body: {} }])
        const call = images[operation] as (
          p: unknown
        ) => Effect.Effect<unknown, TrainingImagesError.TrainingImagesError>
        const error = yield* Effect.flip(call(params))
        expect(error._tag, JSON.stringify(params)).toBe("InvalidRequestError")
        if (error._tag !== "InvalidRequestError") continue
        expect(error.operation).toBe(operation)
        expect(error.message, JSON.stringify(params)).toContain(fragment)
        expect(yield* recorded, JSON.stringify(params)).toHaveLength(0)
      }
    }))

  it("every problem is listed at once", () => {
    const result = Validate.replacePairs(Cases.allAtOnce.params)
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isRight(result)) return
    expect(result.left.issues.map((issue) => issue.path.join("."))).toEqual(Cases.allAtOnce.paths)
  })

  it("one line per real problem: every one listed, none from the union's other members", () => {
    const lines = (result: Either.Either<unknown, TrainingImagesError.InvalidRequestError>) =>
      Either.isLeft(result) ? result.left.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) : []
    for (const [operation, params, expected] of Cases.messageLines) {
      expect(lines(Validate[operation](params)), JSON.stringify(params)).toEqual(expected)
    }
  })

  it.effect("params whose reading throws end as InvalidRequestError, never a throw", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: {} }])
      const hostile = Cases.throwingParams()
      const error = yield* Effect.flip(images.add(hostile))
      expect(error._tag).toBe("InvalidRequestError")
      expect(error.message).toContain("boom")
      expect(yield* recorded).toHaveLength(0)
    }))

  it("valid params pass unchanged", () => {
    const params = Cases.validReplace
    expect(Validate.replace(params)).toEqual(Either.right(params))
    expect(Validate.add({ modelId: "m", assetIds: ids(10) })).toEqual(Either.right({ modelId: "m", assetIds: ids(10) }))
  })

  it("a 16 MiB data URL is checked", () => {
    const payload = Cases.hugePayload()
    expect(Either.isRight(Validate.add({ modelId: "m", data: `data:image/png;base64,${payload}` }))).toBe(true)
    expect(Either.isLeft(Validate.add({ modelId: "m", data: `data:image/png;base64,${payload.slice(1)}!` }))).toBe(true)
  })
})

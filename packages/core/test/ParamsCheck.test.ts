/**
 * The kernel's plain checks of each operation's params (what the emulator answers a bad request with) and
 * core's Schema validators (what the client refuses before sending) give the same verdict and the same issues
 * for the same params: a list of bad params of every kind, and arbitrary ones.
 */
import { Validate } from "@effect-scenario/core"
import * as ParamsCheck from "@effect-scenario/kernel/ParamsCheck"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"

const operations = ["add", "replace", "replacePairs", "delete", "list"] as const
type Operation = typeof operations[number]

const png = "data:image/png;base64,iVBORw0KGgo="

const bad: ReadonlyArray<readonly [Operation, unknown]> = [
  ["add", {}],
  ["add", null],
  ["add", []],
  ["add", 5],
  ["add", { modelId: "m" }],
  ["add", { modelId: "m", assetId: 5 }],
  ["add", { modelId: 5, assetId: "a" }],
  ["add", { assetId: "a" }],
  ["add", { modelId: "", assetId: "" }],
  ["add", { modelId: ".", assetId: "\uD800" }],
  ["add", { modelId: "m", assetId: "a", preset: "x" }],
  ["add", { modelId: "m", assetId: "a", preset: 1 }],
  ["add", { modelId: "m", assetId: "a", extra: 1 }],
  ["add", { modelId: "m", assetIds: [] }],
  ["add", { modelId: "m", assetIds: "x" }],
  ["add", { modelId: "m", assetIds: null }],
  ["add", { assetIds: null, preset: "x" }],
  ["add", { modelId: "m", assetIds: { 0: "a" } }],
  ["add", { modelId: "m", assetIds: [1, "", null, [], {}] }],
  ["add", { modelId: "m", assetIds: Array(12).fill("") }],
  ["add", { modelId: "m", assetIds: Array(11).fill("a") }],
  ["add", { modelId: "m", assetIds: ["a"], name: "n" }],
  ["add", { modelId: "m", assetId: "a", data: png }],
  ["add", { modelId: "m", name: "n" }],
  ["add", { modelId: "m", data: "x" }],
  ["add", { modelId: "m", data: "data:image/png;base64,AAA" }],
  ["add", { modelId: "m", data: "data:image/png;base64,A=AA" }],
  ["add", { modelId: "m", data: "data:image/png;base64," }],
  ["add", { modelId: "m", data: 5 }],
  ["add", { modelId: "m", data: png, name: "" }],
  ["add", { modelId: "m", data: png, name: 5 }],
  ["add", { modelId: "m", data: png, name: null }],
  ["add", { modelId: "m", assetId: "a", originalAssets: "yes" }],
  ["add", { modelId: "..", assetId: "a", preset: 5, extra: 1, more: { a: [1, "b"] } }],
  ["add", { modelId: null, assetId: "a", originalAssets: null }],
  ["replace", { modelId: "m", trainingImageId: "pairs", assetId: "a" }],
  ["replace", { modelId: "m", assetId: "a" }],
  ["replace", { modelId: "m", trainingImageId: "", assetId: "a" }],
  ["replace", { modelId: "m", trainingImageId: 7, data: "x", extra: true }],
  ["replace", { modelId: "m", trainingImageId: "t", assetIds: [""] }],
  ["replace", []],
  ["replacePairs", {}],
  ["replacePairs", { modelId: "m" }],
  ["replacePairs", { modelId: "m", pairs: {} }],
  ["replacePairs", { modelId: "m", pairs: "x" }],
  ["replacePairs", { modelId: "m", pairs: [{}] }],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: 5, instruction: 1, x: 1 }] }],
  ["replacePairs", { modelId: "m", pairs: [null, 1, "a", []] }],
  ["replacePairs", { modelId: "", pairs: [{ sourceId: "", targetId: "..", instruction: null }], extra: 1 }],
  ["replacePairs", null],
  ["replacePairs", []],
  ["replacePairs", [1]],
  ["delete", {}],
  ["delete", { modelId: "m" }],
  ["delete", { modelId: "m", trainingImageId: "t", projectId: "" }],
  ["delete", { modelId: "m", trainingImageId: "t", projectId: 5 }],
  ["delete", { modelId: "m", trainingImageId: "pairs", projectId: "p", x: 1 }],
  ["delete", "m"],
  ["list", { modelId: "m", originalAssets: "true" }],
  ["list", { modelId: "m", x: 1 }],
  ["list", { modelId: "m", originalAssets: null }],
  ["list", 5],
  ["list", null],
  ["list", undefined]
]

const good: ReadonlyArray<readonly [Operation, unknown]> = [
  ["add", { modelId: "m", assetId: "a", preset: "subject", originalAssets: true }],
  ["add", { modelId: "m", assetIds: ["a", "b"] }],
  ["add", { modelId: "m", data: png, name: "a.png" }],
  ["replace", { modelId: "m", trainingImageId: "t", data: png }],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: "b", instruction: "night" }] }],
  ["replacePairs", { modelId: "m", pairs: [] }],
  ["delete", { modelId: "m", trainingImageId: "t", projectId: "p" }],
  ["list", { modelId: "m" }]
]

const kernel = (operation: Operation, input: unknown) => {
  const checked = ParamsCheck[operation](input)
  return checked._tag === "Valid" ? { valid: true, issues: [] } : { valid: false, issues: checked.issues }
}

const schema = (operation: Operation, input: unknown) => {
  const result: Either.Either<unknown, { readonly issues: ReadonlyArray<unknown> }> = Validate[operation](input)
  return Either.isRight(result) ? { valid: true, issues: [] } : { valid: false, issues: result.left.issues }
}

describe("the kernel's params checks and core's validators", () => {
  it("refuse the same bad params with the same issues", () => {
    for (const [operation, input] of bad) {
      const expected = schema(operation, input)
      expect(expected.valid, `${operation} ${JSON.stringify(input)}`).toBe(false)
      expect(kernel(operation, input), `${operation} ${JSON.stringify(input)}`).toEqual(expected)
    }
  })

  it("accept the same good params", () => {
    for (const [operation, input] of good) {
      expect(schema(operation, input).valid).toBe(true)
      expect(ParamsCheck[operation](input)).toEqual({ _tag: "Valid", params: input })
    }
  })

  it("agree on arbitrary params", () => {
    const value = fc.oneof(
      fc.constantFrom("", ".", "..", "pairs", "a", png, "data:image/png;base64,AA", "\uD800", "default", "x"),
      fc.integer(),
      fc.boolean(),
      fc.constant(null)
    )
    const field = fc.oneof(
      value,
      fc.array(value, { maxLength: 12 }),
      fc.dictionary(fc.constantFrom("sourceId", "targetId", "x"), value)
    )
    const keys = fc.constantFrom(
      "modelId",
      "trainingImageId",
      "assetId",
      "assetIds",
      "data",
      "name",
      "preset",
      "originalAssets",
      "pairs",
      "projectId",
      "extra"
    )
    const params = fc.oneof(fc.dictionary(keys, field), field)
    fc.assert(
      fc.property(fc.constantFrom(...operations), params, (operation, input) => {
        expect(kernel(operation, input)).toEqual(schema(operation, input))
      }),
      { numRuns: 5000 }
    )
  })

  it("turn params that throw when read into one issue", () => {
    const throwing = new Proxy({}, {
      ownKeys: () => {
        throw new Error("no keys")
      }
    })
    for (const operation of operations) expect(kernel(operation, throwing)).toEqual(schema(operation, throwing))
  })
})

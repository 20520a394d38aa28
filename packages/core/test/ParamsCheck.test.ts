/**
 * The Effect 3 line's runner of the params table (`contract/params.ts`, shared with the Effect 4 line): the
 * kernel's plain checks of each operation's params (what the emulator answers a bad request with) and core's
 * Schema validators (what the client refuses before sending) give the same verdict and the same issues for the
 * same params: a list of bad params of every kind, and arbitrary ones.
 */
import { Validate } from "@effect-scenario/core"
import * as ParamsCheck from "@effect-scenario/kernel/ParamsCheck"
import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "effect/FastCheck"
import { arbitrary, bad, good, type Operation, operations } from "../../../contract/params.js"

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
    const value = fc.oneof(fc.constantFrom(...arbitrary.values), fc.integer(), fc.boolean(), fc.constant(null))
    const field = fc.oneof(
      value,
      fc.array(value, { maxLength: arbitrary.maxArray }),
      fc.dictionary(fc.constantFrom(...arbitrary.pairKeys), value)
    )
    const keys = fc.constantFrom(...arbitrary.keys)
    const params = fc.oneof(fc.dictionary(keys, field), field)
    fc.assert(
      fc.property(fc.constantFrom(...operations), params, (operation, input) => {
        expect(kernel(operation, input)).toEqual(schema(operation, input))
      }),
      { numRuns: arbitrary.runs }
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

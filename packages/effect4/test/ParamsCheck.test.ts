/**
 * The Effect 4 line's runner of the params table (`contract/params.ts`, shared with the Effect 3 line): the
 * kernel's plain checks of each operation's params (what the emulator answers a bad request with) and the line's
 * Schema validators (what the client refuses before sending) give the same verdict and the same issues for the
 * same params: a list of bad params of every kind, and arbitrary ones.
 */
import * as ParamsCheck from "@effect-scenario/kernel/ParamsCheck"
import { describe, expect, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { arbitrary, bad, good, type Operation, operations, withoutTypeName } from "../../../contract/params.js"
import * as Validate from "../src/Validate.js"

// The issues with the type each message names left out: this line's Schema names it its own way.
const comparable = (issues: ReadonlyArray<{ readonly path: ReadonlyArray<unknown>; readonly message: string }>) =>
  issues.map((issue) => ({ ...issue, message: withoutTypeName(issue.message) }))

const kernel = (operation: Operation, input: unknown) => {
  const checked = ParamsCheck[operation](input)
  return checked._tag === "Valid" ? { valid: true, issues: [] } : { valid: false, issues: comparable(checked.issues) }
}

const schema = (operation: Operation, input: unknown) => {
  const result: Result.Result<
    unknown,
    { readonly issues: ReadonlyArray<{ readonly path: ReadonlyArray<unknown>; readonly message: string }> }
  > = Validate[operation](input)
  return Result.isSuccess(result)
    ? { valid: true, issues: [] }
    : { valid: false, issues: comparable(result.failure.issues) }
}

describe("the kernel's params checks and the line's validators", () => {
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

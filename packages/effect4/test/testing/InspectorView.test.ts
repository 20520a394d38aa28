// The Effect 4 line's runner of the inspector's checks (`contract/inspector.ts`, shared with the Effect 3 line):
// the page script run as the browser runs it, this line's inspector rules, and `controlCall`, whose answer is
// a `Result` here.
import { Fault } from "@effect-scenario/effect4/testing"
import * as Script from "@effect-scenario/emulator/InspectorScript"
import { describe, expect, it } from "@effect/vitest"
import * as Result from "effect/Result"
import * as vm from "node:vm"
import * as Checks from "../../../../contract/inspector.js"
import * as Inspector from "../../src/testing/internal/inspector.js"

// The page's script as the browser runs it, in a context of its own with no DOM.
const context: { InspectorView?: Checks.View } = {}
vm.runInNewContext(Script.VIEW, context)
const View = context.InspectorView!

const compare: Checks.Compare = {
  equal: (actual, expected) => expect(actual).toEqual(expected),
  contains: (text, words) => expect(text).toContain(words),
  lacks: (text, words) => expect(text).not.toContain(words)
}

describe("inspector view", () => {
  for (const test of Checks.viewTests) it(test.name, () => test.run(View, compare))

  it("reads the fault form into the control API's body, which the server accepts", () => {
    Checks.faultForm(View, compare)
    expect(Inspector.controlCall("fail-next", JSON.stringify(Checks.FAULT_FORM_BODY))).toEqual(Result.succeed({
      _tag: "FailNext",
      count: 2,
      fault: Fault.rateLimited({ retryAfter: "7 seconds" }),
      operation: undefined
    }))
  })
})

describe("inspector rules", () => {
  it("turns control requests into Control calls, refusing what it cannot read", () => {
    expect(Inspector.controlCall("fail-next", "{\"count\":1,\"kind\":\"drop-after-apply\",\"operation\":\"add\"}"))
      .toEqual(Result.succeed({ _tag: "FailNext", count: 1, fault: Fault.dropAfterApply, operation: "add" }))
    expect(Inspector.controlCall("fail-next", "{\"count\":1,\"kind\":\"teapot\"}")).toEqual(
      Result.fail("Unknown fault kind \"teapot\"")
    )
    expect(Result.isFailure(Inspector.controlCall("fail-next", "{\"count\":0,\"kind\":\"500\"}"))).toBe(true)
    expect(Result.isFailure(Inspector.controlCall("fail-next", "{\"count\":1,\"kind\":\"500\",\"extra\":1}"))).toBe(
      true
    )
    expect(Inspector.controlCall("seed", "not json")).toEqual(Result.fail("Invalid JSON body"))
    expect(Inspector.controlCall("seed", "{\"m\":{\"trainingImages\":[{\"name\":\"x\"}]}}")).toEqual(
      Result.succeed({ _tag: "Seed", models: { m: { trainingImages: [{ name: "x" }] } } })
    )
    expect(Inspector.controlCall("reset", "")).toEqual(Result.succeed({ _tag: "Reset" }))
    expect(Result.isFailure(Inspector.controlCall("shutdown", "{}"))).toBe(true)
  })

  for (const test of Checks.rulesTests) it(test.name, () => test.run(Inspector, compare))
})

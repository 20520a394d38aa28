import * as FaultKind from "@effect-scenario/emulator/FaultKind"
import * as Inspector from "@effect-scenario/emulator/Inspector"
import { describe, expect, it } from "vitest"

const call = (action: string, body: unknown) =>
  Inspector.controlCall(action, typeof body === "string" ? body : JSON.stringify(body), FaultKind.answerOf)

const refusal = (body: unknown) => {
  const read = call("fail-next", body)
  return read._tag === "Refused" ? read.message : read._tag
}

describe("the inspector's control calls", () => {
  it("reads a fail-next body into the fault its kind names, with the wait and hold asked", () => {
    expect(call("fail-next", { count: 2, kind: "429", retryAfterSeconds: 7, operation: "add" })).toEqual({
      _tag: "FailNext",
      count: 2,
      fault: FaultKind.answerOf("429", { retryAfterMillis: 7000 }),
      operation: "add"
    })
    expect(call("fail-next", { count: 1, kind: "delay-after-apply", delayMillis: 10 })).toEqual({
      _tag: "FailNext",
      count: 1,
      fault: { _tag: "Delay", millis: 10, afterApply: true },
      operation: undefined
    })
  })

  it("refuses a fail-next body in one line naming the field", () => {
    expect(refusal("x")).toBe("Invalid JSON body")
    expect(refusal([])).toBe("expected an object of count, kind and optional fields, got []")
    expect(refusal({})).toBe("count: expected an integer from 1 to 10000, got undefined")
    expect(refusal({ count: 1.5, kind: "429" })).toBe("count: expected an integer from 1 to 10000, got 1.5")
    expect(refusal({ count: "1", kind: "429" })).toBe("count: expected an integer from 1 to 10000, got \"1\"")
    expect(refusal({ count: 10_001, kind: "429" })).toBe("count: expected an integer from 1 to 10000, got 10001")
    expect(refusal({ count: 1, kind: 5 })).toBe("kind: expected text, got 5")
    expect(refusal({ count: 1, kind: "429", retryAfterSeconds: -1 })).toBe(
      "retryAfterSeconds: expected a number from 0 to 86400, got -1"
    )
    expect(refusal({ count: 1, kind: "429", retryAfterSeconds: null })).toBe(
      "retryAfterSeconds: expected a number from 0 to 86400, got null"
    )
    expect(refusal({ count: 1, kind: "delay", delayMillis: 0.5 })).toBe(
      "delayMillis: expected an integer from 0 to 3600000, got 0.5"
    )
    expect(refusal({ count: 1, kind: "429", operation: "x" })).toBe(
      "operation: expected \"add\" | \"replace\" | \"replacePairs\" | \"delete\" | \"list\", got \"x\""
    )
    expect(refusal({ count: 1, kind: "429", extra: 1 })).toBe(
      "\"extra\" is unexpected, expected: \"count\" | \"kind\" | \"retryAfterSeconds\" | \"delayMillis\" | \"operation\""
    )
    expect(refusal({ count: 1, kind: "teapot" })).toBe("Unknown fault kind \"teapot\"")
    expect(refusal({ count: 1, kind: "429-after-apply" })).toBe("Unknown fault kind \"429-after-apply\"")
  })

  it("reads a seed as parsed, resets with any body, and refuses other actions", () => {
    const seed = call("seed", "{\"__proto__\":{\"status\":\"new\"}}")
    expect(seed._tag === "Seed" && Object.keys(seed.models)).toEqual(["__proto__"])
    expect(call("seed", [])).toEqual({ _tag: "Refused", message: "The seed must be a JSON object of models by id" })
    expect(call("seed", "{")).toEqual({ _tag: "Refused", message: "Invalid JSON body" })
    expect(call("reset", "")).toEqual({ _tag: "Reset" })
    expect(call("shutdown", {})).toEqual({ _tag: "Refused", message: "Unknown control action \"shutdown\"" })
  })
})

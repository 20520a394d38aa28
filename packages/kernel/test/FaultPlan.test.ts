/**
 * The fault plan: scripted faults first, in order and by operation, then seeded random ones; a request's key
 * makes its draw independent of the order requests arrive in.
 */
import * as FaultPlan from "@effect-scenario/kernel/FaultPlan"
import * as Prng from "@effect-scenario/kernel/Prng"
import { describe, expect, it } from "vitest"

const kindOf = (fault: string) => fault

describe("FaultPlan", () => {
  it("hands out scripted faults first, in the order given, to their operation only", () => {
    const plan = FaultPlan.make(kindOf, undefined)
    plan.failNext(2, "500", "add")
    plan.failNext(1, "429", undefined)
    expect(plan.pending()).toBe(3)
    expect(plan.next("list")).toBe("429")
    expect(plan.next("add")).toBe("500")
    expect(plan.next("add")).toBe("500")
    expect(plan.next("add")).toBeUndefined()
    expect(plan.pending()).toBe(0)
    expect(plan.countsByKind()).toEqual({ "500": 2, "429": 1 })
  })

  it("refuses a bad count, and takes 0 as nothing", () => {
    const plan = FaultPlan.make(kindOf, undefined)
    for (const count of [-1, 1.5, Number.NaN]) expect(() => plan.failNext(count, "500", undefined)).toThrow(RangeError)
    plan.failNext(0, "500", undefined)
    expect(plan.pending()).toBe(0)
  })

  it("checks random faults: a rate from 0 to 1, and faults to pick from above 0", () => {
    for (const rate of [-0.1, 1.1, Number.NaN]) {
      expect(() => FaultPlan.make(kindOf, { rate, faults: ["500"] })).toThrow(RangeError)
    }
    expect(() => FaultPlan.make(kindOf, { rate: 0.5, faults: [] })).toThrow(/at least one fault/)
    expect(() => FaultPlan.checkRandomFaults({ rate: 0, faults: [] })).not.toThrow()
  })

  it("draws the same random faults for the same seed, only for the operations listed", () => {
    const config = { rate: 0.5, faults: ["500", "503", "429"], seed: 11, operations: ["add" as const] }
    const run = () => {
      const plan = FaultPlan.make(kindOf, config)
      return Array.from({ length: 50 }, (_, i) => plan.next(i % 5 === 0 ? "list" : "add"))
    }
    const faults = run()
    expect(run()).toEqual(faults)
    expect(faults.filter((_, i) => i % 5 === 0).every((fault) => fault === undefined)).toBe(true)
    expect(faults.some((fault) => fault !== undefined)).toBe(true)
    expect(faults.some((fault) => fault === undefined)).toBe(true)
  })

  it("with keys, a request meets the same fault whatever the order of the others", () => {
    const config = { rate: 0.5, faults: ["500", "503"], seed: 3 }
    const keys = Array.from({ length: 30 }, (_, i) => `GET /models/m${i}`)
    const forward = FaultPlan.make(kindOf, config)
    const backward = FaultPlan.make(kindOf, config)
    const a = keys.map((key) => forward.next("list", key))
    const b = [...keys].reverse().map((key) => backward.next("list", key)).reverse()
    expect(b).toEqual(a)
    // The second sight of a key is a draw of its own.
    const again = keys.map((key) => forward.next("list", key))
    expect(again).not.toEqual(a)
  })

  it("reset forgets scripts, counts and keys, and reseeds", () => {
    const plan = FaultPlan.make(kindOf, { rate: 0.3, faults: ["500"], seed: 1 })
    const first = Array.from({ length: 20 }, () => plan.next("add"))
    plan.failNext(3, "429", undefined)
    plan.reset()
    expect(plan.pending()).toBe(0)
    expect(plan.countsByKind()).toEqual({})
    expect(Array.from({ length: 20 }, () => plan.next("add"))).toEqual(first)
    plan.setRandom(undefined)
    expect(plan.next("add")).toBeUndefined()
  })

  it("hash is FNV-1a over the UTF-16 code units", () => {
    expect(FaultPlan.hash("")).toBe(0x811c9dc5)
    expect(FaultPlan.hash("a")).toBe(0xe40c292c)
  })
})

describe("FaultPlan, the rules in detail", () => {
  it("says what is wrong with a bad count or a bad rate", () => {
    const plan = FaultPlan.make(kindOf, undefined)
    expect(() => plan.failNext(-1, "500", undefined)).toThrow("failNext expects a count >= 0, got -1")
    expect(() => FaultPlan.checkRandomFaults({ rate: 1.5, faults: ["500"] })).toThrow(
      "the fault rate must be from 0 to 1, got 1.5"
    )
    expect(() => FaultPlan.checkRandomFaults({ rate: 0.1, faults: [] })).toThrow(
      "a fault rate above 0 needs at least one fault to pick from"
    )
    // The bounds themselves are rates.
    expect(() => FaultPlan.checkRandomFaults({ rate: 1, faults: ["500"] })).not.toThrow()
    expect(() => FaultPlan.checkRandomFaults({ rate: 0, faults: ["500"] })).not.toThrow()
  })

  it("a count of 0 scripts nothing: the next request meets no fault", () => {
    const plan = FaultPlan.make(kindOf, undefined)
    plan.failNext(0, "500", undefined)
    expect(plan.next("add")).toBeUndefined()
    expect(plan.countsByKind()).toEqual({})
  })

  it("counts faults under the kind kindOf names, and pending sums every script's remainder", () => {
    const plan = FaultPlan.make((fault: { readonly status: number }) => `http-${fault.status}`, undefined)
    plan.failNext(2, { status: 500 }, "add")
    plan.failNext(3, { status: 503 }, "list")
    expect(plan.pending()).toBe(5)
    plan.next("add")
    plan.next("list")
    plan.next("list")
    expect(plan.pending()).toBe(2)
    expect(plan.countsByKind()).toEqual({ "http-500": 1, "http-503": 2 })
  })

  it("a fault meets a request whose roll is below the rate (never at it), and every fault can be picked", () => {
    const roll = Prng.make(21).number()
    expect(FaultPlan.make(kindOf, { rate: roll, faults: ["500"], seed: 21 }).next("add")).toBeUndefined()
    expect(FaultPlan.make(kindOf, { rate: roll + 1e-9, faults: ["500"], seed: 21 }).next("add")).toBe("500")
    const always = FaultPlan.make(kindOf, { rate: 1, faults: ["500", "503", "429"], seed: 5 })
    const met = new Set(Array.from({ length: 60 }, () => always.next("add")))
    expect(met).toEqual(new Set(["500", "503", "429"]))
  })

  it("the seed decides the draws, with or without keys; no seed is seed 0", () => {
    const draws = (seed: number | undefined, key?: (i: number) => string) => {
      const plan = FaultPlan.make(kindOf, { rate: 0.5, faults: ["500", "503"], seed })
      return Array.from({ length: 40 }, (_, i) => plan.next("add", key?.(i)))
    }
    const byKey = (i: number) => `POST /models/m/training-images ${i}`
    expect(draws(undefined)).toEqual(draws(0))
    expect(draws(7)).not.toEqual(draws(0))
    expect(draws(undefined, byKey)).toEqual(draws(0, byKey))
    expect(draws(7, byKey)).not.toEqual(draws(0, byKey))
    // Keys draw apart from each other: forty keys do not all meet the same outcome.
    expect(new Set(draws(7, byKey)).size).toBeGreaterThan(1)
    // And apart from the unkeyed sequence.
    expect(draws(7, byKey)).not.toEqual(draws(7))
  })

  it("reset forgets how often each key was seen", () => {
    const plan = FaultPlan.make(kindOf, { rate: 0.5, faults: ["500", "503"], seed: 9 })
    const keys = Array.from({ length: 30 }, (_, i) => `DELETE /models/m/training-images/t${i}`)
    const first = keys.map((key) => plan.next("delete", key))
    plan.reset()
    expect(keys.map((key) => plan.next("delete", key))).toEqual(first)
  })
})

describe("FaultPlan's keyed draw", () => {
  it("the n-th sight of a key draws from make64(hash(seed NUL key), n): a roll, then a pick", () => {
    const faults = ["500", "503", "429"]
    const seed = 4
    const key = "PUT /models/m/training-images/pairs"
    const plan = FaultPlan.make(kindOf, { rate: 0.6, faults, seed })
    for (let n = 1; n <= 12; n++) {
      const prng = Prng.make64(FaultPlan.hash(`${seed}\u0000${key}`), n)
      const roll = prng.number()
      const pick = faults[prng.integer(faults.length)]
      expect(plan.next("replacePairs", key), `sight ${n}`).toBe(roll < 0.6 ? pick : undefined)
    }
  })
})

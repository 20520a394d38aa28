/**
 * A smaller run of the fault-injection soak (`pnpm soak` runs the full one): the emulator on 127.0.0.1
 * injecting faults into about 30% of the requests, the client over the Node transport, a seeded mix of
 * operations with bounded concurrency. Every property of the soak must hold; and a client that retried adds
 * blindly must be caught applying them twice, which shows the checks can fail.
 *
 * The Effect 3 line's runner of the table `contract/soak.ts`, shared with the Effect 4 line.
 */
import { Fault } from "@effect-scenario/testing"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Soak from "../../../contract/soak.js"
import { format } from "../../testing/soak/report.js"
import { type BrokenRule, defaults, run } from "../../testing/soak/run.js"

const FAULT_KINDS: ReadonlyArray<string> = Fault.transientKinds

describe("fault-injection soak", () => {
  it.live("400 mixed operations under 30% faults: every property holds", () =>
    Effect.gen(function*() {
      const report = yield* run({ ...defaults, ...Soak.MIXED }).pipe(Effect.scoped)
      const f = report.figures
      // The table, for whoever reads the test's output.
      yield* Effect.sync(() => process.stdout.write(`${format(report)}\n`))

      expect(report.violations).toEqual([])
      expect(f.defects).toBe(0)
      expect(f.untyped).toBe(0)
      expect(f.addsAppliedTwice).toBe(0)
      expect(f.stateMismatches).toBe(0)
      expect(f.operations).toBe(Soak.MIXED.operations)

      // The run exercised what it claims to: every kind of fault, retries, each kind of add outcome.
      for (const kind of FAULT_KINDS) expect(f.faults[kind] ?? 0).toBeGreaterThan(0)
      expect(f.faultsTotal / f.requests).toBeGreaterThan(Soak.FAULT_SHARE.above)
      expect(f.faultsTotal / f.requests).toBeLessThan(Soak.FAULT_SHARE.below)
      expect(f.retries).toBeGreaterThan(0)
      expect(f.addsSucceeded).toBeGreaterThan(0)
      expect(f.addsNotApplied).toBeGreaterThan(0)
      expect(f.ambiguousAdds).toBeGreaterThan(0)

      // Every idempotent operation succeeded, but those whose every attempt met a fault and the deletes that
      // found their image already deleted by an attempt whose response was lost.
      expect(Soak.failedIdempotent(f)).toBe(f.beyondRetryPolicy + f.deletesConverged)
    }), 60_000)

  it.live("a client that retried adds blindly would be caught applying them twice", () =>
    Effect.gen(function*() {
      const report = yield* run({ ...defaults, ...Soak.BLIND }).pipe(Effect.scoped)
      expect(report.figures.addsAppliedTwice).toBeGreaterThan(0)
      expect(Soak.caughtApplyingTwice(report.violations)).toBe(true)
      expect(report.figures.defects).toBe(0)
    }), 60_000)

  // Each rule that keeps an add from being applied twice, broken on purpose, under the faults that come
  // after the change was applied: the soak must catch it.
  const brokenRules: ReadonlyArray<readonly [BrokenRule, ReadonlyArray<string>]> = Soak.BROKEN_RULES
  for (const [rule, faultKinds] of brokenRules) {
    it.live(`a client that broke ${rule} would be caught applying adds twice`, () =>
      Effect.gen(function*() {
        const report = yield* run({ ...defaults, ...Soak.brokenRun(faultKinds), breakRule: rule }).pipe(Effect.scoped)
        expect(report.figures.addsAppliedTwice).toBeGreaterThan(0)
        expect(Soak.caughtApplyingTwice(report.violations)).toBe(true)
        expect(report.figures.defects).toBe(0)
        // Kept to the rule, the same run holds.
        const kept = yield* run({ ...defaults, ...Soak.brokenRun(faultKinds) }).pipe(Effect.scoped)
        expect(kept.violations).toEqual([])
      }), 60_000)
  }
})

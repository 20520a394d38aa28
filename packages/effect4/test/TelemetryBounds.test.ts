/**
 * The label sets of the client's metrics are built once and reused (each label set is a metric of its own, whose
 * series key Effect caches on it), and the caches that keep them are bounded: a pathological server (a new
 * status or error each time) cannot grow them without end. The recorder's own bookkeeping of a watched fiber is
 * tested here too.
 *
 * The Effect 4 line's runner of the bounds in the table `contract/telemetryCalls.ts`, shared with the Effect 3 line.
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Fiber } from "effect"
import * as Table from "../../../contract/telemetryCalls.js"
import * as Telemetry from "../src/internal/telemetry.js"

const { BEYOND, CAP } = Table

const freshSeries = (host: string): Telemetry.Series => {
  const series = Telemetry.seriesOf(Table.freshInfo(host))
  return { base: series.base, active: series.active, outcomes: new Map(), retries: new Map(), succeeded: new Map() }
}

describe("the series of a request", () => {
  // First in this file: no other series exists in this module's cache yet.
  it("is built once per operation, method and server, and at most a thousand are kept", () => {
    const { info } = Table.seriesCache
    let kept = 0
    for (let i = 0; i < CAP + BEYOND; i++) if (Telemetry.seriesOf(info(i)) === Telemetry.seriesOf(info(i))) kept++
    expect(kept).toBe(Table.seriesCache.kept)
    // Past the cap, each series is built anew, its labels the same.
    const past = info(Table.seriesCache.past)
    expect(Telemetry.seriesOf(past)).not.toBe(Telemetry.seriesOf(past))
    expect(Telemetry.seriesOf(past).base).toEqual(Telemetry.seriesOf(past).base)
  })
})

describe("a recorder's label sets", () => {
  const recorderOf = (series: Telemetry.Series) => new Telemetry.Recorder(series, Context.empty(), undefined, true)

  it("of a failed attempt: built once per status and error type, at most a thousand kept", () => {
    const { error, host, key, others } = Table.outcomes
    const series = freshSeries(host)
    const record = recorderOf(series)
    record.begin()
    record.end(error)
    const first = series.outcomes.get(key)
    expect(first).toBeDefined()
    record.begin()
    record.end(error)
    expect(series.outcomes.get(key)).toBe(first)
    expect(series.outcomes.size).toBe(1)
    for (let i = 0; i < CAP + BEYOND; i++) {
      record.begin()
      record.end(others(i))
    }
    expect(series.outcomes.size).toBe(Table.outcomes.kept)
  })

  it("of a retry: built once per reason, at most a thousand kept", () => {
    const { host, others, reason } = Table.retries
    const series = freshSeries(host)
    const record = recorderOf(series)
    record.begin()
    record.end(reason)
    record.begin()
    const first = series.retries.get(reason)
    expect(first).toBeDefined()
    record.end(reason)
    record.begin()
    expect(series.retries.get(reason)).toBe(first)
    expect(series.retries.size).toBe(1)
    for (let i = 0; i < CAP + BEYOND; i++) {
      record.end(others(i))
      record.begin()
    }
    record.end(undefined)
    expect(series.retries.size).toBe(Table.retries.kept)
  })

  it("of a success: built once per status, at most a thousand kept", () => {
    const { host, others, status } = Table.succeeded
    const series = freshSeries(host)
    const record = recorderOf(series)
    record.begin()
    record.status = status
    record.end(undefined)
    const first = series.succeeded.get(status)
    expect(first).toBeDefined()
    record.begin()
    record.status = status
    record.end(undefined)
    expect(series.succeeded.get(status)).toBe(first)
    expect(series.succeeded.size).toBe(1)
    expect(series.outcomes.size).toBe(0)
    for (let i = 0; i < CAP + BEYOND; i++) {
      record.begin()
      record.status = others(i)
      record.end(undefined)
    }
    expect(series.succeeded.size).toBe(Table.succeeded.kept)
  })

  it("of a success with no status: built once and kept with the outcomes (the successes are kept by status)", () => {
    const { host, key, keys } = Table.succeededNoStatus
    const series = freshSeries(host)
    const record = recorderOf(series)
    record.begin()
    record.end(undefined)
    const first = series.outcomes.get(key)
    expect(first).toBeDefined()
    record.begin()
    record.end(undefined)
    expect(series.outcomes.get(key)).toBe(first)
    expect([...series.outcomes.keys()]).toEqual(keys)
    expect(series.succeeded.size).toBe(0)
  })

  it("an end with no attempt begun counts nothing and keeps no error", () => {
    const { error, failure, host } = Table.neverBegun
    const series = freshSeries(host)
    const record = recorderOf(series)
    record.end(error)
    record.fail(failure as never)
    expect(series.outcomes.size).toBe(0)
    expect(series.succeeded.size).toBe(0)
    expect(record.lastError).toBeUndefined()
    expect(record.status).toBeUndefined()
  })

  it("an attempt ended twice is counted once", () => {
    const { ends, failure, host, keys, lastError } = Table.endedTwice
    const series = freshSeries(host)
    const record = recorderOf(series)
    record.begin()
    for (const error of ends) record.end(error)
    record.fail(failure as never)
    expect([...series.outcomes.keys()]).toEqual(keys)
    expect(record.lastError).toBe(lastError)
  })
})

describe("a recorder that watches a fiber", () => {
  // Runs `body` in a fiber whose recorder begins an attempt and never ends it: the fiber's end does.
  const outcomeOf = (host: string, body: Effect.Effect<unknown, unknown>) =>
    Effect.gen(function*() {
      const series = freshSeries(host)
      // Started at once, so that the recorder observes the fiber before this one awaits it (as a call's recorder
      // does, from its attempt's start): Effect 4 tells a fiber's observers in turn, and this one, resumed first,
      // would read the outcomes before the recorder had ended the attempt.
      const fiber = yield* Effect.forkChild(
        Effect.withFiber<unknown, unknown>((fiber) => {
          Telemetry.recorder(fiber, series, true).watch(fiber).begin()
          return body
        }),
        { startImmediately: true }
      )
      yield* Fiber.await(fiber)
      return [...series.outcomes.keys()]
    })
  const { dies, ends, fails, interrupted } = Table.watched

  it.effect("ends the attempt in flight as a defect when the fiber dies", () =>
    Effect.gen(function*() {
      expect(yield* outcomeOf(dies.host, Effect.die(dies.defect))).toEqual(dies.keys)
    }))

  it.effect("as a defect when the fiber fails", () =>
    Effect.gen(function*() {
      expect(yield* outcomeOf(fails.host, Effect.fail(fails.error))).toEqual(fails.keys)
    }))

  it.effect("as interrupted when the fiber is interrupted, or goes on to its end past the attempt", () =>
    Effect.gen(function*() {
      expect(yield* outcomeOf(interrupted.host, Effect.interrupt)).toEqual(interrupted.keys)
      expect(yield* outcomeOf(ends.host, Effect.void)).toEqual(ends.keys)
    }))
})

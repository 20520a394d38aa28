/**
 * The label sets of the client's metrics are built once and reused (each label set is a metric of its own, whose
 * series key Effect caches on it), and the caches that keep them are bounded: a pathological server (a new
 * status or error each time) cannot grow them without end. The recorder's own bookkeeping of a watched fiber is
 * tested here too.
 */
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Fiber } from "effect"
import * as Telemetry from "../src/internal/telemetry.js"

const CAP = 1_000

const freshSeries = (host: string): Telemetry.Series => {
  const series = Telemetry.seriesOf({ operation: "list", method: "GET", serverAddress: host })
  return { base: series.base, active: series.active, outcomes: new Map(), retries: new Map(), succeeded: new Map() }
}

describe("the series of a request", () => {
  // First in this file: no other series exists in this module's cache yet.
  it("is built once per operation, method and server, and at most a thousand are kept", () => {
    const info = (i: number) => ({
      operation: "list" as const,
      method: "GET",
      serverAddress: `series-${i}.scenario.test`,
      serverPort: 443
    })
    let kept = 0
    for (let i = 0; i < CAP + 100; i++) if (Telemetry.seriesOf(info(i)) === Telemetry.seriesOf(info(i))) kept++
    expect(kept).toBe(CAP)
    // Past the cap, each series is built anew, its labels the same.
    const past = info(CAP + 50)
    expect(Telemetry.seriesOf(past)).not.toBe(Telemetry.seriesOf(past))
    expect(Telemetry.seriesOf(past).base).toEqual(Telemetry.seriesOf(past).base)
  })
})

describe("a recorder's label sets", () => {
  const recorderOf = (series: Telemetry.Series) => new Telemetry.Recorder(series, Context.empty(), undefined, true)

  it("of a failed attempt: built once per status and error type, at most a thousand kept", () => {
    const series = freshSeries("outcomes.scenario.test")
    const record = recorderOf(series)
    record.begin()
    record.end("ConnectionError")
    const first = series.outcomes.get("undefined ConnectionError")
    expect(first).toBeDefined()
    record.begin()
    record.end("ConnectionError")
    expect(series.outcomes.get("undefined ConnectionError")).toBe(first)
    expect(series.outcomes.size).toBe(1)
    for (let i = 0; i < CAP + 100; i++) {
      record.begin()
      record.end(`Error${i}`)
    }
    expect(series.outcomes.size).toBe(CAP)
  })

  it("of a retry: built once per reason, at most a thousand kept", () => {
    const series = freshSeries("retries.scenario.test")
    const record = recorderOf(series)
    record.begin()
    record.end("503")
    record.begin()
    const first = series.retries.get("503")
    expect(first).toBeDefined()
    record.end("503")
    record.begin()
    expect(series.retries.get("503")).toBe(first)
    expect(series.retries.size).toBe(1)
    for (let i = 0; i < CAP + 100; i++) {
      record.end(`Error${i}`)
      record.begin()
    }
    record.end(undefined)
    expect(series.retries.size).toBe(CAP)
  })

  it("of a success: built once per status, at most a thousand kept", () => {
    const series = freshSeries("succeeded.scenario.test")
    const record = recorderOf(series)
    record.begin()
    record.status = 200
    record.end(undefined)
    const first = series.succeeded.get(200)
    expect(first).toBeDefined()
    record.begin()
    record.status = 200
    record.end(undefined)
    expect(series.succeeded.get(200)).toBe(first)
    expect(series.succeeded.size).toBe(1)
    expect(series.outcomes.size).toBe(0)
    for (let i = 0; i < CAP + 100; i++) {
      record.begin()
      record.status = 1_000 + i
      record.end(undefined)
    }
    expect(series.succeeded.size).toBe(CAP)
  })

  it("of a success with no status: built once and kept with the outcomes (the successes are kept by status)", () => {
    const series = freshSeries("succeeded-no-status.scenario.test")
    const record = recorderOf(series)
    record.begin()
    record.end(undefined)
    const first = series.outcomes.get("undefined undefined")
    expect(first).toBeDefined()
    record.begin()
    record.end(undefined)
    expect(series.outcomes.get("undefined undefined")).toBe(first)
    expect([...series.outcomes.keys()]).toEqual(["undefined undefined"])
    expect(series.succeeded.size).toBe(0)
  })

  it("an end with no attempt begun counts nothing and keeps no error", () => {
    const series = freshSeries("never-begun.scenario.test")
    const record = recorderOf(series)
    record.end("ConnectionError")
    record.fail({ _tag: "RateLimitError", status: 429 } as never)
    expect(series.outcomes.size).toBe(0)
    expect(series.succeeded.size).toBe(0)
    expect(record.lastError).toBeUndefined()
    expect(record.status).toBeUndefined()
  })

  it("an attempt ended twice is counted once", () => {
    const series = freshSeries("ended-twice.scenario.test")
    const record = recorderOf(series)
    record.begin()
    record.end("ConnectionError")
    record.end("TimeoutError")
    record.fail({ _tag: "RateLimitError", status: 429 } as never)
    expect([...series.outcomes.keys()]).toEqual(["undefined ConnectionError"])
    expect(record.lastError).toBe("ConnectionError")
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

  it.effect("ends the attempt in flight as a defect when the fiber dies", () =>
    Effect.gen(function*() {
      expect(yield* outcomeOf("watched-dies.scenario.test", Effect.die("boom"))).toEqual(["undefined defect"])
    }))

  it.effect("as a defect when the fiber fails", () =>
    Effect.gen(function*() {
      expect(yield* outcomeOf("watched-fails.scenario.test", Effect.fail("no"))).toEqual(["undefined defect"])
    }))

  it.effect("as interrupted when the fiber is interrupted, or goes on to its end past the attempt", () =>
    Effect.gen(function*() {
      expect(yield* outcomeOf("watched-interrupted.scenario.test", Effect.interrupt)).toEqual([
        "undefined interrupted"
      ])
      expect(yield* outcomeOf("watched-ends.scenario.test", Effect.void)).toEqual(["undefined interrupted"])
    }))
})

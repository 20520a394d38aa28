import type { TrainingSet } from "@effect-scenario/core"
import { InternalServerError, InvalidRequestError } from "@effect-scenario/core/TrainingImagesError"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import { Writable } from "node:stream"
import { makeRenderer, type Renderer, rerunLine } from "../src/internal/render.js"

/** A terminal that keeps what is written to it. */
const fakeTerminal = () => {
  let text = ""
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, callback) {
        text += String(chunk)
        callback()
      }
    }),
    { isTTY: true, columns: 200 }
  ) as unknown as NodeJS.WriteStream
  return { stream, text: () => text }
}

/** Runs the renderer over `events` with a console that keeps stdout and stderr apart. */
const linesOf = (renderer: Renderer, events: ReadonlyArray<TrainingSet.Event>) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const base = yield* Effect.console
    const console = {
      ...base,
      log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void out.push(parts.join(" "))),
      error: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void err.push(parts.join(" ")))
    }
    for (const event of events) yield* Effect.withConsole(renderer.onEvent(event), console)
    yield* Effect.withConsole(renderer.stop, console)
    return { out, err }
  })

const add: TrainingSet.PlanItem = { _tag: "Add", name: "a.png" }
const replace: TrainingSet.PlanItem = { _tag: "Replace", name: "c.png", trainingImageId: "asset_c" }
const skip: TrainingSet.PlanItem = { _tag: "Skip", name: "notes.txt", reason: "not-an-image" }
const del: TrainingSet.PlanItem = { _tag: "Delete", name: "e.png", trainingImageId: "asset_e", reason: "not-in-set" }
const setPairs: TrainingSet.PlanItem = { _tag: "SetPairs", pairs: [{ source: "a.png", target: "c.png" }] }

const fitted = {
  bytes: 12_000_000,
  width: 8000,
  height: 6000,
  mediaType: "image/png",
  sentBytes: 3_000_000,
  sentWidth: 4000,
  sentHeight: 3000,
  sentMediaType: "image/png"
}

const serverError = new InternalServerError({
  operation: "add",
  method: "POST",
  url: "http://127.0.0.1/models/m/training-images",
  status: 500,
  headers: {},
  body: ""
})
const refusal = new InvalidRequestError({ operation: "add", issues: [{ path: ["data"], message: "not an image" }] })

const events: ReadonlyArray<TrainingSet.Event> = [
  { _tag: "Started", index: 0, item: add },
  { _tag: "Retried", index: 0, item: add, error: serverError },
  { _tag: "Paused", index: 0, retryAfter: Duration.seconds(3) },
  { _tag: "Reconciled", index: 0, item: add, found: true },
  {
    _tag: "Succeeded",
    index: 0,
    item: add,
    outcome: { _tag: "Succeeded", trainingImageIds: ["asset_a"], reconciled: true, fitted }
  },
  {
    _tag: "Succeeded",
    index: 1,
    item: replace,
    outcome: { _tag: "Succeeded", trainingImageIds: [], reconciled: false }
  },
  { _tag: "Succeeded", index: 2, item: skip, outcome: { _tag: "Unchanged" } },
  { _tag: "Succeeded", index: 3, item: del, outcome: { _tag: "Unchanged" } },
  {
    _tag: "Succeeded",
    index: 4,
    item: setPairs,
    outcome: { _tag: "Succeeded", trainingImageIds: [], reconciled: false, fitted }
  },
  { _tag: "Failed", index: 5, item: del, error: refusal },
  {
    _tag: "Succeeded",
    index: 6,
    item: replace,
    outcome: { _tag: "Succeeded", trainingImageIds: [], reconciled: false, fitted }
  }
]

const FITTED = "fitted a.png: 11.4 MiB 8000x6000 PNG sent as 2.9 MiB 4000x3000 PNG"
const SKIPPED = "skipped notes.txt: not a PNG, JPEG, WebP or GIF image (judged by its first bytes)"
const FAILED = "FAILED delete e.png (asset_e): Invalid add request: data: not an image"

describe("what a run prints where there is no terminal", () => {
  it.effect("one line per step on stdout, failures on stderr; an unchanged item says nothing but a skip", () =>
    Effect.gen(function*() {
      const printed = yield* linesOf(makeRenderer({ total: 6, tty: false, quiet: false }), events)
      expect(printed.out).toEqual([
        "retrying add a.png after InternalServerError",
        "rate limited: every worker pauses 3s",
        "add a.png: outcome unknown, found on the model",
        "added a.png (asset_a)",
        FITTED,
        "replaced c.png",
        SKIPPED,
        "set 1 pair",
        "replaced c.png",
        FITTED.replace("a.png", "c.png")
      ])
      expect(printed.err).toEqual([FAILED])
    }))

  it.effect("quiet (--json): only the failures, on stderr", () =>
    Effect.gen(function*() {
      const printed = yield* linesOf(makeRenderer({ total: 6, tty: false, quiet: true }), events)
      expect(printed).toEqual({ out: [], err: [FAILED] })
    }))

  it.effect("a terminal with nothing to do gets the plain lines, no bar", () =>
    Effect.gen(function*() {
      const terminal = fakeTerminal()
      const printed = yield* linesOf(
        makeRenderer({ total: 0, tty: true, quiet: false, stream: terminal.stream }),
        [events[5]!]
      )
      expect(printed.out).toEqual(["replaced c.png"])
      expect(terminal.text()).toBe("")
    }))
})

describe("what a run shows on a terminal", () => {
  it.effect("a bar on the stream given, counting retries; pauses, failures, skips and fits printed above it", () =>
    Effect.gen(function*() {
      const terminal = fakeTerminal()
      let now = 1_000_000
      const renderer = makeRenderer({ total: 7, tty: true, quiet: false, stream: terminal.stream, now: () => now })
      now += 2_000
      const printed = yield* linesOf(renderer, [...events, events[1]!])
      // Nothing on the console: all of it is on the terminal's stream.
      expect(printed).toEqual({ out: [], err: [] })
      const text = terminal.text()
      const lines = text.split("\n")
      for (
        const line of [
          "rate limited: every worker pauses 3s",
          FITTED,
          FITTED.replace("a.png", "c.png"),
          SKIPPED,
          FAILED
        ]
      ) expect(lines.some((printedLine) => printedLine.endsWith(line))).toBe(true)
      // Only the steps' own lines: no reconciled, done or retry lines, no fit of an item that is no image.
      expect(text).not.toContain("outcome unknown")
      expect(text).not.toContain("added a.png")
      expect(text).not.toContain("retrying")
      expect(text.split("fitted ").length).toBe(3)
      expect(text).not.toContain("undefined")
      // Every item that ended counted on the bar, failures too; in the speed, 6 of them over 2 seconds (not the
      // failure refused before sending); the two retries.
      expect(text).toContain(" 7/7 | 3.0 items/s | retries 2 | ETA ")
      // The bar drawn with the classic shades, the cursor hidden while it runs and shown again.
      expect(text).toContain("\u2588".repeat(40))
      expect(text.indexOf("\u001b[?25l")).toBeLessThan(text.indexOf("\u001b[?25h"))
      // The bar is left on the terminal when it stops, not cleared; stopped once.
      expect(text).not.toContain("\u001b[0J")
      expect(text.split("\u001b[?25h").length).toBe(2)
    }))
})

describe("the bar's payload", () => {
  it.effect("drawn before any event: no items, no speed yet, no retries", () =>
    Effect.gen(function*() {
      const terminal = fakeTerminal()
      const renderer = makeRenderer({ total: 3, tty: true, quiet: false, stream: terminal.stream, now: () => 0 })
      yield* renderer.stop
      expect(terminal.text()).toContain(" 0/3 | - items/s | retries 0 | ETA ")
    }))

  it.effect("a failure sent to the server updates the speed and the retries shown", () =>
    Effect.gen(function*() {
      const terminal = fakeTerminal()
      let now = 0
      const renderer = makeRenderer({ total: 3, tty: true, quiet: false, stream: terminal.stream, now: () => now })
      yield* renderer.onEvent({ _tag: "Retried", index: 0, item: add, error: serverError })
      now += 4_000
      yield* renderer.onEvent({ _tag: "Failed", index: 0, item: add, error: serverError })
      yield* renderer.stop
      expect(terminal.text()).toContain(" 1/3 | 0.3 items/s | retries 1 | ETA ")
      // Only the failure's line above the bar: nothing for an item with no fitted image.
      expect(terminal.text()).not.toContain("undefined")
    }))
})

describe("when to run again", () => {
  const now = new Date("2026-12-03T10:00:00.000Z")

  it("the time in UTC rounded up to the minute, without the date when it is today's", () => {
    expect(rerunLine(Duration.seconds(90), new Date("2026-12-03T10:01:30.000Z"), now)).toBe(
      "The server asked to wait 1m 30s: rerun after 10:02 UTC."
    )
    // On the minute: not rounded further.
    expect(rerunLine(Duration.minutes(5), new Date("2026-12-03T10:05:00.000Z"), now)).toBe(
      "The server asked to wait 5m: rerun after 10:05 UTC."
    )
  })

  it("the date when it is another day; the wait in whole seconds, rounded up", () => {
    expect(rerunLine(Duration.millis(50_400_001), new Date("2026-12-04T00:00:00.001Z"), now)).toBe(
      "The server asked to wait 14h 1s: rerun after 2026-12-04 00:01 UTC."
    )
  })
})

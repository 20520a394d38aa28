import type { TrainingSet } from "@effect-scenario/core"
import { InvalidRequestError } from "@effect-scenario/core/TrainingImagesError"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Writable } from "node:stream"
import { makeRenderer } from "../src/internal/render.js"

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

const add = (index: number): TrainingSet.PlanItem => ({ _tag: "Add", name: `img-${index}.png` })

const succeeded = (index: number): TrainingSet.Event => ({
  _tag: "Succeeded",
  index,
  item: add(index),
  outcome: { _tag: "Succeeded", trainingImageIds: [`asset_${index}`], reconciled: false }
})

// A failure found before anything was sent: no request, nothing to count in a speed.
const refused = (index: number): TrainingSet.Event => ({
  _tag: "Failed",
  index,
  item: add(index),
  error: new InvalidRequestError({ operation: "add", issues: [{ path: ["data"], message: "not an image" }] })
})

// The last frame the bar drew (it draws its final state when stopped).
// eslint-disable-next-line no-control-regex -- the bar's cursor moves delimit its frames
const lastFrame = (text: string) => text.split(/\r|\n|\u001b\[\d*[GK]/).filter((line) => line.includes("|")).at(-1)

describe("the progress bar's speed", () => {
  it.effect("a burst in the first second shows no speed (4 items in 310 ms are not 12.9/s)", () =>
    Effect.gen(function*() {
      let now = 1_000_000
      const terminal = fakeTerminal()
      const renderer = makeRenderer({ total: 10, tty: true, quiet: false, stream: terminal.stream, now: () => now })
      now += 310
      for (let i = 0; i < 4; i++) yield* renderer.onEvent(succeeded(i))
      yield* renderer.stop
      expect(lastFrame(terminal.text())).toContain(" 4/10 | - items/s |")
    }))

  it.effect("items completed over the wall time since the start; failures refused before sending do not count", () =>
    Effect.gen(function*() {
      let now = 1_000_000
      const terminal = fakeTerminal()
      const renderer = makeRenderer({ total: 10, tty: true, quiet: false, stream: terminal.stream, now: () => now })
      now += 2_000
      for (let i = 0; i < 3; i++) yield* renderer.onEvent(refused(i))
      for (let i = 3; i < 8; i++) yield* renderer.onEvent(succeeded(i))
      yield* renderer.stop
      expect(lastFrame(terminal.text())).toContain(" 8/10 | 2.5 items/s |")
    }))
})

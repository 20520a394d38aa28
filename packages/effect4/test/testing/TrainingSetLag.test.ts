import { Fault } from "@effect-scenario/effect4/testing"
import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Layer } from "effect"
import * as TrainingSet from "../../src/TrainingSet.js"
import { png } from "./trainingSetFixtures.js"

// Over real HTTP: the emulator's list shows an added image only after a lag (eventual consistency), while
// every add is answered with a 5xx after it was applied. Reconciliation must wait out the lag, not resend.

const MODEL = "model_lag"

const emulatorWithLag = (listLag: Duration.Input) =>
  ScenarioEmulator.layerTrainingImages().pipe(
    Layer.provide(NodeHttpClient.layerUndici),
    Layer.provideMerge(ScenarioEmulator.layer({ models: { [MODEL]: {} }, listLag, inspector: false }))
  )

describe("TrainingSet over the emulator, its list lagging", () => {
  for (const status of [500, 503] as const) {
    it.live(`every add answered ${status} after it was applied: 3 images stay 3, 0 duplicates`, () =>
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        yield* emulator.setFaults({
          rate: 1,
          faults: [Fault.serverError(status, { afterApply: true })],
          operations: ["add"]
        })
        const images = ["a.png", "b.png", "c.png"].map((name, i) => TrainingSet.fromBytes(name, png(i, 64)))
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        // The window is longer than the lag: a listing made that long after the 5xx sees the add.
        const report = yield* TrainingSet.apply(plan, images, { concurrency: 3, settleWindow: "2500 millis" })
        const stored = (yield* emulator.snapshot).models[MODEL]!.trainingImages.map((image) => image.name)
        expect(stored.sort()).toEqual(["a.png", "b.png", "c.png"])
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const requests = yield* emulator.requests
        expect(requests.filter((request) => request.operation === "add").length).toBe(3)
        expect((yield* emulator.faultCounts)[`${status}-after-apply`]).toBe(3)
      }).pipe(Effect.provide(emulatorWithLag("1500 millis"))))
  }

  it.live("the lag: the list shows an added image only after it, the snapshot at once", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.ScenarioEmulator
      const images = [TrainingSet.fromBytes("a.png", png(1, 64))]
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
      yield* TrainingSet.apply(plan, images)
      expect((yield* emulator.snapshot).models[MODEL]!.trainingImages.length).toBe(1)
      // Planned again at once, the image is not on the list yet: the plan would add it.
      const early = yield* TrainingSet.plan({ modelId: MODEL, images })
      expect(early.items.map((item) => item._tag)).toEqual(["Add"])
      yield* emulator.setListLag(undefined)
      const settled = yield* TrainingSet.plan({ modelId: MODEL, images })
      expect(settled.items.map((item) => item._tag)).toEqual(["Keep"])
    }).pipe(Effect.provide(emulatorWithLag("1 minute"))))
})

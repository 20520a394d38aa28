import { TrainingSet } from "@effect-scenario/core"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Layer } from "effect"
import * as Lag from "../../../contract/trainingSetLag.js"
import { png } from "./trainingSetFixtures.js"

// Over real HTTP: the emulator's list shows an added image only after a lag (eventual consistency), while
// every add is answered with a 5xx after it was applied. Reconciliation must wait out the lag, not resend.
//
// The Effect 3 line's runner of the table `contract/trainingSetLag.ts`, shared with the Effect 4 line.

const { MODEL } = Lag

const folder = () => Lag.FOLDER.names.map((name, i) => TrainingSet.fromBytes(name, png(i, Lag.FOLDER.size)))

const emulatorWithLag = (listLag: Duration.DurationInput) =>
  ScenarioEmulator.layerTrainingImages().pipe(
    Layer.provide(NodeHttpClient.layerUndici),
    Layer.provideMerge(ScenarioEmulator.layer({ models: { [MODEL]: {} }, listLag, inspector: false }))
  )

describe("TrainingSet over the emulator, its list lagging", () => {
  for (const status of Lag.AFTER_APPLY.statuses) {
    it.live(`every add answered ${status} after it was applied: 3 images stay 3, 0 duplicates`, () =>
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        yield* emulator.setFaults({
          rate: 1,
          faults: [Fault.serverError(status, { afterApply: true })],
          operations: ["add"]
        })
        const { adds, concurrency, faultCount, faults, settleWindow, stored: names } = Lag.AFTER_APPLY
        const images = folder()
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        // The window is longer than the lag: a listing made that long after the 5xx sees the add.
        const report = yield* TrainingSet.apply(plan, images, { concurrency, settleWindow })
        const stored = (yield* emulator.snapshot).models[MODEL]!.trainingImages.map((image) => image.name)
        expect(stored.sort()).toEqual(names)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const requests = yield* emulator.requests
        expect(requests.filter((request) => request.operation === "add").length).toBe(adds)
        expect((yield* emulator.faultCounts)[faultCount(status)]).toBe(faults)
      }).pipe(Effect.provide(emulatorWithLag(Lag.AFTER_APPLY.listLag))))
  }

  it.live("the lag: the list shows an added image only after it, the snapshot at once", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.ScenarioEmulator
      const { early: earlyKinds, image, settled: settledKinds, snapshotImages } = Lag.LAG
      const images = [TrainingSet.fromBytes(image.name, png(image.png, image.size))]
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
      yield* TrainingSet.apply(plan, images)
      expect((yield* emulator.snapshot).models[MODEL]!.trainingImages.length).toBe(snapshotImages)
      // Planned again at once, the image is not on the list yet: the plan would add it.
      const early = yield* TrainingSet.plan({ modelId: MODEL, images })
      expect(early.items.map((item) => item._tag)).toEqual(earlyKinds)
      yield* emulator.setListLag(undefined)
      const settled = yield* TrainingSet.plan({ modelId: MODEL, images })
      expect(settled.items.map((item) => item._tag)).toEqual(settledKinds)
    }).pipe(Effect.provide(emulatorWithLag(Lag.LAG.listLag))))
})

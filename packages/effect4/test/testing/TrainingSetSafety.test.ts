import { Fault, TrainingImagesTest } from "@effect-scenario/effect4/testing"
import { assert, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Schema, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingSet from "../../src/TrainingSet.js"
import { png } from "./trainingSetFixtures.js"

// What a sync must never do, whatever the server answers: delete the folder's own images, add a name twice,
// stall on a wait it will not honour, or lose a name from its state.

const MODEL = "model_safety"

const folder = (names: ReadonlyArray<string>) => names.map((name, i) => TrainingSet.fromBytes(name, png(i)))

const fake = (options?: TrainingImagesTest.Options) => TrainingImagesTest.layer({ models: { [MODEL]: {} }, ...options })

// The fake's service, except that every list shows each training image twice (same id, same name).
const listingEachImageTwice = Layer.effect(
  TrainingImages.TrainingImages,
  Effect.map(TrainingImagesTest.TrainingImagesTest, (control): TrainingImages.Service => ({
    ...control.service,
    list: (params) =>
      Effect.map(control.service.list(params), (model) => ({
        ...model,
        trainingImages: model.trainingImages.flatMap((image) => [image, image])
      }))
  }))
)

const modelImages = Effect.gen(function*() {
  const model = yield* TrainingImagesTest.model(MODEL)
  assert(model._tag === "Some")
  return model.value.trainingImages
})

const sync = (
  images: ReadonlyArray<TrainingSet.Source>,
  options?: Partial<TrainingSet.PlanOptions> & TrainingSet.ApplyOptions
) =>
  Effect.gen(function*() {
    const plan = yield* TrainingSet.plan({ modelId: MODEL, images, ...options })
    const report = yield* TrainingSet.apply(plan, images, options)
    return { plan, report }
  })

describe("TrainingSet safety", () => {
  describe("a list that repeats an entry (issue 16, item 1)", () => {
    it.effect("--delete keeps every image of the folder when the list shows each one twice", () =>
      Effect.gen(function*() {
        const images = folder(["a.png", "b.png", "c.png"])
        yield* sync(images)
        const before = yield* modelImages
        expect(before.map((image) => image.name)).toEqual(["a.png", "b.png", "c.png"])
        const { plan, report } = yield* sync(images, { deleteOthers: true }).pipe(
          Effect.provide(listingEachImageTwice)
        )
        // One id listed twice is one image: nothing to delete, nothing to add.
        expect(TrainingSet.summarize(plan)).toMatchObject({ keep: 3, delete: 0, add: 0 })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(yield* modelImages).toEqual(before)
        const deletes = (yield* TrainingImagesTest.calls).filter((call) => call.operation === "delete")
        expect(deletes).toEqual([])
      }).pipe(Effect.provide(fake())))

    it.effect("duplicates are copies under one name with different ids: the extra ones go, one stays", () =>
      Effect.gen(function*() {
        yield* TrainingImagesTest.seed({
          [MODEL]: {
            trainingImages: [{ id: "asset_a1", name: "a.png" }, { id: "asset_a2", name: "a.png" }, {
              id: "asset_b",
              name: "b.png"
            }]
          }
        })
        const { plan, report } = yield* sync(folder(["a.png", "b.png"]), { deleteOthers: true }).pipe(
          Effect.provide(listingEachImageTwice)
        )
        expect(plan.items.filter((item) => item._tag === "Delete")).toEqual([
          { _tag: "Delete", name: "a.png", trainingImageId: "asset_a2", reason: "duplicate" }
        ])
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect((yield* modelImages).map((image) => image.id)).toEqual(["asset_a1", "asset_b"])
      }).pipe(Effect.provide(fake())))

    it.effect("apply refuses, sending nothing, a plan that deletes an id it keeps or empties a name of the folder", () =>
      Effect.gen(function*() {
        yield* TrainingImagesTest.seed({
          [MODEL]: { trainingImages: [{ id: "asset_a", name: "a.png" }, { id: "asset_b", name: "b.png" }] }
        })
        const images = folder(["a.png", "b.png"])
        const keepsAndDeletes: TrainingSet.Plan = {
          modelId: MODEL,
          tracksContent: false,
          items: [
            { _tag: "Keep", name: "a.png", trainingImageId: "asset_a" },
            { _tag: "Delete", name: "a.png", trainingImageId: "asset_a", reason: "duplicate" }
          ]
        }
        const first = yield* Effect.flip(TrainingSet.apply(keepsAndDeletes, images))
        expect(first._tag).toBe("UnsafePlanError")
        expect(first.issues).toEqual([
          { name: "a.png", trainingImageId: "asset_a", reason: "deletes-kept-image" },
          { name: "a.png", trainingImageId: "asset_a", reason: "leaves-name-empty" }
        ])
        const emptiesName: TrainingSet.Plan = {
          modelId: MODEL,
          tracksContent: false,
          items: [{ _tag: "Delete", name: "b.png", trainingImageId: "asset_b", reason: "not-in-set" }]
        }
        const second = yield* Effect.flip(TrainingSet.apply(emptiesName, images))
        expect(second.issues).toEqual([{ name: "b.png", trainingImageId: "asset_b", reason: "leaves-name-empty" }])
        expect(second.message).toContain("b.png")
        // The same refusal ends the stream of events, and `checkPlan` tells it before any run.
        const streamed = yield* Effect.flip(Stream.runDrain(TrainingSet.events(emptiesName, images)))
        expect(streamed._tag).toBe("UnsafePlanError")
        expect(TrainingSet.checkPlan(emptiesName, images)?.issues).toEqual(second.issues)
        expect(yield* TrainingImagesTest.calls).toEqual([])
        expect((yield* modelImages).length).toBe(2)
        // A delete by id, with no folder, is no such plan.
        const byId: TrainingSet.Plan = {
          ...emptiesName,
          items: [{ _tag: "Delete", name: "asset_b", trainingImageId: "asset_b", reason: "not-in-set" }]
        }
        expect(TrainingSet.checkPlan(byId, [])).toBeUndefined()
      }).pipe(Effect.provide(fake())))
  })

  describe("a list that lags (issue 16, item 2)", () => {
    it.effect("adds answered 5xx after being applied, invisible to the list for a while: each name once", () =>
      Effect.gen(function*() {
        const images = folder(["a.png", "b.png", "c.png"])
        yield* TrainingImagesTest.setFaults({
          rate: 1,
          faults: [Fault.serverError(503, { afterApply: true })],
          operations: ["add"]
        })
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const fiber = yield* Effect.forkChild(
          TrainingSet.apply(plan, images, { settleWindow: "10 seconds", concurrency: 3 })
        )
        for (let i = 0; i < 30 && fiber.pollUnsafe() === undefined; i++) yield* TestClock.adjust("1 second")
        const report = yield* Fiber.join(fiber)
        expect((yield* modelImages).map((image) => image.name)).toEqual(["a.png", "b.png", "c.png"])
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(report.results.every((r) => r.outcome._tag === "Succeeded" && r.outcome.reconciled)).toBe(true)
        expect((yield* TrainingImagesTest.calls).filter((call) => call.operation === "add").length).toBe(3)
      }).pipe(Effect.provide(fake({ listLag: "4 seconds" }))))

    it.effect("an add not applied is sent again once the settle window has passed without it on the list", () =>
      Effect.gen(function*() {
        yield* TrainingImagesTest.failNext(1, Fault.serverError(500), { operation: "add" })
        const images = folder(["a.png"])
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const fiber = yield* Effect.forkChild(TrainingSet.apply(plan, images, { settleWindow: "5 seconds" }))
        yield* TestClock.adjust("4 seconds")
        // Listed at once, and not sent again inside the window.
        expect((yield* TrainingImagesTest.calls).map((call) => call.operation)).toEqual(["list", "add", "list"])
        yield* TestClock.adjust("1 second")
        const report = yield* Fiber.join(fiber)
        expect(report.results[0]?.outcome).toMatchObject({ _tag: "Succeeded", reconciled: true })
        expect((yield* TrainingImagesTest.calls).map((call) => call.operation)).toEqual([
          "list",
          "add",
          "list",
          "list",
          "add"
        ])
        expect((yield* modelImages).map((image) => image.name)).toEqual(["a.png"])
      }).pipe(Effect.provide(fake())))

    it.effect("the fake's list lag: an added image is listed only once the lag has passed; inspection sees it", () =>
      Effect.gen(function*() {
        const service = yield* TrainingImages.TrainingImages
        const input = (name: string, seed: number) => {
          const encoded = TrainingSet.toImageInput(name, png(seed))
          assert(encoded._tag === "Success")
          return { modelId: MODEL, ...encoded.success }
        }
        yield* service.add(input("a.png", 1))
        expect((yield* service.list({ modelId: MODEL })).trainingImages).toEqual([])
        expect((yield* modelImages).length).toBe(1)
        yield* TestClock.adjust("2 seconds")
        expect((yield* service.list({ modelId: MODEL })).trainingImages.map((image) => image.name)).toEqual(["a.png"])
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.setListLag(undefined)
        yield* service.add(input("b.png", 2))
        expect((yield* service.list({ modelId: MODEL })).trainingImages.length).toBe(2)
      }).pipe(Effect.provide(fake({ listLag: "2 seconds" }))))
  })

  describe("a Retry-After over the cap (issue 16, item 3)", () => {
    for (const retryAfter of ["120 seconds", "1 day", "1095 days"] as const) {
      it.effect(`${retryAfter}: the item fails at once with the wait, nobody pauses, the run ends`, () =>
        Effect.gen(function*() {
          const images = folder(Array.from({ length: 8 }, (_, i) => `img-${i}.png`))
          const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
          yield* TrainingImagesTest.failNext(1, Fault.rateLimited({ retryAfter }), { operation: "add" })
          const events: Array<TrainingSet.Event> = []
          const fiber = yield* Effect.forkChild(
            TrainingSet.apply(plan, images, {
              concurrency: 4,
              onEvent: (event) => Effect.sync(() => events.push(event))
            })
          )
          // No wait of the run is longer than the policy's cap (60 s): by then the run has ended.
          yield* TestClock.adjust(TrainingSet.defaultRetryPolicy.maxRetryAfter)
          assert(fiber.pollUnsafe() !== undefined, "the run is still waiting past the cap")
          const report = yield* Fiber.join(fiber)
          const [failure, ...others] = TrainingSet.failures(report)
          expect(others).toEqual([])
          assert(failure?.error._tag === "RateLimitError")
          assert(failure.error.retryAfter !== undefined)
          expect(Duration.toMillis(failure.error.retryAfter)).toBe(
            Duration.toMillis(Duration.fromInputUnsafe(retryAfter))
          )
          expect((yield* modelImages).length).toBe(7)
          const cap = TrainingSet.defaultRetryPolicy.maxRetryAfter
          const paused = events.filter((event) => event._tag === "Paused")
          expect(paused.filter((event) => Duration.isGreaterThan(event.retryAfter, cap))).toEqual([])
          // The 429 was not retried, so no Retried event says it was.
          expect(events.filter((event) => event._tag === "Retried")).toEqual([])
        }).pipe(Effect.provide(fake())))
    }
  })

  describe("names that are also Object.prototype's (issue 16, item 8)", () => {
    it.effect("__proto__, constructor and toString round-trip through the state, its Schema and JSON", () =>
      Effect.gen(function*() {
        const names = ["__proto__", "a.png", "constructor", "toString"]
        const images = folder(names)
        const { report } = yield* sync(images, { state: TrainingSet.emptyState(MODEL) })
        assert(report.state !== undefined)
        expect(Object.keys(report.state.images).sort()).toEqual(names)
        expect(Object.getPrototypeOf(report.state.images)).not.toBe(report.state.images["__proto__"])
        const json = JSON.stringify(Schema.encodeSync(TrainingSet.State)(report.state))
        const decoded = Schema.decodeUnknownSync(Schema.fromJsonString(TrainingSet.State))(json)
        expect(Object.keys(decoded.images).sort()).toEqual(names)
        expect(decoded).toEqual(report.state)
        expect(
          Schema.decodeUnknownSync(TrainingSet.Report)(JSON.parse(JSON.stringify(
            Schema.encodeSync(TrainingSet.Report)(report)
          ))).state
        ).toEqual(report.state)
        // With that state every image is kept, none replaced; and a state that lacks them does not
        // mistake Object.prototype's members for entries.
        const again = yield* TrainingSet.plan({ modelId: MODEL, images, state: decoded })
        expect(again.items.map((item) => item._tag)).toEqual(["Keep", "Keep", "Keep", "Keep"])
        const untracked = yield* TrainingSet.plan({ modelId: MODEL, images, state: TrainingSet.emptyState(MODEL) })
        expect(untracked.items.map((item) => item._tag)).toEqual(["Keep", "Keep", "Keep", "Keep"])
      }).pipe(Effect.provide(fake())))
  })
})

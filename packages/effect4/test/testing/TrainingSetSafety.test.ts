// What a sync must never do, whatever the server answers: delete the folder's own images, add a name twice,
// stall on a wait it will not honour, or lose a name from its state.
//
// The Effect 4 line's runner of the table `contract/trainingSetSafety.ts`, shared with the Effect 3 line.
import { Fault, TrainingImagesTest } from "@effect-scenario/effect4/testing"
import { assert, describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Layer, Schema, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as Safety from "../../../../contract/trainingSetSafety.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingSet from "../../src/TrainingSet.js"
import { toFault } from "../contract/runner.js"
import { png } from "./trainingSetFixtures.js"

const { MODEL } = Safety

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

const seedModel = (trainingImages: Safety.Seeded) => TrainingImagesTest.seed({ [MODEL]: { trainingImages } })

const handPlan = (items: ReadonlyArray<Safety.Keep | Safety.Delete>): TrainingSet.Plan => Safety.handPlan(items)

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
        const { deletes, names, summary } = Safety.LISTED_TWICE
        const images = folder(names)
        yield* sync(images)
        const before = yield* modelImages
        expect(before.map((image) => image.name)).toEqual(names)
        const { plan, report } = yield* sync(images, { deleteOthers: true }).pipe(
          Effect.provide(listingEachImageTwice)
        )
        // One id listed twice is one image: nothing to delete, nothing to add.
        expect(TrainingSet.summarize(plan)).toMatchObject(summary)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(yield* modelImages).toEqual(before)
        expect((yield* TrainingImagesTest.calls).filter((call) => call.operation === "delete")).toEqual(deletes)
      }).pipe(Effect.provide(fake())))

    it.effect("duplicates are copies under one name with different ids: the extra ones go, one stays", () =>
      Effect.gen(function*() {
        const { deletes, names, remaining, seed } = Safety.DUPLICATES
        yield* seedModel(seed)
        const { plan, report } = yield* sync(folder(names), { deleteOthers: true }).pipe(
          Effect.provide(listingEachImageTwice)
        )
        expect(plan.items.filter((item) => item._tag === "Delete")).toEqual(deletes)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect((yield* modelImages).map((image) => image.id)).toEqual(remaining)
      }).pipe(Effect.provide(fake())))

    it.effect("apply refuses, sending nothing, a plan that deletes an id it keeps or empties a name of the folder", () =>
      Effect.gen(function*() {
        const { byId, emptiesName: empties, error, keepsAndDeletes: both, names, seed, stored } = Safety.UNSAFE
        yield* seedModel(seed)
        const images = folder(names)
        const keepsAndDeletes = handPlan(both.items)
        const first = yield* Effect.flip(TrainingSet.apply(keepsAndDeletes, images))
        expect(first._tag).toBe(error)
        expect(first.issues).toEqual(both.issues)
        const emptiesName = handPlan(empties.items)
        const second = yield* Effect.flip(TrainingSet.apply(emptiesName, images))
        expect(second.issues).toEqual(empties.issues)
        expect(second.message).toContain(empties.message)
        // The same refusal ends the stream of events, and `checkPlan` tells it before any run.
        const streamed = yield* Effect.flip(Stream.runDrain(TrainingSet.events(emptiesName, images)))
        expect(streamed._tag).toBe(error)
        expect(TrainingSet.checkPlan(emptiesName, images)?.issues).toEqual(second.issues)
        expect(yield* TrainingImagesTest.calls).toEqual([])
        expect((yield* modelImages).length).toBe(stored)
        // A delete by id, with no folder, is no such plan.
        expect(TrainingSet.checkPlan(handPlan(byId.items), [])).toBeUndefined()
      }).pipe(Effect.provide(fake())))
  })

  describe("a list that lags (issue 16, item 2)", () => {
    it.effect("adds answered 5xx after being applied, invisible to the list for a while: each name once", () =>
      Effect.gen(function*() {
        const { adds, concurrency, faults, maxSteps, names, outcome, settleWindow, step, stored } = Safety.LAGGING_ADDS
        const images = folder(names)
        yield* TrainingImagesTest.setFaults({ ...faults, faults: faults.faults.map(toFault) })
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const fiber = yield* Effect.forkChild(TrainingSet.apply(plan, images, { settleWindow, concurrency }))
        for (let i = 0; i < maxSteps && fiber.pollUnsafe() === undefined; i++) yield* TestClock.adjust(step)
        const report = yield* Fiber.join(fiber)
        expect((yield* modelImages).map((image) => image.name)).toEqual(stored)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(
          report.results.every((r) => r.outcome._tag === outcome._tag && r.outcome.reconciled === outcome.reconciled)
        ).toBe(true)
        expect((yield* TrainingImagesTest.calls).filter((call) => call.operation === "add").length).toBe(adds)
      }).pipe(Effect.provide(fake({ listLag: Safety.LAGGING_ADDS.listLag }))))

    it.effect("an add not applied is sent again once the settle window has passed without it on the list", () =>
      Effect.gen(function*() {
        const { fault, inside, names, outcome, past, settleWindow, stored } = Safety.UNAPPLIED_ADD
        yield* TrainingImagesTest.failNext(fault.count, toFault(fault.fault), { operation: fault.operation })
        const images = folder(names)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const fiber = yield* Effect.forkChild(TrainingSet.apply(plan, images, { settleWindow }))
        yield* TestClock.adjust(inside.after)
        // Listed at once, and not sent again inside the window.
        expect((yield* TrainingImagesTest.calls).map((call) => call.operation)).toEqual(inside.calls)
        yield* TestClock.adjust(past.after)
        const report = yield* Fiber.join(fiber)
        expect(report.results[0]?.outcome).toMatchObject(outcome)
        expect((yield* TrainingImagesTest.calls).map((call) => call.operation)).toEqual(past.calls)
        expect((yield* modelImages).map((image) => image.name)).toEqual(stored)
      }).pipe(Effect.provide(fake())))

    it.effect("the fake's list lag: an added image is listed only once the lag has passed; inspection sees it", () =>
      Effect.gen(function*() {
        const { first, listedAfter, listedAtLast, second } = Safety.LIST_LAG
        const service = yield* TrainingImages.TrainingImages
        const input = (image: { readonly name: string; readonly seed: number }) => {
          const encoded = TrainingSet.toImageInput(image.name, png(image.seed))
          assert(encoded._tag === "Success")
          return { modelId: MODEL, ...encoded.success }
        }
        yield* service.add(input(first))
        expect((yield* service.list({ modelId: MODEL })).trainingImages).toEqual([])
        expect((yield* modelImages).length).toBe(1)
        yield* TestClock.adjust(listedAfter)
        expect((yield* service.list({ modelId: MODEL })).trainingImages.map((image) => image.name)).toEqual([
          first.name
        ])
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.setListLag(undefined)
        yield* service.add(input(second))
        expect((yield* service.list({ modelId: MODEL })).trainingImages.length).toBe(listedAtLast)
      }).pipe(Effect.provide(fake({ listLag: Safety.LIST_LAG.listLag }))))
  })

  describe("a Retry-After over the cap (issue 16, item 3)", () => {
    const { capMs, concurrency, failure: failureTag, operation, paused, retried, stored } = Safety.RETRY_AFTER_OVER_CAP
    for (const { millis, retryAfter } of Safety.RETRY_AFTER_OVER_CAP.cases) {
      it.effect(`${retryAfter}: the item fails at once with the wait, nobody pauses, the run ends`, () =>
        Effect.gen(function*() {
          const images = folder(
            Array.from({ length: Safety.RETRY_AFTER_OVER_CAP.images }, (_, i) => Safety.RETRY_AFTER_OVER_CAP.name(i))
          )
          const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
          yield* TrainingImagesTest.failNext(1, Fault.rateLimited({ retryAfter }), { operation })
          const events: Array<TrainingSet.Event> = []
          const fiber = yield* Effect.forkChild(
            TrainingSet.apply(plan, images, {
              concurrency,
              onEvent: (event) => Effect.sync(() => events.push(event))
            })
          )
          // No wait of the run is longer than the policy's cap (60 s): by then the run has ended.
          const cap = TrainingSet.defaultRetryPolicy.maxRetryAfter
          expect(Duration.toMillis(cap)).toBe(capMs)
          yield* TestClock.adjust(cap)
          assert(fiber.pollUnsafe() !== undefined, "the run is still waiting past the cap")
          const report = yield* Fiber.join(fiber)
          const [failure, ...others] = TrainingSet.failures(report)
          expect(others).toEqual([])
          assert(failure?.error._tag === failureTag)
          assert(failure.error.retryAfter !== undefined)
          expect(Duration.toMillis(failure.error.retryAfter)).toBe(millis)
          expect(Duration.toMillis(failure.error.retryAfter)).toBe(
            Duration.toMillis(Duration.fromInputUnsafe(retryAfter))
          )
          expect((yield* modelImages).length).toBe(stored)
          const pauses = events.filter((event) => event._tag === paused)
          expect(pauses.filter((event) => Duration.isGreaterThan(event.retryAfter, cap))).toEqual([])
          // The 429 was not retried, so no Retried event says it was.
          expect(events.filter((event) => event._tag === retried)).toEqual([])
        }).pipe(Effect.provide(fake())))
    }
  })

  describe("names that are also Object.prototype's (issue 16, item 8)", () => {
    it.effect("__proto__, constructor and toString round-trip through the state, its Schema and JSON", () =>
      Effect.gen(function*() {
        const { again: keptAgain, names, untracked: keptUntracked } = Safety.PROTOTYPE_NAMES
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
        expect(again.items.map((item) => item._tag)).toEqual(keptAgain)
        const untracked = yield* TrainingSet.plan({ modelId: MODEL, images, state: TrainingSet.emptyState(MODEL) })
        expect(untracked.items.map((item) => item._tag)).toEqual(keptUntracked)
      }).pipe(Effect.provide(fake())))
  })
})

// What TrainingSet does with a set: the media types it reads from bytes, the plans it makes, how a run goes
// and how it ends under faults.
//
// The Effect 4 line's runner of the tables `contract/trainingSetRun.ts` and `contract/trainingSetPlan.ts`,
// shared with the Effect 3 line.
import { TrainingImagesTest } from "@effect-scenario/effect4/testing"
import { assert, describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Fiber, Schema, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as Plan from "../../../../contract/trainingSetPlan.js"
import * as Run from "../../../../contract/trainingSetRun.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingImagesError from "../../src/TrainingImagesError.js"
import * as TrainingSet from "../../src/TrainingSet.js"
import { toFault } from "../contract/runner.js"
import { png, settle } from "./trainingSetFixtures.js"

const { MODEL } = Run

const bytesOf = (bytes: Run.Bytes) => Run.bytesOf(bytes, png)

const source = (source: Run.Source): TrainingSet.Source => {
  switch (source._tag) {
    case "Bytes":
      return TrainingSet.fromBytes(source.name, bytesOf(source.bytes))
    case "Reader":
      return TrainingSet.fromReader(source.name, Effect.succeed(bytesOf(source.bytes)))
    case "Unreadable":
      return TrainingSet.fromReader(source.name, Effect.fail(new TrainingSet.ImageSourceError(source.error)))
    case "Asset":
      return TrainingSet.fromAsset(source.assetId)
  }
}

const sources = (images: ReadonlyArray<Run.Source>) => images.map(source)

const folder = (count: number) => sources(Run.folder(count))

const failNext = (injection: Run.Injection) =>
  TrainingImagesTest.failNext(injection.count, toFault(injection.fault), { operation: injection.operation })

const fake = (options?: TrainingImagesTest.Options) => TrainingImagesTest.layer({ models: { [MODEL]: {} }, ...options })

const sync = (
  images: ReadonlyArray<TrainingSet.Source>,
  options?: Partial<TrainingSet.PlanOptions> & TrainingSet.ApplyOptions
) =>
  Effect.gen(function*() {
    const plan = yield* TrainingSet.plan({ modelId: MODEL, images, ...options })
    const report = yield* TrainingSet.apply(plan, images, options)
    return { plan, report }
  })

const namesOnModel = Effect.gen(function*() {
  const control = yield* TrainingImagesTest.TrainingImagesTest
  const model = yield* control.model(MODEL)
  assert(model._tag === "Some")
  return model.value.trainingImages.map((image) => image.name)
})

const adds = Effect.map(TrainingImagesTest.calls, (calls) => calls.filter((call) => call.operation === "add"))

const kinds = (plan: TrainingSet.Plan) => plan.items.map((item) => item._tag)

describe("TrainingSet", () => {
  describe("image sources", () => {
    it("sniffs PNG, JPEG, WebP and GIF from the bytes, never the name", () => {
      for (const { bytes, mediaType } of Run.SNIFF.cases) {
        expect(TrainingSet.sniffMediaType(bytesOf(bytes))).toBe(mediaType)
      }
      const { input: given, refused: notAnImage } = Run.SNIFF
      const input = TrainingSet.toImageInput(given.name, bytesOf(given.bytes))
      assert(input._tag === "Success")
      expect(input.success.data).toBe(given.data)
      const refused = TrainingSet.toImageInput(notAnImage.name, bytesOf(notAnImage.bytes))
      assert(refused._tag === "Failure")
      expect(refused.failure._tag).toBe(notAnImage.error)
      expect(refused.failure.message).toContain(notAnImage.message)
    })
  })

  describe("plan", () => {
    it.effect("adds what is missing, keeps what is there, deletes others only when asked", () =>
      Effect.gen(function*() {
        const t = Run.PLAN_ADDS_KEEPS_DELETES
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed({ [MODEL]: { trainingImages: t.seed } })
        const images = sources(t.images)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        expect(kinds(plan)).toEqual(t.kinds)
        const withDelete = yield* TrainingSet.plan({ modelId: MODEL, images, deleteOthers: true })
        expect(kinds(withDelete)).toEqual(t.withDelete.kinds)
        expect(TrainingSet.summarize(withDelete)).toMatchObject(t.withDelete.summary)
        // The plan is a JSON value: encoded, parsed and decoded back it is the same plan.
        const json = JSON.stringify(Schema.encodeSync(TrainingSet.Plan)(withDelete))
        expect(Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(json))).toEqual(withDelete)
        expect((yield* control.calls).map((call) => call.operation)).toEqual(t.calls)
      }).pipe(Effect.provide(fake())))

    it.effect("a name held twice on the model: the extra copy is deleted with deleteOthers", () =>
      Effect.gen(function*() {
        const t = Run.NAME_HELD_TWICE
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed({ [MODEL]: { trainingImages: t.seed } })
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources(t.images), deleteOthers: true })
        expect(plan.items).toEqual(t.items)
      }).pipe(Effect.provide(fake())))

    it.effect("with a state, changed content under a present name is replaced", () =>
      Effect.gen(function*() {
        const t = Run.REPLACED_WITH_STATE
        const { report } = yield* sync(sources(t.first), { state: TrainingSet.emptyState(MODEL) })
        assert(report.state !== undefined)
        expect(Object.keys(report.state.images)).toEqual(t.stateImages)
        const again = yield* sync(sources(t.changed), { state: report.state })
        expect(kinds(again.plan)).toEqual(t.kinds)
        expect(again.report.state?.images[t.replaced.name]?.sha256).toBe(
          yield* TrainingSet.sha256(bytesOf(t.replaced.bytes))
        )
        // Without a state, a present name is unchanged.
        const untracked = yield* TrainingSet.plan({ modelId: MODEL, images: sources(t.untracked.images) })
        expect(kinds(untracked)).toEqual(t.untracked.kinds)
        expect(yield* namesOnModel).toEqual(t.stored)
      }).pipe(Effect.provide(fake())))

    // A source's reads and peeks while planning, and the plan, from the shared table.
    for (const test of Plan.cases) {
      it.effect(test.name, () =>
        Effect.gen(function*() {
          const reads: Array<string> = []
          const peeks: Array<string> = []
          let reading = 0
          let most = 0
          const images = test.sources.map((source): TrainingSet.ImageSource => {
            const bytes = bytesOf(source.bytes)
            const read = Effect.gen(function*() {
              reads.push(source.name)
              if (source.unreadable !== undefined) {
                return yield* Effect.fail(new TrainingSet.ImageSourceError(source.unreadable))
              }
              reading++
              most = Math.max(most, reading)
              if (source.readTakes !== undefined) yield* Effect.sleep(source.readTakes as Duration.Input)
              reading--
              return bytes
            })
            return {
              ...TrainingSet.fromReader(source.name, read),
              ...(source.peek === true
                ? {
                  peek: Effect.sync(() => (peeks.push(source.name), { size: bytes.length, head: bytes.slice(0, 16) }))
                }
                : {}),
              ...(source.skip === undefined ? {} : { skip: source.skip as TrainingSet.SkipReason })
            }
          })
          const state = test.state ? { state: TrainingSet.emptyState(Plan.MODEL) } : {}
          const plan = yield* settle(TrainingSet.plan({ modelId: Plan.MODEL, images, ...state }))
          expect(kinds(plan)).toEqual(test.plan.kinds)
          for (const [index, { sha256Of, ...fields }] of Object.entries(test.plan.items ?? {})) {
            const source = test.sources.find((source) => source.name === sha256Of)
            const sha256 = source === undefined ? {} : { sha256: yield* TrainingSet.sha256(bytesOf(source.bytes)) }
            expect(plan.items[Number(index)]).toEqual({ ...fields, ...sha256 })
          }
          expect(plan.tracksContent).toBe(test.plan.tracksContent)
          if (test.reads !== undefined) expect(reads).toEqual(test.reads)
          if (test.peeks !== undefined) expect([...peeks].sort()).toEqual(test.peeks)
          if (test.mostReadingAtOnce !== undefined) expect(most).toBe(test.mostReadingAtOnce)
          if (test.apply !== undefined) {
            const report = yield* settle(TrainingSet.apply(plan, images, state))
            expect(report.results.map((result) => result.outcome._tag)).toEqual(test.apply.outcomes)
            expect(TrainingSet.isSuccess(report)).toBe(test.apply.success)
            if (test.apply.stateImages === "none") expect("state" in report).toBe(false)
            else expect(Object.keys(report.state?.images ?? {})).toEqual(test.apply.stateImages)
          }
        }).pipe(Effect.provide(TrainingImagesTest.layer({
          models: { [Plan.MODEL]: {} },
          ...(test.maxRequestBytes === undefined ? {} : { maxRequestBytes: test.maxRequestBytes })
        }))))
    }

    it.effect("pairs naming an image outside the set are refused before anything is sent", () =>
      Effect.gen(function*() {
        const t = Run.PAIR_OUTSIDE_SET
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const error = yield* Effect.flip(
          TrainingSet.plan({ modelId: MODEL, images: sources(t.images), pairs: t.pairs })
        )
        assert(error._tag === t.error)
        expect(error.message).toContain(t.message)
        expect((yield* control.calls).map((call) => call.operation)).toEqual(t.calls)
      }).pipe(Effect.provide(fake())))
  })

  describe("apply", () => {
    it.effect("syncs a set with pairs; a rerun plans nothing to change", () =>
      Effect.gen(function*() {
        const t = Run.SYNC_WITH_PAIRS
        const images = folder(t.images)
        const pairs = t.pairs.map(({ instruction, source, target }) => ({
          source: images[source]!.name,
          target: images[target]!.name,
          instruction
        }))
        const { plan, report } = yield* sync(images, { pairs, concurrency: t.concurrency })
        expect(TrainingSet.summarize(plan)).toMatchObject(t.summary)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(report.results.length).toBe(plan.items.length)
        expect(yield* namesOnModel).toEqual(Run.folderNames(t.images))
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const model = yield* control.model(MODEL)
        assert(model._tag === "Some")
        expect(model.value.pairs).toEqual(t.pairs.map(({ instruction, source, target }) => ({
          sourceId: model.value.trainingImages[source]!.id,
          targetId: model.value.trainingImages[target]!.id,
          instruction
        })))
        const rerun = yield* TrainingSet.plan({ modelId: MODEL, images, pairs })
        expect(TrainingSet.summarize(rerun).changes).toBe(t.rerunChanges)
      }).pipe(Effect.provide(fake())))

    it.effect("an add whose response was lost is found by listing, not sent twice", () =>
      Effect.gen(function*() {
        const t = Run.LOST_ADD_RESPONSE
        yield* failNext(t.fault)
        const events: Array<TrainingSet.Event> = []
        const { report } = yield* sync(folder(t.images), { onEvent: (event) => Effect.sync(() => events.push(event)) })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(yield* namesOnModel).toEqual(Run.folderNames(t.images))
        expect(report.results.filter((r) => r.outcome._tag === "Succeeded" && r.outcome.reconciled).length).toBe(
          t.reconciled
        )
        expect(events.filter((event) => event._tag === t.event)).toMatchObject(t.reconciledEvents)
        expect((yield* adds).length).toBe(t.adds)
      }).pipe(Effect.provide(fake())))

    it.effect("an add that failed with a 500 (outcome unknown) is looked for, then sent again when absent", () =>
      Effect.gen(function*() {
        const t = Run.UNKNOWN_ADD
        yield* failNext(t.faults[500])
        const { report } = yield* settle(sync(folder(t.images)))
        expect(report.results[0]?.outcome).toMatchObject(t.outcome)
        // Listed at once, and again once the settle window has passed (a list may lag), then sent again.
        expect((yield* TrainingImagesTest.calls).map((call) => call.operation)).toEqual(t.calls)
        expect(yield* namesOnModel).toEqual(t.stored)
      }).pipe(Effect.provide(fake())))

    it.effect("a 429's Retry-After pauses every worker of the run", () =>
      Effect.gen(function*() {
        const t = Run.RETRY_AFTER_PAUSES_ALL
        const images = folder(t.images)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        yield* failNext(t.fault)
        const fiber = yield* Effect.forkChild(TrainingSet.apply(plan, images, { concurrency: t.concurrency }))
        yield* TestClock.adjust(t.first.after)
        // The requests already in flight when the 429 came finish; no worker starts another until it is over.
        const first = yield* adds
        expect(first[0]?.status).toBe(t.first.status)
        expect(first.length).toBeLessThanOrEqual(t.first.mostAdds)
        yield* TestClock.adjust(t.during)
        const during = yield* adds
        expect(during.length).toBe(first.length)
        yield* TestClock.adjust(t.over)
        const report = yield* Fiber.join(fiber)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect((yield* namesOnModel).length).toBe(t.stored)
      }).pipe(Effect.provide(fake())))

    it.effect("a Retried event for each retry made, none for the failure that ends the retries", () =>
      Effect.gen(function*() {
        const t = Run.RETRIED_EVENTS
        yield* failNext(t.fault)
        const events: Array<TrainingSet.Event> = []
        const { report } = yield* settle(sync(folder(t.images), {
          retryPolicy: RetryPolicy.make(t.retryPolicy),
          onEvent: (event) => Effect.sync(() => events.push(event))
        }))
        expect(events.filter((event) => event._tag === t.event).length).toBe(t.retried)
        expect(TrainingSet.failures(report).map((f) => f.error._tag)).toEqual(t.failures)
        expect((yield* adds).length).toBe(t.adds)
      }).pipe(Effect.provide(fake())))

    it.effect("a 503 on add is not resent blindly: the model is listed first (it may have been applied)", () =>
      Effect.gen(function*() {
        const t = Run.UNKNOWN_ADD
        yield* failNext(t.faults[503])
        const { report } = yield* settle(sync(folder(t.images)))
        expect(report.results[0]?.outcome).toMatchObject(t.outcome)
        expect((yield* TrainingImagesTest.calls).map((call) => call.operation)).toEqual(t.calls)
      }).pipe(Effect.provide(fake())))

    it.effect("a client-side rate paces the whole run", () =>
      Effect.gen(function*() {
        const t = Run.CLIENT_RATE
        const images = folder(t.images)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const fiber = yield* Effect.forkChild(
          TrainingSet.apply(plan, images, { concurrency: t.concurrency, rate: t.rate })
        )
        for (const step of t.steps) {
          yield* TestClock.adjust(step.after)
          expect((yield* adds).length).toBe(step.adds)
        }
        yield* TestClock.adjust(t.end)
        expect(TrainingSet.isSuccess(yield* Fiber.join(fiber))).toBe(true)
      }).pipe(Effect.provide(fake())))

    it.effect("a non-image is skipped and an image over the service's limit planned to fail; a source without peek fails alone", () =>
      Effect.gen(function*() {
        const t = Run.REFUSED_IMAGES
        // The reader of a non-image has no `peek`: judged when it is sent, as before.
        const { plan, report } = yield* sync(sources(t.images))
        expect(kinds(plan)).toEqual(t.kinds)
        expect(plan.items[t.tooLarge.index]).toMatchObject(t.tooLarge.item)
        expect(TrainingSet.isSuccess(report)).toBe(t.success)
        const failures = TrainingSet.failures(report)
        expect(failures.map((f) => ["name" in f.item ? f.item.name : "", f.error._tag])).toEqual(t.failures)
        for (const { contains, failure } of t.messages) expect(failures[failure]!.error.message).toContain(contains)
        expect(report.results[t.unchanged.index]).toEqual({
          item: plan.items[t.unchanged.index],
          outcome: t.unchanged.outcome
        })
        expect((yield* adds).length).toBe(t.adds)
        // The report is a JSON value, typed failures included.
        const encoded = JSON.parse(JSON.stringify(Schema.encodeSync(TrainingSet.Report)(report)))
        const decoded = Schema.decodeUnknownSync(TrainingSet.Report)(encoded)
        expect(TrainingSet.failures(decoded).map((f) => f.error._tag)).toEqual(failures.map((f) => f.error._tag))
      }).pipe(Effect.provide(fake({ maxRequestBytes: Run.REFUSED_IMAGES.maxRequestBytes }))))

    it.effect("the limit judged is the one the call would meet: withRequestOptions' maxRequestBytes over the service's", () =>
      Effect.gen(function*() {
        const t = Run.REQUEST_OPTIONS_LIMIT
        const images = sources(t.images)
        const loose = yield* TrainingSet.plan({ modelId: MODEL, images })
        expect(kinds(loose)).toEqual(t.loose)
        const { plan, report } = yield* sync(images).pipe(
          TrainingImages.withRequestOptions({ maxRequestBytes: t.maxRequestBytes })
        )
        expect(plan.items).toEqual(t.items)
        expect(TrainingSet.failures(report).map((f) => f.error._tag)).toEqual(t.failures)
      }).pipe(Effect.provide(fake())))

    it.effect("assets go in batches of at most 10; the other ids come from a list", () =>
      Effect.gen(function*() {
        const t = Run.ASSET_BATCHES
        const { plan, report } = yield* sync(sources(t.images))
        expect(plan.items.map((item) => item._tag === "AddAssets" ? item.assets.length : 0)).toEqual(t.batches)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const ids = report.results.flatMap((r) => r.outcome._tag === "Succeeded" ? r.outcome.trainingImageIds : [])
        expect(new Set(ids).size).toBe(t.ids)
        expect((yield* adds).length).toBe(t.adds)
      }).pipe(Effect.provide(fake())))

    it.effect("events: Planned first, Finished last, one Succeeded or Failed per item that changes", () =>
      Effect.gen(function*() {
        const t = Run.EVENTS
        const images = folder(t.images)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const events = yield* Stream.runCollect(TrainingSet.events(plan, images))
        expect(events[0]?._tag).toBe(t.first)
        expect(events.at(-1)?._tag).toBe(t.last)
        const ends = events.filter((event) => (t.ends as ReadonlyArray<string>).includes(event._tag))
        expect(ends.map((event) => "index" in event ? event.index : -1).sort()).toEqual(t.indexes)
      }).pipe(Effect.provide(fake())))

    it.effect("a missing model: every item fails with NotFoundError, nothing is dropped", () =>
      Effect.gen(function*() {
        const t = Run.MISSING_MODEL
        const error = yield* Effect.flip(TrainingSet.plan({ modelId: t.modelId, images: folder(t.images) }))
        expect(error._tag).toBe(t.error)
      }).pipe(Effect.provide(fake())))
  })

  describe("under faults", () => {
    it.effect(
      "30% faults (lost responses after apply, 5xx, 429 bursts): the model ends equal to the set, once",
      () =>
        Effect.gen(function*() {
          const t = Run.UNDER_FAULTS
          const control = yield* TrainingImagesTest.TrainingImagesTest
          const images = folder(t.images)
          const pairs = images.slice(0, t.pairs.count).map((image, i) => ({
            source: image.name,
            target: images[i + t.pairs.offset]!.name
          }))
          yield* control.seed({ [MODEL]: { trainingImages: t.seed } })
          yield* control.setFaults({ ...t.faults, faults: t.faults.faults.map(toFault) })
          yield* failNext(t.burst)
          const options = { pairs, deleteOthers: t.deleteOthers, concurrency: t.concurrency }
          const run = Effect.gen(function*() {
            for (let attempt = 0; attempt < t.attempts; attempt++) {
              // A rerun recomputes the plan from what is there now; a plan whose list failed is simply redone.
              const result = yield* Effect.result(sync(images, options))
              if (result._tag === "Success" && TrainingSet.isSuccess(result.success.report)) {
                return result.success.report
              }
            }
            return yield* Effect.die("did not converge")
          })
          const report = yield* settle(run, t.step)
          expect(report.results.every((r) => r.outcome._tag !== "Failed")).toBe(true)
          yield* control.setFaults(undefined)
          const names = yield* namesOnModel
          expect([...names].sort()).toEqual(Run.folderNames(t.images))
          expect(new Set(names).size).toBe(names.length)
          const counts = yield* control.faultCounts
          for (const kind of t.met) expect(counts[kind]).toBeGreaterThan(0)
          const final = yield* TrainingSet.plan({ modelId: MODEL, images, pairs, deleteOthers: t.deleteOthers })
          expect(TrainingSet.summarize(final).changes).toBe(t.finalChanges)
        }).pipe(Effect.provide(fake())),
      60_000
    )

    it.effect("interrupted half-way, a rerun completes the set without duplicates", () =>
      Effect.gen(function*() {
        const t = Run.INTERRUPTED
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const images = folder(t.images)
        yield* control.setFaults({ ...t.faults, faults: t.faults.faults.map(toFault) })
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const fiber = yield* Effect.forkChild(TrainingSet.apply(plan, images, { concurrency: t.concurrency }))
        yield* TestClock.adjust(t.interruptAfter)
        yield* Fiber.interrupt(fiber)
        const partial = yield* namesOnModel
        expect(partial.length).toBeGreaterThan(0)
        expect(partial.length).toBeLessThan(t.images)
        yield* control.setFaults(undefined)
        const { plan: rerun, report } = yield* sync(images)
        expect(TrainingSet.summarize(rerun)).toMatchObject({ add: t.images - partial.length, keep: partial.length })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const names = yield* namesOnModel
        expect([...names].sort()).toEqual(Run.folderNames(t.images))
      }).pipe(Effect.provide(fake())))

    it.effect("without resends left, an add of unknown outcome fails with its error, kept in the report", () =>
      Effect.gen(function*() {
        const t = Run.NO_RESENDS_LEFT
        yield* failNext(t.drops)
        const { count, error, operation } = t.connectionErrors
        yield* TrainingImagesTest.failNext(count, new TrainingImagesError.ConnectionError(error), { operation })
        const { report } = yield* settle(
          sync(folder(t.images), { maxResends: t.maxResends, retryPolicy: RetryPolicy.none })
        )
        const [failure] = TrainingSet.failures(report)
        expect(failure?.error._tag).toBe(t.failure)
        expect(yield* namesOnModel).toEqual(t.stored)
      }).pipe(Effect.provide(fake())))
  })
})

import { Fault, TrainingImagesTest } from "@effect-scenario/effect4/testing"
import { assert, describe, expect, it } from "@effect/vitest"
import { type Duration, Effect, Fiber, Schema, Stream } from "effect"
import { TestClock } from "effect/testing"
import * as Plan from "../../../../contract/trainingSetPlan.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingImagesError from "../../src/TrainingImagesError.js"
import * as TrainingSet from "../../src/TrainingSet.js"
import { png, settle } from "./trainingSetFixtures.js"

const MODEL = "model_set"

const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4])
const webp = new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 1, 2])
const gif = new TextEncoder().encode("GIF89a....")

const folder = (count: number, prefix = "img") =>
  Array.from({ length: count }, (_, i) => TrainingSet.fromBytes(`${prefix}-${String(i).padStart(4, "0")}.png`, png(i)))

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

const kinds = (plan: TrainingSet.Plan) => plan.items.map((item) => item._tag)

const bytesOf = (bytes: Plan.Bytes) =>
  "png" in bytes ? png(bytes.png, bytes.size) : new TextEncoder().encode(bytes.text)

describe("TrainingSet", () => {
  describe("image sources", () => {
    it("sniffs PNG, JPEG, WebP and GIF from the bytes, never the name", () => {
      expect(TrainingSet.sniffMediaType(png(1))).toBe("image/png")
      expect(TrainingSet.sniffMediaType(jpeg)).toBe("image/jpeg")
      expect(TrainingSet.sniffMediaType(webp)).toBe("image/webp")
      expect(TrainingSet.sniffMediaType(gif)).toBe("image/gif")
      expect(TrainingSet.sniffMediaType(new TextEncoder().encode("hello"))).toBeUndefined()
      expect(TrainingSet.sniffMediaType(new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x41]))).toBeUndefined()
      const input = TrainingSet.toImageInput("photo.png", jpeg)
      assert(input._tag === "Success")
      expect(input.success.data).toBe(`data:image/jpeg;base64,${btoa(String.fromCharCode(...jpeg))}`)
      const refused = TrainingSet.toImageInput("notes.png", new TextEncoder().encode("not an image"))
      assert(refused._tag === "Failure")
      expect(refused.failure._tag).toBe("InvalidRequestError")
      expect(refused.failure.message).toContain("notes.png")
    })
  })

  describe("plan", () => {
    it.effect("adds what is missing, keeps what is there, deletes others only when asked", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed({
          [MODEL]: { trainingImages: [{ id: "asset_a", name: "a.png" }, { id: "asset_x", name: "x.png" }] }
        })
        const images = [TrainingSet.fromBytes("b.png", png(2)), TrainingSet.fromBytes("a.png", png(1))]
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        expect(kinds(plan)).toEqual(["Keep", "Add"])
        const withDelete = yield* TrainingSet.plan({ modelId: MODEL, images, deleteOthers: true })
        expect(kinds(withDelete)).toEqual(["Keep", "Add", "Delete"])
        expect(TrainingSet.summarize(withDelete)).toMatchObject({ add: 1, keep: 1, delete: 1, changes: 2 })
        // The plan is a JSON value: encoded, parsed and decoded back it is the same plan.
        const json = JSON.stringify(Schema.encodeSync(TrainingSet.Plan)(withDelete))
        expect(Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(json))).toEqual(withDelete)
        expect((yield* control.calls).map((call) => call.operation)).toEqual(["list", "list"])
      }).pipe(Effect.provide(fake())))

    it.effect("a name held twice on the model: the extra copy is deleted with deleteOthers", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed({
          [MODEL]: { trainingImages: [{ id: "asset_a", name: "a.png" }, { id: "asset_a2", name: "a.png" }] }
        })
        const plan = yield* TrainingSet.plan({
          modelId: MODEL,
          images: [TrainingSet.fromBytes("a.png", png(1))],
          deleteOthers: true
        })
        expect(plan.items).toEqual([
          { _tag: "Keep", name: "a.png", trainingImageId: "asset_a" },
          { _tag: "Delete", name: "a.png", trainingImageId: "asset_a2", reason: "duplicate" }
        ])
      }).pipe(Effect.provide(fake())))

    it.effect("with a state, changed content under a present name is replaced", () =>
      Effect.gen(function*() {
        const first = [TrainingSet.fromBytes("a.png", png(1)), TrainingSet.fromBytes("b.png", png(2))]
        const { report } = yield* sync(first, { state: TrainingSet.emptyState(MODEL) })
        assert(report.state !== undefined)
        expect(Object.keys(report.state.images)).toEqual(["a.png", "b.png"])
        const changed = [TrainingSet.fromBytes("a.png", png(1)), TrainingSet.fromBytes("b.png", png(99))]
        const again = yield* sync(changed, { state: report.state })
        expect(kinds(again.plan)).toEqual(["Keep", "Replace"])
        expect(again.report.state?.images["b.png"]?.sha256).toBe(yield* TrainingSet.sha256(png(99)))
        // Without a state, a present name is unchanged.
        const untracked = yield* TrainingSet.plan({ modelId: MODEL, images: [TrainingSet.fromBytes("b.png", png(5))] })
        expect(kinds(untracked)).toEqual(["Keep"])
        expect(yield* namesOnModel).toEqual(["a.png", "b.png"])
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
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const error = yield* Effect.flip(TrainingSet.plan({
          modelId: MODEL,
          images: [TrainingSet.fromBytes("a.png", png(1))],
          pairs: [{ source: "a.png", target: "missing.png" }]
        }))
        assert(error._tag === "InvalidRequestError")
        expect(error.message).toContain("missing.png")
        expect(yield* control.calls).toEqual([])
      }).pipe(Effect.provide(fake())))
  })

  describe("apply", () => {
    it.effect("syncs a set with pairs; a rerun plans nothing to change", () =>
      Effect.gen(function*() {
        const images = folder(25)
        const pairs = [{ source: images[0]!.name, target: images[1]!.name, instruction: "make it blue" }]
        const { plan, report } = yield* sync(images, { pairs, concurrency: 4 })
        expect(TrainingSet.summarize(plan)).toMatchObject({ add: 25, setPairs: true })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(report.results.length).toBe(plan.items.length)
        expect(yield* namesOnModel).toEqual(images.map((image) => image.name))
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const model = yield* control.model(MODEL)
        assert(model._tag === "Some")
        expect(model.value.pairs).toEqual([{
          sourceId: model.value.trainingImages[0]!.id,
          targetId: model.value.trainingImages[1]!.id,
          instruction: "make it blue"
        }])
        const rerun = yield* TrainingSet.plan({ modelId: MODEL, images, pairs })
        expect(TrainingSet.summarize(rerun).changes).toBe(0)
      }).pipe(Effect.provide(fake())))

    it.effect("an add whose response was lost is found by listing, not sent twice", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.failNext(1, Fault.dropAfterApply, { operation: "add" })
        const events: Array<TrainingSet.Event> = []
        const { report } = yield* sync(folder(3), { onEvent: (event) => Effect.sync(() => events.push(event)) })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(yield* namesOnModel).toEqual(folder(3).map((image) => image.name))
        expect(report.results.filter((r) => r.outcome._tag === "Succeeded" && r.outcome.reconciled).length).toBe(1)
        expect(events.filter((event) => event._tag === "Reconciled")).toMatchObject([{ found: true }])
        expect((yield* control.calls).filter((call) => call.operation === "add").length).toBe(3)
      }).pipe(Effect.provide(fake())))

    it.effect("an add that failed with a 500 (outcome unknown) is looked for, then sent again when absent", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.failNext(1, Fault.serverError(500), { operation: "add" })
        const { report } = yield* settle(sync(folder(1)))
        expect(report.results[0]?.outcome).toMatchObject({ _tag: "Succeeded", reconciled: true })
        // Listed at once, and again once the settle window has passed (a list may lag), then sent again.
        expect((yield* control.calls).map((call) => call.operation)).toEqual(["list", "add", "list", "list", "add"])
        expect(yield* namesOnModel).toEqual(["img-0000.png"])
      }).pipe(Effect.provide(fake())))

    it.effect("a 429's Retry-After pauses every worker of the run", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const images = folder(8)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        yield* control.failNext(1, Fault.rateLimited({ retryAfter: "10 seconds" }), { operation: "add" })
        const fiber = yield* Effect.forkChild(TrainingSet.apply(plan, images, { concurrency: 4 }))
        yield* TestClock.adjust("1 milli")
        // The requests already in flight when the 429 came finish; no worker starts another until it is over.
        const first = (yield* control.calls).filter((call) => call.operation === "add")
        expect(first[0]?.status).toBe(429)
        expect(first.length).toBeLessThanOrEqual(4)
        yield* TestClock.adjust("9 seconds")
        const during = (yield* control.calls).filter((call) => call.operation === "add")
        expect(during.length).toBe(first.length)
        yield* TestClock.adjust("1 second")
        const report = yield* Fiber.join(fiber)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect((yield* namesOnModel).length).toBe(8)
      }).pipe(Effect.provide(fake())))

    it.effect("a Retried event for each retry made, none for the failure that ends the retries", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.failNext(3, Fault.rateLimited({ retryAfter: "1 second" }), { operation: "add" })
        const events: Array<TrainingSet.Event> = []
        const { report } = yield* settle(sync(folder(1), {
          retryPolicy: RetryPolicy.make({ maxRetries: 1, jitter: false }),
          onEvent: (event) => Effect.sync(() => events.push(event))
        }))
        expect(events.filter((event) => event._tag === "Retried").length).toBe(1)
        expect(TrainingSet.failures(report).map((f) => f.error._tag)).toEqual(["RateLimitError"])
        expect((yield* control.calls).filter((call) => call.operation === "add").length).toBe(2)
      }).pipe(Effect.provide(fake())))

    it.effect("a 503 on add is not resent blindly: the model is listed first (it may have been applied)", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.failNext(1, Fault.serverError(503), { operation: "add" })
        const { report } = yield* settle(sync(folder(1)))
        expect(report.results[0]?.outcome).toMatchObject({ _tag: "Succeeded", reconciled: true })
        expect((yield* control.calls).map((call) => call.operation)).toEqual(["list", "add", "list", "list", "add"])
      }).pipe(Effect.provide(fake())))

    it.effect("a client-side rate paces the whole run", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const images = folder(6)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const fiber = yield* Effect.forkChild(TrainingSet.apply(plan, images, { concurrency: 6, rate: 2 }))
        yield* TestClock.adjust("10 millis")
        expect((yield* control.calls).filter((call) => call.operation === "add").length).toBe(2)
        yield* TestClock.adjust("1 second")
        expect((yield* control.calls).filter((call) => call.operation === "add").length).toBe(4)
        yield* TestClock.adjust("1 second")
        expect(TrainingSet.isSuccess(yield* Fiber.join(fiber))).toBe(true)
      }).pipe(Effect.provide(fake())))

    it.effect("a non-image is skipped and an image over the service's limit planned to fail; a source without peek fails alone", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const images = [
          TrainingSet.fromBytes("a.png", png(1)),
          TrainingSet.fromBytes("big.png", png(2, 2000)),
          TrainingSet.fromBytes("notes.txt", new TextEncoder().encode("hello")),
          TrainingSet.fromReader(
            "gone.png",
            Effect.fail(new TrainingSet.ImageSourceError({ path: "/x/gone.png", reason: "no such file or folder" }))
          ),
          // Without `peek`, judged when it is sent, as before.
          TrainingSet.fromReader("read.txt", Effect.succeed(new TextEncoder().encode("hello")))
        ]
        const { plan, report } = yield* sync(images)
        expect(kinds(plan)).toEqual(["Add", "TooLarge", "Add", "Skip", "Add"])
        expect(plan.items[1]).toMatchObject({ name: "big.png", bytes: 2000, maxRequestBytes: 1000 })
        expect(TrainingSet.isSuccess(report)).toBe(false)
        const failures = TrainingSet.failures(report)
        expect(failures.map((f) => ["name" in f.item ? f.item.name : "", f.error._tag])).toEqual([
          ["big.png", "InvalidRequestError"],
          ["gone.png", "ImageSourceError"],
          ["read.txt", "InvalidRequestError"]
        ])
        expect(failures[0]!.error.message).toMatch(/over the request limit of 1000 bytes/)
        expect(failures[2]!.error.message).toContain("read.txt is not a PNG")
        expect(report.results[3]).toEqual({ item: plan.items[3], outcome: { _tag: "Unchanged" } })
        expect((yield* control.calls).filter((call) => call.operation === "add").length).toBe(1)
        // The report is a JSON value, typed failures included.
        const encoded = JSON.parse(JSON.stringify(Schema.encodeSync(TrainingSet.Report)(report)))
        const decoded = Schema.decodeUnknownSync(TrainingSet.Report)(encoded)
        expect(TrainingSet.failures(decoded).map((f) => f.error._tag)).toEqual(failures.map((f) => f.error._tag))
      }).pipe(Effect.provide(fake({ maxRequestBytes: 1000 }))))

    it.effect("the limit judged is the one the call would meet: withRequestOptions' maxRequestBytes over the service's", () =>
      Effect.gen(function*() {
        const images = [TrainingSet.fromBytes("a.png", png(1, 600))]
        const loose = yield* TrainingSet.plan({ modelId: MODEL, images })
        expect(kinds(loose)).toEqual(["Add"])
        const { plan, report } = yield* sync(images).pipe(TrainingImages.withRequestOptions({ maxRequestBytes: 500 }))
        expect(plan.items).toEqual([{
          _tag: "TooLarge",
          name: "a.png",
          bytes: 600,
          // {"data":"data:image/png;base64,<800 characters>","name":"a.png"}
          requestBytes: 9 + 22 + 800 + 17,
          maxRequestBytes: 500
        }])
        expect(TrainingSet.failures(report).map((f) => f.error._tag)).toEqual(["InvalidRequestError"])
      }).pipe(Effect.provide(fake())))

    it.effect("assets go in batches of at most 10; the other ids come from a list", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const assets = Array.from({ length: 23 }, (_, i) => TrainingSet.fromAsset(`asset_${i}`))
        const { plan, report } = yield* sync(assets)
        expect(plan.items.map((item) => item._tag === "AddAssets" ? item.assets.length : 0)).toEqual([10, 10, 3])
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const ids = report.results.flatMap((r) => r.outcome._tag === "Succeeded" ? r.outcome.trainingImageIds : [])
        expect(new Set(ids).size).toBe(23)
        const adds = (yield* control.calls).filter((call) => call.operation === "add")
        expect(adds.length).toBe(3)
      }).pipe(Effect.provide(fake())))

    it.effect("events: Planned first, Finished last, one Succeeded or Failed per item that changes", () =>
      Effect.gen(function*() {
        const images = folder(5)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const events = yield* Stream.runCollect(TrainingSet.events(plan, images))
        expect(events[0]?._tag).toBe("Planned")
        expect(events.at(-1)?._tag).toBe("Finished")
        const ends = events.filter((event) => event._tag === "Succeeded" || event._tag === "Failed")
        expect(ends.map((event) => "index" in event ? event.index : -1).sort()).toEqual([0, 1, 2, 3, 4])
      }).pipe(Effect.provide(fake())))

    it.effect("a missing model: every item fails with NotFoundError, nothing is dropped", () =>
      Effect.gen(function*() {
        const error = yield* Effect.flip(TrainingSet.plan({ modelId: "model_none", images: folder(2) }))
        expect(error._tag).toBe("NotFoundError")
      }).pipe(Effect.provide(fake())))
  })

  describe("under faults", () => {
    it.effect(
      "30% faults (lost responses after apply, 5xx, 429 bursts): the model ends equal to the set, once",
      () =>
        Effect.gen(function*() {
          const control = yield* TrainingImagesTest.TrainingImagesTest
          const images = folder(120)
          const pairs = images.slice(0, 20).map((image, i) => ({ source: image.name, target: images[i + 20]!.name }))
          yield* control.seed({
            [MODEL]: {
              trainingImages: [{ id: "asset_old", name: "old.png" }, { id: "asset_keep", name: images[5]!.name }]
            }
          })
          yield* control.setFaults({
            rate: 0.3,
            seed: 7,
            faults: [
              Fault.dropAfterApply,
              Fault.dropBeforeApply,
              Fault.serverError(500),
              Fault.serverError(502),
              Fault.serverError(503),
              Fault.serverError(500, { afterApply: true }),
              Fault.serverError(503, { afterApply: true }),
              Fault.delay("90 seconds", { afterApply: true }),
              Fault.rateLimited({ retryAfter: "2 seconds" })
            ]
          })
          yield* control.failNext(6, Fault.rateLimited({ retryAfter: "3 seconds" }), { operation: "add" })
          const run = Effect.gen(function*() {
            for (let attempt = 0; attempt < 5; attempt++) {
              // A rerun recomputes the plan from what is there now; a plan whose list failed is simply redone.
              const result = yield* Effect.result(sync(images, { pairs, deleteOthers: true, concurrency: 8 }))
              if (result._tag === "Success" && TrainingSet.isSuccess(result.success.report)) {
                return result.success.report
              }
            }
            return yield* Effect.die("did not converge")
          })
          const report = yield* settle(run, "4 seconds")
          expect(report.results.every((r) => r.outcome._tag !== "Failed")).toBe(true)
          yield* control.setFaults(undefined)
          const names = yield* namesOnModel
          expect([...names].sort()).toEqual(images.map((image) => image.name))
          expect(new Set(names).size).toBe(names.length)
          const counts = yield* control.faultCounts
          expect(counts["drop-after-apply"]).toBeGreaterThan(0)
          expect(counts["503-after-apply"]).toBeGreaterThan(0)
          const final = yield* TrainingSet.plan({ modelId: MODEL, images, pairs, deleteOthers: true })
          expect(TrainingSet.summarize(final).changes).toBe(0)
        }).pipe(Effect.provide(fake())),
      60_000
    )

    it.effect("interrupted half-way, a rerun completes the set without duplicates", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const images = folder(20)
        yield* control.setFaults({ rate: 1, faults: [Fault.delay("1 second")], operations: ["add"] })
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images })
        const fiber = yield* Effect.forkChild(TrainingSet.apply(plan, images, { concurrency: 4 }))
        yield* TestClock.adjust("2500 millis")
        yield* Fiber.interrupt(fiber)
        const partial = yield* namesOnModel
        expect(partial.length).toBeGreaterThan(0)
        expect(partial.length).toBeLessThan(20)
        yield* control.setFaults(undefined)
        const { plan: rerun, report } = yield* sync(images)
        expect(TrainingSet.summarize(rerun)).toMatchObject({ add: 20 - partial.length, keep: partial.length })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const names = yield* namesOnModel
        expect([...names].sort()).toEqual(images.map((image) => image.name))
      }).pipe(Effect.provide(fake())))

    it.effect("without resends left, an add of unknown outcome fails with its error, kept in the report", () =>
      Effect.gen(function*() {
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.failNext(10, Fault.dropBeforeApply, { operation: "add" })
        yield* control.failNext(
          10,
          new TrainingImagesError.ConnectionError({
            operation: "add",
            method: "POST",
            url: "u",
            mayHaveReachedServer: true
          }),
          { operation: "add" }
        )
        const { report } = yield* settle(sync(folder(1), { maxResends: 1, retryPolicy: RetryPolicy.none }))
        const [failure] = TrainingSet.failures(report)
        expect(failure?.error._tag).toBe("ConnectionError")
        expect(yield* namesOnModel).toEqual([])
      }).pipe(Effect.provide(fake())))
  })
})

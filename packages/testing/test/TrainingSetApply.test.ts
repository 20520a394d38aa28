/**
 * `TrainingSet.apply` over the in-memory fake, one behaviour at a time: what an add of unknown outcome does
 * (found by listing, sent again only for what is missing, never past `maxResends`), which failures are
 * retried, how the run's pause works, when the pairs are set, and what the report and the state say. The
 * inputs and the expected values are the shared table's (`contract/trainingSetApply.ts`), which the Effect 4
 * line's suite runs too.
 */
import { RetryPolicy, TrainingImages, TrainingImagesError, TrainingSet } from "@effect-scenario/core"
import * as Folders from "@effect-scenario/test-support/trainingSetFolders"
import { Fault, TrainingImagesTest } from "@effect-scenario/testing"
import { NodeContext } from "@effect/platform-node"
import * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import { assert, describe, expect, it } from "@effect/vitest"
import { Chunk, Duration, Effect, Either, Fiber, Layer, Stream, TestClock } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import type { Injection } from "../../../contract/cases.js"
import * as T from "../../../contract/trainingSetApply.js"
import { toFault } from "./contract/runner.js"
import { png, settle } from "./trainingSetFixtures.js"

const MODEL = T.MODEL

const image = (name: string, seed = name.length) => TrainingSet.fromBytes(name, png(seed))
const source = (entry: T.Image) =>
  typeof entry === "string"
    ? image(entry)
    : "text" in entry
    ? TrainingSet.fromBytes(entry.name, new TextEncoder().encode(entry.text))
    : TrainingSet.fromBytes(entry.name, png(entry.seed, entry.size))
const images = (table: ReadonlyArray<T.Image>) => table.map(source)

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

const onModel = Effect.gen(function*() {
  const control = yield* TrainingImagesTest.TrainingImagesTest
  const model = yield* control.model(MODEL)
  assert(model._tag === "Some")
  return model.value
})

const names = Effect.map(onModel, (model) => model.trainingImages.map((image) => image.name))
const idOf = (name: string) =>
  Effect.map(onModel, (model) => model.trainingImages.find((image) => image.name === name)?.id)

const operations = Effect.map(TrainingImagesTest.calls, (calls) => calls.map((call) => call.operation))
const addCalls = Effect.map(TrainingImagesTest.calls, (calls) => calls.filter((call) => call.operation === "add"))

/** The table's faults, injected in order. */
const inject = (faults: ReadonlyArray<Injection>) =>
  Effect.flatMap(
    TrainingImagesTest.TrainingImagesTest,
    (control) =>
      Effect.forEach(faults, ({ count, fault, operation }) =>
        control.failNext(count, toFault(fault), operation === undefined ? undefined : { operation }), {
        discard: true
      })
  )

const line = { method: T.addLine.method, url: `${TrainingImagesTest.DEFAULT_BASE_URL}${T.addLine.path}` }

/** The table's error of an add's answer, as this line's error. */
const injectedError = (error: T.InjectedError) => {
  const add = { ...line, operation: "add" as const }
  switch (error._tag) {
    case "ResponseDecodeError":
      return new TrainingImagesError.ResponseDecodeError({ ...add, ...error, headers: {} })
    case "ResponseTooLargeError":
      return new TrainingImagesError.ResponseTooLargeError({ ...add, ...error, headers: {} })
    case "TimeoutError":
      return new TrainingImagesError.TimeoutError({
        ...add,
        timeout: Duration.millis(error.timeoutMs),
        mayHaveReachedServer: error.mayHaveReachedServer
      })
    case "ConnectionError":
      return new TrainingImagesError.ConnectionError({ ...add, mayHaveReachedServer: error.mayHaveReachedServer })
    case "RateLimitError":
      return new TrainingImagesError.RateLimitError({
        ...add,
        status: error.status,
        headers: {},
        body: error.body,
        retryAfter: Duration.millis(error.retryAfterMs)
      })
  }
}

const seconds = (input: string) => input as Duration.DurationInput

describe("TrainingSet.apply", () => {
  describe("an add of unknown outcome", () => {
    it.effect("a batch of assets sent again after a partial find carries only the assets still missing", () =>
      Effect.gen(function*() {
        const test = T.unknownOutcome.partialFind
        const service = TrainingImages.TrainingImages
        const assets = test.assets.map((id) => TrainingSet.fromAsset(id))
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images: assets })
        expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
        // One of the batch lands on the model (another writer, a partial apply), then the batch's add fails
        // with a 500: its outcome is unknown, so the model is listed first.
        yield* Effect.flatMap(service, (service) => service.add({ modelId: MODEL, assetIds: test.addedBefore }))
        yield* inject(test.faults)
        const report = yield* settle(TrainingSet.apply(plan, assets, { retryPolicy: RetryPolicy.none }))
        expect(TrainingSet.isSuccess(report)).toBe(test.success)
        const adds = yield* addCalls
        expect(adds.map((call) => call.params.assetIds)).toEqual(test.adds)
        expect([...(yield* names)].sort()).toEqual(test.names)
        // The outcome names every image of the batch, the one found and the two sent again.
        const outcome = report.results[0]?.outcome
        assert(outcome?._tag === test.outcomeTag)
        expect(outcome.reconciled).toBe(test.reconciled)
        const ids = yield* Effect.forEach(test.assets, idOf)
        expect([...outcome.trainingImageIds].sort()).toEqual([...ids].sort())
      }).pipe(Effect.provide(fake())))

    it.effect("an add found by listing reports the id it has on the model", () =>
      Effect.gen(function*() {
        const test = T.unknownOutcome.foundByListing
        yield* inject(test.faults)
        const { report } = yield* settle(sync(images(test.images), { state: TrainingSet.emptyState(MODEL) }))
        const name = T.imageName(test.images[0])
        const id = yield* idOf(name)
        expect(report.results[0]?.outcome).toStrictEqual({
          _tag: "Succeeded",
          trainingImageIds: [id],
          reconciled: test.reconciled
        })
        expect(report.state?.images[name]?.trainingImageId).toBe(id)
        expect(yield* operations).toEqual(test.operations)
      }).pipe(Effect.provide(fake())))

    it.effect("sent again at most maxResends times", () =>
      Effect.gen(function*() {
        const test = T.unknownOutcome.maxResends
        const control = yield* TrainingImagesTest.TrainingImagesTest
        for (const maxResends of test.maxResends) {
          yield* control.reset
          yield* inject([test.fault])
          const { report } = yield* settle(sync(images(test.images), { maxResends, retryPolicy: RetryPolicy.none }))
          expect(TrainingSet.failures(report).map((failure) => failure.error._tag)).toEqual(test.failures)
          expect((yield* addCalls).length, `maxResends ${maxResends}`).toBe(test.adds(maxResends))
          expect(yield* names).toEqual(test.names)
        }
        // The default is 5.
        yield* control.reset
        yield* inject([test.fault])
        yield* settle(sync(images(test.images), { retryPolicy: RetryPolicy.none }))
        expect((yield* addCalls).length).toBe(test.addsByDefault)
      }).pipe(Effect.provide(fake())))

    it.effect("a timeout, an undecodable 2xx and an oversized 2xx are looked for, not failed", () =>
      Effect.gen(function*() {
        const test = T.unknownOutcome.lookedFor
        const control = yield* TrainingImagesTest.TrainingImagesTest
        for (const injected of test.injected.map(injectedError)) {
          yield* control.reset
          yield* control.failNext(1, injected, { operation: "add" })
          const { report } = yield* settle(sync(images(test.images)))
          expect(report.results[0]?.outcome, injected._tag).toMatchObject(test.outcome)
          // Listed at once, and again a settle window later (a list may lag), before it is sent again.
          expect(yield* operations).toEqual(test.operations)
          expect(yield* names).toEqual(test.names)
        }
        // A real timeout whose add was applied in the meantime is found, and not sent again.
        yield* control.reset
        yield* inject(test.late.faults)
        const { report } = yield* settle(sync(images(test.images)), seconds(test.late.settleStep))
        expect(report.results[0]?.outcome).toMatchObject(test.late.outcome)
        expect(yield* operations).toEqual(test.late.operations)
        expect(yield* names).toEqual(test.late.names)
      }).pipe(Effect.provide(fake())))

    it.effect("a connection refused (the request never sent) is retried at once, without a list", () =>
      Effect.gen(function*() {
        const test = T.unknownOutcome.refused
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.failNext(1, injectedError(test.injected), { operation: "add" })
        const { report } = yield* settle(sync(images(test.images)))
        expect(report.results[0]?.outcome).toMatchObject(test.outcome)
        expect(yield* operations).toEqual(test.operations)
        expect(yield* names).toEqual(test.names)
      }).pipe(Effect.provide(fake())))

    it.effect("a connection lost mid-request is never sent again blindly", () =>
      Effect.gen(function*() {
        const test = T.unknownOutcome.lostMidRequest
        yield* inject(test.faults)
        const { report } = yield* settle(sync(images(test.images), { maxResends: test.maxResends }))
        expect(TrainingSet.isSuccess(report)).toBe(test.success)
        expect(yield* operations).toEqual(test.operations)
      }).pipe(Effect.provide(fake())))

    it.effect("whatever the retry policy allows, an add that may have been applied is looked for, not retried", () =>
      Effect.gen(function*() {
        const test = T.unknownOutcome.whateverThePolicy
        const control = yield* TrainingImagesTest.TrainingImagesTest
        const retryEverything = RetryPolicy.make({ shouldRetry: () => true, jitter: false })
        for (const fault of test.faults.map(toFault)) {
          yield* control.reset
          yield* control.failNext(1, fault, { operation: "add" })
          const { report } = yield* settle(sync(images(test.images), { retryPolicy: retryEverything }))
          expect(report.results[0]?.outcome, Fault.kind(fault)).toMatchObject(test.outcome)
          expect(yield* operations, Fault.kind(fault)).toEqual(test.operations)
          expect(yield* names, Fault.kind(fault)).toEqual(test.names)
        }
      }).pipe(Effect.provide(fake())))
  })

  describe("retries", () => {
    it.effect("a 5xx on replace and delete is retried", () =>
      Effect.gen(function*() {
        const test = T.retries.replaceAndDelete
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed(test.seed)
        const state: TrainingSet.State = test.state
        const sources = images(test.images)
        const plan = yield* TrainingSet.plan({
          modelId: MODEL,
          images: sources,
          state,
          deleteOthers: true,
          pairs: test.pairs
        })
        expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
        yield* inject(test.faults)
        const report = yield* settle(TrainingSet.apply(plan, sources, { state, concurrency: test.concurrency }))
        expect(report.results.map((result) => result.outcome._tag)).toEqual(test.outcomes)
        const statuses = (yield* TrainingImagesTest.calls).map((call) => [call.operation, call.status])
        expect(statuses.slice(1)).toEqual(test.statuses)
        expect([...(yield* names)].sort()).toEqual(test.names)
      }).pipe(Effect.provide(fake())))

    it.effect("by default, a request is retried 5 times", () =>
      Effect.gen(function*() {
        const test = T.retries.fiveTimes
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed(test.seed)
        yield* inject(test.faults)
        const { report } = yield* settle(sync([], { deleteOthers: true }))
        expect(TrainingSet.failures(report).map((f) => f.error._tag)).toEqual(test.failures)
        expect((yield* operations).filter((operation) => operation === "delete")).toHaveLength(test.deletes)
      }).pipe(Effect.provide(fake())))

    it.effect("a 5xx on the listing that looks for an add of unknown outcome is retried", () =>
      Effect.gen(function*() {
        const test = T.retries.listingRetried
        // The add is applied, then answered 500: its outcome is unknown, and the listing that looks for it
        // fails once too. Retried, it finds the image: nothing is sent again.
        const sources = images(test.images)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
        yield* inject(test.faults)
        const report = yield* settle(TrainingSet.apply(plan, sources))
        expect(report.results[0]?.outcome).toMatchObject(test.outcome)
        const statuses = (yield* TrainingImagesTest.calls).map((call) => [call.operation, call.status])
        expect(statuses.slice(1)).toEqual(test.statuses)
        expect(yield* names).toEqual(test.names)
      }).pipe(Effect.provide(fake())))
  })

  describe("Retried events", () => {
    it.effect("tell only the retries that are sent: none for a 400, none for an add's 503 (looked for), one for a replace's 503", () =>
      Effect.gen(function*() {
        const test = T.retriedEvents
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed(test.seed)
        const events: Array<TrainingSet.Event> = []
        const onEvent = (event: TrainingSet.Event) => Effect.sync(() => void events.push(event))
        const sources = images(test.images)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, state: test.state })
        expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
        yield* inject(test.faults)
        const report = yield* settle(TrainingSet.apply(plan, sources, { concurrency: test.concurrency, onEvent }))
        expect(report.results.map((result) => result.outcome._tag)).toEqual(test.outcomes)
        const retried = events.flatMap((event) =>
          event._tag === "Retried" ? [[event.item._tag, event.error._tag, event.index]] : []
        )
        const sent = (yield* TrainingImagesTest.calls).map((call) => [call.operation, call.status])
        // Each Retried is followed by a request of that operation: the replace's second attempt.
        expect(retried).toEqual(test.retried)
        expect(sent.filter(([operation]) => operation === "replace")).toEqual(test.replaces)
      }).pipe(Effect.provide(fake())))
  })

  describe("the run's pause", () => {
    it.effect("a later 429 asking for a shorter wait does not shorten the pause", () =>
      Effect.gen(function*() {
        const test = T.pause.notShortened
        const sources = images(test.images)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
        yield* inject(test.faults)
        const fiber = yield* Effect.fork(TrainingSet.apply(plan, sources, { concurrency: test.concurrency }))
        yield* TestClock.adjust("1 milli")
        expect((yield* addCalls).map((call) => call.status)).toEqual(test.first)
        const others = Effect.map(
          addCalls,
          (calls) => calls.filter((call) => (test.others as ReadonlyArray<unknown>).includes(call.params.name))
        )
        for (let second = 1; second < test.pausedSeconds; second++) {
          yield* TestClock.adjust("1 second")
          expect((yield* others).length, `at ${second} s`).toBe(0)
        }
        yield* TestClock.adjust("1 second")
        const report = yield* Fiber.join(fiber)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect((yield* others).length).toBe(test.others.length)
      }).pipe(Effect.provide(fake())))

    it.effect("a 503's Retry-After pauses no other worker", () =>
      Effect.gen(function*() {
        const test = T.pause.serviceUnavailable
        const sources = images(test.images)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
        yield* inject(test.faults)
        const fiber = yield* Effect.fork(TrainingSet.apply(plan, sources, { concurrency: test.concurrency }))
        yield* TestClock.adjust("1 milli")
        // The other images were added at once, without waiting for the 30 seconds.
        const others = Effect.map(addCalls, (calls) => calls.filter((call) => call.params.name !== test.failing))
        expect((yield* others).map((call) => call.status)).toEqual(test.others)
        // The add that met the 503 was looked for, then sent again.
        const report = yield* settle(Fiber.join(fiber))
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(yield* names).toHaveLength(test.names)
        const first = Effect.map(addCalls, (calls) => calls.filter((call) => call.params.name === test.failing))
        expect((yield* first).map((call) => call.status)).toEqual(test.failingAdds)
      }).pipe(Effect.provide(fake())))
  })

  describe("pairs", () => {
    it.effect("are set once every add has ended, with the ids the adds got", () =>
      Effect.gen(function*() {
        const test = T.pairs
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.setFaults({ rate: 1, faults: [toFault(test.addDelay)], operations: ["add"] })
        const { report } = yield* settle(
          sync(images(test.images), { pairs: test.pairs, concurrency: test.concurrency }),
          seconds(test.settleStep)
        )
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const ops = yield* operations
        expect(ops.lastIndexOf("add")).toBeLessThan(ops.indexOf("replacePairs"))
        // The ids come from the adds themselves: no listing is needed, so none can miss an image that lags.
        expect(ops.slice(-2)).toEqual(test.last)
        const model = yield* onModel
        const [pair] = test.pairs
        expect(model.pairs).toEqual([{
          sourceId: yield* idOf(pair.source),
          targetId: yield* idOf(pair.target),
          instruction: pair.instruction
        }])
      }).pipe(Effect.provide(fake())))
  })

  describe("pairs and the ids this run knows", () => {
    it.effect("pairs between kept images are set with the ids the plan found, without listing the model again", () =>
      Effect.gen(function*() {
        const test = T.knownIds.kept
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed(test.seed)
        const { plan, report } = yield* sync(images(test.images), { pairs: test.pairs })
        expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
        expect(TrainingSet.isSuccess(report)).toBe(true)
        expect(yield* operations).toEqual(test.operations)
        expect((yield* onModel).pairs).toEqual(test.stored)
      }).pipe(Effect.provide(fake())))

    it.effect("a name the model holds twice resolves to the copy the plan kept, even when the pairs need a listing", () =>
      Effect.gen(function*() {
        const test = T.knownIds.heldTwice
        const control = yield* TrainingImagesTest.TrainingImagesTest
        for (const copies of test.copies) {
          yield* control.reset
          yield* control.seed({ [MODEL]: { trainingImages: copies.map((id) => ({ id, name: test.name })) } })
          // An asset's add answers with one image: its id comes from a listing, which shows both copies.
          const sources = [image(test.name), TrainingSet.fromAsset(test.asset)]
          const { plan, report } = yield* settle(sync(sources, { pairs: test.pairs }))
          expect(TrainingSet.isSuccess(report), copies.join()).toBe(true)
          const kept = plan.items.find((item) => item._tag === "Keep")
          assert(kept?._tag === "Keep")
          const [pair, ...rest] = (yield* onModel).pairs
          expect(rest).toEqual([])
          expect(pair?.sourceId).toBe(yield* idOf(test.asset))
          expect(pair?.targetId, copies.join()).toBe(kept.trainingImageId)
        }
      }).pipe(Effect.provide(fake())))
  })

  describe("the report", () => {
    it.effect("kept images are unchanged, not succeeded, and start nothing; their ids go into the state", () =>
      Effect.gen(function*() {
        const test = T.report.kept
        const control = yield* TrainingImagesTest.TrainingImagesTest
        yield* control.seed(test.seed)
        const events: Array<TrainingSet.Event> = []
        const { plan, report } = yield* sync(images(test.images), {
          state: TrainingSet.emptyState(MODEL),
          onEvent: (event) => Effect.sync(() => events.push(event))
        })
        expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
        expect(report.results.map((result) => result.outcome._tag)).toEqual(test.outcomes)
        expect(events.filter((event) => event._tag === "Started").map((event) => "index" in event && event.index))
          .toEqual(test.started)
        const sha = yield* TrainingSet.sha256(png(test.keptName.length))
        expect(report.state?.images[test.keptName]).toStrictEqual({ sha256: sha, trainingImageId: test.keptId })
        expect(Object.keys(report.state?.images ?? {})).toEqual(test.stateImages)
      }).pipe(Effect.provide(fake())))

    it.effect("a failed replace keeps the last content in the state, so the change is planned again", () =>
      Effect.gen(function*() {
        const test = T.report.failedReplace
        const first = yield* sync([image(test.name, test.seed)], { state: TrainingSet.emptyState(MODEL) })
        const state = first.report.state
        assert(state !== undefined)
        yield* inject(test.faults)
        const changed = [image(test.name, test.changedSeed)]
        const { plan, report } = yield* sync(changed, { state })
        expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
        expect(TrainingSet.failures(report).map((failure) => failure.error._tag)).toEqual(test.failures)
        expect(report.state).toEqual(state)
        const again = yield* TrainingSet.plan({ modelId: MODEL, images: changed, state: report.state })
        expect(again.items.map((item) => item._tag)).toEqual(test.again)
      }).pipe(Effect.provide(fake())))
  })
})

describe("TrainingSet.apply, item by item", () => {
  it.effect("an image grown over the limit since the state fails as the replace it would be, unread", () => {
    const test = T.itemByItem.grownOverLimit
    return Effect.gen(function*() {
      const control = yield* TrainingImagesTest.TrainingImagesTest
      yield* control.seed(test.seed)
      const state: TrainingSet.State = test.state
      const { plan, report } = yield* sync(images(test.images), { state })
      expect(plan.items.map((item) => item._tag === "TooLarge" && item.trainingImageId)).toEqual(test.tooLarge)
      const failures = TrainingSet.failures(report)
      expect(failures.map((f) => f.error._tag === "InvalidRequestError" && f.error.operation)).toEqual(test.failedAs)
      expect(yield* operations).toEqual(test.operations)
    }).pipe(Effect.provide(fake({ maxRequestBytes: test.maxRequestBytes })))
  })

  it.effect("a delete and the pairs succeed with no ids, not reconciled; a pair without instruction sends none", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.deleteAndPairs
      const control = yield* TrainingImagesTest.TrainingImagesTest
      yield* control.seed(test.seed)
      const { plan, report } = yield* sync(images(test.images), { deleteOthers: true, pairs: test.pairs })
      expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
      expect(report.results.map((result) => result.outcome)).toStrictEqual(test.outcomes)
      const pairsCall = (yield* TrainingImagesTest.calls).find((call) => call.operation === "replacePairs")
      expect(pairsCall?.params).toStrictEqual(test.pairsParams)
    }).pipe(Effect.provide(fake())))

  it.effect("pairs list the model when any one names an image of unknown id, even if the others are all known", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.pairsListing
      const control = yield* TrainingImagesTest.TrainingImagesTest
      yield* control.seed(test.seed)
      // The kept images' ids are known to the run; an asset's add answers with no name, so its id needs a list.
      const sources = [...images(test.images), TrainingSet.fromAsset(test.asset)]
      const { plan, report } = yield* settle(sync(sources, { pairs: test.pairs }))
      expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
      expect(report.results[3]?.outcome).toStrictEqual(test.pairsOutcome)
      const asset = yield* idOf(test.asset)
      assert(asset !== undefined)
      const id = (known: string) => known === "asset" ? asset : known
      expect((yield* onModel).pairs).toEqual(
        test.stored.map(([sourceId, targetId]) => ({ sourceId: id(sourceId), targetId: id(targetId) }))
      )
      expect(yield* operations).toEqual(test.operations)
    }).pipe(Effect.provide(fake())))

  it.effect("pairs naming an image whose add failed fail as the set's issue, and are not sent", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.pairsOfAFailedAdd
      yield* inject(test.faults)
      const { plan, report } = yield* sync(images(test.images), { pairs: test.pairs, concurrency: test.concurrency })
      expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
      const failures = TrainingSet.failures(report)
      expect(failures.map((f) => f.item._tag)).toEqual(test.failedItems)
      const error = failures[1]!.error
      assert(error._tag === test.error._tag)
      expect(error.operation).toBe(test.error.operation)
      expect(error.message).toBe(test.error.message)
      expect(yield* operations).toEqual(test.operations)
    }).pipe(Effect.provide(fake())))

  it.effect("each item that is not kept tells its start, then its outcome or its error, with its index", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.events
      const control = yield* TrainingImagesTest.TrainingImagesTest
      yield* control.seed(test.seed)
      yield* inject(test.faults)
      const events: Array<TrainingSet.Event> = []
      const { plan, report } = yield* sync(images(test.images), {
        concurrency: test.concurrency,
        onEvent: (event) => Effect.sync(() => void events.push(event))
      })
      const at = (name: string) => plan.items.findIndex((item) => "name" in item && item.name === name)
      const [bad, ok, notes] = [at(test.failed), at(test.succeeded), at(test.skipped)]
      expect(plan.items[at(test.kept)]?._tag).toBe("Keep")
      expect(plan.items[notes]?._tag).toBe("Skip")
      const failed = report.results[bad]!.outcome
      const succeeded = report.results[ok]!.outcome
      assert(failed._tag === "Failed")
      expect(failed.error._tag).toBe(test.failedWith)
      expect(succeeded).toStrictEqual({
        _tag: "Succeeded",
        trainingImageIds: [yield* idOf(test.succeeded)],
        reconciled: test.reconciled
      })
      expect(report.results[notes]!.outcome).toStrictEqual(test.skippedOutcome)
      expect(events).toStrictEqual([
        { _tag: "Planned", plan },
        ...[bad, ok, notes].sort().flatMap((index) => [
          { _tag: "Started", index, item: plan.items[index] },
          index === bad
            ? { _tag: "Failed", index, item: plan.items[index], error: failed.error }
            : { _tag: "Succeeded", index, item: plan.items[index], outcome: report.results[index]!.outcome }
        ]),
        { _tag: "Finished", report }
      ])
    }).pipe(Effect.provide(fake())))

  it.effect("the stream of events runs with the options given: the state, the concurrency", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.stream
      const sources = images(test.images)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, state: TrainingSet.emptyState(MODEL) })
      const events = yield* Stream.runCollect(
        TrainingSet.events(plan, sources, { state: TrainingSet.emptyState(MODEL), concurrency: test.concurrency })
      )
      const all = Chunk.toReadonlyArray(events)
      // With one worker, each item ends before the next starts.
      expect(all.flatMap((event) => event._tag === "Started" || event._tag === "Succeeded" ? [event._tag] : []))
        .toEqual(test.tags)
      const last = all.at(-1)
      assert(last?._tag === "Finished")
      expect(Object.keys(last.report.state?.images ?? {})).toEqual(test.stateImages)
    }).pipe(Effect.provide(fake())))

  it.effect("an item naming no image source fails alone, unsent: an asset's name is no image source", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.noSource
      const sources = [TrainingSet.fromAsset(test.asset)]
      const plan: TrainingSet.Plan = {
        modelId: MODEL,
        tracksContent: false,
        items: test.adds.map((name) => ({ _tag: "Add", name }))
      }
      const report = yield* TrainingSet.apply(plan, sources)
      expect(TrainingSet.failures(report).map((f) => f.error)).toEqual(
        test.errors.map((error) => new TrainingSet.ImageSourceError(error))
      )
      expect(yield* operations).toEqual(test.operations)
    }).pipe(Effect.provide(fake())))

  it.effect("an image changed since the plan is judged again before it is read: no longer an image, or grown too large", () => {
    const test = T.itemByItem.changedSincePlan
    return Effect.gen(function*() {
      let bytes = png(test.seed)
      const reads: Array<number> = []
      const changing: TrainingSet.ImageSource = {
        ...TrainingSet.fromReader(test.name, Effect.sync(() => (reads.push(bytes.length), bytes))),
        peek: Effect.sync(() => ({ size: bytes.length, head: bytes.slice(0, 16) }))
      }
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: [changing] })
      expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
      bytes = new TextEncoder().encode(test.text)
      const notImage = TrainingSet.failures(yield* TrainingSet.apply(plan, [changing]))[0]?.error
      assert(notImage?._tag === "InvalidRequestError")
      expect(notImage.message).toBe(test.notAnImage)
      bytes = png(test.grown.seed, test.grown.size)
      const tooLarge = TrainingSet.failures(yield* TrainingSet.apply(plan, [changing]))[0]?.error
      assert(tooLarge?._tag === "InvalidRequestError")
      expect(tooLarge.message).toContain(test.tooLarge)
      expect(reads).toEqual(test.reads)
      expect(yield* operations).toEqual(test.operations)
    }).pipe(Effect.provide(fake({ maxRequestBytes: test.maxRequestBytes })))
  })

  it.effect("a replace succeeds with the id the service answers, not reconciled; changed into no image since the plan, it fails as a replace", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.replace
      const control = yield* TrainingImagesTest.TrainingImagesTest
      yield* control.seed(test.seed)
      const state: TrainingSet.State = test.state
      let bytes = png(test.bytesSeed)
      const changing: TrainingSet.ImageSource = {
        ...TrainingSet.fromReader(test.name, Effect.sync(() => bytes)),
        peek: Effect.sync(() => ({ size: bytes.length, head: bytes.slice(0, 16) }))
      }
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: [changing], state })
      expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
      const replaced = yield* TrainingSet.apply(plan, [changing], { state })
      const id = yield* idOf(test.name)
      assert(id !== undefined)
      expect(replaced.results[0]?.outcome).toStrictEqual({
        _tag: "Succeeded",
        trainingImageIds: [id],
        reconciled: test.reconciled
      })
      expect(replaced.state?.images[test.name]?.trainingImageId).toBe(id)
      bytes = new TextEncoder().encode(test.text)
      const notImage = TrainingSet.failures(yield* TrainingSet.apply(plan, [changing], { state }))[0]?.error
      assert(notImage?._tag === "InvalidRequestError")
      expect(notImage.operation).toBe(test.failedAs)
      expect(notImage.message).toBe(test.notAnImage)
      expect(yield* operations).toEqual(test.operations)
    }).pipe(Effect.provide(fake())))

  it.effect("with a settle window of 0, an add of unknown outcome not found at once is sent again", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.settleWindowZero
      yield* inject(test.faults)
      const { report } = yield* sync(images(test.images), { settleWindow: test.settleWindow })
      expect(report.results[0]?.outcome).toMatchObject(test.outcome)
      expect(yield* operations).toEqual(test.operations)
    }).pipe(Effect.provide(fake())))

  it.effect("an add of unknown outcome tells whether the listing found it", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.reconciled
      const events: Array<TrainingSet.Event> = []
      const onEvent = (event: TrainingSet.Event) => Effect.sync(() => void events.push(event))
      yield* inject(test.faults)
      const { plan } = yield* settle(sync(images(test.images), { concurrency: test.concurrency, onEvent }))
      expect(events.filter((event) => event._tag === "Reconciled")).toStrictEqual(
        test.found.map(([index, found]) => ({ _tag: "Reconciled", index, item: plan.items[index], found }))
      )
    }).pipe(Effect.provide(fake())))

  it.effect("a 429 tells the pause once per longer wait, with the item that met it", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.pausedOnce
      const events: Array<TrainingSet.Event> = []
      const onEvent = (event: TrainingSet.Event) => Effect.sync(() => void events.push(event))
      // Two workers meet the same wait at the same instant: one pause.
      yield* inject(test.faults)
      const { report } = yield* settle(sync(images(test.images), { concurrency: test.concurrency, onEvent }))
      expect(TrainingSet.isSuccess(report)).toBe(test.success)
      expect(events.filter((event) => event._tag === "Paused")).toStrictEqual(
        test.paused.map(({ index, retryAfterMs }) => ({
          _tag: "Paused",
          index,
          retryAfter: Duration.millis(retryAfterMs)
        }))
      )
    }).pipe(Effect.provide(fake())))

  it.effect("a 429 met outside the retry loop (a service of one's own) still pauses the other workers", () => {
    const test = T.itemByItem.outsideTheRetryLoop
    return Effect.gen(function*() {
      const sources = images(test.images)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
      const fiber = yield* Effect.fork(TrainingSet.apply(plan, sources, { concurrency: test.concurrency }))
      yield* TestClock.adjust(seconds(test.before))
      expect((yield* addCalls).length).toBe(0)
      yield* TestClock.adjust(seconds(test.rest))
      const report = yield* Fiber.join(fiber)
      expect(TrainingSet.failures(report).map((f) => f.error._tag)).toEqual(test.failures)
      expect((yield* addCalls).length).toBe(test.adds)
    }).pipe(
      // The fake's service, but for a first add answered 429 (Retry-After 10 s) without retrying it.
      Effect.provide(Layer.effect(
        TrainingImages.TrainingImages,
        Effect.map(TrainingImages.TrainingImages, (service) => {
          let first = true
          return {
            ...service,
            add: (params) => {
              if (!first) return service.add(params)
              first = false
              return Effect.fail(injectedError(test.first))
            }
          }
        })
      )),
      Effect.provide(fake())
    )
  })

  it.effect("a 429 without Retry-After pauses nobody: it is retried on the policy's backoff", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.noRetryAfter
      const events: Array<TrainingSet.Event> = []
      yield* inject(test.faults)
      const { report } = yield* settle(
        sync(images(test.images), { onEvent: (event) => Effect.sync(() => void events.push(event)) })
      )
      expect(TrainingSet.isSuccess(report)).toBe(test.success)
      expect(events.filter((event) => event._tag === "Paused")).toEqual(test.paused)
      expect((yield* addCalls).map((call) => call.status)).toEqual(test.statuses)
    }).pipe(Effect.provide(fake())))

  it.effect("a retry waits for the run's pause as well as its own backoff", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.retryWaitsForPause
      const control = yield* TrainingImagesTest.TrainingImagesTest
      yield* control.seed(test.seed)
      const state: TrainingSet.State = test.state
      const sources = images(test.images)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, state, deleteOthers: true })
      expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
      // The replace pauses the run for 10 s; the delete, failed at the same instant, is retried only after it.
      yield* inject(test.faults)
      const fiber = yield* Effect.fork(TrainingSet.apply(plan, sources, { state, concurrency: test.concurrency }))
      const deletes = Effect.map(operations, (all) => all.filter((operation) => operation === "delete").length)
      for (let second = 0; second < test.pausedSeconds - 1; second++) {
        yield* TestClock.adjust("1 second")
        expect(yield* deletes, `at ${second + 1} s`).toBe(test.deletesDuring)
      }
      yield* TestClock.adjust("1 second")
      expect(TrainingSet.isSuccess(yield* Fiber.join(fiber))).toBe(true)
      expect(yield* deletes).toBe(test.deletesAfter)
    }).pipe(Effect.provide(fake())))

  it.effect("an image without a size to judge, read over the limit with no fitter, fails at the client's limit", () => {
    const test = T.itemByItem.noSizeToJudge
    return Effect.gen(function*() {
      const sources = [
        TrainingSet.fromReader(test.image.name, Effect.succeed(png(test.image.seed, test.image.size)))
      ]
      const { plan, report } = yield* sync(sources)
      expect(plan.items.map((item) => item._tag)).toEqual(test.kinds)
      const [failure] = TrainingSet.failures(report)
      assert(failure?.error._tag === test.failedWith)
      expect(failure.error.message).toContain(test.message)
      expect(yield* addCalls).toEqual(test.adds)
    }).pipe(Effect.provide(fake({ maxRequestBytes: test.maxRequestBytes })))
  })

  it.effect("an add of unknown outcome whose listing fails ends with the add's error", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.listingFails
      const sources = images(test.images)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
      yield* inject(test.faults)
      const report = yield* settle(TrainingSet.apply(plan, sources))
      expect(TrainingSet.failures(report).map((f) => f.error._tag)).toEqual(test.failures)
    }).pipe(Effect.provide(fake())))

  it.effect("an add of unknown outcome listed twice under its name takes the first copy's id", () =>
    Effect.gen(function*() {
      const test = T.itemByItem.listedTwice
      const sources = images(test.images)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
      // Another writer adds the same name before this run's add, whose response is then lost.
      const service = yield* TrainingImages.TrainingImages
      const other = yield* service.add({
        modelId: MODEL,
        ...Either.getOrThrow(TrainingSet.toImageInput(test.other.name, png(test.other.seed)))
      })
      yield* inject(test.faults)
      const report = yield* settle(TrainingSet.apply(plan, sources))
      const listed = (yield* onModel).trainingImages.map((image) => image.id)
      expect(listed).toHaveLength(test.listed)
      expect(listed[0]).toBe(other.id)
      expect(report.results[0]?.outcome).toStrictEqual({
        _tag: "Succeeded",
        trainingImageIds: [other.id],
        reconciled: test.reconciled
      })
    }).pipe(Effect.provide(fake())))

  describe("a batch of assets", () => {
    const assets = T.batch.assets.map((id) => TrainingSet.fromAsset(id))
    const ids = (report: TrainingSet.Report) =>
      report.results.flatMap((result) => result.outcome._tag === "Succeeded" ? result.outcome.trainingImageIds : [])

    it.effect("takes the ids of the batch from one listing when it shows them all", () =>
      Effect.gen(function*() {
        const test = T.batch.oneListing
        const { report } = yield* sync(assets)
        expect([...ids(report)].sort()).toEqual([...(yield* Effect.forEach(T.batch.assets, idOf))].sort())
        expect(yield* operations).toEqual(test.operations)
      }).pipe(Effect.provide(fake())))

    it.effect("lists again once the settle window has passed when a lagging list lacks some", () => {
      const test = T.batch.lagging
      return Effect.gen(function*() {
        const { report } = yield* settle(sync(assets))
        expect(ids(report)).toHaveLength(test.ids)
        expect(yield* operations).toEqual(test.operations)
      }).pipe(Effect.provide(fake({ listLag: seconds(test.listLag) })))
    })

    it.effect("with a settle window of 0, takes what the first listing shows", () => {
      const test = T.batch.settleWindowZero
      return Effect.gen(function*() {
        const { report } = yield* settle(sync(assets, { settleWindow: test.settleWindow }))
        expect(TrainingSet.isSuccess(report)).toBe(test.success)
        expect(ids(report)).toEqual(test.ids)
        expect(yield* operations).toEqual(test.operations)
      }).pipe(Effect.provide(fake({ listLag: seconds(test.listLag) })))
    })
  })
})

// A file system that is the real one but for the answers given: permission denied on one path, a listing in
// another order.
const fileSystem = (overrides: (fs: FileSystem.FileSystem) => Partial<FileSystem.FileSystem>) =>
  Layer.effect(FileSystem.FileSystem, Effect.map(FileSystem.FileSystem, (fs) => ({ ...fs, ...overrides(fs) }))).pipe(
    Layer.provideMerge(NodeContext.layer)
  )

const denied = (method: string, path: string) =>
  new PlatformError.SystemError({ reason: "PermissionDenied", module: "FileSystem", method, pathOrDescriptor: path })

describe("TrainingSet.readFolder", () => {
  it.effect("names come sorted whatever order the folder lists them in", () => {
    const files = T.readFolder.sorted.files
    const root = Folders.pngFolder(files)
    return Effect.gen(function*() {
      const sources = yield* TrainingSet.readFolder(root)
      expect(sources.map((source) => source.name)).toEqual([...files].sort())
      expect(sources.map((source) => source.path)).toEqual([...files].sort().map((name) => Path.join(root, name)))
    }).pipe(
      Effect.provide(fileSystem((fs) => ({
        readDirectory: (path, options) =>
          Effect.map(fs.readDirectory(path, options), (entries) => [...entries].sort().reverse())
      }))),
      Effect.ensuring(Effect.sync(() => Fs.rmSync(root, { recursive: true })))
    )
  })

  it.effect("a folder or a file that may not be read is an ImageSourceError saying so", () => {
    const test = T.readFolder.denied
    const root = Folders.pngFolder(test.files)
    const secret = Path.join(root, test.secret)
    const locked = Path.join(root, test.locked)
    const readable = test.files.find((name) => name !== test.secret)!
    return Effect.gen(function*() {
      const sources = yield* TrainingSet.readFolder(root)
      const error = yield* Effect.flip(sources[test.files.indexOf(test.secret)]!.read)
      expect(error.reason).toBe(test.reason)
      expect(error.message).toBe(`${secret}: ${test.reason}`)
      expect([...(yield* sources[test.files.indexOf(readable)]!.read)]).toEqual([...png(readable.length)])
      const listing = yield* Effect.flip(TrainingSet.readFolder(locked))
      expect(listing.reason).toBe(test.reason)
      expect(listing.path).toBe(locked)
    }).pipe(
      Effect.provide(fileSystem((fs) => ({
        readFile: (path) => path === secret ? Effect.fail(denied("readFile", path)) : fs.readFile(path),
        stat: (path) => path === locked ? Effect.fail(denied("stat", path)) : fs.stat(path)
      }))),
      Effect.ensuring(Effect.sync(() => Fs.rmSync(root, { recursive: true })))
    )
  })

  it.effect("an entry that may not be looked at, a subfolder that may not be listed or resolved, fail the folder naming it", () => {
    const test = T.readFolder.deniedInside
    const root = Folders.pngFolder(test.files)
    Fs.mkdirSync(Path.join(root, test.sub.folder))
    Fs.writeFileSync(Path.join(root, test.sub.folder, test.sub.file), png(test.sub.seed))
    const at = (path: string) => path === "" ? "" : Path.join(root, path)
    return Effect.gen(function*() {
      for (const relative of test.denials) {
        const denial = {
          stat: at(relative.stat),
          readDirectory: at(relative.readDirectory),
          realPath: at(relative.realPath),
          recursive: relative.recursive,
          path: at(relative.path)
        }
        const error = yield* Effect.flip(TrainingSet.readFolder(root, { recursive: denial.recursive })).pipe(
          Effect.provide(fileSystem((fs) => ({
            stat: (path) => path === denial.stat ? Effect.fail(denied("stat", path)) : fs.stat(path),
            readDirectory: (path, options) =>
              path === denial.readDirectory
                ? Effect.fail(denied("readDirectory", path))
                : fs.readDirectory(path, options),
            realPath: (path) => path === denial.realPath ? Effect.fail(denied("realPath", path)) : fs.realPath(path)
          })))
        )
        expect(error._tag).toBe(test.errorTag)
        expect(error.path, JSON.stringify(denial)).toBe(denial.path)
        expect(error.reason).toBe(test.reason)
      }
      // Without those denials the same folder lists whole.
      const sources = yield* TrainingSet.readFolder(root, { recursive: true }).pipe(Effect.provide(NodeContext.layer))
      expect(sources.map((source) => source.name)).toEqual(test.whole)
    }).pipe(Effect.ensuring(Effect.sync(() => Fs.rmSync(root, { recursive: true }))))
  })

  it.effect("readFiles: a folder given as a file is an ImageSourceError naming it", () => {
    const test = T.readFolder.readFiles
    const root = Folders.pngFolder(test.files)
    return Effect.gen(function*() {
      const error = yield* Effect.flip(
        TrainingSet.readFiles([...test.files.map((name) => Path.join(root, name)), root])
      )
      expect(error.path).toBe(root)
      expect(error.reason).toBe(test.reason)
    }).pipe(
      Effect.provide(NodeContext.layer),
      Effect.ensuring(Effect.sync(() => Fs.rmSync(root, { recursive: true })))
    )
  })
})

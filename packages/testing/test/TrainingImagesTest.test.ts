// The Effect 3 line's runner of the fake's table (`contract/fake.ts`, shared with the Effect 4 line): each
// test makes the table's calls on the line's fake and compares what follows with the table; the faults (the
// line's `Fault` values) and the error classes are made here.
import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { Fault, TrainingImagesTest } from "@effect-scenario/testing"
import { assert, describe, expect, it, layer } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, TestClock } from "effect"
import * as Cases from "../../../contract/fake.js"

const { MODEL, PNG } = Cases
const noRetries = TrainingImages.withRequestOptions({ retryPolicy: RetryPolicy.none })

const fake = (options?: TrainingImagesTest.Options) =>
  TrainingImagesTest.make({ models: Cases.emptyModels, ...options })

describe("TrainingImagesTest", () => {
  describe("deterministic values", () => {
    it.effect("ids come from a counter and createdAt from the Clock, so TestClock controls them", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.parse(Cases.clock.start))
        const { service } = yield* fake()
        const first = yield* service.add({ modelId: MODEL, assetId: Cases.clock.first.name })
        yield* TestClock.adjust(Duration.millis(Cases.clock.stepMs))
        const second = yield* service.add({ modelId: MODEL, data: PNG })
        for (const [image, expected] of [[first, Cases.clock.first], [second, Cases.clock.second]] as const) {
          expect(image.id).toBe(expected.id)
          expect(image.createdAt).toBe(expected.createdAt)
          expect(image.name).toBe(expected.name)
        }
      }))

    it.effect("two fakes given the same calls return the same values", () =>
      Effect.gen(function*() {
        const run = Effect.gen(function*() {
          const { service } = yield* fake()
          yield* service.add({ modelId: MODEL, assetIds: Cases.sameCalls.batch })
          const image = yield* service.add({ modelId: MODEL, ...Cases.sameCalls.image })
          yield* service.replacePairs({
            modelId: MODEL,
            pairs: [{ sourceId: Cases.sameCalls.pairSource, targetId: image.id }]
          })
          return yield* service.list({ modelId: MODEL })
        })
        const a = yield* run
        yield* TestClock.adjust(Duration.millis(Cases.sameCalls.laterMs))
        const b = yield* run
        expect(b.trainingImages.map((i) => i.id)).toEqual(a.trainingImages.map((i) => i.id))
        expect(b.trainingImagePairs).toEqual(a.trainingImagePairs)
        expect(a.trainingImagesNumber).toBe(Cases.sameCalls.count)
      }))
  })

  describe("seeding and inspection", () => {
    it.effect("seeded models, images and pairs are listed and generated ids skip seeded ones", () =>
      Effect.gen(function*() {
        const { service, snapshot } = yield* TrainingImagesTest.make({ models: Cases.seeded.models })
        const listed = yield* service.list({ modelId: Cases.seededAdd.modelId })
        expect(listed.status).toBe(Cases.seeded.models.model_seeded.status)
        expect(listed.trainingImages.map((i) => [i.id, i.name, i.createdAt.slice(0, 4)])).toEqual(Cases.seeded.listed)
        expect(listed.trainingImagePairs).toEqual(Cases.seeded.pairs)
        const state = (yield* snapshot).models[Cases.seededAdd.modelId]
        assert(state !== undefined)
        expect(state.name).toBe(Cases.seeded.name)
        expect(state.type).toBe(Cases.seeded.type)
        const added = yield* service.add(Cases.seededAdd)
        expect(added.id).toBe(Cases.seeded.nextId)
      }))

    it.effect("seed adds or replaces models at run time; snapshots are copies", () =>
      Effect.gen(function*() {
        const control = yield* fake()
        const before = yield* control.snapshot
        yield* control.service.add({ modelId: MODEL, assetId: Cases.runTimeSeed.added })
        expect(before.models[MODEL]?.trainingImages).toEqual(Cases.runTimeSeed.snapshotBefore)
        yield* control.seed(Cases.runTimeSeed.seed)
        const model1 = yield* control.model(MODEL)
        assert(Option.isSome(model1))
        expect(model1.value.status).toBe(Cases.runTimeSeed.status)
        expect(model1.value.trainingImages).toEqual(Cases.runTimeSeed.images)
        expect(Option.map(yield* control.model(Cases.runTimeSeed.added2.modelId), (m) => m.trainingImages.length))
          .toEqual(Option.some(Cases.runTimeSeed.added2.images))
        expect(yield* control.model(Cases.runTimeSeed.missing)).toEqual(Option.none())
      }))

    it.effect("listLag keeps an added image off the list until TestClock passes it; inspection sees it at once", () =>
      Effect.gen(function*() {
        const { model, service, setListLag } = yield* fake({ listLag: Duration.millis(Cases.listLag.lagMs) })
        const listedNames = Effect.map(
          service.list({ modelId: MODEL }),
          (listed) => listed.trainingImages.map((image) => image.name)
        )
        yield* service.add({ modelId: MODEL, assetId: Cases.listLag.first })
        expect(yield* listedNames).toEqual(Cases.listLag.lagging)
        expect(Option.map(yield* model(MODEL), (m) => m.trainingImages.length))
          .toEqual(Option.some(Cases.listLag.storedAtOnce))
        yield* TestClock.adjust(Duration.millis(Cases.listLag.lagMs))
        expect(yield* listedNames).toEqual(Cases.listLag.afterLag)
        yield* service.add({ modelId: MODEL, assetId: Cases.listLag.second })
        expect(yield* listedNames).toEqual(Cases.listLag.afterLag)
        yield* setListLag(undefined)
        expect(yield* listedNames).toEqual(Cases.listLag.afterOff)
      }))

    it.effect("calls records each request with its params, URL and status; rejected params are not sent", () =>
      Effect.gen(function*() {
        const { calls, service } = yield* fake()
        yield* service.add(Cases.recordedInputs.add)
        yield* Effect.flip(service.delete(Cases.recordedInputs.deleteMissing))
        yield* Effect.flip(service.add(Cases.recordedInputs.refused))
        const recorded = yield* calls
        expect(recorded).toEqual(Cases.recordedCalls(TrainingImagesTest.DEFAULT_BASE_URL))
      }))
  })

  describe("behaviour of the API", () => {
    it.effect("a batch adds every asset and answers with the first", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const first = yield* service.add(Cases.batch.params)
        const listed = yield* service.list({ modelId: MODEL })
        expect(first.name).toBe(Cases.batch.first)
        expect(listed.trainingImages.map((i) => i.name)).toEqual(Cases.batch.names)
        expect(listed.trainingImagesNumber).toBe(Cases.batch.count)
      }))

    it.effect("replace keeps the id and takes the new content", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const image = yield* service.add({ modelId: MODEL, assetId: Cases.replace.assetId })
        const replaced = yield* service.replace({
          modelId: MODEL,
          trainingImageId: image.id,
          data: Cases.replace.data,
          name: Cases.replace.name
        })
        expect(replaced.id).toBe(image.id)
        expect(replaced.name).toBe(Cases.replace.name)
        const listed = yield* service.list({ modelId: MODEL })
        expect(listed.trainingImages.map((i) => [i.id, i.name])).toEqual([[image.id, Cases.replace.name]])
      }))

    it.effect("delete removes the image and the pairs that name it; later calls on it are NotFoundError", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const a = yield* service.add({ modelId: MODEL, assetId: Cases.deleted.source })
        const b = yield* service.add({ modelId: MODEL, assetId: Cases.deleted.target })
        yield* service.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: b.id }] })
        yield* service.delete({ modelId: MODEL, trainingImageId: a.id })
        const listed = yield* service.list({ modelId: MODEL })
        expect(listed.trainingImages.map((i) => i.id)).toEqual([b.id])
        expect(listed.trainingImagePairs).toEqual(Cases.deleted.pairsAfter)
        const again = yield* Effect.flip(service.delete({ modelId: MODEL, trainingImageId: a.id }))
        expect(again._tag).toBe(Cases.deleted.tag)
        const replace = yield* Effect.flip(
          service.replace({ modelId: MODEL, trainingImageId: a.id, assetId: Cases.deleted.replaceWith })
        )
        expect(replace._tag).toBe(Cases.deleted.tag)
      }))

    it.effect("unknown model: NotFoundError naming the request, with the JSON body", () =>
      Effect.gen(function*() {
        const { service } = yield* fake({ baseUrl: Cases.unknownModel.baseUrl })
        const error = yield* Effect.flip(service.list({ modelId: Cases.unknownModel.modelId }))
        assert(error._tag === Cases.unknownModelError.tag)
        expect(error.status).toBe(Cases.unknownModelError.status)
        expect(error.method).toBe(Cases.unknownModelError.method)
        expect(error.url).toBe(Cases.unknownModel.url)
        expect(error.body).toEqual(Cases.unknownModel.body)
        expect(error.requestId).toBe(Cases.unknownModel.requestId)
        expect(error.headers["x-request-id"]).toBe(Cases.unknownModel.requestId)
      }))

    it.effect("a pair naming an asset that is not a training image of the model: BadRequestError, pairs kept", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const a = yield* service.add({ modelId: MODEL, assetId: Cases.pairKept.source })
        const b = yield* service.add({ modelId: MODEL, assetId: Cases.pairKept.target })
        yield* service.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: b.id }] })
        const error = yield* Effect.flip(
          service.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: Cases.pairElsewhere.targetId }] })
        )
        assert(error._tag === Cases.pairKept.tag)
        expect(error.body).toEqual(Cases.pairElsewhere.body)
        expect((yield* service.list({ modelId: MODEL })).trainingImagePairs).toEqual([
          { sourceId: a.id, targetId: b.id }
        ])
      }))

    it.effect("a training image id of \"pairs\" is refused as the HTTP client refuses it", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const error = yield* Effect.flip(
          service.replace({
            modelId: MODEL,
            trainingImageId: Cases.pairsId.trainingImageId,
            assetId: Cases.pairsId.assetId
          })
        )
        assert(error._tag === Cases.pairsId.tag)
        expect(error.issues[0]!.path).toEqual(Cases.pairsId.path)
      }))

    it.effect("params are checked with the client's validators: InvalidRequestError, nothing stored", () =>
      Effect.gen(function*() {
        const { calls, service, snapshot } = yield* fake()
        const errors = yield* Effect.forEach(
          Cases.refusedParams,
          ([operation, params]) =>
            Effect.flip(
              (service[operation] as (
                params: unknown
              ) => Effect.Effect<unknown, TrainingImagesError.TrainingImagesError>)(
                params
              )
            )
        )
        expect(errors).toHaveLength(Cases.refusedParams.length)
        for (const error of errors) expect(error._tag).toBe(Cases.refused.tag)
        expect(yield* calls).toEqual(Cases.refused.calls)
        expect((yield* snapshot).models[MODEL]?.trainingImages).toEqual(Cases.refused.stored)
      }))
  })

  describe("fault injection", () => {
    it.effect("a 429 carries the wait it asks for, as the HTTP client would parse it", () =>
      Effect.gen(function*() {
        const { calls, failNext, faultCounts, service } = yield* fake()
        yield* failNext(
          1,
          Fault.rateLimited({
            retryAfter: Duration.millis(Cases.rateLimited.retryAfterMs),
            retryAfterHeader: Cases.rateLimitedAdd.headerName
          })
        )
        const error = yield* Effect.flip(
          noRetries(service.add({ modelId: MODEL, assetId: Cases.rateLimitedAdd.assetId }))
        )
        assert(error._tag === Cases.rateLimitedAdd.tag)
        expect(error.status).toBe(Cases.rateLimitedAdd.status)
        expect(error.headers[Cases.rateLimitedAdd.headerName]).toBe(Cases.rateLimited.header)
        assert(error.retryAfter !== undefined)
        expect(Duration.toMillis(error.retryAfter)).toBe(Cases.rateLimited.waitMs)
        expect(error.body).toEqual(Cases.rateLimited.body)
        expect(yield* faultCounts).toEqual(Cases.rateLimitedAdd.faultCounts)
        expect((yield* calls).map((c) => [c.fault, c.status])).toEqual(Cases.rateLimitedAdd.log)
        expect((yield* service.list({ modelId: MODEL })).trainingImagesNumber).toBe(Cases.rateLimitedAdd.stored)
      }))

    it.effect("the retry policy honours the wait: the retry comes once TestClock passes it", () =>
      Effect.gen(function*() {
        const { calls, failNext, service } = yield* fake()
        yield* failNext(1, Fault.rateLimited({ retryAfter: Duration.millis(Cases.retryAfterWait.retryAfterMs) }))
        const fiber = yield* Effect.fork(service.add({ modelId: MODEL, assetId: Cases.retryAfterWait.assetId }))
        yield* TestClock.adjust(Duration.millis(Cases.retryAfterWait.beforeMs))
        expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
        yield* TestClock.adjust(Duration.millis(Cases.retryAfterWait.restMs))
        const image = yield* Fiber.join(fiber)
        expect(image.id).toBe(Cases.retryAfterWait.id)
        expect((yield* calls).map((c) => c.status)).toEqual(Cases.retryAfterWait.statuses)
      }))

    it.effect("failNext counts attempts, can target one operation, and runs out", () =>
      Effect.gen(function*() {
        const { failNext, faultCounts, service } = yield* fake()
        const { count, operation, status } = Cases.failNextList
        yield* failNext(count, Fault.serverError(status), { operation })
        yield* noRetries(service.add({ modelId: MODEL, assetId: Cases.failNextList.assetId }))
        const first = yield* Effect.flip(noRetries(service.list({ modelId: MODEL })))
        const second = yield* Effect.flip(noRetries(service.list({ modelId: MODEL })))
        const third = yield* noRetries(service.list({ modelId: MODEL }))
        expect([first._tag, second._tag]).toEqual(Cases.failNextList.tags)
        expect(third.trainingImagesNumber).toBe(Cases.failNextList.listed)
        expect(yield* faultCounts).toEqual(Cases.failNextList.faultCounts)
      }))

    it.effect("any error of the library can be injected and is raised as given", () =>
      Effect.gen(function*() {
        const { failNext, faultCounts, service } = yield* fake()
        const conflict = new TrainingImagesError.ConflictError({ ...Cases.conflictFields, headers: {} })
        yield* failNext(1, conflict)
        const error = yield* Effect.flip(noRetries(service.replacePairs({ modelId: MODEL, pairs: [] })))
        expect(error).toBe(conflict)
        expect(yield* faultCounts).toEqual(Cases.injectedError.faultCounts)
      }))

    it.effect("a dropped connection: ConnectionError, and the change applied or not depending on when", () =>
      Effect.gen(function*() {
        const { failNext, service } = yield* fake()
        yield* failNext(1, Fault.dropBeforeApply)
        const before = yield* Effect.flip(noRetries(service.add({ modelId: MODEL, assetId: Cases.dropped.before })))
        assert(before._tag === Cases.dropped.tag)
        expect(before.mayHaveReachedServer).toBe(Cases.dropped.mayHaveReachedServer)
        expect((yield* service.list({ modelId: MODEL })).trainingImagesNumber).toBe(Cases.dropped.storedBefore)
        yield* failNext(1, Fault.dropAfterApply)
        const after = yield* Effect.flip(service.add({ modelId: MODEL, assetId: Cases.dropped.after }))
        expect(after._tag).toBe(Cases.dropped.tag)
        const listed = yield* service.list({ modelId: MODEL })
        expect(listed.trainingImages.map((i) => i.name)).toEqual(Cases.dropped.namesAfter)
      }))

    it.effect("the default policy retries an idempotent call after a dropped connection", () =>
      Effect.gen(function*() {
        const { calls, failNext, service } = yield* fake()
        yield* failNext(1, Fault.dropAfterApply, { operation: Cases.droppedRetried.operation })
        const fiber = yield* Effect.fork(service.replacePairs({ modelId: MODEL, pairs: [] }))
        yield* TestClock.adjust(Duration.millis(Cases.droppedRetried.advanceMs))
        const result = yield* Fiber.join(fiber)
        expect(result.count).toBe(Cases.droppedRetried.count)
        expect((yield* calls).map((c) => [c.fault, c.status])).toEqual(Cases.droppedRetried.log)
      }))

    it.effect("a delay longer than the timeout: TimeoutError, nothing applied", () =>
      Effect.gen(function*() {
        const { calls, failNext, service } = yield* fake()
        yield* failNext(1, Fault.delay(Duration.millis(Cases.delayed.delayMs)))
        const fiber = yield* Effect.fork(
          service.add({ modelId: MODEL, assetId: Cases.delayed.assetId }).pipe(
            TrainingImages.withRequestOptions({
              timeout: Duration.millis(Cases.delayed.timeoutMs),
              retryPolicy: RetryPolicy.none
            })
          )
        )
        yield* TestClock.adjust(Duration.millis(Cases.delayed.timeoutMs))
        const error = yield* Effect.flip(Fiber.join(fiber))
        assert(error._tag === Cases.delayed.tag)
        expect(Duration.toMillis(error.timeout)).toBe(Cases.delayed.timeoutMs)
        expect((yield* calls).map((c) => [c.fault, c.status])).toEqual(Cases.delayed.log)
        expect((yield* service.list({ modelId: MODEL })).trainingImagesNumber).toBe(Cases.delayed.stored)
      }))

    it.effect("random faults follow their seed: the same calls meet the same faults", () =>
      Effect.gen(function*() {
        const faults: TrainingImagesTest.Options["faults"] = {
          rate: Cases.randomFaults.rate,
          seed: Cases.randomFaults.seed,
          faults: [...Cases.randomFaultStatuses.map((status) => Fault.serverError(status)), Fault.rateLimited()]
        }
        const run = Effect.gen(function*() {
          const { calls, faultCounts, service } = yield* fake({ faults, retryPolicy: RetryPolicy.none })
          for (let i = 0; i < Cases.randomFaults.calls; i++) yield* Effect.either(service.list({ modelId: MODEL }))
          return { kinds: (yield* calls).map((c) => c.fault), counts: yield* faultCounts }
        })
        const first = yield* run
        const second = yield* run
        expect(second).toEqual(first)
        const faulted = first.kinds.filter((kind) => kind !== undefined).length
        expect(faulted).toBeGreaterThan(0)
        expect(faulted).toBeLessThan(Cases.randomFaults.calls)
        expect(Object.values(first.counts).reduce((a, b) => a + b, 0)).toBe(faulted)
      }))

    it.effect("setFaults switches random faults on and off; rates outside 0..1 are refused", () =>
      Effect.gen(function*() {
        const { service, setFaults } = yield* fake({ retryPolicy: RetryPolicy.none })
        const { on } = Cases.setFaultsCase
        yield* setFaults({ rate: on.rate, faults: [Fault.serverError(on.status)], operations: on.operations })
        expect((yield* Effect.flip(service.list({ modelId: MODEL })))._tag).toBe(Cases.setFaultsCase.tag)
        yield* service.add({ modelId: MODEL, assetId: Cases.setFaultsCase.assetId })
        yield* setFaults(undefined)
        expect((yield* service.list({ modelId: MODEL })).trainingImagesNumber).toBe(Cases.setFaultsCase.listed)
        const refused = yield* Effect.exit(
          setFaults({ rate: Cases.setFaultsCase.refusedRate, faults: [Fault.serverError()] })
        )
        expect(refused._tag).toBe(Cases.setFaultsCase.refused)
      }))

    it.effect("reset restores the seed, the counters and the faults", () =>
      Effect.gen(function*() {
        const control = yield* fake({ retryPolicy: RetryPolicy.none })
        yield* control.service.add({ modelId: MODEL, assetId: Cases.resetCase.added })
        yield* control.failNext(Cases.resetCase.faults, Fault.serverError())
        yield* Effect.flip(control.service.list({ modelId: MODEL }))
        yield* control.reset
        expect(yield* control.calls).toEqual(Cases.resetCase.calls)
        expect(yield* control.faultCounts).toEqual(Cases.resetCase.faultCounts)
        expect((yield* control.service.list({ modelId: MODEL })).trainingImagesNumber).toBe(Cases.resetCase.listed)
        expect((yield* control.service.add({ modelId: MODEL, assetId: Cases.resetCase.addedAfter })).id).toBe(
          Cases.resetCase.id
        )
      }))
  })

  layer(TrainingImagesTest.layer({ models: Cases.emptyModels, retryPolicy: RetryPolicy.none }))("as a layer", (it) => {
    it.effect("provides TrainingImages and the controls of the same fake", () =>
      Effect.gen(function*() {
        const { assetId, operation, status } = Cases.asLayer
        yield* TrainingImagesTest.failNext(1, Fault.serverError(status), { operation })
        const images = yield* TrainingImages.TrainingImages
        const error = yield* Effect.flip(images.add({ modelId: MODEL, assetId }))
        expect(error._tag).toBe(Cases.asLayer.tag)
        yield* images.add({ modelId: MODEL, assetId })
        const snapshot = yield* TrainingImagesTest.snapshot
        expect(snapshot.models[MODEL]?.trainingImages.map((i) => i.name)).toEqual(Cases.asLayer.names)
        expect((yield* TrainingImagesTest.calls).map((c) => c.status)).toEqual(Cases.asLayer.statuses)
        expect(yield* TrainingImagesTest.faultCounts).toEqual(Cases.asLayer.faultCounts)
        yield* TrainingImagesTest.reset
        expect(yield* TrainingImagesTest.calls).toEqual(Cases.asLayer.afterReset)
      }))
  })
})

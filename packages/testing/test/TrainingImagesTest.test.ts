import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { Fault, TrainingImagesTest } from "@effect-scenario/testing"
import { assert, describe, expect, it, layer } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, TestClock } from "effect"
import * as Cases from "../../../contract/fake.js"

const { MODEL, PNG } = Cases
const noRetries = TrainingImages.withRequestOptions({ retryPolicy: RetryPolicy.none })

const fake = (options?: TrainingImagesTest.Options) => TrainingImagesTest.make({ models: { [MODEL]: {} }, ...options })

describe("TrainingImagesTest", () => {
  describe("deterministic values", () => {
    it.effect("ids come from a counter and createdAt from the Clock, so TestClock controls them", () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(Date.parse(Cases.clock.start))
        const { service } = yield* fake()
        const first = yield* service.add({ modelId: MODEL, assetId: "asset_a" })
        yield* TestClock.adjust("90 seconds")
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
          yield* service.add({ modelId: MODEL, assetIds: ["a", "b", "c"] })
          const image = yield* service.add({ modelId: MODEL, data: PNG, name: "cat.png" })
          yield* service.replacePairs({
            modelId: MODEL,
            pairs: [{ sourceId: "asset_test_000001", targetId: image.id }]
          })
          return yield* service.list({ modelId: MODEL })
        })
        const a = yield* run
        yield* TestClock.adjust("1 hour")
        const b = yield* run
        expect(b.trainingImages.map((i) => i.id)).toEqual(a.trainingImages.map((i) => i.id))
        expect(b.trainingImagePairs).toEqual(a.trainingImagePairs)
        expect(a.trainingImagesNumber).toBe(4)
      }))
  })

  describe("seeding and inspection", () => {
    it.effect("seeded models, images and pairs are listed and generated ids skip seeded ones", () =>
      Effect.gen(function*() {
        const { service, snapshot } = yield* TrainingImagesTest.make({ models: Cases.seeded.models })
        const listed = yield* service.list({ modelId: "model_seeded" })
        expect(listed.status).toBe("trained")
        expect(listed.trainingImages.map((i) => [i.id, i.name, i.createdAt.slice(0, 4)])).toEqual(Cases.seeded.listed)
        expect(listed.trainingImagePairs).toEqual(Cases.seeded.pairs)
        const state = (yield* snapshot).models.model_seeded
        assert(state !== undefined)
        expect(state.name).toBe(Cases.seeded.name)
        expect(state.type).toBe(Cases.seeded.type)
        const added = yield* service.add({ modelId: "model_seeded", assetId: "asset_new" })
        expect(added.id).toBe(Cases.seeded.nextId)
      }))

    it.effect("seed adds or replaces models at run time; snapshots are copies", () =>
      Effect.gen(function*() {
        const control = yield* fake()
        const before = yield* control.snapshot
        yield* control.service.add({ modelId: MODEL, assetId: "asset_a" })
        expect(before.models[MODEL]?.trainingImages).toEqual([])
        yield* control.seed({ [MODEL]: { status: "training" }, model_2: { trainingImages: [{}] } })
        const model1 = yield* control.model(MODEL)
        assert(Option.isSome(model1))
        expect(model1.value.status).toBe("training")
        expect(model1.value.trainingImages).toEqual([])
        expect(Option.map(yield* control.model("model_2"), (m) => m.trainingImages.length)).toEqual(Option.some(1))
        expect(yield* control.model("model_3")).toEqual(Option.none())
      }))

    it.effect("listLag keeps an added image off the list until TestClock passes it; inspection sees it at once", () =>
      Effect.gen(function*() {
        const { model, service, setListLag } = yield* fake({ listLag: "2 seconds" })
        const listedNames = Effect.map(
          service.list({ modelId: MODEL }),
          (listed) => listed.trainingImages.map((image) => image.name)
        )
        yield* service.add({ modelId: MODEL, assetId: "asset_a" })
        expect(yield* listedNames).toEqual([])
        expect(Option.map(yield* model(MODEL), (m) => m.trainingImages.length)).toEqual(Option.some(1))
        yield* TestClock.adjust("2 seconds")
        expect(yield* listedNames).toEqual(["asset_a"])
        yield* service.add({ modelId: MODEL, assetId: "asset_b" })
        expect(yield* listedNames).toEqual(["asset_a"])
        yield* setListLag(undefined)
        expect(yield* listedNames).toEqual(["asset_a", "asset_b"])
      }))

    it.effect("calls records each request with its params, URL and status; rejected params are not sent", () =>
      Effect.gen(function*() {
        const { calls, service } = yield* fake()
        yield* service.add({ modelId: MODEL, assetId: "asset_a", originalAssets: true })
        yield* Effect.flip(service.delete({ modelId: MODEL, trainingImageId: "asset_missing", projectId: "p 1" }))
        yield* Effect.flip(service.add({ modelId: "", assetId: "asset_a" }))
        const recorded = yield* calls
        expect(recorded).toEqual(Cases.recordedCalls(TrainingImagesTest.DEFAULT_BASE_URL))
      }))
  })

  describe("behaviour of the API", () => {
    it.effect("a batch adds every asset and answers with the first", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const first = yield* service.add({ modelId: MODEL, assetIds: ["a", "b", "c"], preset: "style" })
        const listed = yield* service.list({ modelId: MODEL })
        expect(first.name).toBe("a")
        expect(listed.trainingImages.map((i) => i.name)).toEqual(["a", "b", "c"])
        expect(listed.trainingImagesNumber).toBe(3)
      }))

    it.effect("replace keeps the id and takes the new content", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const image = yield* service.add({ modelId: MODEL, assetId: "asset_a" })
        const replaced = yield* service.replace({
          modelId: MODEL,
          trainingImageId: image.id,
          data: PNG,
          name: "new.png"
        })
        expect(replaced.id).toBe(image.id)
        expect(replaced.name).toBe("new.png")
        const listed = yield* service.list({ modelId: MODEL })
        expect(listed.trainingImages.map((i) => [i.id, i.name])).toEqual([[image.id, "new.png"]])
      }))

    it.effect("delete removes the image and the pairs that name it; later calls on it are NotFoundError", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const a = yield* service.add({ modelId: MODEL, assetId: "asset_a" })
        const b = yield* service.add({ modelId: MODEL, assetId: "asset_b" })
        yield* service.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: b.id }] })
        yield* service.delete({ modelId: MODEL, trainingImageId: a.id })
        const listed = yield* service.list({ modelId: MODEL })
        expect(listed.trainingImages.map((i) => i.id)).toEqual([b.id])
        expect(listed.trainingImagePairs).toEqual([])
        const again = yield* Effect.flip(service.delete({ modelId: MODEL, trainingImageId: a.id }))
        expect(again._tag).toBe("NotFoundError")
        const replace = yield* Effect.flip(service.replace({ modelId: MODEL, trainingImageId: a.id, assetId: "x" }))
        expect(replace._tag).toBe("NotFoundError")
      }))

    it.effect("unknown model: NotFoundError naming the request, with the JSON body", () =>
      Effect.gen(function*() {
        const { service } = yield* fake({ baseUrl: Cases.unknownModel.baseUrl })
        const error = yield* Effect.flip(service.list({ modelId: Cases.unknownModel.modelId }))
        assert(error._tag === "NotFoundError")
        expect(error.status).toBe(404)
        expect(error.method).toBe("GET")
        expect(error.url).toBe(Cases.unknownModel.url)
        expect(error.body).toEqual(Cases.unknownModel.body)
        expect(error.requestId).toBe(Cases.unknownModel.requestId)
        expect(error.headers["x-request-id"]).toBe(Cases.unknownModel.requestId)
      }))

    it.effect("a pair naming an asset that is not a training image of the model: BadRequestError, pairs kept", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const a = yield* service.add({ modelId: MODEL, assetId: "asset_a" })
        const b = yield* service.add({ modelId: MODEL, assetId: "asset_b" })
        yield* service.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: b.id }] })
        const error = yield* Effect.flip(
          service.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: Cases.pairElsewhere.targetId }] })
        )
        assert(error._tag === "BadRequestError")
        expect(error.body).toEqual(Cases.pairElsewhere.body)
        expect((yield* service.list({ modelId: MODEL })).trainingImagePairs).toEqual([
          { sourceId: a.id, targetId: b.id }
        ])
      }))

    it.effect("a training image id of \"pairs\" is refused as the HTTP client refuses it", () =>
      Effect.gen(function*() {
        const { service } = yield* fake()
        const error = yield* Effect.flip(service.replace({ modelId: MODEL, trainingImageId: "pairs", assetId: "x" }))
        assert(error._tag === "InvalidRequestError")
        expect(error.issues[0]!.path).toEqual(["trainingImageId"])
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
        for (const error of errors) expect(error._tag).toBe("InvalidRequestError")
        expect(yield* calls).toEqual([])
        expect((yield* snapshot).models[MODEL]?.trainingImages).toEqual([])
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
            retryAfterHeader: "retry-after"
          })
        )
        const error = yield* Effect.flip(noRetries(service.add({ modelId: MODEL, assetId: "asset_a" })))
        assert(error._tag === "RateLimitError")
        expect(error.status).toBe(429)
        expect(error.headers["retry-after"]).toBe(Cases.rateLimited.header)
        assert(error.retryAfter !== undefined)
        expect(Duration.toMillis(error.retryAfter)).toBe(Cases.rateLimited.waitMs)
        expect(error.body).toEqual(Cases.rateLimited.body)
        expect(yield* faultCounts).toEqual({ "429": 1 })
        expect((yield* calls).map((c) => [c.fault, c.status])).toEqual([["429", 429]])
        expect((yield* service.list({ modelId: MODEL })).trainingImagesNumber).toBe(0)
      }))

    it.effect("the retry policy honours the wait: the retry comes once TestClock passes it", () =>
      Effect.gen(function*() {
        const { calls, failNext, service } = yield* fake()
        yield* failNext(1, Fault.rateLimited({ retryAfter: "30 seconds" }))
        const fiber = yield* Effect.fork(service.add({ modelId: MODEL, assetId: "asset_a" }))
        yield* TestClock.adjust("29 seconds")
        expect(yield* Fiber.poll(fiber)).toEqual(Option.none())
        yield* TestClock.adjust("1 second")
        const image = yield* Fiber.join(fiber)
        expect(image.id).toBe("asset_test_000001")
        expect((yield* calls).map((c) => c.status)).toEqual([429, 200])
      }))

    it.effect("failNext counts attempts, can target one operation, and runs out", () =>
      Effect.gen(function*() {
        const { failNext, faultCounts, service } = yield* fake()
        yield* failNext(2, Fault.serverError(503), { operation: "list" })
        yield* noRetries(service.add({ modelId: MODEL, assetId: "asset_a" }))
        const first = yield* Effect.flip(noRetries(service.list({ modelId: MODEL })))
        const second = yield* Effect.flip(noRetries(service.list({ modelId: MODEL })))
        const third = yield* noRetries(service.list({ modelId: MODEL }))
        expect([first._tag, second._tag]).toEqual(["InternalServerError", "InternalServerError"])
        expect(third.trainingImagesNumber).toBe(1)
        expect(yield* faultCounts).toEqual({ "503": 2 })
      }))

    it.effect("any error of the library can be injected and is raised as given", () =>
      Effect.gen(function*() {
        const { failNext, faultCounts, service } = yield* fake()
        const conflict = new TrainingImagesError.ConflictError({ ...Cases.conflictFields, headers: {} })
        yield* failNext(1, conflict)
        const error = yield* Effect.flip(noRetries(service.replacePairs({ modelId: MODEL, pairs: [] })))
        expect(error).toBe(conflict)
        expect(yield* faultCounts).toEqual({ ConflictError: 1 })
      }))

    it.effect("a dropped connection: ConnectionError, and the change applied or not depending on when", () =>
      Effect.gen(function*() {
        const { failNext, service } = yield* fake()
        yield* failNext(1, Fault.dropBeforeApply)
        const before = yield* Effect.flip(noRetries(service.add({ modelId: MODEL, assetId: "asset_a" })))
        assert(before._tag === "ConnectionError")
        expect(before.mayHaveReachedServer).toBe(true)
        expect((yield* service.list({ modelId: MODEL })).trainingImagesNumber).toBe(0)
        yield* failNext(1, Fault.dropAfterApply)
        const after = yield* Effect.flip(service.add({ modelId: MODEL, assetId: "asset_b" }))
        expect(after._tag).toBe("ConnectionError")
        const listed = yield* service.list({ modelId: MODEL })
        expect(listed.trainingImages.map((i) => i.name)).toEqual(["asset_b"])
      }))

    it.effect("the default policy retries an idempotent call after a dropped connection", () =>
      Effect.gen(function*() {
        const { calls, failNext, service } = yield* fake()
        yield* failNext(1, Fault.dropAfterApply, { operation: "replacePairs" })
        const fiber = yield* Effect.fork(service.replacePairs({ modelId: MODEL, pairs: [] }))
        yield* TestClock.adjust("10 seconds")
        const result = yield* Fiber.join(fiber)
        expect(result.count).toBe(0)
        expect((yield* calls).map((c) => [c.fault, c.status])).toEqual([["drop-after-apply", undefined], [
          undefined,
          200
        ]])
      }))

    it.effect("a delay longer than the timeout: TimeoutError, nothing applied", () =>
      Effect.gen(function*() {
        const { calls, failNext, service } = yield* fake()
        yield* failNext(1, Fault.delay("1 minute"))
        const fiber = yield* Effect.fork(
          service.add({ modelId: MODEL, assetId: "asset_a" }).pipe(
            TrainingImages.withRequestOptions({ timeout: "5 seconds", retryPolicy: RetryPolicy.none })
          )
        )
        yield* TestClock.adjust("5 seconds")
        const error = yield* Effect.flip(Fiber.join(fiber))
        assert(error._tag === "TimeoutError")
        expect(Duration.toMillis(error.timeout)).toBe(5000)
        expect((yield* calls).map((c) => [c.fault, c.status])).toEqual([["delay", undefined]])
        expect((yield* service.list({ modelId: MODEL })).trainingImagesNumber).toBe(0)
      }))

    it.effect("random faults follow their seed: the same calls meet the same faults", () =>
      Effect.gen(function*() {
        const faults: TrainingImagesTest.Options["faults"] = {
          rate: Cases.randomFaults.rate,
          seed: Cases.randomFaults.seed,
          faults: [Fault.serverError(500), Fault.serverError(502), Fault.rateLimited()]
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
        yield* setFaults({ rate: 1, faults: [Fault.serverError(502)], operations: ["list"] })
        expect((yield* Effect.flip(service.list({ modelId: MODEL })))._tag).toBe("InternalServerError")
        yield* service.add({ modelId: MODEL, assetId: "asset_a" })
        yield* setFaults(undefined)
        expect((yield* service.list({ modelId: MODEL })).trainingImagesNumber).toBe(1)
        const refused = yield* Effect.exit(setFaults({ rate: 1.5, faults: [Fault.serverError()] }))
        expect(refused._tag).toBe("Failure")
      }))

    it.effect("reset restores the seed, the counters and the faults", () =>
      Effect.gen(function*() {
        const control = yield* fake({ retryPolicy: RetryPolicy.none })
        yield* control.service.add({ modelId: MODEL, assetId: "asset_a" })
        yield* control.failNext(5, Fault.serverError())
        yield* Effect.flip(control.service.list({ modelId: MODEL }))
        yield* control.reset
        expect(yield* control.calls).toEqual([])
        expect(yield* control.faultCounts).toEqual({})
        expect((yield* control.service.list({ modelId: MODEL })).trainingImagesNumber).toBe(0)
        expect((yield* control.service.add({ modelId: MODEL, assetId: "asset_b" })).id).toBe("asset_test_000001")
      }))
  })

  layer(TrainingImagesTest.layer({ models: { [MODEL]: {} }, retryPolicy: RetryPolicy.none }))("as a layer", (it) => {
    it.effect("provides TrainingImages and the controls of the same fake", () =>
      Effect.gen(function*() {
        yield* TrainingImagesTest.failNext(1, Fault.serverError(500), { operation: "add" })
        const images = yield* TrainingImages.TrainingImages
        const error = yield* Effect.flip(images.add({ modelId: MODEL, assetId: "asset_a" }))
        expect(error._tag).toBe("InternalServerError")
        yield* images.add({ modelId: MODEL, assetId: "asset_a" })
        const snapshot = yield* TrainingImagesTest.snapshot
        expect(snapshot.models[MODEL]?.trainingImages.map((i) => i.name)).toEqual(["asset_a"])
        expect((yield* TrainingImagesTest.calls).map((c) => c.status)).toEqual([500, 200])
        expect(yield* TrainingImagesTest.faultCounts).toEqual({ "500": 1 })
        yield* TrainingImagesTest.reset
        expect(yield* TrainingImagesTest.calls).toEqual([])
      }))
  })
})

/**
 * The behaviour every `TrainingImages` implementation must show, written once and run over each transport.
 * Each case starts from an empty server (`reset`) so that ids restart at `asset_test_000001`: the very same
 * values are then expected from the in-memory fake and from every HTTP transport.
 */
import { assert, expect, layer } from "@effect/vitest"
import { Duration, Effect, Option } from "effect"
import * as RetryPolicy from "../../../src/RetryPolicy.js"
import * as Fault from "../../../src/testing/Fault.js"
import type * as TrainingImagesTest from "../../../src/testing/TrainingImagesTest.js"
import * as TrainingImages from "../../../src/TrainingImages.js"
import type * as TrainingImagesError from "../../../src/TrainingImagesError.js"
import { ContractHarness, type Transport } from "./harness.js"

const MODEL = "model_contract"
const PNG = "data:image/png;base64,iVBORw0KGgo="
const JPEG = "data:image/jpeg;base64,/9j/4AAQ"

/** Retries without waiting, for the cases where a retry is expected (the real backoff is tested elsewhere). */
export const promptRetries = TrainingImages.withRequestOptions({
  retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "1 millis", jitter: false })
})

const start = (models: TrainingImagesTest.Seed = { [MODEL]: {} }) =>
  Effect.gen(function*() {
    const harness = yield* ContractHarness
    yield* harness.reset
    yield* harness.seed(models)
    return { harness, images: yield* TrainingImages.TrainingImages }
  })

const storedNames = (modelId: string = MODEL) =>
  Effect.flatMap(
    ContractHarness,
    (harness) =>
      Effect.map(harness.model(modelId), Option.map((model) => model.trainingImages.map((image) => image.name)))
  )

/**
 * What an error shows that must not depend on the transport: its tag, status and body, and whether the
 * request may have reached the server. The URL, headers and request id do (the fake names its own base URL).
 */
export const essence = (error: TrainingImagesError.TrainingImagesError) => ({
  _tag: error._tag,
  ...("status" in error ? { status: error.status } : {}),
  ...("body" in error && error._tag !== "ResponseDecodeError" ? { body: error.body } : {}),
  ...("mayHaveReachedServer" in error ? { mayHaveReachedServer: error.mayHaveReachedServer } : {}),
  ...("retryAfter" in error && error.retryAfter !== undefined
    ? { retryAfter: Duration.toMillis(error.retryAfter) }
    : {})
})

export const contractCases = (transport: Transport) =>
  layer(transport.layer, { excludeTestServices: true })(transport.name, (it) => {
    it.effect("add, each image variant: the response and the list show it", () =>
      Effect.gen(function*() {
        const { images } = yield* start()
        const byAsset = yield* images.add({ modelId: MODEL, assetId: "asset_a", preset: "subject" })
        const batch = yield* images.add({ modelId: MODEL, assetIds: ["asset_b", "asset_c"], originalAssets: true })
        const named = yield* images.add({ modelId: MODEL, data: PNG, name: "cat.png", preset: "style" })
        const unnamed = yield* images.add({ modelId: MODEL, data: JPEG, originalAssets: false })
        expect([byAsset, batch, named, unnamed].map((i) => [i.id, i.name])).toEqual([
          ["asset_test_000001", "asset_a"],
          ["asset_test_000002", "asset_b"],
          ["asset_test_000004", "cat.png"],
          ["asset_test_000005", "asset_test_000005.jpeg"]
        ])
        const listed = yield* images.list({ modelId: MODEL })
        expect(listed.modelId).toBe(MODEL)
        expect(listed.status).toBe("new")
        expect(listed.trainingImagesNumber).toBe(5)
        expect(listed.trainingImages.map((i) => i.name)).toEqual([
          "asset_a",
          "asset_b",
          "asset_c",
          "cat.png",
          "asset_test_000005.jpeg"
        ])
        expect(listed.trainingImages[0]).toEqual(byAsset)
      }))

    it.effect("replace keeps the id; the list shows the new content", () =>
      Effect.gen(function*() {
        const { images } = yield* start()
        const image = yield* images.add({ modelId: MODEL, assetId: "asset_a" })
        yield* images.add({ modelId: MODEL, assetId: "asset_b" })
        const replaced = yield* images.replace({
          modelId: MODEL,
          trainingImageId: image.id,
          data: PNG,
          name: "new.png"
        })
        expect([replaced.id, replaced.name]).toEqual([image.id, "new.png"])
        const byAsset = yield* images.replace({ modelId: MODEL, trainingImageId: image.id, assetId: "asset_z" })
        expect(byAsset.name).toBe("asset_z")
        expect(yield* storedNames()).toEqual(Option.some(["asset_z", "asset_b"]))
      }))

    it.effect("replacePairs then list shows the pairs; an empty list removes them", () =>
      Effect.gen(function*() {
        const { images } = yield* start()
        const a = yield* images.add({ modelId: MODEL, assetId: "asset_a" })
        const b = yield* images.add({ modelId: MODEL, assetId: "asset_b" })
        const pairs = [{ sourceId: a.id, targetId: b.id, instruction: "make it night" }, {
          sourceId: b.id,
          targetId: a.id
        }]
        const result = yield* images.replacePairs({ modelId: MODEL, pairs })
        expect(result.count).toBe(2)
        expect(result.pairs).toEqual(pairs)
        expect((yield* images.list({ modelId: MODEL })).trainingImagePairs).toEqual(pairs)
        const cleared = yield* images.replacePairs({ modelId: MODEL, pairs: [] })
        expect([cleared.count, cleared.pairs]).toEqual([0, []])
        expect((yield* images.list({ modelId: MODEL })).trainingImagePairs).toEqual([])
      }))

    it.effect("a pair naming an asset that is not a training image: BadRequestError, pairs unchanged", () =>
      Effect.gen(function*() {
        const { images } = yield* start()
        const a = yield* images.add({ modelId: MODEL, assetId: "asset_a" })
        const b = yield* images.add({ modelId: MODEL, assetId: "asset_b" })
        yield* images.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: b.id }] })
        const error = yield* Effect.flip(
          images.replacePairs({ modelId: MODEL, pairs: [{ sourceId: "asset_unknown", targetId: b.id }] })
        )
        expect(essence(error)).toEqual({
          _tag: "BadRequestError",
          status: 400,
          body: { message: `pairs[0].sourceId: asset_unknown is not a training image of model ${MODEL}` }
        })
        expect((yield* images.list({ modelId: MODEL })).trainingImagePairs).toEqual([{
          sourceId: a.id,
          targetId: b.id
        }])
      }))

    it.effect("delete: gone from the list with its pairs; replace and delete of it are NotFoundError", () =>
      Effect.gen(function*() {
        const { images } = yield* start()
        const a = yield* images.add({ modelId: MODEL, assetId: "asset_a" })
        const b = yield* images.add({ modelId: MODEL, assetId: "asset_b" })
        yield* images.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: b.id }] })
        yield* images.delete({ modelId: MODEL, trainingImageId: a.id, projectId: "project_1" })
        const listed = yield* images.list({ modelId: MODEL })
        expect(listed.trainingImages.map((i) => i.id)).toEqual([b.id])
        expect(listed.trainingImagePairs).toEqual([])
        const notFound = {
          _tag: "NotFoundError",
          status: 404,
          body: { message: `Training image ${a.id} not found in model ${MODEL}` }
        }
        expect(essence(yield* Effect.flip(images.delete({ modelId: MODEL, trainingImageId: a.id })))).toEqual(notFound)
        expect(essence(yield* Effect.flip(images.replace({ modelId: MODEL, trainingImageId: a.id, assetId: "x" }))))
          .toEqual(notFound)
      }))

    it.effect("an unknown model: NotFoundError from every operation", () =>
      Effect.gen(function*() {
        const { images } = yield* start()
        const modelId = "model_missing"
        const errors = yield* Effect.all([
          Effect.flip(images.list({ modelId })),
          Effect.flip(images.add({ modelId, assetId: "asset_a" })),
          Effect.flip(images.replace({ modelId, trainingImageId: "asset_a", assetId: "asset_b" })),
          Effect.flip(images.replacePairs({ modelId, pairs: [] })),
          Effect.flip(images.delete({ modelId, trainingImageId: "asset_a" }))
        ])
        for (const error of errors) {
          expect(essence(error)).toEqual({
            _tag: "NotFoundError",
            status: 404,
            body: { message: "Model model_missing not found" }
          })
        }
      }))

    it.effect("ids that need encoding reach the right model and image", () =>
      Effect.gen(function*() {
        const modelId = "model/ä b?c#d%e"
        const imageId = "img/%2F..x"
        const { images } = yield* start({ [modelId]: { trainingImages: [{ id: imageId }] } })
        const replaced = yield* images.replace({ modelId, trainingImageId: imageId, assetId: "asset_a" })
        expect(replaced.id).toBe(imageId)
        const added = yield* images.add({ modelId, assetId: "asset_b" })
        yield* images.replacePairs({ modelId, pairs: [{ sourceId: imageId, targetId: added.id }] })
        yield* images.delete({ modelId, trainingImageId: added.id })
        const listed = yield* images.list({ modelId })
        expect([listed.modelId, listed.trainingImages.map((i) => i.id)]).toEqual([modelId, [imageId]])
      }))

    it.effect("a training image id of \"pairs\" would land on the pairs route: InvalidRequestError", () =>
      Effect.gen(function*() {
        const { images } = yield* start()
        const error = yield* Effect.flip(images.replace({ modelId: MODEL, trainingImageId: "pairs", assetId: "a" }))
        expect(error._tag).toBe("InvalidRequestError")
        expect(error.message).toContain("trainingImageId")
      }))

    it.effect("invalid params: InvalidRequestError, and nothing reaches the server", () =>
      Effect.gen(function*() {
        const { harness, images } = yield* start()
        const errors = yield* Effect.all([
          Effect.flip(images.add({ modelId: MODEL, assetIds: Array.from({ length: 11 }, (_, i) => `asset_${i}`) })),
          Effect.flip(images.add({ modelId: MODEL, assetIds: [] })),
          Effect.flip(images.add({ modelId: MODEL, assetId: "asset_a", name: "x.png" } as any)),
          Effect.flip(images.add({ modelId: MODEL, data: "data:text/plain;base64,AAAA" })),
          Effect.flip(images.replace({ modelId: MODEL, trainingImageId: "..", assetId: "asset_a" })),
          Effect.flip(images.replacePairs({ modelId: MODEL, pairs: [{ sourceId: "", targetId: "asset_a" }] })),
          Effect.flip(images.delete({ modelId: "", trainingImageId: "asset_a" })),
          Effect.flip(images.list({ modelId: MODEL, originalAssets: "yes" } as any))
        ])
        expect(errors.map((error) => error._tag)).toEqual(Array(8).fill("InvalidRequestError"))
        expect(yield* harness.exchanges).toEqual([])
      }))

    // The fake does not authenticate: only a transport to a server that does can show this.
    if (transport.authenticates) {
      it.effect("credentials the server refuses: AuthenticationError, nothing stored", () =>
        Effect.gen(function*() {
          const { harness } = yield* start()
          assert(Option.isSome(harness.withWrongCredentials))
          const error = yield* Effect.flip(
            harness.withWrongCredentials.value.add({ modelId: MODEL, assetId: "asset_a" })
          )
          expect(essence(error)).toEqual({
            _tag: "AuthenticationError",
            status: 401,
            body: { message: "Unauthorized" }
          })
          expect(yield* storedNames()).toEqual(Option.some([]))
        }))
    }

    it.effect("one 429 with retry-after 0 is retried and succeeds", () =>
      Effect.gen(function*() {
        const { harness, images } = yield* start()
        const image = yield* images.add({ modelId: MODEL, assetId: "asset_a" })
        yield* harness.failNext(1, Fault.rateLimited({ retryAfter: 0 }), { operation: "replace" })
        const replaced = yield* images.replace({ modelId: MODEL, trainingImageId: image.id, assetId: "asset_b" })
        expect(replaced.name).toBe("asset_b")
        expect(yield* harness.exchanges).toEqual([
          { operation: "add", fault: undefined, status: 200 },
          { operation: "replace", fault: "429", status: 429 },
          { operation: "replace", fault: undefined, status: 200 }
        ])
      }))

    it.effect("a 429 on add is retried too (it surely did not take effect): stored once", () =>
      Effect.gen(function*() {
        const { harness, images } = yield* start()
        yield* harness.failNext(2, Fault.rateLimited({ retryAfter: 0, retryAfterHeader: "retry-after-ms" }))
        yield* images.add({ modelId: MODEL, assetId: "asset_a" })
        expect(yield* storedNames()).toEqual(Option.some(["asset_a"]))
        expect((yield* harness.exchanges).map((e) => e.status)).toEqual([429, 429, 200])
      }))

    it.effect("a 500 on add is not retried blindly: InternalServerError, nothing stored", () =>
      Effect.gen(function*() {
        const { harness, images } = yield* start()
        yield* harness.failNext(1, Fault.serverError(500))
        const error = yield* Effect.flip(promptRetries(images.add({ modelId: MODEL, assetId: "asset_a" })))
        expect(essence(error)).toEqual({
          _tag: "InternalServerError",
          status: 500,
          body: { message: "Internal Server Error" }
        })
        expect(yield* storedNames()).toEqual(Option.some([]))
        expect((yield* harness.exchanges).length).toBe(1)
      }))

    it.effect("a connection dropped after add was applied: ConnectionError, not retried, the image stored", () =>
      Effect.gen(function*() {
        const { harness, images } = yield* start()
        yield* harness.failNext(1, Fault.dropAfterApply)
        const error = yield* Effect.flip(promptRetries(images.add({ modelId: MODEL, assetId: "asset_a" })))
        expect(essence(error)).toEqual({ _tag: "ConnectionError", mayHaveReachedServer: true })
        expect(yield* storedNames()).toEqual(Option.some(["asset_a"]))
        expect(yield* harness.exchanges).toEqual([{ operation: "add", fault: "drop-after-apply", status: undefined }])
      }))

    it.effect("a connection dropped on an idempotent call is retried and succeeds", () =>
      Effect.gen(function*() {
        const { harness, images } = yield* start()
        const a = yield* images.add({ modelId: MODEL, assetId: "asset_a" })
        yield* harness.failNext(1, Fault.dropBeforeApply, { operation: "replacePairs" })
        yield* harness.failNext(1, Fault.dropAfterApply, { operation: "replacePairs" })
        const result = yield* promptRetries(
          images.replacePairs({ modelId: MODEL, pairs: [{ sourceId: a.id, targetId: a.id }] })
        )
        expect(result.count).toBe(1)
        expect((yield* harness.exchanges).slice(1)).toEqual([
          { operation: "replacePairs", fault: "drop-before-apply", status: undefined },
          { operation: "replacePairs", fault: "drop-after-apply", status: undefined },
          { operation: "replacePairs", fault: undefined, status: 200 }
        ])
      }))

    it.effect("a response slower than the call's timeout: TimeoutError, nothing stored", () =>
      Effect.gen(function*() {
        const { harness, images } = yield* start()
        yield* harness.failNext(1, Fault.delay("1 minute"))
        const error = yield* Effect.flip(
          images.add({ modelId: MODEL, assetId: "asset_a" }).pipe(
            TrainingImages.withRequestOptions({ timeout: "100 millis" })
          )
        )
        assert(error._tag === "TimeoutError")
        expect(essence(error)).toEqual({ _tag: "TimeoutError", mayHaveReachedServer: true })
        expect(yield* storedNames()).toEqual(Option.some([]))
      }))
  })

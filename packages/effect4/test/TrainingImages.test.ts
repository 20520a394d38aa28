import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Cases from "../../../contract/client.js"
import * as Credentials from "../src/Credentials.js"
import * as TrainingImage from "../src/TrainingImage.js"
import * as TrainingImages from "../src/TrainingImages.js"
import { trainingImageJson, withStub } from "./stub.js"

const BASE = "https://api.cloud.scenario.com/v1"
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVQYV2NgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII="
const basicHeader = `Basic ${btoa("key_123:secret_456")}`

describe("TrainingImages wire format", () => {
  it.effect("add with an asset id: POST, path, query, headers and exact body", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: { trainingImage: trainingImageJson() } }])
      const image = yield* images.add({ modelId: "model_1", assetId: "asset_9", preset: "style", originalAssets: true })
      expect(image).toBeInstanceOf(TrainingImage.TrainingImage)
      expect(image.id).toBe("asset_1")
      const [request] = yield* recorded
      expect(request!.method).toBe("POST")
      expect(request!.url).toBe(`${BASE}/models/model_1/training-images?originalAssets=true`)
      expect(request!.headers["authorization"]).toBe(basicHeader)
      expect(request!.headers["content-type"]).toBe("application/json")
      expect(request!.headers["accept"]).toBe("application/json")
      expect(request!.headers["user-agent"]).toBe(TrainingImages.USER_AGENT)
      expect(request!.headers["user-agent"]).toMatch(/^effect-scenario\/\d+\.\d+\.\d+/)
      expect(request!.body).toBe(JSON.stringify({ assetId: "asset_9", preset: "style" }))
    }))

  it.effect("add with a batch of asset ids", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: { trainingImage: trainingImageJson() } }])
      yield* images.add({ modelId: "model_1", assetIds: ["asset_1", "asset_2"] })
      const [request] = yield* recorded
      expect(request!.url).toBe(`${BASE}/models/model_1/training-images`)
      expect(request!.body).toBe(JSON.stringify({ assetIds: ["asset_1", "asset_2"] }))
    }))

  it.effect("add with inline data and a name, originalAssets=false", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: { trainingImage: trainingImageJson() } }])
      yield* images.add({ modelId: "model_1", data: PNG, name: "cat.png", originalAssets: false })
      const [request] = yield* recorded
      expect(request!.url).toBe(`${BASE}/models/model_1/training-images?originalAssets=false`)
      expect(request!.body).toBe(JSON.stringify({ data: PNG, name: "cat.png" }))
    }))

  it.effect("replace: PUT on the training image", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{
        status: 200,
        body: { trainingImage: trainingImageJson("asset_7") }
      }])
      const image = yield* images.replace({
        modelId: "model_1",
        trainingImageId: "asset_7",
        data: PNG,
        preset: "subject"
      })
      expect(image.id).toBe("asset_7")
      const [request] = yield* recorded
      expect(request!.method).toBe("PUT")
      expect(request!.url).toBe(`${BASE}/models/model_1/training-images/asset_7`)
      expect(request!.body).toBe(JSON.stringify({ data: PNG, preset: "subject" }))
    }))

  it.effect("replacePairs: PUT with a bare JSON array", () =>
    Effect.gen(function*() {
      const pairs = [{ sourceId: "a", targetId: "b", instruction: "make it blue" }, { sourceId: "b", targetId: "c" }]
      const { images, recorded } = yield* withStub([{ status: 200, body: { count: 2, pairs } }])
      const result = yield* images.replacePairs({ modelId: "model_1", pairs })
      expect(result.count).toBe(2)
      expect(result.pairs.map((p) => p.sourceId)).toEqual(["a", "b"])
      const [request] = yield* recorded
      expect(request!.method).toBe("PUT")
      expect(request!.url).toBe(`${BASE}/models/model_1/training-images/pairs`)
      expect(request!.body).toBe(JSON.stringify(pairs))
    }))

  it.effect("replacePairs with no pairs sends an empty array", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: { count: 0, pairs: [] } }])
      yield* images.replacePairs({ modelId: "model_1", pairs: [] })
      const [request] = yield* recorded
      expect(request!.body).toBe("[]")
    }))

  it.effect("delete: DELETE with projectId, no body, an empty object back", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: {} }])
      const result = yield* images.delete({ modelId: "model_1", trainingImageId: "asset_7", projectId: "proj_1" })
      expect(result).toBeUndefined()
      const [request] = yield* recorded
      expect(request!.method).toBe("DELETE")
      expect(request!.url).toBe(`${BASE}/models/model_1/training-images/asset_7?projectId=proj_1`)
      expect(request!.body).toBeUndefined()
    }))

  it.effect("list and delete (no body) send the same headers as the calls with one, content-type aside", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: {} }, {
        status: 200,
        body: { model: { id: "model_1", status: "new", trainingImagesNumber: 0 } }
      }])
      yield* images.delete({ modelId: "model_1", trainingImageId: "asset_7" })
      yield* images.list({ modelId: "model_1" })
      const requests = yield* recorded
      expect(requests.map((request) => request.method)).toEqual(["DELETE", "GET"])
      for (const request of requests) {
        // The stub transport adds the trace propagation headers (traceparent, b3) itself.
        expect(request.headers).toMatchObject({
          authorization: basicHeader,
          accept: "application/json",
          "user-agent": TrainingImages.USER_AGENT
        })
        expect(request.headers).not.toHaveProperty("content-type")
      }
    }))

  it.effect("replace and replacePairs (PUT) send the same headers as add, with the JSON content type", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([
        { status: 200, body: { trainingImage: trainingImageJson("asset_7") } },
        { status: 200, body: { count: 0, pairs: [] } }
      ])
      yield* images.replace({ modelId: "model_1", trainingImageId: "asset_7", assetId: "asset_9" })
      yield* images.replacePairs({ modelId: "model_1", pairs: [] })
      const requests = yield* recorded
      expect(requests.map((request) => request.method)).toEqual(["PUT", "PUT"])
      for (const request of requests) {
        expect(request.headers).toMatchObject({
          authorization: basicHeader,
          accept: "application/json",
          "user-agent": TrainingImages.USER_AGENT,
          "content-type": "application/json"
        })
      }
    }))

  it.effect("delete accepts any 2xx body, even none", () =>
    Effect.gen(function*() {
      const { images } = yield* withStub([{ status: 204 }])
      yield* images.delete({ modelId: "model_1", trainingImageId: "asset_7" })
    }))

  it.effect("list: GET the model, decode only its training-image fields", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{
        status: 200,
        body: {
          model: {
            id: "model_1",
            name: "Cinematic Realism",
            type: "flux.1-lora",
            status: "trained",
            trainingImagesNumber: 1,
            trainingImages: [{ ...trainingImageJson("asset_3"), somethingNew: true }],
            trainingImagePairs: [{ sourceId: "asset_3", targetId: "asset_3" }],
            extra: { nested: 1 }
          }
        }
      }])
      const result = yield* images.list({ modelId: "model_1", originalAssets: true })
      expect(result).toBeInstanceOf(TrainingImage.ModelTrainingImages)
      expect(result.modelId).toBe("model_1")
      expect(result.status).toBe("trained")
      expect(result.trainingImagesNumber).toBe(1)
      expect(result.trainingImages.map((i) => i.id)).toEqual(["asset_3"])
      expect(result.trainingImages[0]).not.toHaveProperty("somethingNew")
      expect(result.trainingImagePairs).toHaveLength(1)
      const [request] = yield* recorded
      expect(request!.method).toBe("GET")
      expect(request!.url).toBe(`${BASE}/models/model_1?originalAssets=true`)
    }))

  it.effect("list: a model without training images decodes to empty lists", () =>
    Effect.gen(function*() {
      const { images } = yield* withStub([{
        status: 200,
        body: { model: { id: "model_1", status: "new", type: "sd-xl", trainingImagesNumber: 0 } }
      }])
      const result = yield* images.list({ modelId: "model_1" })
      expect(result.trainingImages).toEqual([])
      expect(result.trainingImagePairs).toEqual([])
    }))

  it.effect("Bearer credentials", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: {} }], {
        credentials: Credentials.bearer("jwt.token.value")
      })
      yield* images.delete({ modelId: "m", trainingImageId: "t" })
      const [request] = yield* recorded
      expect(request!.headers["authorization"]).toBe("Bearer jwt.token.value")
    }))

  it.effect("a custom base URL, with or without a trailing slash", () =>
    Effect.gen(function*() {
      for (const baseUrl of ["http://127.0.0.1:4010/v1", "http://127.0.0.1:4010/v1/"]) {
        const { images, recorded } = yield* withStub([{ status: 200, body: {} }], { baseUrl })
        yield* images.delete({ modelId: "m", trainingImageId: "t" })
        const [request] = yield* recorded
        expect(request!.url).toBe("http://127.0.0.1:4010/v1/models/m/training-images/t")
      }
    }))
})

describe("path encoding", () => {
  const hostile = [
    ["a/b", "a%2Fb"],
    ["../../admin", "..%2F..%2Fadmin"],
    ["x?y=1", "x%3Fy%3D1"],
    ["x#frag", "x%23frag"],
    ["100%", "100%25"],
    ["%2F", "%252F"],
    ["a\nb\u0000", "a%0Ab%00"],
    ["bild-ä-🖼", "bild-%C3%A4-%F0%9F%96%BC"],
    ["...", "..."],
    [" ", "%20"]
  ] as const

  it.effect("ids never leave their own segment", () =>
    Effect.gen(function*() {
      for (const [id, encoded] of hostile) {
        const { images, recorded } = yield* withStub([{ status: 200, body: { trainingImage: trainingImageJson() } }])
        yield* images.replace({ modelId: id, trainingImageId: id, assetId: "asset_1" })
        const [request] = yield* recorded
        const url = new URL(request!.url)
        expect(url.pathname).toBe(`/v1/models/${encoded}/training-images/${encoded}`)
        expect(url.search).toBe("")
        expect(url.hash).toBe("")
      }
    }))

  it.effect("ids that URL parsers would resolve as steps are rejected before sending", () =>
    Effect.gen(function*() {
      for (const id of [".", ".."]) {
        const { images, recorded } = yield* withStub([{ status: 200, body: {} }])
        const error = yield* Effect.flip(images.delete({ modelId: "m", trainingImageId: id }))
        expect(error._tag).toBe("InvalidRequestError")
        expect(yield* recorded).toHaveLength(0)
      }
    }))
})

describe("per-call options (a Context.Reference on Effect 4)", () => {
  const Layered = Cases.layeredOptions
  const add = (images: TrainingImages.Service, size: number) =>
    Effect.exit(images.add(Layered.bodyOfSize(size))).pipe(Effect.map((exit) => exit._tag))

  it.effect("set for a whole program by a Layer, and nested overrides merge, the innermost winning", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: { trainingImage: trainingImageJson() } }])
      const layer = Layer.succeed(TrainingImages.currentRequestOptions, Layered.layer)
      for (const [size, outcome] of Layered.sizes) {
        expect(yield* add(images, size).pipe(Effect.provide(layer)), String(size)).toBe(outcome)
      }
      const [outer, inner] = Layered.nested
      const merged = yield* Effect.gen(function*() {
        const options = yield* TrainingImages.currentRequestOptions
        return { options, outcome: yield* add(images, Layered.mergedSize) }
      }).pipe(
        TrainingImages.withRequestOptions(inner),
        TrainingImages.withRequestOptions(outer),
        Effect.provide(layer)
      )
      expect(merged.options).toEqual(Layered.merged)
      expect(merged.outcome).toBe("Success")
      expect(yield* TrainingImages.currentRequestOptions).toEqual({})
      expect(yield* recorded).toHaveLength(Layered.sent)
    }))
})

import { assert, describe, expect, it } from "@effect/vitest"
import { Cause, Effect } from "effect"
import { HttpClient } from "effect/http"
import * as Credentials from "../src/Credentials.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImages from "../src/TrainingImages.js"
import { makeStub, trainingImageJson } from "./stub.js"

const credentials = Credentials.basic("key", "secret")

const serviceOver = (replies: Parameters<typeof makeStub>[0], options?: { readonly maxRequestBytes?: number }) =>
  Effect.gen(function*() {
    const stub = yield* makeStub(replies)
    const images = yield* TrainingImages.make({
      credentials,
      retryPolicy: RetryPolicy.none,
      ...options
    }).pipe(Effect.provideService(HttpClient.HttpClient, stub.client))
    return { images, recorded: stub.recorded }
  })

// A data URL whose JSON body `{"data":"...","name":"a.png"}` is exactly `size` bytes.
const bodyOfSize = (size: number) => {
  const overhead = "{\"data\":\"data:image/png;base64,\",\"name\":\"a.png\"}".length
  return `data:image/png;base64,${"A".repeat(size - overhead)}`
}

describe("request limit", () => {
  it.effect("a body of exactly maxRequestBytes is sent; one byte more is refused before sending", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* serviceOver([{ status: 200, body: { trainingImage: trainingImageJson() } }], {
        maxRequestBytes: 1000
      })
      yield* images.add({ modelId: "m", data: bodyOfSize(1000), name: "a.png" })
      expect((yield* recorded)[0]?.body?.length).toBe(1000)
      const error = yield* Effect.flip(images.add({ modelId: "m", data: bodyOfSize(1004), name: "a.png" }))
      assert(error._tag === "InvalidRequestError")
      expect(error.message).toContain("1004 bytes")
      expect(error.message).toContain("1000 bytes")
      expect(error.message).toMatch(/resize/)
      expect((yield* recorded).length).toBe(1)
    }))

  it.effect("the default is API Gateway's 10,485,760 bytes, overridable per call", () =>
    Effect.gen(function*() {
      expect(TrainingImages.DEFAULT_MAX_REQUEST_BYTES).toBe(10_485_760)
      const { images, recorded } = yield* serviceOver([{ status: 200, body: { trainingImage: trainingImageJson() } }])
      const big = bodyOfSize(10_485_764)
      const error = yield* Effect.flip(
        images.replace({ modelId: "m", trainingImageId: "asset_1", data: big, name: "a.png" })
      )
      assert(error._tag === "InvalidRequestError")
      expect((yield* recorded).length).toBe(0)
      yield* images.replace({ modelId: "m", trainingImageId: "asset_1", data: big, name: "a.png" }).pipe(
        TrainingImages.withRequestOptions({ maxRequestBytes: 20_000_000 })
      )
      expect((yield* recorded).length).toBe(1)
    }))

  it.effect("pairs bodies count UTF-8 bytes", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* serviceOver([{ status: 200, body: { count: 0, pairs: [] } }], {
        maxRequestBytes: 100
      })
      const error = yield* Effect.flip(images.replacePairs({
        modelId: "m",
        pairs: [{ sourceId: "a", targetId: "b", instruction: "é".repeat(40) }]
      }))
      assert(error._tag === "InvalidRequestError")
      expect(error.message).toContain("130 bytes")
      expect((yield* recorded).length).toBe(0)
    }))

  it.effect("a multi-byte body near the limit: sent up to its size in bytes, refused with that size above", () =>
    Effect.gen(function*() {
      const pairs = [{ sourceId: "a", targetId: "b", instruction: "é".repeat(40) }]
      const text = JSON.stringify(pairs)
      const bytes = new TextEncoder().encode(text).length
      expect([text.length, bytes]).toEqual([90, 130])
      // Around its length, its size in bytes and three times its length (the most UTF-8 can take).
      for (const limit of [89, 90, 91, 129, 130, 131, 269, 270]) {
        const { images, recorded } = yield* serviceOver([{ status: 200, body: { count: 1, pairs: [] } }], {
          maxRequestBytes: limit
        })
        const exit = yield* Effect.exit(images.replacePairs({ modelId: "m", pairs }))
        const sent = yield* recorded
        if (limit >= bytes) {
          expect(exit._tag, `limit ${limit}`).toBe("Success")
          expect(sent.map((request) => request.body)).toEqual([text])
          continue
        }
        const found = exit._tag === "Failure" ? Cause.findError(exit.cause) : undefined
        assert(found?._tag === "Success", `limit ${limit}`)
        const error = found.success
        assert(error._tag === "InvalidRequestError")
        expect(error.issues.map((issue) => issue.path)).toEqual([[]])
        expect(error.message, `limit ${limit}`).toContain(
          `the JSON body is ${bytes} bytes, over the request limit of ${limit} bytes`
        )
        expect(sent).toEqual([])
      }
    }))

  it.effect("TrainingImages.checkRequestSize counts the bytes the client sends, for every operation", () =>
    Effect.gen(function*() {
      const data = bodyOfSize(200)
      const calls = [
        ["add", { modelId: "m", assetId: "asset_1", preset: "style" }],
        ["add", { modelId: "m", assetIds: ["asset_1", "asset_2"] }],
        ["add", { modelId: "m", data, name: "é.png", preset: "style" }],
        ["replace", { modelId: "m", trainingImageId: "t", data, name: "a.png" }],
        ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: "b", instruction: "é".repeat(40) }] }],
        ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: "b" }] }]
      ] as const
      for (const [operation, params] of calls) {
        const { images, recorded } = yield* serviceOver([{ status: 200, body: {} }])
        const call: Effect.Effect<unknown, unknown> = operation === "add"
          ? images.add(params)
          : operation === "replace"
          ? images.replace(params)
          : images.replacePairs(params)
        // The answer matters not: the body as sent does.
        yield* Effect.exit(call)
        const sent = yield* recorded
        expect(sent, operation).toHaveLength(1)
        const body = sent[0]!.body!
        const bytes = new TextEncoder().encode(body).length
        const label = `${operation} ${body}`
        expect(TrainingImages.checkRequestSize(operation, params, bytes), label).toBeUndefined()
        const error = TrainingImages.checkRequestSize(operation, params, bytes - 1)
        expect(error?.operation, label).toBe(operation)
        expect(error?.issues.map((issue) => issue.path), label).toEqual([[]])
        expect(error?.message, label).toContain(
          `the JSON body is ${bytes} bytes, over the request limit of ${bytes - 1}`
        )
      }
      // No body: within any limit.
      expect(TrainingImages.checkRequestSize("delete", { modelId: "m", trainingImageId: "t" }, 0)).toBeUndefined()
      expect(TrainingImages.checkRequestSize("list", { modelId: "m" }, 0)).toBeUndefined()
    }))

  it.effect("413 is a RequestTooLargeError", () =>
    Effect.gen(function*() {
      const { images } = yield* serviceOver([{ status: 413, body: { message: "Request Too Long" } }])
      const error = yield* Effect.flip(images.add({ modelId: "m", assetId: "asset_1" }))
      assert(error._tag === "RequestTooLargeError")
      expect(error.status).toBe(413)
      expect(error.message).toContain("Request Too Long")
    }))
})

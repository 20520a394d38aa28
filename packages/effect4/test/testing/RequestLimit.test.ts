import { RetryPolicy } from "@effect-scenario/effect4"
import { TrainingImagesTest } from "@effect-scenario/effect4/testing"
import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as TrainingImages from "../../src/TrainingImages.js"

const MODEL = "model_limit"

// A data URL whose JSON body `{"data":"...","name":"a.png"}` is exactly `size` bytes.
const dataOfBodySize = (size: number) => {
  const overhead = "{\"data\":\"data:image/png;base64,\",\"name\":\"a.png\"}".length
  return `data:image/png;base64,${"A".repeat(size - overhead)}`
}

describe("request limit", () => {
  it.effect("the fake refuses what the client refuses, with the same error", () =>
    Effect.gen(function*() {
      const { calls, service } = yield* TrainingImagesTest.make({ models: { [MODEL]: {} }, maxRequestBytes: 500 })
      yield* service.add({ modelId: MODEL, data: dataOfBodySize(500), name: "a.png" })
      const error = yield* Effect.flip(service.add({ modelId: MODEL, data: dataOfBodySize(504), name: "a.png" }))
      assert(error._tag === "InvalidRequestError")
      expect(error.message).toBe(
        "Invalid add request: the JSON body is 504 bytes, over the request limit of 500 bytes (maxRequestBytes): " +
          "resize or recompress the image (inline data is base64, 4/3 of the image's bytes)"
      )
      expect((yield* calls).length).toBe(1)
      const raised = yield* service.add({ modelId: MODEL, data: dataOfBodySize(504), name: "a.png" }).pipe(
        TrainingImages.withRequestOptions({ maxRequestBytes: 504 })
      )
      expect(raised.name).toBe("a.png")
    }))

  it.effect("a multi-byte body is counted in bytes, as the client counts it", () =>
    Effect.gen(function*() {
      // 90 UTF-16 units, 130 bytes.
      const pairs = [{ sourceId: "a", targetId: "b", instruction: "é".repeat(40) }]
      const { calls, service } = yield* TrainingImagesTest.make({ models: { [MODEL]: {} }, maxRequestBytes: 129 })
      const error = yield* Effect.flip(service.replacePairs({ modelId: MODEL, pairs }))
      assert(error._tag === "InvalidRequestError")
      expect(error.message).toContain("the JSON body is 130 bytes, over the request limit of 129 bytes")
      expect((yield* calls).length).toBe(0)
    }))

  it.live("the emulator answers 413 Request Too Long above API Gateway's limit: RequestTooLargeError", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.make({ models: { [MODEL]: {} } })
      const images = yield* TrainingImages.make({
        credentials: emulator.credentials,
        baseUrl: emulator.baseUrl,
        retryPolicy: RetryPolicy.none,
        // Raised so that the body reaches the emulator, whose default limit is the gateway's.
        maxRequestBytes: 20_000_000
      })
      const atLimit = yield* images.add({ modelId: MODEL, data: dataOfBodySize(10_485_760), name: "a.png" })
      expect(atLimit.name).toBe("a.png")
      const error = yield* Effect.flip(
        images.add({ modelId: MODEL, data: dataOfBodySize(10_485_764), name: "a.png" })
      )
      assert(error._tag === "RequestTooLargeError")
      expect(error.status).toBe(413)
      expect(error.body).toEqual({ message: "Request Too Long" })
      expect((yield* emulator.snapshot).models[MODEL]?.trainingImages.length).toBe(1)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.scoped))
})

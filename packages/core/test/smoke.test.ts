import { Credentials, TrainingImages } from "@effect-scenario/core"
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"

describe("smoke", () => {
  it.effect("replace", () =>
    Effect.gen(function*() {
      const requests: Array<any> = []
      const client = HttpClient.make((request) =>
        Effect.sync(() => {
          requests.push(request)
          return HttpClientResponse.fromWeb(
            request,
            new Response(
              JSON.stringify({
                trainingImage: {
                  id: "a",
                  automaticCaptioning: "",
                  createdAt: "x",
                  description: "",
                  downloadUrl: "u",
                  name: "n",
                  extra: 1
                }
              }),
              { status: 200 }
            )
          )
        })
      )
      const images = yield* TrainingImages.make({ credentials: Credentials.basic("k", "s") }).pipe(
        Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
      )
      const image = yield* images.replace({ modelId: "m/1", trainingImageId: "..x", assetId: "asset_1" })
      expect(image.id).toBe("a")
      expect(requests[0].url).toBe("https://api.cloud.scenario.com/v1/models/m%2F1/training-images/..x")
      const err = yield* Effect.flip(images.add({ modelId: "m", assetIds: [], data: "x" } as any))
      expect(err._tag).toBe("InvalidRequestError")
      console.log(err.message)
      const err2 = yield* Effect.flip(images.add({ modelId: "", data: "data:image/png;base64,abc" }))
      console.log(err2.message)
      expect(requests.length).toBe(1)
    }))
})

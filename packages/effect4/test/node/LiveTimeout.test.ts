/**
 * The transport's own per-attempt timer, over a real socket under the live clock (the path every call takes
 * in production): the timeout fires, the connection is closed, and `add`, which may have been applied, is not
 * sent again, while an idempotent call is.
 */
import { NodeTrainingImages } from "@effect-scenario/effect4/node"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import * as Credentials from "../../src/Credentials.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as RecordingServer from "./recordingServer.js"

const credentials = Credentials.basic("key_1", "secret_1")
const policy = RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "2 millis", maxRetries: 2 })

describe("the transport's timer under the live clock", () => {
  it.live("add: TimeoutError after one attempt, its connection closed", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(() => {})
      const images = yield* NodeTrainingImages.make({
        credentials,
        baseUrl: `${server.origin}/v1`,
        timeout: "150 millis",
        retryPolicy: policy
      })
      const error = yield* Effect.flip(images.add({ modelId: "model_1", assetId: "asset_1" }))
      expect(error._tag).toBe("TimeoutError")
      if (error._tag !== "TimeoutError") return
      expect(Duration.toMillis(error.timeout)).toBe(150)
      expect(error.mayHaveReachedServer).toBe(true)
      const aborted = yield* server.nextAbort
      expect(aborted.method).toBe("POST")
      expect(server.received).toHaveLength(1)
    }))

  it.live("replace: every attempt times out on its own timer and is retried, each connection closed", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(() => {})
      const images = yield* NodeTrainingImages.make({
        credentials,
        baseUrl: `${server.origin}/v1`,
        retryPolicy: policy
      })
      const error = yield* Effect.flip(
        images.replace({ modelId: "model_1", trainingImageId: "asset_1", assetId: "asset_2" }).pipe(
          TrainingImages.withRequestOptions({ timeout: "100 millis" })
        )
      )
      expect(error._tag).toBe("TimeoutError")
      expect(server.received).toHaveLength(3)
      for (let i = 0; i < 3; i++) expect((yield* server.nextAbort).method).toBe("PUT")
    }))
})

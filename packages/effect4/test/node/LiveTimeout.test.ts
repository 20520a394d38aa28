/**
 * The transport's own per-attempt timer, over a real socket under the live clock (the path every call takes
 * in production): the timeout fires, the connection is closed, and `add`, which may have been applied, is not
 * sent again, while an idempotent call is.
 *
 * The Effect 4 line's runner of `LIVE_TIMER` in `contract/nodeTransport.ts`, shared with the Effect 3 line.
 */
import { NodeTrainingImages } from "@effect-scenario/effect4/node"
import * as Answers from "@effect-scenario/test-support/httpAnswers"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import * as Exchange from "../../../../contract/nodeTransport.js"
import * as Credentials from "../../src/Credentials.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as RecordingServer from "./recordingServer.js"

const credentials = Credentials.basic(Exchange.API_KEY, Exchange.API_SECRET)
const { add, maxRetries, replace } = Exchange.LIVE_TIMER
const policy = RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "2 millis", maxRetries })

describe("the transport's timer under the live clock", () => {
  it.live("add: TimeoutError after one attempt, its connection closed", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.never)
      const images = yield* NodeTrainingImages.make({
        credentials,
        baseUrl: `${server.origin}/v1`,
        timeout: add.timeoutMillis,
        retryPolicy: policy
      })
      const error = yield* Effect.flip(images.add({ modelId: "model_1", assetId: "asset_1" }))
      expect(error._tag).toBe("TimeoutError")
      if (error._tag !== "TimeoutError") return
      expect(Duration.toMillis(error.timeout)).toBe(add.timeoutMillis)
      expect(error.mayHaveReachedServer).toBe(true)
      const aborted = yield* server.nextAbort
      expect(aborted.method).toBe(add.method)
      expect(server.received).toHaveLength(add.requests)
    }))

  it.live("replace: every attempt times out on its own timer and is retried, each connection closed", () =>
    Effect.gen(function*() {
      const server = yield* RecordingServer.make(Answers.never)
      const images = yield* NodeTrainingImages.make({
        credentials,
        baseUrl: `${server.origin}/v1`,
        retryPolicy: policy
      })
      const error = yield* Effect.flip(
        images.replace({ modelId: "model_1", trainingImageId: "asset_1", assetId: "asset_2" }).pipe(
          TrainingImages.withRequestOptions({ timeout: replace.timeoutMillis })
        )
      )
      expect(error._tag).toBe("TimeoutError")
      expect(server.received).toHaveLength(replace.requests)
      for (let i = 0; i < replace.requests; i++) expect((yield* server.nextAbort).method).toBe(replace.method)
    }))
})

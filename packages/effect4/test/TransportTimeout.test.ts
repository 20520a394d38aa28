/**
 * A transport that keeps the time itself: under the live clock each attempt is handed to it with its timeout
 * in milliseconds (sparing `Effect.timeoutOrElse`'s race); under any other clock, or past the longest timer
 * Node can set, the client keeps the time as usual.
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Fiber, Layer } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"
import { TestClock } from "effect/testing"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImages from "../src/TrainingImages.js"
import { credentials, trainingImageJson } from "./stub.js"

const EXECUTE_WITH_TIMEOUT = Symbol.for("@effect-scenario/core/HttpClient/executeWithTimeout")

const timedOutError = (request: HttpClientRequest.HttpClientRequest) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.TransportError({ request, cause: new Cause.TimeoutError() })
  })

// `timedOut`: whether the transport's own timer fires (the attempt fails as the transport reports a timeout).
const transport = (timedOut: boolean) => {
  const seen = { timed: [] as Array<number>, plain: 0 }
  const answer = (request: HttpClientRequest.HttpClientRequest) =>
    HttpClientResponse.fromWeb(request, new Response(JSON.stringify({ trainingImage: trainingImageJson() })))
  const client = Object.assign(
    HttpClient.make((request) =>
      Effect.suspend(() => {
        seen.plain++
        return Effect.succeed(answer(request))
      })
    ),
    {
      [EXECUTE_WITH_TIMEOUT]: (request: HttpClientRequest.HttpClientRequest, millis: number) =>
        Effect.suspend(() => {
          seen.timed.push(millis)
          return timedOut
            ? Effect.fail(timedOutError(request))
            : Effect.succeed(answer(request))
        })
    }
  )
  return Effect.map(
    TrainingImages.make({ credentials, timeout: "250 millis", retryPolicy: RetryPolicy.defaultPolicy }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
    ),
    (images) => ({ images, seen })
  )
}

describe("a transport's own per-attempt timer", () => {
  it.live("under the live clock every attempt goes to it, with the call's timeout", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* transport(false)
      yield* images.add({ modelId: "m", assetId: "a" })
      yield* images.list({ modelId: "m" }).pipe(Effect.ignore)
      yield* images.delete({ modelId: "m", trainingImageId: "t" }).pipe(
        TrainingImages.withRequestOptions({ timeout: "2 seconds" })
      )
      expect(seen.timed).toEqual([250, 250, 2000])
      expect(seen.plain).toBe(0)
    }))

  it.live("its timeout is a TimeoutError with the call's timeout, and add is not resent", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* transport(true)
      const error = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" }))
      expect(error._tag).toBe("TimeoutError")
      if (error._tag !== "TimeoutError") return
      expect(Duration.toMillis(error.timeout)).toBe(250)
      expect(error.mayHaveReachedServer).toBe(true)
      expect(error.operation).toBe("add")
      expect(seen.timed).toEqual([250])
    }))

  it.live("the longest timer Node can set goes to it; one millisecond more never fires, so the client keeps it", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* transport(false)
      const longest = 2 ** 31 - 1
      yield* images.add({ modelId: "m", assetId: "a" }).pipe(
        TrainingImages.withRequestOptions({ timeout: Duration.millis(longest) })
      )
      expect(seen.timed).toEqual([longest])
      yield* images.add({ modelId: "m", assetId: "a" }).pipe(
        TrainingImages.withRequestOptions({ timeout: Duration.millis(longest + 1) })
      )
      yield* images.add({ modelId: "m", assetId: "a" }).pipe(
        TrainingImages.withRequestOptions({ timeout: Duration.infinity })
      )
      expect(seen.timed).toEqual([longest])
      expect(seen.plain).toBe(2)
    }))

  it.effect("a timeout the transport reports by itself, outside its own timer, is a typed error", () =>
    Effect.gen(function*() {
      const client = HttpClient.make((request) => Effect.fail(timedOutError(request)))
      const images = yield* TrainingImages.make({ credentials, retryPolicy: RetryPolicy.none }).pipe(
        Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
      )
      const error = yield* Effect.flip(images.replace({ modelId: "m", trainingImageId: "t", assetId: "a" }))
      expect(error._tag).toBe("ConnectionError")
      if (error._tag === "ConnectionError") expect(error.mayHaveReachedServer).toBe(true)
    }))

  it.effect("under TestClock the client keeps the time: the transport's timer is not used", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* transport(true)
      const fiber = yield* Effect.forkChild(images.add({ modelId: "m", assetId: "a" }))
      yield* TestClock.adjust("1 second")
      const image = yield* Fiber.join(fiber)
      expect(image.id).toBe("asset_1")
      expect(seen.timed).toEqual([])
      expect(seen.plain).toBe(1)
    }))
})

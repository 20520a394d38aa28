/**
 * A transport that keeps the time itself: under the live clock each attempt is handed to it with its timeout
 * in milliseconds (sparing `Effect.timeoutOrElse`'s race); under any other clock, or past the longest timer
 * Node can set, the client keeps the time as usual. The calls, timeouts and expected attempts and errors are
 * `contract/transportTimeout.ts`'s (shared with the Effect 3 line).
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Duration, Effect, Fiber, Layer } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"
import { TestClock } from "effect/testing"
import * as T from "../../../contract/transportTimeout.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import type * as TrainingImage from "../src/TrainingImage.js"
import * as TrainingImages from "../src/TrainingImages.js"
import type * as TrainingImagesError from "../src/TrainingImagesError.js"
import { credentials } from "./stub.js"

const EXECUTE_WITH_TIMEOUT = Symbol.for(T.EXECUTE_WITH_TIMEOUT)

const timedOutError = (request: HttpClientRequest.HttpClientRequest) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.TransportError({ request, cause: new Cause.TimeoutError() })
  })

// `timedOut`: whether the transport's own timer fires (the attempt fails as the transport reports a timeout).
const transport = (timedOut: boolean) => {
  const seen = { timed: [] as Array<number>, plain: 0 }
  const answer = (request: HttpClientRequest.HttpClientRequest) =>
    HttpClientResponse.fromWeb(request, new Response(JSON.stringify(T.answer)))
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
    TrainingImages.make({
      credentials,
      timeout: Duration.millis(T.SERVICE_TIMEOUT_MS),
      retryPolicy: RetryPolicy.defaultPolicy
    }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
    ),
    (images) => ({ images, seen })
  )
}

/** One call of the table through the service, with its own timeout if it has one. */
const call = (
  images: TrainingImages.Service,
  { operation, timeoutMs }: T.Call
): Effect.Effect<unknown, TrainingImagesError.TrainingImagesError> => {
  const effect: Effect.Effect<unknown, TrainingImagesError.TrainingImagesError> = operation === "add"
    ? images.add(T.params.add)
    : operation === "replace"
    ? images.replace(T.params.replace)
    : operation === "delete"
    ? images.delete(T.params.delete)
    : images.list(T.params.list)
  return timeoutMs === undefined ? effect : effect.pipe(
    TrainingImages.withRequestOptions({
      timeout: timeoutMs === "infinity" ? Duration.infinity : Duration.millis(timeoutMs)
    })
  )
}

const calls = (images: TrainingImages.Service, all: ReadonlyArray<T.Call>) =>
  Effect.forEach(all, (one) => one.ignoreFailure ? Effect.ignore(call(images, one)) : call(images, one), {
    discard: true
  })

describe("a transport's own per-attempt timer", () => {
  it.live("under the live clock every attempt goes to it, with the call's timeout", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* transport(false)
      yield* calls(images, T.everyAttempt.calls)
      expect(seen.timed).toEqual(T.everyAttempt.seen.timed)
      expect(seen.plain).toBe(T.everyAttempt.seen.plain)
    }))

  it.live("its timeout is a TimeoutError with the call's timeout, and add is not resent", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* transport(true)
      const { error: expected } = T.itsTimeout
      const error = yield* Effect.flip(call(images, T.itsTimeout.call))
      expect(error._tag).toBe(expected._tag)
      if (error._tag !== "TimeoutError") return
      expect(Duration.toMillis(error.timeout)).toBe(expected.timeoutMs)
      expect(error.mayHaveReachedServer).toBe(expected.mayHaveReachedServer)
      expect(error.operation).toBe(expected.operation)
      expect(seen.timed).toEqual(T.itsTimeout.seen.timed)
    }))

  it.live("the longest timer Node can set goes to it; one millisecond more never fires, so the client keeps it", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* transport(false)
      yield* call(images, T.longest.first)
      expect(seen.timed).toEqual(T.longest.seenFirst.timed)
      yield* calls(images, T.longest.then)
      expect(seen.timed).toEqual(T.longest.seen.timed)
      expect(seen.plain).toBe(T.longest.seen.plain)
    }))

  it.effect("a timeout the transport reports by itself, outside its own timer, is a typed error", () =>
    Effect.gen(function*() {
      const client = HttpClient.make((request) => Effect.fail(timedOutError(request)))
      const images = yield* TrainingImages.make({ credentials, retryPolicy: RetryPolicy.none }).pipe(
        Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
      )
      const { error: expected } = T.reportedByItself
      const error = yield* Effect.flip(call(images, T.reportedByItself.call))
      expect(error._tag).toBe(expected._tag)
      if (error._tag === "ConnectionError") expect(error.mayHaveReachedServer).toBe(expected.mayHaveReachedServer)
    }))

  it.effect("under TestClock the client keeps the time: the transport's timer is not used", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* transport(true)
      const fiber = yield* Effect.forkChild(call(images, T.underTestClock.call))
      yield* TestClock.adjust(Duration.millis(T.underTestClock.adjustMs))
      const image = (yield* Fiber.join(fiber)) as TrainingImage.TrainingImage
      expect(image.id).toBe(T.underTestClock.imageId)
      expect(seen.timed).toEqual(T.underTestClock.seen.timed)
      expect(seen.plain).toBe(T.underTestClock.seen.plain)
    }))
})

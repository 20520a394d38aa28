import * as Stub from "@effect-scenario/test-support/stub"
import { type Duration, Effect, Fiber, Layer, Ref } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"
import { TestClock } from "effect/testing"
import * as Credentials from "../src/Credentials.js"
import * as TrainingImages from "../src/TrainingImages.js"

export { type Recorded, type Reply, trainingImageJson } from "@effect-scenario/test-support/stub"

const transportFailure = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })

const transportError = (request: HttpClientRequest.HttpClientRequest, code: string) =>
  transportFailure(request, Stub.systemError(code))

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Raw":
      return String(body.body)
    case "Uint8Array":
      return new TextDecoder().decode(body.body)
    default:
      return undefined
  }
}

/**
 * A recording stub `HttpClient`: answers attempt n with `replies[n]` (the last one repeating), and records
 * every request it receives.
 */
export const makeStub = (replies: ReadonlyArray<Stub.Reply>) =>
  Effect.gen(function*() {
    const recorded = yield* Ref.make<ReadonlyArray<Stub.Recorded>>([])
    const client = HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const seen = yield* Ref.updateAndGet(recorded, (all) => [
          ...all,
          { method: request.method, url: url.toString(), headers: { ...request.headers }, body: bodyText(request) }
        ])
        const reply = Stub.replyTo(replies, seen.length)
        if ("refuse" in reply) return yield* Effect.fail(transportError(request, "ECONNREFUSED"))
        if ("reset" in reply) return yield* Effect.fail(transportError(request, "ECONNRESET"))
        if ("hang" in reply) return yield* Effect.never
        if ("requestFails" in reply) return yield* Effect.fail(transportFailure(request, reply.requestFails.cause))
        return HttpClientResponse.fromWeb(request, Stub.webResponse(reply))
      })
    )
    return { client, recorded: Ref.get(recorded) }
  })

export const credentials = Credentials.basic("key_123", "secret_456")

/** The service over a stub answering with `replies`. */
export const withStub = (replies: ReadonlyArray<Stub.Reply>, options?: Partial<TrainingImages.Options>) =>
  Effect.gen(function*() {
    const stub = yield* makeStub(replies)
    const images = yield* TrainingImages.make({ credentials, ...options }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient, stub.client))
    )
    return { images, recorded: stub.recorded }
  })

/**
 * Forks `call`, then moves the TestClock forward step by step, reporting how many attempts the stub had seen
 * after each step; then an hour more, and the call's outcome.
 */
export const stepThrough = <A, E>(
  call: Effect.Effect<A, E>,
  recorded: Effect.Effect<ReadonlyArray<Stub.Recorded>>,
  steps: ReadonlyArray<Duration.Input>
) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(call)
    const seen: Array<number> = []
    for (const step of steps) {
      yield* TestClock.adjust(step)
      seen.push((yield* recorded).length)
    }
    yield* TestClock.adjust("1 hour")
    const exit = yield* Fiber.await(fiber)
    return { seen, exit, attempts: (yield* recorded).length }
  })

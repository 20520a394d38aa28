import { type Duration, Effect, Fiber, Layer, Ref } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"
import { TestClock } from "effect/testing"
import * as Credentials from "../src/Credentials.js"
import * as TrainingImages from "../src/TrainingImages.js"

/** A request as the stub transport saw it. */
export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

/** What the stub answers one attempt with. */
export type Reply =
  | {
    readonly status: number
    readonly body?: unknown
    readonly headers?: Record<string, string>
    /** The body as these chunks instead, each read on its own (no `content-length` unless in `headers`). */
    readonly chunks?: ReadonlyArray<string | Uint8Array>
    /** After the chunks, the body's stream fails with this cause rather than ending. */
    readonly streamFails?: { readonly cause: unknown }
  }
  | { readonly refuse: true }
  | { readonly reset: true }
  | { readonly hang: true }
  /** The request fails before any response, with this cause. */
  | { readonly requestFails: { readonly cause: unknown } }

export const trainingImageJson = (id = "asset_1") => ({
  id,
  automaticCaptioning: "a caption",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "a description",
  downloadUrl: `https://cdn.example/${id}.png`,
  name: "my-training-image.jpg"
})

const transportFailure = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.HttpClientError({ reason: new HttpClientError.TransportError({ request, cause }) })

const transportError = (request: HttpClientRequest.HttpClientRequest, code: string) =>
  transportFailure(request, Object.assign(new Error(`${code} on purpose`), { code }))

// The chunks, one per read, then the end or the failure.
const chunkedBody = (chunks: ReadonlyArray<string | Uint8Array>, fails: { readonly cause: unknown } | undefined) => {
  const encoder = new TextEncoder()
  let next = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) {
        const chunk = chunks[next++]!
        controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk)
      } else if (fails === undefined) controller.close()
      else controller.error(fails.cause)
    }
  })
}

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
export const makeStub = (replies: ReadonlyArray<Reply>) =>
  Effect.gen(function*() {
    const recorded = yield* Ref.make<ReadonlyArray<Recorded>>([])
    const client = HttpClient.make((request, url) =>
      Effect.gen(function*() {
        const seen = yield* Ref.updateAndGet(recorded, (all) => [
          ...all,
          { method: request.method, url: url.toString(), headers: { ...request.headers }, body: bodyText(request) }
        ])
        const reply = replies[Math.min(seen.length - 1, replies.length - 1)]!
        if ("refuse" in reply) return yield* Effect.fail(transportError(request, "ECONNREFUSED"))
        if ("reset" in reply) return yield* Effect.fail(transportError(request, "ECONNRESET"))
        if ("hang" in reply) return yield* Effect.never
        if ("requestFails" in reply) return yield* Effect.fail(transportFailure(request, reply.requestFails.cause))
        const body = reply.chunks !== undefined || reply.streamFails !== undefined
          ? chunkedBody(reply.chunks ?? [], reply.streamFails)
          : reply.body === undefined
          ? null
          : typeof reply.body === "string"
          ? reply.body
          : JSON.stringify(reply.body)
        return HttpClientResponse.fromWeb(
          request,
          new Response(body, {
            status: reply.status,
            headers: { "content-type": "application/json", ...reply.headers }
          })
        )
      })
    )
    return { client, recorded: Ref.get(recorded) }
  })

export const credentials = Credentials.basic("key_123", "secret_456")

/** The service over a stub answering with `replies`. */
export const withStub = (replies: ReadonlyArray<Reply>, options?: Partial<TrainingImages.Options>) =>
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
  recorded: Effect.Effect<ReadonlyArray<Recorded>>,
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

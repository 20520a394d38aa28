/**
 * The shared recording server (`@effect-scenario/test-support/recordingServer`) as a scoped Effect of this
 * line, its reports of requests and aborts as queues.
 */
import * as Recording from "@effect-scenario/test-support/recordingServer"
import { Effect, Queue, type Scope } from "effect"

export { type Answer, json, type Received, trainingImage } from "@effect-scenario/test-support/recordingServer"

export interface RecordingServer extends Recording.Controls {
  /** The next request read in full (or the one already read and not yet taken). */
  readonly nextRequest: Effect.Effect<Recording.Received>
  /** The next request whose connection closed before its answer was finished. */
  readonly nextAbort: Effect.Effect<Recording.Received>
}

export const make = (
  answer: Recording.Answer = Recording.json(200, {})
): Effect.Effect<RecordingServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const requests = yield* Queue.unbounded<Recording.Received>()
    const aborts = yield* Queue.unbounded<Recording.Received>()
    const server = yield* Effect.acquireRelease(
      Effect.promise(() =>
        Recording.start(answer, {
          onRequest: (request) => Queue.unsafeOffer(requests, request),
          onAbort: (request) => Queue.unsafeOffer(aborts, request)
        })
      ),
      (running) => Effect.promise(running.close)
    )
    return {
      ...Recording.controls(server),
      nextRequest: Queue.take(requests),
      nextAbort: Queue.take(aborts)
    }
  })

/** A port on 127.0.0.1 that nothing listens on: it was just listened on, and closed. */
export const closedPort: Effect.Effect<number> = Effect.promise(Recording.closedPort)

/**
 * Hostile servers over a real socket on 127.0.0.1, for each Node transport: connections closed or reset
 * before, during and after the headers, bodies that never finish or drip slower than the timeout, answers
 * that are not HTTP, oversized headers and bodies. Each becomes one of the library's typed errors, within
 * the timeout, never a defect or a hang; and an `add` that may have reached the server is never sent twice.
 *
 * And hostile input the other way: params generated from the core schemas, ids from the whole of Unicode,
 * are accepted by the emulator, which stores exactly what was sent.
 *
 * The Effect 3 line's runner of test-support's hostile servers (`hostile.ts`), shared with the Effect 4 line.
 */
import { Credentials, RetryPolicy, TrainingImage, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import * as Hostile from "@effect-scenario/test-support/hostile"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Chunk, Effect, Exit, FastCheck as fc } from "effect"
import { makeRawServer } from "./rawServer.js"
import { nodeTransports } from "./transports.js"

// ---------------------------------------------------------------------------------------------------------
// The transports
// ---------------------------------------------------------------------------------------------------------

const transports = nodeTransports

const typedError = (exit: Exit.Exit<unknown, unknown>): TrainingImagesError.TrainingImagesError => {
  if (Exit.isSuccess(exit)) return expect.fail("expected a failure, got a success")
  const failures = Chunk.toReadonlyArray(Cause.failures(exit.cause))
  if (
    failures.length !== 1 || !Chunk.isEmpty(Cause.defects(exit.cause)) || Cause.isInterrupted(exit.cause) ||
    !TrainingImagesError.isTrainingImagesError(failures[0])
  ) {
    return expect.fail(`expected one of the library's errors, got ${Cause.pretty(exit.cause)}`)
  }
  return failures[0]
}

const MAX_RETRIES = 2
const retryPolicy = RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "5 millis", maxRetries: MAX_RETRIES })

// A whole call, retries included, must end well within this: a call still running then hangs.
const NO_HANG = "90 seconds"

describe("hostile servers over a real socket", () => {
  for (const [transport, build] of transports) {
    it.scopedLive(
      `${transport}: every hostile answer is a typed error, and add is never resent`,
      () =>
        Effect.gen(function*() {
          const server = yield* makeRawServer
          const images = yield* build({
            baseUrl: server.baseUrl,
            credentials: Credentials.bearer("token"),
            // Long enough that a prompt answer never meets it on a loaded machine (a pause of the collector after
            // the 8 MiB cases once did at 100 ms), short enough for the cases that must time out.
            timeout: "500 millis",
            retryPolicy
          })
          for (const hostile of Hostile.hostileCases) {
            server.setBehaviour(hostile.behaviour)
            server.takeRequests()
            const options = TrainingImages.withRequestOptions(
              hostile.timeoutMillis === undefined ? {} : { timeout: hostile.timeoutMillis }
            )
            const exit = yield* Effect.exit(options(images.add({ modelId: "m", assetId: "a" }))).pipe(
              Effect.timeoutFail({ duration: NO_HANG, onTimeout: () => new Error(`${hostile.name}: add hangs`) })
            )
            const error = typedError(exit)
            expect([hostile.name, hostile.tags.includes(error._tag) ? "expected" : error._tag]).toEqual([
              hostile.name,
              "expected"
            ])
            if (error._tag === "ConnectionError" || error._tag === "TimeoutError") {
              expect([hostile.name, error.mayHaveReachedServer]).toEqual([hostile.name, true])
            }
            if (hostile.decodeError !== undefined && error._tag === "ResponseDecodeError") {
              expect(error.body.length).toBe(TrainingImagesError.MAX_KEPT_BODY)
              expect(error.bodyLength).toBe(hostile.decodeError.bodyLength)
            }
            if (hostile.messageShorterThan !== undefined) {
              expect(error.message.length).toBeLessThan(hostile.messageShorterThan)
            }
            // Whatever happened after the request was read, the add may have been applied: it is not resent.
            expect([hostile.name, server.takeRequests()]).toEqual([
              hostile.name,
              Hostile.requestsOf("add", error._tag, MAX_RETRIES)
            ])

            // An idempotent replace is retried through the transient ones, and ends typed too.
            const replaced = yield* Effect.exit(
              options(images.replace({ modelId: "m", trainingImageId: "t", assetId: "a" }))
            ).pipe(
              Effect.timeoutFail({ duration: NO_HANG, onTimeout: () => new Error(`${hostile.name}: replace hangs`) })
            )
            const replaceError = typedError(replaced)
            expect([hostile.name, server.takeRequests()]).toEqual([
              hostile.name,
              Hostile.requestsOf("replace", replaceError._tag, MAX_RETRIES)
            ])
          }
        }),
      120_000
    )
  }
})

// ---------------------------------------------------------------------------------------------------------
// Generated params, hostile ids included, accepted by the emulator
// ---------------------------------------------------------------------------------------------------------

/** Ids from the whole of Unicode, with the characters that matter in a URL weighted in. */
const hostileId = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12, unit: "binary" }),
  fc.string({
    minLength: 1,
    maxLength: 8,
    unit: fc.constantFrom(...Hostile.ID_PIECES)
  })
).filter((s) => s !== "." && s !== "..")

const anyId = fc.oneof(Arbitrary.make(TrainingImage.AssetId), hostileId)

describe("generated params are accepted by the emulator", () => {
  it.scopedLive(
    "add, replace, replacePairs, delete and list with generated params and ids",
    () =>
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.make()
        const images = yield* NodeTrainingImages.make({
          baseUrl: emulator.baseUrl,
          credentials: emulator.credentials,
          retryPolicy: RetryPolicy.none
        })
        const cases = fc.tuple(
          Arbitrary.make(TrainingImage.AddParams),
          Arbitrary.make(TrainingImage.ReplaceParams),
          Arbitrary.make(TrainingImage.ReplacePairsParams),
          anyId,
          anyId,
          fc.array(anyId, { minLength: 1, maxLength: 3 })
        )
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(cases, async ([add, replace, pairs, modelId, imageId, pairIds]) => {
              const run = Effect.gen(function*() {
                const ids = Hostile.seededIds(imageId, pairIds, pairs.pairs)
                yield* emulator.seed({ [modelId]: { trainingImages: ids.map((id) => ({ id })) } })

                const added = yield* images.add({ ...add, modelId })
                const afterAdd = yield* images.list({ modelId })
                expect(afterAdd.trainingImages.map((image) => image.id)).toContain(added.id)

                const replaced = yield* images.replace({ ...replace, modelId, trainingImageId: imageId })
                expect(replaced.id).toBe(imageId)

                const newPairs = Hostile.pairsOf(pairs.pairs, pairIds, imageId)
                const result = yield* images.replacePairs({ modelId, pairs: newPairs })
                expect(result.count).toBe(newPairs.length)
                const stored = (yield* emulator.model(modelId)).pipe((o) => o._tag === "Some" ? o.value : undefined)
                expect(stored?.pairs).toEqual(Hostile.storedPairs(newPairs))

                yield* images.delete({ modelId, trainingImageId: imageId })
                const listed = yield* images.list({ modelId })
                expect(listed.modelId).toBe(modelId)
                expect(listed.trainingImages.map((image) => image.id)).not.toContain(imageId)
              })
              await Effect.runPromise(run)
            }),
            { numRuns: Hostile.RUNS }
          )
        )
        // Every request reached its route and was answered 200.
        const requests = yield* emulator.requests
        expect(requests.filter((request) => request.status !== 200)).toEqual([])
      }),
    60_000
  )
})

/**
 * Hostile servers over a real socket on 127.0.0.1, for each Node transport: connections closed or reset
 * before, during and after the headers, bodies that never finish or drip slower than the timeout, answers
 * that are not HTTP, oversized headers and bodies. Each becomes one of the library's typed errors, within
 * the timeout, never a defect or a hang; and an `add` that may have reached the server is never sent twice.
 *
 * And hostile input the other way: params generated from the core schemas, ids from the whole of Unicode,
 * are accepted by the emulator, which stores exactly what was sent.
 *
 * The Effect 4 line's runner of test-support's hostile servers (`hostile.ts`), shared with the Effect 3 line.
 */
import { NodeTrainingImages } from "@effect-scenario/effect4/node"
import * as Hostile from "@effect-scenario/test-support/hostile"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Effect, Exit, Option, Schema } from "effect"
import * as Credentials from "../../src/Credentials.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import * as ScenarioEmulator from "../../src/testing/ScenarioEmulator.js"
import * as TrainingImage from "../../src/TrainingImage.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingImagesError from "../../src/TrainingImagesError.js"
import { makeRawServer } from "./rawServer.js"
import { nodeTransports } from "./transports.js"

// ---------------------------------------------------------------------------------------------------------
// The transports
// ---------------------------------------------------------------------------------------------------------

const transports = nodeTransports

const typedError = (exit: Exit.Exit<unknown, unknown>): TrainingImagesError.TrainingImagesError => {
  if (Exit.isSuccess(exit)) return expect.fail("expected a failure, got a success")
  const reasons = exit.cause.reasons
  const failure = reasons.length === 1 && Cause.isFailReason(reasons[0]!) ? reasons[0].error : undefined
  if (failure === undefined || !TrainingImagesError.isTrainingImagesError(failure)) {
    return expect.fail(`expected one of the library's errors, got ${Cause.pretty(exit.cause)}`)
  }
  return failure
}

const MAX_RETRIES = 2
const retryPolicy = RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "5 millis", maxRetries: MAX_RETRIES })

// A whole call, retries included, must end well within this: a call still running then hangs.
const NO_HANG = "90 seconds"

describe("hostile servers over a real socket", () => {
  for (const [transport, build] of transports) {
    it.live(
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
              Effect.timeoutOrElse({
                duration: NO_HANG,
                orElse: () => Effect.fail(new Error(`${hostile.name}: add hangs`))
              })
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
              Effect.timeoutOrElse({
                duration: NO_HANG,
                orElse: () => Effect.fail(new Error(`${hostile.name}: replace hangs`))
              })
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
const hostileId = Arbitrary.all([
  Arbitrary.schema(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(12))),
  Arbitrary.array(Arbitrary.schema(Schema.Literals(Hostile.ID_PIECES)), { minLength: 1, maxLength: 8 }),
  Arbitrary.schema(Schema.Boolean)
]).pipe(
  // Whole code points only, as the ids the schemas accept (a lone surrogate is refused before sending); "." and
  // ".." are dot segments, which the URL resolves before anyone sees them.
  Arbitrary.map(([unicode, pieces, pick]) => {
    const id = pick ? unicode.replace(/[\uD800-\uDFFF]/gu, "\uFFFD") : pieces.join("")
    return id === "." || id === ".." ? `${id}a` : id
  })
)

const RUNS = Hostile.RUNS

const anyId = Arbitrary.all([Arbitrary.schema(TrainingImage.AssetId), hostileId, Arbitrary.schema(Schema.Boolean)])
  .pipe(Arbitrary.map(([assetId, hostile, pick]) => pick ? assetId : hostile))

describe("generated params are accepted by the emulator", () => {
  it.live(
    "add, replace, replacePairs, delete and list with generated params and ids",
    () =>
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.make()
        const images = yield* NodeTrainingImages.make({
          baseUrl: emulator.baseUrl,
          credentials: emulator.credentials,
          retryPolicy: RetryPolicy.none
        })
        // Effect 4.1's `Arbitrary.checkEffect` reports a property over Schemas this rich exhausted before its first
        // run, every case discarded, and so does sampling them as one tuple: each is sampled on its own (which
        // draws them), and the samples are zipped into the cases, run one by one.
        const sample = <A>(arbitrary: Arbitrary.Arbitrary<A>) => Arbitrary.sampleEffect(arbitrary, { count: RUNS })
        const adds = yield* sample(Arbitrary.schema(TrainingImage.AddParams))
        const replaces = yield* sample(Arbitrary.schema(TrainingImage.ReplaceParams))
        const pairLists = yield* sample(Arbitrary.schema(TrainingImage.ReplacePairsParams))
        const modelIds = yield* sample(anyId)
        const imageIds = yield* sample(anyId)
        const pairIdLists = yield* sample(Arbitrary.array(anyId, { minLength: 1, maxLength: 3 }))
        const drawn = adds.map((add, i) =>
          [add, replaces[i]!, pairLists[i]!, modelIds[i]!, imageIds[i]!, pairIdLists[i]!] as const
        )
        expect(drawn).toHaveLength(RUNS)
        yield* Effect.forEach(drawn, ([add, replace, pairs, modelId, imageId, pairIds]) =>
          Effect.gen(function*() {
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
            const stored = Option.getOrUndefined(yield* emulator.model(modelId))
            expect(stored?.pairs).toEqual(Hostile.storedPairs(newPairs))

            yield* images.delete({ modelId, trainingImageId: imageId })
            const listed = yield* images.list({ modelId })
            expect(listed.modelId).toBe(modelId)
            expect(listed.trainingImages.map((image) => image.id)).not.toContain(imageId)
          }), { discard: true })
        // Every request reached its route and was answered 200.
        const requests = yield* emulator.requests
        expect(requests.filter((request) => request.status !== 200)).toEqual([])
      }),
    60_000
  )
})

/**
 * An Effect pipeline that replaces many training images with bounded concurrency and handles each failure
 * by its tag, without losing the others. It runs against the embedded emulator, told to fail a third of
 * the requests with transient faults.
 *
 *   npx -y pnpm@10.34.9 pipeline
 */
import { RetryPolicy, TrainingImages } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"

const MODEL = "model_pipeline"
const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="

/** One job: replace this training image with that data. */
interface Job {
  readonly trainingImageId: string
  readonly data: string
}

/** What became of a job. Every failure is kept, by kind, next to the successes. */
type Outcome =
  | { readonly _tag: "Replaced"; readonly job: Job }
  | { readonly _tag: "NotFound"; readonly job: Job }
  | { readonly _tag: "Invalid"; readonly job: Job; readonly reason: string }
  | { readonly _tag: "GaveUp"; readonly job: Job; readonly reason: string }

const replaceOne = (job: Job) =>
  Effect.gen(function*() {
    const images = yield* TrainingImages.TrainingImages
    yield* images.replace({ modelId: MODEL, trainingImageId: job.trainingImageId, data: job.data })
    return { _tag: "Replaced", job } as Outcome
  }).pipe(
    Effect.catchTags({
      NotFoundError: () => Effect.succeed<Outcome>({ _tag: "NotFound", job }),
      InvalidRequestError: (e) => Effect.succeed<Outcome>({ _tag: "Invalid", job, reason: e.message }),
      // What is left once the retry policy is exhausted: transient failures that kept failing.
      RateLimitError: (e) => Effect.succeed<Outcome>({ _tag: "GaveUp", job, reason: e._tag }),
      InternalServerError: (e) => Effect.succeed<Outcome>({ _tag: "GaveUp", job, reason: `${e._tag} ${e.status}` }),
      ConnectionError: (e) => Effect.succeed<Outcome>({ _tag: "GaveUp", job, reason: e._tag }),
      TimeoutError: (e) => Effect.succeed<Outcome>({ _tag: "GaveUp", job, reason: e._tag })
    }),
    // Anything else (an authentication failure, say) concerns the whole run: it stops the pipeline.
    Effect.withSpan("pipeline.replaceOne", { attributes: { trainingImageId: job.trainingImageId } })
  )

const program = Effect.gen(function*() {
  const emulator = yield* ScenarioEmulator.ScenarioEmulator
  const existing = Array.from({ length: 60 }, (_, i) => `asset_existing_${String(i).padStart(2, "0")}`)
  yield* emulator.seed({ [MODEL]: { trainingImages: existing.map((id) => ({ id })) } })
  yield* emulator.setFaults({
    rate: 0.3,
    seed: 7,
    faults: [
      Fault.rateLimited({ retryAfter: "50 millis" }),
      Fault.serverError(500),
      Fault.serverError(503),
      Fault.dropBeforeApply
    ]
  })

  const jobs: ReadonlyArray<Job> = [
    ...existing.map((trainingImageId) => ({ trainingImageId, data: PNG })),
    { trainingImageId: "asset_gone_1", data: PNG },
    { trainingImageId: "asset_gone_2", data: PNG },
    { trainingImageId: "asset_existing_00", data: "not a data URL" },
    { trainingImageId: "", data: PNG }
  ]
  yield* Console.log(`Replacing ${jobs.length} training images, 8 at a time, with 30% of requests failing...`)
  const outcomes = yield* Effect.forEach(jobs, replaceOne, { concurrency: 8 })

  const count = (tag: Outcome["_tag"]) => outcomes.filter((o) => o._tag === tag)
  yield* Console.log(`replaced:   ${count("Replaced").length}`)
  yield* Console.log(`not found:  ${count("NotFound").map((o) => o.job.trainingImageId).join(", ")}`)
  for (const o of count("Invalid")) {
    if (o._tag === "Invalid") yield* Console.log(`invalid:    ${JSON.stringify(o.job.trainingImageId)}: ${o.reason}`)
  }
  for (const o of count("GaveUp")) {
    if (o._tag === "GaveUp") yield* Console.log(`gave up:    ${o.job.trainingImageId} after retries (${o.reason})`)
  }
  const requests = yield* emulator.requests
  yield* Console.log(
    `the server saw ${requests.length} requests; faults injected: ${JSON.stringify(yield* emulator.faultCounts)}`
  )
  yield* Console.log(`every job accounted for: ${outcomes.length === jobs.length}`)
})

const Live = Layer.unwrapEffect(
  Effect.map(ScenarioEmulator.ScenarioEmulator, (emulator) =>
    NodeTrainingImages.layer({
      baseUrl: emulator.baseUrl,
      credentials: emulator.credentials,
      retryPolicy: RetryPolicy.make({ maxRetries: 3, initialDelay: "20 millis", maxDelay: "200 millis" })
    }))
)

program.pipe(
  Effect.provide(Live),
  Effect.provide(ScenarioEmulator.layer()),
  NodeRuntime.runMain
)

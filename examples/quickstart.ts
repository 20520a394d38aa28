/**
 * The whole library end to end over real HTTP. By default it starts the emulator on a free loopback port and
 * points the Node layer at it.
 *
 * Against the real API it runs only when asked, on a model made for the demo: set SCENARIO_SDK_API_KEY,
 * SCENARIO_SDK_API_SECRET and SCENARIO_DEMO_MODEL_ID. It adds two images, replaces the model's pairs, deletes
 * what it added, and at the end puts back what was there: images it did not have are deleted, its pairs are
 * restored, even when the demo fails half-way.
 *
 *   npx -y pnpm@10.34.9 demo
 */
import type { TrainingImage } from "@effect-scenario/core"
import { TrainingImages } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeRuntime } from "@effect/platform-node"
import { Clock, Config, Console, Effect, Option } from "effect"

// Two tiny PNGs (1×1 pixel), given inline as data URLs.
const RED =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
const BLUE =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="

const DEMO_MODEL = "model_demo"

const show = (image: TrainingImage.TrainingImage) => `${image.id} (${image.name}, created ${image.createdAt})`

/** The demo proper: it knows only the `TrainingImages` service, whatever serves it. */
const tour = (modelId: string) =>
  Effect.gen(function*() {
    const images = yield* TrainingImages.TrainingImages

    yield* Console.log(`\n1. add two training images to ${modelId}`)
    const red = yield* images.add({ modelId, data: RED, name: "red.png", preset: "style" })
    const blue = yield* images.add({ modelId, data: BLUE, name: "blue.png" })
    yield* Console.log(`   added ${show(red)}`)
    yield* Console.log(`   added ${show(blue)}`)

    yield* Console.log("\n2. replace the first one")
    const replaced = yield* images.replace({ modelId, trainingImageId: red.id, data: BLUE, name: "red-now-blue.png" })
    yield* Console.log(`   replaced ${show(replaced)}`)

    yield* Console.log("\n3. replace all pairs of the model")
    const pairs = yield* images.replacePairs({
      modelId,
      pairs: [{ sourceId: red.id, targetId: blue.id, instruction: "turn the red square blue" }]
    })
    yield* Console.log(
      `   ${pairs.count} pair(s): ${pairs.pairs.map((p) => `${p.sourceId} → ${p.targetId}`).join(", ")}`
    )

    yield* Console.log("\n4. list the model's training images")
    const listed = yield* images.list({ modelId })
    yield* Console.log(`   status ${listed.status}, ${listed.trainingImagesNumber} training image(s):`)
    for (const image of listed.trainingImages) yield* Console.log(`   - ${show(image)}`)

    yield* Console.log("\n5. delete both")
    yield* images.delete({ modelId, trainingImageId: red.id })
    yield* images.delete({ modelId, trainingImageId: blue.id })
    yield* Console.log(`   deleted ${red.id} and ${blue.id}`)

    yield* Console.log("\n6. a typed error, handled by its tag")
    const outcome = yield* images.replace({ modelId, trainingImageId: red.id, data: RED }).pipe(
      Effect.as("replaced (unexpected)"),
      Effect.catchTag("NotFoundError", (error) =>
        Effect.succeed(
          `NotFoundError (status ${error.status}, request id ${error.requestId ?? "none"}): ${error.message}`
        ))
    )
    yield* Console.log(`   replacing the deleted image: ${outcome}`)

    yield* Console.log("\n7. invalid input never leaves the process")
    const invalid = yield* images.add({ modelId, assetIds: [] }).pipe(
      Effect.as("sent (unexpected)"),
      Effect.catchTag("InvalidRequestError", (error) => Effect.succeed(`InvalidRequestError: ${error.message}`))
    )
    yield* Console.log(`   ${invalid}`)
  })

/** Only the emulator can be told to rate-limit: the retry after the server's Retry-After, measured. */
const rateLimited = (modelId: string) =>
  Effect.gen(function*() {
    const emulator = yield* ScenarioEmulator.ScenarioEmulator
    const images = yield* TrainingImages.TrainingImages
    yield* Console.log("\n8. a rate-limited call, retried after the server's Retry-After")
    yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: "1 second" }))
    const start = yield* Clock.currentTimeMillis
    const listed = yield* images.list({ modelId })
    const elapsed = (yield* Clock.currentTimeMillis) - start
    const seen = (yield* emulator.requests).slice(-2)
    for (const request of seen) {
      yield* Console.log(
        `   server saw ${request.method} ${request.path} → ${request.status}${
          request.fault ? ` (${request.fault} injected)` : ""
        }`
      )
    }
    yield* Console.log(`   list succeeded after ${elapsed} ms with ${listed.trainingImagesNumber} training image(s)`)
  })

const againstEmulator = Effect.gen(function*() {
  yield* Console.log(
    "No SCENARIO_SDK_API_KEY / SCENARIO_SDK_API_SECRET / SCENARIO_DEMO_MODEL_ID: using the embedded emulator."
  )
  const emulator = yield* ScenarioEmulator.ScenarioEmulator
  yield* Console.log(`Emulator listening at ${emulator.baseUrl}`)
  const live = NodeTrainingImages.layer({ baseUrl: emulator.baseUrl, credentials: emulator.credentials })
  yield* Effect.provide(Effect.zipRight(tour(DEMO_MODEL), rateLimited(DEMO_MODEL)), live)
}).pipe(Effect.provide(ScenarioEmulator.layer({ models: { [DEMO_MODEL]: { name: "Demo model" } } })))

/** Deletes the images the model did not have in `before` and restores its pairs. */
const restore = (before: TrainingImage.ModelTrainingImages) =>
  Effect.gen(function*() {
    const images = yield* TrainingImages.TrainingImages
    const modelId = before.modelId
    const kept = new Set(before.trainingImages.map((image) => image.id))
    const now = yield* images.list({ modelId })
    const added = now.trainingImages.filter((image) => !kept.has(image.id))
    yield* Effect.forEach(added, (image) => images.delete({ modelId, trainingImageId: image.id }), { discard: true })
    // A pair as listed may lack an end; only complete pairs can be sent back.
    const pairs = before.trainingImagePairs.flatMap(({ instruction, sourceId, targetId }) =>
      sourceId === undefined || targetId === undefined
        ? []
        : [instruction === undefined ? { sourceId, targetId } : { sourceId, targetId, instruction }]
    )
    if (pairs.length > 0) yield* images.replacePairs({ modelId, pairs })
    yield* Console.log(
      `\nRestored model ${modelId}: ${added.length} added image(s) deleted, ${pairs.length} pair(s) put back.`
    )
  })

const againstApi = (modelId: string) =>
  Effect.gen(function*() {
    const images = yield* TrainingImages.TrainingImages
    const before = yield* images.list({ modelId })
    yield* Console.log(
      `Running against the Scenario API on model ${modelId} (${before.trainingImagesNumber} training image(s), ` +
        `${before.trainingImagePairs.length} pair(s): both are restored at the end).`
    )
    yield* tour(modelId).pipe(Effect.ensuring(Effect.orDie(restore(before))))
  }).pipe(Effect.provide(NodeTrainingImages.layer()))

const main = Effect.gen(function*() {
  const real = yield* Config.option(
    Config.all([
      Config.string("SCENARIO_SDK_API_KEY"),
      Config.string("SCENARIO_SDK_API_SECRET"),
      Config.string("SCENARIO_DEMO_MODEL_ID")
    ])
  )
  if (Option.isNone(real) && Option.isSome(yield* Config.option(Config.string("SCENARIO_MODEL_ID")))) {
    yield* Console.log(
      "SCENARIO_MODEL_ID is not used by the demo: it changes the model it runs on. To run it against the API, " +
        "set SCENARIO_DEMO_MODEL_ID to a model made for it."
    )
  }
  yield* Option.match(real, { onNone: () => againstEmulator, onSome: ([, , modelId]) => againstApi(modelId) })
  yield* Console.log("\nDone.")
})

NodeRuntime.runMain(main)

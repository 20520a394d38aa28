// The inspector's page in a browser (test-support's tests, shared with the other line) over this line's emulator
// and client.
import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import * as InspectorBrowser from "@effect-scenario/test-support/inspectorBrowser"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import * as vitest from "@effect/vitest"
import { Duration, Effect, Exit, Layer, ManagedRuntime, Scope } from "effect"
import { fileURLToPath } from "node:url"

const runtime = ManagedRuntime.make(
  ScenarioEmulator.layerTrainingImages({ retryPolicy: RetryPolicy.none }).pipe(
    Layer.provide(NodeHttpClient.layerUndici),
    Layer.provideMerge(ScenarioEmulator.layer({ models: InspectorBrowser.MODELS }))
  )
)
const run = <A, E>(effect: Effect.Effect<A, E, TrainingImages.TrainingImages | ScenarioEmulator.ScenarioEmulator>) =>
  runtime.runPromise(effect)
const images = <A, E>(f: (images: TrainingImages.TrainingImages["Type"]) => Effect.Effect<A, E>) =>
  run(Effect.flatMap(TrainingImages.TrainingImages, f))

const open = async (): Promise<InspectorBrowser.Line> => ({
  inspectorUrl: (await run(ScenarioEmulator.ScenarioEmulator)).inspectorUrl!,
  add: (input) => images((client) => client.add(input)),
  replacePairs: (input) => images((client) => client.replacePairs(input)),
  listed: async (modelId) => (await images((client) => client.list({ modelId }))).trainingImages.length,
  rateLimitedWaitMillis: async (modelId) => {
    const exit = await runtime.runPromiseExit(
      Effect.flatMap(TrainingImages.TrainingImages, (client) => client.list({ modelId }))
    )
    const failure = Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error : undefined
    vitest.expect(failure).toBeInstanceOf(TrainingImagesError.RateLimitError)
    const retryAfter = (failure as TrainingImagesError.RateLimitError).retryAfter
    return retryAfter === undefined ? undefined : Duration.toMillis(retryAfter)
  },
  modelIds: async () => Object.keys((await run(ScenarioEmulator.snapshot)).models),
  requestCount: async () => (await run(ScenarioEmulator.requests)).length,
  start: async (options) => {
    const scope = Effect.runSync(Scope.make())
    const started = await Effect.runPromise(Scope.extend(ScenarioEmulator.make(options), scope))
    return {
      inspectorUrl: started.inspectorUrl!,
      baseUrl: started.baseUrl,
      close: () => Effect.runPromise(Scope.close(scope, Exit.void))
    }
  },
  authorization: `Basic ${btoa(`${ScenarioEmulator.DEFAULT_API_KEY}:${ScenarioEmulator.DEFAULT_API_SECRET}`)}`
})

InspectorBrowser.register(vitest, {
  open,
  close: () => runtime.dispose(),
  screenshots: fileURLToPath(new URL("../../../.tmp/inspector/", import.meta.url))
})

// This line's ScenarioEmulator and client as promises, for the suites test-support holds (written once for both
// lines): `start` makes an emulator with the options given, and a client of it with no retries.
import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import type * as LineEmulator from "@effect-scenario/test-support/lineEmulator"
import * as RawRequest from "@effect-scenario/test-support/rawRequest"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { expect } from "@effect/vitest"
import { Duration, Effect, Layer, ManagedRuntime } from "effect"

export const start = async (options: LineEmulator.Options): Promise<LineEmulator.Emulator> => {
  const runtime = ManagedRuntime.make(
    ScenarioEmulator.layerTrainingImages({ retryPolicy: RetryPolicy.none }).pipe(
      Layer.provide(NodeHttpClient.layerUndici),
      // The seeds here are plain JSON, as a page would send them: the emulator checks them.
      Layer.provideMerge(ScenarioEmulator.layer(options as ScenarioEmulator.Options))
    )
  )
  const emulator = await runtime.runPromise(ScenarioEmulator.ScenarioEmulator)
  const images = <A, E>(f: (images: TrainingImages.TrainingImages["Type"]) => Effect.Effect<A, E>) =>
    runtime.runPromise(Effect.flatMap(TrainingImages.TrainingImages, f))
  return {
    host: emulator.host,
    port: emulator.port,
    baseUrl: emulator.baseUrl,
    inspectorUrl: emulator.inspectorUrl,
    authorization: RawRequest.basic(
      options.apiKey ?? ScenarioEmulator.DEFAULT_API_KEY,
      options.apiSecret ?? ScenarioEmulator.DEFAULT_API_SECRET
    ),
    client: {
      add: (input) => images((client) => client.add(input)),
      replace: (input) => images((client) => client.replace(input)),
      replacePairs: (input) => images((client) => client.replacePairs(input)),
      listed: async (modelId) =>
        (await images((client) => client.list({ modelId }))).trainingImages.map((image) => image.id),
      listFailure: async (modelId) => {
        const error = await images((client) => Effect.flip(client.list({ modelId })))
        expect(error).toBeInstanceOf(TrainingImagesError[error._tag])
        const retryAfter = "retryAfter" in error ? error.retryAfter : undefined
        return {
          tag: error._tag,
          retryAfterMillis: retryAfter === undefined ? undefined : Duration.toMillis(retryAfter)
        }
      }
    },
    models: async () => (await runtime.runPromise(emulator.snapshot)).models,
    requestCount: async () => (await runtime.runPromise(emulator.requests)).length,
    faultCounts: () => runtime.runPromise(emulator.faultCounts),
    delayNext: (millis) => runtime.runPromise(emulator.failNext(1, Fault.delay(millis))),
    seedRefusal: (models) =>
      runtime.runPromise(
        emulator.seed(models as ScenarioEmulator.Options["models"] & {}).pipe(
          Effect.as(undefined),
          Effect.catchAll((error) => Effect.succeed(error.message))
        )
      ),
    close: () => runtime.dispose()
  }
}

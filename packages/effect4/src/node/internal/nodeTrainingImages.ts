import type * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as TrainingImages from "../../TrainingImages.js"
import type * as NodeTrainingImages from "../NodeTrainingImages.js"
import * as UndiciHttpClient from "./undiciHttpClient.js"

/** @internal */
export const make = (
  options: NodeTrainingImages.Options
): Effect.Effect<TrainingImages.Service, Config.ConfigError, Scope.Scope> =>
  Effect.flatMap(
    UndiciHttpClient.makeDispatcher(options.pool),
    (dispatcher) =>
      Effect.provideService(TrainingImages.make(options), HttpClient.HttpClient, UndiciHttpClient.make(dispatcher))
  )

/** @internal */
export const layer = (
  options?: NodeTrainingImages.Options
): Layer.Layer<TrainingImages.TrainingImages, Config.ConfigError> =>
  options === undefined
    ? layerConfig()
    : Layer.provide(TrainingImages.layer(options), UndiciHttpClient.layer(options.pool))

/** @internal */
export const layerConfig = (
  options?: NodeTrainingImages.ConfigOptions
): Layer.Layer<TrainingImages.TrainingImages, Config.ConfigError> =>
  Layer.provide(TrainingImages.layerConfig(options), UndiciHttpClient.layer(options?.pool))

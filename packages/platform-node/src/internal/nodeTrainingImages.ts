import * as TrainingImages from "@effect-scenario/core/TrainingImages"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as NodeTrainingImages from "../NodeTrainingImages.js"
import * as UndiciHttpClient from "./undiciHttpClient.js"

/** @internal */
export const make = (
  options: NodeTrainingImages.Options
): Effect.Effect<TrainingImages.Service, ConfigError.ConfigError, Scope.Scope> =>
  Effect.flatMap(
    UndiciHttpClient.makeDispatcher(options.pool),
    (dispatcher) =>
      Effect.provideService(TrainingImages.make(options), HttpClient.HttpClient, UndiciHttpClient.make(dispatcher))
  )

/** @internal */
export const layer = (
  options?: NodeTrainingImages.Options
): Layer.Layer<TrainingImages.TrainingImages, ConfigError.ConfigError> =>
  options === undefined
    ? layerConfig()
    : Layer.provide(TrainingImages.layer(options), UndiciHttpClient.layer(options.pool))

/** @internal */
export const layerConfig = (
  options?: NodeTrainingImages.ConfigOptions
): Layer.Layer<TrainingImages.TrainingImages, ConfigError.ConfigError> =>
  Layer.provide(TrainingImages.layerConfig(options), UndiciHttpClient.layer(options?.pool))

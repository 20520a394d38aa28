/**
 * The `TrainingImages` service ready to use on Node: the Effect 4 line's client over `UndiciHttpClient`.
 *
 * ```ts
 * import { TrainingImages } from "@effect-scenario/effect4"
 * import { NodeTrainingImages } from "@effect-scenario/effect4/node"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const images = yield* TrainingImages.TrainingImages
 *   return yield* images.list({ modelId: "model_123" })
 * })
 *
 * // Credentials from SCENARIO_SDK_API_KEY and SCENARIO_SDK_API_SECRET, the base URL from
 * // SCENARIO_SDK_BASE_URL when set.
 * program.pipe(Effect.provide(NodeTrainingImages.layer()))
 * ```
 *
 * @since 0.1.0
 */
import type * as Config from "effect/Config"
import type * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as TrainingImages from "../TrainingImages.js"
import * as internal from "./internal/nodeTrainingImages.js"
import type * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * The client's options, plus the sizing of the connection pool.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends TrainingImages.Options {
  readonly pool?: UndiciHttpClient.PoolOptions | undefined
}

/**
 * Where `layerConfig` reads each option from (see `TrainingImages.layerConfig`), plus the sizing of
 * the connection pool.
 *
 * @since 0.1.0
 * @category models
 */
export type ConfigOptions = NonNullable<Parameters<typeof TrainingImages.layerConfig>[0]> & {
  readonly pool?: UndiciHttpClient.PoolOptions | undefined
}

/**
 * The service over a connection pool of its own, closed with the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<TrainingImages.Service, Config.ConfigError, Scope.Scope> =
  internal.make

/**
 * The service with the options given; without options, everything comes from the environment as in
 * `layerConfig()`: credentials from `SCENARIO_SDK_API_KEY` and `SCENARIO_SDK_API_SECRET` (a missing one
 * fails the layer with a `ConfigError` naming it), the base URL from `SCENARIO_SDK_BASE_URL` when set.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options?: Options) => Layer.Layer<TrainingImages.TrainingImages, Config.ConfigError> =
  internal.layer

/**
 * The service with its options read from `Config`, by default from the environment.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: (
  options?: ConfigOptions
) => Layer.Layer<TrainingImages.TrainingImages, Config.ConfigError> = internal.layerConfig

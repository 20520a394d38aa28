import { TrainingImages } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import type { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, Layer, type Scope } from "effect"
import { TRANSPORTS } from "../../../contract/nodeTransport.js"

/** Builds the service over one transport, for the suites that run the same checks over each. */
export type Build = (options: TrainingImages.Options) => Effect.Effect<TrainingImages.Service, unknown, Scope.Scope>

/** Core's client over the transport given. */
export const over = (transport: Layer.Layer<HttpClient.HttpClient>): Build => (options) =>
  Effect.flatMap(Layer.build(transport), (context) => Effect.provide(TrainingImages.make(options), context))

/** The Node transports: this package's, and the two of `@effect/platform-node`. */
export const nodeTransports: ReadonlyArray<readonly [string, Build]> = [
  [TRANSPORTS.library, NodeTrainingImages.make],
  [TRANSPORTS.undici, over(NodeHttpClient.layerUndici)],
  [TRANSPORTS.nodeHttp.effect3, over(NodeHttpClient.layer)]
]

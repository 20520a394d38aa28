import { NodeTrainingImages } from "@effect-scenario/effect4/node"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Layer, type Scope } from "effect"
import type { HttpClient } from "effect/http"
import { TRANSPORTS } from "../../../../contract/nodeTransport.js"
import * as TrainingImages from "../../src/TrainingImages.js"

/** Builds the service over one transport, for the suites that run the same checks over each. */
export type Build = (options: TrainingImages.Options) => Effect.Effect<TrainingImages.Service, unknown, Scope.Scope>

/** The Effect 4 line's client over the transport given. */
export const over = (transport: Layer.Layer<HttpClient.HttpClient>): Build => (options) =>
  Effect.flatMap(Layer.build(transport), (context) => Effect.provide(TrainingImages.make(options), context))

/** The Node transports: this line's, and the two of `@effect/platform-node`. */
export const nodeTransports: ReadonlyArray<readonly [string, Build]> = [
  [TRANSPORTS.library, NodeTrainingImages.make],
  [TRANSPORTS.undici, over(NodeHttpClient.layerUndici)],
  [TRANSPORTS.nodeHttp.effect4, over(NodeHttpClient.layerNodeHttp)]
]

/**
 * A local HTTP emulator of Scenario's training-images API, for tests that exercise a real transport: it
 * listens on 127.0.0.1 (a free port by default), serves the documented endpoints under `/v1` from the same
 * in-memory store as `TrainingImagesTest`, checks Basic and Bearer credentials, validates requests as the
 * server does, records every request as received, and injects faults (scripted or seeded-random): 429 with
 * `Retry-After`, 5xx, slow responses, connections dropped before or after the change is applied.
 *
 * Node only: it is not exported from the package index. Import it as
 * `@effect-scenario/effect4/testing/ScenarioEmulator`.
 *
 * The `ScenarioEmulator` tag and `layer` show it at work.
 *
 * From a terminal: `npx scenario-emulator --port 4010` (see `--help`).
 *
 * @since 0.1.0
 */
import * as Server from "@effect-scenario/emulator/Server"
import type * as Config from "effect/Config"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import type * as HttpServerError from "effect/http/HttpServerError"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Credentials from "../Credentials.js"
import type * as RetryPolicy from "../RetryPolicy.js"
import * as TrainingImages from "../TrainingImages.js"
import type * as TrainingImagesError from "../TrainingImagesError.js"
import type * as Fault from "./Fault.js"
import * as internal from "./internal/emulator.js"
import type * as TrainingImagesTest from "./TrainingImagesTest.js"

/**
 * One request as the emulator received it. The `Authorization` header is never recorded.
 *
 * @since 0.1.0
 * @category inspection
 */
export type RecordedRequest = Server.RecordedRequest

/**
 * A request to the download origin, with its headers.
 *
 * @since 0.4.0
 * @category models
 */
export type RecordedDownload = Server.RecordedDownload

/**
 * The options of `make` and `layer`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /**
   * Defaults to `127.0.0.1`. On a loopback address the API and the inspector answer only requests whose `Host`
   * is a loopback name (`localhost`, `127.x.x.x`, `[::1]`, with the emulator's port or none); any other is
   * answered 403 with the reason, so that a web page cannot reach the emulator through a name of its own
   * that resolves to 127.0.0.1 (DNS rebinding).
   */
  readonly host?: string | undefined
  /** Defaults to 0: a free port, read back from `port` and `baseUrl`. */
  readonly port?: number | undefined
  /** The Basic credentials accepted. Default `DEFAULT_API_KEY` and `DEFAULT_API_SECRET`. */
  readonly apiKey?: string | undefined
  readonly apiSecret?: string | undefined
  /** The Bearer token accepted. Default `DEFAULT_BEARER_TOKEN`. */
  readonly bearerToken?: string | undefined
  /** The models present from the start (and after `reset`). */
  readonly models?: TrainingImagesTest.Seed | undefined
  /** Random faults from the start. */
  readonly faults?: Fault.RandomFaults | undefined
  /**
   * How long an added image stays out of `GET /models/{modelId}`'s `trainingImages` (eventual consistency:
   * the API promises no read-after-write), in real time; the inspector and `snapshot` see it at once. Also
   * `scenario-emulator --list-lag`. Default: none.
   *
   * @since 0.3.0
   */
  readonly listLag?: Duration.Input | undefined
  /**
   * The port of the download origin that serves each stored image at its `downloadUrl` (another listener on
   * `host`, which asks for no credentials). Defaults to 0: a free port, read back from `downloadUrl`.
   *
   * @since 0.4.0
   */
  readonly downloadPort?: number | undefined
  /**
   * The largest request body accepted, in bytes; a larger one is answered 413 `{"message":"Request Too
   * Long"}` as API Gateway does. Defaults to 10,485,760, API Gateway's limit.
   */
  readonly maxBodySize?: number | undefined
  /**
   * The largest body of a request to the inspector's control API (a seed as JSON), in bytes; a larger one is
   * answered 413 with the reason, after its body is read and discarded. Defaults to 1,048,576 (1 MiB): enough
   * for seeds written by hand; a seed with much inline image data is better given in code.
   *
   * @since 0.2.0
   */
  readonly maxSeedBytes?: number | undefined
  /**
   * The most training images one seed may create, over all its models (the initial models, `seed`, and the
   * inspector's seed, answered 400 with the reason). Defaults to 10,000: every image is kept and shown by the
   * inspector, so a seed of millions would hold the emulator for as long as it runs.
   *
   * @since 0.2.0
   */
  readonly maxSeedImages?: number | undefined
  /**
   * The most inspector event streams open at once (`GET /inspector/api/events`, one per open page); one more
   * is answered 503 and its page polls the state every second instead. Defaults to 100. An open stream costs
   * a socket and nothing else: it is written to on a change only (at most every 100 ms), and a comment every
   * 15 seconds.
   *
   * @since 0.2.0
   */
  readonly maxEventStreams?: number | undefined
  /**
   * Serve the inspector page at `/` (default `true`): the models with their images as thumbnails, the pairs,
   * the request log live, and controls to inject faults, reset and seed. Its page and JSON need no
   * credentials while the emulator listens on loopback; on any other address they ask for the API's.
   *
   * @since 0.2.0
   */
  readonly inspector?: boolean | undefined
  /** Called with each request once it is answered (or dropped): for logging. */
  readonly onRequest?: ((request: RecordedRequest) => Effect.Effect<void>) | undefined
}

/**
 * The running emulator and its controls.
 *
 * @since 0.1.0
 * @category models
 */
export interface Control {
  /** `http://127.0.0.1:<port>/v1`: give it to `TrainingImages.layer({ baseUrl })`. */
  readonly baseUrl: string
  /**
   * `http://127.0.0.1:<port>/`: the inspector page, to open in a browser; `undefined` when it is turned off.
   *
   * @since 0.2.0
   */
  readonly inspectorUrl: string | undefined
  readonly host: string
  readonly port: number
  /**
   * `http://127.0.0.1:<download port>/assets`: where the stored images are served, each at this and its id
   * (its `downloadUrl`): the bytes it was added with, or a placeholder PNG for an image added by asset id.
   * Another origin than `baseUrl`.
   *
   * @since 0.4.0
   */
  readonly downloadUrl: string
  /** Basic credentials the emulator accepts. */
  readonly credentials: Credentials.Credentials
  /** Bearer credentials the emulator accepts. */
  readonly bearerCredentials: Credentials.Credentials
  readonly snapshot: Effect.Effect<TrainingImagesTest.Snapshot>
  readonly model: (modelId: string) => Effect.Effect<Option.Option<TrainingImagesTest.ModelState>>
  /**
   * Creates the models given, replacing any with the same id; a seed with a problem, or with more images
   * than `maxSeedImages`, fails with `InvalidSeedError`.
   */
  readonly seed: (models: TrainingImagesTest.Seed) => Effect.Effect<void, TrainingImagesTest.InvalidSeedError>
  /** Every request answered or dropped, oldest first. */
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /**
   * Every request to the download origin, oldest first, with the headers it came with.
   *
   * @since 0.4.0
   */
  readonly downloads: Effect.Effect<ReadonlyArray<RecordedDownload>>
  /**
   * The next `count` requests to the download origin are answered 503, nothing served.
   *
   * @since 0.4.0
   */
  readonly failNextDownloads: (count: number) => Effect.Effect<void>
  /**
   * The next `count` authenticated requests (of `operation` only, when given) meet `fault`. Scripted faults
   * come before random ones, in the order they were given.
   */
  readonly failNext: (
    count: number,
    fault: Fault.Fault,
    options?: { readonly operation?: TrainingImagesError.Operation | undefined }
  ) => Effect.Effect<void>
  /** Replaces the random faults (reseeding them); `undefined` turns them off. */
  readonly setFaults: (faults: Fault.RandomFaults | undefined) => Effect.Effect<void>
  /** How many faults of each kind (`Fault.kind`) were injected. */
  readonly faultCounts: Effect.Effect<Readonly<Record<string, number>>>
  /**
   * Sets the list lag (see `Options.listLag`), for the images already added too; `undefined` turns it off:
   * every image is listed at once.
   *
   * @since 0.3.0
   */
  readonly setListLag: (lag: Duration.Input | undefined) => Effect.Effect<void>
  /** Back to the initial models, faults and list lag, the request log emptied, counters at zero. */
  readonly reset: Effect.Effect<void>
}

/**
 * The running emulator in context: its `baseUrl` and credentials, and its controls (seed, inspect, inject
 * faults, reset). Provided by `layer`.
 *
 * @example
 * ```ts
 * import { TrainingImages } from "@effect-scenario/effect4"
 * import { Fault } from "@effect-scenario/effect4/testing"
 * import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const emulator = yield* ScenarioEmulator.ScenarioEmulator
 *   yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: 0 }))
 *   const images = yield* TrainingImages.TrainingImages
 *   yield* images.add({ modelId: "model_1", assetId: "asset_1" }) // 429, then retried and stored
 *   return yield* emulator.requests
 * })
 *
 * // The client over a real transport, pointed at the emulator with the emulator's credentials:
 * const TrainingImagesLive = ScenarioEmulator.layerTrainingImages().pipe(Layer.provide(NodeHttpClient.layerUndici))
 * // which is the same as, by hand:
 * //   Layer.unwrap(Effect.map(ScenarioEmulator.ScenarioEmulator, (emulator) =>
 * //     TrainingImages.layer({ baseUrl: emulator.baseUrl, credentials: emulator.credentials })))
 *
 * program.pipe(
 *   Effect.provide(TrainingImagesLive.pipe(Layer.provideMerge(ScenarioEmulator.layer({ models: { model_1: {} } }))))
 * )
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class ScenarioEmulator extends Context.Service<ScenarioEmulator, Control>()(
  "@effect-scenario/effect4/testing/ScenarioEmulator"
) {}

/**
 * The API key of the Basic credentials the emulator accepts by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_API_KEY: typeof Server.DEFAULT_API_KEY = Server.DEFAULT_API_KEY

/**
 * The API secret of the Basic credentials the emulator accepts by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_API_SECRET: typeof Server.DEFAULT_API_SECRET = Server.DEFAULT_API_SECRET

/**
 * The Bearer token the emulator accepts by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BEARER_TOKEN: typeof Server.DEFAULT_BEARER_TOKEN = Server.DEFAULT_BEARER_TOKEN

/**
 * Starts the emulator; it stops when the scope closes, cutting any connection still open.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options?: Options
) => Effect.Effect<Control, HttpServerError.ServeError | TrainingImagesTest.InvalidSeedError, Scope.Scope> = (
  options
) =>
  internal.make({
    ...options,
    apiKey: options?.apiKey ?? DEFAULT_API_KEY,
    apiSecret: options?.apiSecret ?? DEFAULT_API_SECRET,
    bearerToken: options?.bearerToken ?? DEFAULT_BEARER_TOKEN
  })

/**
 * Starts the emulator for the layer's scope (127.0.0.1, a free port unless `port` is given) and provides
 * `ScenarioEmulator`. Combine with `layerTrainingImages` for a client pointed at it.
 *
 * @example
 * ```ts
 * import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 *
 * const EmulatorLive = ScenarioEmulator.layer({ models: { model_1: { status: "trained" } } })
 * const TrainingImagesLive = ScenarioEmulator.layerTrainingImages().pipe(
 *   Layer.provide(NodeHttpClient.layerUndici),
 *   Layer.provideMerge(EmulatorLive)
 * )
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<ScenarioEmulator, HttpServerError.ServeError | TrainingImagesTest.InvalidSeedError> =>
  Layer.effect(ScenarioEmulator, make(options))

/**
 * The HTTP `TrainingImages` service pointed at the emulator in context, with its Basic (default) or Bearer
 * credentials. The transport is the `HttpClient` provided.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerTrainingImages = (options?: {
  readonly auth?: "basic" | "bearer" | undefined
  readonly timeout?: Duration.Input | undefined
  readonly retryPolicy?: RetryPolicy.RetryPolicy | undefined
}): Layer.Layer<TrainingImages.TrainingImages, Config.ConfigError, ScenarioEmulator | HttpClient.HttpClient> =>
  Layer.unwrap(
    Effect.map(ScenarioEmulator, (emulator) =>
      TrainingImages.layer({
        baseUrl: emulator.baseUrl,
        credentials: options?.auth === "bearer" ? emulator.bearerCredentials : emulator.credentials,
        timeout: options?.timeout,
        retryPolicy: options?.retryPolicy
      }))
  )

/**
 * Every request the emulator answered or dropped, oldest first, as received (raw path, status, fault).
 *
 * @since 0.1.0
 * @category accessors
 */
export const requests: Effect.Effect<ReadonlyArray<RecordedRequest>, never, ScenarioEmulator> = Effect.flatMap(
  ScenarioEmulator,
  (emulator) => emulator.requests
)

/**
 * The emulator's stored models, images and pairs.
 *
 * @since 0.1.0
 * @category accessors
 */
export const snapshot: Effect.Effect<TrainingImagesTest.Snapshot, never, ScenarioEmulator> = Effect.flatMap(
  ScenarioEmulator,
  (emulator) => emulator.snapshot
)

/**
 * The next `count` authenticated requests (of `operation` only, when given) meet `fault`.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-scenario/effect4/testing"
 * import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
 *
 * const rateLimited = ScenarioEmulator.failNext(1, Fault.rateLimited({ retryAfter: "1 second" }), { operation: "add" })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const failNext = (
  count: number,
  fault: Fault.Fault,
  options?: { readonly operation?: TrainingImagesError.Operation | undefined }
): Effect.Effect<void, never, ScenarioEmulator> =>
  Effect.flatMap(ScenarioEmulator, (emulator) => emulator.failNext(count, fault, options))

/**
 * Replaces the emulator's random faults (reseeding them); `undefined` turns them off.
 *
 * @since 0.1.0
 * @category accessors
 */
export const setFaults = (faults: Fault.RandomFaults | undefined): Effect.Effect<void, never, ScenarioEmulator> =>
  Effect.flatMap(ScenarioEmulator, (emulator) => emulator.setFaults(faults))

/**
 * How many faults of each kind the emulator injected.
 *
 * @since 0.1.0
 * @category accessors
 */
export const faultCounts: Effect.Effect<Readonly<Record<string, number>>, never, ScenarioEmulator> = Effect.flatMap(
  ScenarioEmulator,
  (emulator) => emulator.faultCounts
)

/**
 * Creates the models given in the emulator, replacing any with the same id; a bad seed fails with
 * `InvalidSeedError`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const seed = (
  models: TrainingImagesTest.Seed
): Effect.Effect<void, TrainingImagesTest.InvalidSeedError, ScenarioEmulator> =>
  Effect.flatMap(ScenarioEmulator, (emulator) => emulator.seed(models))

/**
 * Puts the emulator back to its initial models and faults, its request log emptied.
 *
 * @since 0.1.0
 * @category accessors
 */
export const reset: Effect.Effect<void, never, ScenarioEmulator> = Effect.flatMap(
  ScenarioEmulator,
  (emulator) => emulator.reset
)

/**
 * The `TrainingImages` service: add, replace, replacePairs, delete and list the training images of a
 * Scenario model, over any `HttpClient`.
 *
 * ```ts
 * import { TrainingImages } from "@effect-scenario/core"
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const images = yield* TrainingImages.TrainingImages
 *   const image = yield* images.add({ modelId: "model_123", assetId: "asset_456" })
 *   yield* images.replacePairs({ modelId: "model_123", pairs: [] })
 *   return image
 * })
 *
 * program.pipe(
 *   Effect.provide(TrainingImages.layerConfig().pipe(Layer.provide(FetchHttpClient.layer)))
 * )
 * ```
 *
 * @since 0.1.0
 */
import * as Environment from "@effect-scenario/kernel/Environment"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import type * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Credentials from "./Credentials.js"
import * as internal from "./internal/client.js"
import type * as RetryPolicy from "./RetryPolicy.js"
import type * as TrainingImage from "./TrainingImage.js"
import type {
  AddError,
  DeleteError,
  InvalidRequestError,
  ListError,
  Operation,
  ReplaceError,
  ReplacePairsError
} from "./TrainingImagesError.js"

/**
 * Every implementation (the HTTP client, the in-memory fake) is checked against this interface. Each method
 * takes one params object, checks it before anything is sent (`InvalidRequestError`), and lists in its type
 * exactly the errors it can raise.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** `POST /models/{modelId}/training-images`. Retried only when the request surely did not take effect. */
  readonly add: (params: TrainingImage.AddParams) => Effect.Effect<TrainingImage.TrainingImage, AddError>
  /** `PUT /models/{modelId}/training-images/{trainingImageId}`. */
  readonly replace: (params: TrainingImage.ReplaceParams) => Effect.Effect<TrainingImage.TrainingImage, ReplaceError>
  /** `PUT /models/{modelId}/training-images/pairs`: replaces all pairs of the model. */
  readonly replacePairs: (
    params: TrainingImage.ReplacePairsParams
  ) => Effect.Effect<TrainingImage.ReplacePairsResult, ReplacePairsError>
  /** `DELETE /models/{modelId}/training-images/{trainingImageId}`. */
  readonly delete: (params: TrainingImage.DeleteParams) => Effect.Effect<void, DeleteError>
  /** `GET /models/{modelId}`, decoding only its training-image fields. */
  readonly list: (params: TrainingImage.ListParams) => Effect.Effect<TrainingImage.ModelTrainingImages, ListError>
  /**
   * The request limit this service refuses bodies over (its `maxRequestBytes`), when it has one: `TrainingSet`
   * judges an image's size against it (or the `maxRequestBytes` of `withRequestOptions` in force) before
   * reading the image. Unset, `DEFAULT_MAX_REQUEST_BYTES` is assumed.
   *
   * @since 0.3.0
   */
  readonly maxRequestBytes?: number | undefined
}

/**
 * The training-images service: `add`, `replace`, `replacePairs`, `delete` and `list`. Provide it with
 * `layer` / `layerConfig` (over an `HttpClient`), `NodeTrainingImages` from `@effect-scenario/platform-node`,
 * or the fake from `@effect-scenario/testing`.
 *
 * @example
 * ```ts
 * import { TrainingImages } from "@effect-scenario/core"
 * import { Effect } from "effect"
 *
 * const count = (modelId: string) =>
 *   Effect.gen(function*() {
 *     const images = yield* TrainingImages.TrainingImages
 *     const model = yield* images.list({ modelId })
 *     return model.trainingImagesNumber
 *   })
 * ```
 *
 * @since 0.1.0
 * @category tags
 */
export class TrainingImages extends Context.Tag("@effect-scenario/core/TrainingImages")<TrainingImages, Service>() {}

/**
 * The options of `make` and `layer`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Basic (API key + secret) or Bearer; see `Credentials`. */
  readonly credentials: Credentials.Credentials
  /** Defaults to `https://api.cloud.scenario.com/v1`. */
  readonly baseUrl?: string | URL | undefined
  /** The time one attempt may take, response body included. Defaults to 60 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Defaults to `RetryPolicy.defaultPolicy`. */
  readonly retryPolicy?: RetryPolicy.RetryPolicy | undefined
  /**
   * Credentials are never sent over plain `http://` to a host other than loopback unless this is `true`:
   * building the service fails with a `ConfigError` instead.
   */
  readonly allowInsecureHttp?: boolean | undefined
  /**
   * The largest JSON body sent, in bytes: a call whose body is larger fails with an `InvalidRequestError`
   * before sending. Defaults to `DEFAULT_MAX_REQUEST_BYTES`, API Gateway's limit.
   *
   * @since 0.2.0
   */
  readonly maxRequestBytes?: number | undefined
  /**
   * The largest response body read, in bytes, counted as the body arrives (after any decompression the
   * transport does). Past it the call fails at once with a `ResponseTooLargeError` and the connection is
   * closed. Defaults to `DEFAULT_MAX_RESPONSE_BYTES` (32 MiB).
   *
   * @since 0.2.0
   */
  readonly maxResponseBytes?: number | undefined
}

/**
 * Overrides for the calls inside one effect; see `withRequestOptions`.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  readonly timeout?: Duration.DurationInput | undefined
  readonly retryPolicy?: RetryPolicy.RetryPolicy | undefined
  /**
   * Overrides the layer's `maxRequestBytes` for these calls.
   *
   * @since 0.2.0
   */
  readonly maxRequestBytes?: number | undefined
  /**
   * Overrides the layer's `maxResponseBytes` for these calls.
   *
   * @since 0.2.0
   */
  readonly maxResponseBytes?: number | undefined
}

/**
 * The default base URL.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL: string = internal.DEFAULT_BASE_URL

/**
 * The default largest response body, in bytes: 32 MiB, far above the largest `list` of a model.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_MAX_RESPONSE_BYTES: number = internal.DEFAULT_MAX_RESPONSE_BYTES

/**
 * The default timeout of one attempt.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_TIMEOUT: Duration.Duration = internal.DEFAULT_TIMEOUT

/**
 * The default request limit: 10,485,760 bytes, the body size API Gateway's REST APIs accept (larger bodies
 * are answered 413). A data URL is base64, 4/3 of the image's bytes, so images above about 7.5 MiB do not
 * fit.
 *
 * @since 0.2.0
 * @category constants
 */
export const DEFAULT_MAX_REQUEST_BYTES: number = internal.DEFAULT_MAX_REQUEST_BYTES

/**
 * The user agent sent with every request.
 *
 * @since 0.1.0
 * @category constants
 */
export const USER_AGENT: string = internal.USER_AGENT

/**
 * The environment variable `layerConfig` reads the base URL from.
 *
 * @since 0.1.0
 * @category constants
 */
export const BASE_URL_VARIABLE = Environment.BASE_URL_VARIABLE

/**
 * Builds the service over the `HttpClient` in context. Fails with a `ConfigError` when the base URL is not
 * an http(s) URL, embeds credentials, or is plain http to a host other than loopback without
 * `allowInsecureHttp`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options: Options) => Effect.Effect<Service, ConfigError.ConfigError, HttpClient.HttpClient> =
  internal.make

/**
 * The service from explicit options, over the `HttpClient` provided (any transport: Node, fetch, your own
 * middleware). Fails with a `ConfigError` on a base URL it refuses (not http(s), or plain http to a host
 * other than loopback without `allowInsecureHttp`).
 *
 * @example
 * ```ts
 * import { FetchHttpClient } from "@effect/platform"
 * import { Credentials, TrainingImages } from "@effect-scenario/core"
 * import { Layer, Redacted } from "effect"
 *
 * const ScenarioLive = TrainingImages.layer({
 *   credentials: Credentials.bearer(Redacted.make("my-token")),
 *   timeout: "30 seconds"
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options): Layer.Layer<TrainingImages, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(TrainingImages, make(options))

/**
 * The service with its options read from `Config`. By default: Basic credentials from
 * `SCENARIO_SDK_API_KEY` and `SCENARIO_SDK_API_SECRET` (a missing one fails the layer with a `ConfigError`
 * that names it) and the base URL from `SCENARIO_SDK_BASE_URL` when set.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (options?: {
  readonly credentials?: Config.Config<Credentials.Credentials> | undefined
  readonly baseUrl?: Config.Config<string> | undefined
  readonly timeout?: Config.Config<Duration.Duration> | undefined
  readonly retryPolicy?: RetryPolicy.RetryPolicy | undefined
  readonly allowInsecureHttp?: Config.Config<boolean> | undefined
  /** See `Options.maxRequestBytes` (since 0.2.0). */
  readonly maxRequestBytes?: number | undefined
  /** See `Options.maxResponseBytes` (since 0.2.0). */
  readonly maxResponseBytes?: number | undefined
}): Layer.Layer<TrainingImages, ConfigError.ConfigError, HttpClient.HttpClient> => {
  const config = Config.all({
    credentials: options?.credentials ?? Credentials.basicConfig(),
    baseUrl: Config.option(options?.baseUrl ?? Config.string(BASE_URL_VARIABLE)),
    timeout: options?.timeout === undefined ? Config.succeed(Option.none()) : Config.option(options.timeout),
    allowInsecureHttp: options?.allowInsecureHttp ?? Config.succeed(false)
  }).pipe(
    Config.mapOrFail((c) => {
      const baseUrl = Option.getOrUndefined(c.baseUrl)
      return Either.map(
        internal.checkBaseUrl(baseUrl, c.allowInsecureHttp, BASE_URL_VARIABLE),
        (checked): Options => ({
          credentials: c.credentials,
          baseUrl: checked,
          timeout: Option.getOrUndefined(c.timeout),
          retryPolicy: options?.retryPolicy,
          allowInsecureHttp: c.allowInsecureHttp,
          maxRequestBytes: options?.maxRequestBytes,
          maxResponseBytes: options?.maxResponseBytes
        })
      )
    })
  )
  return Layer.effect(TrainingImages, Effect.flatMap(config, make))
}

/**
 * Per-call overrides of the timeout and the retry policy for every call made inside `self`, without
 * rebuilding the layer. Nested overrides merge, the innermost winning.
 *
 * @example
 * ```ts
 * import { RetryPolicy, TrainingImages } from "@effect-scenario/core"
 * import { Effect } from "effect"
 *
 * const listOnce = (modelId: string) =>
 *   Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId })).pipe(
 *     TrainingImages.withRequestOptions({ timeout: "5 seconds", retryPolicy: RetryPolicy.none })
 *   )
 * ```
 *
 * @since 0.1.0
 * @category request options
 */
export const withRequestOptions: {
  (options: RequestOptions): <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  <A, E, R>(self: Effect.Effect<A, E, R>, options: RequestOptions): Effect.Effect<A, E, R>
} = internal.withRequestOptions

/**
 * The overrides in force, as a `FiberRef` (for `Effect.locally`, or a `Layer` that sets them for a whole
 * program with `Layer.locallyScoped`).
 *
 * @since 0.1.0
 * @category request options
 */
export const currentRequestOptions: FiberRef.FiberRef<RequestOptions> = internal.currentRequestOptions

/**
 * The size in bytes of the JSON body sent for validated params of `operation` (0 for `delete` and `list`),
 * and the refusal of a body over `limit`: the check the client makes before sending, for other
 * implementations of the service (the in-memory fake) to make the same way.
 *
 * @since 0.2.0
 * @category request options
 */
export const checkRequestSize = (
  operation: Operation,
  params: unknown,
  limit: number = DEFAULT_MAX_REQUEST_BYTES
): InvalidRequestError | undefined =>
  internal.checkRequestSize(operation, internal.requestBodySize(operation, params), limit)

/**
 * How requests authenticate: Basic from an API key and secret, or a Bearer token. Every secret is
 * `Redacted` from the moment it is read, so it never shows in logs, errors, spans or inspected objects.
 *
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"

/**
 * Where each operation goes on the wire: its HTTP method, its path (ids percent-encoded so that none can
 * leave its own segment) and its query. Shared by the HTTP client, the in-memory fake (so both describe a
 * request the same way in errors) and the emulator. The rules themselves live in `@effect-scenario/kernel`
 * (`Endpoint`), shared with every binding; this module is that one, as it was.
 *
 * | operation    | method | path                                                |
 * |--------------|--------|-----------------------------------------------------|
 * | add          | POST   | /models/{modelId}/training-images                   |
 * | replacePairs | PUT    | /models/{modelId}/training-images/pairs             |
 * | replace      | PUT    | /models/{modelId}/training-images/{trainingImageId} |
 * | delete       | DELETE | /models/{modelId}/training-images/{trainingImageId} |
 * | list         | GET    | /models/{modelId}                                   |
 *
 * @since 0.1.0
 */
export * as Endpoint from "./Endpoint.js"

/**
 * Which failures are retried, and when. A `RetryPolicy` is a plain value: read it, change a field, give it
 * to a layer (`TrainingImages.layer({ retryPolicy })`) or to one call (`TrainingImages.withRequestOptions`).
 *
 * The default follows the Stainless runtime of the official SDK: 2 retries, backoff from 0.5 s doubling to at
 * most 8 s with jitter; `x-should-retry` decides first; connection errors, timeouts, 408, 409, 429 and 5xx are
 * retried; the wait the server asks for (`retry-after-ms`, `retry-after`) replaces the backoff when it is
 * within `maxRetryAfter` (60 s), and a longer one is not slept through: the error surfaces with it.
 *
 * Unlike that runtime it does not retry a POST blindly: Scenario documents no idempotency key, so `add` is
 * retried only when the request surely did not take effect.
 *
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"

/**
 * Schemas for everything that crosses the wire: the training images and pairs the API returns, and the
 * params of each `TrainingImages` operation.
 *
 * Responses decode tolerantly (unknown fields are dropped) but strictly where the types promise something: a
 * missing required field is a decode error. Params are checked before any request is sent.
 *
 * @since 0.1.0
 */
export * as TrainingImage from "./TrainingImage.js"

/**
 * The `TrainingImages` service: add, replace, replacePairs, delete and list the training images of a
 * Scenario model, over any `HttpClient`.
 *
 * ```ts
 * import { TrainingImages } from "@effect-scenario/effect4"
 * import { FetchHttpClient } from "effect/http"
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
export * as TrainingImages from "./TrainingImages.js"

/**
 * The typed errors of the `TrainingImages` service. Each names the operation, method and URL (never
 * credentials); the errors that come from a response also carry its status, headers, body (opaque JSON, or
 * text) and request id. The status errors keep the names of the Stainless runtime the official SDK uses.
 *
 * @since 0.1.0
 */
export * as TrainingImagesError from "./TrainingImagesError.js"

/**
 * The checks every `TrainingImages` implementation runs on its params before doing anything: the HTTP client
 * before sending, the in-memory fake before touching its store. Each returns the params, or the
 * `InvalidRequestError` that lists every problem found.
 *
 * @since 0.1.0
 */
export * as Validate from "./Validate.js"

/**
 * How a response of the API becomes a value or a typed error: the decoded body of a 2xx, else the error of
 * its status (with its body, request id and requested wait). The HTTP client and the in-memory fake both
 * answer through it, so they cannot drift apart.
 *
 * @since 0.1.0
 */
export * as ApiResponse from "./ApiResponse.js"

/**
 * A folder of images (and, maybe, before/after pairs) kept as a model's training set: `plan` computes what
 * must change as a value (printable, JSON-encodable, testable without I/O), `apply` carries it out with
 * bounded concurrency, one pace for the whole run, reconciliation of adds whose outcome is unknown, and a
 * report where every planned item has exactly one outcome. Works over any `TrainingImages`: HTTP or the fake.
 *
 * ```ts
 * import { TrainingSet } from "@effect-scenario/effect4"
 * import { Effect } from "effect"
 *
 * const sync = Effect.gen(function*() {
 *   const images = yield* TrainingSet.readFolder("./images")
 *   const plan = yield* TrainingSet.plan({ modelId: "model_123", images, deleteOthers: true })
 *   const report = yield* TrainingSet.apply(plan, images, { concurrency: 8 })
 *   return TrainingSet.isSuccess(report)
 * })
 * ```
 *
 * @since 0.2.0
 */
export * as TrainingSet from "./TrainingSet.js"

/**
 * The hook through which a training set sends an image over the request limit anyway: a fitter downscales or
 * recompresses the image's bytes, in memory, until they fit the budget it is given. The source is never
 * touched. The library holds no image codec: a fitter is given to `TrainingSet.plan` and `TrainingSet.apply` (the
 * command line's `--fit` gives one built on sharp).
 *
 * ```ts
 * import { ImageFitter, TrainingSet } from "@effect-scenario/effect4"
 * import { Effect } from "effect"
 *
 * // A fitter that gives up: any fitter is checked the same way (its result must be the image type it says,
 * // and fit the budget), and its failure is the item's, in the report.
 * const fit = ImageFitter.make((input) =>
 *   Effect.fail(new ImageFitter.ImageFitError({ name: input.name, reason: "no codec here" }))
 * )
 *
 * const sync = Effect.gen(function*() {
 *   const images = yield* TrainingSet.readFolder("./images")
 *   const plan = yield* TrainingSet.plan({ modelId: "model_123", images, fit })
 *   return yield* TrainingSet.apply(plan, images, { fit })
 * })
 * ```
 *
 * @since 0.3.0
 */
export * as ImageFitter from "./ImageFitter.js"

/**
 * What every call records: Effect `Metric`s and, once a tracer is installed, spans. Names follow
 * OpenTelemetry's semantic conventions for HTTP clients where they apply (`http.request.method`,
 * `http.response.status_code`, `server.address`, `server.port`, `error.type`,
 * `http.client.request.duration`, `http.client.active_requests`), plus `scenario.*` for the rest.
 *
 * | metric                         | kind                     | labels                                                  |
 * |--------------------------------|--------------------------|---------------------------------------------------------|
 * | `scenario.client.requests`     | counter, one per attempt | operation, method, server, `scenario.status_class`, `error.type` |
 * | `scenario.client.retries`      | counter                  | operation, method, server, `scenario.retry.reason`      |
 * | `http.client.request.duration` | histogram, seconds       | operation, method, server, `http.response.status_code`, `error.type` |
 * | `http.client.active_requests`  | up-down counter          | operation, method, server                               |
 *
 * Spans: `TrainingImages.<operation>` for the call, and one `<METHOD> <operation>` (kind client) per
 * attempt below it, with `scenario.attempt`, `http.request.resend_count` and, on a retry,
 * `scenario.retry.reason` (the `error.type` of the failure retried). No header, body, credential or query
 * is ever an attribute. Export both with `@effect/opentelemetry` (see the examples).
 *
 * An attempt cut short by an interruption is counted with `error.type` `"interrupted"` and leaves
 * `http.client.active_requests` as the interrupted fiber ends (for a caller that masks the interruption and
 * keeps that fiber running, when it ends).
 *
 * The metrics live in Effect's global registry from the first call: a metrics reader sees them whenever it
 * is installed. Labels set with `Effect.tagMetrics` around a call are added to its metrics.
 *
 * @since 0.2.0
 */
export * as Telemetry from "./Telemetry.js"

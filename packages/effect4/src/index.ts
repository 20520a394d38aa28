/**
 * Schemas for everything that crosses the wire: the training images and pairs the API returns, and the
 * params of each `TrainingImages` operation.
 *
 * @since 0.1.0
 */
export * as TrainingImage from "./TrainingImage.js"

/**
 * The typed errors of the `TrainingImages` service. Each names the operation, method and URL (never
 * credentials); the errors that come from a response also carry its status, headers, body (opaque JSON, or
 * text) and request id. The status errors keep the names of the Stainless runtime the official SDK uses.
 *
 * @since 0.1.0
 */
export * as TrainingImagesError from "./TrainingImagesError.js"

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
 * How requests authenticate: Basic from an API key and secret, or a Bearer token. Every secret is
 * `Redacted` from the moment it is read, so it never shows in logs, errors, spans or inspected objects.
 *
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"

/**
 * How a response of the API becomes a value or a typed error: the decoded body of a 2xx, else the error of
 * its status (with its body, request id and requested wait). The HTTP client and the in-memory fake both
 * answer through it, so they cannot drift apart.
 *
 * @since 0.1.0
 */
export * as ApiResponse from "./ApiResponse.js"

/**
 * The checks every `TrainingImages` implementation runs on its params before doing anything: the HTTP client
 * before sending, the in-memory fake before touching its store. Each returns the params, or the
 * `InvalidRequestError` that lists every problem found.
 *
 * @since 0.1.0
 */
export * as Validate from "./Validate.js"

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

// The merger adds, with the Effect 3 index's doc comments:
// export * as TrainingImages from "./TrainingImages.js"
// export * as TrainingSet from "./TrainingSet.js"
// export * as Telemetry from "./Telemetry.js"

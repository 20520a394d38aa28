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
export * as NodeTrainingImages from "./NodeTrainingImages.js"

/**
 * An `HttpClient` for Node over undici's dispatcher API: keep-alive connections in a bounded pool per
 * origin, the response body read without an intermediate stream, and interruption (a timeout, a
 * `Fiber.interrupt`, a losing `Effect.race`) aborting the request, which closes its connection.
 *
 * It is an ordinary `HttpClient`, built with `effect/http`'s `HttpClient.make`: middleware
 * (`HttpClient.mapRequest`, `HttpClient.retry`, …), tracing spans, trace propagation and
 * `HttpClient.withScope` work as with any other transport.
 *
 * `@effect-scenario/effect4`'s client times each attempt out through this transport's own timer when the
 * client is used as it is (not wrapped in middleware) and the clock is the live one, instead of forking
 * fibers for it; either way the attempt ends the same, with the request aborted. Used that way, the
 * transport also counts the body against the client's `maxResponseBytes` as it arrives (closing the
 * connection past it), and writes the `authorization` header on the wire only, so that the request its
 * errors and client spans keep carries no credentials. Those calls get their client span from
 * `HttpClient.make` under a tracer that records spans; under Effect's built-in tracer, which keeps spans
 * nowhere, none is made (it would be pure cost) and the request carries the trace context of the span it
 * is sent from, if any.
 *
 * An interim `100 Continue` (or any other 1xx) before the response is skipped, as RFC 9110 §15.2 asks, on
 * the connections of the agent this module makes (`layer`, `makeDispatcher`); undici used as it is closes
 * the connection on a 100.
 *
 * ```ts
 * import { TrainingImages } from "@effect-scenario/effect4"
 * import { UndiciHttpClient } from "@effect-scenario/effect4/node"
 * import { Layer } from "effect"
 *
 * const ImagesLive = TrainingImages.layerConfig().pipe(
 *   Layer.provide(UndiciHttpClient.layer({ connections: 16 }))
 * )
 * ```
 *
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"

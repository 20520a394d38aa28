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
import type * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import type * as HttpClient from "effect/http/HttpClient"
import type * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import type * as Undici from "undici"
import * as internal from "./internal/undiciHttpClient.js"

/**
 * How the connection pool behind the client is sized and kept.
 *
 * @since 0.1.0
 * @category models
 */
export interface PoolOptions {
  /**
   * The most connections kept open to one origin; requests beyond them wait for a free connection.
   * Defaults to `DEFAULT_CONNECTIONS`.
   */
  readonly connections?: number | undefined
  /** How long an idle connection is kept for reuse. Defaults to 4 seconds. */
  readonly keepAliveTimeout?: Duration.Input | undefined
  /** How long establishing a connection (TCP and TLS) may take. Defaults to undici's 10 seconds. */
  readonly connectTimeout?: Duration.Input | undefined
}

/**
 * The default number of connections per origin.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_CONNECTIONS: number = internal.DEFAULT_CONNECTIONS

/**
 * An `HttpClient` that sends its requests through the given undici dispatcher (an `Agent`, a `Pool`, or a
 * composed dispatcher with interceptors). The dispatcher stays the caller's to close.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (dispatcher: Undici.Dispatcher) => HttpClient.HttpClient = internal.make

/**
 * An undici `Agent` (one keep-alive pool per origin) sized by `options`, destroyed when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeDispatcher: (options?: PoolOptions) => Effect.Effect<Undici.Dispatcher, never, Scope.Scope> =
  internal.makeDispatcher

/**
 * The client over its own `Agent`, which lives as long as the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options?: PoolOptions) => Layer.Layer<HttpClient.HttpClient> = internal.layer

/**
 * The client over the dispatcher of `@effect/platform-node`'s `NodeHttpClient.Dispatcher`, for sharing one
 * dispatcher with other clients.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerWithoutDispatcher: Layer.Layer<HttpClient.HttpClient, never, NodeHttpClient.Dispatcher> =
  internal.layerWithoutDispatcher

import * as Body from "@effect-scenario/emulator/Body"
import * as Effect from "effect/Effect"
import type * as Http from "node:http"

/** @internal */
export type BodyRead = Body.BodyRead

/**
 * `Body.readText` as an Effect: interrupted, it stops listening.
 *
 * @internal
 */
export const readText = (incoming: Http.IncomingMessage, maxBytes: number): Effect.Effect<BodyRead> =>
  Effect.async<BodyRead>((resume) => {
    const stop = Body.readText(incoming, maxBytes, (read) => resume(Effect.succeed(read)))
    return Effect.sync(stop)
  })

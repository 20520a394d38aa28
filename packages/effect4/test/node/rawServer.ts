/** The shared raw TCP server (`@effect-scenario/test-support/rawServer`) as a scoped Effect of this line. */
import * as Raw from "@effect-scenario/test-support/rawServer"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"

export { type Behaviour, head, type RawServer, respond } from "@effect-scenario/test-support/rawServer"

export const makeRawServer: Effect.Effect<Raw.RawServer, never, Scope.Scope> = Effect.acquireRelease(
  Effect.promise(Raw.start),
  (running) => Effect.promise(running.close)
).pipe(Effect.map((running) => running.control))

import type { TrainingImagesError } from "@effect-scenario/core"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Fault from "../Fault.js"
import type * as TrainingImagesTest from "../TrainingImagesTest.js"

/**
 * How a control request of the inspector becomes a call on `ScenarioEmulator.Control`. Its other rules (which
 * requests it accepts, what its JSON says, how a stored data URL becomes a thumbnail) are the emulator
 * package's `Host` and `Inspector`, re-exported here for the server.
 */

export { hostRefusal, isLoopbackAddress, isLoopbackHostHeader, isSameOriginWrite } from "@effect-scenario/emulator/Host"
export { imageOf, isInspectorPath, REQUEST_LIMIT, stateOf } from "@effect-scenario/emulator/Inspector"

const Operation = Schema.Literal("add", "replace", "replacePairs", "delete", "list")

/**
 * `POST /inspector/api/fail-next`: the arguments of `Control.failNext`, the fault named by its kind.
 *
 * @internal
 */
export const FailNextBody = Schema.Struct({
  count: Schema.Int.pipe(Schema.between(1, 10_000)),
  kind: Schema.String,
  retryAfterSeconds: Schema.optional(Schema.Number.pipe(Schema.between(0, 86_400))),
  delayMillis: Schema.optional(Schema.Int.pipe(Schema.between(0, 3_600_000))),
  operation: Schema.optional(Operation)
})

const isObjectOfModels = (json: unknown): json is TrainingImagesTest.Seed =>
  typeof json === "object" && json !== null && !Array.isArray(json)

/** A control request the page sent, ready for `Control`, or the message of the 400 that refuses it. */
export type ControlCall =
  | {
    readonly _tag: "FailNext"
    readonly count: number
    readonly fault: Fault.Fault
    readonly operation: TrainingImagesError.Operation | undefined
  }
  | { readonly _tag: "Seed"; readonly models: TrainingImagesTest.Seed }
  | { readonly _tag: "Reset" }

const parseJson = (text: string): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(text))
  } catch {
    return Either.left("Invalid JSON body")
  }
}

const decodeJson = <A, I>(schema: Schema.Schema<A, I>, text: string): Either.Either<A, string> =>
  Either.flatMap(parseJson(text), (json) =>
    Either.mapLeft(
      Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(json),
      (error) => ParseResult.TreeFormatter.formatErrorSync(error)
    ))

/**
 * The control call a `POST /inspector/api/<action>` asks for.
 *
 * @internal
 */
export const controlCall = (action: string, body: string): Either.Either<ControlCall, string> => {
  switch (action) {
    case "fail-next":
      return Either.flatMap(decodeJson(FailNextBody, body), (input) => {
        const fault = Fault.fromKind(input.kind, {
          retryAfter: input.retryAfterSeconds === undefined ? undefined : `${input.retryAfterSeconds} seconds`,
          delay: input.delayMillis === undefined ? undefined : `${input.delayMillis} millis`
        })
        return fault === undefined
          ? Either.left(`Unknown fault kind ${JSON.stringify(input.kind)}`)
          : Either.right({ _tag: "FailNext", count: input.count, fault, operation: input.operation })
      })
    case "seed":
      // The object as parsed, never rebuilt: a model id such as `__proto__` stays an own property. Its models
      // are checked by `seed` itself (`InvalidSeedError`, answered 400), as for a seed given in code.
      return Either.flatMap(parseJson(body), (json) =>
        isObjectOfModels(json)
          ? Either.right<ControlCall>({ _tag: "Seed", models: json })
          : Either.left("The seed must be a JSON object of models by id"))
    case "reset":
      return Either.right({ _tag: "Reset" })
    default:
      return Either.left(`Unknown control action ${JSON.stringify(action)}`)
  }
}

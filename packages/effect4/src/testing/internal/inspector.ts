import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaIssue from "effect/SchemaIssue"
import type * as TrainingImagesError from "../../TrainingImagesError.js"
import * as Fault from "../Fault.js"
import type * as TrainingImagesTest from "../TrainingImagesTest.js"

/**
 * How a control request of the inspector becomes a call on `ScenarioEmulator.Control`. Its other rules (which
 * requests it accepts, what its JSON says, how a stored data URL becomes a thumbnail) are the emulator
 * package's `Host` and `Inspector`, re-exported here for the server.
 */

export { hostRefusal, isLoopbackAddress, isLoopbackHostHeader, isSameOriginWrite } from "@effect-scenario/emulator/Host"
export { imageOf, isInspectorPath, REQUEST_LIMIT, stateOf } from "@effect-scenario/emulator/Inspector"

const Operation = Schema.Literals(["add", "replace", "replacePairs", "delete", "list"])

/**
 * `POST /inspector/api/fail-next`: the arguments of `Control.failNext`, the fault named by its kind.
 *
 * @internal
 */
export const FailNextBody = Schema.Struct({
  count: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_000 })),
  kind: Schema.String,
  retryAfterSeconds: Schema.optional(Schema.Number.check(Schema.isBetween({ minimum: 0, maximum: 86_400 }))),
  delayMillis: Schema.optional(Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 3_600_000 }))),
  operation: Schema.optional(Operation)
})

const decodeFailNextBody = Schema.decodeUnknownResult(FailNextBody, { onExcessProperty: "error" })
const formatIssue = SchemaIssue.makeFormatterDefault()

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

const parseJson = (text: string): Result.Result<unknown, string> => {
  try {
    return Result.succeed(JSON.parse(text))
  } catch {
    return Result.fail("Invalid JSON body")
  }
}

/**
 * The control call a `POST /inspector/api/<action>` asks for.
 *
 * @internal
 */
export const controlCall = (action: string, body: string): Result.Result<ControlCall, string> => {
  switch (action) {
    case "fail-next":
      return parseJson(body).pipe(
        Result.flatMap((json) => Result.mapError(decodeFailNextBody(json), (error) => formatIssue(error.issue))),
        Result.flatMap((input): Result.Result<ControlCall, string> => {
          const fault = Fault.fromKind(input.kind, {
            retryAfter: input.retryAfterSeconds === undefined ? undefined : `${input.retryAfterSeconds} seconds`,
            delay: input.delayMillis === undefined ? undefined : `${input.delayMillis} millis`
          })
          return fault === undefined
            ? Result.fail(`Unknown fault kind ${JSON.stringify(input.kind)}`)
            : Result.succeed({ _tag: "FailNext", count: input.count, fault, operation: input.operation })
        })
      )
    case "seed":
      // The object as parsed, never rebuilt: a model id such as `__proto__` stays an own property. Its models
      // are checked by `seed` itself (`InvalidSeedError`, answered 400), as for a seed given in code.
      return Result.flatMap(parseJson(body), (json) =>
        isObjectOfModels(json)
          ? Result.succeed<ControlCall>({ _tag: "Seed", models: json })
          : Result.fail("The seed must be a JSON object of models by id"))
    case "reset":
      return Result.succeed({ _tag: "Reset" })
    default:
      return Result.fail(`Unknown control action ${JSON.stringify(action)}`)
  }
}

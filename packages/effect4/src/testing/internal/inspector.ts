import * as EmulatorInspector from "@effect-scenario/emulator/Inspector"
import type * as Server from "@effect-scenario/emulator/Server"
import * as Result from "effect/Result"
import * as Fault from "../Fault.js"

/**
 * How a control request of the inspector becomes a call on `ScenarioEmulator.Control`. Its other rules (which
 * requests it accepts, what its JSON says, how a stored data URL becomes a thumbnail) are the emulator
 * package's `Host` and `Inspector`, re-exported here for the server.
 */

export { hostRefusal, isLoopbackAddress, isLoopbackHostHeader, isSameOriginWrite } from "@effect-scenario/emulator/Host"
export { imageOf, isInspectorPath, REQUEST_LIMIT, stateOf } from "@effect-scenario/emulator/Inspector"

/** A control request the page sent, ready for `Control`. */
export type ControlCall = Exclude<Server.ControlCall<Fault.Fault>, { readonly _tag: "Refused" }>

/**
 * The emulator's faults are this package's `Fault`s, built from the kind the page names.
 *
 * @internal
 */
export const faultOf = (
  kind: string,
  options: { readonly retryAfterMillis: number | undefined; readonly delayMillis: number | undefined }
): Fault.Fault | undefined =>
  Fault.fromKind(kind, {
    retryAfter: options.retryAfterMillis === undefined ? undefined : `${options.retryAfterMillis} millis`,
    delay: options.delayMillis === undefined ? undefined : `${options.delayMillis} millis`
  })

/**
 * The control call a `POST /inspector/api/<action>` asks for: the emulator's own reading of the body
 * (`Inspector.controlCall`), the fault a `Fault`.
 *
 * @internal
 */
export const controlCall = (action: string, body: string): Result.Result<ControlCall, string> => {
  const call = EmulatorInspector.controlCall(action, body, faultOf)
  return call._tag === "Refused" ? Result.fail(call.message) : Result.succeed(call)
}

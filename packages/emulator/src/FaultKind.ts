/**
 * Faults named by their kind, as the command line and the inspector name them: `429`, `503`,
 * `500-after-apply`, `delay`, `drop-before-apply`... The grammar of a kind, the transient kinds a random fault
 * picks from, and the plain fault (`Server.Answer`) a kind names, which is what the emulator answers when no
 * binding gives faults of its own.
 *
 * @since 0.1.0
 */
import * as FaultAnswer from "./FaultAnswer.js"
import type * as Server from "./Server.js"

/**
 * The kinds of fault a client should survive by retrying or reconciling: the default of `--faults`.
 *
 * @since 0.1.0
 * @category constants
 */
export const TRANSIENT_KINDS = [
  "429",
  "500",
  "502",
  "503",
  "504",
  "delay",
  "drop-before-apply",
  "drop-after-apply",
  "500-after-apply",
  "502-after-apply",
  "504-after-apply",
  "delay-after-apply"
] as const

/**
 * One of `TRANSIENT_KINDS`.
 *
 * @since 0.1.0
 * @category models
 */
export type TransientKind = typeof TRANSIENT_KINDS[number]

/**
 * What a kind names: a status (3xx to 5xx; `429` only before the change is applied), a delay or a dropped
 * connection, before or after the change is applied.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind =
  | { readonly _tag: "Status"; readonly status: number; readonly afterApply: boolean }
  | { readonly _tag: "Delay"; readonly afterApply: boolean }
  | { readonly _tag: "Drop"; readonly afterApply: boolean }

/**
 * Reads a kind; `undefined` for a name that is none.
 *
 * @example
 * ```ts
 * import { FaultKind } from "@effect-scenario/emulator"
 *
 * FaultKind.parse("502-after-apply") // { _tag: "Status", status: 502, afterApply: true }
 * FaultKind.parse("429-after-apply") // undefined: a 429 asks to wait before anything is applied
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (kind: string): Kind | undefined => {
  switch (kind) {
    case "delay":
      return { _tag: "Delay", afterApply: false }
    case "delay-after-apply":
      return { _tag: "Delay", afterApply: true }
    case "drop-before-apply":
      return { _tag: "Drop", afterApply: false }
    case "drop-after-apply":
      return { _tag: "Drop", afterApply: true }
  }
  const match = /^([3-5]\d\d)(-after-apply)?$/.exec(kind)
  if (match === null) return undefined
  const status = Number(match[1])
  const afterApply = match[2] !== undefined
  return status === 429 && afterApply ? undefined : { _tag: "Status", status, afterApply }
}

/**
 * The default wait a `429` asks for, in milliseconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_RETRY_AFTER_MILLIS = 1000

/**
 * The default hold of a delay fault, in milliseconds.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_DELAY_MILLIS = 5000

/**
 * The plain fault a kind names, or `undefined` for a name that is none. A status is answered with its reason
 * phrase as the message; a `429` asks for `retryAfterMillis` (default 1 s) in both `retry-after` headers; a
 * delay holds the answer `delayMillis` (default 5 s).
 *
 * @since 0.1.0
 * @category constructors
 */
export const answerOf = (
  kind: string,
  options?: { readonly retryAfterMillis?: number | undefined; readonly delayMillis?: number | undefined }
): Server.Answer | undefined => {
  const parsed = parse(kind)
  switch (parsed?._tag) {
    case undefined:
      return undefined
    case "Status":
      return {
        _tag: "Status",
        status: parsed.status,
        body: { message: FaultAnswer.reasonPhrase(parsed.status) },
        // Stryker disable StringLiteral: equivalent, any header choice but the two single ones writes both headers
        headers: parsed.status === 429
          ? FaultAnswer.retryAfterHeaders(options?.retryAfterMillis ?? DEFAULT_RETRY_AFTER_MILLIS, "both")
          : {},
        // Stryker restore StringLiteral
        afterApply: parsed.afterApply
      }
    case "Delay":
      return { _tag: "Delay", millis: options?.delayMillis ?? DEFAULT_DELAY_MILLIS, afterApply: parsed.afterApply }
    case "Drop":
      return { _tag: "Drop", afterApply: parsed.afterApply }
  }
}

/**
 * The kind of a fault, as the request log names it: the name `parse` reads back. A plain fault (`Server.Answer`)
 * is a `Kind` with more in it.
 *
 * @since 0.1.0
 * @category rules
 */
export const kindOf = (answer: Kind): string => {
  switch (answer._tag) {
    case "Status":
      return answer.afterApply ? `${answer.status}-after-apply` : String(answer.status)
    case "Delay":
      return answer.afterApply ? "delay-after-apply" : "delay"
    case "Drop":
      return answer.afterApply ? "drop-after-apply" : "drop-before-apply"
  }
}

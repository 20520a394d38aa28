/**
 * What can go wrong with one request, described as data so that the same fault can be injected into the
 * in-memory fake (`TrainingImagesTest.failNext`) and into the HTTP emulator (`ScenarioEmulator.failNext`):
 * an error status (a 429 with its `Retry-After`, a 5xx), a slow response, or a connection dropped before or
 * after the change took effect.
 *
 * ```ts
 * import { Fault } from "@effect-scenario/effect4/testing"
 *
 * Fault.rateLimited({ retryAfter: "2 seconds" }) // 429 with `retry-after: 2` and `retry-after-ms: 2000`
 * Fault.serverError(503)
 * Fault.delay("10 seconds")
 * Fault.dropAfterApply // the change is stored, then the connection is cut without a response
 * ```
 *
 * A list that lags behind the adds (eventual consistency) is not a fault of one request but of the store:
 * see `listLag` in the options of `TrainingImagesTest` and `ScenarioEmulator`, `setListLag` in their controls,
 * and `scenario-emulator --list-lag`.
 *
 * @since 0.1.0
 */
import * as FaultAnswer from "@effect-scenario/emulator/FaultAnswer"
import * as FaultKind from "@effect-scenario/emulator/FaultKind"
import * as Duration from "effect/Duration"
import * as Predicate from "effect/Predicate"
import type * as TrainingImagesError from "../TrainingImagesError.js"

/**
 * A fault to inject into the fake or the emulator: an error status (429 with a wait, 5xx), a delay, or a
 * dropped connection (before or after the change is applied).
 *
 * @since 0.1.0
 * @category models
 */
export type Fault = StatusFault | DelayFault | DropFault

/**
 * Which header(s) carry the wait of a `StatusFault`: `retry-after` in whole seconds (rounded up), the
 * `retry-after-ms` extension in milliseconds, or both.
 *
 * @since 0.1.0
 * @category models
 */
export type RetryAfterHeader = "retry-after" | "retry-after-ms" | "both"

/**
 * The request is answered with this status and a JSON body. By default nothing is applied: the way a
 * gateway answers when it rate-limits or fails before the service sees the request. With `afterApply` the
 * change is applied first and the status replaces the answer: a gateway's 502/504 after the service did
 * the work, which a client cannot tell from the first kind.
 *
 * @since 0.1.0
 * @category models
 */
export interface StatusFault {
  readonly _tag: "StatusFault"
  readonly status: number
  /** The JSON body; defaults to `{ "message": <reason phrase> }`. */
  readonly body: unknown
  readonly retryAfter: Duration.Duration | undefined
  readonly retryAfterHeader: RetryAfterHeader
  /**
   * Whether the change is applied before the status is sent (since 0.2.0; `false` for the faults built
   * without it).
   */
  readonly afterApply: boolean
}

/**
 * The response comes this much later. By default the request is handled after the wait: a client that
 * gives up first (its timeout) closes the connection and the change is not applied. With `afterApply` the
 * change is applied at once and only the answer is late: a client that gives up first has had its change
 * applied all the same.
 *
 * @since 0.1.0
 * @category models
 */
export interface DelayFault {
  readonly _tag: "DelayFault"
  readonly duration: Duration.Duration
  /** Whether the change is applied before the wait (since 0.2.0; `false` for the faults built without it). */
  readonly afterApply: boolean
}

/**
 * The connection is cut without a response, before the change is applied (`afterApply: false`) or after it
 * (`afterApply: true`): the case where a client cannot know whether its request took effect.
 *
 * @since 0.1.0
 * @category models
 */
export interface DropFault {
  readonly _tag: "DropFault"
  readonly afterApply: boolean
}

/**
 * The reason phrase of a status, as the default message of a `StatusFault`.
 *
 * @since 0.1.0
 * @category getters
 */
export const reasonPhrase = (status: number): string => FaultAnswer.reasonPhrase(status)

/**
 * Answers with any status from 300 to 599 (anything else is not a fault: it throws a `RangeError`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const status = (
  status: number,
  options?: {
    readonly body?: unknown
    readonly retryAfter?: Duration.Input | undefined
    readonly retryAfterHeader?: RetryAfterHeader | undefined
    /** Apply the change, then answer with this status (since 0.2.0). */
    readonly afterApply?: boolean | undefined
  }
): Fault => {
  if (!Number.isInteger(status) || status < 300 || status > 599) {
    throw new RangeError(`Fault.status expects a status from 300 to 599, got ${status}`)
  }
  return {
    _tag: "StatusFault",
    status,
    body: options !== undefined && "body" in options ? options.body : { message: reasonPhrase(status) },
    retryAfter: options?.retryAfter === undefined ? undefined : Duration.fromInputUnsafe(options.retryAfter),
    retryAfterHeader: options?.retryAfterHeader ?? "both",
    afterApply: options?.afterApply ?? false
  }
}

/**
 * 429 Too Many Requests, with the wait to honour when given (`retryAfter: 0` asks for an immediate retry).
 *
 * @since 0.1.0
 * @category constructors
 */
export const rateLimited = (options?: {
  readonly retryAfter?: Duration.Input | undefined
  readonly retryAfterHeader?: RetryAfterHeader | undefined
  readonly body?: unknown
}): Fault => status(429, options)

/**
 * A 5xx from the server or its gateway: 500, 502, 503 or 504; with `afterApply`, sent after the change was
 * applied.
 *
 * @since 0.1.0
 * @category constructors
 */
export const serverError = (
  code: 500 | 502 | 503 | 504 = 500,
  options?: {
    /** Apply the change, then answer with this status (since 0.2.0). */
    readonly afterApply?: boolean | undefined
  }
): Fault => status(code, { afterApply: options?.afterApply })

/**
 * Holds the response for `duration`: with a shorter timeout, the call ends in `TimeoutError`. By default the
 * request is handled after the wait, so a client that gave up first has changed nothing; with `afterApply`
 * the change is applied at once and only the answer is late, as with a real slow server or gateway.
 *
 * @example
 * ```ts
 * import { Fault, TrainingImagesTest } from "@effect-scenario/effect4/testing"
 *
 * const slowList = TrainingImagesTest.failNext(1, Fault.delay("2 minutes"), { operation: "list" })
 * const lateAdd = TrainingImagesTest.failNext(1, Fault.delay("2 minutes", { afterApply: true }), { operation: "add" })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const delay = (
  duration: Duration.Input,
  options?: {
    /** Apply the change at once; only the answer is late (since 0.2.0). */
    readonly afterApply?: boolean | undefined
  }
): Fault => ({
  _tag: "DelayFault",
  duration: Duration.fromInputUnsafe(duration),
  afterApply: options?.afterApply ?? false
})

/**
 * The connection is cut before the change is applied: nothing is stored.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dropBeforeApply: Fault = { _tag: "DropFault", afterApply: false }

/**
 * The change is applied, then the connection is cut without a response.
 *
 * @since 0.1.0
 * @category constructors
 */
export const dropAfterApply: Fault = { _tag: "DropFault", afterApply: true }

/**
 * The kinds of fault, as counted by `faultCounts`: the status as text (`"429"`, `"500"`, ...), `"delay"`,
 * `"drop-before-apply"` or `"drop-after-apply"`; a status or delay sent after the change was applied gets
 * `-after-apply` added (`"504-after-apply"`, `"delay-after-apply"`).
 *
 * @since 0.1.0
 * @category getters
 */
export const kind = (fault: Fault): string =>
  FaultKind.kindOf(
    fault._tag === "StatusFault"
      ? { _tag: "Status", status: fault.status, afterApply: fault.afterApply }
      : { _tag: fault._tag === "DelayFault" ? "Delay" : "Drop", afterApply: fault.afterApply }
  )

const TAGS: ReadonlySet<unknown> = new Set(["StatusFault", "DelayFault", "DropFault"])

/**
 * Whether a value is a `Fault`.
 *
 * @since 0.1.0
 * @category guards
 */
export const isFault = (u: unknown): u is Fault => Predicate.hasProperty(u, "_tag") && TAGS.has(u._tag)

/**
 * Random faults: each request (of the listed operations, all by default) fails with probability `rate`,
 * with a fault picked uniformly from `faults` (list one several times to weigh it). The draws come from a
 * PRNG seeded with `seed`, so the same requests in the same order meet the same faults. The emulator seeds
 * each draw from the request itself (method, path, query, body) and how many times it has seen it, so there
 * the same requests meet the same faults whatever order concurrent clients send them in.
 *
 * @since 0.1.0
 * @category models
 */
export interface RandomFaults<F = Fault> {
  /** From 0 (never) to 1 (every request). */
  readonly rate: number
  readonly faults: ReadonlyArray<F>
  /** Defaults to 0. */
  readonly seed?: number | undefined
  readonly operations?: ReadonlyArray<TrainingImagesError.Operation> | undefined
}

/**
 * The fault of a kind as `kind` names it (`"429"`, `"503"`, `"delay"`, `"drop-before-apply"`,
 * `"drop-after-apply"`), for command lines and the emulator's control API; `undefined` for an unknown kind.
 * A 429 asks to wait `retryAfter` (default 1 second); a delay lasts `delay` (default 5 seconds).
 *
 * @since 0.2.0
 * @category constructors
 */
export const fromKind = (
  kind: string,
  options?: {
    readonly retryAfter?: Duration.Input | undefined
    readonly delay?: Duration.Input | undefined
  }
): Fault | undefined => {
  const parsed = FaultKind.parse(kind)
  switch (parsed?._tag) {
    case undefined:
      return undefined
    case "Delay":
      return delay(options?.delay ?? `${FaultKind.DEFAULT_DELAY_MILLIS} millis`, { afterApply: parsed.afterApply })
    case "Drop":
      return parsed.afterApply ? dropAfterApply : dropBeforeApply
    case "Status":
      return parsed.status === 429
        ? rateLimited({ retryAfter: options?.retryAfter ?? `${FaultKind.DEFAULT_RETRY_AFTER_MILLIS} millis` })
        : status(parsed.status, { afterApply: parsed.afterApply })
  }
}

/**
 * The kinds of transient fault a gateway in front of Scenario produces, as `kind` names them: the ones the
 * `scenario-emulator` command and the soak pick from by default. Each is a valid input of `fromKind`.
 *
 * @example
 * ```ts
 * import { Fault } from "@effect-scenario/effect4/testing"
 *
 * const faults = Fault.transientKinds.map((kind) => Fault.fromKind(kind)!)
 * ```
 *
 * @since 0.2.0
 * @category constructors
 */
export const transientKinds: typeof FaultKind.TRANSIENT_KINDS = FaultKind.TRANSIENT_KINDS

/**
 * One of `transientKinds`.
 *
 * @since 0.2.0
 * @category models
 */
export type TransientKind = typeof transientKinds[number]

/**
 * A transport that keeps the time itself, as plain data for both lines: the calls made through it, the timeouts
 * each attempt must be handed (in milliseconds), how many attempts the client times itself instead, and the
 * errors a transport's timeout ends in. The runners: `packages/core/test/TransportTimeout.test.ts` (Effect 3)
 * and `packages/effect4/test/TransportTimeout.test.ts` (Effect 4), which build the transport with their line's
 * `HttpClient` and its timeout failure.
 */
import { trainingImageJson } from "./errors.js"

export type Operation = "add" | "replace" | "delete" | "list"

/** The key (for `Symbol.for`) of a transport's entry that runs one attempt with its timeout in milliseconds. */
export const EXECUTE_WITH_TIMEOUT = "@effect-scenario/core/HttpClient/executeWithTimeout"

/** The service's timeout for every call, in milliseconds. */
export const SERVICE_TIMEOUT_MS = 250

/** What the transport answers every attempt with that it does not fail. */
export const answer = { trainingImage: trainingImageJson() }

/** The params of each call. */
export const params = {
  add: { modelId: "m", assetId: "a" },
  replace: { modelId: "m", trainingImageId: "t", assetId: "a" },
  delete: { modelId: "m", trainingImageId: "t" },
  list: { modelId: "m" }
} as const satisfies Record<Operation, object>

/** One call through the service: with a timeout of its own (milliseconds, or none at all), its failure ignored or not. */
export interface Call {
  readonly operation: Operation
  readonly timeoutMs?: number | "infinity"
  /** Its answer (a training image) does not decode for this operation: the failure is not the test's. */
  readonly ignoreFailure?: boolean
}

/** The attempts the transport saw: the timeouts it was handed, and the attempts it ran without one. */
export interface Seen {
  readonly timed: ReadonlyArray<number>
  readonly plain: number
}

/** The longest timer Node can set, in milliseconds. */
export const LONGEST_TIMER_MS = 2 ** 31 - 1

/** Under the live clock every attempt goes to the transport, with the call's timeout. */
export const everyAttempt = {
  calls: [
    { operation: "add" },
    { operation: "list", ignoreFailure: true },
    { operation: "delete", timeoutMs: 2_000 }
  ],
  seen: { timed: [SERVICE_TIMEOUT_MS, SERVICE_TIMEOUT_MS, 2_000], plain: 0 }
} as const satisfies { readonly calls: ReadonlyArray<Call>; readonly seen: Seen }

/** The transport's own timeout: a TimeoutError with the call's timeout, and `add` (a POST) not resent. */
export const itsTimeout = {
  call: { operation: "add" },
  error: {
    _tag: "TimeoutError",
    timeoutMs: SERVICE_TIMEOUT_MS,
    mayHaveReachedServer: true,
    operation: "add"
  },
  seen: { timed: [SERVICE_TIMEOUT_MS] }
} as const

/** The longest timer goes to the transport; one millisecond more, or no timeout, the client keeps. */
export const longest = {
  first: { operation: "add", timeoutMs: LONGEST_TIMER_MS },
  seenFirst: { timed: [LONGEST_TIMER_MS] },
  then: [
    { operation: "add", timeoutMs: LONGEST_TIMER_MS + 1 },
    { operation: "add", timeoutMs: "infinity" }
  ],
  seen: { timed: [LONGEST_TIMER_MS], plain: 2 }
} as const satisfies {
  readonly first: Call
  readonly seenFirst: Pick<Seen, "timed">
  readonly then: ReadonlyArray<Call>
  readonly seen: Seen
}

/** A timeout the transport reports outside its own timer (no retries): a ConnectionError that may have reached the server. */
export const reportedByItself = {
  call: { operation: "replace" },
  error: { _tag: "ConnectionError", mayHaveReachedServer: true }
} as const

/** Under TestClock the client keeps the time: the clock moved past the timeout, the answer still read. */
export const underTestClock = {
  call: { operation: "add" },
  adjustMs: 1_000,
  imageId: answer.trainingImage.id,
  seen: { timed: [], plain: 1 }
} as const satisfies { readonly call: Call; readonly adjustMs: number; readonly imageId: string; readonly seen: Seen }

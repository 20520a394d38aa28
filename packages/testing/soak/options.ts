/**
 * The soak's options, the rules `--break` can break, and the faults it injects, as plain data: each line's run
 * (the Effect 3 line's `run.ts`, the Effect 4 line's `packages/effect4/soak/run.ts`) builds its client and its
 * `Fault`s from them.
 */
import type { SoakError } from "./verify.js"

export interface Options {
  /** How many operations. */
  readonly operations: number
  /** How many run at once. */
  readonly concurrency: number
  /** The share of requests, 0 to 1, that meet a fault. */
  readonly faultRate: number
  /** Seeds both the plan and the faults. */
  readonly seed: number
  /** The client's timeout per attempt, in milliseconds; a delay fault holds the response twice as long. */
  readonly timeoutMillis: number
  /** The retry policy's retries, and so how many consecutive faults an idempotent operation outlasts. */
  readonly maxRetries: number
  /** The waits the 429 faults ask for, in milliseconds. */
  readonly retryAfterMillis: ReadonlyArray<number>
  /** The kinds of fault to inject (`Fault.kind`); all of them when absent. */
  readonly faultKinds?: ReadonlyArray<string> | undefined
  /**
   * Retries `add` like the idempotent operations, on any failure the default policy would retry for them:
   * what a client without the library's caution would do. For showing that the soak catches the adds it
   * then applies twice; never set in a real run.
   */
  readonly blindAddRetries?: boolean | undefined
  /**
   * Breaks one rule of the retry policy on purpose: `add` is also retried after a timeout, after a 5xx, or
   * after a connection lost once the request was sent. For showing that the soak catches each; never set in
   * a real run.
   */
  readonly breakRule?: BrokenRule | undefined
}

/** The rules `--break` can break, each a failure after which `add` may have been applied. */
export const BROKEN_RULES = [
  "retry-add-after-timeout",
  "retry-add-after-5xx",
  "retry-add-after-lost-connection"
] as const

export type BrokenRule = typeof BROKEN_RULES[number]

/** Whether a broken rule retries an `add` that failed with `error`. */
export const breaks = (rule: BrokenRule, error: SoakError): boolean => {
  switch (rule) {
    case "retry-add-after-timeout":
      return error._tag === "TimeoutError"
    case "retry-add-after-5xx":
      return error._tag === "InternalServerError"
    case "retry-add-after-lost-connection":
      return error._tag === "ConnectionError" && error.mayHaveReachedServer === true
  }
}

export const defaults: Options = {
  operations: 2000,
  concurrency: 16,
  faultRate: 0.3,
  seed: 1,
  timeoutMillis: 1000,
  maxRetries: 10,
  retryAfterMillis: [0, 20, 1000]
}

/** A fault of the soak, as data: each line builds its `Fault` from it (see `faultSpecs`). */
export type FaultSpec =
  | {
    readonly _tag: "RateLimited"
    readonly retryAfterMillis: number
    readonly retryAfterHeader: "retry-after" | "retry-after-ms" | "both"
  }
  | { readonly _tag: "ServerError"; readonly status: 500 | 502 | 503 | 504; readonly afterApply: boolean }
  | { readonly _tag: "Delay"; readonly millis: number; readonly afterApply: boolean }
  | { readonly _tag: "Drop"; readonly afterApply: boolean }

/**
 * The faults picked from, uniformly: 429 with each wait (as `retry-after` in seconds, `retry-after-ms`, or
 * both), 500, 502, 503, 504, a response slower than the client's timeout, a connection dropped before the
 * change is applied; and the faults that come after the change was applied, as a gateway produces them:
 * the connection dropped, a 500, 502 or 504 instead of the answer, the answer later than the client's
 * timeout. Each line keeps those of `faultKinds` (by its `Fault.kind`), when given.
 */
export const faultSpecs = (options: Options): ReadonlyArray<FaultSpec> => [
  ...options.retryAfterMillis.map((wait, i): FaultSpec => ({
    _tag: "RateLimited",
    retryAfterMillis: wait,
    retryAfterHeader: (["retry-after-ms", "both", "retry-after"] as const)[i % 3]!
  })),
  ...([500, 502, 503, 504] as const).map((status): FaultSpec => ({ _tag: "ServerError", status, afterApply: false })),
  { _tag: "Delay", millis: options.timeoutMillis * 2, afterApply: false },
  { _tag: "Drop", afterApply: false },
  { _tag: "Drop", afterApply: true },
  ...([500, 502, 504] as const).map((status): FaultSpec => ({ _tag: "ServerError", status, afterApply: true })),
  { _tag: "Delay", millis: options.timeoutMillis * 2, afterApply: true }
]

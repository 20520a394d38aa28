/**
 * The smaller soak runs of the Node transport suites, as plain data for both lines: each run's options, what
 * its figures must show, and the broken rules the soak must catch. The soak itself (workload, faults, checks,
 * report) is `packages/testing/soak`. The runners: `packages/platform-node/test/Soak.test.ts` (Effect 3) and
 * `packages/effect4/test/node/Soak.test.ts`.
 */

/** 400 mixed operations under about 30% faults: every property holds. */
export const MIXED = { operations: 400, concurrency: 8, seed: 7, retryAfterMillis: [0, 10, 50] }

/** The share of requests met by a fault lies between these. */
export const FAULT_SHARE = { above: 0.2, below: 0.4 }

/** The figures of a report that the checks below read. */
export interface Figures {
  readonly operationsByKind: Readonly<Record<string, number>>
  readonly successes: Readonly<Record<string, number>>
}

/**
 * The idempotent operations that did not succeed: only those whose every attempt met a fault, and the deletes
 * that found their image already deleted by an attempt whose response was lost.
 */
export const failedIdempotent = (figures: Figures): number =>
  ["replace", "replacePairs", "delete", "list"].reduce(
    (sum, op) => sum + (figures.operationsByKind[op] ?? 0) - (figures.successes[op] ?? 0),
    0
  )

/** A client that retried adds blindly, under faults after the change was applied. */
export const BLIND = {
  operations: 100,
  concurrency: 4,
  seed: 3,
  faultKinds: ["drop-after-apply"],
  blindAddRetries: true
}

/**
 * Each rule that keeps an add from being applied twice, broken on purpose, and the faults that come after the
 * change was applied: the soak must catch it.
 */
export const BROKEN_RULES = [
  ["retry-add-after-timeout", ["delay-after-apply"]],
  ["retry-add-after-5xx", ["500-after-apply", "502-after-apply", "504-after-apply"]],
  ["retry-add-after-lost-connection", ["drop-after-apply"]]
] as const

/** The run of a broken rule (and of the same rule kept), under these faults. */
export const brokenRun = (faultKinds: ReadonlyArray<string>) => ({
  operations: 120,
  concurrency: 8,
  seed: 5,
  timeoutMillis: 300,
  faultKinds
})

/** Whether the violations name an add applied more than once. */
export const caughtApplyingTwice = (
  violations: ReadonlyArray<{ readonly kind: string; readonly message: string }>
): boolean => violations.some((v) => v.kind === "safety" && v.message.includes("applied more than once"))

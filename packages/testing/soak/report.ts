/**
 * The soak's figures as a Markdown table, to print and to paste into the docs.
 */
import type { Options } from "./options.js"
import type { Verdict } from "./verify.js"
import { MIX } from "./workload.js"

/** A run's verdict, its options, and its wall time: what either line's run returns. */
export interface Report extends Verdict {
  readonly options: Options
  /** The line that ran, as the table names it (`Effect 3`, `Effect 4`). */
  readonly line: string
  readonly durationMillis: number
}

const millis = (ms: number): string => ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`

const OPERATIONS = MIX.map(([operation]) => operation)

const FAULT_ORDER = ["429", "500", "502", "503", "delay", "drop-before-apply", "drop-after-apply"]

const listing = (record: Readonly<Record<string, number>>, order: ReadonlyArray<string> = []): string => {
  const keys = [
    ...order.filter((key) => key in record),
    ...Object.keys(record).filter((k) => !order.includes(k)).sort()
  ]
  return keys.length === 0 ? "none" : keys.map((key) => `${key} ${record[key]}`).join(", ")
}

export const format = (report: Report): string => {
  const { figures: f, options: o } = report
  const rows: Array<readonly [string, string]> = [
    [
      "run",
      `${report.line} line: ${o.operations} operations, concurrency ${o.concurrency}, fault rate ${o.faultRate}, seed ${o.seed}, ` +
      `timeout ${millis(o.timeoutMillis)}, max retries ${o.maxRetries}`
    ],
    ["operations", `${f.operations} (${listing(f.operationsByKind, OPERATIONS)})`],
    ["requests seen by the emulator", String(f.requests)],
    ["refused before sending (invalid params, by design)", String(f.refusedBeforeSending)],
    ["retries (requests − operations that sent one)", String(f.retries)],
    ["faults injected", `${f.faultsTotal} (${listing(f.faults, FAULT_ORDER)})`],
    ["successes", OPERATIONS.map((op) => `${op} ${f.successes[op] ?? 0}/${f.operationsByKind[op] ?? 0}`).join(", ")],
    ...OPERATIONS.filter((op) => f.failures[op] !== undefined).map((op) =>
      [`failures of ${op}`, listing(f.failures[op]!)] as const
    ),
    ["adds: succeeded / said not applied / ambiguous", `${f.addsSucceeded} / ${f.addsNotApplied} / ${f.ambiguousAdds}`],
    ["ambiguous adds that had been applied (at most once each)", String(f.ambiguousAddsApplied)],
    ["adds applied twice", String(f.addsAppliedTwice)],
    ["idempotent operations faulted on every attempt (beyond the retry policy)", String(f.beyondRetryPolicy)],
    ["deletes answered 404 after an applied attempt lost its response", String(f.deletesConverged)],
    ["deletes that then found the image gone, reported as success", String(f.deletesFoundGone)],
    ["defects", String(f.defects)],
    ["failures that are not the library's typed errors", String(f.untyped)],
    ["final-state mismatches", String(f.stateMismatches)],
    [
      "properties violated: safety / liveness",
      `${report.violations.filter((v) => v.kind === "safety").length} / ${
        report.violations.filter((v) => v.kind === "liveness").length
      }`
    ],
    ["wall time", `${(report.durationMillis / 1000).toFixed(1)} s`]
  ]
  const width = Math.max(...rows.map(([name]) => name.length))
  const lines = [
    `| ${"figure".padEnd(width)} | value |`,
    `|${"-".repeat(width + 2)}|-------|`,
    ...rows.map(([name, value]) => `| ${name.padEnd(width)} | ${value} |`)
  ]
  return lines.join("\n")
}

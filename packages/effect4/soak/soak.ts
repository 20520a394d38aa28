/**
 * The fault-injection soak on the Effect 4 line, from the command line (the same options as `pnpm soak`):
 *
 * ```sh
 * pnpm soak:effect4
 * pnpm soak:effect4 --ops 2000 --concurrency 16 --fault-rate 0.3 --seed 7
 * pnpm soak:effect4 --break retry-add-after-timeout   # must fail: shows the soak catches that broken rule
 * ```
 *
 * Prints the figures as a Markdown table and every property that did not hold; exits with status 1 when
 * one did not, 2 on a bad option.
 */
import * as Effect from "effect/Effect"
import { heading, parse, usage, UsageError } from "../../testing/soak/cli.js"
import { format } from "../../testing/soak/report.js"
import * as Fault from "../src/testing/Fault.js"
import { run } from "./run.js"

const FAULT_KINDS: ReadonlyArray<string> = Fault.transientKinds
const USAGE = usage("pnpm soak:effect4", FAULT_KINDS)

const main = Effect.gen(function*() {
  const options = parse(process.argv.slice(2), FAULT_KINDS, process.env.SOAK_BREAK)
  if (options === "help") return console.log(USAGE)
  console.log(heading("Effect 4", options))
  const report = yield* Effect.scoped(run(options))
  console.log(format(report))
  if (report.violations.length > 0) {
    console.error(`\n${report.violations.length} properties did not hold:`)
    for (const violation of report.violations) console.error(`- ${violation.kind}: ${violation.message}`)
    process.exitCode = 1
  }
})

Effect.runPromise(main).catch((error: unknown) => {
  process.stderr.write(error instanceof UsageError ? `${error.message}\n\n${USAGE}\n` : `${String(error)}\n`)
  process.exitCode = 2
})

/**
 * The fault-injection soak, from the command line:
 *
 * ```sh
 * pnpm soak
 * pnpm soak --ops 2000 --concurrency 16 --fault-rate 0.3 --seed 7
 * pnpm soak --break retry-add-after-timeout   # must fail: shows the soak catches that broken rule
 * ```
 *
 * Prints the figures as a Markdown table and every property that did not hold; exits with status 1 when
 * one did not.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Fault from "../src/Fault.js"
import { heading, parse, usage, UsageError } from "./cli.js"
import { format } from "./report.js"
import { run } from "./run.js"

const FAULT_KINDS: ReadonlyArray<string> = Fault.transientKinds
const USAGE = usage("pnpm soak", FAULT_KINDS)

const main = Effect.gen(function*() {
  const options = yield* Effect.try({
    try: () => parse(process.argv.slice(2), FAULT_KINDS, process.env.SOAK_BREAK),
    catch: (error) => error
  })
  if (options === "help") return yield* Console.log(USAGE)
  yield* Console.log(heading("Effect 3", options))
  const report = yield* Effect.scoped(run(options))
  yield* Console.log(format(report))
  if (report.violations.length > 0) {
    yield* Console.error(`\n${report.violations.length} properties did not hold:`)
    for (const violation of report.violations) yield* Console.error(`- ${violation.kind}: ${violation.message}`)
    process.exitCode = 1
  }
}).pipe(
  Effect.catchAll((error) =>
    Effect.sync(() => {
      process.stderr.write(error instanceof UsageError ? `${error.message}\n\n${USAGE}\n` : `${String(error)}\n`)
      process.exitCode = 2
    })
  )
)

NodeRuntime.runMain(main, { disableErrorReporting: true })

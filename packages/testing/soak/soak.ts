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
import { format } from "./report.js"
import { BROKEN_RULES, type BrokenRule, defaults, type Options, run } from "./run.js"

const FAULT_KINDS: ReadonlyArray<string> = Fault.transientKinds

const USAGE = `Usage: pnpm soak [options]

  --ops N            operations to run (default ${defaults.operations})
  --concurrency N    operations at once (default ${defaults.concurrency})
  --fault-rate R     share of requests, 0 to 1, that meet a fault (default ${defaults.faultRate})
  --seed N           seed of the plan and of the faults (default ${defaults.seed})
  --timeout MS       the client's timeout per attempt in milliseconds (default 1000)
  --max-retries N    the retry policy's retries (default ${defaults.maxRetries})
  --faults LIST      kinds of fault to inject, comma-separated (default all:
                     ${FAULT_KINDS.join(",")})
  --blind-add-retries
                     retry adds as if they were idempotent, to show that the soak then
                     catches adds applied twice (exits with status 1)
  --break RULE       break one rule on purpose, to show that the soak catches it (exits
                     with status 1): ${BROKEN_RULES.join(", ")}
                     (also read from SOAK_BREAK)
  --help             this text`

class UsageError extends Error {}

const numberOf = (flag: string, value: string | undefined, min: number, max: number, integer: boolean): number => {
  const n = Number(value)
  if (value === undefined || value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${flag} expects a number from ${min} to ${max}, got ${JSON.stringify(value ?? "")}`)
  }
  if (integer && !Number.isInteger(n)) throw new UsageError(`${flag} expects a whole number, got ${value}`)
  return n
}

const parse = (argv: ReadonlyArray<string>): Options | "help" => {
  const fromEnv = process.env.SOAK_BREAK
  let options: Options = fromEnv === undefined || fromEnv === ""
    ? defaults
    : { ...defaults, breakRule: fromEnv as BrokenRule }
  if (options.breakRule !== undefined && !BROKEN_RULES.includes(options.breakRule)) {
    throw new UsageError(`SOAK_BREAK expects one of ${BROKEN_RULES.join(", ")}, got ${JSON.stringify(fromEnv)}`)
  }
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!
    if (flag === "--help" || flag === "-h") return "help"
    if (flag === "--blind-add-retries") {
      options = { ...options, blindAddRetries: true }
      continue
    }
    const [name, inline] = flag.includes("=") ? flag.split("=", 2) as [string, string] : [flag, undefined]
    const value = inline ?? argv[++i]
    switch (name) {
      case "--ops":
        options = { ...options, operations: numberOf(name, value, 1, 1_000_000, true) }
        break
      case "--concurrency":
        options = { ...options, concurrency: numberOf(name, value, 1, 1024, true) }
        break
      case "--fault-rate":
        options = { ...options, faultRate: numberOf(name, value, 0, 1, false) }
        break
      case "--seed":
        options = { ...options, seed: numberOf(name, value, 0, 2 ** 31 - 1, true) }
        break
      case "--timeout":
        options = { ...options, timeout: `${numberOf(name, value, 10, 600_000, true)} millis` }
        break
      case "--faults": {
        const kinds = (value ?? "").split(",").map((kind) => kind.trim()).filter((kind) => kind !== "")
        const unknown = kinds.filter((kind) => !FAULT_KINDS.includes(kind))
        if (kinds.length === 0 || unknown.length > 0) {
          throw new UsageError(
            `--faults expects kinds from ${FAULT_KINDS.join(",")}, got ${JSON.stringify(value ?? "")}`
          )
        }
        options = { ...options, faultKinds: kinds }
        break
      }
      case "--break": {
        if (!BROKEN_RULES.includes(value as BrokenRule)) {
          throw new UsageError(`--break expects one of ${BROKEN_RULES.join(", ")}, got ${JSON.stringify(value ?? "")}`)
        }
        options = { ...options, breakRule: value as BrokenRule }
        break
      }
      case "--max-retries":
        options = { ...options, maxRetries: numberOf(name, value, 0, 100, true) }
        break
      default:
        throw new UsageError(`unknown option ${name}`)
    }
  }
  return options
}

const main = Effect.gen(function*() {
  const options = yield* Effect.try({ try: () => parse(process.argv.slice(2)), catch: (error) => error })
  if (options === "help") return yield* Console.log(USAGE)
  yield* Console.log(
    `soak: ${options.operations} operations, concurrency ${options.concurrency}, fault rate ${options.faultRate}, ` +
      `seed ${options.seed}${options.breakRule === undefined ? "" : `, rule broken on purpose: ${options.breakRule}`}`
  )
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

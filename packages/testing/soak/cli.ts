/**
 * The soak's command line, shared by both lines' programs (`pnpm soak`, `pnpm soak:effect4`): its usage text
 * and the parsing of its arguments into `Options`.
 */
import { BROKEN_RULES, type BrokenRule, defaults, type Options } from "./options.js"

export class UsageError extends Error {}

export const usage = (command: string, faultKinds: ReadonlyArray<string>): string =>
  `Usage: ${command} [options]

  --ops N            operations to run (default ${defaults.operations})
  --concurrency N    operations at once (default ${defaults.concurrency})
  --fault-rate R     share of requests, 0 to 1, that meet a fault (default ${defaults.faultRate})
  --seed N           seed of the plan and of the faults (default ${defaults.seed})
  --timeout MS       the client's timeout per attempt in milliseconds (default ${defaults.timeoutMillis})
  --max-retries N    the retry policy's retries (default ${defaults.maxRetries})
  --faults LIST      kinds of fault to inject, comma-separated (default all:
                     ${faultKinds.join(",")})
  --blind-add-retries
                     retry adds as if they were idempotent, to show that the soak then
                     catches adds applied twice (exits with status 1)
  --break RULE       break one rule on purpose, to show that the soak catches it (exits
                     with status 1): ${BROKEN_RULES.join(", ")}
                     (also read from SOAK_BREAK)
  --help             this text`

const numberOf = (flag: string, value: string | undefined, min: number, max: number, integer: boolean): number => {
  const n = Number(value)
  if (value === undefined || value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${flag} expects a number from ${min} to ${max}, got ${JSON.stringify(value ?? "")}`)
  }
  if (integer && !Number.isInteger(n)) throw new UsageError(`${flag} expects a whole number, got ${value}`)
  return n
}

/** The options of a command line (`SOAK_BREAK` is `breakFromEnv`); throws a `UsageError` on a bad one. */
export const parse = (
  argv: ReadonlyArray<string>,
  faultKinds: ReadonlyArray<string>,
  breakFromEnv: string | undefined
): Options | "help" => {
  let options: Options = breakFromEnv === undefined || breakFromEnv === ""
    ? defaults
    : { ...defaults, breakRule: breakFromEnv as BrokenRule }
  if (options.breakRule !== undefined && !BROKEN_RULES.includes(options.breakRule)) {
    throw new UsageError(`SOAK_BREAK expects one of ${BROKEN_RULES.join(", ")}, got ${JSON.stringify(breakFromEnv)}`)
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
        options = { ...options, timeoutMillis: numberOf(name, value, 10, 600_000, true) }
        break
      case "--faults": {
        const kinds = (value ?? "").split(",").map((kind) => kind.trim()).filter((kind) => kind !== "")
        const unknown = kinds.filter((kind) => !faultKinds.includes(kind))
        if (kinds.length === 0 || unknown.length > 0) {
          throw new UsageError(
            `--faults expects kinds from ${faultKinds.join(",")}, got ${JSON.stringify(value ?? "")}`
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

/** The line printed before a run. */
export const heading = (line: string, options: Options): string =>
  `soak (${line}): ${options.operations} operations, concurrency ${options.concurrency}, fault rate ` +
  `${options.faultRate}, seed ${options.seed}` +
  (options.breakRule === undefined ? "" : `, rule broken on purpose: ${options.breakRule}`)

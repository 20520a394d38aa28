/**
 * Runs the `ScenarioEmulator` from the command line until Ctrl-C or SIGTERM:
 *
 * ```sh
 * pnpm emulator --port 4010
 * pnpm emulator --port 4010 --fault-rate 0.2 --fault-seed 7 --faults 429,503,drop-after-apply
 * ```
 *
 * @since 0.1.0
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Fault from "../Fault.js"
import * as ScenarioEmulator from "../ScenarioEmulator.js"

const USAGE = `Usage: pnpm emulator [options]

  --port N              port to listen on (default 4010; 0 picks a free one)
  --host H              address to listen on (default 127.0.0.1)
  --api-key K           Basic credentials accepted (default ${ScenarioEmulator.DEFAULT_API_KEY})
  --api-secret S        (default ${ScenarioEmulator.DEFAULT_API_SECRET})
  --bearer-token T      Bearer token accepted (default ${ScenarioEmulator.DEFAULT_BEARER_TOKEN})
  --model ID            a model to create at start; repeat for more (default model_demo)
  --fault-rate R        share of requests, 0 to 1, that meet a random fault (default 0)
  --fault-seed N        seed of the random faults (default 0)
  --faults LIST         kinds to pick from, comma-separated (default 429,500,502,503,delay,drop-before-apply,drop-after-apply)
  --retry-after S       seconds a 429 asks to wait (default 1)
  --delay MS            milliseconds a delay fault holds the response (default 5000)
  --help                this text`

interface Arguments {
  readonly port: number
  readonly host: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly bearerToken: string
  readonly models: ReadonlyArray<string>
  readonly faultRate: number
  readonly faultSeed: number
  readonly faults: ReadonlyArray<string>
  readonly retryAfterSeconds: number
  readonly delayMillis: number
}

const FAULT_KINDS = ["429", "500", "502", "503", "delay", "drop-before-apply", "drop-after-apply"]

class UsageError extends Error {}

const numberOf = (flag: string, value: string, min: number, max: number): number => {
  const n = Number(value)
  if (value.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`${flag} expects a number from ${min} to ${max}, got ${JSON.stringify(value)}`)
  }
  return n
}

const parse = (argv: ReadonlyArray<string>): Arguments | "help" => {
  const values = new Map<string, Array<string>>()
  // pnpm passes the arguments after the script name as they are; a `--` some shells or habits add is skipped.
  const args = argv.filter((arg) => arg !== "--")
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--help" || arg === "-h") return "help"
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg]
    const known = [
      "--port",
      "--host",
      "--api-key",
      "--api-secret",
      "--bearer-token",
      "--model",
      "--fault-rate",
      "--fault-seed",
      "--faults",
      "--retry-after",
      "--delay"
    ]
    if (!known.includes(flag!)) throw new UsageError(`unknown option ${arg}`)
    const value = inline ?? args[++i]
    if (value === undefined) throw new UsageError(`${flag} expects a value`)
    values.set(flag!, [...(values.get(flag!) ?? []), value])
  }
  const last = (flag: string) => values.get(flag)?.at(-1)
  const faults = (last("--faults") ?? FAULT_KINDS.join(",")).split(",").map((kind) => kind.trim()).filter((k) => k)
  for (const kind of faults) {
    if (!FAULT_KINDS.includes(kind)) {
      throw new UsageError(`unknown fault ${JSON.stringify(kind)}: expected some of ${FAULT_KINDS.join(", ")}`)
    }
  }
  return {
    port: numberOf("--port", last("--port") ?? "4010", 0, 65535),
    host: last("--host") ?? "127.0.0.1",
    apiKey: last("--api-key") ?? ScenarioEmulator.DEFAULT_API_KEY,
    apiSecret: last("--api-secret") ?? ScenarioEmulator.DEFAULT_API_SECRET,
    bearerToken: last("--bearer-token") ?? ScenarioEmulator.DEFAULT_BEARER_TOKEN,
    models: values.get("--model") ?? ["model_demo"],
    faultRate: numberOf("--fault-rate", last("--fault-rate") ?? "0", 0, 1),
    faultSeed: numberOf("--fault-seed", last("--fault-seed") ?? "0", 0, Number.MAX_SAFE_INTEGER),
    faults,
    retryAfterSeconds: numberOf("--retry-after", last("--retry-after") ?? "1", 0, 86400),
    delayMillis: numberOf("--delay", last("--delay") ?? "5000", 0, 3_600_000)
  }
}

const faultOf = (kind: string, args: Arguments): Fault.Fault => {
  switch (kind) {
    case "429":
      return Fault.rateLimited({ retryAfter: `${args.retryAfterSeconds} seconds` })
    case "500":
    case "502":
    case "503":
      return Fault.serverError(Number(kind) as 500 | 502 | 503)
    case "delay":
      return Fault.delay(`${args.delayMillis} millis`)
    case "drop-before-apply":
      return Fault.dropBeforeApply
    default:
      return Fault.dropAfterApply
  }
}

const logLine = (request: ScenarioEmulator.RecordedRequest) =>
  Console.log(
    [
      new Date().toISOString(),
      request.status === undefined ? "---" : String(request.status),
      request.method,
      request.query === "" ? request.path : `${request.path}?${request.query}`,
      request.requestId,
      ...(request.authenticated ? [] : ["(not authenticated)"]),
      ...(request.fault === undefined ? [] : [`fault=${request.fault}`])
    ].join(" ")
  )

const main = (args: Arguments) =>
  Layer.launch(
    Layer.scopedDiscard(
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        yield* Console.log(
          [
            `Scenario emulator listening on ${emulator.baseUrl}`,
            ...(emulator.inspectorUrl === undefined ? [] : [`  Inspector: ${emulator.inspectorUrl}`]),
            `  Basic:  API key ${args.apiKey}, API secret ${args.apiSecret}`,
            `  Bearer: ${args.bearerToken}`,
            `  Models: ${args.models.join(", ")}`,
            args.faultRate > 0
              ? `  Faults: ${args.faults.join(", ")} on ${args.faultRate * 100}% of requests (seed ${args.faultSeed})`
              : "  Faults: none",
            `  Try:    GET ${emulator.baseUrl}/models/${encodeURIComponent(args.models[0] ?? "model_demo")}`,
            ...(/^(?:127\.|::1$|localhost$)/.test(args.host)
              ? []
              : [`  Warning: listening on ${args.host}, reachable from other machines, with the credentials above.`]),
            "Ctrl-C stops it."
          ].join("\n")
        )
        yield* Effect.addFinalizer(() => Console.log("Scenario emulator stopped"))
      })
    ).pipe(
      Layer.provide(ScenarioEmulator.layer({
        host: args.host,
        port: args.port,
        apiKey: args.apiKey,
        apiSecret: args.apiSecret,
        bearerToken: args.bearerToken,
        models: Object.fromEntries(args.models.map((id) => [id, {}])),
        faults: args.faultRate > 0
          ? { rate: args.faultRate, seed: args.faultSeed, faults: args.faults.map((kind) => faultOf(kind, args)) }
          : undefined,
        onRequest: logLine
      }))
    )
  )

let parsed: Arguments | "help"
try {
  parsed = parse(process.argv.slice(2))
} catch (error) {
  if (!(error instanceof UsageError)) throw error
  console.error(`${error.message}\n\n${USAGE}`)
  process.exit(2)
}
if (parsed === "help") {
  console.log(USAGE)
} else {
  NodeRuntime.runMain(main(parsed))
}

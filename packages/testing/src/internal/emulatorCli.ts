import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Fault from "../Fault.js"
import * as ScenarioEmulator from "../ScenarioEmulator.js"
import { withDefaultShown, withPlainTextUnlessColor } from "./cliText.js"
import { VERSION } from "./version.js"

/** @internal */
export const FAULT_KINDS = Fault.transientKinds

/** @internal */
export type FaultKind = Fault.TransientKind

/** @internal */
export interface Arguments {
  readonly port: number
  readonly host: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly bearerToken: string
  readonly models: ReadonlyArray<string>
  readonly faultRate: number
  readonly faultSeed: number
  readonly faults: ReadonlyArray<FaultKind>
  readonly retryAfterSeconds: number
  readonly delayMillis: number
  /** How long an added image stays out of the list (`--list-lag`), in milliseconds; 0: none. */
  readonly listLagMillis: number
}

/** Parses `--faults`: a comma-separated list of fault kinds. Plain, so it is tested without the parser. */
export const parseFaultKinds = (list: string): Option.Option<ReadonlyArray<FaultKind>> => {
  const kinds = list.split(",").map((kind) => kind.trim()).filter((kind) => kind !== "")
  if (kinds.length === 0) return Option.none()
  return kinds.every((kind): kind is FaultKind => (FAULT_KINDS as ReadonlyArray<string>).includes(kind))
    ? Option.some(kinds)
    : Option.none()
}

const UNIT_MILLIS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * Parses a duration such as `1500ms`, `2s`, `0.5 s`, `1m` or `1h` into milliseconds (`0` needs no unit).
 * Plain, so it is tested without the parser.
 */
export const parseDuration = (text: string): Option.Option<number> => {
  const trimmed = text.trim()
  if (trimmed === "0") return Option.some(0)
  const match = /^(\d+(?:\.\d+)?) ?(ms|s|m|h)$/.exec(trimmed)
  return match === null ? Option.none() : Option.some(Math.round(Number(match[1]) * UNIT_MILLIS[match[2]!]!))
}

const inRange = (flag: string, min: number, max: number) => (options: Options.Options<number>) =>
  Options.mapEffect(options, (n) =>
    n >= min && n <= max
      ? Effect.succeed(n)
      : Effect.fail(
        ValidationError.invalidValue(HelpDoc.p(`--${flag} expects a number from ${min} to ${max}, got ${n}`))
      ))

const options = {
  port: Options.integer("port").pipe(
    Options.withDescription("port to listen on (0 picks a free one)"),
    withDefaultShown(4010),
    inRange("port", 0, 65535)
  ),
  host: Options.text("host").pipe(Options.withDescription("address to listen on"), withDefaultShown("127.0.0.1")),
  apiKey: Options.text("api-key").pipe(
    Options.withDescription("API key of the Basic credentials accepted"),
    withDefaultShown(ScenarioEmulator.DEFAULT_API_KEY)
  ),
  apiSecret: Options.text("api-secret").pipe(
    Options.withDescription("API secret of the Basic credentials accepted"),
    withDefaultShown(ScenarioEmulator.DEFAULT_API_SECRET)
  ),
  bearerToken: Options.text("bearer-token").pipe(
    Options.withDescription("Bearer token accepted"),
    withDefaultShown(ScenarioEmulator.DEFAULT_BEARER_TOKEN)
  ),
  models: Options.text("model").pipe(
    Options.withDescription("a model to create at start; repeat for more"),
    Options.repeated,
    // Optional, so that the usage line shows it so: none given is the default.
    Options.optional,
    Options.withDescription("Default: model_demo."),
    Options.map((models): ReadonlyArray<string> =>
      Option.match(models, { onNone: () => ["model_demo"], onSome: (ids) => ids.length === 0 ? ["model_demo"] : ids })
    )
  ),
  faultRate: Options.float("fault-rate").pipe(
    Options.withDescription("share of requests, 0 to 1, that meet a random fault"),
    withDefaultShown(0),
    inRange("fault-rate", 0, 1)
  ),
  faultSeed: Options.integer("fault-seed").pipe(
    Options.withDescription("seed of the random faults"),
    withDefaultShown(0),
    inRange("fault-seed", 0, Number.MAX_SAFE_INTEGER)
  ),
  faults: Options.text("faults").pipe(
    Options.withDescription(`fault kinds to pick from, comma-separated: ${FAULT_KINDS.join(",")}`),
    withDefaultShown(FAULT_KINDS.join(",")),
    Options.filterMap(parseFaultKinds, `--faults expects some of ${FAULT_KINDS.join(", ")}, comma-separated`)
  ),
  retryAfterSeconds: Options.integer("retry-after").pipe(
    Options.withDescription("seconds a 429 asks to wait"),
    withDefaultShown(1),
    inRange("retry-after", 0, 86400)
  ),
  delayMillis: Options.integer("delay").pipe(
    Options.withDescription("milliseconds a delay fault holds the response"),
    withDefaultShown(5000),
    inRange("delay", 0, 3_600_000)
  ),
  listLagMillis: Options.text("list-lag").pipe(
    Options.withDescription(
      "how long an added image stays out of the model's list (eventual consistency), e.g. 2s or 1500ms"
    ),
    Options.withDefault("0"),
    Options.filterMap(
      (text) => Option.filter(parseDuration(text), (millis) => millis <= 3_600_000),
      "--list-lag expects a duration of at most 1h with its unit, e.g. 2s, 1500ms or 1m"
    )
  )
}

/** @internal */
export const faultOf = (kind: FaultKind, args: Pick<Arguments, "retryAfterSeconds" | "delayMillis">): Fault.Fault =>
  // Every transient kind is one that `fromKind` builds.
  Fault.fromKind(kind, { retryAfter: `${args.retryAfterSeconds} seconds`, delay: `${args.delayMillis} millis` })!

/** @internal */
export const emulatorOptions = (args: Arguments): ScenarioEmulator.Options => ({
  host: args.host,
  port: args.port,
  apiKey: args.apiKey,
  apiSecret: args.apiSecret,
  bearerToken: args.bearerToken,
  models: Object.fromEntries(args.models.map((id) => [id, {}])),
  faults: args.faultRate > 0
    ? { rate: args.faultRate, seed: args.faultSeed, faults: args.faults.map((kind) => faultOf(kind, args)) }
    : undefined,
  listLag: args.listLagMillis > 0 ? Duration.millis(args.listLagMillis) : undefined
})

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

/** @internal */
export const banner = (args: Arguments, baseUrl: string, inspectorUrl?: string | undefined): string =>
  [
    `Scenario emulator listening on ${baseUrl}`,
    ...(inspectorUrl === undefined ? [] : [`  Inspector: ${inspectorUrl} (open it in a browser)`]),
    `  Basic:  API key ${args.apiKey}, API secret ${args.apiSecret}`,
    `  Bearer: ${args.bearerToken}`,
    `  Models: ${args.models.join(", ")}`,
    args.faultRate > 0
      ? `  Faults: ${args.faults.join(", ")} on ${args.faultRate * 100}% of requests (seed ${args.faultSeed})`
      : "  Faults: none",
    ...(args.listLagMillis > 0 ? [`  List lag: an added image is listed ${args.listLagMillis} ms after its add`] : []),
    `  Try:    GET ${baseUrl}/models/${encodeURIComponent(args.models[0] ?? "model_demo")}`,
    ...(/^(?:127\.|::1$|localhost$)/.test(args.host)
      ? []
      : [`  Warning: listening on ${args.host}, reachable from other machines, with the credentials above.`]),
    "Ctrl-C stops it."
  ].join("\n")

/** The one line a user reads when the server cannot listen; the cause's stack is of no use to them. */
export const describeServeError = (cause: unknown, args: Pick<Arguments, "host" | "port">): string => {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined
  switch (code) {
    case "EADDRINUSE":
      return `port ${args.port} is already in use`
    case "EACCES":
      return `no permission to listen on port ${args.port}`
    case "EADDRNOTAVAIL":
      return `address ${args.host} is not available on this machine`
    default:
      return `cannot listen on ${args.host}:${args.port}: ${cause instanceof Error ? cause.message : String(cause)}`
  }
}

/** @internal */
export class EmulatorStartError extends Data.TaggedError("EmulatorStartError")<{ readonly message: string }> {}

/** @internal */
export const serve = (args: Arguments): Effect.Effect<never, EmulatorStartError> =>
  Layer.launch(
    Layer.scopedDiscard(
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        yield* Console.log(banner(args, emulator.baseUrl, emulator.inspectorUrl))
        yield* Effect.addFinalizer(() => Console.log("Scenario emulator stopped"))
      })
    ).pipe(Layer.provide(ScenarioEmulator.layer({ ...emulatorOptions(args), onRequest: logLine })))
  ).pipe(
    Effect.catchTags({
      ServeError: (error) => Effect.fail(new EmulatorStartError({ message: describeServeError(error.cause, args) })),
      InvalidSeedError: (error) => Effect.fail(new EmulatorStartError({ message: error.message }))
    })
  )

/** @internal */
export const command = Command.make("scenario-emulator", options, serve).pipe(
  Command.withDescription("A local HTTP emulator of Scenario's training-images API, until Ctrl-C or SIGTERM.")
)

/** @internal */
export const run = (argv: ReadonlyArray<string>) =>
  Command.run(command, { name: "scenario-emulator", version: VERSION })(argv).pipe(
    Effect.tapErrorTag("EmulatorStartError", (error) => Console.error(error.message)),
    withPlainTextUnlessColor
  )

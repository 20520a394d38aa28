/**
 * The `scenario-emulator` command: the emulator served from a terminal until Ctrl-C or SIGTERM, for curl,
 * another language's client, or a test suite that starts it once. Its arguments are read with `node:util`'s
 * `parseArgs`; importing this module starts nothing (the package's `scenario-emulator` bin runs `main`).
 *
 * ```sh
 * npx scenario-emulator --port 4010
 * npx scenario-emulator --port 4010 --model model_1 --fault-rate 0.2 --fault-seed 7 --faults 429,503,drop-after-apply
 * npx scenario-emulator --port 4010 --list-lag 2s # an added image is listed 2 s after its add
 * npx scenario-emulator --help
 * ```
 *
 * @since 0.1.0
 */
import * as Terminal from "@effect-scenario/kernel/Terminal"
import { parseArgs } from "node:util"
import * as FaultKind from "./FaultKind.js"
import { VERSION } from "./internal/version.js"
import * as Server from "./Server.js"

/**
 * The command's name, in its help and its usage line.
 *
 * @since 0.1.0
 * @category constants
 */
export const NAME = "scenario-emulator"

/**
 * The parsed command line.
 *
 * @since 0.1.0
 * @category models
 */
export interface Arguments {
  readonly port: number
  readonly host: string
  readonly apiKey: string
  readonly apiSecret: string
  readonly bearerToken: string
  readonly models: ReadonlyArray<string>
  readonly faultRate: number
  readonly faultSeed: number
  readonly faults: ReadonlyArray<FaultKind.TransientKind>
  readonly retryAfterSeconds: number
  readonly delayMillis: number
  /** How long an added image stays out of the list (`--list-lag`), in milliseconds; 0: none. */
  readonly listLagMillis: number
}

/**
 * A flag's text read, or the problem with it (the whole message, naming the flag).
 *
 * @since 0.1.0
 * @category models
 */
export type Read<A> = { readonly _tag: "Ok"; readonly value: A } | {
  readonly _tag: "Problem"
  readonly message: string
}

/**
 * One flag of the command: its name (`--<name>`), the field of `Arguments` it fills, the type its help names,
 * what it is for, its default and how that default is shown, whether it may be repeated, and how its text is
 * read. The table both the command line and any binding (an `@effect/cli` command, say) are built from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Flag<K extends keyof Arguments = keyof Arguments> {
  readonly name: string
  readonly key: K
  readonly type: "integer" | "float" | "text"
  readonly description: string
  readonly default: Arguments[K]
  readonly shown: string
  readonly repeated: boolean
  /** One occurrence's text (every occurrence's, for a repeated flag, is read and collected). */
  readonly read: (text: string) => Read<Arguments[K] extends ReadonlyArray<infer E> ? E : Arguments[K]>
}

const ok = <A>(value: A): Read<A> => ({ _tag: "Ok", value })
const problem = <A>(message: string): Read<A> => ({ _tag: "Problem", message })

const number = (name: string, integer: boolean, min: number, max: number) => (text: string): Read<number> => {
  const trimmed = text.trim()
  const n = (integer ? /^[-+]?\d+$/ : /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/).test(trimmed)
    ? Number(trimmed)
    : Number.NaN
  if (Number.isNaN(n)) {
    return problem(`--${name} expects ${integer ? "an integer" : "a number"}, got ${JSON.stringify(text)}`)
  }
  return n >= min && n <= max ? ok(n) : problem(`--${name} expects a number from ${min} to ${max}, got ${n}`)
}

/**
 * Parses `--faults`: a comma-separated list of fault kinds, each one of `FaultKind.TRANSIENT_KINDS`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseFaultKinds = (list: string): ReadonlyArray<FaultKind.TransientKind> | undefined => {
  const kinds = list.split(",").map((kind) => kind.trim()).filter((kind) => kind !== "")
  if (kinds.length === 0) return undefined
  return kinds.every((kind): kind is FaultKind.TransientKind =>
      (FaultKind.TRANSIENT_KINDS as ReadonlyArray<string>).includes(kind)
    )
    ? kinds
    : undefined
}

const UNIT_MILLIS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * Parses a duration such as `1500ms`, `2s`, `0.5 s`, `1m` or `1h` into milliseconds (`0` needs no unit).
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseDuration = (text: string): number | undefined => {
  const trimmed = text.trim()
  if (trimmed === "0") return 0
  const match = /^(\d+(?:\.\d+)?) ?(ms|s|m|h)$/.exec(trimmed)
  return match === null ? undefined : Math.round(Number(match[1]) * UNIT_MILLIS[match[2]!]!)
}

const text = (text: string): Read<string> => ok(text)

const flag = <K extends keyof Arguments>(spec: Flag<K>): Flag<K> => spec

/**
 * Every flag of the command, in the order its help lists them.
 *
 * @since 0.1.0
 * @category flags
 */
export const FLAGS: ReadonlyArray<Flag> = [
  flag({
    name: "port",
    key: "port",
    type: "integer",
    description: "port to listen on (0 picks a free one)",
    default: 4010,
    shown: "4010",
    repeated: false,
    read: number("port", true, 0, 65535)
  }),
  flag({
    name: "host",
    key: "host",
    type: "text",
    description: "address to listen on",
    default: "127.0.0.1",
    shown: "127.0.0.1",
    repeated: false,
    read: text
  }),
  flag({
    name: "api-key",
    key: "apiKey",
    type: "text",
    description: "API key of the Basic credentials accepted",
    default: Server.DEFAULT_API_KEY,
    shown: Server.DEFAULT_API_KEY,
    repeated: false,
    read: text
  }),
  flag({
    name: "api-secret",
    key: "apiSecret",
    type: "text",
    description: "API secret of the Basic credentials accepted",
    default: Server.DEFAULT_API_SECRET,
    shown: Server.DEFAULT_API_SECRET,
    repeated: false,
    read: text
  }),
  flag({
    name: "bearer-token",
    key: "bearerToken",
    type: "text",
    description: "Bearer token accepted",
    default: Server.DEFAULT_BEARER_TOKEN,
    shown: Server.DEFAULT_BEARER_TOKEN,
    repeated: false,
    read: text
  }),
  flag({
    name: "model",
    key: "models",
    type: "text",
    description: "a model to create at start; repeat for more",
    default: ["model_demo"],
    shown: "model_demo",
    repeated: true,
    read: text
  }),
  flag({
    name: "fault-rate",
    key: "faultRate",
    type: "float",
    description: "share of requests, 0 to 1, that meet a random fault",
    default: 0,
    shown: "0",
    repeated: false,
    read: number("fault-rate", false, 0, 1)
  }),
  flag({
    name: "fault-seed",
    key: "faultSeed",
    type: "integer",
    description: "seed of the random faults",
    default: 0,
    shown: "0",
    repeated: false,
    read: number("fault-seed", true, 0, Number.MAX_SAFE_INTEGER)
  }),
  flag({
    name: "faults",
    key: "faults",
    type: "text",
    description: `fault kinds to pick from, comma-separated: ${FaultKind.TRANSIENT_KINDS.join(",")}`,
    default: FaultKind.TRANSIENT_KINDS,
    shown: FaultKind.TRANSIENT_KINDS.join(","),
    repeated: false,
    read: (list) => {
      const kinds = parseFaultKinds(list)
      return kinds === undefined
        ? problem(`--faults expects some of ${FaultKind.TRANSIENT_KINDS.join(", ")}, comma-separated`)
        : ok(kinds) as never
    }
  }),
  flag({
    name: "retry-after",
    key: "retryAfterSeconds",
    type: "integer",
    description: "seconds a 429 asks to wait",
    default: 1,
    shown: "1",
    repeated: false,
    read: number("retry-after", true, 0, 86400)
  }),
  flag({
    name: "delay",
    key: "delayMillis",
    type: "integer",
    description: "milliseconds a delay fault holds the response",
    default: 5000,
    shown: "5000",
    repeated: false,
    read: number("delay", true, 0, 3_600_000)
  }),
  flag({
    name: "list-lag",
    key: "listLagMillis",
    type: "text",
    description: "how long an added image stays out of the model's list (eventual consistency), e.g. 2s or 1500ms",
    default: 0,
    shown: "0",
    repeated: false,
    read: (duration) => {
      const millis = parseDuration(duration)
      return millis === undefined || millis > 3_600_000
        ? problem("--list-lag expects a duration of at most 1h with its unit, e.g. 2s, 1500ms or 1m")
        : ok(millis)
    }
  })
]

/**
 * What a command line asks for: the emulator served with these arguments, the help, the version, or nothing
 * (its arguments are wrong: the message says which, exit code 2).
 *
 * @since 0.1.0
 * @category models
 */
export type Parsed =
  | { readonly _tag: "Serve"; readonly args: Arguments }
  | { readonly _tag: "Help" }
  | { readonly _tag: "Version" }
  | { readonly _tag: "Invalid"; readonly message: string }

const BY_NAME: ReadonlyMap<string, Flag> = new Map(FLAGS.map((flag) => [flag.name, flag]))

/**
 * Reads a command line (without the runtime and the script: `process.argv.slice(2)`). `--help` (`-h`) or
 * `--version` anywhere wins over everything else; an unknown flag, a flag without its value, a positional
 * argument, a flag given twice (but `--model`) or a bad value is `Invalid`, with a message naming it.
 *
 * @example
 * ```ts
 * import { Command } from "@effect-scenario/emulator"
 *
 * Command.parse(["--fault-rate", "2"])
 * // { _tag: "Invalid", message: "--fault-rate expects a number from 0 to 1, got 2" }
 * ```
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (argv: ReadonlyArray<string>): Parsed => {
  const { tokens, values: given } = parseArgs({
    args: [...argv],
    options: {
      ...Object.fromEntries(FLAGS.map((flag) => [flag.name, { type: "string" as const, multiple: flag.repeated }])),
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" }
    },
    strict: false,
    allowPositionals: true,
    tokens: true
  })
  // Any occurrence counts, with a value or not (`--help=1`, `--h`).
  if (given.help !== undefined || given.h !== undefined) return { _tag: "Help" }
  if (given.version !== undefined) return { _tag: "Version" }
  const values = new Map<string, Array<string>>()
  for (const token of tokens) {
    if (token.kind === "positional") {
      return { _tag: "Invalid", message: `Received unknown argument: ${quote(token.value)}` }
    }
    if (token.kind !== "option") continue
    const spec = BY_NAME.get(token.name)
    if (spec === undefined) return { _tag: "Invalid", message: `Received unknown argument: ${quote(token.rawName)}` }
    if (token.value === undefined) return { _tag: "Invalid", message: `--${spec.name} expects a value` }
    const seen = values.get(spec.name) ?? []
    if (seen.length > 0 && !spec.repeated) {
      return { _tag: "Invalid", message: `--${spec.name} is given more than once` }
    }
    values.set(spec.name, [...seen, token.value])
  }
  const args: Record<string, unknown> = {}
  for (const spec of FLAGS) {
    const given = values.get(spec.name)
    if (given === undefined) {
      args[spec.key] = spec.default
      continue
    }
    const read: Array<unknown> = []
    for (const text of given) {
      const result = spec.read(text)
      if (result._tag === "Problem") return { _tag: "Invalid", message: result.message }
      read.push(result.value)
    }
    args[spec.key] = spec.repeated ? read : read[0]
  }
  return { _tag: "Serve", args: args as unknown as Arguments }
}

// An argument as a message shows it: quoted, its control characters escaped.
const quote = (text: string): string => `'${Terminal.escapeControl(text)}'`

const TYPE_TEXT: Readonly<Record<Flag["type"], string>> = {
  integer: "An integer.",
  float: "A floating point number.",
  text: "A user-defined piece of text."
}

/**
 * The help text: usage, description and every flag with its default; bold headings when `color`.
 *
 * @since 0.1.0
 * @category text
 */
export const help = (color = false): string => {
  const bold = (text: string) => color ? `\u001b[1m${text}\u001b[0m` : text
  const usage = FLAGS.map((flag) => `[--${flag.name} ${flag.type}${flag.repeated ? "..." : ""}]`).join(" ")
  const sections = FLAGS.map((flag) =>
    [
      bold(`--${flag.name} ${flag.type}${flag.repeated ? "..." : ""}`),
      "",
      `  ${TYPE_TEXT[flag.type]}`,
      "",
      `  ${flag.description}`,
      "",
      `  Default: ${flag.shown}.`,
      "",
      ...(flag.repeated ? ["  This option may be repeated zero or more times.", ""] : []),
      "  This setting is optional.",
      ""
    ].join("\n")
  )
  return [
    bold(NAME),
    "",
    `${NAME} ${VERSION}`,
    "",
    bold("USAGE"),
    "",
    `$ ${NAME} ${usage}`,
    "",
    bold("DESCRIPTION"),
    "",
    "A local HTTP emulator of Scenario's training-images API, until Ctrl-C or SIGTERM.",
    "",
    bold("OPTIONS"),
    "",
    ...sections,
    bold("(-h, --help)"),
    "",
    "  Show this help.",
    "",
    bold("--version"),
    "",
    "  Show the version of the application.",
    ""
  ].join("\n")
}

/**
 * The emulator's options for these arguments (the plain faults of `FaultKind`).
 *
 * @since 0.1.0
 * @category running
 */
export const serverOptions = (args: Arguments): Server.Options => ({
  host: args.host,
  port: args.port,
  apiKey: args.apiKey,
  apiSecret: args.apiSecret,
  bearerToken: args.bearerToken,
  models: Object.fromEntries(args.models.map((id) => [id, {}])),
  faults: args.faultRate > 0
    ? {
      rate: args.faultRate,
      seed: args.faultSeed,
      faults: args.faults.map((kind) =>
        // Every transient kind names a fault.
        FaultKind.answerOf(kind, { retryAfterMillis: args.retryAfterSeconds * 1000, delayMillis: args.delayMillis })!
      )
    }
    : undefined,
  listLagMillis: args.listLagMillis
})

/**
 * The lines printed when the emulator listens: where, with which credentials, models and faults, what to try.
 *
 * @since 0.1.0
 * @category text
 */
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
  ].map(Terminal.escapeControl).join("\n")

/**
 * The log line of a request: time, status (`---` when none was sent), method, path and query, request id,
 * and whether it was authenticated and met a fault.
 *
 * @since 0.1.0
 * @category text
 */
export const requestLine = (request: Server.RecordedRequest, now: Date = new Date()): string =>
  Terminal.escapeControl(
    [
      now.toISOString(),
      request.status === undefined ? "---" : String(request.status),
      request.method,
      request.query === "" ? request.path : `${request.path}?${request.query}`,
      request.requestId,
      ...(request.authenticated ? [] : ["(not authenticated)"]),
      ...(request.fault === undefined ? [] : [`fault=${request.fault}`])
    ].join(" ")
  )

/**
 * The one line a user reads when the emulator cannot start: a listening error (the port taken, say) or an
 * invalid seed; the cause's stack is of no use to them.
 *
 * @since 0.1.0
 * @category text
 */
export const describeStartError = (cause: unknown, args: Pick<Arguments, "host" | "port">): string => {
  if (cause instanceof Server.SeedError) return Terminal.escapeControl(cause.message)
  const code = typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined
  switch (code) {
    case "EADDRINUSE":
      return `port ${args.port} is already in use`
    case "EACCES":
      return `no permission to listen on port ${args.port}`
    case "EADDRNOTAVAIL":
      return Terminal.escapeControl(`address ${args.host} is not available on this machine`)
    default:
      return Terminal.escapeControl(
        `cannot listen on ${args.host}:${args.port}: ${cause instanceof Error ? cause.message : String(cause)}`
      )
  }
}

/**
 * The emulator could not start: `message` is the one line shown to the user (`describeStartError`).
 *
 * @since 0.1.0
 * @category errors
 */
export class StartError extends Error {
  constructor(message: string, override readonly cause: unknown) {
    super(message)
    this.name = "StartError"
  }
}

/**
 * Starts the emulator for these arguments, each request logged through `log` as it is answered, and logs the
 * banner. Rejects with `StartError` when the emulator cannot start, or with what `log` threw on the banner (the
 * emulator closed first).
 *
 * @since 0.1.0
 * @category running
 */
export const serve = async (args: Arguments, log: (line: string) => void): Promise<Server.Running<Server.Answer>> => {
  let running: Server.Running<Server.Answer>
  try {
    running = await Server.start({ ...serverOptions(args), onRequest: (request) => log(requestLine(request)) })
  } catch (cause) {
    throw new StartError(describeStartError(cause, args), cause)
  }
  try {
    log(banner(args, running.url, running.inspectorUrl))
  } catch (error) {
    // Nothing is left listening when the banner cannot be printed.
    await running.close()
    throw error
  }
  return running
}

/**
 * Where `main` writes and what stops it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Io {
  readonly stdout: { readonly isTTY?: boolean | undefined; readonly write: (text: string) => unknown }
  readonly stderr: { readonly isTTY?: boolean | undefined; readonly write: (text: string) => unknown }
  readonly env: Readonly<Record<string, string | undefined>>
  /** Resolves when the emulator is to stop (Ctrl-C or SIGTERM for a process). */
  readonly stopped: () => Promise<unknown>
}

const processIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  stopped: () =>
    new Promise((resolve) => {
      process.once("SIGINT", resolve)
      process.once("SIGTERM", resolve)
    })
})

/**
 * Runs the command over a command line (`process.argv.slice(2)`) and resolves with its exit code: 0 after the
 * help, the version, or a serve stopped by Ctrl-C or SIGTERM; 1 when the emulator cannot start (one line on
 * standard error); 2 for bad arguments (one line naming the problem on standard error).
 *
 * @since 0.1.0
 * @category running
 */
export const main = async (argv: ReadonlyArray<string>, io: Io = processIo()): Promise<number> => {
  const parsed = parse(argv)
  switch (parsed._tag) {
    case "Help":
      io.stdout.write(help(Terminal.colorsWanted(io.stdout, io.env)) + "\n")
      return 0
    case "Version":
      io.stdout.write(`${VERSION}\n`)
      return 0
    case "Invalid":
      io.stderr.write(`${parsed.message}\n(${NAME} --help lists the options.)\n`)
      return 2
    case "Serve": {
      const stopped = io.stopped()
      let running: Server.Running<Server.Answer>
      try {
        running = await serve(parsed.args, (line) => io.stdout.write(`${line}\n`))
      } catch (error) {
        io.stderr.write(`${error instanceof StartError ? error.message : String(error)}\n`)
        return 1
      }
      await stopped
      await running.close()
      io.stdout.write("Scenario emulator stopped\n")
      return 0
    }
  }
}

/**
 * Runs `main` over this process's command line and sets its exit code: what a bin does. An unexpected failure
 * is still one line on standard error (exit code 1), not a stack trace.
 *
 * @since 0.1.0
 * @category running
 */
export const runMain = (argv: ReadonlyArray<string> = process.argv.slice(2)): void => {
  main(argv).then(
    (code) => {
      process.exitCode = code
    },
    (error: unknown) => {
      process.stderr.write(
        `${NAME} failed: ${Terminal.escapeControl(error instanceof Error ? error.message : String(error))}\n`
      )
      process.exitCode = 1
    }
  )
}

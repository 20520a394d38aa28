/**
 * The `scenario-emulator` command in-process: how it reads each flag (its default, its bounds, each bad value's
 * one-line message), its help plain and styled, what it prints when it serves, and its exit codes, through
 * `main` over a recorded terminal. The binary itself is tested in `Command.test.ts`.
 */
import * as Command from "@effect-scenario/emulator/Command"
import * as FaultKind from "@effect-scenario/emulator/FaultKind"
import * as Server from "@effect-scenario/emulator/Server"
import * as Net from "node:net"
import { afterEach, describe, expect, it, vi } from "vitest"
import { VERSION } from "../src/internal/version.js"

const ALL_KINDS = FaultKind.TRANSIENT_KINDS.join(",")

const DEFAULTS: Command.Arguments = {
  port: 4010,
  host: "127.0.0.1",
  apiKey: "emulator-key",
  apiSecret: "emulator-secret",
  bearerToken: "emulator-token",
  models: ["model_demo"],
  faultRate: 0,
  faultSeed: 0,
  faults: FaultKind.TRANSIENT_KINDS,
  retryAfterSeconds: 1,
  delayMillis: 5000,
  listLagMillis: 0
}

/** The arguments a command line serves with, or the message of its refusal. */
const read = (argv: ReadonlyArray<string>): Command.Arguments | string => {
  const parsed = Command.parse(argv)
  switch (parsed._tag) {
    case "Serve":
      return parsed.args
    case "Invalid":
      return parsed.message
    default:
      return parsed._tag
  }
}

/** The value one flag is read as, or the message of its refusal. */
const value = (name: string, text: string): unknown => {
  const parsed = read([`--${name}=${text}`])
  if (typeof parsed === "string") return parsed
  const spec = Command.FLAGS.find((flag) => flag.name === name)!
  return parsed[spec.key]
}

describe("scenario-emulator's flags", () => {
  it("lists its flags in the help's order, each with its field, type, default and how that default is shown", () => {
    expect(Command.FLAGS.map((flag) => [flag.name, flag.key, flag.type, flag.default, flag.shown, flag.repeated]))
      .toEqual([
        ["port", "port", "integer", 4010, "4010", false],
        ["host", "host", "text", "127.0.0.1", "127.0.0.1", false],
        ["api-key", "apiKey", "text", "emulator-key", "emulator-key", false],
        ["api-secret", "apiSecret", "text", "emulator-secret", "emulator-secret", false],
        ["bearer-token", "bearerToken", "text", "emulator-token", "emulator-token", false],
        ["model", "models", "text", ["model_demo"], "model_demo", true],
        ["fault-rate", "faultRate", "float", 0, "0", false],
        ["fault-seed", "faultSeed", "integer", 0, "0", false],
        ["faults", "faults", "text", FaultKind.TRANSIENT_KINDS, ALL_KINDS, false],
        ["retry-after", "retryAfterSeconds", "integer", 1, "1", false],
        ["delay", "delayMillis", "integer", 5000, "5000", false],
        ["list-lag", "listLagMillis", "text", 0, "0", false]
      ])
    expect(read([])).toEqual(DEFAULTS)
  })

  it("reads one occurrence's text for a binding: its value, or the problem naming the flag", () => {
    const byName = (name: string) => Command.FLAGS.find((flag) => flag.name === name)!
    expect(byName("port").read("80")).toEqual({ _tag: "Ok", value: 80 })
    expect(byName("host").read("::1")).toEqual({ _tag: "Ok", value: "::1" })
    expect(byName("model").read("m")).toEqual({ _tag: "Ok", value: "m" })
    expect(byName("faults").read("429")).toEqual({ _tag: "Ok", value: ["429"] })
    expect(byName("list-lag").read("2s")).toEqual({ _tag: "Ok", value: 2000 })
    expect(byName("fault-rate").read("2")).toEqual({
      _tag: "Problem",
      message: "--fault-rate expects a number from 0 to 1, got 2"
    })
  })

  it("reads the text flags as given, empty or spaced", () => {
    expect(value("host", " ::1 ")).toBe(" ::1 ")
    expect(value("api-key", "")).toBe("")
    expect(value("api-secret", "s e")).toBe("s e")
    expect(value("bearer-token", "t")).toBe("t")
    expect(value("model", "m")).toEqual(["m"])
    expect(read(["--model", "a", "--model=b", "--model", "a"])).toMatchObject({ models: ["a", "b", "a"] })
  })

  it("reads an integer flag within its bounds, signed or spaced, and refuses anything else", () => {
    expect(value("port", "0")).toBe(0)
    expect(value("port", "65535")).toBe(65535)
    expect(value("port", " 80 ")).toBe(80)
    expect(value("port", "+81")).toBe(81)
    expect(value("port", "007")).toBe(7)
    expect(value("port", "-1")).toBe("--port expects a number from 0 to 65535, got -1")
    expect(value("port", "65536")).toBe("--port expects a number from 0 to 65535, got 65536")
    for (const bad of ["", " ", "1e3", "1.0", "0x10", "12abc", "abc12", "1 2", "+", "-"]) {
      expect(value("port", bad)).toBe(`--port expects an integer, got ${JSON.stringify(bad)}`)
    }
    expect(value("fault-seed", "9007199254740991")).toBe(9007199254740991)
    expect(value("fault-seed", "9007199254740992")).toBe(
      "--fault-seed expects a number from 0 to 9007199254740991, got 9007199254740992"
    )
    expect(value("fault-seed", "x")).toBe("--fault-seed expects an integer, got \"x\"")
    expect(value("retry-after", "0")).toBe(0)
    expect(value("retry-after", "86400")).toBe(86400)
    expect(value("retry-after", "-1")).toBe("--retry-after expects a number from 0 to 86400, got -1")
    expect(value("retry-after", "1.5")).toBe("--retry-after expects an integer, got \"1.5\"")
    expect(value("delay", "0")).toBe(0)
    expect(value("delay", "3600000")).toBe(3600000)
    expect(value("delay", "-1")).toBe("--delay expects a number from 0 to 3600000, got -1")
    expect(value("delay", "5s")).toBe("--delay expects an integer, got \"5s\"")
  })

  it("reads --fault-rate as a number from 0 to 1 in any decimal spelling", () => {
    expect(value("fault-rate", "0")).toBe(0)
    expect(value("fault-rate", "1")).toBe(1)
    expect(value("fault-rate", "0.25")).toBe(0.25)
    expect(value("fault-rate", ".5")).toBe(0.5)
    expect(value("fault-rate", "1.")).toBe(1)
    expect(value("fault-rate", "+0.5")).toBe(0.5)
    expect(value("fault-rate", " 0.5 ")).toBe(0.5)
    expect(value("fault-rate", "5e-1")).toBe(0.5)
    expect(value("fault-rate", "5E-1")).toBe(0.5)
    expect(value("fault-rate", "0.01e+1")).toBe(0.1)
    expect(value("fault-rate", "1e0")).toBe(1)
    expect(value("fault-rate", "00.5")).toBe(0.5)
    expect(value("fault-rate", ".25")).toBe(0.25)
    expect(value("fault-rate", "1e-10")).toBe(1e-10)
    expect(value("fault-rate", "1.0000001")).toBe("--fault-rate expects a number from 0 to 1, got 1.0000001")
    expect(value("fault-rate", "-0.5")).toBe("--fault-rate expects a number from 0 to 1, got -0.5")
    for (const bad of ["", ".", "e1", "1e", "1.5.5", "0.5x", "x0.5", "1e1.5", "0,5", "Infinity", "NaN", "0x1"]) {
      expect(value("fault-rate", bad)).toBe(`--fault-rate expects a number, got ${JSON.stringify(bad)}`)
    }
  })

  it("reads --faults as some known kinds, comma-separated, blanks between commas ignored", () => {
    expect(value("faults", "429")).toEqual(["429"])
    expect(value("faults", " 503 ,, delay ,")).toEqual(["503", "delay"])
    expect(value("faults", ALL_KINDS)).toEqual(FaultKind.TRANSIENT_KINDS)
    const refusal = `--faults expects some of ${FaultKind.TRANSIENT_KINDS.join(", ")}, comma-separated`
    for (const bad of ["", ",", "bogus", "429,bogus", "429;503", "4290"]) expect(value("faults", bad)).toBe(refusal)
    expect(Command.parseFaultKinds("")).toBeUndefined()
    expect(Command.parseFaultKinds(",,")).toBeUndefined()
    expect(Command.parseFaultKinds("delay")).toEqual(["delay"])
  })

  it("reads --list-lag as a duration of at most 1h with its unit, 0 alone without one", () => {
    expect(value("list-lag", "0")).toBe(0)
    expect(value("list-lag", " 0 ")).toBe(0)
    expect(value("list-lag", "1ms")).toBe(1)
    expect(value("list-lag", "1.5s")).toBe(1500)
    expect(value("list-lag", "2 m")).toBe(120_000)
    expect(value("list-lag", "1h")).toBe(3_600_000)
    expect(value("list-lag", "60m")).toBe(3_600_000)
    expect(value("list-lag", "0ms")).toBe(0)
    const refusal = "--list-lag expects a duration of at most 1h with its unit, e.g. 2s, 1500ms or 1m"
    for (const bad of ["3600001ms", "61m", "1.5h", "", "5", "00", "x2s", "2sx", "2S", "2  s", ".5s", "1.s"]) {
      expect(value("list-lag", bad)).toBe(refusal)
    }
    expect(Command.parseDuration("0.0015s")).toBe(2)
    expect(Command.parseDuration("0.0004s")).toBe(0)
    expect(Command.parseDuration(" 2s ")).toBe(2000)
    expect(Command.parseDuration("10ms")).toBe(10)
    expect(Command.parseDuration("3s")).toBe(3000)
    expect(Command.parseDuration("3m")).toBe(180_000)
    expect(Command.parseDuration("3h")).toBe(10_800_000)
    expect(Command.parseDuration("1d")).toBeUndefined()
  })
})

describe("scenario-emulator's command line", () => {
  it("refuses a stray argument, an unknown flag, a missing value or a repeated flag, naming it", () => {
    expect(read(["serve"])).toBe("Received unknown argument: 'serve'")
    expect(read(["--port", "1", "extra"])).toBe("Received unknown argument: 'extra'")
    expect(read(["--", "--port"])).toBe("Received unknown argument: '--port'")
    expect(read(["--bogus=1"])).toBe("Received unknown argument: '--bogus'")
    expect(read(["-x"])).toBe("Received unknown argument: '-x'")
    expect(read(["--port", "1", "--Port", "2"])).toBe("Received unknown argument: '--Port'")
    expect(read(["\u0007"])).toBe("Received unknown argument: '\\x07'")
    expect(read(["--host"])).toBe("--host expects a value")
    expect(read(["--model"])).toBe("--model expects a value")
    expect(read(["--list-lag", "1s", "--list-lag", "1s"])).toBe("--list-lag is given more than once")
    expect(read(["--host=a", "--host=a"])).toBe("--host is given more than once")
    // The first problem met, in the order the flags are listed.
    expect(read(["--delay", "x", "--port", "y"])).toBe("--port expects an integer, got \"y\"")
    expect(read(["--model", "a", "--port", "1", "--port"])).toBe("--port expects a value")
  })

  it("takes `--` as the end of the flags, and nothing after it", () => {
    expect(read(["--"])).toEqual(DEFAULTS)
    expect(read(["--port", "1", "--"])).toEqual({ ...DEFAULTS, port: 1 })
  })

  it("asks for the help (-h, --help) or the version whatever else is given", () => {
    expect(Command.parse(["--help"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["-h"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["stray", "-h"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["--h"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["-xh"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["--help=no"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["--h=1"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["--version=1"])).toEqual({ _tag: "Version" })
    expect(Command.parse(["--version", "--help"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["--version"])).toEqual({ _tag: "Version" })
    expect(Command.parse(["--port", "x", "--version"])).toEqual({ _tag: "Version" })
    expect(Command.parse(["--", "--help"])._tag).toBe("Invalid")
  })
})

const PLAIN_HELP = [
  "scenario-emulator",
  "",
  `scenario-emulator ${VERSION}`,
  "",
  "USAGE",
  "",
  "$ scenario-emulator [--port integer] [--host text] [--api-key text] [--api-secret text] [--bearer-token text] " +
  "[--model text...] [--fault-rate float] [--fault-seed integer] [--faults text] [--retry-after integer] " +
  "[--delay integer] [--list-lag text]",
  "",
  "DESCRIPTION",
  "",
  "A local HTTP emulator of Scenario's training-images API, until Ctrl-C or SIGTERM.",
  "",
  "OPTIONS",
  "",
  ...[
    ["--port integer", "An integer.", "port to listen on (0 picks a free one)", "4010"],
    ["--host text", "A user-defined piece of text.", "address to listen on", "127.0.0.1"],
    ["--api-key text", "A user-defined piece of text.", "API key of the Basic credentials accepted", "emulator-key"],
    [
      "--api-secret text",
      "A user-defined piece of text.",
      "API secret of the Basic credentials accepted",
      "emulator-secret"
    ],
    ["--bearer-token text", "A user-defined piece of text.", "Bearer token accepted", "emulator-token"],
    ["--model text...", "A user-defined piece of text.", "a model to create at start; repeat for more", "model_demo"],
    ["--fault-rate float", "A floating point number.", "share of requests, 0 to 1, that meet a random fault", "0"],
    ["--fault-seed integer", "An integer.", "seed of the random faults", "0"],
    [
      "--faults text",
      "A user-defined piece of text.",
      `fault kinds to pick from, comma-separated: ${ALL_KINDS}`,
      ALL_KINDS
    ],
    ["--retry-after integer", "An integer.", "seconds a 429 asks to wait", "1"],
    ["--delay integer", "An integer.", "milliseconds a delay fault holds the response", "5000"],
    [
      "--list-lag text",
      "A user-defined piece of text.",
      "how long an added image stays out of the model's list (eventual consistency), e.g. 2s or 1500ms",
      "0"
    ]
  ].flatMap(([heading, type, description, shown]) => [
    heading!,
    "",
    `  ${type}`,
    "",
    `  ${description}`,
    "",
    `  Default: ${shown}.`,
    "",
    ...(heading === "--model text..." ? ["  This option may be repeated zero or more times.", ""] : []),
    "  This setting is optional.",
    ""
  ]),
  "(-h, --help)",
  "",
  "  Show this help.",
  "",
  "--version",
  "",
  "  Show the version of the application.",
  ""
].join("\n")

const HEADINGS = [
  "scenario-emulator",
  "USAGE",
  "DESCRIPTION",
  "OPTIONS",
  ...Command.FLAGS.map((flag) => `--${flag.name} ${flag.type}${flag.repeated ? "..." : ""}`),
  "(-h, --help)",
  "--version"
]

describe("scenario-emulator's help", () => {
  it("names the usage, the description and every flag with its type, purpose and default", () => {
    expect(Command.help()).toBe(PLAIN_HELP)
    expect(Command.help(false)).toBe(PLAIN_HELP)
  })

  it("styles its headings bold when asked, and nothing else", () => {
    const styled = Command.help(true)
    const bold = styled.split("\n").filter((line) => line.includes("\u001b"))
    expect(bold).toEqual(HEADINGS.map((heading) => `\u001b[1m${heading}\u001b[0m`))
    // eslint-disable-next-line no-control-regex -- the escape character is what is removed
    expect(styled.replace(/\u001b\[[01]m/g, "")).toBe(PLAIN_HELP)
  })
})

describe("scenario-emulator's output", () => {
  const request = (overrides: Partial<Server.RecordedRequest> = {}): Server.RecordedRequest => ({
    requestId: "req_emulator_7",
    method: "GET",
    path: "/v1/models/m",
    query: "",
    receivedAt: "2026-01-02T03:04:05.000Z",
    durationMillis: 1.5,
    authenticated: true,
    operation: undefined,
    modelId: "m",
    status: 200,
    fault: undefined,
    ...overrides
  })
  const now = new Date("2026-01-02T03:04:05.678Z")

  it("logs a request in one line: time, status, method, path and query, id, authentication and fault", () => {
    expect(Command.requestLine(request(), now)).toBe("2026-01-02T03:04:05.678Z 200 GET /v1/models/m req_emulator_7")
    expect(Command.requestLine(request({ query: "a=1&b" }), now)).toBe(
      "2026-01-02T03:04:05.678Z 200 GET /v1/models/m?a=1&b req_emulator_7"
    )
    expect(
      Command.requestLine(request({ status: undefined, authenticated: false, fault: "drop-after-apply" }), now)
    ).toBe("2026-01-02T03:04:05.678Z --- GET /v1/models/m req_emulator_7 (not authenticated) fault=drop-after-apply")
    expect(Command.requestLine(request({ status: 0, method: "POST" }), now)).toBe(
      "2026-01-02T03:04:05.678Z 0 POST /v1/models/m req_emulator_7"
    )
    expect(Command.requestLine(request({ path: "/v1/\u001b[2J", query: "x=\u0007" }), now)).toBe(
      "2026-01-02T03:04:05.678Z 200 GET /v1/\\x1b[2J?x=\\x07 req_emulator_7"
    )
    expect(Command.requestLine(request())).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z 200 GET /)
  })

  it("tells where it listens, with which credentials, models and faults, and what to try", () => {
    expect(Command.banner(DEFAULTS, "http://127.0.0.1:4010/v1")).toBe([
      "Scenario emulator listening on http://127.0.0.1:4010/v1",
      "  Basic:  API key emulator-key, API secret emulator-secret",
      "  Bearer: emulator-token",
      "  Models: model_demo",
      "  Faults: none",
      "  Try:    GET http://127.0.0.1:4010/v1/models/model_demo",
      "Ctrl-C stops it."
    ].join("\n"))
    const args: Command.Arguments = {
      ...DEFAULTS,
      models: ["a/b", "c"],
      faultRate: 0.25,
      faultSeed: 7,
      faults: ["429", "delay"],
      listLagMillis: 1500
    }
    expect(Command.banner(args, "http://127.0.0.1:1/v1", "http://127.0.0.1:1/")).toBe([
      "Scenario emulator listening on http://127.0.0.1:1/v1",
      "  Inspector: http://127.0.0.1:1/ (open it in a browser)",
      "  Basic:  API key emulator-key, API secret emulator-secret",
      "  Bearer: emulator-token",
      "  Models: a/b, c",
      "  Faults: 429, delay on 25% of requests (seed 7)",
      "  List lag: an added image is listed 1500 ms after its add",
      "  Try:    GET http://127.0.0.1:1/v1/models/a%2Fb",
      "Ctrl-C stops it."
    ].join("\n"))
    expect(Command.banner({ ...DEFAULTS, models: [] }, "http://x/v1")).toContain(
      "\n  Models: \n  Faults: none\n  Try:    GET http://x/v1/models/model_demo\n"
    )
    expect(Command.banner({ ...DEFAULTS, apiKey: "k\u001b[2J" }, "http://x/v1")).toContain("API key k\\x1b[2J,")
  })

  it("warns when it listens on an address beyond loopback", () => {
    const warned = (host: string) =>
      Command.banner({ ...DEFAULTS, host }, "http://x/v1").includes(
        `\n  Warning: listening on ${host}, reachable from other machines, with the credentials above.\nCtrl-C stops it.`
      )
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "localhost"]) expect(warned(host)).toBe(false)
    for (const host of ["0.0.0.0", "::", "::10", "10.0.0.1", "localhost.example", "x127.0.0.1", "my-localhost"]) {
      expect(warned(host)).toBe(true)
    }
  })

  it("says in one line why it cannot start", () => {
    const where = { host: "127.0.0.1", port: 4010 }
    const coded = (code: unknown) => Object.assign(new Error("listen failed"), { code })
    expect(Command.describeStartError(coded("EADDRINUSE"), where)).toBe("port 4010 is already in use")
    expect(Command.describeStartError(coded("EACCES"), { ...where, port: 80 })).toBe(
      "no permission to listen on port 80"
    )
    expect(Command.describeStartError(coded("EADDRNOTAVAIL"), { host: "h\u001b[2J", port: 1 })).toBe(
      "address h\\x1b[2J is not available on this machine"
    )
    expect(Command.describeStartError(coded("ENOENT"), where)).toBe("cannot listen on 127.0.0.1:4010: listen failed")
    expect(Command.describeStartError({ code: "EADDRINUSE" }, where)).toBe("port 4010 is already in use")
    expect(Command.describeStartError("no \u0007 room", { host: "h", port: 2 })).toBe(
      "cannot listen on h:2: no \\x07 room"
    )
    expect(Command.describeStartError(null, where)).toBe("cannot listen on 127.0.0.1:4010: null")
    expect(Command.describeStartError(undefined, where)).toBe("cannot listen on 127.0.0.1:4010: undefined")
    expect(Command.describeStartError({ reason: 1 }, where)).toBe("cannot listen on 127.0.0.1:4010: [object Object]")
    const seed = new Server.SeedError([{ path: ["models", ""], message: "a model id must not be empty\u001b[2J" }])
    expect(Command.describeStartError(seed, where)).toBe("Invalid seed: models.: a model id must not be empty\\x1b[2J")
  })

  it("carries the one line and its cause in a StartError", () => {
    const cause = new Error("inner")
    const error = new Command.StartError("port 1 is already in use", cause)
    expect(error).toBeInstanceOf(Error)
    expect([error.name, error.message, error.cause]).toEqual(["StartError", "port 1 is already in use", cause])
  })
})

/** A terminal `main` writes to, and the Ctrl-C that stops it. */
const terminal = (options: { isTTY?: boolean; env?: Record<string, string | undefined> } = {}) => {
  const out = { stdout: "", stderr: "", stopAsked: 0 }
  let stop: () => void = () => {}
  const stopped = new Promise<void>((resolve) => stop = resolve)
  return {
    out,
    stop: () => stop(),
    io: {
      stdout: { isTTY: options.isTTY, write: (text: string) => out.stdout += text },
      stderr: { isTTY: options.isTTY, write: (text: string) => out.stderr += text },
      env: options.env ?? {},
      stopped: () => {
        out.stopAsked += 1
        return stopped
      }
    } satisfies Command.Io
  }
}

/** A port some other server holds on 127.0.0.1, for as long as `use` runs. */
const withTakenPort = async <A>(use: (port: number) => Promise<A>): Promise<A> => {
  const holder = Net.createServer()
  await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve))
  try {
    return await use((holder.address() as Net.AddressInfo).port)
  } finally {
    await new Promise((resolve) => holder.close(resolve))
  }
}

describe("scenario-emulator's main", () => {
  it("prints the help plain, or styled on a terminal that wants colours (not under NO_COLOR), exit code 0", async () => {
    const piped = terminal()
    expect(await Command.main(["--help"], piped.io)).toBe(0)
    expect([piped.out.stdout, piped.out.stderr, piped.out.stopAsked]).toEqual([`${PLAIN_HELP}\n`, "", 0])

    const tty = terminal({ isTTY: true })
    expect(await Command.main(["-h"], tty.io)).toBe(0)
    expect(tty.out.stdout).toBe(`${Command.help(true)}\n`)
    expect(tty.out.stdout).toContain("\u001b[1mUSAGE\u001b[0m")

    const noColor = terminal({ isTTY: true, env: { NO_COLOR: "1" } })
    expect(await Command.main(["--help"], noColor.io)).toBe(0)
    expect(noColor.out.stdout).toBe(`${PLAIN_HELP}\n`)
  })

  it("prints the version, exit code 0", async () => {
    const run = terminal()
    expect(await Command.main(["--version"], run.io)).toBe(0)
    expect([run.out.stdout, run.out.stderr, run.out.stopAsked]).toEqual([`${VERSION}\n`, "", 0])
  })

  it("refuses bad arguments in one line naming the problem, and where the options are, exit code 2", async () => {
    for (
      const [argv, message] of [
        [["--port", "x"], "--port expects an integer, got \"x\""],
        [["--fault-rate"], "--fault-rate expects a value"],
        [["extra"], "Received unknown argument: 'extra'"]
      ] as const
    ) {
      const run = terminal()
      expect(await Command.main(argv, run.io)).toBe(2)
      expect([run.out.stdout, run.out.stderr, run.out.stopAsked]).toEqual([
        "",
        `${message}\n(scenario-emulator --help lists the options.)\n`,
        0
      ])
    }
  })

  it("says in one line that the port is taken, exit code 1", async () => {
    await withTakenPort(async (port) => {
      const run = terminal()
      expect(await Command.main(["--port", String(port)], run.io)).toBe(1)
      expect([run.out.stdout, run.out.stderr]).toEqual(["", `port ${port} is already in use\n`])
    })
  })

  it("serves until stopped: the banner, each request as it is answered, then that it stopped, exit code 0", async () => {
    const run = terminal()
    const exit = Command.main(["--port", "0", "--api-key", "k", "--api-secret", "s", "--model", "model_x"], run.io)
    await vi.waitFor(() => expect(run.out.stdout).toContain("Ctrl-C stops it.\n"), { timeout: 10_000 })
    expect(run.out.stopAsked).toBe(1)
    const [, baseUrl, port] = /^Scenario emulator listening on (http:\/\/127\.0\.0\.1:(\d+)\/v1)\n/.exec(
      run.out.stdout
    )!
    expect(run.out.stdout).toBe(
      Command.banner(
        { ...DEFAULTS, apiKey: "k", apiSecret: "s", models: ["model_x"], port: 0 },
        baseUrl!,
        `http://127.0.0.1:${port}/`
      ) + "\n"
    )
    const response = await fetch(`${baseUrl}/models/model_x`, { headers: { authorization: `Basic ${btoa("k:s")}` } })
    expect(response.status).toBe(200)
    const refused = await fetch(`${baseUrl}/models/model_x`, { headers: { authorization: "Bearer emulator-token" } })
    expect(refused.status).toBe(200)
    await vi.waitFor(() => expect(run.out.stdout).toMatch(/ req_emulator_2\n$/), { timeout: 5_000 })
    const logged = run.out.stdout.split("\n").slice(-3, -1).map((line) => line.replace(/^\S+ /, ""))
    expect(logged).toEqual(["200 GET /v1/models/model_x req_emulator_1", "200 GET /v1/models/model_x req_emulator_2"])
    run.stop()
    expect(await exit).toBe(0)
    expect(run.out.stdout).toMatch(/ req_emulator_2\nScenario emulator stopped\n$/)
    expect(run.out.stderr).toBe("")
    await expect(fetch(`${baseUrl}/models/model_x`)).rejects.toThrow()
  })
})

describe("scenario-emulator's serve", () => {
  it("closes the emulator and rejects with what the log threw when the banner cannot be printed", async () => {
    const lines: Array<string> = []
    const failure = new Error("stdout closed")
    const error = await Command.serve({ ...DEFAULTS, port: 0 }, (line) => {
      lines.push(line)
      throw failure
    }).then(() => undefined, (error: unknown) => error)
    expect(error).toBe(failure)
    const [, baseUrl] = /^Scenario emulator listening on (\S+)\n/.exec(lines[0]!)!
    expect(lines).toHaveLength(1)
    await expect(fetch(`${baseUrl}/models/model_demo`)).rejects.toThrow()
  })

  it("makes main exit 1 with that error in one line when the banner cannot be printed", async () => {
    const run = terminal()
    const io: Command.Io = {
      ...run.io,
      stdout: {
        write: () => {
          throw new Error("stdout closed")
        }
      }
    }
    expect(await Command.main(["--port", "0"], io)).toBe(1)
    expect(run.out.stderr).toBe("Error: stdout closed\n")
  })

  it("rejects with a StartError carrying the one line and the listening error", async () => {
    await withTakenPort(async (port) => {
      const lines: Array<string> = []
      const error = await Command.serve({ ...DEFAULTS, port }, (line) => lines.push(line)).then(
        () => undefined,
        (error: unknown) => error
      )
      expect(error).toBeInstanceOf(Command.StartError)
      expect((error as Command.StartError).message).toBe(`port ${port} is already in use`)
      expect((error as Command.StartError).cause).toMatchObject({ code: "EADDRINUSE" })
      expect(lines).toEqual([])
    })
  })

  it("gives the emulator its credentials, host, port and models", () => {
    const options = Command.serverOptions({
      ...DEFAULTS,
      host: "::1",
      port: 9,
      apiKey: "k",
      apiSecret: "s",
      bearerToken: "t",
      models: ["a", "b"]
    })
    expect(options).toEqual({
      host: "::1",
      port: 9,
      apiKey: "k",
      apiSecret: "s",
      bearerToken: "t",
      models: { a: {}, b: {} },
      faults: undefined,
      listLagMillis: 0
    })
    const faulty = { ...DEFAULTS, faultRate: 1, faults: ["delay", "503", "429"], delayMillis: 7, retryAfterSeconds: 2 }
    expect(Command.serverOptions(faulty as Command.Arguments).faults).toEqual({
      rate: 1,
      seed: 0,
      faults: [
        FaultKind.answerOf("delay", { delayMillis: 7 }),
        FaultKind.answerOf("503", {}),
        FaultKind.answerOf("429", { retryAfterMillis: 2000 })
      ]
    })
  })
})

describe("scenario-emulator's runMain", () => {
  const exitCode = process.exitCode
  afterEach(() => {
    vi.restoreAllMocks()
    process.exitCode = exitCode
  })

  it("sets the process's exit code from main's", async () => {
    const written: Array<string> = []
    vi.spyOn(process.stdout, "write").mockImplementation((text) => written.push(String(text)) > 0)
    Command.runMain(["--version"])
    await vi.waitFor(() => expect(process.exitCode).toBe(0))
    expect(written).toEqual([`${VERSION}\n`])
    const errors: Array<string> = []
    vi.spyOn(process.stderr, "write").mockImplementation((text) => errors.push(String(text)) > 0)
    Command.runMain(["--bogus"])
    await vi.waitFor(() => expect(process.exitCode).toBe(2))
    expect(errors).toEqual(["Received unknown argument: '--bogus'\n(scenario-emulator --help lists the options.)\n"])
  })

  it("serves until SIGINT or SIGTERM, then sets exit code 0", async () => {
    for (const signal of ["SIGINT", "SIGTERM"]) {
      const listeners = new Map<string, () => void>()
      vi.spyOn(process, "once").mockImplementation((event, listener) => {
        listeners.set(String(event), listener as () => void)
        return process
      })
      const written: Array<string> = []
      vi.spyOn(process.stdout, "write").mockImplementation((text) => written.push(String(text)) > 0)
      process.exitCode = undefined
      Command.runMain(["--port", "0"])
      await vi.waitFor(() => expect(written.join("")).toContain("Ctrl-C stops it.\n"), { timeout: 10_000 })
      expect([...listeners.keys()].sort()).toEqual(["SIGINT", "SIGTERM"])
      expect(process.exitCode).toBeUndefined()
      listeners.get(signal)!()
      await vi.waitFor(() => expect(process.exitCode).toBe(0))
      expect(written.at(-1)).toBe("Scenario emulator stopped\n")
      vi.restoreAllMocks()
    }
  })

  it("reads this process's command line without the runtime and the script", async () => {
    const argv = process.argv
    try {
      process.argv = [argv[0]!, argv[1]!, "--port", "x"]
      const errors: Array<string> = []
      vi.spyOn(process.stderr, "write").mockImplementation((text) => errors.push(String(text)) > 0)
      Command.runMain()
      await vi.waitFor(() => expect(process.exitCode).toBe(2))
      expect(errors).toEqual(["--port expects an integer, got \"x\"\n(scenario-emulator --help lists the options.)\n"])
    } finally {
      process.argv = argv
    }
  })

  it("turns an unexpected failure into one escaped line on standard error, exit code 1", async () => {
    const errors: Array<string> = []
    vi.spyOn(process.stdout, "write").mockImplementation(() => {
      throw new Error("stdout \u001b[2J closed")
    })
    vi.spyOn(process.stderr, "write").mockImplementation((text) => errors.push(String(text)) > 0)
    Command.runMain(["--version"])
    await vi.waitFor(() => expect(process.exitCode).toBe(1))
    expect(errors).toEqual(["scenario-emulator failed: stdout \\x1b[2J closed\n"])
  })

  it("says what was thrown when it is not an Error", async () => {
    const errors: Array<string> = []
    vi.spyOn(process.stdout, "write").mockImplementation(() => {
      throw "closed"
    })
    vi.spyOn(process.stderr, "write").mockImplementation((text) => errors.push(String(text)) > 0)
    Command.runMain(["--help"])
    await vi.waitFor(() => expect(process.exitCode).toBe(1))
    expect(errors).toEqual(["scenario-emulator failed: closed\n"])
  })
})

/**
 * The `scenario-emulator` command: the binary as published (the committed launcher over the built package), run
 * with its output piped as a script or a CI log reads it; and its parts in-process.
 */
import * as Command from "@effect-scenario/emulator/Command"
import * as FaultKind from "@effect-scenario/emulator/FaultKind"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { VERSION } from "../src/internal/version.js"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const launcher = fileURLToPath(new URL("../bin/scenario-emulator.js", import.meta.url))
const builtBin = fileURLToPath(new URL("../dist/bin/scenario-emulator.js", import.meta.url))
const commandModule = fileURLToPath(new URL("../dist/Command.js", import.meta.url))

const built = () => {
  if (!Fs.existsSync(builtBin)) throw new Error("the package is not built: run the build first")
}

const waitFor = (read: () => string, pattern: RegExp, timeoutMs: number) =>
  new Promise<RegExpExecArray>((resolve, reject) => {
    const started = Date.now()
    const poll = () => {
      const match = pattern.exec(read())
      if (match !== null) return resolve(match)
      if (Date.now() - started > timeoutMs) return reject(new Error(`no ${pattern} in:\n${read()}`))
      setTimeout(poll, 50)
    }
    poll()
  })

/** Runs the binary (or `node` with `args` alone when `script` is empty) to its end, its output piped. */
const runToEnd = (
  args: ReadonlyArray<string>,
  env: Record<string, string | undefined> = {},
  script: ReadonlyArray<string> = [launcher]
) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    built()
    const { FORCE_COLOR: _force, NO_COLOR: _no, ...inherited } = process.env
    const child = ChildProcess.spawn(process.execPath, [...script, ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...inherited, ...env }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => stdout += chunk)
    child.stderr.on("data", (chunk) => stderr += chunk)
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000)
    child.on("exit", (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })

/** Starts the binary serving; `output` is what it printed so far (both streams), `exited` its exit code. */
const startServing = (args: ReadonlyArray<string>) => {
  built()
  const child = ChildProcess.spawn(process.execPath, [launcher, ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"]
  })
  const serving = { child, output: "", exited: new Promise<number | null>((resolve) => child.on("exit", resolve)) }
  child.stdout.on("data", (chunk) => serving.output += chunk)
  child.stderr.on("data", (chunk) => serving.output += chunk)
  return serving
}

describe("scenario-emulator, the binary", () => {
  it("starts on the port asked (0: a free one), logs each request, and stops cleanly on SIGTERM", async () => {
    const serving = startServing([
      "--port",
      "0",
      "--api-key",
      "k",
      "--api-secret",
      "s",
      "--model",
      "model_cli",
      "--list-lag",
      "1m"
    ])
    const { child, exited } = serving
    const output = () => serving.output
    try {
      const [, baseUrl] = await waitFor(output, /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/, 45_000)
      const response = await fetch(`${baseUrl}/models/model_cli`, {
        headers: { authorization: `Basic ${btoa("k:s")}` }
      })
      expect(response.status).toBe(200)
      expect((await response.json()).model.id).toBe("model_cli")
      await waitFor(output, / 200 GET \/v1\/models\/model_cli req_emulator_1/, 5_000)
      // With --list-lag, an image just added is stored but not listed yet.
      expect(output()).toContain("List lag: an added image is listed 60000 ms after its add")
      const headers = { authorization: `Basic ${btoa("k:s")}`, "content-type": "application/json" }
      const added = await fetch(`${baseUrl}/models/model_cli/training-images`, {
        method: "POST",
        headers,
        body: JSON.stringify({ data: "data:image/png;base64,iVBORw0KGgo=", name: "a.png" })
      })
      expect(added.status).toBe(200)
      const listed = await fetch(`${baseUrl}/models/model_cli`, { headers })
      expect((await listed.json()).model.trainingImages).toEqual([])
      // A bad body is refused with the kernel's checks, as core's client refuses it.
      const bad = await fetch(`${baseUrl}/models/model_cli/training-images`, {
        method: "POST",
        headers,
        body: JSON.stringify({ assetId: 5 })
      })
      expect([bad.status, (await bad.json()).message]).toEqual([400, "assetId: Expected string, actual 5"])
      child.kill("SIGTERM")
      expect(await exited).toBe(0)
      expect(output()).toContain("Scenario emulator stopped")
      expect(output()).not.toContain(btoa("k:s"))
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  }, 60_000)

  it("serves random faults of the kinds asked, and the inspector's control API", async () => {
    const serving = startServing(["--port", "0", "--fault-rate", "1", "--faults", "429", "--retry-after", "7"])
    const { child, exited } = serving
    const output = () => serving.output
    try {
      const origin = (await waitFor(output, /listening on (http:\/\/127\.0\.0\.1:\d+)\/v1/, 45_000))[1]!
      expect(output()).toContain("Faults: 429 on 100% of requests (seed 0)")
      const authorization = `Basic ${btoa(`${Command.FLAGS[2]!.default}:${Command.FLAGS[3]!.default}`)}`
      const limited = await fetch(`${origin}/v1/models/model_demo`, { headers: { authorization } })
      expect([limited.status, limited.headers.get("retry-after"), limited.headers.get("retry-after-ms")]).toEqual([
        429,
        "7",
        "7000"
      ])
      await waitFor(output, / 429 GET \/v1\/models\/model_demo req_emulator_1 fault=429/, 5_000)
      const control = (action: string, body: unknown) =>
        fetch(`${origin}/inspector/api/${action}`, {
          method: "POST",
          headers: { origin, "content-type": "application/json" },
          body: JSON.stringify(body)
        })
      const refused = await control("fail-next", { count: 0, kind: "503" })
      expect([refused.status, (await refused.json()).message]).toEqual([
        400,
        "count: expected an integer from 1 to 10000, got 0"
      ])
      const unknown = await control("fail-next", { count: 1, kind: "teapot" })
      expect((await unknown.json()).message).toBe("Unknown fault kind \"teapot\"")
      const accepted = await control("fail-next", { count: 1, kind: "drop-before-apply" })
      expect(await accepted.json()).toEqual({ ok: true, pendingFaults: 1 })
      child.kill("SIGINT")
      expect(await exited).toBe(0)
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  }, 60_000)

  it("says in one line that a port is taken, and exits 1", async () => {
    const server = Net.createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as Net.AddressInfo).port
    try {
      const { code, stderr, stdout } = await runToEnd(["--port", String(port)])
      expect(code).toBe(1)
      expect(stderr).toBe(`port ${port} is already in use\n`)
      expect(stdout).toBe("")
    } finally {
      server.close()
    }
  }, 60_000)

  it("refuses an unknown option or a bad value with a clear message, exit code 2, nothing started", async () => {
    const unknown = await runToEnd(["--prot", "4010"])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain("Received unknown argument: '--prot'")
    expect(unknown.stdout).toBe("")
    const badRate = await runToEnd(["--fault-rate", "2"])
    expect(badRate.code).toBe(2)
    expect(badRate.stderr).toContain("--fault-rate expects a number from 0 to 1, got 2")
    expect(badRate.stdout).toBe("")
  }, 60_000)

  it(
    "names itself scenario-emulator in its help, plain when piped or under NO_COLOR, and gives its version",
    async () => {
      for (const env of [{}, { NO_COLOR: "1" }, { NO_COLOR: "1", FORCE_COLOR: "1" }]) {
        const help = await runToEnd(["--help"], env)
        expect(help.code).toBe(0)
        expect(help.stdout).toContain("$ scenario-emulator")
        expect(help.stdout).toContain("--fault-rate")
        expect(help.stdout).not.toContain("\u001b")
        expect(help.stdout).not.toContain("pnpm")
      }
      const version = await runToEnd(["--version"])
      expect([version.code, version.stdout]).toEqual([0, `${VERSION}\n`])
    },
    60_000
  )

  it("is not started by importing the command module: the process ends on its own", async () => {
    const { code, stdout, stderr } = await runToEnd(
      [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(commandModule)}); console.log(typeof m.main, typeof m.parse)`
      ],
      {},
      []
    )
    expect(stderr).toBe("")
    expect(stdout).toBe("function function\n")
    expect(code).toBe(0)
  }, 60_000)

  it("keeps the version in step with package.json, its bin a committed launcher of the built command", () => {
    const pkg = JSON.parse(Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(VERSION).toBe(pkg.version)
    // A committed launcher (so a fresh install links the bin before the build), which runs the built command.
    expect(pkg.bin).toEqual({ "scenario-emulator": "./bin/scenario-emulator.js" })
    const launcherText = Fs.readFileSync(launcher, "utf8")
    expect(launcherText).toMatch(/^#!\/usr\/bin\/env node\n/)
    expect(launcherText).toContain(`import "../dist/bin/scenario-emulator.js"`)
    expect(pkg.files).toContain("bin")
    expect(pkg.exports["./bin/*"]).toBeNull()
    expect(pkg.sideEffects).toContain("./bin/*.js")
  })
})

describe("scenario-emulator's help", () => {
  it("shows every option with a default as optional, with its default", () => {
    const help = Command.help()
    expect(help).toContain("[--model text...]")
    expect(help).toContain("[--port integer]")
    const section = (flag: string) =>
      help.slice(help.indexOf(`\n${flag} `), help.indexOf("\n--", help.indexOf(`\n${flag} `) + 1))
    expect(section("--model")).toContain("Default: model_demo.")
    expect(section("--model")).toContain("may be repeated")
    expect(section("--port")).toContain("Default: 4010.")
    expect(section("--host")).toContain("Default: 127.0.0.1.")
    expect(section("--fault-rate")).toContain("Default: 0.")
    expect(section("--delay")).toContain("Default: 5000.")
    expect(section("--api-key")).toContain("Default: emulator-key.")
    expect(section("--list-lag")).toContain("Default: 0.")
    for (const flag of Command.FLAGS) expect(help).toContain(`\n--${flag.name} ${flag.type}`)
  })

  it("styles its headings only when asked", () => {
    expect(Command.help()).not.toContain("\u001b")
    expect(Command.help(true)).toContain("\u001b[1mOPTIONS\u001b[0m")
  })
})

describe("scenario-emulator's arguments", () => {
  const defaults: Command.Arguments = {
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

  it("defaults every flag", () => {
    expect(Command.parse([])).toEqual({ _tag: "Serve", args: defaults })
  })

  it("reads every flag, --name value and --name=value alike, --model repeated", () => {
    expect(
      Command.parse([
        "--port=0",
        "--host",
        "0.0.0.0",
        "--api-key",
        "k",
        "--api-secret=s",
        "--bearer-token",
        "t",
        "--model",
        "model_1",
        "--model",
        "model_2",
        "--fault-rate",
        "0.25",
        "--fault-seed",
        "7",
        "--faults",
        "429, 503,drop-after-apply",
        "--retry-after",
        "3",
        "--delay",
        "250",
        "--list-lag",
        "2s"
      ])
    ).toEqual({
      _tag: "Serve",
      args: {
        port: 0,
        host: "0.0.0.0",
        apiKey: "k",
        apiSecret: "s",
        bearerToken: "t",
        models: ["model_1", "model_2"],
        faultRate: 0.25,
        faultSeed: 7,
        faults: ["429", "503", "drop-after-apply"],
        retryAfterSeconds: 3,
        delayMillis: 250,
        listLagMillis: 2000
      }
    })
  })

  it("gives the help or the version whatever else is there", () => {
    expect(Command.parse(["--port", "x", "--help"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["-h"])).toEqual({ _tag: "Help" })
    expect(Command.parse(["--bogus", "--version"])).toEqual({ _tag: "Version" })
  })

  it("refuses what it cannot read, naming the flag", () => {
    const invalid = (argv: ReadonlyArray<string>) => {
      const parsed = Command.parse(argv)
      return parsed._tag === "Invalid" ? parsed.message : parsed._tag
    }
    expect(invalid(["--prot", "4010"])).toBe("Received unknown argument: '--prot'")
    expect(invalid(["4010"])).toBe("Received unknown argument: '4010'")
    expect(invalid(["-p"])).toBe("Received unknown argument: '-p'")
    expect(invalid(["--port"])).toBe("--port expects a value")
    expect(invalid(["--port", "1", "--port", "2"])).toBe("--port is given more than once")
    expect(invalid(["--port", "x"])).toBe("--port expects an integer, got \"x\"")
    expect(invalid(["--port", "1.5"])).toBe("--port expects an integer, got \"1.5\"")
    expect(invalid(["--port", "65536"])).toBe("--port expects a number from 0 to 65535, got 65536")
    expect(invalid(["--fault-rate", "2"])).toBe("--fault-rate expects a number from 0 to 1, got 2")
    expect(invalid(["--fault-rate", "lots"])).toBe("--fault-rate expects a number, got \"lots\"")
    expect(invalid(["--fault-seed=-1"])).toBe("--fault-seed expects a number from 0 to 9007199254740991, got -1")
    expect(invalid(["--retry-after", "86401"])).toBe("--retry-after expects a number from 0 to 86400, got 86401")
    expect(invalid(["--delay", "3600001"])).toBe("--delay expects a number from 0 to 3600000, got 3600001")
    expect(invalid(["--faults", "429,bogus"])).toBe(
      `--faults expects some of ${FaultKind.TRANSIENT_KINDS.join(", ")}, comma-separated`
    )
    expect(invalid(["--list-lag", "2"])).toBe(
      "--list-lag expects a duration of at most 1h with its unit, e.g. 2s, 1500ms or 1m"
    )
    expect(invalid(["--list-lag", "2h"])).toContain("--list-lag expects")
    expect(invalid(["--\u001b[31m"])).toBe("Received unknown argument: '--\\x1b[31m'")
  })

  it("reads --faults as a comma-separated list of known kinds", () => {
    expect(Command.parseFaultKinds("429, 503,drop-after-apply")).toEqual(["429", "503", "drop-after-apply"])
    expect(Command.parseFaultKinds("429,bogus")).toBeUndefined()
    expect(Command.parseFaultKinds(" , ")).toBeUndefined()
    expect(Command.parseFaultKinds("504,500-after-apply,delay-after-apply")).toEqual([
      "504",
      "500-after-apply",
      "delay-after-apply"
    ])
  })

  it("reads --list-lag as a duration with its unit", () => {
    expect(Command.parseDuration("1500ms")).toBe(1500)
    expect(Command.parseDuration("2s")).toBe(2000)
    expect(Command.parseDuration("0.5 s")).toBe(500)
    expect(Command.parseDuration("1m")).toBe(60_000)
    expect(Command.parseDuration("1h")).toBe(3_600_000)
    expect(Command.parseDuration("0")).toBe(0)
    for (const bad of ["", "2", "-1s", "2 parsecs", "1e3ms", "s"]) expect(Command.parseDuration(bad)).toBeUndefined()
  })

  it("gives the emulator its models, faults and list lag", () => {
    const options = Command.serverOptions({
      ...defaults,
      models: ["model_1"],
      faultRate: 0.5,
      faultSeed: 9,
      faults: ["429", "delay-after-apply"],
      retryAfterSeconds: 3,
      delayMillis: 250,
      listLagMillis: 2000
    })
    expect(options.models).toEqual({ model_1: {} })
    expect(options.listLagMillis).toBe(2000)
    expect(options.faults).toEqual({
      rate: 0.5,
      seed: 9,
      faults: [
        FaultKind.answerOf("429", { retryAfterMillis: 3000 }),
        { _tag: "Delay", millis: 250, afterApply: true }
      ]
    })
    expect(Command.serverOptions(defaults).faults).toBeUndefined()
  })

  it("turns a start failure into one line", () => {
    const error = (code: string) => Object.assign(new Error(`listen ${code}`), { code })
    const where = { host: "127.0.0.1", port: 4010 }
    expect(Command.describeStartError(error("EADDRINUSE"), where)).toBe("port 4010 is already in use")
    expect(Command.describeStartError(error("EACCES"), where)).toBe("no permission to listen on port 4010")
    expect(Command.describeStartError(error("EADDRNOTAVAIL"), { host: "10.9.9.9", port: 1 })).toBe(
      "address 10.9.9.9 is not available on this machine"
    )
    expect(Command.describeStartError(new Error("boom"), where)).toBe("cannot listen on 127.0.0.1:4010: boom")
  })
})

describe("scenario-emulator in-process", () => {
  const io = () => {
    const out = { stdout: "", stderr: "" }
    let stop: () => void = () => {}
    const stopped = new Promise<void>((resolve) => stop = resolve)
    return {
      out,
      stop: () => stop(),
      io: {
        stdout: { write: (text: string) => out.stdout += text },
        stderr: { write: (text: string) => out.stderr += text },
        env: {},
        stopped: () => stopped
      } satisfies Command.Io
    }
  }

  it("serves until stopped, logging each request; a bad seed is one line and exit code 1", async () => {
    const run = io()
    const exit = Command.main(["--port", "0", "--model", "model_x"], run.io)
    const [, baseUrl] = await waitFor(() => run.out.stdout, /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/, 10_000)
    const response = await fetch(`${baseUrl}/models/model_x?originalAssets=true`, {
      headers: { authorization: "Bearer emulator-token" }
    })
    expect(response.status).toBe(200)
    await waitFor(() => run.out.stdout, / 200 GET \/v1\/models\/model_x\?originalAssets=true req_emulator_1$/m, 5_000)
    run.stop()
    expect(await exit).toBe(0)
    expect(run.out.stdout).toMatch(/Scenario emulator stopped\n$/)

    const badSeed = io()
    expect(await Command.main(["--port", "0", "--model", ""], badSeed.io)).toBe(1)
    expect(badSeed.out.stderr).toBe("Invalid seed: models.: a model id must not be empty\n")
    expect(badSeed.out.stdout).toBe("")
  })

  it("warns when it listens beyond loopback, and escapes what it prints", () => {
    const args = Command.parse(["--host", "0.0.0.0", "--model", "m\u001b[2J"])
    if (args._tag !== "Serve") throw new Error(args._tag)
    const banner = Command.banner(args.args, "http://0.0.0.0:4010/v1")
    expect(banner).toContain("Warning: listening on 0.0.0.0, reachable from other machines")
    expect(banner).not.toContain("\u001b")
    expect(Command.banner(defaultsOf(), "http://127.0.0.1:4010/v1")).not.toContain("Warning")
  })
})

const defaultsOf = (): Command.Arguments => {
  const parsed = Command.parse([])
  if (parsed._tag !== "Serve") throw new Error(parsed._tag)
  return parsed.args
}

import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Net from "node:net"
import { fileURLToPath } from "node:url"
import * as Fault from "../src/Fault.js"
import {
  describeServeError,
  emulatorOptions,
  faultOf,
  parseDuration,
  parseFaultKinds
} from "../src/internal/emulatorCli.js"
import { VERSION } from "../src/internal/version.js"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const bin = fileURLToPath(new URL("../src/bin/scenario-emulator.ts", import.meta.url))
const commandModule = fileURLToPath(new URL("../src/EmulatorCommand.ts", import.meta.url))

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

/** Runs the bin to its end; NO_COLOR keeps the help text plain. */
const runToEnd = (args: ReadonlyArray<string>, script: ReadonlyArray<string> = [bin]) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", ...script, ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" }
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

describe("scenario-emulator command", () => {
  it("starts on the port asked (0: a free one), logs each request, and stops cleanly on SIGTERM", async () => {
    const child = ChildProcess.spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        bin,
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
      ],
      { cwd: root, stdio: ["ignore", "pipe", "pipe"] }
    )
    let output = ""
    child.stdout.on("data", (chunk) => output += chunk)
    child.stderr.on("data", (chunk) => output += chunk)
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    try {
      const [, baseUrl] = await waitFor(() => output, /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/, 45_000)
      const response = await fetch(`${baseUrl}/models/model_cli`, {
        headers: { authorization: `Basic ${btoa("k:s")}` }
      })
      expect(response.status).toBe(200)
      expect((await response.json()).model.id).toBe("model_cli")
      await waitFor(() => output, / 200 GET \/v1\/models\/model_cli req_emulator_1/, 5_000)
      // With --list-lag, an image just added is stored but not listed yet.
      expect(output).toContain("List lag: an added image is listed 60000 ms after its add")
      const headers = { authorization: `Basic ${btoa("k:s")}`, "content-type": "application/json" }
      const added = await fetch(`${baseUrl}/models/model_cli/training-images`, {
        method: "POST",
        headers,
        body: JSON.stringify({ data: "data:image/png;base64,iVBORw0KGgo=", name: "a.png" })
      })
      expect(added.status).toBe(200)
      const listed = await fetch(`${baseUrl}/models/model_cli`, { headers })
      expect((await listed.json()).model.trainingImages).toEqual([])
      child.kill("SIGTERM")
      expect(await exited).toBe(0)
      expect(output).toContain("Scenario emulator stopped")
      expect(output).not.toContain(btoa("k:s"))
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  }, 60_000)

  it("says in one line that a port is taken, and exits non-zero", async () => {
    const server = Net.createServer()
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const port = (server.address() as Net.AddressInfo).port
    try {
      const { code, stderr, stdout } = await runToEnd(["--port", String(port)])
      expect(code).not.toBe(0)
      expect(stderr).toBe(`port ${port} is already in use\n`)
      expect(stdout).toBe("")
    } finally {
      server.close()
    }
  }, 60_000)

  it("refuses an unknown option or a bad value, exiting non-zero", async () => {
    const unknown = await runToEnd(["--prot", "4010"])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toContain("--prot")
    const badRate = await runToEnd(["--fault-rate", "2"])
    expect(badRate.code).not.toBe(0)
    expect(badRate.stderr).toContain("--fault-rate expects a number from 0 to 1, got 2")
  }, 60_000)

  it("names itself scenario-emulator in its help, and gives the package version", async () => {
    const help = await runToEnd(["--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("$ scenario-emulator")
    expect(help.stdout).toContain("--fault-rate")
    expect(help.stdout).not.toContain("pnpm")
    const version = await runToEnd(["--version"])
    expect(version.stdout.trim()).toBe(VERSION)
  }, 60_000)

  it("is not started by importing the command module: the process ends on its own", async () => {
    const { code, stdout, stderr } = await runToEnd([
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(commandModule)}); console.log(typeof m.run, typeof m.command)`
    ], [])
    expect(stderr).toBe("")
    expect(stdout).toBe("function object\n")
    expect(code).toBe(0)
  }, 60_000)

  it("keeps the version in step with package.json", () => {
    const pkg = JSON.parse(Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(VERSION).toBe(pkg.version)
    // A committed launcher (so a fresh install links the bin before the build), which runs the built command.
    expect(pkg.bin).toEqual({ "scenario-emulator": "./bin/scenario-emulator.js" })
    const launcher = Fs.readFileSync(new URL("../bin/scenario-emulator.js", import.meta.url), "utf8")
    expect(launcher).toMatch(/^#!\/usr\/bin\/env node\n/)
    expect(launcher).toContain(`import "../dist/bin/scenario-emulator.js"`)
    expect(pkg.files).toContain("bin")
    expect(pkg.exports["./bin/*"]).toBeNull()
  })
})

// The binary as published, run with its output piped as a script or a CI log would read it.
const builtBin = fileURLToPath(new URL("../dist/bin/scenario-emulator.js", import.meta.url))

const runBuilt = (args: ReadonlyArray<string>, env: Record<string, string | undefined>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    if (!Fs.existsSync(builtBin)) return reject(new Error("the package is not built: run the build first"))
    const { FORCE_COLOR: _force, NO_COLOR: _no, ...inherited } = process.env
    const child = ChildProcess.spawn(process.execPath, [builtBin, ...args], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...inherited, ...env }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => stdout += chunk)
    child.stderr.on("data", (chunk) => stderr += chunk)
    child.on("exit", (code) => resolve({ code, stdout, stderr }))
  })

describe("scenario-emulator's help, piped", () => {
  it("is plain text when its output is not a terminal, or under NO_COLOR", async () => {
    for (const env of [{}, { NO_COLOR: "1" }]) {
      const help = await runBuilt(["--help"], env)
      expect(help.code).toBe(0)
      expect(help.stdout).toContain("$ scenario-emulator")
      expect(help.stdout).not.toContain("\u001b")
      const bad = await runBuilt(["--fault-rate", "2"], env)
      expect(bad.code).not.toBe(0)
      expect(bad.stderr).toContain("--fault-rate expects a number from 0 to 1, got 2")
      expect(bad.stderr).not.toContain("\u001b")
    }
  }, 60_000)

  it("shows every option with a default as optional, with its default", async () => {
    const { stdout } = await runBuilt(["--help"], {})
    expect(stdout).toContain("[--model text...]")
    expect(stdout).toContain("[--port integer]")
    const section = (flag: string) =>
      stdout.slice(stdout.indexOf(`\n${flag} `), stdout.indexOf("\n--", stdout.indexOf(`\n${flag} `) + 1))
    expect(section("--model")).toContain("Default: model_demo.")
    expect(section("--port")).toContain("Default: 4010.")
    expect(section("--host")).toContain("Default: 127.0.0.1.")
    expect(section("--fault-rate")).toContain("Default: 0.")
    expect(section("--delay")).toContain("Default: 5000.")
  }, 60_000)
})

describe("emulator command arguments", () => {
  it("reads --faults as a comma-separated list of known kinds", () => {
    expect(parseFaultKinds("429, 503,drop-after-apply")).toEqual(Option.some(["429", "503", "drop-after-apply"]))
    expect(parseFaultKinds("429,bogus")).toEqual(Option.none())
    expect(parseFaultKinds(" , ")).toEqual(Option.none())
    expect(parseFaultKinds("504,500-after-apply,delay-after-apply")).toEqual(
      Option.some(["504", "500-after-apply", "delay-after-apply"])
    )
  })

  it("builds every transient kind, the faults after apply included, as the kind it names", () => {
    const args = { retryAfterSeconds: 3, delayMillis: 250 }
    for (const kind of Fault.transientKinds) expect(Fault.kind(faultOf(kind, args))).toBe(kind)
    expect(faultOf("429", args)).toMatchObject({ _tag: "StatusFault", status: 429, afterApply: false })
    expect(faultOf("502-after-apply", args)).toMatchObject({ _tag: "StatusFault", status: 502, afterApply: true })
    expect(faultOf("delay-after-apply", args)).toMatchObject({ _tag: "DelayFault", afterApply: true })
    expect(Fault.fromKind("429-after-apply")).toBeUndefined()
    expect(Fault.fromKind("bogus-after-apply")).toBeUndefined()
  })

  it("reads --list-lag as a duration with its unit, and gives it to the emulator", () => {
    expect(parseDuration("1500ms")).toEqual(Option.some(1500))
    expect(parseDuration("2s")).toEqual(Option.some(2000))
    expect(parseDuration("0.5 s")).toEqual(Option.some(500))
    expect(parseDuration("1m")).toEqual(Option.some(60_000))
    expect(parseDuration("0")).toEqual(Option.some(0))
    for (const bad of ["", "2", "-1s", "2 parsecs", "1e3ms", "s"]) expect(parseDuration(bad)).toEqual(Option.none())
    const args = {
      port: 0,
      host: "127.0.0.1",
      apiKey: "k",
      apiSecret: "s",
      bearerToken: "t",
      models: ["model_1"],
      faultRate: 0,
      faultSeed: 0,
      faults: [],
      retryAfterSeconds: 1,
      delayMillis: 0,
      listLagMillis: 2000
    }
    expect(emulatorOptions(args).listLag).toEqual(Duration.millis(2000))
    expect(emulatorOptions({ ...args, listLagMillis: 0 }).listLag).toBeUndefined()
  })

  it("turns a listen failure into one line", () => {
    const error = (code: string) => Object.assign(new Error(`listen ${code}`), { code })
    const where = { host: "127.0.0.1", port: 4010 }
    expect(describeServeError(error("EADDRINUSE"), where)).toBe("port 4010 is already in use")
    expect(describeServeError(error("EACCES"), where)).toBe("no permission to listen on port 4010")
    expect(describeServeError(new Error("boom"), where)).toBe("cannot listen on 127.0.0.1:4010: boom")
  })
})

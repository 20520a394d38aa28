/**
 * This package keeps its `scenario-emulator` bin, so that `npx scenario-emulator` in a project that installs it
 * goes on working: it runs the emulator package's command (whose own tests cover the command itself).
 */
import { describe, expect, it } from "@effect/vitest"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const launcher = fileURLToPath(new URL("../bin/scenario-emulator.js", import.meta.url))

const run = (args: ReadonlyArray<string>) => {
  if (!Fs.existsSync(new URL("../dist/bin/scenario-emulator.js", import.meta.url))) {
    throw new Error("the package is not built: run the build first")
  }
  const ended = ChildProcess.spawnSync(process.execPath, [launcher, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 45_000
  })
  return { code: ended.status, stdout: ended.stdout, stderr: ended.stderr }
}

describe("testing's scenario-emulator bin", () => {
  it("is the emulator package's command: its help, its version, its refusals", () => {
    const help = run(["--help"])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("$ scenario-emulator [--port integer]")
    expect(help.stdout).toContain("Default: 4010.")
    const pkg = JSON.parse(Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    const version = run(["--version"])
    expect(version.stdout).toBe(`${pkg.version}\n`)
    const bad = run(["--fault-rate", "2"])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--fault-rate expects a number from 0 to 1, got 2")
  }, 60_000)

  it("is a committed launcher of the built entry point, which runs the emulator package's command", () => {
    const pkg = JSON.parse(Fs.readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(pkg.bin).toEqual({ "scenario-emulator": "./bin/scenario-emulator.js" })
    const launcherText = Fs.readFileSync(launcher, "utf8")
    expect(launcherText).toMatch(/^#!\/usr\/bin\/env node\n/)
    expect(launcherText).toContain(`import "../dist/bin/scenario-emulator.js"`)
    const entry = Fs.readFileSync(new URL("../src/bin/scenario-emulator.ts", import.meta.url), "utf8")
    expect(entry).toContain(`from "@effect-scenario/emulator/Command"`)
    expect(pkg.exports["./bin/*"]).toBeNull()
  })
})

import { describe, expect, it } from "@effect/vitest"
import * as ChildProcess from "node:child_process"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const bin = fileURLToPath(new URL("../src/bin/emulator.ts", import.meta.url))

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

describe("emulator command line", () => {
  it("starts on the port asked (0: a free one), logs each request, and stops cleanly on SIGTERM", async () => {
    const child = ChildProcess.spawn(
      process.execPath,
      ["--import", "tsx", bin, "--port", "0", "--api-key", "k", "--api-secret", "s", "--model", "model_cli"],
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
      child.kill("SIGTERM")
      expect(await exited).toBe(0)
      expect(output).toContain("Scenario emulator stopped")
      expect(output).not.toContain(btoa("k:s"))
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL")
    }
  }, 60_000)

  it("refuses an unknown option with the usage text", async () => {
    const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", bin, "--prot", "4010"], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    child.stderr.on("data", (chunk) => output += chunk)
    const code = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    expect(code).toBe(2)
    expect(output).toContain("unknown option --prot")
    expect(output).toContain("Usage: pnpm emulator")
  }, 60_000)
})

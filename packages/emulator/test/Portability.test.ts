/**
 * The emulator package's promise: no runtime library, so that every Effect line (and a test without Effect)
 * can use it. It imports its own modules, the kernel and Node's built-ins, nothing else.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../", import.meta.url))
const sources = (dir: string): Array<string> =>
  Fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(Path.join(dir, entry.name)) : [Path.join(dir, entry.name)]
  )

describe("the emulator package", () => {
  it("depends on the kernel alone", () => {
    const manifest = JSON.parse(Fs.readFileSync(Path.join(root, "package.json"), "utf8"))
    expect(manifest.dependencies).toEqual({ "@effect-scenario/kernel": "workspace:^" })
    expect(manifest.peerDependencies).toBeUndefined()
    expect(manifest.optionalDependencies).toBeUndefined()
  })

  it("imports its own modules, the kernel and Node's built-ins, never effect or @effect/*", () => {
    const files = sources(Path.join(root, "src")).filter((file) => file.endsWith(".ts"))
    expect(files.length).toBeGreaterThan(3)
    for (const file of files) {
      const text = Fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "")
      const specifiers = [...text.matchAll(/\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2])
      for (const specifier of specifiers) {
        expect(specifier, file).toMatch(/^(?:\.\.?\/|node:|@effect-scenario\/kernel(?:\/[A-Z]\w*)?$)/)
      }
      expect(text, file).not.toMatch(/\brequire\(/)
    }
  })

  it("runs on any runtime but for the server, its body reader, its Basic decoding and its command, which are Node's", () => {
    const nodeOnly = /\/(?:Body|Auth|Server|Command|bin\/scenario-emulator)\.ts$/
    for (const file of sources(Path.join(root, "src")).filter((file) => !nodeOnly.test(file))) {
      const text = Fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "")
      expect(text, file).not.toMatch(/from\s+"node:|\b(?:Buffer|process)\./)
    }
  })
})

import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const src = fileURLToPath(new URL("../../src/testing/", import.meta.url))

const specifiersOf = (file: string): Array<string> =>
  [...fs.readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/g)].map((m) =>
    m[1]!
  )

// Every module reachable from an entry point, and the packages they import.
const reach = (entry: string) => {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    for (const specifier of specifiersOf(file)) {
      if (specifier.startsWith(".")) visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, ".ts")))
      else packages.add(specifier)
    }
  }
  visit(path.join(src, entry))
  return { files, packages: [...packages] }
}

// The emulator package's server, body reader and Basic decoding are Node's; its other modules run anywhere.
const NODE_ONLY = /^(?:node:|@effect\/platform-node|@effect-scenario\/emulator\/(?:Server|Body|Auth)$)/

describe("portability", () => {
  it("the package index reaches nothing Node-only, so the fake runs in browsers and edge runtimes", () => {
    const { files, packages } = reach("index.ts")
    expect(files.has(path.join(src, "TrainingImagesTest.ts"))).toBe(true)
    expect(files.has(path.join(src, "ScenarioEmulator.ts"))).toBe(false)
    expect(packages.filter((p) => NODE_ONLY.test(p))).toEqual([])
    for (const file of files) expect(fs.readFileSync(file, "utf8")).not.toMatch(/\b(?:Buffer|process)\./)
  })

  it("no module reaches into another package's internals", () => {
    const { packages } = reach("ScenarioEmulator.ts")
    // The server is the emulator package's (on `node:http`): reached as a package, never its internals.
    expect(packages).toContain("@effect-scenario/emulator/Server")
    expect(packages.filter((p) => /\/internal\//.test(p))).toEqual([])
  })
})

/**
 * The kernel's promise: no dependency, no runtime API beyond the web platform's, so that every binding (Effect 3,
 * Effect 4) and any JavaScript runtime can use it.
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

describe("the kernel", () => {
  it("has no dependencies of any kind but for its tests", () => {
    const manifest = JSON.parse(Fs.readFileSync(Path.join(root, "package.json"), "utf8"))
    expect(manifest.dependencies).toBeUndefined()
    expect(manifest.peerDependencies).toBeUndefined()
    expect(manifest.optionalDependencies).toBeUndefined()
  })

  it("imports nothing but its own modules, and names no Node global", () => {
    const files = sources(Path.join(root, "src")).filter((file) => file.endsWith(".ts"))
    expect(files.length).toBeGreaterThan(3)
    for (const file of files) {
      // Comments may name what the code does without (Buffer, say): only the code counts.
      const text = Fs.readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, "")
      const specifiers = [...text.matchAll(/\bfrom\s+"([^"]+)"|\bimport\(\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2])
      for (const specifier of specifiers) expect(specifier, file).toMatch(/^\.\.?\//)
      expect(text, file).not.toMatch(/\b(?:Buffer|process|require|__dirname|setImmediate)\b/)
    }
  })
})

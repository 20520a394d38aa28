/**
 * The portability checks of a testing package's sources (the Effect 3 line's `@effect-scenario/testing`, the
 * Effect 4 line's `src/testing`), written once: which modules and packages each entry point reaches, by
 * following the relative imports of the TypeScript sources. Each line's `portability.test.ts` runs `checks` over
 * its own folder and compares each check's facts with what is expected.
 */
import * as fs from "node:fs"
import * as path from "node:path"

const specifiersOf = (file: string): Array<string> =>
  [...fs.readFileSync(file, "utf8").matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"/g)].map((m) =>
    m[1]!
  )

/** Every module reachable from an entry point of `src`, and the packages they import. */
export const reach = (src: string, entry: string) => {
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

export interface Check {
  readonly name: string
  /** What the sources show, and what they must show. */
  readonly facts: () => { readonly actual: unknown; readonly expected: unknown }
}

/** The checks of the testing sources in `src` (a folder holding `index.ts`, `TrainingImagesTest.ts` and `ScenarioEmulator.ts`). */
export const checks = (src: string): ReadonlyArray<Check> => [
  {
    name: "the package index reaches nothing Node-only, so the fake runs in browsers and edge runtimes",
    facts: () => {
      const { files, packages } = reach(src, "index.ts")
      return {
        actual: {
          reachesFake: files.has(path.join(src, "TrainingImagesTest.ts")),
          reachesEmulator: files.has(path.join(src, "ScenarioEmulator.ts")),
          nodeOnly: packages.filter((p) => NODE_ONLY.test(p)),
          usingBufferOrProcess: [...files].filter((file) =>
            /\b(?:Buffer|process)\./.test(fs.readFileSync(file, "utf8"))
          )
        },
        expected: { reachesFake: true, reachesEmulator: false, nodeOnly: [], usingBufferOrProcess: [] }
      }
    }
  },
  {
    name: "no module reaches into another package's internals",
    facts: () => {
      const { packages } = reach(src, "ScenarioEmulator.ts")
      // The server is the emulator package's (on `node:http`): reached as a package, never its internals.
      return {
        actual: {
          reachesServer: packages.includes("@effect-scenario/emulator/Server"),
          internals: packages.filter((p) => /\/internal\//.test(p))
        },
        expected: { reachesServer: true, internals: [] }
      }
    }
  }
]

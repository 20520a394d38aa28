import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

// The Effect 4 line runs on its own vitest (5.x, Node >= 22.12), apart from the Effect 3 line's projects.
// Tests run against the TypeScript sources, never a stale build.
const here = path.dirname(fileURLToPath(import.meta.url))
const src = (name: string) => path.join(here, "..", name, "src")

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@effect-scenario\/effect4$/, replacement: path.join(here, "src", "index.ts") },
      { find: /^@effect-scenario\/effect4\/(node|testing)$/, replacement: path.join(here, "src", "$1", "index.ts") },
      // A module of a subpath, as the package's `./*` export opens it (`@effect-scenario/effect4/testing/ScenarioEmulator`).
      { find: /^@effect-scenario\/effect4\/(.+)$/, replacement: path.join(here, "src", "$1.ts") },
      { find: /^@effect-scenario\/(kernel|emulator|test-support)$/, replacement: `${src("$1")}/index.ts` },
      { find: /^@effect-scenario\/(kernel|emulator|test-support)\/(.*)$/, replacement: `${src("$1")}/$2.ts` }
    ]
  },
  test: {
    name: "effect4",
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    sequence: { concurrent: false }
  }
})

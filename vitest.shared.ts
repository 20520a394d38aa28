import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { ViteUserConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))
const pkg = (name: string) => path.join(root, "packages", name, "src")

// Tests run against the TypeScript sources, never a stale build.
const config: ViteUserConfig = {
  resolve: {
    alias: [
      {
        find: /^@effect-scenario\/(kernel|emulator|core|testing|platform-node|cli|test-support)$/,
        replacement: `${pkg("$1")}/index.ts`
      },
      {
        find: /^@effect-scenario\/(kernel|emulator|core|testing|platform-node|cli|test-support)\/(.*)$/,
        replacement: `${pkg("$1")}/$2.ts`
      }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    sequence: { concurrent: false }
  }
}

export default config

// Runs the Effect 4 line's suite (packages/effect4, vitest 5). vitest 5 and @effect/platform-node 4.1 need
// Node >= 22.19: on an older Node (Node 20 still runs the Effect 3 line), the suite runs on Node 24, which npm
// serves as a package (`node@24`); it is installed once into node_modules/.cache and reused.
// SCENARIO_EFFECT4_NODE=<path to a node binary> picks the Node to run it on (CI uses it for Node 22).
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const pkg = path.join(root, "packages", "effect4")
const vitest = path.join(pkg, "node_modules", "vitest", "vitest.mjs")

const atLeast = (version, [major, minor]) => {
  const [a, b] = version.replace(/^v/, "").split(".").map(Number)
  return a > major || (a === major && b >= minor)
}

const node24 = () => {
  const cache = path.join(root, "node_modules", ".cache", "node24")
  const bin = path.join(cache, "node_modules", "node", "bin", "node")
  if (!existsSync(bin)) {
    console.log(
      `Node ${process.version} is too old for the Effect 4 line's tests: installing Node 24 (npm's node@24) once`
    )
    mkdirSync(cache, { recursive: true })
    execFileSync("npm", ["install", "--prefix", cache, "--no-save", "--no-audit", "--no-fund", "node@24"], {
      stdio: "inherit"
    })
  }
  return bin
}

const node = process.env.SCENARIO_EFFECT4_NODE
  ?? (atLeast(process.version, [22, 19]) ? process.execPath : node24())
const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim()
console.log(`Effect 4 line: vitest 5 on Node ${version}`)
const run = spawnSync(node, [vitest, "run", ...process.argv.slice(2)], { cwd: pkg, stdio: "inherit" })
process.exit(run.status ?? 1)

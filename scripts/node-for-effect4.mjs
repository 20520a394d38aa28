// The Node that runs the Effect 4 line (>= 22.19: vitest 5, @effect/platform-node 4.1, undici 8): this one if it
// is recent enough, otherwise Node 24 (npm's `node@24` package), installed once into node_modules/.cache and
// reused. SCENARIO_EFFECT4_NODE=<path to a node binary> chooses another (CI uses it for Node 22).
//   node scripts/node-for-effect4.mjs     prints the path of that node binary
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.dirname(Path.dirname(fileURLToPath(import.meta.url)))

const recentEnough = (version) => {
  const [major, minor] = version.replace(/^v/, "").split(".").map(Number)
  return major > 22 || (major === 22 && minor >= 19)
}

/** The path of a node binary that runs the Effect 4 line. */
export const nodeForEffect4 = () => {
  if (process.env.SCENARIO_EFFECT4_NODE) return process.env.SCENARIO_EFFECT4_NODE
  if (recentEnough(process.version)) return process.execPath
  const cache = Path.join(root, "node_modules", ".cache", "node24")
  const bin = Path.join(cache, "node_modules", "node", "bin", "node")
  if (!existsSync(bin)) {
    console.error(
      `Node ${process.version} is older than the Effect 4 line needs (22.19): installing npm's node@24 once`
    )
    mkdirSync(cache, { recursive: true })
    execFileSync("npm", ["install", "--prefix", cache, "--no-save", "--no-audit", "--no-fund", "node@24"], {
      stdio: ["ignore", "ignore", "inherit"]
    })
  }
  return bin
}

if (process.argv[1] && fileURLToPath(import.meta.url) === Path.resolve(process.argv[1])) {
  console.log(nodeForEffect4())
}

// The Node the Effect 4 line runs on. vitest 5, undici 8 and @effect/platform-node 4.1 need Node >= 22.19: on an
// older Node (Node 20 still runs the Effect 3 line), Node 24, which npm serves as a package (`node@24`),
// installed once into node_modules/.cache and reused. SCENARIO_EFFECT4_NODE=<path to a node binary> picks it.
import { execFileSync } from "node:child_process"
import { existsSync, mkdirSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

export const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))

const atLeast = (version, [major, minor]) => {
  const [a, b] = version.replace(/^v/, "").split(".").map(Number)
  return a > major || (a === major && b >= minor)
}

const node24 = (why) => {
  const cache = path.join(root, "node_modules", ".cache", "node24")
  const bin = path.join(cache, "node_modules", "node", "bin", "node")
  if (!existsSync(bin)) {
    console.log(`Node ${process.version} is too old for ${why}: installing Node 24 (npm's node@24) once`)
    mkdirSync(cache, { recursive: true })
    execFileSync("npm", ["install", "--prefix", cache, "--no-save", "--no-audit", "--no-fund", "node@24"], {
      stdio: "inherit"
    })
  }
  return bin
}

/** The path of the node binary to run the Effect 4 line on, and its version. */
export const effect4Node = (why) => {
  const node = process.env.SCENARIO_EFFECT4_NODE
    ?? (atLeast(process.version, [22, 19]) ? process.execPath : node24(why))
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim()
  return { node, version }
}

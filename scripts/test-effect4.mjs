// Runs the Effect 4 line's suite (packages/effect4, vitest 5) on a Node that runs that line (see
// node-for-effect4.mjs: this Node if >= 22.19, otherwise Node 24 from npm, installed once). Arguments go to vitest.
import { execFileSync, spawnSync } from "node:child_process"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { nodeForEffect4 } from "./node-for-effect4.mjs"

const root = Path.dirname(Path.dirname(fileURLToPath(import.meta.url)))
const pkg = Path.join(root, "packages", "effect4")
const node = nodeForEffect4()
console.log(`Effect 4 line: vitest 5 on Node ${execFileSync(node, ["--version"], { encoding: "utf8" }).trim()}`)
const run = spawnSync(node, [Path.join(pkg, "node_modules", "vitest", "vitest.mjs"), "run", ...process.argv.slice(2)], {
  cwd: pkg,
  stdio: "inherit",
  // tsx and other tools the tests spawn find this Node first.
  env: { ...process.env, PATH: `${Path.dirname(node)}${Path.delimiter}${process.env.PATH}` }
})
process.exit(run.status ?? 1)

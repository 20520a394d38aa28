// Runs the Effect 4 line's suite (packages/effect4, vitest 5) on a Node that serves it (see effect4-node.mjs: this
// Node if >= 22.19, otherwise Node 24 from npm, installed once). Arguments go to vitest.
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { effect4Node, root } from "./effect4-node.mjs"

const pkg = path.join(root, "packages", "effect4")
const vitest = path.join(pkg, "node_modules", "vitest", "vitest.mjs")

const { node, version } = effect4Node("the Effect 4 line's tests")
console.log(`Effect 4 line: vitest 5 on Node ${version}`)
const run = spawnSync(node, [vitest, "run", ...process.argv.slice(2)], {
  cwd: pkg,
  stdio: "inherit",
  // What the tests spawn (tsx, the built binaries) runs on the same Node.
  env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` }
})
process.exit(run.status ?? 1)

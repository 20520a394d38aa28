// Runs the Effect 4 line's suite (packages/effect4, vitest 5) on a Node that serves it (see effect4-node.mjs).
// SCENARIO_EFFECT4_NODE=<path to a node binary> picks the Node to run it on (CI uses it for Node 22).
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
  // tsx and other tools the tests spawn find this Node first.
  env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` }
})
process.exit(run.status ?? 1)

// Runs the Effect 4 line's benchmark (packages/effect4/bench/replace.bench.ts) on a Node that serves the line
// (see effect4-node.mjs), with the Effect 3 line's figures measured in the same process. With --profile, runs
// bench/profile.ts instead (the line's replace under the CPU profiler; --concurrency n, --out dir).
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { effect4Node, root } from "./effect4-node.mjs"

const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs")
const args = process.argv.slice(2)
const profile = args.includes("--profile")
const bench = path.join(root, "packages", "effect4", "bench", profile ? "profile.ts" : "replace.bench.ts")

const { node, version } = effect4Node("the Effect 4 line's benchmark")
console.log(`Effect 4 line's benchmark on Node ${version}`)
const run = spawnSync(node, [tsx, bench, ...args.filter((arg) => arg !== "--profile")], {
  cwd: root,
  stdio: "inherit"
})
process.exit(run.status ?? 1)

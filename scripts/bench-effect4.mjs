// Runs the Effect 4 line's benchmark (packages/effect4/bench/replace.bench.ts) on a Node that serves the line
// (see effect4-node.mjs), with the Effect 3 line's figures measured in the same process. With --profile, runs
// bench/profile.ts instead (the line's replace under the CPU profiler; --concurrency n, --metrics off, --out dir);
// with --metrics, bench/metrics.ts (the line's replace with its metrics on against off; --rounds n, --alloc).
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { effect4Node, root } from "./effect4-node.mjs"

const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs")
const args = process.argv.slice(2)
const profile = args.includes("--profile")
const metrics = !profile && args.includes("--metrics")
const bench = path.join(
  root,
  "packages",
  "effect4",
  "bench",
  profile ? "profile.ts" : metrics ? "metrics.ts" : "replace.bench.ts"
)
// Counting what a call allocates needs a collection on demand and a young generation no run fills.
const nodeOptions = metrics && args.includes("--alloc") ? ["--expose-gc", "--max-semi-space-size=256"] : []

const { node, version } = effect4Node("the Effect 4 line's benchmark")
console.log(`Effect 4 line's benchmark on Node ${version}`)
// tsx's command passes no Node options on to the process it starts: with some, tsx is loaded as a hook instead.
const runner = nodeOptions.length > 0 ? [...nodeOptions, "--import", "tsx"] : [tsx]
const run = spawnSync(node, [...runner, bench, ...args.filter((arg) => arg !== "--profile")], {
  cwd: root,
  stdio: "inherit"
})
process.exit(run.status ?? 1)

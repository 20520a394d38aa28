// Runs the fault-injection soak on the Effect 4 line (packages/effect4/soak/soak.ts) on a Node that serves the
// line (see effect4-node.mjs). Arguments are the soak's (see `pnpm soak:effect4 --help`).
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { effect4Node, root } from "./effect4-node.mjs"

const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs")
const soak = path.join(root, "packages", "effect4", "soak", "soak.ts")

const { node, version } = effect4Node("the Effect 4 line's soak")
console.log(`Effect 4 line's soak on Node ${version}`)
const run = spawnSync(node, [tsx, soak, ...process.argv.slice(2)], { cwd: root, stdio: "inherit" })
process.exit(run.status ?? 1)

// Fails when git tracks compiler output: source maps (`*.js.map`, `*.d.ts.map`), build info, anything under a
// `dist/` or `build/` folder, or a `.d.ts` (`.d.mts`, `.d.cts`) beside the `.ts` (`.mts`, `.cts`) it is made
// from. Run by `lint`. Compiler output belongs in the ignored `dist/` and `build/` folders.
import * as ChildProcess from "node:child_process"

let tracked
try {
  tracked = ChildProcess.execFileSync("git", ["ls-files", "-z"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"]
  })
    .split("\0")
    .filter((file) => file !== "")
} catch {
  console.log("no-generated-files: not a git work tree, nothing to check")
  process.exit(0)
}

const files = new Set(tracked)
const generated = tracked.filter((file) => {
  if (/\.(js|mjs|cjs|d\.ts|d\.mts|d\.cts)\.map$/.test(file) || file.endsWith(".tsbuildinfo")) return true
  if (/(^|\/)(dist|build)\//.test(file)) return true
  const declaration = /^(.*)\.d\.(ts|mts|cts)$/.exec(file)
  return declaration !== null && files.has(`${declaration[1]}.${declaration[2]}`)
})

if (generated.length > 0) {
  console.error(`no-generated-files: git tracks ${generated.length} generated file(s); remove them (git rm --cached):`)
  for (const file of generated) console.error(`  ${file}`)
  process.exit(1)
}
console.log(`no-generated-files: none of the ${tracked.length} tracked files is compiler output`)

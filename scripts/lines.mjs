#!/usr/bin/env node
// How much of the packages' source needs no Effect: the lines of each package's `src` in files that import
// neither `effect` nor `@effect/*` (directly; a file that imports one of ours which does counts as free: the
// question is which code could move to an Effect-free package as it is). `pnpm lines`, or with `--json`.
import { execFileSync } from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "packages"], {
  cwd: root,
  encoding: "utf8"
})
  .split("\n")
  .filter((file) => /^packages\/(.+\/)?[^/]+\/src\/.+\.(ts|mts|tsx)$/.test(file) && !file.endsWith(".d.ts"))
  .filter((file) => Fs.existsSync(Path.join(root, file)))

const usesEffect =
  /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+["'](?:effect(?:\/[^"']*)?|@effect\/[^"']+)["']|\bimport\(\s*["'](?:effect|@effect\/)/

const packages = new Map()
for (const file of files) {
  const name = file.slice(0, file.indexOf("/src/"))
  const text = Fs.readFileSync(Path.join(root, file), "utf8")
  const lines = text.split("\n").filter((line) => line.trim() !== "").length
  const entry = packages.get(name) ?? { package: name, files: 0, lines: 0, effectFreeFiles: 0, effectFreeLines: 0 }
  entry.files++
  entry.lines += lines
  if (!usesEffect.test(text)) {
    entry.effectFreeFiles++
    entry.effectFreeLines += lines
  }
  packages.set(name, entry)
}
const rows = [...packages.values()].sort((a, b) => a.package.localeCompare(b.package))
const total = rows.reduce(
  (sum, row) => ({
    package: "all",
    files: sum.files + row.files,
    lines: sum.lines + row.lines,
    effectFreeFiles: sum.effectFreeFiles + row.effectFreeFiles,
    effectFreeLines: sum.effectFreeLines + row.effectFreeLines
  }),
  { package: "all", files: 0, lines: 0, effectFreeFiles: 0, effectFreeLines: 0 }
)
const share = (row) => row.lines === 0 ? 0 : row.effectFreeLines / row.lines
// Each Effect line as a user installs it: its own packages and the Effect-free ones it depends on.
const lines = {
  "Effect 3 line (with kernel and emulator)": ["kernel", "emulator", "core", "platform-node", "testing", "cli"],
  "Effect 4 line (with kernel and emulator)": ["kernel", "emulator", "effect4"]
}
const lineRows = Object.entries(lines).map(([name, members]) =>
  rows.filter((row) => members.includes(row.package.replace(/^packages\//, ""))).reduce(
    (sum, row) => ({
      package: name,
      files: sum.files + row.files,
      lines: sum.lines + row.lines,
      effectFreeFiles: sum.effectFreeFiles + row.effectFreeFiles,
      effectFreeLines: sum.effectFreeLines + row.effectFreeLines
    }),
    { package: name, files: 0, lines: 0, effectFreeFiles: 0, effectFreeLines: 0 }
  )
)
if (process.argv.includes("--json")) {
  console.log(
    JSON.stringify(
      {
        packages: rows.map((row) => ({ ...row, share: share(row) })),
        lines: lineRows.map((row) => ({ ...row, share: share(row) })),
        total: { ...total, share: share(total) }
      },
      null,
      2
    )
  )
} else {
  console.log("| package | files | lines | Effect-free files | Effect-free lines | share |")
  console.log("|---|---|---|---|---|---|")
  for (const row of [...rows, total, ...lineRows]) {
    console.log(
      `| ${row.package} | ${row.files} | ${row.lines} | ${row.effectFreeFiles} | ${row.effectFreeLines} | ${
        (share(row) * 100).toFixed(1)
      }% |`
    )
  }
  console.log("(non-blank lines of src/*.ts; a file is Effect-free when it imports neither effect nor @effect/*)")
}

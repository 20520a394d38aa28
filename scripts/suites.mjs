#!/usr/bin/env node
// The two lines' suites side by side: each Effect 3 suite and its Effect 4 counterpart (same file name, in the
// counterpart folder), and the tests whose name only one of them has. Tests made from a shared table or a
// shared module (a loop over cases, test-support's `register`) have no literal name and count on neither side:
// they cannot drift. `examples/suite-parity.test.ts` compares the differences with `api/suites.json`.
// `node scripts/suites.mjs` prints them; `--write` rewrites the list in `api/suites.json`, keeping the reasons
// already given and marking each new difference "to port".
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const root = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")

/** Each Effect 3 test folder and the Effect 4 folder holding its counterparts. */
export const folders = [
  ["packages/core/test", "packages/effect4/test"],
  ["packages/testing/test", "packages/effect4/test/testing"],
  ["packages/platform-node/test", "packages/effect4/test/node"]
]

/** Counterparts in folders that do not correspond (the Effect 3 line's contract runner is its testing package's). */
export const moved = [["packages/testing/test/Contract.test.ts", "packages/effect4/test/Contract.test.ts"]]

export const suitesFile = Path.join(root, "api", "suites.json")

/** What a difference is listed as until a test is written on the other line. */
export const TO_PORT = "to port: the test is not yet on the other line"

// A test's literal name: `it("…"`, `it.effect("…"`, `it.live(\n  "…"`, `test("…"`; a template's text as written.
const testName = /\b(?:it|test)(?:\.\w+)*\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`)/g

const namesIn = (file) => {
  const text = Fs.readFileSync(Path.join(root, file), "utf8")
  return new Set([...text.matchAll(testName)].map((m) => m[1] ?? m[2] ?? m[3]))
}

const suitesIn = (folder) =>
  Fs.existsSync(Path.join(root, folder))
    ? Fs.readdirSync(Path.join(root, folder)).filter((file) => file.endsWith(".test.ts")).sort()
    : []

/** Every difference between the lines' suites, one line each, sorted. */
export const differences = () => {
  const found = []
  const compare = (at, a, b) => {
    for (const name of a) if (!b.has(name)) found.push(`${at}: only in the Effect 3 line: ${name}`)
    for (const name of b) if (!a.has(name)) found.push(`${at}: only in the Effect 4 line: ${name}`)
  }
  const elsewhere = new Set(moved.flat())
  for (const [v3, v4] of folders) {
    const left = suitesIn(v3).filter((file) => !elsewhere.has(`${v3}/${file}`))
    const right = suitesIn(v4).filter((file) => !elsewhere.has(`${v4}/${file}`))
    for (const file of new Set([...left, ...right])) {
      const at = `${v3} ↔ ${v4}, ${file}`
      if (!left.includes(file) || !right.includes(file)) {
        found.push(`${at}: suite only in the Effect ${left.includes(file) ? 3 : 4} line`)
      } else {
        compare(at, namesIn(`${v3}/${file}`), namesIn(`${v4}/${file}`))
      }
    }
  }
  for (const [v3, v4] of moved) compare(`${v3} ↔ ${v4}`, namesIn(v3), namesIn(v4))
  return found.sort()
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = differences()
  if (process.argv.includes("--write")) {
    const listed = Fs.existsSync(suitesFile) ? JSON.parse(Fs.readFileSync(suitesFile, "utf8")).intended : {}
    const intended = Object.fromEntries(found.map((difference) => [difference, listed[difference] ?? TO_PORT]))
    Fs.writeFileSync(suitesFile, `${JSON.stringify({ intended }, null, 2)}\n`)
  }
  const listed = Fs.existsSync(suitesFile) ? JSON.parse(Fs.readFileSync(suitesFile, "utf8")).intended : {}
  const toPort = found.filter((difference) => (listed[difference] ?? TO_PORT) === TO_PORT).length
  for (const difference of found) console.log(difference)
  console.log(`${found.length} differences, ${toPort} of them to port`)
}

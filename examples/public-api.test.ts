/**
 * The public API of every package against its list in `api/`: each public module's exported names, and whether
 * each is a value, a type or both. A difference fails with what was added and what went missing, so that moving
 * code (into the Effect-free kernel, say) cannot change what users import unnoticed. After an intended change:
 * `node scripts/public-api.mjs --write`, and say it in the CHANGELOG.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import { counterparts, groups, type PublicApi, publicApi, snapshotFile } from "../scripts/public-api.mjs"

const flatten = (api: PublicApi): Map<string, string> => {
  const entries = new Map<string, string>()
  for (const [pkg, modules] of Object.entries(api)) {
    for (const [module, names] of Object.entries(modules)) {
      for (const [name, kind] of Object.entries(names)) entries.set(`${pkg}/${module}: ${name}`, kind)
    }
  }
  return entries
}

describe("the public API", () => {
  it.each(Object.entries(groups))("of %s is the one api/ lists, export by export", (group, packages) => {
    const expected = flatten(JSON.parse(Fs.readFileSync(snapshotFile(group), "utf8")) as PublicApi)
    const actual = flatten(publicApi(packages))
    const missing = [...expected].filter(([key, kind]) => actual.get(key) !== kind).map(([key, kind]) =>
      `${key} (${kind})`
    )
    const added = [...actual].filter(([key, kind]) => expected.get(key) !== kind).map(([key, kind]) =>
      `${key} (${kind})`
    )
    expect({ missing, added }).toEqual({ missing: [], added: [] })
    // The list is not empty by accident (a broken reader would agree with an empty file).
    expect(actual.size).toBeGreaterThan(10)
  }, 60_000)
})

/**
 * The two lines side by side: every public module of an Effect 3 package against its counterpart in the Effect 4
 * line (`core` ↔ `effect4`, `platform-node` ↔ `effect4/node`, `testing` ↔ `effect4/testing`), export by export.
 * A difference fails unless `api/lines.json` lists it with its reason, and a listed difference that is gone
 * fails too, so the list stays the truth.
 */
describe("the two lines", () => {
  const listed = JSON.parse(Fs.readFileSync(new URL("../api/lines.json", import.meta.url), "utf8")) as {
    readonly intended: Record<string, string>
  }

  it("export the same names from the same modules, but for the differences api/lines.json gives reasons for", () => {
    const differences: Array<string> = []
    for (const [v3, v4] of Object.entries(counterparts)) {
      const left = publicApi([v3])[`@effect-scenario/${v3}`] ?? {}
      const right = publicApi([v4])[`@effect-scenario/${v4}`] ?? {}
      for (const module of new Set([...Object.keys(left), ...Object.keys(right)])) {
        const at = `${v3} ↔ ${v4}, ${module}`
        const a = left[module]
        const b = right[module]
        if (a === undefined || b === undefined) {
          differences.push(`${at}: module only in the Effect ${a === undefined ? 4 : 3} line`)
          continue
        }
        for (const name of new Set([...Object.keys(a), ...Object.keys(b)])) {
          if (a[name] !== b[name]) {
            differences.push(`${at}: ${name} is ${a[name] ?? "absent"} in Effect 3, ${b[name] ?? "absent"} in Effect 4`)
          }
        }
      }
    }
    for (const [difference, why] of Object.entries(listed.intended)) expect(why.length, difference).toBeGreaterThan(10)
    expect(differences.sort()).toEqual(Object.keys(listed.intended).sort())
  }, 120_000)
})

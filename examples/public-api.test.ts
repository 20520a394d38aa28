/**
 * The public API of every package against its list in `api/`: each public module's exported names, and whether
 * each is a value, a type or both. A difference fails with what was added and what went missing, so that moving
 * code (into the Effect-free kernel, say) cannot change what users import unnoticed. After an intended change:
 * `node scripts/public-api.mjs --write`, and say it in the CHANGELOG.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import { groups, type PublicApi, publicApi, snapshotFile } from "../scripts/public-api.mjs"

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

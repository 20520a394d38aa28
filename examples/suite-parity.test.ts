/**
 * The two lines' suites side by side (`scripts/suites.mjs`): a test whose name only one line's suite has is
 * a behaviour that may drift between the lines. Each such difference is listed in `api/suites.json`, with its
 * reason (a test of something only one line has, or the same test under another name) or as one to port; a
 * difference not listed, or listed but gone, fails here. After writing a test on one line only:
 * `node scripts/suites.mjs --write`, then give the new entry its reason, or port the test.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Fs from "node:fs"
import { differences, suitesFile, TO_PORT } from "../scripts/suites.mjs"

describe("the two lines' suites", () => {
  const listed = JSON.parse(Fs.readFileSync(suitesFile, "utf8")) as { readonly intended: Record<string, string> }

  it("have the same tests by name, but for the differences api/suites.json lists", () => {
    expect(differences()).toEqual(Object.keys(listed.intended).sort())
  })

  it("list each difference with a reason, or as one to port", () => {
    for (const [difference, why] of Object.entries(listed.intended)) {
      expect(why === TO_PORT || why.length > 20, difference).toBe(true)
    }
  })
})

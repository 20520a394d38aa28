// The portability checks of the testing sources (test-support's, shared with the other line) over this line's.
import * as Portability from "@effect-scenario/test-support/portability"
import { describe, expect, it } from "@effect/vitest"
import { fileURLToPath } from "node:url"

const src = fileURLToPath(new URL("../../src/testing/", import.meta.url))

describe("portability", () => {
  for (const check of Portability.checks(src)) {
    it(check.name, () => {
      const { actual, expected } = check.facts()
      expect(actual).toEqual(expected)
    })
  }
})

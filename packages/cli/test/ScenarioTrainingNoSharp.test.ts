// `--fit` where sharp cannot be loaded (an install without optional dependencies): sharp's import fails here.
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { vi } from "vitest"
import { makeFolder, MODEL, withEmulator } from "./harness.js"

vi.mock("sharp", () => {
  throw Object.assign(new Error("Cannot find package 'sharp'"), { code: "ERR_MODULE_NOT_FOUND" })
})

describe("scenario-training --fit without sharp", () => {
  it.live("is bad input: said how to install it, exit 2, nothing read or sent", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        const refused = yield* run(["sync", images, "--model", MODEL, "--fit"])
        expect(refused.code).toBe(2)
        expect(refused.out).toBe("")
        expect(refused.err).toMatch(/^error: --fit needs sharp, .*npm install sharp/)
        expect(refused.err.split("\n").length).toBe(1)
        expect((yield* emulator.requests).length).toBe(0)
      })
    ))
})

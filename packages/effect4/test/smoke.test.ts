import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"

describe("smoke", () => {
  it.effect("runs on effect 4", () => Effect.sync(() => expect(1).toBe(1)))
})

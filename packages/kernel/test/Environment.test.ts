import { describe, expect, it } from "vitest"
import * as Environment from "../src/Environment.js"

describe("Environment", () => {
  it("names the official SDKs' variables", () => {
    expect([Environment.API_KEY_VARIABLE, Environment.API_SECRET_VARIABLE, Environment.BASE_URL_VARIABLE]).toEqual([
      "SCENARIO_SDK_API_KEY",
      "SCENARIO_SDK_API_SECRET",
      "SCENARIO_SDK_BASE_URL"
    ])
  })

  it("says a missing variable is not set, naming it only", () => {
    expect(Environment.notSetMessage("SCENARIO_SDK_API_KEY")).toBe("SCENARIO_SDK_API_KEY is not set")
  })
})

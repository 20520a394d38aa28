/**
 * Basic with the API key and secret, or the Bearer token; nothing else.
 */
import * as Auth from "@effect-scenario/emulator/Auth"
import { describe, expect, it } from "vitest"

const authenticates = Auth.authenticator({ apiKey: "key", apiSecret: "sécret", bearerToken: "token" })
const basic = (text: string) => `Basic ${Buffer.from(text, "utf8").toString("base64")}`

describe("Auth", () => {
  it("accepts Basic key:secret (UTF-8) and the Bearer token, schemes in any case", () => {
    for (
      const header of [basic("key:sécret"), `bearer token`, `BEARER token  `, `basic ${basic("key:sécret").slice(6)}`]
    ) {
      expect(authenticates(header), header).toBe(true)
    }
  })

  it("refuses anything else", () => {
    for (
      const header of [
        undefined,
        "",
        "token",
        "Bearer",
        "Bearer tok",
        "Bearer token extra",
        basic("key:secret"),
        "Digest token"
      ]
    ) {
      expect(authenticates(header), String(header)).toBe(false)
    }
  })

  it("compares whole strings", () => {
    expect(Auth.timingSafeEqual("abc", "abc")).toBe(true)
    expect(Auth.timingSafeEqual("abc", "abd")).toBe(false)
    expect(Auth.timingSafeEqual("abc", "abcd")).toBe(false)
    expect(Auth.timingSafeEqual("", "")).toBe(true)
  })
})

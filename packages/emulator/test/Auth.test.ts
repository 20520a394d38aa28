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

describe("Auth, exactly", () => {
  it("takes one or more spaces between scheme and credentials, and trailing white space only", () => {
    expect(authenticates("Bearer   token")).toBe(true)
    expect(authenticates("Bearer token\t")).toBe(true)
    for (const header of [" Bearer token", "x Bearer token", "Bearer\ttoken", "Bearer token x", "Bearer tokenx"]) {
      expect(authenticates(header), JSON.stringify(header)).toBe(false)
    }
  })

  it("does not take the token as Basic credentials, nor the Basic credentials as a token", () => {
    expect(authenticates(basic("token"))).toBe(false)
    expect(authenticates(`Bearer ${basic("key:sécret").slice(6)}`)).toBe(false)
    expect(authenticates(basic("key:sécret "))).toBe(false)
    // Any other scheme, even with the Basic credentials.
    expect(authenticates(`Digest ${basic("key:sécret").slice(6)}`)).toBe(false)
  })

  it("tells strings of one length apart wherever they differ", () => {
    expect(Auth.timingSafeEqual("xbc", "abc")).toBe(false)
    expect(Auth.timingSafeEqual("abc", "ab")).toBe(false)
    expect(Auth.timingSafeEqual("", "a")).toBe(false)
  })
})

/**
 * The `Authorization` header's value from plain strings.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { basic, bearer } from "../src/Authorization.js"

describe("Authorization", () => {
  it("Basic is the Base64 of key:secret's UTF-8 bytes (RFC 7617's example)", () => {
    expect(basic("Aladdin", "open sesame")).toBe("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==")
    expect(basic("clé", "sécret")).toBe(`Basic ${btoa(String.fromCharCode(...new TextEncoder().encode("clé:sécret")))}`)
    fc.assert(
      fc.property(fc.string(), fc.string(), (key, secret) => {
        const binary = String.fromCharCode(...new TextEncoder().encode(`${key}:${secret}`))
        expect(basic(key, secret)).toBe(`Basic ${btoa(binary)}`)
      })
    )
  })

  it("Bearer carries the token as it is", () => {
    expect(bearer("tok_123")).toBe("Bearer tok_123")
  })
})

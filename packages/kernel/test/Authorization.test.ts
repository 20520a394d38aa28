/**
 * The `Authorization` header's value from plain strings.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { basic, basicFieldProblem, bearer, bearerTokenProblem } from "../src/Authorization.js"

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

describe("Authorization's checks", () => {
  it("a bearer token must be a token68; the problem never quotes it", () => {
    for (const token of ["abc", "a-b.c_d~e+f/g==", "x="]) expect(bearerTokenProblem(token)).toBeUndefined()
    for (const token of ["", "a b", "a\nb", "é", "=abc", "a=b"]) {
      const problem = bearerTokenProblem(token)
      expect(problem).toMatch(/^The bearer token must be a token68/)
      if (token !== "") expect(problem).not.toContain(token)
    }
  })

  it("an API key or secret with a control character names the field", () => {
    expect(basicFieldProblem("apiKey", "key")).toBeUndefined()
    expect(basicFieldProblem("apiSecret", "s\r\n")).toBe(
      "The apiSecret holds a control character (a line break?): check how it was read"
    )
    expect(basicFieldProblem("apiKey", "a\u007fb")).toMatch(/^The apiKey holds/)
  })
})

describe("Authorization's checks: the edges", () => {
  it("every control character is refused in a key or secret, and nothing else is", () => {
    for (const char of ["\u0000", "\t", "\n", "\r", "\u001b", "\u001f", "\u007f"]) {
      expect(basicFieldProblem("apiKey", `a${char}b`), JSON.stringify(char)).toBe(
        "The apiKey holds a control character (a line break?): check how it was read"
      )
    }
    for (const value of ["", " ", "~", "é", "\u00a0", "key with spaces", "\u0080"]) {
      expect(basicFieldProblem("apiKey", value), JSON.stringify(value)).toBeUndefined()
    }
  })

  it("a token68 is letters, digits and - . _ ~ + / then only =; the problem's exact words", () => {
    expect(bearerTokenProblem("AZaz09-._~+/")).toBeUndefined()
    expect(bearerTokenProblem("abc===")).toBeUndefined()
    for (const token of ["abc ", " abc", "ab=c", "a:b", "a,b", "ab\t", "=", "a==b"]) {
      expect(bearerTokenProblem(token), JSON.stringify(token)).toBe(
        "The bearer token must be a token68 (letters, digits, - . _ ~ + / then optional =): it holds another " +
          "character (a space, a line break, a non-ASCII character?)"
      )
    }
  })
})

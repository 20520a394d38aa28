/**
 * Where the Node transports send a request: a URL of the plain form is split without the URL parser. Whatever
 * the string, the split must agree with the parser, or leave the URL to it.
 */
import fc from "fast-check"
import { afterEach, describe, expect, it, vi } from "vitest"
import { plainTarget, targetOf } from "../src/UrlTarget.js"

const parsed = (url: string) => targetOf(new URL(url))

describe("plainTarget", () => {
  it("splits the URLs the client builds as the URL parser does", () => {
    for (
      const url of [
        "https://api.cloud.scenario.com/v1/models/model_1/training-images",
        "https://api.cloud.scenario.com/v1/models/model_1/training-images/asset_1",
        "http://127.0.0.1:8080/v1/models/m/training-images/pairs",
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8080/",
        "http://[::1]:9000/v1/models/a%20b/training-images",
        "https://API.Example.COM:443/v1/x"
      ]
    ) {
      expect(plainTarget(url), url).toEqual(parsed(url))
    }
  })

  it("takes the origin as the parser writes it: default port dropped, host lowercased, numbers as IPv4", () => {
    expect(plainTarget("https://API.Example.COM:443/v1")).toEqual({ origin: "https://api.example.com", path: "/v1" })
    expect(plainTarget("http://2130706433:80/v1")).toEqual({ origin: "http://127.0.0.1", path: "/v1" })
    expect(plainTarget("http://user:pass@host/v1")).toEqual({ origin: "http://host", path: "/v1" })
  })

  it("leaves to the parser what it would change or read differently", () => {
    for (
      const url of [
        "https://h/v1/models/./x", // a dot segment
        "https://h/v1/models/%2E%2e/x", // an escaped one
        "https://h/v1/a b", // a space, escaped by the parser
        "https://h/v1/a\tb", // a tab, dropped
        "https://h/v1/a\\b", // a backslash, a "/" to the parser
        "https://h/v1?x=1", // a query
        "https://h/v1#f", // a fragment
        "https://h/v1/é", // non-ASCII
        "https://h/v1/a^b", // escaped by some parsers
        "HTTPS://h/v1", // an unusual spelling of the scheme
        "ftp://h/v1", // another scheme
        "xhttp://h/v1", // a scheme that only ends in "http"
        "git+https://h/v1/x", // and another
        "https://h:99999/v1", // a port out of range: no origin
        "/v1/relative"
      ]
    ) {
      expect(plainTarget(url), url).toBeUndefined()
    }
  })

  it("never disagrees with the URL parser", () => {
    const heads = fc.constantFrom(
      "http://127.0.0.1:8080",
      "https://api.cloud.scenario.com",
      "https://API.example.com:443",
      "http://0x7f.1",
      "http://h:0080",
      "http://u@h",
      "https://h:",
      "http://[::1]"
    )
    const pieces = fc.constantFrom(
      "/",
      "a",
      "Z",
      "9",
      ".",
      "..",
      "%2e",
      "%2E",
      "%",
      "%zz",
      "-",
      "_",
      "~",
      "!",
      "$",
      "&",
      "'",
      "(",
      ")",
      "*",
      "+",
      ",",
      ";",
      "=",
      ":",
      "@",
      " ",
      "\t",
      "\n",
      "\\",
      "?",
      "#",
      "^",
      "|",
      "`",
      "{",
      "}",
      "\"",
      "<",
      ">",
      "é",
      "\u0000",
      "\u001f",
      "[",
      "]"
    )
    fc.assert(
      fc.property(heads, fc.array(pieces, { maxLength: 12 }), (head, parts) => {
        const url = head + parts.join("")
        const split = plainTarget(url)
        if (split === undefined) return
        expect(split).toEqual(parsed(url))
      }),
      { numRuns: 20_000 }
    )
  })
})

describe("plainTarget's origins", () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.resetModules()
  })

  it("parses each head once, and forgets them all past 64 heads (memory stays bounded)", async () => {
    const heads: Array<string> = []
    class Counting extends URL {
      constructor(url: string | URL, base?: string | URL) {
        super(url, base)
        heads.push(String(url))
      }
    }
    vi.stubGlobal("URL", Counting)
    vi.resetModules()
    const fresh = await import("../src/UrlTarget.js")
    expect(fresh.plainTarget("http://h0/a")).toEqual({ origin: "http://h0", path: "/a" })
    expect(fresh.plainTarget("http://h0/b")).toEqual({ origin: "http://h0", path: "/b" })
    expect(heads).toEqual(["http://h0"])
    for (let i = 1; i < 64; i++) fresh.plainTarget(`http://h${i}/`)
    expect(heads).toHaveLength(64)
    // 64 heads known: one of them is still parsed once.
    expect(fresh.plainTarget("http://h0/")).toEqual({ origin: "http://h0", path: "/" })
    expect(heads).toHaveLength(64)
    // A 65th head: the others are forgotten, and the first is parsed again when it comes back.
    expect(fresh.plainTarget("http://h64/")).toEqual({ origin: "http://h64", path: "/" })
    expect(heads).toHaveLength(65)
    expect(fresh.plainTarget("http://h64/x")).toEqual({ origin: "http://h64", path: "/x" })
    expect(heads).toHaveLength(65)
    expect(fresh.plainTarget("http://h0/")).toEqual({ origin: "http://h0", path: "/" })
    expect(heads.slice(64)).toEqual(["http://h64", "http://h0"])
  })

  it("a head that does not parse is remembered as such", async () => {
    const heads: Array<string> = []
    class Counting extends URL {
      constructor(url: string | URL, base?: string | URL) {
        heads.push(String(url))
        super(url, base)
      }
    }
    vi.stubGlobal("URL", Counting)
    vi.resetModules()
    const fresh = await import("../src/UrlTarget.js")
    expect(fresh.plainTarget("https://h:99999/v1")).toBeUndefined()
    expect(fresh.plainTarget("https://h:99999/v2")).toBeUndefined()
    expect(heads).toEqual(["https://h:99999"])
  })
})

/**
 * Which transport failures mean "surely not sent" (and so allow a POST to be sent again), and which are the
 * transport's refusal to build the request.
 */
import { describe, expect, it } from "vitest"
import { refusedLocally, surelyNotSent } from "../src/Transport.js"

describe("surely not sent", () => {
  const codes = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "EADDRNOTAVAIL",
    "UND_ERR_CONNECT_TIMEOUT",
    "ERR_TLS_CERT_ALTNAME_INVALID",
    "CERT_HAS_EXPIRED",
    "DEPTH_ZERO_SELF_SIGNED_CERT",
    "SELF_SIGNED_CERT_IN_CHAIN",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
  ]
  const coded = (code: string, cause?: unknown) =>
    Object.assign(new Error(`${code} on purpose`), { code }, cause === undefined ? {} : { cause })

  it("each code that fails before a byte is written, on the error or one of its causes", () => {
    for (const code of codes) {
      expect(surelyNotSent(coded(code)), code).toBe(true)
      expect(surelyNotSent(new Error("fetch failed", { cause: coded(code) })), code).toBe(true)
    }
  })

  it("codes that can come after the request was written are not", () => {
    for (
      const code of [
        "ECONNRESET",
        "EPIPE",
        "ETIMEDOUT",
        "UND_ERR_SOCKET",
        "UND_ERR_HEADERS_TIMEOUT",
        "",
        "econnrefused"
      ]
    ) {
      expect(surelyNotSent(coded(code)), code).toBe(false)
    }
    for (const cause of [undefined, null, "ECONNREFUSED", 42, { code: 1 }, new Error("no code")]) {
      expect(surelyNotSent(cause), String(cause)).toBe(false)
    }
  })

  it("an AggregateError (every address tried): not sent only if every attempt was not sent", () => {
    const refused = coded("ECONNREFUSED")
    const unreachable = coded("ENETUNREACH")
    const reset = coded("ECONNRESET")
    expect(surelyNotSent(new AggregateError([refused, unreachable]))).toBe(true)
    expect(surelyNotSent(new AggregateError([refused]))).toBe(true)
    expect(surelyNotSent(new AggregateError([refused, reset]))).toBe(false)
    expect(surelyNotSent(new AggregateError([reset, refused]))).toBe(false)
    expect(surelyNotSent(new AggregateError([]))).toBe(false)
    expect(surelyNotSent({ errors: "ECONNREFUSED" })).toBe(false)
    expect(surelyNotSent(new Error("fetch failed", { cause: new AggregateError([refused, unreachable]) }))).toBe(true)
  })

  it("the chain of causes is followed six deep, and a cycle ends", () => {
    const nested = (depth: number): unknown => {
      let error: unknown = coded("ECONNREFUSED")
      for (let i = 0; i < depth; i++) error = new Error(`wrapper ${i}`, { cause: error })
      return error
    }
    expect(surelyNotSent(nested(5))).toBe(true)
    expect(surelyNotSent(nested(6))).toBe(false)
    const cycle: { cause?: unknown } = {}
    cycle.cause = cycle
    expect(surelyNotSent(cycle)).toBe(false)
  })
})

describe("refused locally", () => {
  it("a code of the transport's own checks, or fetch's bare TypeError about a header", () => {
    const coded = (code: string) => Object.assign(new Error(code), { code })
    expect(refusedLocally(coded("ERR_INVALID_CHAR"))).toBe("ERR_INVALID_CHAR")
    expect(refusedLocally(coded("ECONNRESET"))).toBeUndefined()
    expect(refusedLocally(new TypeError("Invalid header value"))).toBe("TypeError")
    expect(refusedLocally(new TypeError("fetch failed", { cause: new Error("x") }))).toBeUndefined()
    expect(refusedLocally(new TypeError("something else"))).toBeUndefined()
    expect(refusedLocally("ERR_INVALID_CHAR")).toBeUndefined()
    expect(refusedLocally(null)).toBeUndefined()
  })
})

describe("refused locally: each code and each wording", () => {
  it("every code of the transport's own checks, exactly", () => {
    const coded = (code: string) => Object.assign(new Error("refused on purpose"), { code })
    for (
      const code of [
        "UND_ERR_INVALID_ARG",
        "ERR_INVALID_CHAR",
        "ERR_INVALID_HTTP_TOKEN",
        "ERR_HTTP_INVALID_HEADER_VALUE",
        "ERR_INVALID_ARG_VALUE"
      ]
    ) {
      expect(refusedLocally(coded(code)), code).toBe(code)
      expect(refusedLocally(coded(code.toLowerCase())), code).toBeUndefined()
    }
    expect(refusedLocally(coded(""))).toBeUndefined()
    expect(refusedLocally({ code: 42 })).toBeUndefined()
  })

  it("fetch's TypeError about a header's name or value, in any case; no other, and no value that is no object", () => {
    expect(refusedLocally(new TypeError("Headers.append: invalid header name"))).toBe("TypeError")
    expect(refusedLocally(new TypeError("INVALID HEADER VALUE"))).toBe("TypeError")
    expect(refusedLocally(new TypeError("invalid header"))).toBeUndefined()
    expect(refusedLocally(new TypeError("invalid headername"))).toBeUndefined()
    expect(refusedLocally(new Error("Invalid header value"))).toBeUndefined()
    expect(refusedLocally(new TypeError("Invalid header value", { cause: undefined }))).toBe("TypeError")
    // A TypeError with a cause is a network failure, whatever its message says.
    expect(refusedLocally(new TypeError("Invalid header value", { cause: new Error("socket") }))).toBeUndefined()
    for (const cause of [undefined, 42, "Invalid header value", true]) {
      expect(refusedLocally(cause), String(cause)).toBeUndefined()
    }
  })
})

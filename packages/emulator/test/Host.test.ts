/**
 * On loopback, only loopback names with the server's own port (or none); control writes only as JSON from the
 * page's own origin.
 */
import * as Host from "@effect-scenario/emulator/Host"
import { describe, expect, it } from "vitest"

describe("Host", () => {
  it("knows a loopback address to listen on", () => {
    for (const host of ["localhost", "::1", "127.0.0.1", "127.1.2.3"]) expect(Host.isLoopbackAddress(host)).toBe(true)
    for (const host of ["0.0.0.0", "::", "10.0.0.1", "example.com"]) expect(Host.isLoopbackAddress(host)).toBe(false)
  })

  it("answers loopback host names, with the port or none", () => {
    for (const host of ["localhost", "LOCALHOST:8080", "127.0.0.1:8080", "[::1]:8080", "127.255.0.1"]) {
      expect(Host.isLoopbackHostHeader(host, 8080), host).toBe(true)
    }
    for (const host of [undefined, "", "evil.test:8080", "localhost:8081", "127.0.0.256", "localhost.evil.test"]) {
      expect(Host.isLoopbackHostHeader(host, 8080), String(host)).toBe(false)
    }
    expect(Host.hostRefusal("evil.test").message).toMatch(/not evil\.test$/)
    expect(Host.hostRefusal(undefined).message).toMatch(/without a Host header$/)
  })

  it("takes a control write as JSON from the page's own origin", () => {
    const host = "127.0.0.1:8080"
    expect(Host.isSameOriginWrite({ host, "content-type": "application/json" })).toBe(true)
    expect(Host.isSameOriginWrite({ host, origin: `http://${host}`, "content-type": "application/json" })).toBe(true)
    expect(Host.isSameOriginWrite({ host, origin: "http://evil.test", "content-type": "application/json" })).toBe(
      false
    )
    expect(Host.isSameOriginWrite({ host, "content-type": "text/plain" })).toBe(false)
  })
})

describe("Host, exactly", () => {
  it("a loopback address is a whole name: localhost, ::1 or 127 and three numbers", () => {
    for (const host of ["127.10.200.1", "127.255.255.255"]) expect(Host.isLoopbackAddress(host), host).toBe(true)
    for (
      const host of [
        "127.0.0",
        "127.0.0.1.5",
        "x127.0.0.1",
        "127.0.0.1x",
        "127.1234.0.1",
        "LOCALHOST",
        "::2",
        "128.0.0.1"
      ]
    ) {
      expect(Host.isLoopbackAddress(host), host).toBe(false)
    }
  })

  it("a loopback host header: each part of 127.x.x.x at most 255, a port of up to 5 digits equal to the server's", () => {
    for (const host of ["127.10.200.1", "127.255.255.255", "[::1]", "[::1]:8080", "Localhost:08080", "127.0.0.1"]) {
      expect(Host.isLoopbackHostHeader(host, 8080), host).toBe(true)
    }
    for (
      const host of [
        "127.256.0.1",
        "127.0.256.1",
        "127.0.0.1:",
        "127.0.0.1:80",
        "localhost:123456",
        "localhost:8080x",
        "xlocalhost",
        "127.0.0.1.1",
        "[::2]",
        "::1"
      ]
    ) {
      expect(Host.isLoopbackHostHeader(host, 8080), host).toBe(false)
    }
  })

  it("the refusal names the host header, cut to 256 characters", () => {
    expect(Host.hostRefusal("evil.test")).toStrictEqual({
      message:
        "The emulator listens on loopback and answers loopback host names only (localhost, 127.x.x.x, [::1]), not evil.test"
    })
    expect(Host.hostRefusal(undefined).message).toBe(
      "The emulator listens on loopback and answers loopback host names only (localhost, 127.x.x.x, [::1]), " +
        "not a request without a Host header"
    )
    const long = "a".repeat(300)
    expect(Host.hostRefusal(long).message.endsWith(`not ${"a".repeat(256)}`)).toBe(true)
    expect(Host.hostRefusal(long).message.endsWith(`${"a".repeat(257)}`)).toBe(false)
  })

  it("a control write: JSON in any case and with parameters, never another type; an origin needs a host", () => {
    const host = "127.0.0.1:8080"
    expect(Host.isSameOriginWrite({ host, "content-type": "Application/JSON; charset=utf-8" })).toBe(true)
    for (const type of ["application/jsonp", "text/application/json", "text/plain; application/json", ""]) {
      expect(Host.isSameOriginWrite({ host, "content-type": type }), type).toBe(false)
    }
    expect(Host.isSameOriginWrite({ host })).toBe(false)
    // Without a Host header, no origin is the page's own.
    expect(Host.isSameOriginWrite({ origin: "http://undefined", "content-type": "application/json" })).toBe(false)
    expect(Host.isSameOriginWrite({ origin: "http://", "content-type": "application/json" })).toBe(false)
    expect(Host.isSameOriginWrite({ "content-type": "application/json" })).toBe(true)
  })
})

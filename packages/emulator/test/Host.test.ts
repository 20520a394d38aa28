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

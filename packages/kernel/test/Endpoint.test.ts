import { Endpoint } from "@effect-scenario/kernel"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

describe("Endpoint", () => {
  it("each operation's method, path and idempotence, as the API reference gives them", () => {
    expect(Endpoint.add({ modelId: "m" })).toEqual({
      operation: "add",
      method: "POST",
      path: "/models/m/training-images",
      query: [],
      idempotent: false
    })
    expect(Endpoint.replace({ modelId: "m", trainingImageId: "t", originalAssets: true })).toEqual({
      operation: "replace",
      method: "PUT",
      path: "/models/m/training-images/t",
      query: [["originalAssets", "true"]],
      idempotent: true
    })
    expect(Endpoint.replacePairs({ modelId: "m" })).toEqual({
      operation: "replacePairs",
      method: "PUT",
      path: "/models/m/training-images/pairs",
      query: [],
      idempotent: true
    })
    expect(Endpoint.delete({ modelId: "m", trainingImageId: "t" })).toEqual({
      operation: "delete",
      method: "DELETE",
      path: "/models/m/training-images/t",
      query: [],
      idempotent: true
    })
    expect(Endpoint.delete_).toBe(Endpoint.delete)
    expect(Endpoint.list({ modelId: "m", originalAssets: false })).toEqual({
      operation: "list",
      method: "GET",
      path: "/models/m",
      query: [["originalAssets", "false"]],
      idempotent: true
    })
  })

  it("no id leaves its own path segment, whatever it holds", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1 }), fc.string({ minLength: 1 }), (modelId, imageId) => {
        const { path } = Endpoint.replace({ modelId, trainingImageId: imageId })
        const segments = path.split("/")
        expect(segments.length).toBe(5)
        expect(decodeURIComponent(segments[2]!)).toBe(modelId)
        expect(decodeURIComponent(segments[4]!)).toBe(imageId)
        expect(path).not.toMatch(/[?#\s]/)
      }),
      { numRuns: 2000 }
    )
  })

  describe("Endpoint.url", () => {
    it("one slash between the base URL and the path, whether the base URL ends in one or not", () => {
      for (const base of ["https://api.example.test/v1", "https://api.example.test/v1/"]) {
        expect(Endpoint.url(base, Endpoint.list({ modelId: "m" }))).toBe("https://api.example.test/v1/models/m")
        expect(Endpoint.url(base, Endpoint.list({ modelId: "m", originalAssets: false }))).toBe(
          "https://api.example.test/v1/models/m?originalAssets=false"
        )
      }
      expect(Endpoint.url("https://api.example.test/", Endpoint.list({ modelId: "m" }))).toBe(
        "https://api.example.test/models/m"
      )
    })

    it("delete: projectId in the query when given, no query at all when not", () => {
      const base = "https://api.example.test/v1"
      expect(Endpoint.delete({ modelId: "m", trainingImageId: "t" }).query).toEqual([])
      expect(Endpoint.url(base, Endpoint.delete({ modelId: "m", trainingImageId: "t" }))).toBe(
        "https://api.example.test/v1/models/m/training-images/t"
      )
      expect(Endpoint.url(base, Endpoint.delete({ modelId: "m", trainingImageId: "t", projectId: "p" }))).toBe(
        "https://api.example.test/v1/models/m/training-images/t?projectId=p"
      )
    })
  })
})

describe("Endpoint.checkBaseUrl", () => {
  const problem = (raw: string, allowInsecureHttp?: boolean) => {
    const checked = Endpoint.checkBaseUrl(raw, allowInsecureHttp)
    return checked._tag === "Valid" ? checked.url : `! ${checked.problem}`
  }

  it("an https URL, or plain http to loopback (or when allowed), given back without a trailing slash", () => {
    expect(problem(Endpoint.DEFAULT_BASE_URL)).toBe("https://api.cloud.scenario.com/v1")
    expect(problem("https://proxy.test/v1/")).toBe("https://proxy.test/v1")
    expect(problem("http://localhost:4010")).toBe("http://localhost:4010")
    expect(problem("http://127.0.0.1:4010/v1")).toBe("http://127.0.0.1:4010/v1")
    expect(problem("http://[::1]:4010")).toBe("http://[::1]:4010")
    expect(problem("http://intranet.test", true)).toBe("http://intranet.test")
  })

  it("anything else is a problem that never quotes the value", () => {
    expect(problem("not a url secret")).toBe("! Expected an absolute http(s) URL; the value given does not parse")
    expect(problem("ftp://x.test")).toBe("! Expected an http(s) URL, got the scheme ftp:")
    expect(problem("https://user:pw@x.test")).toBe(
      "! The base URL must not embed credentials: pass them as credentials"
    )
    expect(problem("https://x.test/v1?")).toBe("! The base URL must not hold a query or a fragment")
    expect(problem("https://x.test/v1#")).toBe("! The base URL must not hold a query or a fragment")
    expect(problem("http://intranet.test")).toBe(
      "! Refusing to send credentials over plain http to intranet.test: use https, or set allowInsecureHttp: true"
    )
    expect(problem("http://127.0.0.1.evil.test")).toMatch(/^! Refusing/)
  })
})

describe("Endpoint: each operation's query", () => {
  it("originalAssets is a flag of add, replace and list, true or false, and absent when not given", () => {
    const t = { modelId: "m", trainingImageId: "t" }
    expect(Endpoint.add({ modelId: "m", originalAssets: true }).query).toEqual([["originalAssets", "true"]])
    expect(Endpoint.add({ modelId: "m", originalAssets: false }).query).toEqual([["originalAssets", "false"]])
    expect(Endpoint.replace(t).query).toEqual([])
    expect(Endpoint.replace({ ...t, originalAssets: false }).query).toEqual([["originalAssets", "false"]])
    expect(Endpoint.list({ modelId: "m" }).query).toEqual([])
    expect(Endpoint.list({ modelId: "m", originalAssets: true }).query).toEqual([["originalAssets", "true"]])
    expect(Endpoint.delete({ ...t, projectId: "p" }).query).toEqual([["projectId", "p"]])
  })

  it("the URL encodes the query as the transports do, and the ids of every path", () => {
    const base = "https://api.example.test/v1"
    expect(Endpoint.url(base, Endpoint.delete({ modelId: "m", trainingImageId: "t", projectId: "a b&c" }))).toBe(
      "https://api.example.test/v1/models/m/training-images/t?projectId=a+b%26c"
    )
    expect(Endpoint.add({ modelId: "a/b" }).path).toBe("/models/a%2Fb/training-images")
    expect(Endpoint.replacePairs({ modelId: "a?b" }).path).toBe("/models/a%3Fb/training-images/pairs")
    expect(Endpoint.delete({ modelId: "m#", trainingImageId: "t/.." }).path).toBe("/models/m%23/training-images/t%2F..")
    expect(Endpoint.list({ modelId: "50%" }).path).toBe("/models/50%25")
    expect(Endpoint.encodeSegment("é x")).toBe("%C3%A9%20x")
  })
})

describe("Endpoint.checkBaseUrl: each edge", () => {
  const problem = (raw: string, allowInsecureHttp?: boolean) => {
    const checked = Endpoint.checkBaseUrl(raw, allowInsecureHttp)
    return checked._tag === "Valid" ? checked.url : `! ${checked.problem}`
  }

  it("credentials of either part, a user alone or a password alone, are refused", () => {
    const credentials = "! The base URL must not embed credentials: pass them as credentials"
    expect(problem("https://user@x.test")).toBe(credentials)
    expect(problem("https://:pw@x.test")).toBe(credentials)
  })

  it("a query or a fragment with content is refused too, and https never needs the allowance", () => {
    expect(problem("https://x.test/v1?a=1")).toBe("! The base URL must not hold a query or a fragment")
    expect(problem("https://x.test/v1#top")).toBe("! The base URL must not hold a query or a fragment")
    expect(problem("https://intranet.test", false)).toBe("https://intranet.test")
    expect(problem("HTTPS://X.TEST/v1")).toBe("https://x.test/v1")
  })

  it("loopback: localhost, [::1] and every 127.x.y.z; no other host, over plain http", () => {
    for (const raw of ["http://127.0.0.1", "http://127.255.255.255:1", "http://127.1.2.3/v1", "http://localhost"]) {
      expect(problem(raw), raw).toBe(raw)
    }
    expect(problem("http://127.1")).toBe("http://127.0.0.1")
    for (
      const raw of ["http://128.0.0.1", "http://10.127.0.0", "http://localhost.test", "http://[::2]", "http://0.0.0.0"]
    ) {
      expect(problem(raw), raw).toMatch(/^! Refusing to send credentials over plain http to /)
      expect(problem(raw, false), raw).toMatch(/^! Refusing/)
      expect(problem(raw, true), raw).not.toMatch(/^!/)
    }
  })
})

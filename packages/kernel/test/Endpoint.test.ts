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

import * as FaultKind from "@effect-scenario/emulator/FaultKind"
import * as Inspector from "@effect-scenario/emulator/Inspector"
import { describe, expect, it } from "vitest"

const call = (action: string, body: unknown) =>
  Inspector.controlCall(action, typeof body === "string" ? body : JSON.stringify(body), FaultKind.answerOf)

const refusal = (body: unknown) => {
  const read = call("fail-next", body)
  return read._tag === "Refused" ? read.message : read._tag
}

describe("the inspector's control calls", () => {
  it("reads a fail-next body into the fault its kind names, with the wait and hold asked", () => {
    expect(call("fail-next", { count: 2, kind: "429", retryAfterSeconds: 7, operation: "add" })).toEqual({
      _tag: "FailNext",
      count: 2,
      fault: FaultKind.answerOf("429", { retryAfterMillis: 7000 }),
      operation: "add"
    })
    expect(call("fail-next", { count: 1, kind: "delay-after-apply", delayMillis: 10 })).toEqual({
      _tag: "FailNext",
      count: 1,
      fault: { _tag: "Delay", millis: 10, afterApply: true },
      operation: undefined
    })
  })

  it("refuses a fail-next body in one line naming the field", () => {
    expect(refusal("x")).toBe("Invalid JSON body")
    expect(refusal([])).toBe("expected an object of count, kind and optional fields, got []")
    expect(refusal({})).toBe("count: expected an integer from 1 to 10000, got undefined")
    expect(refusal({ count: 1.5, kind: "429" })).toBe("count: expected an integer from 1 to 10000, got 1.5")
    expect(refusal({ count: "1", kind: "429" })).toBe("count: expected an integer from 1 to 10000, got \"1\"")
    expect(refusal({ count: 10_001, kind: "429" })).toBe("count: expected an integer from 1 to 10000, got 10001")
    expect(refusal({ count: 1, kind: 5 })).toBe("kind: expected text, got 5")
    expect(refusal({ count: 1, kind: "429", retryAfterSeconds: -1 })).toBe(
      "retryAfterSeconds: expected a number from 0 to 86400, got -1"
    )
    expect(refusal({ count: 1, kind: "429", retryAfterSeconds: null })).toBe(
      "retryAfterSeconds: expected a number from 0 to 86400, got null"
    )
    expect(refusal({ count: 1, kind: "delay", delayMillis: 0.5 })).toBe(
      "delayMillis: expected an integer from 0 to 3600000, got 0.5"
    )
    expect(refusal({ count: 1, kind: "429", operation: "x" })).toBe(
      "operation: expected \"add\" | \"replace\" | \"replacePairs\" | \"delete\" | \"list\", got \"x\""
    )
    expect(refusal({ count: 1, kind: "429", extra: 1 })).toBe(
      "\"extra\" is unexpected, expected: \"count\" | \"kind\" | \"retryAfterSeconds\" | \"delayMillis\" | \"operation\""
    )
    expect(refusal({ count: 1, kind: "teapot" })).toBe("Unknown fault kind \"teapot\"")
    expect(refusal({ count: 1, kind: "429-after-apply" })).toBe("Unknown fault kind \"429-after-apply\"")
  })

  it("reads a seed as parsed, resets with any body, and refuses other actions", () => {
    const seed = call("seed", "{\"__proto__\":{\"status\":\"new\"}}")
    expect(seed._tag === "Seed" && Object.keys(seed.models)).toEqual(["__proto__"])
    expect(call("seed", [])).toEqual({ _tag: "Refused", message: "The seed must be a JSON object of models by id" })
    expect(call("seed", "{")).toEqual({ _tag: "Refused", message: "Invalid JSON body" })
    expect(call("reset", "")).toEqual({ _tag: "Reset" })
    expect(call("shutdown", {})).toEqual({ _tag: "Refused", message: "Unknown control action \"shutdown\"" })
  })
})

describe("the inspector's paths, thumbnails and state", () => {
  it("its paths: /, /favicon.ico and those under /inspector/", () => {
    for (const path of ["/", "/favicon.ico", "/inspector/", "/inspector/api/state"]) {
      expect(Inspector.isInspectorPath(path), path).toBe(true)
    }
    for (const path of ["/inspector", "/models/m", "/favicon.ico/x", "//", "/x/inspector/"]) {
      expect(Inspector.isInspectorPath(path), path).toBe(false)
    }
    expect([Inspector.PATH_PREFIX, Inspector.REQUEST_LIMIT]).toEqual(["/inspector/", 500])
  })

  it("a thumbnail only for the raster types a browser shows safely, jpg named jpeg", () => {
    for (const type of ["png", "jpeg", "gif", "webp", "avif", "bmp"]) {
      expect(Inspector.imageOf(`data:image/${type};base64,AAEC`), type).toStrictEqual({
        contentType: `image/${type}`,
        base64: "AAEC"
      })
    }
    expect(Inspector.imageOf("data:image/JPG;name=a.jpg;x=y;base64,/9j/")).toStrictEqual({
      contentType: "image/jpeg",
      base64: "/9j/"
    })
    for (
      const dataUrl of [
        "data:image/svg+xml;base64,PHN2Zz4=",
        "data:image/png,AAEC",
        "data:text/plain;base64,AAEC",
        "xdata:image/png;base64,AAEC",
        "data:image/png;base64x,AAEC",
        "data:image/;base64,AAEC",
        "data:image/x-png;base64,AAEC"
      ]
    ) {
      expect(Inspector.imageOf(dataUrl), dataUrl).toBeUndefined()
    }
  })

  it("a thumbnail's path encodes the ids and carries the revision", () => {
    expect(Inspector.thumbnailPath("m/1", "a b?", 7)).toBe("/inspector/images/m%2F1/a%20b%3F?revision=7")
  })

  it("the state: every model, a thumbnail for the images with content, the newest requests first", () => {
    const image = (id: string) => ({
      id,
      automaticCaptioning: "",
      createdAt: "2024-05-01T10:00:00.000Z",
      description: "",
      downloadUrl: `https://cdn.test/${id}`,
      name: `${id}.png`
    })
    const requests = Array.from({ length: 502 }, (_, index) => index)
    const state = Inspector.stateOf({
      version: 3,
      baseUrl: "http://127.0.0.1:1",
      snapshot: {
        models: {
          m: {
            id: "m",
            status: "new",
            type: "flux.1-lora",
            name: "M",
            trainingImages: [image("a"), image("b")],
            pairs: []
          }
        }
      },
      requests,
      pendingFaults: 2,
      faultCounts: { "503": 1 },
      revisionOf: (modelId, id) => modelId === "m" && id === "a" ? 4 : undefined
    })
    expect(state).toStrictEqual({
      version: 3,
      baseUrl: "http://127.0.0.1:1",
      models: [{
        id: "m",
        status: "new",
        type: "flux.1-lora",
        name: "M",
        trainingImages: [
          { ...image("a"), thumbnail: "/inspector/images/m/a?revision=4" },
          { ...image("b"), thumbnail: null }
        ],
        pairs: []
      }],
      requests: requests.slice(2).reverse(),
      requestCount: 502,
      pendingFaults: 2,
      faultCounts: { "503": 1 }
    })
  })
})

describe("fail-next, at its bounds", () => {
  it("takes each number at its bounds, a fractional wait, and every operation", () => {
    for (
      const body of [
        { count: 1, kind: "503" },
        { count: 10_000, kind: "503" },
        { count: 1, kind: "429", retryAfterSeconds: 0 },
        { count: 1, kind: "429", retryAfterSeconds: 86_400 },
        { count: 1, kind: "429", retryAfterSeconds: 0.5 },
        { count: 1, kind: "delay", delayMillis: 0 },
        { count: 1, kind: "delay", delayMillis: 3_600_000 },
        ...["add", "replace", "replacePairs", "delete", "list"].map((operation) => ({
          count: 1,
          kind: "503",
          operation
        }))
      ]
    ) {
      expect(refusal(body), JSON.stringify(body)).toBe("FailNext")
    }
    expect(call("fail-next", { count: 1, kind: "429", retryAfterSeconds: 0.5 })).toMatchObject({
      fault: { headers: { "retry-after-ms": "500" } }
    })
    // Without a wait asked, the kind's own.
    expect(call("fail-next", { count: 1, kind: "429" })).toMatchObject({
      fault: { headers: { "retry-after": "1", "retry-after-ms": "1000" } }
    })
  })

  it("refuses each number just past its bounds, and null", () => {
    expect(refusal(null)).toBe("expected an object of count, kind and optional fields, got null")
    expect(refusal(3)).toBe("expected an object of count, kind and optional fields, got 3")
    expect(refusal({ count: 0, kind: "503" })).toBe("count: expected an integer from 1 to 10000, got 0")
    expect(refusal({ count: 1, kind: "429", retryAfterSeconds: 86_401 })).toBe(
      "retryAfterSeconds: expected a number from 0 to 86400, got 86401"
    )
    expect(refusal({ count: 1, kind: "delay", delayMillis: -1 })).toBe(
      "delayMillis: expected an integer from 0 to 3600000, got -1"
    )
    expect(refusal({ count: 1, kind: "delay", delayMillis: 3_600_001 })).toBe(
      "delayMillis: expected an integer from 0 to 3600000, got 3600001"
    )
    expect(refusal({ count: 1, kind: "delay", delayMillis: "5" })).toBe(
      "delayMillis: expected an integer from 0 to 3600000, got \"5\""
    )
    // The first problem found, in the order of the fields.
    expect(refusal({ count: 0, kind: 1, operation: "x" })).toBe("count: expected an integer from 1 to 10000, got 0")
    expect(refusal({ count: 1, kind: 1, operation: "x" })).toBe("kind: expected text, got 1")
  })

  it("a reset takes no body; a seed or a fail-next with an empty body is invalid JSON", () => {
    expect(call("reset", "{")).toStrictEqual({ _tag: "Reset" })
    expect(call("fail-next", "")).toStrictEqual({ _tag: "Refused", message: "Invalid JSON body" })
    expect(call("seed", "null")).toStrictEqual({
      _tag: "Refused",
      message: "The seed must be a JSON object of models by id"
    })
    expect(call("seed", "{\"m\":{}}")).toStrictEqual({ _tag: "Seed", models: { m: {} } })
    expect(call("fail-next", { count: 3, kind: "503", operation: "list" })).toStrictEqual({
      _tag: "FailNext",
      count: 3,
      fault: FaultKind.answerOf("503"),
      operation: "list"
    })
  })
})

import {
  attemptSpanName,
  Attributes,
  callSpanName,
  DEFECT,
  DURATION_BOUNDARIES,
  DURATION_UNIT,
  errorType,
  INTERRUPTED,
  Metrics,
  serverPort,
  statusClass,
  statusOf
} from "@effect-scenario/kernel/Telemetry"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

describe("serverPort", () => {
  it("the scheme's default: 80 for http, 443 for https; a named port as it is", () => {
    expect(serverPort(new URL("http://127.0.0.1/v1"))).toBe(80)
    expect(serverPort(new URL("https://api.cloud.scenario.com/v1"))).toBe(443)
    expect(serverPort(new URL("http://127.0.0.1:8080/v1"))).toBe(8080)
    expect(serverPort(new URL("https://127.0.0.1:80/v1"))).toBe(80)
  })
})

describe("errorType", () => {
  it("the status as text when the server answered", () => {
    expect(errorType({ _tag: "RateLimitError", status: 429 } as { _tag: string })).toBe("429")
    expect(errorType({ _tag: "ServerError", status: 503 } as { _tag: string })).toBe("503")
  })

  it("the tag otherwise, a status that is no number included", () => {
    expect(errorType({ _tag: "ConnectionError" })).toBe("ConnectionError")
    expect(errorType({ _tag: "TimeoutError", status: undefined } as { _tag: string })).toBe("TimeoutError")
    expect(errorType({ _tag: "Odd", status: "500" } as { _tag: string })).toBe("Odd")
  })

  it("statusOf: the numeric status, or none", () => {
    expect(statusOf({ _tag: "ServerError", status: 500 } as { _tag: string })).toBe(500)
    expect(statusOf({ _tag: "ConnectionError" })).toBeUndefined()
    expect(statusOf({ _tag: "Odd", status: "500" } as { _tag: string })).toBeUndefined()
  })
})

describe("statusClass", () => {
  it("the hundreds of a status, or none when no response came", () => {
    expect(statusClass(undefined)).toBe("none")
    expect(statusClass(200)).toBe("2xx")
    expect(statusClass(204)).toBe("2xx")
    expect(statusClass(429)).toBe("4xx")
    expect(statusClass(599)).toBe("5xx")
  })

  it("for every status, its first digit", () => {
    fc.assert(fc.property(fc.integer({ min: 100, max: 599 }), (status) => {
      expect(statusClass(status)).toBe(`${String(status)[0]}xx`)
    }))
  })
})

describe("names", () => {
  it("OpenTelemetry's HTTP client conventions where they apply, scenario.* for the rest", () => {
    expect(Attributes).toEqual({
      operation: "scenario.operation",
      method: "http.request.method",
      statusCode: "http.response.status_code",
      serverAddress: "server.address",
      serverPort: "server.port",
      errorType: "error.type",
      statusClass: "scenario.status_class",
      attempt: "scenario.attempt",
      resendCount: "http.request.resend_count",
      retryReason: "scenario.retry.reason"
    })
    expect(Object.values(Metrics).map((metric) => metric.name)).toEqual([
      "scenario.client.requests",
      "scenario.client.retries",
      "http.client.request.duration",
      "http.client.active_requests"
    ])
    for (const metric of Object.values(Metrics)) expect(metric.description).not.toBe("")
    expect([INTERRUPTED, DEFECT]).toEqual(["interrupted", "defect"])
  })

  it("spans: TrainingImages.<operation> for the call, <METHOD> <operation> per attempt", () => {
    expect(callSpanName("list")).toBe("TrainingImages.list")
    expect(attemptSpanName("GET", "list")).toBe("GET list")
  })

  it("the duration boundaries: OpenTelemetry's advised ones, in seconds, increasing", () => {
    expect(DURATION_BOUNDARIES).toEqual([
      0.005,
      0.01,
      0.025,
      0.05,
      0.075,
      0.1,
      0.25,
      0.5,
      0.75,
      1,
      2.5,
      5,
      7.5,
      10,
      30,
      60
    ])
  })

  it("the duration's unit: seconds, as the label exporters read", () => {
    expect(DURATION_UNIT).toEqual({ key: "unit", value: "s" })
  })
})

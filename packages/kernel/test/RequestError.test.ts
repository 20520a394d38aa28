/**
 * The errors of a request: the kind a status is, what of a response an error keeps, and the messages.
 */
import { describe, expect, it } from "vitest"
import {
  boundedIssue,
  capDepth,
  connectionMessage,
  decodeMessage,
  depthWithin,
  detailOf,
  invalidRequestMessage,
  keptBody,
  keptHeaders,
  kindOfStatus,
  MAX_ISSUE_LENGTH,
  MAX_KEPT_BODY,
  MAX_KEPT_DEPTH,
  notJsonIssue,
  requestIdOf,
  responseTooLargeMessage,
  statusMessage,
  timeoutMessage,
  TOO_DEEP
} from "../src/RequestError.js"

const nested = (depth: number): unknown => {
  let value: unknown = 1
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

describe("RequestError", () => {
  it("the kind of each status", () => {
    const statuses = [400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 503, 599, 302, 418]
    expect(statuses.map(kindOfStatus)).toEqual([
      "BadRequestError",
      "AuthenticationError",
      "PermissionDeniedError",
      "NotFoundError",
      "UnexpectedStatusError",
      "ConflictError",
      "RequestTooLargeError",
      "UnprocessableEntityError",
      "RateLimitError",
      "InternalServerError",
      "InternalServerError",
      "InternalServerError",
      "UnexpectedStatusError",
      "UnexpectedStatusError"
    ])
  })

  it("the request id: the first header present and not empty", () => {
    expect(requestIdOf({ "x-request-id": "", "x-amzn-requestid": "a", "x-amz-request-id": "b" })).toBe("a")
    expect(requestIdOf({ "x-amz-request-id": "b" })).toBe("b")
    expect(requestIdOf({})).toBeUndefined()
  })

  it("session material is dropped from kept headers", () => {
    expect(keptHeaders({ "set-cookie": "s", cookie: "c", authorization: "a", "proxy-authorization": "p", etag: "e" }))
      .toEqual({ etag: "e" })
  })

  it("a kept body: JSON parsed with its depth capped, else text, at most MAX_KEPT_BODY characters", () => {
    expect(keptBody(`{"message":"no"}`)).toEqual({ message: "no" })
    expect(keptBody("")).toBe("")
    expect(keptBody("<html>")).toBe("<html>")
    expect(keptBody("x".repeat(MAX_KEPT_BODY + 1))).toBe("x".repeat(MAX_KEPT_BODY))
    const deep = nested(MAX_KEPT_DEPTH + 5)
    expect(depthWithin(deep, MAX_KEPT_DEPTH)).toBe(false)
    expect(depthWithin(nested(MAX_KEPT_DEPTH), MAX_KEPT_DEPTH)).toBe(true)
    expect(depthWithin("text", 0)).toBe(true)
    expect(JSON.stringify(capDepth(deep))).toContain(TOO_DEEP)
    const shallow = { a: [1] }
    expect(capDepth(shallow)).toBe(shallow)
  })

  it("issues bounded; a body that is not JSON said so", () => {
    expect(boundedIssue("x".repeat(MAX_ISSUE_LENGTH))).toBe("x".repeat(MAX_ISSUE_LENGTH))
    expect(boundedIssue("x".repeat(MAX_ISSUE_LENGTH + 1))).toBe(`${"x".repeat(MAX_ISSUE_LENGTH)}…`)
    expect(notJsonIssue("", "Unexpected end")).toBe("the body is empty")
    expect(notJsonIssue("{", "Unexpected end")).toBe("the body is not JSON (Unexpected end)")
  })

  it("what a body says went wrong", () => {
    expect(detailOf("  oops  ")).toBe("oops")
    expect(detailOf("")).toBeUndefined()
    expect(detailOf("<html><body>502</body></html>")).toBe("(HTML body)")
    expect(detailOf("y".repeat(301))).toBe(`${"y".repeat(300)}…`)
    expect(detailOf({ reason: "", detail: "late" })).toBe("late")
    expect(detailOf({ error: { message: "nested" } })).toBe("nested")
    expect(detailOf([{ message: "array" }])).toBeUndefined()
  })

  it("the messages", () => {
    const line = { method: "PUT", url: "https://x/m/t" }
    expect(
      statusMessage(
        { ...line, status: 429, body: { message: "slow down" }, requestId: "r1" },
        "Too Many Requests",
        1000.2
      )
    )
      .toBe("PUT https://x/m/t failed with 429 Too Many Requests: slow down [request id r1] (retry after 1001 ms)")
    expect(statusMessage({ ...line, status: 500, body: "" }, "Server Error")).toBe(
      "PUT https://x/m/t failed with 500 Server Error"
    )
    expect(invalidRequestMessage("add", [{ path: [], message: "a" }, { path: ["pairs", 0, "source"], message: "b" }]))
      .toBe("Invalid add request: a; pairs.0.source: b")
    expect(connectionMessage({ ...line, mayHaveReachedServer: false, causeMessage: "ECONNREFUSED" }))
      .toBe("PUT https://x/m/t failed to connect: ECONNREFUSED (the request was not sent)")
    expect(connectionMessage({ ...line, mayHaveReachedServer: true, causeMessage: "" }))
      .toBe("PUT https://x/m/t failed to connect (the request may have reached the server)")
    expect(timeoutMessage({ ...line, timeoutMillis: 1500.4, mayHaveReachedServer: true }))
      .toBe("PUT https://x/m/t timed out after 1500 ms (the request may have reached the server)")
    expect(decodeMessage({ ...line, status: 200, issue: "bad", requestId: "r" }))
      .toBe("PUT https://x/m/t returned 200 with an unexpected body: bad [request id r]")
    expect(responseTooLargeMessage({ ...line, status: 200, maxResponseBytes: 10 }))
      .toBe("PUT https://x/m/t returned 200 with a body larger than 10 bytes; reading stopped there")
  })
})

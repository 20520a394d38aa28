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
  MISMATCH_ISSUE,
  notJsonIssue,
  REQUEST_ID_HEADERS,
  requestIdOf,
  responseTooLargeMessage,
  STATUS_SUMMARIES,
  statusMessage,
  timeoutMessage,
  TOO_DEEP,
  TOO_DEEP_ISSUE
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

describe("RequestError: the edges of each rule", () => {
  it("each kind's summary, as its message says it", () => {
    expect(STATUS_SUMMARIES).toEqual({
      BadRequestError: "Bad Request",
      AuthenticationError: "Unauthorized",
      PermissionDeniedError: "Forbidden",
      NotFoundError: "Not Found",
      ConflictError: "Conflict",
      RequestTooLargeError: "Request Too Large",
      UnprocessableEntityError: "Unprocessable Entity",
      RateLimitError: "Too Many Requests",
      InternalServerError: "Server Error",
      UnexpectedStatusError: "Unexpected Status"
    })
    expect([499, 500].map(kindOfStatus)).toEqual(["UnexpectedStatusError", "InternalServerError"])
  })

  it("the request id: each header alone is read, in the order given, an empty one skipped", () => {
    expect(REQUEST_ID_HEADERS).toEqual([
      "x-request-id",
      "x-amzn-requestid",
      "apigw-requestid",
      "x-amz-apigw-id",
      "x-amz-request-id"
    ])
    for (const name of REQUEST_ID_HEADERS) expect(requestIdOf({ [name]: `id of ${name}` }), name).toBe(`id of ${name}`)
    const all = Object.fromEntries(REQUEST_ID_HEADERS.map((name) => [name, `id of ${name}`]))
    expect(requestIdOf(all)).toBe("id of x-request-id")
    expect(requestIdOf({ ...all, "x-request-id": "" })).toBe("id of x-amzn-requestid")
    expect(requestIdOf({ "x-request-id": "", "x-amz-request-id": "" })).toBeUndefined()
    expect(requestIdOf({ "x-correlation-id": "c" })).toBeUndefined()
  })

  it("the depth limit: an array or object at the limit's depth is past it, one level less is within", () => {
    expect(depthWithin(nested(MAX_KEPT_DEPTH), MAX_KEPT_DEPTH)).toBe(true)
    expect(depthWithin(nested(MAX_KEPT_DEPTH + 1), MAX_KEPT_DEPTH)).toBe(false)
    const objects = (depth: number): unknown => {
      let value: unknown = "leaf"
      for (let i = 0; i < depth; i++) value = { a: 1, b: value }
      return value
    }
    expect(depthWithin(objects(3), 3)).toBe(true)
    expect(depthWithin(objects(4), 3)).toBe(false)
    // Every branch is walked, not only the first.
    expect(depthWithin([1, [2], nested(3)], 3)).toBe(false)
    expect(depthWithin({ a: null, b: [nested(2)] }, 3)).toBe(false)
    expect(depthWithin({ a: null, b: [nested(1)] }, 3)).toBe(true)
    expect(depthWithin(null, 0)).toBe(true)
  })

  it("a body too deep: every subtree at the limit replaced, the rest copied as it is", () => {
    const capped = (depth: number, leaf: unknown): unknown => {
      let value: unknown = leaf
      for (let i = 0; i < depth; i++) value = [value]
      return value
    }
    expect(capDepth(nested(MAX_KEPT_DEPTH))).toEqual(nested(MAX_KEPT_DEPTH))
    expect(capDepth(nested(MAX_KEPT_DEPTH + 1))).toEqual(capped(MAX_KEPT_DEPTH, TOO_DEEP))
    expect(capDepth(nested(MAX_KEPT_DEPTH + 10))).toEqual(capped(MAX_KEPT_DEPTH, TOO_DEEP))
    let object: unknown = { end: true }
    for (let i = 0; i < MAX_KEPT_DEPTH; i++) object = { level: i, list: ["x", null], next: object }
    const copy = capDepth(object) as Record<string, unknown>
    expect(Array.isArray(copy)).toBe(false)
    expect(copy.level).toBe(MAX_KEPT_DEPTH - 1)
    expect(copy.list).toEqual(["x", null])
    let node = copy
    for (let i = 1; i < MAX_KEPT_DEPTH; i++) node = node.next as Record<string, unknown>
    expect(node).toEqual({ level: 0, list: TOO_DEEP, next: TOO_DEEP })
    expect(TOO_DEEP).toBe("[nested deeper than 32 levels]")
    expect(MAX_KEPT_DEPTH).toBe(32)
    expect(capDepth("text")).toBe("text")
    expect(capDepth(null)).toBe(null)
  })

  it("a JSON body of exactly MAX_KEPT_BODY characters is parsed, one longer is cut as text", () => {
    const json = `"${"x".repeat(MAX_KEPT_BODY - 2)}"`
    expect(keptBody(json)).toBe("x".repeat(MAX_KEPT_BODY - 2))
    const longer = `"${"x".repeat(MAX_KEPT_BODY - 1)}"`
    expect(keptBody(longer)).toBe(longer.slice(0, MAX_KEPT_BODY))
    expect(keptBody(JSON.stringify(nested(MAX_KEPT_DEPTH + 1)))).toEqual(capDepth(nested(MAX_KEPT_DEPTH + 1)))
  })

  it("the accounts of a body: their exact words", () => {
    expect(TOO_DEEP_ISSUE).toBe("the body nests deeper than 32 levels and does not match the expected shape")
    expect(MISMATCH_ISSUE).toBe("the body does not match the expected shape")
  })

  it("what a body says: HTML only when it starts with <, at most 300 characters, each field in its turn", () => {
    expect(detailOf("  <!doctype html>")).toBe("(HTML body)")
    expect(detailOf("a < b")).toBe("a < b")
    expect(detailOf("a<b")).toBe("a<b")
    expect(detailOf("status:<none>")).toBe("status:<none>")
    expect(detailOf("x".repeat(300))).toBe("x".repeat(300))
    expect(detailOf("   ")).toBeUndefined()
    for (const field of ["message", "apiError", "error", "reason", "detail"]) {
      expect(detailOf({ [field]: "said" }), field).toBe("said")
      expect(detailOf({ [field]: { message: "nested" } }), field).toBe("nested")
      expect(detailOf({ [field]: "z".repeat(300) }), field).toBe("z".repeat(300))
      expect(detailOf({ [field]: "z".repeat(301) }), field).toBe(`${"z".repeat(300)}…`)
    }
    expect(detailOf({ message: "first", apiError: "second", error: "third", reason: "4", detail: "5" })).toBe("first")
    expect(detailOf({ error: "third", apiError: "second" })).toBe("second")
    expect(detailOf({ detail: "5", reason: "4" })).toBe("4")
    expect(detailOf({ message: 42, error: { message: 7 }, detail: "late" })).toBe("late")
    expect(detailOf({ other: "no" })).toBeUndefined()
    for (const body of [null, undefined, 42, true]) expect(detailOf(body), String(body)).toBeUndefined()
  })

  it("messages without a request id, a wait or a cause", () => {
    const line = { method: "GET", url: "https://x/m" }
    expect(statusMessage({ ...line, status: 404, body: { message: "gone" } }, "Not Found"))
      .toBe("GET https://x/m failed with 404 Not Found: gone")
    expect(statusMessage({ ...line, status: 503, body: "" }, "Server Error", 0)).toBe(
      "GET https://x/m failed with 503 Server Error (retry after 0 ms)"
    )
    expect(connectionMessage({ ...line, mayHaveReachedServer: false }))
      .toBe("GET https://x/m failed to connect (the request was not sent)")
    expect(timeoutMessage({ ...line, timeoutMillis: 30_000, mayHaveReachedServer: false }))
      .toBe("GET https://x/m timed out after 30000 ms (the request was not sent)")
    expect(decodeMessage({ ...line, status: 201, issue: "bad" }))
      .toBe("GET https://x/m returned 201 with an unexpected body: bad")
    expect(responseTooLargeMessage({ ...line, status: 200, maxResponseBytes: 10, requestId: "r" }))
      .toBe("GET https://x/m returned 200 with a body larger than 10 bytes; reading stopped there [request id r]")
    expect(invalidRequestMessage("list", [{ path: ["modelId"], message: "empty" }]))
      .toBe("Invalid list request: modelId: empty")
  })
})

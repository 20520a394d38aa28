/**
 * What an error keeps of a response, how a 2xx body is parsed and its mismatch told, and the marker of a body
 * read past its limit, a body's byte order mark: the rules both lines' clients and transports call.
 */
import { describe, expect, it } from "vitest"
import {
  MAX_ISSUE_LENGTH,
  MAX_KEPT_BODY,
  MAX_KEPT_DEPTH,
  MISMATCH_ISSUE,
  mismatchIssue,
  parseJsonBody,
  responseFacts,
  TOO_DEEP_ISSUE,
  undecodedBody
} from "../src/RequestError.js"
import {
  boundedBody,
  isResponseTooLarge,
  RESPONSE_TOO_LARGE,
  responseTooLargeCause,
  utf8BomLength
} from "../src/Transport.js"

describe("responseFacts", () => {
  it("keeps the status, the headers but for session material, and the request id", () => {
    expect(responseFacts({
      status: 503,
      headers: { "x-request-id": "req-1", "set-cookie": "s=1", "content-type": "application/json" }
    })).toEqual({
      status: 503,
      headers: { "x-request-id": "req-1", "content-type": "application/json" },
      requestId: "req-1"
    })
  })

  it("has no requestId field at all when the response carries none", () => {
    const facts = responseFacts({ status: 500, headers: { authorization: "Basic abc" } })
    expect(facts).toEqual({ status: 500, headers: {} })
    expect("requestId" in facts).toBe(false)
  })
})

describe("undecodedBody", () => {
  it("keeps a short body whole, with its length", () => {
    expect(undecodedBody("{\"a\":1}")).toEqual({ body: "{\"a\":1}", bodyLength: 7 })
  })

  it("cuts a long body to MAX_KEPT_BODY characters and still tells its whole length", () => {
    const text = "x".repeat(MAX_KEPT_BODY + 10)
    const kept = undecodedBody(text)
    expect(kept.body.length).toBe(MAX_KEPT_BODY)
    expect(kept.bodyLength).toBe(MAX_KEPT_BODY + 10)
  })
})

describe("parseJsonBody", () => {
  it("parses JSON", () => {
    expect(parseJsonBody("{\"id\":\"a\"}")).toEqual({ _tag: "Json", json: { id: "a" } })
  })

  it("tells an empty body apart from a body that is not JSON", () => {
    expect(parseJsonBody("")).toEqual({ _tag: "NotJson", issue: "the body is empty" })
    const parsed = parseJsonBody("<html>")
    expect(parsed._tag).toBe("NotJson")
    expect(parsed._tag === "NotJson" && parsed.issue.startsWith("the body is not JSON (")).toBe(true)
  })
})

describe("mismatchIssue", () => {
  it("gives the schema library's account, bounded", () => {
    expect(mismatchIssue({ id: 1 }, () => "Expected string")).toBe("Expected string")
    const long = mismatchIssue({}, () => "y".repeat(MAX_ISSUE_LENGTH + 5))
    expect(long).toBe(`${"y".repeat(MAX_ISSUE_LENGTH)}…`)
  })

  it("does not ask for the account of a body nested deeper than MAX_KEPT_DEPTH", () => {
    let deep: unknown = 0
    for (let i = 0; i <= MAX_KEPT_DEPTH + 1; i++) deep = [deep]
    let asked = false
    expect(mismatchIssue(deep, () => {
      asked = true
      return "rendered"
    })).toBe(TOO_DEEP_ISSUE)
    expect(asked).toBe(false)
  })

  it("stands in a plain account when the library's throws", () => {
    expect(mismatchIssue({}, () => {
      throw new RangeError("Maximum call stack size exceeded")
    })).toBe(MISMATCH_ISSUE)
  })
})

describe("the response-too-large marker", () => {
  it("marks the cause with the limit, and is found on it only", () => {
    const cause = responseTooLargeCause(1000)
    expect(cause.message).toBe("The response body is larger than 1000 bytes")
    expect((cause as unknown as Record<symbol, unknown>)[RESPONSE_TOO_LARGE]).toBe(1000)
    expect(isResponseTooLarge(cause)).toBe(true)
    expect(isResponseTooLarge(new Error("other"))).toBe(false)
    expect(isResponseTooLarge(null)).toBe(false)
    expect(isResponseTooLarge("too large")).toBe(false)
  })

  it("is the registered symbol every line's transport and client share", () => {
    expect(RESPONSE_TOO_LARGE).toBe(Symbol.for("@effect-scenario/core/ResponseTooLarge"))
  })
})

describe("utf8BomLength", () => {
  it("counts a leading UTF-8 byte order mark, and nothing else", () => {
    expect(utf8BomLength(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b]))).toBe(3)
    expect(utf8BomLength(new Uint8Array([0xef, 0xbb, 0xbf]))).toBe(3)
    expect(utf8BomLength(new Uint8Array([0xef, 0xbb]))).toBe(0)
    expect(utf8BomLength(new Uint8Array([0x7b, 0xef, 0xbb, 0xbf]))).toBe(0)
    expect(utf8BomLength(new Uint8Array([0xef, 0xbb, 0xbe]))).toBe(0)
    expect(utf8BomLength(new Uint8Array([]))).toBe(0)
    // Each of the three bytes counts: two of them are no mark.
    expect(utf8BomLength(new Uint8Array([0x00, 0xbb, 0xbf]))).toBe(0)
    expect(utf8BomLength(new Uint8Array([0xef, 0x00, 0xbf]))).toBe(0)
    expect(utf8BomLength(new Uint8Array([0x00, 0x00, 0xbf]))).toBe(0)
    expect(utf8BomLength(new Uint8Array([0xef]))).toBe(0)
  })
})

describe("boundedBody", () => {
  const bytes = (text: string) => new TextEncoder().encode(text)

  it("is the empty text before any chunk, and one chunk's text after one", () => {
    const body = boundedBody(10)
    expect(body.text()).toBe("")
    expect(body.add(bytes("héllo"))).toBe(true)
    expect(body.text()).toBe("héllo")
  })

  it("joins chunks, a character split across them included, and says when the limit is passed", () => {
    const body = boundedBody(8)
    const whole = bytes("aé€")
    expect(whole.length).toBe(6)
    expect(body.add(whole.subarray(0, 2))).toBe(true)
    expect(body.add(whole.subarray(2, 6))).toBe(true)
    expect(body.text()).toBe("aé€")
    expect(body.add(bytes("12"))).toBe(true)
    expect(body.add(bytes("3"))).toBe(false)
  })
})

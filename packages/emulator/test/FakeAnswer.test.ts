/** How each line's in-memory fake words its answers: the rules both lines' fakes call. */
import * as FakeAnswer from "@effect-scenario/emulator/FakeAnswer"
import { describe, expect, it } from "vitest"

describe("FakeAnswer", () => {
  it("names a base URL without its trailing slash, and leaves one without it as it is", () => {
    expect(FakeAnswer.baseUrlOf("https://api.example/v1/")).toBe("https://api.example/v1")
    expect(FakeAnswer.baseUrlOf("https://api.example/v1")).toBe("https://api.example/v1")
    expect(FakeAnswer.baseUrlOf(FakeAnswer.DEFAULT_BASE_URL)).toBe("https://api.scenario.test/v1")
  })

  it("numbers request ids from the count given", () => {
    expect([1, 2, 10].map(FakeAnswer.requestId)).toEqual(["req_test_1", "req_test_2", "req_test_10"])
  })

  it("answers JSON with the request id, a fault's headers added", () => {
    expect(FakeAnswer.headers("req_test_3")).toEqual({
      "content-type": "application/json",
      "x-request-id": "req_test_3"
    })
    expect(FakeAnswer.headers("req_test_4", { "retry-after": "2" })).toEqual({
      "content-type": "application/json",
      "x-request-id": "req_test_4",
      "retry-after": "2"
    })
  })

  it("gives each dropped connection a cause of its own that says it was injected", () => {
    const first = FakeAnswer.droppedConnection()
    expect(first).toBeInstanceOf(Error)
    expect(first.message).toBe("socket hang up: the connection was dropped by an injected fault")
    expect(FakeAnswer.droppedConnection()).not.toBe(first)
  })
})

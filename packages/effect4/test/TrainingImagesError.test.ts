import { TrainingImagesError } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Schema } from "effect"

// The cases of this suite that go through a stubbed HttpClient (status → error, error bodies, 2xx bodies that
// do not decode, transport errors) need the TrainingImages service; they belong with its port.

describe("the error schema", () => {
  it("round-trips every error through its encoded form", () => {
    const errors = [
      new TrainingImagesError.NotFoundError({
        operation: "delete",
        method: "DELETE",
        url: "u",
        status: 404,
        headers: {},
        body: { message: "gone" }
      }),
      new TrainingImagesError.RateLimitError({
        operation: "add",
        method: "POST",
        url: "u",
        status: 429,
        headers: {},
        body: "",
        retryAfter: Duration.seconds(3)
      }),
      new TrainingImagesError.InvalidRequestError({ operation: "add", issues: [{ path: ["modelId"], message: "x" }] })
    ]
    // Effect 4's `Schema.Duration` is the Duration itself: its JSON form comes from the JSON codec.
    const codec = Schema.toCodecJson(TrainingImagesError.TrainingImagesError)
    for (const error of errors) {
      const encoded = Schema.encodeSync(codec)(error)
      const decoded = Schema.decodeUnknownSync(codec)(JSON.parse(JSON.stringify(encoded)))
      expect(decoded._tag).toBe(error._tag)
      expect(decoded.message).toBe(error.message)
    }
  })

  it("isTrainingImagesError rejects look-alikes", () => {
    expect(TrainingImagesError.isTrainingImagesError({ _tag: "NotFoundError" })).toBe(false)
    expect(TrainingImagesError.isTrainingImagesError(new Error("x"))).toBe(false)
  })
})

describe("the error classes", () => {
  it("each error is named by its tag, as on the Effect 3 line", () => {
    const error = TrainingImagesError.fromStatus({
      operation: "add",
      method: "POST",
      url: "u",
      status: 429,
      headers: {},
      body: { message: "slow" },
      retryAfter: Duration.seconds(2)
    })
    expect(error._tag).toBe("RateLimitError")
    expect(error.name).toBe("RateLimitError")
    expect(String(error)).toBe("RateLimitError: POST u failed with 429 Too Many Requests: slow (retry after 2000 ms)")
    expect(TrainingImagesError.isStatusError(error)).toBe(true)
  })
})

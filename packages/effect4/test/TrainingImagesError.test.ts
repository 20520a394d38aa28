import { ApiResponse, TrainingImagesError } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Schema } from "effect"

// On the Effect 3 line these cases go through the service over a stubbed HttpClient; here they go through
// `ApiResponse.interpret`, which the service answers with. The transport errors (refused, reset, timeout) need
// the service and its transport: they belong with its port.
const url = "https://api.cloud.scenario.com/v1/models/m/training-images/t"
const reply = (
  reply: { status: number; body?: unknown; headers?: Record<string, string> },
  operation: "replace" | "add" = "replace"
) =>
  Effect.flip(ApiResponse.interpret(
    { operation, method: operation === "add" ? "POST" : "PUT", url },
    {
      status: reply.status,
      headers: reply.headers ?? {},
      text: reply.body === undefined ? "" : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body)
    },
    ApiResponse.decodeTrainingImage
  ))

const trainingImageJson = () => ({
  id: "asset_1",
  automaticCaptioning: "a caption",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "a description",
  downloadUrl: "https://cdn.example/asset_1.png",
  name: "a.png"
})

describe("status → error", () => {
  const table = [
    [400, "BadRequestError"],
    [401, "AuthenticationError"],
    [403, "PermissionDeniedError"],
    [404, "NotFoundError"],
    [409, "ConflictError"],
    [422, "UnprocessableEntityError"],
    [429, "RateLimitError"],
    [500, "InternalServerError"],
    [502, "InternalServerError"],
    [503, "InternalServerError"],
    [504, "InternalServerError"],
    [599, "InternalServerError"],
    [408, "UnexpectedStatusError"],
    [418, "UnexpectedStatusError"],
    [302, "UnexpectedStatusError"]
  ] as const

  it.effect("each status maps to its error, with the request and response context", () =>
    Effect.gen(function*() {
      for (const [status, tag] of table) {
        const error = yield* reply({
          status,
          body: { message: `status ${status}` },
          headers: { "x-request-id": `req_${status}` }
        })
        expect(error._tag).toBe(tag)
        expect(TrainingImagesError.isTrainingImagesError(error)).toBe(true)
        expect(TrainingImagesError.isStatusError(error)).toBe(true)
        if (!TrainingImagesError.isStatusError(error)) continue
        expect(error.operation).toBe("replace")
        expect(error.method).toBe("PUT")
        expect(error.url).toBe(url)
        expect(error.status).toBe(status)
        expect(error.body).toEqual({ message: `status ${status}` })
        expect(error.requestId).toBe(`req_${status}`)
        expect(error.message).toContain(`status ${status}`)
        expect(error.message).toContain(`req_${status}`)
      }
    }))
})

describe("error bodies", () => {
  const replace = reply

  it.effect("a gateway's JSON message", () =>
    Effect.gen(function*() {
      const error = yield* replace({ status: 403, body: { message: "Forbidden" } })
      expect(error._tag).toBe("PermissionDeniedError")
      expect(error.message).toContain("Forbidden")
    }))

  it.effect("a service's other fields are kept whole", () =>
    Effect.gen(function*() {
      const body = { apiError: "model is training", reason: "busy", extra: [1, 2] }
      const error = yield* replace({ status: 409, body })
      expect(error._tag === "ConflictError" && error.body).toEqual(body)
      expect(error.message).toContain("model is training")
    }))

  it.effect("plain text", () =>
    Effect.gen(function*() {
      const error = yield* replace({ status: 502, body: "Bad Gateway", headers: { "content-type": "text/plain" } })
      expect(error._tag === "InternalServerError" && error.body).toBe("Bad Gateway")
      expect(error.message).toContain("Bad Gateway")
    }))

  it.effect("empty", () =>
    Effect.gen(function*() {
      const error = yield* replace({ status: 500 })
      expect(error._tag === "InternalServerError" && error.body).toBe("")
      expect(error.message).toBe(
        "PUT https://api.cloud.scenario.com/v1/models/m/training-images/t failed with 500 Server Error"
      )
    }))

  it.effect("an HTML error page is kept but not shown", () =>
    Effect.gen(function*() {
      const html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
      const error = yield* replace({ status: 502, body: html, headers: { "content-type": "text/html" } })
      expect(error._tag === "InternalServerError" && error.body).toBe(html)
      expect(error.message).toContain("(HTML body)")
      expect(error.message).not.toContain("<h1>")
    }))

  it.effect("the request id comes from the API gateway's header too", () =>
    Effect.gen(function*() {
      const error = yield* replace({ status: 500, body: {}, headers: { "x-amzn-requestid": "gw-123" } })
      expect(error._tag === "InternalServerError" && error.requestId).toBe("gw-123")
    }))

  it.effect("no request id header, no request id", () =>
    Effect.gen(function*() {
      const error = yield* replace({ status: 500, body: {} })
      expect(error._tag === "InternalServerError" && error.requestId).toBeUndefined()
    }))

  it.effect("a huge error body, even JSON, is kept only in part", () =>
    Effect.gen(function*() {
      const error = yield* replace({ status: 500, body: { message: "x".repeat(1_000_000) } })
      expect(error._tag === "InternalServerError" && typeof error.body === "string" && error.body.length).toBe(
        TrainingImagesError.MAX_KEPT_BODY
      )
      expect(JSON.stringify(error).length).toBeLessThan(2 * TrainingImagesError.MAX_KEPT_BODY)
    }))

  it.effect("set-cookie is not kept in errors", () =>
    Effect.gen(function*() {
      const error = yield* replace({ status: 500, body: {}, headers: { "set-cookie": "session=abc" } })
      expect(error._tag === "InternalServerError" && error.headers["set-cookie"]).toBeUndefined()
    }))

  it.effect("429 carries the server's retry-after", () =>
    Effect.gen(function*() {
      const error = yield* replace({
        status: 429,
        body: { message: "Too Many Requests" },
        headers: { "retry-after": "120" }
      })
      expect(error._tag).toBe("RateLimitError")
      if (error._tag !== "RateLimitError") return
      expect(Duration.toMillis(error.retryAfter!)).toBe(120_000)
      expect(error.message).toContain("retry after 120000 ms")
    }))
})

describe("2xx bodies that do not decode", () => {
  const add = (r: { status: number; body?: unknown }) => reply(r, "add")

  it.effect("a missing required field is a ResponseDecodeError that keeps the raw body", () =>
    Effect.gen(function*() {
      const { name: _, ...withoutName } = trainingImageJson()
      const error = yield* add({ status: 200, body: { trainingImage: withoutName } })
      expect(error._tag).toBe("ResponseDecodeError")
      if (error._tag !== "ResponseDecodeError") return
      expect(JSON.parse(error.body)).toEqual({ trainingImage: withoutName })
      expect(error.issue).toContain("name")
      expect(error.status).toBe(200)
    }))

  it.effect("not JSON", () =>
    Effect.gen(function*() {
      const error = yield* add({ status: 200, body: "<html>oops</html>" })
      expect(error._tag === "ResponseDecodeError" && error.issue).toContain("not JSON")
    }))

  it.effect("empty", () =>
    Effect.gen(function*() {
      const error = yield* add({ status: 200 })
      expect(error._tag === "ResponseDecodeError" && error.issue).toContain("empty")
    }))

  it.effect("a huge body is kept only in part", () =>
    Effect.gen(function*() {
      const error = yield* add({ status: 200, body: "x".repeat(1_000_000) })
      expect(error._tag).toBe("ResponseDecodeError")
      if (error._tag !== "ResponseDecodeError") return
      expect(error.body.length).toBe(TrainingImagesError.MAX_KEPT_BODY)
      expect(error.bodyLength).toBe(1_000_000)
    }))
})

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

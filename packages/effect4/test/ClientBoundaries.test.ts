/**
 * The HTTP client at its boundaries: the base URL check, which transport failures mean "surely not sent"
 * (and so allow `add` to be retried), requests the transport could not build or refused before sending them
 * (and the failures that only look like a refusal), a transport's defect, and the two encodings of an image
 * body (text below 64 KiB, bytes from 64 KiB on) giving the same bytes.
 */
import * as Causes from "@effect-scenario/test-support/transportCauses"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Layer } from "effect"
import { HttpClient, HttpClientError, type HttpClientRequest, HttpClientResponse } from "effect/http"
import * as Cases from "../../../contract/client.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImages from "../src/TrainingImages.js"
import type * as TrainingImagesError from "../src/TrainingImagesError.js"
import { credentials, trainingImageJson, withStub } from "./stub.js"

const build = (baseUrl: string, allowInsecureHttp?: boolean) =>
  withStub([{ status: 200, body: { trainingImage: trainingImageJson() } }], {
    baseUrl,
    ...(allowInsecureHttp === undefined ? {} : { allowInsecureHttp })
  }).pipe(Effect.exit)

describe("the base URL", () => {
  it.effect("credentials in any part of the userinfo are refused, and not echoed", () =>
    Effect.gen(function*() {
      for (const baseUrl of Cases.baseUrlsWithCredentials) {
        const exit = yield* build(baseUrl)
        expect(Exit.isFailure(exit), baseUrl).toBe(true)
        const text = String(Exit.isFailure(exit) ? exit.cause : "")
        expect(text).toContain("credentials")
        expect(text).toMatch(/at \["baseUrl"\]/)
        for (const secret of Cases.secrets) expect(text).not.toContain(secret)
      }
    }))

  it.effect("a query or a fragment is refused", () =>
    Effect.gen(function*() {
      for (const baseUrl of Cases.baseUrlsWithQueryOrFragment) {
        const exit = yield* build(baseUrl)
        expect(Exit.isFailure(exit), baseUrl).toBe(true)
        expect(String(Exit.isFailure(exit) ? exit.cause : "")).toMatch(/at \["baseUrl"\]/)
      }
      for (const baseUrl of Cases.baseUrlsNotHttp) {
        const exit = yield* build(baseUrl)
        expect(String(Exit.isFailure(exit) ? exit.cause : ""), baseUrl).toMatch(/at \["baseUrl"\]/)
      }
      // Escaped, they belong to the path.
      expect(Exit.isSuccess(yield* build(Cases.baseUrlEscaped))).toBe(true)
    }))

  it.effect("plain http to a host that only starts or ends like a loopback one is refused", () =>
    Effect.gen(function*() {
      for (const host of Cases.lookalikeHosts) {
        const exit = yield* build(`http://${host}/v1`)
        // "127.0.0.1." is the loopback address itself (the URL parser drops the final dot).
        expect(Exit.isSuccess(exit), host).toBe(host === Cases.loopbackItself)
      }
      // No host can end in 127.0.0.1 without being it: a last label of digits makes the whole host an IPv4.
      for (const host of Cases.notIpv4Hosts) {
        expect(Exit.isFailure(yield* build(`http://${host}/v1`)), host).toBe(true)
        expect(Exit.isFailure(yield* build(`https://${host}/v1`)), host).toBe(true)
      }
    }))

  it.effect("the base URL is used without its final slash", () =>
    Effect.gen(function*() {
      for (const baseUrl of Cases.baseUrlsWithAndWithoutSlash) {
        const { images, recorded } = yield* withStub([{ status: 200, body: {} }], { baseUrl })
        yield* images.delete({ modelId: "m", trainingImageId: "t" })
        expect((yield* recorded)[0]!.url).toBe(Cases.deleteUrl)
      }
    }))
})

// The failure of a request the transport could not send (Transport), build (InvalidUrl) or encode (Encode).
const requestError = (
  request: HttpClientRequest.HttpClientRequest,
  reason: "Transport" | "InvalidUrl" | "Encode",
  cause: unknown
) =>
  new HttpClientError.HttpClientError({
    reason: reason === "Transport"
      ? new HttpClientError.TransportError({ request, cause })
      : reason === "InvalidUrl"
      ? new HttpClientError.InvalidUrlError({ request, cause })
      : new HttpClientError.EncodeError({ request, cause })
  })

// The failure of a response whose body could not be read.
const decodeError = (request: HttpClientRequest.HttpClientRequest, cause: unknown) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.DecodeError({
      request,
      response: HttpClientResponse.fromWeb(request, new Response("")),
      cause
    })
  })

// A transport whose every attempt fails with `error`.
const failingWith = (
  error: (request: HttpClientRequest.HttpClientRequest) => HttpClientError.HttpClientError
) => {
  let attempts = 0
  const client = HttpClient.make((request) =>
    Effect.suspend(() => {
      attempts++
      return Effect.fail(error(request))
    })
  )
  return Effect.map(
    TrainingImages.make({
      credentials,
      retryPolicy: RetryPolicy.make({ maxRetries: 2, initialDelay: "1 millis", maxDelay: "1 millis" })
    }).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, client))),
    (images) => ({ images, attempts: () => attempts })
  )
}

describe("surely not sent", () => {
  const { coded } = Causes

  const failing = (cause: unknown, reason: "Transport" | "InvalidUrl" | "Encode" = "Transport") =>
    failingWith((request) => requestError(request, reason, cause))

  it.live("add is retried after a failure that sent nothing, and not after one that may have", () =>
    Effect.gen(function*() {
      for (const code of Cases.notSentCodes) {
        const { attempts, images } = yield* failing(new Error("fetch failed", { cause: coded(code) }))
        const error = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" }))
        expect(error._tag).toBe("ConnectionError")
        if (error._tag === "ConnectionError") expect(error.mayHaveReachedServer, code).toBe(false)
        expect(attempts(), code).toBe(3)
      }
      const { attempts, images } = yield* failing(coded("ECONNRESET"))
      const error = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" }))
      expect(error._tag).toBe("ConnectionError")
      if (error._tag === "ConnectionError") expect(error.mayHaveReachedServer).toBe(true)
      expect(attempts()).toBe(1)
    }))

  it.live("a failure while reading the response: the request was sent, whatever its cause; the cause is kept", () =>
    Effect.gen(function*() {
      const cause = coded("ECONNREFUSED")
      let attempts = 0
      const client = HttpClient.make((request) =>
        Effect.suspend(() => {
          attempts++
          return Effect.fail(decodeError(request, cause))
        })
      )
      const images = yield* TrainingImages.make({ credentials }).pipe(
        Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
      )
      const error = yield* Effect.flip(images.add({ modelId: "m", assetId: "a" }))
      expect(error._tag).toBe("ConnectionError")
      if (error._tag !== "ConnectionError") return
      expect(error.mayHaveReachedServer).toBe(true)
      expect(error.cause).toBe(cause)
      expect(attempts).toBe(1)
    }))

  it.live("a request the transport could not build (InvalidUrl, Encode): InvalidRequestError, never retried", () =>
    Effect.gen(function*() {
      for (const reason of ["InvalidUrl", "Encode"] as const) {
        for (const operation of ["add", "delete"] as const) {
          const { attempts, images } = yield* failing(new Error("cannot build"), reason)
          const call: Effect.Effect<unknown, TrainingImagesError.TrainingImagesError> = operation === "add"
            ? images.add({ modelId: "m", assetId: "a" })
            : images.delete({ modelId: "m", trainingImageId: "t" })
          const error = yield* Effect.flip(call)
          expect(error._tag, reason).toBe("InvalidRequestError")
          if (error._tag !== "InvalidRequestError") continue
          expect(error.operation).toBe(operation)
          expect(error.issues[0]!.path).toEqual([])
          expect(error.message).toContain(reason)
          expect(error.message).toContain("cannot build")
          expect(attempts()).toBe(1)
        }
      }
    }))
})

describe("a per-call maxResponseBytes", () => {
  it.effect("not a whole number of bytes above 0: InvalidRequestError at maxResponseBytes, nothing sent", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 204 }])
      for (const maxResponseBytes of Cases.badMaxResponseBytes) {
        const error = yield* Effect.flip(
          TrainingImages.withRequestOptions(images.delete({ modelId: "m", trainingImageId: "t" }), { maxResponseBytes })
        )
        expect(error._tag, String(maxResponseBytes)).toBe("InvalidRequestError")
        if (error._tag !== "InvalidRequestError") continue
        expect(error.operation).toBe("delete")
        expect(error.issues).toEqual(Cases.badMaxResponseBytesIssues)
      }
      expect(yield* recorded).toEqual([])
      // The smallest and the largest accepted.
      for (const maxResponseBytes of Cases.goodMaxResponseBytes) {
        yield* TrainingImages.withRequestOptions(images.delete({ modelId: "m", trainingImageId: "t" }), {
          maxResponseBytes
        })
      }
      expect(yield* recorded).toHaveLength(2)
    }))
})

describe("a request the transport refuses before sending it", () => {
  const transport = (cause: unknown) => (request: HttpClientRequest.HttpClientRequest) =>
    requestError(request, "Transport", cause)
  const replace = { modelId: "m", trainingImageId: "t", assetId: "a" }

  it.live("each refusal of undici, node:http and fetch: no path, the code named (not the value), never retried", () =>
    Effect.gen(function*() {
      for (const [cause, code] of Causes.refusals()) {
        const { attempts, images } = yield* failingWith(transport(cause))
        const error = yield* Effect.flip(images.replace(replace))
        expect(error._tag, code).toBe("InvalidRequestError")
        if (error._tag !== "InvalidRequestError") continue
        expect(error.issues, code).toEqual(Cases.refusedIssues(code))
        expect(error.message).not.toContain("s3cr3t")
        expect(attempts(), code).toBe(1)
      }
    }))

  it.live("any other failure may have reached the server: a ConnectionError, retried", () =>
    Effect.gen(function*() {
      for (const cause of Causes.mayHaveBeenSent()) {
        const { attempts, images } = yield* failingWith(transport(cause))
        const error = yield* Effect.flip(images.replace(replace))
        expect(error._tag, String(cause)).toBe("ConnectionError")
        if (error._tag === "ConnectionError") expect(error.mayHaveReachedServer, String(cause)).toBe(true)
        expect(attempts(), String(cause)).toBe(3)
      }
    }))

  it.live("a refusal while reading the response (a response header fetch refuses): the request was sent", () =>
    Effect.gen(function*() {
      for (const cause of Causes.responseRefusals()) {
        const { images } = yield* failingWith((request) => decodeError(request, cause))
        const error = yield* Effect.flip(images.replace(replace))
        expect(error._tag).toBe("ConnectionError")
        if (error._tag === "ConnectionError") expect(error.mayHaveReachedServer).toBe(true)
      }
    }))

  it.live("a defect of the transport is the call's defect, as it was raised, and not retried", () =>
    Effect.gen(function*() {
      const defect = new Error("a bug in the transport")
      let attempts = 0
      const client = HttpClient.make(() =>
        Effect.suspend(() => {
          attempts++
          return Effect.die(defect)
        })
      )
      const images = yield* TrainingImages.make({ credentials }).pipe(
        Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
      )
      const exit = yield* Effect.exit(images.replace(replace))
      const died = Exit.isFailure(exit) ? Cause.findDefect(exit.cause) : undefined
      expect(died?._tag === "Success" ? died.success : undefined).toBe(defect)
      expect(attempts).toBe(1)
    }))
})

describe("image bodies below and from 64 KiB", () => {
  // A transport that keeps the body as it was handed over: its kind, content type and bytes.
  const recording = () => {
    const bodies: Array<{ readonly tag: string; readonly contentType: string; readonly bytes: Uint8Array }> = []
    const client = HttpClient.make((request: HttpClientRequest.HttpClientRequest) =>
      Effect.sync(() => {
        const body = request.body
        const bytes = body._tag === "Uint8Array"
          ? body.body
          : body._tag === "Raw"
          ? new TextEncoder().encode(String(body.body))
          : new Uint8Array()
        bodies.push({ tag: body._tag, contentType: "contentType" in body ? body.contentType ?? "" : "", bytes })
        return HttpClientResponse.fromWeb(
          request,
          new Response(JSON.stringify({ trainingImage: trainingImageJson() }), { status: 200 })
        )
      })
    )
    return Effect.map(
      TrainingImages.make({ credentials }).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, client))),
      (images) => ({ images, bodies })
    )
  }

  it.effect("every length around the switch gives the exact JSON, typed application/json", () =>
    Effect.gen(function*() {
      const { bodies, images } = yield* recording()
      for (const length of Cases.bodyLengths) {
        for (const extra of Cases.bodyExtras) {
          const data = Cases.dataUrlOfLength(length)
          expect(data.length).toBe(length)
          bodies.length = 0
          yield* images.add({ modelId: "m", data, ...extra })
          yield* images.replace({ modelId: "m", trainingImageId: "t", data, ...extra })
          for (const body of bodies) {
            const text = new TextDecoder().decode(body.bytes)
            expect(text).toBe(JSON.stringify({ data, ...extra }))
            expect(body.bytes.length).toBe(text.length)
            expect(body.contentType).toBe("application/json")
            expect(body.tag).toBe(length < Cases.BYTES_FROM ? "Raw" : "Uint8Array")
          }
          expect(bodies).toHaveLength(2)
        }
      }
    }))
})

describe("a transport that keeps the time and counts the body itself", () => {
  const EXECUTE_WITH_TIMEOUT = Symbol.for("@effect-scenario/core/HttpClient/executeWithTimeout")
  const { timedTransport: Timed } = Cases
  type Options = { readonly maxResponseBytes?: number; readonly secretHeaders?: Record<string, string> }

  // A transport whose own entry point records what each attempt was handed and answers with `body`.
  const timed = (body: string, options?: Partial<TrainingImages.Options>) => {
    const seen: Array<{ readonly headers: Record<string, string>; readonly options: Options | undefined }> = []
    const client = Object.assign(
      HttpClient.make(() => Effect.die(new Error("the plain entry point is not used under the live clock"))),
      {
        [EXECUTE_WITH_TIMEOUT]: (request: HttpClientRequest.HttpClientRequest, _millis: number, options?: Options) =>
          Effect.sync(() => {
            seen.push({ headers: { ...request.headers }, options })
            return HttpClientResponse.fromWeb(request, new Response(body, { status: 200 }))
          })
      }
    )
    return Effect.map(
      TrainingImages.make({ credentials, retryPolicy: RetryPolicy.none, ...options }).pipe(
        Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
      ),
      (images) => ({ images, seen })
    )
  }
  const list = { modelId: Timed.modelId }

  it.live("gets the credentials to write on the wire only, never in the request that errors and spans keep", () =>
    Effect.gen(function*() {
      const { images, seen } = yield* timed(Timed.model)
      yield* images.list(list)
      expect(seen).toHaveLength(1)
      expect(seen[0]!.options?.secretHeaders).toEqual(Timed.secretHeaders)
      expect(seen[0]!.headers).not.toHaveProperty("authorization")
      expect(seen[0]!.headers).toMatchObject({ ...Timed.keptHeaders, "user-agent": TrainingImages.USER_AGENT })
    }))

  it.live("gets the response limit in force: the layer's default, the layer's own, or the call's", () =>
    Effect.gen(function*() {
      const byDefault = yield* timed(Timed.model)
      yield* byDefault.images.list(list)
      expect(byDefault.seen[0]!.options?.maxResponseBytes).toBe(TrainingImages.DEFAULT_MAX_RESPONSE_BYTES)
      const own = yield* timed(Timed.model, { maxResponseBytes: Timed.layerLimit })
      yield* own.images.list(list)
      yield* TrainingImages.withRequestOptions(own.images.list(list), { maxResponseBytes: Timed.callLimit })
      expect(own.seen.map((attempt) => attempt.options?.maxResponseBytes)).toEqual([Timed.layerLimit, Timed.callLimit])
    }))

  it.live("is trusted with the limit it was given: the body it delivers is read once, not counted again", () =>
    Effect.gen(function*() {
      // A transport that keeps the count stops at the limit itself: whatever it delivers is taken as read.
      const padded = Timed.model + " ".repeat(Timed.trusted.padding)
      const { images, seen } = yield* timed(padded, { maxResponseBytes: Timed.trusted.limit })
      const result = yield* images.list(list)
      expect(result.modelId).toBe(Timed.modelId)
      expect(seen.map((attempt) => attempt.options?.maxResponseBytes)).toEqual([Timed.trusted.limit])
    }))
})

describe("a response with no body at all (fetch's null body)", () => {
  it.effect("is read as the empty text: the error of a body that does not decode keeps it, of length 0", () =>
    Effect.gen(function*() {
      const { images } = yield* withStub([{ status: 200 }], { retryPolicy: RetryPolicy.none })
      const error = yield* Effect.flip(images.list({ modelId: "m" }))
      expect(error._tag).toBe("ResponseDecodeError")
      if (error._tag !== "ResponseDecodeError") return
      expect(error.body).toBe("")
      expect(error.bodyLength).toBe(0)
    }))
})

import { Credentials, RetryPolicy } from "@effect-scenario/effect4"
import { Fault } from "@effect-scenario/effect4/testing"
import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, layer } from "@effect/vitest"
import { Cause, Duration, Effect, Layer, Logger, Schedule } from "effect"
import * as HttpClient from "effect/http/HttpClient"
import * as Http from "node:http"
import * as TrainingImages from "../../src/TrainingImages.js"

const MODEL = "model_1"
const HOSTILE_MODEL = "a/b?c#d %é;x&y=z+é"
const SECRET = "s3cret-never-logged"

const noRetries = TrainingImages.withRequestOptions({ retryPolicy: RetryPolicy.none })

const Emulator = ScenarioEmulator.layer({
  apiKey: "key-1",
  apiSecret: SECRET,
  bearerToken: "token-1",
  models: { [MODEL]: {}, [HOSTILE_MODEL]: { trainingImages: [{ id: "img/1?#%" }] } }
})

// Core's client over undici to the emulator; the tests pass their own retry policy when they want one.
const Client = ScenarioEmulator.layerTrainingImages({ retryPolicy: RetryPolicy.none }).pipe(
  Layer.provide(NodeHttpClient.layerUndici)
)

// A client built on the emulator's address with other credentials.
const clientWith = (credentials: Credentials.Credentials) =>
  Effect.gen(function*() {
    const emulator = yield* ScenarioEmulator.ScenarioEmulator
    const httpClient = yield* HttpClient.HttpClient
    return yield* TrainingImages.make({ baseUrl: emulator.baseUrl, credentials, retryPolicy: RetryPolicy.none }).pipe(
      Effect.provideService(HttpClient.HttpClient, httpClient)
    )
  })

interface RawResponse {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

// A request sent exactly as written: node:http keeps the path as given (no normalisation, no re-encoding).
const raw = (options: {
  readonly method: string
  readonly path: string
  readonly body?: string
  readonly authorization?: string
  /** The Host header as sent; by default the emulator's own address. */
  readonly host?: string
  /** Sent with `transfer-encoding: chunked`, its length not announced. */
  readonly chunked?: boolean
}) =>
  Effect.flatMap(ScenarioEmulator.ScenarioEmulator, (emulator) =>
    Effect.callback<RawResponse, Error>((resume) => {
      const request = Http.request(
        {
          host: emulator.host,
          port: emulator.port,
          method: options.method,
          path: options.path,
          agent: false,
          headers: {
            ...(options.host === undefined ? {} : { host: options.host }),
            ...(options.chunked === true ? { "transfer-encoding": "chunked" } : {}),
            ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
            ...(options.body === undefined ? {} : { "content-type": "application/json" })
          }
        },
        (response) => {
          let body = ""
          response.setEncoding("utf8")
          response.on("data", (chunk: string) => body += chunk)
          response.on(
            "end",
            () => resume(Effect.succeed({ status: response.statusCode ?? 0, headers: response.headers, body }))
          )
        }
      )
      request.on("error", (error) => resume(Effect.fail(error)))
      request.end(options.body)
    }))

const BASIC = `Basic ${Buffer.from(`key-1:${SECRET}`).toString("base64")}`
const BASIC_DEFAULT = `Basic ${
  Buffer.from(`${ScenarioEmulator.DEFAULT_API_KEY}:${ScenarioEmulator.DEFAULT_API_SECRET}`).toString("base64")
}`

// The server records a request when it is answered or dropped; a client that gave up may see its error first.
const eventually = <A>(effect: Effect.Effect<A>, until: (a: A) => boolean) =>
  effect.pipe(
    Effect.filterOrFail(until, () => new Error("not yet")),
    Effect.retry(Schedule.spaced("10 millis")),
    Effect.timeout("5 seconds")
  )

describe("ScenarioEmulator", () => {
  layer(Layer.provideMerge(Client, Layer.merge(Emulator, NodeHttpClient.layerUndici)), { excludeTestServices: true })(
    (it) => {
      it.effect("serves the API to core's client over a real connection", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const images = yield* TrainingImages.TrainingImages
          expect(emulator.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/)
          const a = yield* images.add({ modelId: MODEL, assetIds: ["asset_a", "asset_b"] })
          const pairs = yield* images.replacePairs({
            modelId: MODEL,
            pairs: [{ sourceId: a.id, targetId: "asset_test_000002", instruction: "flip" }]
          })
          expect(pairs.count).toBe(1)
          yield* images.replace({
            modelId: MODEL,
            trainingImageId: a.id,
            data: "data:image/png;base64,AAAA",
            name: "x.png"
          })
          yield* images.delete({ modelId: MODEL, trainingImageId: "asset_test_000002", projectId: "project 1" })
          const listed = yield* images.list({ modelId: MODEL, originalAssets: false })
          expect(listed.trainingImages.map((i) => [i.id, i.name])).toEqual([[a.id, "x.png"]])
          expect(listed.trainingImagePairs).toEqual([])
          const snapshot = yield* emulator.snapshot
          expect(snapshot.models[MODEL]?.trainingImages.map((i) => i.id)).toEqual([a.id])
          const requests = yield* emulator.requests
          expect(requests.map((r) => [r.method, r.operation, r.status, r.query])).toEqual([
            ["POST", "add", 200, ""],
            ["PUT", "replacePairs", 200, ""],
            ["PUT", "replace", 200, ""],
            ["DELETE", "delete", 200, "projectId=project+1"],
            ["GET", "list", 200, "originalAssets=false"]
          ])
        }))

      it.effect("accepts Basic and Bearer credentials, answers 401 to anything else", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const bearer = yield* clientWith(emulator.bearerCredentials)
          expect((yield* bearer.list({ modelId: MODEL })).modelId).toBe(MODEL)
          const basic = yield* TrainingImages.TrainingImages
          expect((yield* basic.list({ modelId: MODEL })).modelId).toBe(MODEL)
          for (
            const credentials of [
              Credentials.basic("key-1", "wrong"),
              Credentials.basic("other", SECRET),
              Credentials.bearer("token-2")
            ]
          ) {
            const client = yield* clientWith(credentials)
            const error = yield* Effect.flip(client.add({ modelId: MODEL, assetId: "asset_a" }))
            assert(error._tag === "AuthenticationError")
            expect(error.status).toBe(401)
            expect(error.body).toEqual({ message: "Unauthorized" })
          }
          const missing = yield* raw({ method: "GET", path: `/v1/models/${MODEL}` })
          expect(missing.status).toBe(401)
          expect(JSON.parse(missing.body)).toEqual({ message: "Unauthorized" })
          const malformed = yield* raw({ method: "GET", path: `/v1/models/${MODEL}`, authorization: "Basic %%%" })
          expect(malformed.status).toBe(401)
          const requests = yield* emulator.requests
          expect(requests.map((r) => [r.authenticated, r.status, r.operation])).toEqual([
            [true, 200, "list"],
            [true, 200, "list"],
            [false, 401, undefined],
            [false, 401, undefined],
            [false, 401, undefined],
            [false, 401, undefined],
            [false, 401, undefined]
          ])
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages).toEqual([])
          // The log holds no credential, in any form.
          const log = JSON.stringify(requests)
          for (const secret of [SECRET, "token-1", BASIC.slice(6)]) expect(log).not.toContain(secret)
        }))

      it.effect("records the raw path as received and stores the decoded ids", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const images = yield* TrainingImages.TrainingImages
          const added = yield* images.add({ modelId: HOSTILE_MODEL, assetId: "asset_a" })
          yield* images.replace({ modelId: HOSTILE_MODEL, trainingImageId: "img/1?#%", assetId: "asset_b" })
          const longId = "x".repeat(500)
          yield* emulator.seed({ [longId]: {} })
          yield* images.list({ modelId: longId })
          // Sent verbatim: an encoding the client would not choose, and which must not be normalised in the log.
          const unusual = yield* raw({ method: "GET", path: `/v1/models/%6Dodel_1`, authorization: BASIC })
          expect(unusual.status).toBe(200)
          // Neither dot segments nor doubled slashes are resolved: such paths match no route.
          const dotted = yield* raw({ method: "GET", path: `/v1/models/x/../${MODEL}`, authorization: BASIC })
          const doubled = yield* raw({ method: "GET", path: `/v1//models/${MODEL}`, authorization: BASIC })
          expect([dotted.status, doubled.status]).toEqual([404, 404])
          const requests = yield* emulator.requests
          const encoded = encodeURIComponent(HOSTILE_MODEL)
          expect(requests.map((r) => r.path)).toEqual([
            `/v1/models/${encoded}/training-images`,
            `/v1/models/${encoded}/training-images/${encodeURIComponent("img/1?#%")}`,
            `/v1/models/${longId}`,
            "/v1/models/%6Dodel_1",
            `/v1/models/x/../${MODEL}`,
            `/v1//models/${MODEL}`
          ])
          const stored = (yield* emulator.snapshot).models[HOSTILE_MODEL]
          expect(stored?.trainingImages.map((i) => [i.id, i.name])).toEqual([["img/1?#%", "asset_b"], [
            added.id,
            "asset_a"
          ]])
        }))

      it.effect("answers loopback host names only, as the inspector does: a rebound name is refused 403", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const port = emulator.port
          // A page on evil.example whose name now resolves to 127.0.0.1 (DNS rebinding), with the credentials
          // a user of the defaults would have: neither a read nor a write reaches the store.
          const read = yield* raw({
            method: "GET",
            path: `/v1/models/${MODEL}`,
            authorization: BASIC,
            host: `evil.example:${port}`
          })
          expect([read.status, JSON.parse(read.body)]).toEqual([403, {
            message: "The emulator listens on loopback and answers loopback host names only " +
              "(localhost, 127.x.x.x, [::1]), not evil.example:" + port
          }])
          const write = yield* raw({
            method: "POST",
            path: `/v1/models/${MODEL}/training-images`,
            body: JSON.stringify({ assetId: "asset_rebound" }),
            authorization: BASIC,
            host: "evil.example"
          })
          expect(write.status).toBe(403)
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages).toEqual([])
          // Loopback names, with this port or none, are served; another port is not this server.
          for (const host of [`localhost:${port}`, "LOCALHOST", `127.0.0.2:${port}`, `[::1]:${port}`, "127.0.0.1"]) {
            const answer = yield* raw({ method: "GET", path: `/v1/models/${MODEL}`, authorization: BASIC, host })
            expect([host, answer.status]).toEqual([host, 200])
          }
          for (
            const host of [`localhost:${port + 1}`, "127.0.0.1.evil.example", "localhost.evil.example", "256.0.0.1"]
          ) {
            const answer = yield* raw({ method: "GET", path: `/v1/models/${MODEL}`, authorization: BASIC, host })
            expect([host, answer.status]).toEqual([host, 403])
          }
          // Logged as refused, before authentication.
          const requests = yield* emulator.requests
          expect(requests.slice(0, 2).map((r) => [r.method, r.status, r.authenticated])).toEqual([
            ["GET", 403, false],
            ["POST", 403, false]
          ])
        }))

      it.effect("validates requests on the server side and tags every response with x-request-id", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const post = (body: string, query = "") =>
            raw({ method: "POST", path: `/v1/models/${MODEL}/training-images${query}`, body, authorization: BASIC })
          const badJson = yield* post("{not json")
          expect([badJson.status, JSON.parse(badJson.body)]).toEqual([400, { message: "Invalid JSON body" }])
          const combined = yield* post(JSON.stringify({ assetIds: ["a"], assetId: "b" }))
          expect(combined.status).toBe(400)
          const tooMany = yield* post(JSON.stringify({ assetIds: Array.from({ length: 11 }, (_, i) => `a${i}`) }))
          expect(tooMany.status).toBe(400)
          const badFlag = yield* post(JSON.stringify({ assetId: "a" }), "?originalAssets=yes")
          expect(badFlag.status).toBe(400)
          const notArray = yield* raw({
            method: "PUT",
            path: `/v1/models/${MODEL}/training-images/pairs`,
            body: JSON.stringify({ sourceId: "a" }),
            authorization: BASIC
          })
          expect(notArray.status).toBe(400)
          // As documented, data and name are ignored when assetId is given.
          const ignored = yield* post(JSON.stringify({ assetId: "asset_a", name: "ignored.png", extra: 1 }))
          expect(ignored.status).toBe(200)
          expect(JSON.parse(ignored.body).trainingImage.name).toBe("asset_a")
          const unknownModel = yield* raw({ method: "GET", path: "/v1/models/model_missing", authorization: BASIC })
          expect([unknownModel.status, JSON.parse(unknownModel.body)]).toEqual([404, {
            message: "Model model_missing not found"
          }])
          const unknownImage = yield* raw({
            method: "DELETE",
            path: `/v1/models/${MODEL}/training-images/asset_missing`,
            authorization: BASIC
          })
          expect(unknownImage.status).toBe(404)
          const noRoute = yield* raw({ method: "GET", path: "/v1/projects", authorization: BASIC })
          expect([noRoute.status, JSON.parse(noRoute.body)]).toEqual([404, { message: "Not Found" }])
          const all = [badJson, combined, tooMany, badFlag, notArray, ignored, unknownModel, unknownImage, noRoute]
          const ids = all.map((r) => r.headers["x-request-id"])
          expect(new Set(ids).size).toBe(all.length)
          expect((yield* emulator.requests).map((r) => r.requestId)).toEqual(ids)
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages.length).toBe(1)
        }))

      it.effect("a 429 reaches the client with its Retry-After; 500, 502 and 503 as InternalServerError", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const images = yield* TrainingImages.TrainingImages
          yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: "3 seconds", retryAfterHeader: "retry-after" }))
          const limited = yield* Effect.flip(images.add({ modelId: MODEL, assetId: "asset_a" }))
          assert(limited._tag === "RateLimitError")
          expect(limited.headers["retry-after"]).toBe("3")
          assert(limited.retryAfter !== undefined)
          expect(Duration.toMillis(limited.retryAfter)).toBe(3000)
          for (const status of [500, 502, 503] as const) {
            yield* emulator.failNext(1, Fault.serverError(status))
            const error = yield* Effect.flip(images.list({ modelId: MODEL }))
            assert(error._tag === "InternalServerError")
            expect(error.status).toBe(status)
          }
          expect(yield* emulator.faultCounts).toEqual({ "429": 1, "500": 1, "502": 1, "503": 1 })
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages).toEqual([])
        }))

      it.effect("Retry-After is honoured: a backoff of an hour is replaced by the one second asked for", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const images = yield* TrainingImages.TrainingImages
          // Were the header ignored, the retry would wait an hour and the test would time out.
          const patient = RetryPolicy.make({ initialDelay: "1 hour", maxDelay: "1 hour", jitter: false })
          yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: "1 second", retryAfterHeader: "retry-after" }))
          const image = yield* images.add({ modelId: MODEL, assetId: "asset_a" }).pipe(
            TrainingImages.withRequestOptions({ retryPolicy: patient })
          )
          expect(image.name).toBe("asset_a")
          expect((yield* emulator.requests).map((r) => r.status)).toEqual([429, 200])
          // A wait beyond the policy's limit is not slept through: the error surfaces with it.
          yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: "2 minutes" }))
          const error = yield* Effect.flip(
            images.list({ modelId: MODEL }).pipe(TrainingImages.withRequestOptions({ retryPolicy: patient }))
          )
          assert(error._tag === "RateLimitError" && error.retryAfter !== undefined)
          expect(Duration.toMillis(error.retryAfter)).toBe(120_000)
          expect((yield* emulator.requests).length).toBe(3)
        }))

      it.effect("a dropped connection is a ConnectionError; before apply nothing is stored, after apply it is", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const images = yield* TrainingImages.TrainingImages
          yield* emulator.failNext(1, Fault.dropBeforeApply)
          const before = yield* Effect.flip(images.add({ modelId: MODEL, assetId: "asset_a" }))
          assert(before._tag === "ConnectionError")
          expect(before.mayHaveReachedServer).toBe(true)
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages).toEqual([])
          yield* emulator.failNext(1, Fault.dropAfterApply)
          const after = yield* Effect.flip(images.add({ modelId: MODEL, assetId: "asset_b" }))
          expect(after._tag).toBe("ConnectionError")
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages.map((i) => i.name)).toEqual(["asset_b"])
          const requests = yield* emulator.requests
          expect(requests.map((r) => [r.fault, r.status])).toEqual([
            ["drop-before-apply", undefined],
            ["drop-after-apply", undefined]
          ])
          // The connection pool recovers: the next request goes through.
          expect((yield* images.list({ modelId: MODEL })).trainingImagesNumber).toBe(1)
        }))

      it.effect("a delay beyond the call's timeout is a TimeoutError, and the emulator stops handling it", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.reset
          const images = yield* TrainingImages.TrainingImages
          yield* emulator.failNext(1, Fault.delay("1 minute"))
          const error = yield* Effect.flip(
            images.add({ modelId: MODEL, assetId: "asset_a" }).pipe(
              TrainingImages.withRequestOptions({ timeout: "200 millis" })
            )
          )
          assert(error._tag === "TimeoutError")
          expect(error.mayHaveReachedServer).toBe(true)
          const requests = yield* eventually(emulator.requests, (all) => all.length === 1)
          expect(requests.map((r) => [r.fault, r.status])).toEqual([["delay", undefined]])
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages).toEqual([])
          expect(yield* emulator.faultCounts).toEqual({ delay: 1 })
        }))

      it.effect("random faults follow their seed and are counted per kind", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          const images = yield* TrainingImages.TrainingImages
          const run = Effect.gen(function*() {
            yield* emulator.reset
            yield* emulator.setFaults({
              rate: 0.4,
              seed: 11,
              faults: [Fault.serverError(502), Fault.rateLimited({ retryAfter: 0 }), Fault.dropBeforeApply],
              operations: ["list"]
            })
            for (let i = 0; i < 30; i++) yield* Effect.result(noRetries(images.list({ modelId: MODEL })))
            yield* Effect.result(noRetries(images.add({ modelId: MODEL, assetId: "asset_a" })))
            yield* emulator.setFaults(undefined)
            return { faults: (yield* emulator.requests).map((r) => r.fault), counts: yield* emulator.faultCounts }
          })
          const first = yield* run
          const second = yield* run
          expect(second).toEqual(first)
          expect(first.faults.at(-1)).toBeUndefined()
          const injected = first.faults.filter((kind) => kind !== undefined)
          expect(injected.length).toBeGreaterThan(0)
          expect(injected.length).toBeLessThan(30)
          const counted: Record<string, number> = {}
          for (const kind of injected) counted[kind] = (counted[kind] ?? 0) + 1
          expect(first.counts).toEqual(counted)
        }))
    }
  )

  describe("lifecycle", () => {
    layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
      it.effect("two emulators get two free ports; a closed one refuses connections", () =>
        Effect.gen(function*() {
          const httpClient = yield* HttpClient.HttpClient
          const [first, second] = yield* Effect.all([
            ScenarioEmulator.make({ models: { [MODEL]: {} } }),
            ScenarioEmulator.make({ models: { [MODEL]: {} } })
          ]).pipe(Effect.scoped)
          expect(first.port).not.toBe(second.port)
          const images = yield* TrainingImages.make({
            baseUrl: first.baseUrl,
            credentials: first.credentials,
            retryPolicy: RetryPolicy.none
          }).pipe(Effect.provideService(HttpClient.HttpClient, httpClient))
          const error = yield* Effect.flip(images.list({ modelId: MODEL }))
          assert(error._tag === "ConnectionError")
          expect(error.mayHaveReachedServer).toBe(false)
        }))

      it.effect("a body over maxBodySize is refused with 413", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.make({ maxBodySize: 256, models: { [MODEL]: {} } })
          const post = (data: string) =>
            raw({
              method: "POST",
              path: `/v1/models/${MODEL}/training-images`,
              body: JSON.stringify({ data, name: "x.png" }),
              authorization: `Basic ${
                Buffer.from(`${ScenarioEmulator.DEFAULT_API_KEY}:${ScenarioEmulator.DEFAULT_API_SECRET}`).toString(
                  "base64"
                )
              }`
            }).pipe(Effect.provideService(ScenarioEmulator.ScenarioEmulator, emulator))
          const small = yield* post("data:image/png;base64,AAAA")
          expect(small.status).toBe(200)
          const large = yield* post(`data:image/png;base64,${"A".repeat(1024)}`)
          expect(large.status).toBe(413)
          // Sent in chunks, with no length announced: read to its end and refused, not cut off.
          const chunked = yield* raw({
            method: "POST",
            path: `/v1/models/${MODEL}/training-images`,
            body: JSON.stringify({ data: `data:image/png;base64,${"A".repeat(100_000)}`, name: "x.png" }),
            chunked: true,
            authorization: `Basic ${
              Buffer.from(`${ScenarioEmulator.DEFAULT_API_KEY}:${ScenarioEmulator.DEFAULT_API_SECRET}`).toString(
                "base64"
              )
            }`
          }).pipe(Effect.provideService(ScenarioEmulator.ScenarioEmulator, emulator))
          expect([chunked.status, JSON.parse(chunked.body)]).toEqual([413, { message: "Request Too Long" }])
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages.length).toBe(1)
        }).pipe(Effect.scoped))

      it.effect("onRequest is given each request as recorded, before the client has its answer", () =>
        Effect.gen(function*() {
          const seen: Array<ScenarioEmulator.RecordedRequest> = []
          const emulator = yield* ScenarioEmulator.make({
            models: { [MODEL]: {} },
            onRequest: (request) => Effect.sync(() => seen.push(request))
          })
          const httpClient = yield* HttpClient.HttpClient
          const images = yield* TrainingImages.make({
            baseUrl: emulator.baseUrl,
            credentials: emulator.credentials,
            retryPolicy: RetryPolicy.none
          }).pipe(Effect.provideService(HttpClient.HttpClient, httpClient))
          yield* images.add({ modelId: MODEL, assetId: "asset_a" })
          expect(seen.map((r) => [r.operation, r.status])).toEqual([["add", 200]])
          yield* Effect.flip(images.list({ modelId: "model_missing" }))
          expect(seen.map((r) => [r.operation, r.status])).toEqual([["add", 200], ["list", 404]])
          expect(seen).toEqual(yield* emulator.requests)
        }).pipe(Effect.scoped))

      it.effect("a defect in onRequest is logged with its cause, never thrown: the request is answered 500", () =>
        Effect.gen(function*() {
          const logged: Array<{ readonly level: string; readonly message: unknown; readonly cause: string }> = []
          const logger = Logger.make((options) => {
            logged.push({ level: options.logLevel, message: options.message, cause: Cause.pretty(options.cause) })
          })
          const emulator = yield* ScenarioEmulator.make({
            models: { [MODEL]: {} },
            onRequest: () => Effect.die(new Error("onRequest broke"))
          }).pipe(Effect.provide(Logger.layer([logger])))
          const answer = yield* raw({ method: "GET", path: `/v1/models/${MODEL}`, authorization: BASIC_DEFAULT }).pipe(
            Effect.provideService(ScenarioEmulator.ScenarioEmulator, emulator)
          )
          expect([answer.status, JSON.parse(answer.body)]).toEqual([500, {
            message: "The emulator failed to handle the request"
          }])
          expect(logged.length).toBeGreaterThan(0)
          for (const entry of logged) {
            expect(entry.level).toBe("Error")
            expect(entry.message).toEqual(["ScenarioEmulator: a request failed"])
            expect(entry.cause).toContain("onRequest broke")
          }
        }).pipe(Effect.scoped))

      it.effect("listLag keeps an added image off the list, not out of the snapshot; setListLag and reset change it", () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.make({ models: { [MODEL]: {} }, listLag: "1 hour" })
          const httpClient = yield* HttpClient.HttpClient
          const images = yield* TrainingImages.make({
            baseUrl: emulator.baseUrl,
            credentials: emulator.credentials,
            retryPolicy: RetryPolicy.none
          }).pipe(Effect.provideService(HttpClient.HttpClient, httpClient))
          const listedNames = Effect.map(
            images.list({ modelId: MODEL }),
            (model) => model.trainingImages.map((image) => image.name)
          )
          yield* images.add({ modelId: MODEL, assetId: "asset_a" })
          expect(yield* listedNames).toEqual([])
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages.map((image) => image.name)).toEqual([
            "asset_a"
          ])
          yield* emulator.setListLag(undefined)
          expect(yield* listedNames).toEqual(["asset_a"])
          // Back to the lag it started with.
          yield* emulator.reset
          yield* images.add({ modelId: MODEL, assetId: "asset_b" })
          expect(yield* listedNames).toEqual([])
        }).pipe(Effect.scoped))
    })
  })
})

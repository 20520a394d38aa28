import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { pngDataUrl } from "@effect-scenario/test-support/png"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it, layer } from "@effect/vitest"
import { Effect, Layer, Schedule } from "effect"
import * as Http from "node:http"

const MODEL = "model_1"

const Emulator = ScenarioEmulator.layer({ apiKey: "key-1", apiSecret: "secret-1", models: { [MODEL]: {} } })
const Client = ScenarioEmulator.layerTrainingImages({ retryPolicy: RetryPolicy.none }).pipe(
  Layer.provide(NodeHttpClient.layerUndici)
)

interface Answer {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Buffer
}

// node:http, so that the Host and Origin headers are sent as written.
const send = (options: {
  readonly method?: string
  readonly path: string
  readonly headers?: Record<string, string>
  readonly body?: string
}) =>
  Effect.flatMap(ScenarioEmulator.ScenarioEmulator, (emulator) =>
    Effect.async<Answer, Error>((resume) => {
      const request = Http.request({
        host: emulator.host,
        port: emulator.port,
        method: options.method ?? "GET",
        path: options.path,
        agent: false,
        headers: {
          host: `127.0.0.1:${emulator.port}`,
          ...(options.body === undefined ? {} : { "content-type": "application/json" }),
          ...options.headers
        }
      }, (response) => {
        const chunks: Array<Buffer> = []
        response.on("data", (chunk: Buffer) => chunks.push(chunk))
        response.on(
          "end",
          () =>
            resume(
              Effect.succeed({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) })
            )
        )
      })
      request.on("error", (error) => resume(Effect.fail(error)))
      request.end(options.body)
    }))

const jsonOf = (answer: Answer) => JSON.parse(answer.body.toString("utf8"))

describe("inspector over HTTP", () => {
  layer(Client.pipe(Layer.provideMerge(Emulator)))((it) => {
    it.effect("serves the page, its assets and its state without credentials; none of it in the API's log", () =>
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        expect(emulator.inspectorUrl).toBe(`http://127.0.0.1:${emulator.port}/`)
        const page = yield* send({ path: "/" })
        expect(page.status).toBe(200)
        expect(page.headers["content-type"]).toContain("text/html")
        expect(page.headers["content-security-policy"]).toContain("script-src 'self'")
        expect(page.body.toString()).toContain("<h1>Scenario emulator</h1>")
        for (const asset of ["/inspector/inspector.css", "/inspector/view.js", "/inspector/app.js"]) {
          expect((yield* send({ path: asset })).status).toBe(200)
        }
        expect((yield* send({ path: "/favicon.ico" })).status).toBe(204)

        const images = yield* TrainingImages.TrainingImages
        const inline = yield* images.add({ modelId: MODEL, data: pngDataUrl(4, [0, 0, 0], [255, 255, 255]) })
        const asset = yield* images.add({ modelId: MODEL, assetId: "asset_1" })
        yield* images.replacePairs({
          modelId: MODEL,
          pairs: [{ sourceId: inline.id, targetId: asset.id, instruction: "go" }]
        })

        const state = jsonOf(yield* send({ path: "/inspector/api/state" }))
        const model = state.models.find((m: { id: string }) => m.id === MODEL)
        expect(model.trainingImages.map((i: { id: string; thumbnail: string | null }) => [i.id, i.thumbnail])).toEqual([
          [inline.id, `/inspector/images/${MODEL}/${inline.id}?revision=1`],
          [asset.id, null]
        ])
        expect(model.pairs).toEqual([{ sourceId: inline.id, targetId: asset.id, instruction: "go" }])
        // Newest first, with the time, latency and model of each request; the inspector's own requests not logged.
        expect(state.requests.map((r: { operation: string }) => r.operation)).toEqual(["replacePairs", "add", "add"])
        expect(state.requestCount).toBe(3)
        expect(state.requests[0].modelId).toBe(MODEL)
        expect(Date.parse(state.requests[0].receivedAt)).toBeGreaterThan(0)
        expect(state.requests[0].durationMillis).toBeGreaterThanOrEqual(0)
        expect((yield* emulator.requests).length).toBe(3)

        const thumbnail = yield* send({ path: model.trainingImages[0].thumbnail })
        expect(thumbnail.status).toBe(200)
        expect(thumbnail.headers["content-type"]).toBe("image/png")
        expect(thumbnail.body.subarray(1, 4).toString()).toBe("PNG")
        expect((yield* send({ path: `/inspector/images/${MODEL}/${asset.id}` })).status).toBe(404)

        // Replaced by asset id: the old content goes, and with it the thumbnail.
        yield* images.replace({ modelId: MODEL, trainingImageId: inline.id, assetId: "asset_2" })
        expect((yield* send({ path: `/inspector/images/${MODEL}/${inline.id}` })).status).toBe(404)
      }))

    it.effect("its control API calls the emulator's controls: the next API call meets the fault asked for", () =>
      Effect.gen(function*() {
        const failNext = yield* send({
          method: "POST",
          path: "/inspector/api/fail-next",
          body: JSON.stringify({ count: 1, kind: "503", operation: "list" })
        })
        expect([failNext.status, jsonOf(failNext)]).toEqual([200, { ok: true, pendingFaults: 1 }])
        const images = yield* TrainingImages.TrainingImages
        const error = yield* Effect.flip(images.list({ modelId: MODEL }))
        expect(error).toBeInstanceOf(TrainingImagesError.InternalServerError)
        expect(yield* ScenarioEmulator.faultCounts).toEqual({ "503": 1 })

        const seeded = yield* send({
          method: "POST",
          path: "/inspector/api/seed",
          body: JSON.stringify({ model_2: { name: "Two", trainingImages: [{ id: "img_a" }] } })
        })
        expect(seeded.status).toBe(200)
        expect((yield* ScenarioEmulator.snapshot).models.model_2?.trainingImages.map((i) => i.id)).toEqual(["img_a"])

        const reset = yield* send({ method: "POST", path: "/inspector/api/reset", body: "{}" })
        expect(reset.status).toBe(200)
        expect(Object.keys((yield* ScenarioEmulator.snapshot).models)).toEqual([MODEL])
        expect(yield* ScenarioEmulator.requests).toEqual([])
      }))

    it.effect("refuses other hosts (DNS rebinding), cross-site writes and bad control bodies; the API keeps its auth", () =>
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        const rebound = yield* send({ path: "/inspector/api/state", headers: { host: `evil.test:${emulator.port}` } })
        expect(rebound.status).toBe(403)
        const crossSite = yield* send({
          method: "POST",
          path: "/inspector/api/reset",
          body: "{}",
          headers: { origin: "http://evil.test" }
        })
        expect(crossSite.status).toBe(403)
        const form = yield* send({
          method: "POST",
          path: "/inspector/api/reset",
          body: "{}",
          headers: { "content-type": "text/plain" }
        })
        expect(form.status).toBe(403)
        expect((yield* send({ path: "/inspector/api/reset" })).status).toBe(405)
        const unknown = yield* send({
          method: "POST",
          path: "/inspector/api/fail-next",
          body: JSON.stringify({ count: 1, kind: "teapot" })
        })
        expect([unknown.status, jsonOf(unknown).message]).toEqual([400, "Unknown fault kind \"teapot\""])
        expect((yield* send({ path: "/inspector/nothing" })).status).toBe(404)
        expect((yield* send({ path: `/v1/models/${MODEL}` })).status).toBe(401)
        expect(yield* ScenarioEmulator.faultCounts).toEqual({})
      }))

    it.effect("announces each change on its event stream", () =>
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        const controller = new AbortController()
        const response = yield* Effect.promise(() =>
          fetch(`${emulator.inspectorUrl}inspector/api/events`, { signal: controller.signal })
        )
        expect(response.headers.get("content-type")).toContain("text/event-stream")
        const reader = response.body!.getReader()
        const decoder = new TextDecoder()
        let received = ""
        const readUntil = (pattern: RegExp) =>
          Effect.promise(async () => {
            while (!pattern.test(received)) {
              const { done, value } = await reader.read()
              if (done) break
              received += decoder.decode(value)
            }
            return pattern.exec(received)
          })
        const first = yield* readUntil(/event: change\ndata: (\d+)\n\n/)
        yield* ScenarioEmulator.failNext(1, Fault.delay(1))
        const next = yield* readUntil(new RegExp(`event: change\\ndata: (?!${first![1]}\\n)(\\d+)\\n\\n`))
        expect(Number(next![1])).toBeGreaterThan(Number(first![1]))
        controller.abort()
      }))
  })

  it.scoped("keeps any model id: __proto__ and constructor are models like others, from a seed to the API", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.make({ models: JSON.parse("{\"__proto__\":{\"name\":\"from code\"}}") })
      const seeded = yield* send({
        method: "POST",
        path: "/inspector/api/seed",
        body: "{\"constructor\":{\"name\":\"from the page\"},\"toString\":{}}"
      }).pipe(Effect.provideService(ScenarioEmulator.ScenarioEmulator, emulator))
      expect(seeded.status).toBe(200)
      const models = (yield* emulator.snapshot).models
      expect(Object.keys(models).sort()).toEqual(["__proto__", "constructor", "toString"])
      expect(Object.getOwnPropertyDescriptor(models, "__proto__")?.value.name).toBe("from code")
      const state = jsonOf(
        yield* send({ path: "/inspector/api/state" }).pipe(
          Effect.provideService(ScenarioEmulator.ScenarioEmulator, emulator)
        )
      )
      expect(state.models.map((model: { id: string }) => model.id).sort()).toEqual([
        "__proto__",
        "constructor",
        "toString"
      ])
      const images = yield* TrainingImages.make({
        baseUrl: emulator.baseUrl,
        credentials: emulator.credentials,
        retryPolicy: RetryPolicy.none
      })
      const added = yield* images.add({ modelId: "__proto__", assetId: "asset_1" })
      const listed = yield* images.list({ modelId: "__proto__" })
      expect(listed.trainingImages.map((image) => image.id)).toEqual([added.id])
      expect((yield* images.list({ modelId: "constructor" })).trainingImages).toEqual([])
      // A model that does not exist is not found, whatever Object.prototype holds.
      expect((yield* Effect.flip(images.list({ modelId: "hasOwnProperty" })))._tag).toBe("NotFoundError")
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scoped("bounds a seed: too many bytes 413, too many images 400, each with its reason; the connection kept", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.make({
        models: { [MODEL]: {} },
        maxBodySize: 4096,
        maxSeedBytes: 1024,
        maxSeedImages: 3
      })
      const post = (body: string, headers: Record<string, string> = {}) =>
        send({ method: "POST", path: "/inspector/api/seed", body, headers }).pipe(
          Effect.provideService(ScenarioEmulator.ScenarioEmulator, emulator)
        )
      const manyModels = (count: number) =>
        JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`model_${i}`, {}])))
      const tooLarge = {
        message: "The seed is over 1024 bytes (maxSeedBytes): seed fewer models or images, or from code"
      }
      // Over the seed's limit, with its length announced or in chunks, and over the whole request limit:
      // each time the answer, never a reset.
      for (const body of [manyModels(100), manyModels(1000)]) {
        for (const headers of [{}, { "transfer-encoding": "chunked" }]) {
          const answer = yield* post(body, headers)
          expect([answer.status, jsonOf(answer)]).toEqual([413, tooLarge])
        }
      }
      const images = yield* post(
        JSON.stringify({ model_a: { trainingImages: [{}, {}] }, model_b: { trainingImages: [{}, {}] } })
      )
      expect([images.status, jsonOf(images)]).toEqual([400, {
        message: "Invalid seed: models: 4 training images, over the limit of 3 (maxSeedImages)"
      }])
      expect(Object.keys((yield* emulator.snapshot).models)).toEqual([MODEL])
      const within = yield* post(JSON.stringify({ model_a: { trainingImages: [{}, {}, {}] } }))
      expect(within.status).toBe(200)
      // From code too.
      const error = yield* Effect.flip(emulator.seed({ model_c: { trainingImages: [{}, {}, {}, {}] } }))
      expect(error.message).toBe("Invalid seed: models: 4 training images, over the limit of 3 (maxSeedImages)")
      expect(
        (yield* send({ path: "/inspector/api/state" }).pipe(
          Effect.provideService(ScenarioEmulator.ScenarioEmulator, emulator)
        )).status
      ).toBe(200)
    }))

  it.scoped("caps the open event streams: the one over maxEventStreams is refused 503, a closed one frees its place", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.make({ models: { [MODEL]: {} }, maxEventStreams: 2 })
      const open = () => {
        const controller = new AbortController()
        return Effect.map(
          Effect.promise(() => fetch(`${emulator.inspectorUrl}inspector/api/events`, { signal: controller.signal })),
          (response) => ({ response, close: () => controller.abort() })
        )
      }
      const first = yield* open()
      const second = yield* open()
      expect([first.response.status, second.response.status]).toEqual([200, 200])
      const refused = yield* open()
      expect(refused.response.status).toBe(503)
      expect(refused.response.headers.get("content-type")).toContain("application/json")
      expect(yield* Effect.promise(() => refused.response.json())).toEqual({
        message: "Too many open event streams (2, maxEventStreams): poll GET /inspector/api/state instead"
      })
      first.close()
      // The server learns of the close when it next writes or reads the socket: asked again until it has.
      const third = yield* open().pipe(
        Effect.filterOrFail((opened) => opened.response.status === 200),
        Effect.retry(Schedule.spaced("20 millis")),
        Effect.timeout("10 seconds")
      )
      expect(third.response.status).toBe(200)
      second.close()
      third.close()
    }))

  it.scoped("an idle event stream holds no timer of its own", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.make({ models: { [MODEL]: {} } })
      const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length
      const before = timers()
      const controllers = Array.from({ length: 20 }, () => new AbortController())
      const streams = yield* Effect.forEach(
        controllers,
        (controller) =>
          Effect.promise(() => fetch(`${emulator.inspectorUrl}inspector/api/events`, { signal: controller.signal })),
        { concurrency: "unbounded" }
      )
      // Each stream has sent its first event: each one's server side is running.
      for (const stream of streams) {
        const reader = stream.body!.getReader()
        let received = ""
        while (!received.includes("event: change")) {
          received += new TextDecoder().decode((yield* Effect.promise(() => reader.read())).value)
        }
        reader.releaseLock()
      }
      // At most one shared heartbeat (and a timer or two of the client's own), not one or two per stream.
      expect(timers() - before).toBeLessThan(5)
      for (const controller of controllers) controller.abort()
    }))

  it.scoped("can be turned off: `/` is then the API's, answered 401 without credentials", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.make({ inspector: false })
      expect(emulator.inspectorUrl).toBeUndefined()
      const response = yield* Effect.promise(() => fetch(`http://127.0.0.1:${emulator.port}/`))
      expect(response.status).toBe(401)
      expect((yield* emulator.requests).length).toBe(1)
    }))
})

/**
 * The inspector over HTTP (its page, its state, its controls, its event stream, its limits), checked alike on
 * both lines: the tests are written once here, over what a line hands them (its `ScenarioEmulator` and its
 * client, as promises). The runners: `packages/testing/test/Inspector.test.ts` (Effect 3) and
 * `packages/effect4/test/testing/Inspector.test.ts` (Effect 4).
 */
import type { Emulator, Line, Options } from "./lineEmulator.js"
import { pngDataUrl } from "./png.js"
import * as RawRequest from "./rawRequest.js"
import type { Vitest } from "./vitest.js"

const MODEL = "model_1"

const send = (emulator: Emulator, request: Omit<RawRequest.RawRequest, "method"> & { readonly method?: string }) =>
  RawRequest.send(emulator, { method: "GET", ...request })

const jsonOf = (answer: RawRequest.RawResponse) => JSON.parse(answer.body)

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

/** The suite "inspector over HTTP", registered with the runner's vitest. */
export const register = (vitest: Vitest, line: Line): void => {
  const { afterAll, beforeAll, describe, expect, it } = vitest

  // A test on an emulator of its own, stopped after it whatever happens.
  const own = (options: Options, test: (emulator: Emulator) => Promise<void>) => async () => {
    const emulator = await line.start(options)
    try {
      await test(emulator)
    } finally {
      await emulator.close()
    }
  }

  describe("inspector over HTTP", () => {
    // The first four tests share one emulator, one after the other.
    let emulator: Emulator
    beforeAll(async () => {
      emulator = await line.start({ apiKey: "key-1", apiSecret: "secret-1", models: { [MODEL]: {} } })
    })
    afterAll(() => emulator.close())

    it("serves the page, its assets and its state without credentials; none of it in the API's log", async () => {
      expect(emulator.inspectorUrl).toBe(`http://127.0.0.1:${emulator.port}/`)
      const page = await send(emulator, { path: "/" })
      expect(page.status).toBe(200)
      expect(page.headers["content-type"]).toContain("text/html")
      expect(page.headers["content-security-policy"]).toContain("script-src 'self'")
      expect(page.body).toContain("<h1>Scenario emulator</h1>")
      for (const asset of ["/inspector/inspector.css", "/inspector/view.js", "/inspector/app.js"]) {
        expect((await send(emulator, { path: asset })).status).toBe(200)
      }
      expect((await send(emulator, { path: "/favicon.ico" })).status).toBe(204)

      const images = emulator.client
      const inline = await images.add({ modelId: MODEL, data: pngDataUrl(4, [0, 0, 0], [255, 255, 255]) })
      const asset = await images.add({ modelId: MODEL, assetId: "asset_1" })
      await images.replacePairs({
        modelId: MODEL,
        pairs: [{ sourceId: inline.id, targetId: asset.id, instruction: "go" }]
      })

      const state = jsonOf(await send(emulator, { path: "/inspector/api/state" }))
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
      expect(await emulator.requestCount()).toBe(3)

      const thumbnail = await send(emulator, { path: model.trainingImages[0].thumbnail })
      expect(thumbnail.status).toBe(200)
      expect(thumbnail.headers["content-type"]).toBe("image/png")
      // The PNG signature (its first byte is not UTF-8 text).
      expect(thumbnail.body.slice(1, 4)).toBe("PNG")
      expect((await send(emulator, { path: `/inspector/images/${MODEL}/${asset.id}` })).status).toBe(404)

      // Replaced by asset id: the old content goes, and with it the thumbnail.
      await images.replace({ modelId: MODEL, trainingImageId: inline.id, assetId: "asset_2" })
      expect((await send(emulator, { path: `/inspector/images/${MODEL}/${inline.id}` })).status).toBe(404)
    })

    it("its control API calls the emulator's controls: the next API call meets the fault asked for", async () => {
      const failNext = await send(emulator, {
        method: "POST",
        path: "/inspector/api/fail-next",
        body: JSON.stringify({ count: 1, kind: "503", operation: "list" })
      })
      expect([failNext.status, jsonOf(failNext)]).toEqual([200, { ok: true, pendingFaults: 1 }])
      expect((await emulator.client.listFailure(MODEL)).tag).toBe("InternalServerError")
      expect(await emulator.faultCounts()).toEqual({ "503": 1 })

      const seeded = await send(emulator, {
        method: "POST",
        path: "/inspector/api/seed",
        body: JSON.stringify({ model_2: { name: "Two", trainingImages: [{ id: "img_a" }] } })
      })
      expect(seeded.status).toBe(200)
      expect((await emulator.models()).model_2?.trainingImages.map((i) => i.id)).toEqual(["img_a"])

      const reset = await send(emulator, { method: "POST", path: "/inspector/api/reset", body: "{}" })
      expect(reset.status).toBe(200)
      expect(Object.keys(await emulator.models())).toEqual([MODEL])
      expect(await emulator.requestCount()).toBe(0)
    })

    it("refuses other hosts (DNS rebinding), cross-site writes and bad control bodies; the API keeps its auth", async () => {
      const rebound = await send(emulator, { path: "/inspector/api/state", host: `evil.test:${emulator.port}` })
      expect(rebound.status).toBe(403)
      const crossSite = await send(emulator, {
        method: "POST",
        path: "/inspector/api/reset",
        body: "{}",
        headers: { origin: "http://evil.test" }
      })
      expect(crossSite.status).toBe(403)
      const form = await send(emulator, {
        method: "POST",
        path: "/inspector/api/reset",
        body: "{}",
        headers: { "content-type": "text/plain" }
      })
      expect(form.status).toBe(403)
      expect((await send(emulator, { path: "/inspector/api/reset" })).status).toBe(405)
      const unknown = await send(emulator, {
        method: "POST",
        path: "/inspector/api/fail-next",
        body: JSON.stringify({ count: 1, kind: "teapot" })
      })
      expect([unknown.status, jsonOf(unknown).message]).toEqual([400, "Unknown fault kind \"teapot\""])
      expect((await send(emulator, { path: "/inspector/nothing" })).status).toBe(404)
      expect((await send(emulator, { path: `/v1/models/${MODEL}` })).status).toBe(401)
      expect(await emulator.faultCounts()).toEqual({})
    })

    it("announces each change on its event stream", async () => {
      const controller = new AbortController()
      const response = await fetch(`${emulator.inspectorUrl}inspector/api/events`, { signal: controller.signal })
      expect(response.headers.get("content-type")).toContain("text/event-stream")
      const reader = response.body!.getReader()
      const decoder = new TextDecoder()
      let received = ""
      const readUntil = async (pattern: RegExp) => {
        while (!pattern.test(received)) {
          const { done, value } = await reader.read()
          if (done) break
          received += decoder.decode(value)
        }
        return pattern.exec(received)
      }
      const first = await readUntil(/event: change\ndata: (\d+)\n\n/)
      await emulator.delayNext(1)
      const next = await readUntil(new RegExp(`event: change\\ndata: (?!${first![1]}\\n)(\\d+)\\n\\n`))
      expect(Number(next![1])).toBeGreaterThan(Number(first![1]))
      controller.abort()
    })

    it(
      "keeps any model id: __proto__ and constructor are models like others, from a seed to the API",
      own({ models: JSON.parse("{\"__proto__\":{\"name\":\"from code\"}}") }, async (emulator) => {
        const seeded = await send(emulator, {
          method: "POST",
          path: "/inspector/api/seed",
          body: "{\"constructor\":{\"name\":\"from the page\"},\"toString\":{}}"
        })
        expect(seeded.status).toBe(200)
        const models = await emulator.models()
        expect(Object.keys(models).sort()).toEqual(["__proto__", "constructor", "toString"])
        expect(Object.getOwnPropertyDescriptor(models, "__proto__")?.value.name).toBe("from code")
        const state = jsonOf(await send(emulator, { path: "/inspector/api/state" }))
        expect(state.models.map((model: { id: string }) => model.id).sort()).toEqual([
          "__proto__",
          "constructor",
          "toString"
        ])
        const images = emulator.client
        const added = await images.add({ modelId: "__proto__", assetId: "asset_1" })
        expect(await images.listed("__proto__")).toEqual([added.id])
        expect(await images.listed("constructor")).toEqual([])
        // A model that does not exist is not found, whatever Object.prototype holds.
        expect((await images.listFailure("hasOwnProperty")).tag).toBe("NotFoundError")
      })
    )

    it(
      "bounds a seed: too many bytes 413, too many images 400, each with its reason; the connection kept",
      own({ models: { [MODEL]: {} }, maxBodySize: 4096, maxSeedBytes: 1024, maxSeedImages: 3 }, async (emulator) => {
        const post = (body: string, chunked?: boolean) =>
          send(emulator, { method: "POST", path: "/inspector/api/seed", body, chunked })
        const manyModels = (count: number) =>
          JSON.stringify(Object.fromEntries(Array.from({ length: count }, (_, i) => [`model_${i}`, {}])))
        const tooLarge = {
          message: "The seed is over 1024 bytes (maxSeedBytes): seed fewer models or images, or from code"
        }
        // Over the seed's limit, with its length announced or in chunks, and over the whole request limit:
        // each time the answer, never a reset.
        for (const body of [manyModels(100), manyModels(1000)]) {
          for (const chunked of [false, true]) {
            const answer = await post(body, chunked)
            expect([answer.status, jsonOf(answer)]).toEqual([413, tooLarge])
          }
        }
        const images = await post(
          JSON.stringify({ model_a: { trainingImages: [{}, {}] }, model_b: { trainingImages: [{}, {}] } })
        )
        expect([images.status, jsonOf(images)]).toEqual([400, {
          message: "Invalid seed: models: 4 training images, over the limit of 3 (maxSeedImages)"
        }])
        expect(Object.keys(await emulator.models())).toEqual([MODEL])
        const within = await post(JSON.stringify({ model_a: { trainingImages: [{}, {}, {}] } }))
        expect(within.status).toBe(200)
        // From code too.
        expect(await emulator.seedRefusal({ model_c: { trainingImages: [{}, {}, {}, {}] } })).toBe(
          "Invalid seed: models: 4 training images, over the limit of 3 (maxSeedImages)"
        )
        expect((await send(emulator, { path: "/inspector/api/state" })).status).toBe(200)
      })
    )

    it(
      "caps the open event streams: the one over maxEventStreams is refused 503, a closed one frees its place",
      own({ models: { [MODEL]: {} }, maxEventStreams: 2 }, async (emulator) => {
        const open = async () => {
          const controller = new AbortController()
          const response = await fetch(`${emulator.inspectorUrl}inspector/api/events`, { signal: controller.signal })
          return { response, close: () => controller.abort() }
        }
        const first = await open()
        const second = await open()
        expect([first.response.status, second.response.status]).toEqual([200, 200])
        const refused = await open()
        expect(refused.response.status).toBe(503)
        expect(refused.response.headers.get("content-type")).toContain("application/json")
        expect(await refused.response.json()).toEqual({
          message: "Too many open event streams (2, maxEventStreams): poll GET /inspector/api/state instead"
        })
        first.close()
        // The server learns of the close when it next writes or reads the socket: asked again until it has
        // (for 10 seconds at most).
        const until = Date.now() + 10_000
        let third = await open()
        while (third.response.status !== 200 && Date.now() < until) {
          await sleep(20)
          third = await open()
        }
        expect(third.response.status).toBe(200)
        second.close()
        third.close()
      })
    )

    it(
      "an idle event stream holds no timer of its own",
      own({ models: { [MODEL]: {} } }, async (emulator) => {
        const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length
        const before = timers()
        const controllers = Array.from({ length: 20 }, () => new AbortController())
        const streams = await Promise.all(
          controllers.map((controller) =>
            fetch(`${emulator.inspectorUrl}inspector/api/events`, { signal: controller.signal })
          )
        )
        // Each stream has sent its first event: each one's server side is running.
        for (const stream of streams) {
          const reader = stream.body!.getReader()
          let received = ""
          while (!received.includes("event: change")) {
            received += new TextDecoder().decode((await reader.read()).value)
          }
          reader.releaseLock()
        }
        // At most one shared heartbeat (and a timer or two of the client's own), not one or two per stream.
        expect(timers() - before).toBeLessThan(5)
        for (const controller of controllers) controller.abort()
      })
    )

    it(
      "can be turned off: `/` is then the API's, answered 401 without credentials",
      own({ inspector: false }, async (emulator) => {
        expect(emulator.inspectorUrl).toBeUndefined()
        const response = await fetch(`http://127.0.0.1:${emulator.port}/`)
        expect(response.status).toBe(401)
        expect(await emulator.requestCount()).toBe(1)
      })
    )
  })
}

/**
 * The plain server, from a test without any runtime library: started, driven over HTTP with `fetch`, its faults
 * and controls used directly, closed. The full wire contract runs against it through testing's
 * `ScenarioEmulator` (whose layer wraps it).
 */
import * as FaultKind from "@effect-scenario/emulator/FaultKind"
import * as Server from "@effect-scenario/emulator/Server"
import * as Store from "@effect-scenario/emulator/Store"
import { afterAll, beforeAll, describe, expect, it } from "vitest"

type Fault = "503" | "drop"

// Permissive validators: the params are taken as given (a binding passes its own).
const valid = <A>(input: unknown): Server.Validated<A> => ({ _tag: "Valid", params: input as A })
const validators: Server.Validators = { add: valid, replace: valid, replacePairs: valid, delete: valid, list: valid }

let running: Server.Running<Fault>
const authorization = `Basic ${Buffer.from("key:secret").toString("base64")}`

beforeAll(async () => {
  running = await Server.start<Fault>({
    apiKey: "key",
    apiSecret: "secret",
    bearerToken: "token",
    models: { model_1: { status: "trained" } },
    validators,
    kindOf: (fault) => fault,
    answerOf: (fault) =>
      fault === "503"
        ? { _tag: "Status", status: 503, body: { message: "Service Unavailable" }, headers: {}, afterApply: false }
        : { _tag: "Drop", afterApply: true },
    controlCall: () => ({ _tag: "Refused", message: "no controls here" })
  })
})

afterAll(() => running.close())

const call = (method: string, path: string, body?: unknown) =>
  fetch(`${running.url}${path}`, {
    method,
    headers: { authorization, "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  })

describe("Server", () => {
  it("serves the API: add then list, each answer with its request id", async () => {
    const added = await call("POST", "/models/model_1/training-images", { assetId: "asset_a" })
    expect(added.status).toBe(200)
    expect(added.headers.get("x-request-id")).toMatch(/^req_emulator_\d+$/)
    const listed = await call("GET", "/models/model_1")
    const body = await listed.json() as { model: { trainingImages: ReadonlyArray<Store.StoredImage> } }
    expect(body.model.trainingImages.map((image) => image.name)).toEqual(["asset_a"])
  })

  it("answers 401 without credentials, 404 off its routes, and logs every request", async () => {
    const before = running.control.requests().length
    expect((await fetch(`${running.url}/models/model_1`)).status).toBe(401)
    expect((await call("GET", "/models/model_1/")).status).toBe(404)
    expect(running.control.requests().slice(before).map((r) => [r.status, r.authenticated])).toEqual([
      [401, false],
      [404, true]
    ])
  })

  it("meets the faults it is given: a status before apply, a drop after it", async () => {
    running.control.failNext(1, "503", "list")
    expect((await call("GET", "/models/model_1")).status).toBe(503)
    running.control.failNext(1, "drop", "add")
    await expect(call("POST", "/models/model_1/training-images", { assetId: "asset_b" })).rejects.toThrow()
    expect(running.control.model("model_1")?.trainingImages.map((image) => image.name)).toContain("asset_b")
    expect(running.control.faultCounts()).toEqual({ "503": 1, drop: 1 })
  })

  it("refuses an invalid seed with every problem, and resets to the initial one", () => {
    expect(() => running.control.seed({ model_2: { status: "queued" } })).toThrow(Server.SeedError)
    running.control.reset()
    expect(running.control.snapshot().models.model_1?.trainingImages).toEqual([])
    expect(running.control.requests()).toEqual([])
  })

  it("serves each stored image at its downloadUrl, on another origin: the bytes as added, a placeholder for an asset", async () => {
    // A PNG signature and a few bytes of every value: decoded exactly from the data URL.
    const bytes = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 127, 128, 254, 255])
    const data = `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`
    const added = await call("POST", "/models/model_1/training-images", { data, name: "exact.png" })
    const inline = (await added.json() as { trainingImage: Store.StoredImage }).trainingImage
    const asset = (await (await call("POST", "/models/model_1/training-images", { assetId: "asset_c" }))
      .json() as { trainingImage: Store.StoredImage }).trainingImage
    expect(new URL(inline.downloadUrl).origin).not.toBe(new URL(running.url).origin)
    expect(inline.downloadUrl).toBe(`${running.downloadUrl}/${inline.id}`)

    const before = running.control.downloads().length
    const served = await fetch(inline.downloadUrl, { headers: { "x-probe": "1" } })
    expect(served.status).toBe(200)
    expect(served.headers.get("content-type")).toBe("image/png")
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes)
    const placeholder = await fetch(asset.downloadUrl)
    expect(placeholder.status).toBe(200)
    expect(new Uint8Array(await placeholder.arrayBuffer())).toEqual(Store.PLACEHOLDER.bytes)
    expect((await fetch(`${running.downloadUrl}/asset_none`)).status).toBe(404)

    running.control.failNextDownloads(1)
    expect((await fetch(inline.downloadUrl)).status).toBe(503)
    expect((await fetch(inline.downloadUrl)).status).toBe(200)

    const recorded = running.control.downloads().slice(before)
    expect(recorded.map((entry) => entry.status)).toEqual([200, 200, 404, 503, 200])
    expect(recorded[0]!.headers["x-probe"]).toBe("1")
    expect(recorded[0]!.path).toBe(`/assets/${inline.id}`)
  })

  it("closes the download origin with the server", async () => {
    const other = await Server.start<Fault>({
      apiKey: "key",
      apiSecret: "secret",
      bearerToken: "token",
      validators,
      kindOf: (fault) => fault,
      answerOf: () => ({ _tag: "Drop", afterApply: false }),
      controlCall: () => ({ _tag: "Refused", message: "no controls here" })
    })
    expect((await fetch(`${other.downloadUrl}/x`)).status).toBe(404)
    await other.close()
    await expect(fetch(`${other.downloadUrl}/x`)).rejects.toThrow()
  })
})

describe("Server.start with nothing but credentials", () => {
  it("checks the params with the kernel's checks, and meets plain faults named by kind", async () => {
    const plain = await Server.start({ apiKey: "key", apiSecret: "secret", bearerToken: "token" })
    try {
      const send = (method: string, path: string, body?: unknown) =>
        fetch(`${plain.url}${path}`, {
          method,
          headers: { authorization: "Bearer token", "content-type": "application/json" },
          ...(body === undefined ? {} : { body: JSON.stringify(body) })
        })
      plain.control.seed({ model_1: {} })
      const bad = await send("POST", "/models/model_1/training-images", { assetIds: [] })
      expect([bad.status, await bad.json()]).toEqual([400, {
        message: "assetIds: a batch needs at least one asset id"
      }])
      plain.control.failNext(1, FaultKind.answerOf("502-after-apply")!, "add")
      expect((await send("POST", "/models/model_1/training-images", { assetId: "asset_1" })).status).toBe(502)
      expect(plain.control.model("model_1")?.trainingImages.map((image) => image.name)).toEqual(["asset_1"])
      const origin = plain.url.replace(/\/v1$/, "")
      const control = await fetch(`${origin}/inspector/api/fail-next`, {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: JSON.stringify({ count: 1, kind: "delay", delayMillis: 0, operation: "list" })
      })
      expect(await control.json()).toEqual({ ok: true, pendingFaults: 1 })
      expect((await send("GET", "/models/model_1")).status).toBe(200)
      expect(plain.control.faultCounts()).toEqual({ "502-after-apply": 1, delay: 1 })
    } finally {
      await plain.close()
    }
  })
})

describe("FaultKind", () => {
  it("reads every kind back from the name it gives", () => {
    for (const kind of [...FaultKind.TRANSIENT_KINDS, "418", "599-after-apply"]) {
      expect(FaultKind.kindOf(FaultKind.answerOf(kind)!)).toBe(kind)
    }
    for (const bad of ["429-after-apply", "600", "299", "drop", "delay-before-apply", ""]) {
      expect(FaultKind.parse(bad)).toBeUndefined()
    }
    expect(FaultKind.answerOf("429")).toEqual({
      _tag: "Status",
      status: 429,
      body: { message: "Too Many Requests" },
      headers: { "retry-after": "1", "retry-after-ms": "1000" },
      afterApply: false
    })
    expect(FaultKind.answerOf("delay")).toEqual({ _tag: "Delay", millis: 5000, afterApply: false })
  })
})

describe("FaultKind, exactly", () => {
  it("parses each kind to what it names", () => {
    expect(
      ["delay", "delay-after-apply", "drop-before-apply", "drop-after-apply", "503", "500-after-apply", "300", "429"]
        .map(FaultKind.parse)
    ).toStrictEqual([
      { _tag: "Delay", afterApply: false },
      { _tag: "Delay", afterApply: true },
      { _tag: "Drop", afterApply: false },
      { _tag: "Drop", afterApply: true },
      { _tag: "Status", status: 503, afterApply: false },
      { _tag: "Status", status: 500, afterApply: true },
      { _tag: "Status", status: 300, afterApply: false },
      { _tag: "Status", status: 429, afterApply: false }
    ])
    for (const bad of ["5030", "x503", "503x", "50", "503-after-applyx", "503after-apply", "5a3", "200"]) {
      expect(FaultKind.parse(bad), bad).toBeUndefined()
    }
  })

  it("answers each kind: the options' waits, headers only on a 429, after apply as named", () => {
    const options = { retryAfterMillis: 2500, delayMillis: 10 }
    expect(FaultKind.answerOf("429", options)).toStrictEqual({
      _tag: "Status",
      status: 429,
      body: { message: "Too Many Requests" },
      headers: { "retry-after": "3", "retry-after-ms": "2500" },
      afterApply: false
    })
    expect(FaultKind.answerOf("503-after-apply", options)).toStrictEqual({
      _tag: "Status",
      status: 503,
      body: { message: "Service Unavailable" },
      headers: {},
      afterApply: true
    })
    expect(FaultKind.answerOf("delay-after-apply", options)).toStrictEqual({
      _tag: "Delay",
      millis: 10,
      afterApply: true
    })
    expect(FaultKind.answerOf("delay-after-apply")).toStrictEqual({ _tag: "Delay", millis: 5000, afterApply: true })
    expect(FaultKind.answerOf("drop-after-apply")).toStrictEqual({ _tag: "Drop", afterApply: true })
    expect(FaultKind.answerOf("drop-before-apply")).toStrictEqual({ _tag: "Drop", afterApply: false })
    expect(FaultKind.answerOf("nope")).toBeUndefined()
    expect([FaultKind.DEFAULT_RETRY_AFTER_MILLIS, FaultKind.DEFAULT_DELAY_MILLIS]).toEqual([1000, 5000])
  })

  it("the transient kinds: every status and delay and drop a client should survive, before or after apply", () => {
    expect(FaultKind.TRANSIENT_KINDS).toEqual([
      "429",
      "500",
      "502",
      "503",
      "504",
      "delay",
      "drop-before-apply",
      "drop-after-apply",
      "500-after-apply",
      "502-after-apply",
      "504-after-apply",
      "delay-after-apply"
    ])
  })
})

/**
 * The plain server over raw HTTP (`node:http`, so that the path, the headers and the body go exactly as written):
 * its routes, its request log, its faults, its inspector and its download origin, each answer stated.
 */
import * as FaultKind from "@effect-scenario/emulator/FaultKind"
import * as Seed from "@effect-scenario/emulator/Seed"
import * as Server from "@effect-scenario/emulator/Server"
import * as FaultPlan from "@effect-scenario/kernel/FaultPlan"
import * as Http from "node:http"
import * as Net from "node:net"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"

interface Reply {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly text: string
  readonly bytes: Buffer
}

const http = (
  base: string,
  path: string,
  init: {
    readonly method?: string
    readonly headers?: Record<string, string>
    readonly body?: string | Buffer
    readonly signal?: AbortSignal
  } = {}
): Promise<Reply> => {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const request = Http.request({
      host: url.hostname.replace(/^\[|\]$/g, ""),
      port: url.port,
      path,
      method: init.method ?? "GET",
      agent: false,
      headers: init.headers,
      ...(init.signal === undefined ? {} : { signal: init.signal })
    }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () => {
        const bytes = Buffer.concat(chunks)
        resolve({ status: response.statusCode!, headers: response.headers, text: bytes.toString("utf8"), bytes })
      })
      response.on("error", reject)
    })
    request.on("error", reject)
    request.end(init.body)
  })
}

// A request written by hand: its head, then part of its body, then the client leaves (or, without `leave`, the
// first line of the answer).
const raw = (base: string, head: string, body = "", leave = false): Promise<string> => {
  const url = new URL(base)
  return new Promise((resolve, reject) => {
    const socket = Net.connect(Number(url.port), url.hostname.replace(/^\[|\]$/g, ""), () => {
      socket.write(`${head}\r\n\r\n${body}`)
      if (leave) {
        socket.destroy()
        resolve("")
      }
    })
    let text = ""
    socket.setEncoding("utf8")
    socket.on("data", (chunk: string) => {
      text += chunk
      if (text.includes("\r\n\r\n") && /\r\n\r\n[\s\S]*\}/.test(text)) {
        socket.destroy()
        resolve(text)
      }
    })
    socket.on("close", () => resolve(text))
    socket.on("error", reject)
  })
}

const json = (reply: Reply): unknown => JSON.parse(reply.text)

const basic = `Basic ${Buffer.from("key:secret").toString("base64")}`
const credentials = { apiKey: "key", apiSecret: "secret", bearerToken: "token" }

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve))
}

// Validators that take the params as given and keep each input, to show what the route handed them.
const seen: Array<[string, unknown]> = []
const keep = (name: string) => <A>(input: unknown): Server.Validated<A> => {
  seen.push([name, input])
  return { _tag: "Valid", params: input as A }
}
const keeping: Server.Validators = {
  add: keep("add"),
  replace: keep("replace"),
  replacePairs: keep("replacePairs"),
  delete: keep("delete"),
  list: keep("list")
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255])
const PNG_DATA = `data:image/png;base64,${PNG.toString("base64")}`

describe("the API's routes", () => {
  let running: Server.Running<Server.Answer>
  beforeAll(async () => {
    running = await Server.start({ ...credentials, models: { m: {} }, validators: keeping })
  })
  afterAll(() => running.close())

  const api = (method: string, path: string, body?: string) =>
    http(running.url, `/v1${path}`, {
      method,
      headers: { authorization: basic, "content-type": "application/json" },
      ...(body === undefined ? {} : { body })
    })
  const last = () => running.control.requests().at(-1)!

  it("matches each operation by method and path, and hands the validator the path's ids, decoded", async () => {
    const cases: ReadonlyArray<[string, string, string | undefined, string, unknown]> = [
      ["GET", "/models/m", undefined, "list", { modelId: "m" }],
      ["GET", "/models/m?originalAssets=true", undefined, "list", { modelId: "m", originalAssets: true }],
      ["POST", "/models/m/training-images", "{\"assetId\":\"a\"}", "add", { assetId: "a", modelId: "m" }],
      ["POST", "/models/m/training-images?x=1", "{\"name\":\"n\",\"data\":\"d\"}", "add", {
        name: "n",
        data: "d",
        modelId: "m"
      }],
      ["PUT", "/models/m/training-images/pairs", "[]", "replacePairs", { modelId: "m", pairs: [] }],
      ["PUT", "/models/m/training-images/t%2F1", "{\"name\":\"n\",\"data\":\"d\"}", "replace", {
        name: "n",
        data: "d",
        modelId: "m",
        trainingImageId: "t/1"
      }],
      ["DELETE", "/models/m/training-images/pairs", undefined, "delete", { modelId: "m", trainingImageId: "pairs" }],
      ["DELETE", "/models/m%20x/training-images/t?projectId=p", undefined, "delete", {
        modelId: "m x",
        trainingImageId: "t",
        projectId: "p"
      }]
    ]
    for (const [method, path, body, operation, input] of cases) {
      seen.length = 0
      const reply = await api(method, path, body)
      expect(reply.status, `${method} ${path}`).not.toBe(401)
      expect(seen, `${method} ${path}`).toStrictEqual([[operation, input]])
      expect([last().operation, last().modelId], `${method} ${path}`).toEqual([
        operation,
        input && (input as any).modelId
      ])
    }
  })

  it("answers 404 off the routes: nothing forgiven, nothing validated, no operation logged", async () => {
    const paths: ReadonlyArray<[string, string]> = [
      ["GET", "/models"],
      ["PUT", "/models"],
      ["DELETE", "/models"],
      ["POST", "/models//training-images"],
      ["GET", "/models/"],
      ["GET", "/models//training-images"],
      ["GET", "/Models/m"],
      ["GET", "/v2/models/m"],
      ["POST", "/models/m"],
      ["PUT", "/models/m"],
      ["GET", "/models/m/training-images"],
      ["PUT", "/models/m/training-images"],
      ["POST", "/models/m/images"],
      ["DELETE", "/models/m/images/t"],
      ["GET", "/models/m/training-images/t"],
      ["POST", "/models/m/training-images/pairs"],
      ["PUT", "/models/m/training-images/t/x"],
      ["GET", "/models/%E0%A4%A"],
      ["DELETE", "/models/m/training-images/%E0%A4%A"]
    ]
    for (const [method, path] of paths) {
      seen.length = 0
      const reply = await api(method, path)
      expect([reply.status, json(reply)], `${method} ${path}`).toEqual([404, { message: "Not Found" }])
      expect(seen, `${method} ${path}`).toEqual([])
      expect([last().operation, last().modelId, last().status]).toEqual([undefined, undefined, 404])
    }
    for (const path of ["/models/m", "/v2/models/m", "/x/v1/models/m", "/v1"]) {
      seen.length = 0
      const other = await http(running.url, path, { headers: { authorization: basic } })
      expect([other.status, seen, path]).toEqual([404, [], path])
    }
  })

  it("logs each request as it came: id, method, path, query, arrival, time taken, credentials, status", async () => {
    running.control.reset()
    const first = await api("GET", "/models/m?originalAssets=false&x=%20")
    const second = await http(running.url, "/v1/models/m%2Fx")
    const [a, b] = running.control.requests()
    expect(first.headers["x-request-id"]).toBe("req_emulator_1")
    expect(first.headers["content-type"]).toBe("application/json")
    expect(second.headers["x-request-id"]).toBe("req_emulator_2")
    expect(a).toMatchObject({
      requestId: "req_emulator_1",
      method: "GET",
      path: "/v1/models/m",
      query: "originalAssets=false&x=%20",
      authenticated: true,
      operation: "list",
      modelId: "m",
      status: 200,
      fault: undefined
    })
    expect(new Date(a!.receivedAt).toISOString()).toBe(a!.receivedAt)
    expect(Math.abs(Date.parse(a!.receivedAt) - Date.now())).toBeLessThan(60_000)
    expect(a!.durationMillis).toBeGreaterThanOrEqual(0)
    expect(Math.round(a!.durationMillis * 10)).toBeCloseTo(a!.durationMillis * 10, 6)
    expect(b).toMatchObject({
      requestId: "req_emulator_2",
      path: "/v1/models/m%2Fx",
      query: "",
      authenticated: false,
      operation: undefined,
      modelId: undefined,
      status: 401
    })
    expect(second.headers["www-authenticate"]).toBe("Basic realm=\"scenario\", Bearer")
    expect(json(second)).toEqual({ message: "Unauthorized" })
    running.control.reset()
    expect((await api("GET", "/models/m")).headers["x-request-id"]).toBe("req_emulator_1")
  })

  it("a request log that is a copy, and a body read only by the operations that take one", async () => {
    const log = running.control.requests()
    const length = log.length
    await api("GET", "/models/m")
    expect(log.length).toBe(length)
    const small = await Server.start({ ...credentials, models: { m: {} }, validators: keeping, maxBodySize: 16 })
    try {
      const big = "{\"assetId\":\"" + "a".repeat(64) + "\"}"
      const send = (method: string, path: string) =>
        http(small.url, `/v1${path}`, {
          method,
          headers: { authorization: basic, "content-length": String(big.length) },
          body: big
        })
      const added = await send("POST", "/models/m/training-images")
      expect([added.status, json(added)]).toEqual([413, { message: "Request Too Long" }])
      expect((await send("PUT", "/models/m/training-images/t")).status).toBe(413)
      expect((await send("PUT", "/models/m/training-images/pairs")).status).toBe(413)
      const listed = await send("GET", "/models/m")
      expect(listed.status).toBe(200)
      expect((await send("DELETE", "/models/m/training-images/t")).status).not.toBe(413)
      expect(small.control.requests().map((r) => r.modelId)).toEqual(["m", "m", "m", "m", "m"])
    } finally {
      await small.close()
    }
  })
})

describe("the API's answers, validated and failing", () => {
  it("answers a refused body, an invalid verdict and a validator that throws", async () => {
    const errors: Array<unknown> = []
    const requests: Array<Server.RecordedRequest> = []
    const running = await Server.start({
      ...credentials,
      models: { m: {} },
      validators: {
        ...Server.defaultValidators,
        delete: () => {
          throw new Error("boom")
        }
      },
      onError: (error) => errors.push(error),
      onRequest: async (request) => {
        await new Promise((resolve) => setImmediate(resolve))
        requests.push(request)
      }
    })
    try {
      const send = (method: string, path: string, body?: string) =>
        http(running.url, `/v1${path}`, {
          method,
          headers: { authorization: "Bearer token" },
          ...(body === undefined ? {} : { body })
        })
      for (
        const path of ["/models/m/training-images", "/models/m/training-images/t", "/models/m/training-images/pairs"]
      ) {
        const method = path.endsWith("/training-images") ? "POST" : "PUT"
        const reply = await send(method, path, "not json")
        expect(reply.status, path).toBe(400)
        // The body's own refusal, not a validator's verdict on params without it.
        expect(json(reply), path).toEqual({ message: "Invalid JSON body" })
        // The answer waited for onRequest.
        expect(requests.at(-1)?.status).toBe(400)
      }
      const list = await send("GET", "/models/m?originalAssets=maybe")
      expect(list.status).toBe(400)
      const invalid = await send("PUT", "/models/m/training-images/t", "{\"name\":1}")
      expect(invalid.status).toBe(400)
      expect(json(invalid)).toHaveProperty("message")
      const pairs = await send("PUT", "/models/m/training-images/pairs", "[{}]")
      expect(pairs.status).toBe(400)
      const failed = await send("DELETE", "/models/m/training-images/t")
      expect([failed.status, json(failed)]).toEqual([500, { message: "The emulator failed to handle the request" }])
      expect(failed.headers["x-request-id"]).toMatch(/^req_emulator_/)
      expect(errors).toEqual([new Error("boom")])
      const added = await send("POST", "/models/m/training-images", JSON.stringify({ data: PNG_DATA, name: "a.png" }))
      expect(added.status).toBe(200)
      const image = (json(added) as { trainingImage: { id: string } }).trainingImage
      const replaced = await send("PUT", `/models/m/training-images/${image.id}`, JSON.stringify({ assetId: "x" }))
      expect(replaced.status).toBe(200)
      expect(running.control.model("m")?.trainingImages.map((i) => i.name)).toEqual(["x"])
      const listed = await send("GET", "/models/m?originalAssets=true")
      expect(listed.status).toBe(200)
    } finally {
      await running.close()
    }
  })

  it("answers pairs and a delete with what the store answers", async () => {
    const running = await Server.start({
      ...credentials,
      models: { m: { trainingImages: [{ id: "t1" }, { id: "t2" }] } }
    })
    try {
      const send = (method: string, path: string, body?: string) =>
        http(running.url, `/v1${path}`, {
          method,
          headers: { authorization: "Bearer token" },
          ...(body === undefined ? {} : { body })
        })
      const pairs = await send("PUT", "/models/m/training-images/pairs", "[{\"sourceId\":\"t1\",\"targetId\":\"t2\"}]")
      expect([pairs.status, json(pairs)]).toEqual([200, { count: 1, pairs: [{ sourceId: "t1", targetId: "t2" }] }])
      const deleted = await send("DELETE", "/models/m/training-images/t1")
      expect([deleted.status, json(deleted)]).toEqual([200, {}])
      const missing = await send("DELETE", "/models/m/training-images/t1")
      expect([missing.status, json(missing)]).toEqual([404, {
        message: "Training image t1 not found in model m"
      }])
      expect(running.control.model("m")?.trainingImages.map((image) => image.id)).toEqual(["t2"])
    } finally {
      await running.close()
    }
  })

  it("rejects a seed that is invalid, and a port already taken (its download origin closed again)", async () => {
    const refused = await Server.start({ ...credentials, models: { m: { status: "nope" } } }).catch((e) => e)
    expect(refused).toBeInstanceOf(Server.SeedError)
    expect(refused.name).toBe("SeedError")
    expect(refused.message).toMatch(/^Invalid seed: \S/)
    expect([Server.DEFAULT_API_KEY, Server.DEFAULT_API_SECRET, Server.DEFAULT_BEARER_TOKEN]).toEqual([
      "emulator-key",
      "emulator-secret",
      "emulator-token"
    ])
    const taken = Net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve))
    const port = (taken.address() as Net.AddressInfo).port
    const free = Net.createServer()
    await new Promise<void>((resolve) => free.listen(0, "127.0.0.1", resolve))
    const downloadPort = (free.address() as Net.AddressInfo).port
    await new Promise<void>((resolve) => free.close(() => resolve()))
    try {
      await expect(Server.start({ ...credentials, port, downloadPort })).rejects.toMatchObject({ code: "EADDRINUSE" })
      await expect(Server.start({ ...credentials, downloadPort: port })).rejects.toMatchObject({
        code: "EADDRINUSE"
      })
      const again = await Server.start({ ...credentials, downloadPort })
      expect(again.downloadUrl).toBe(`http://127.0.0.1:${downloadPort}/assets`)
      await again.close()
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()))
    }
  })

  it("gives its addresses, on IPv6 in brackets", async () => {
    const running = await Server.start({ ...credentials, inspector: false })
    try {
      expect(running.host).toBe("127.0.0.1")
      expect(running.url).toBe(`http://127.0.0.1:${running.port}/v1`)
      expect(running.inspectorUrl).toBeUndefined()
      // Without the inspector, its paths are the API's: credentials first, then no route.
      const page = await http(running.url, "/")
      expect(page.status).toBe(401)
      const state = await http(running.url, "/inspector/api/state", { headers: { authorization: basic } })
      expect([state.status, json(state)]).toEqual([404, { message: "Not Found" }])
    } finally {
      await running.close()
    }
    const six = await Server.start({ ...credentials, host: "::1" }).catch(() => undefined)
    if (six !== undefined) {
      try {
        expect(six.url).toBe(`http://[::1]:${six.port}/v1`)
        expect(six.inspectorUrl).toBe(`http://[::1]:${six.port}/`)
        expect(six.downloadUrl).toMatch(/^http:\/\/\[::1\]:\d+\/assets$/)
        expect((await http(six.url, "/v1/models/x", { headers: { host: `[::1]:${six.port}` } })).status).toBe(401)
      } finally {
        await six.close()
      }
    }
  })
})

describe("faults", () => {
  let running: Server.Running<Server.Answer>
  beforeAll(async () => {
    running = await Server.start({ ...credentials, models: { m: {} } })
  })
  afterAll(() => running.close())
  const add = (name: string) =>
    http(running.url, "/v1/models/m/training-images", {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/json" },
      body: JSON.stringify({ assetId: name })
    })
  const names = () => running.control.model("m")?.trainingImages.map((image) => image.name)

  it("a status before apply: the store untouched, the fault's headers sent, the kind logged", async () => {
    running.control.reset()
    running.control.failNext(1, FaultKind.answerOf("429")!, "add")
    const reply = await add("a")
    expect([reply.status, json(reply)]).toEqual([429, { message: "Too Many Requests" }])
    expect(reply.headers["retry-after"]).toBe("1")
    expect(reply.headers["x-request-id"]).toBe("req_emulator_1")
    expect(names()).toEqual([])
    expect(running.control.requests()[0]).toMatchObject({ status: 429, fault: "429", operation: "add" })
  })

  it("a status after apply: the store changed, the status sent", async () => {
    running.control.reset()
    running.control.failNext(1, FaultKind.answerOf("503-after-apply")!, "add")
    expect((await add("b")).status).toBe(503)
    expect(names()).toEqual(["b"])
    running.control.failNext(
      1,
      { _tag: "Status", status: 502, body: { message: "later" }, headers: { "retry-after": "7" }, afterApply: true },
      "add"
    )
    const reply = await add("b2")
    expect([reply.status, json(reply), reply.headers["retry-after"]]).toEqual([502, { message: "later" }, "7"])
    expect(names()).toEqual(["b", "b2"])
  })

  it("a drop before apply changes nothing; after apply, the change is made; both logged unanswered", async () => {
    running.control.reset()
    running.control.failNext(1, FaultKind.answerOf("drop-before-apply")!, "add")
    await expect(add("c")).rejects.toThrow()
    expect(names()).toEqual([])
    running.control.failNext(1, FaultKind.answerOf("drop-after-apply")!, "add")
    await expect(add("d")).rejects.toThrow()
    expect(names()).toEqual(["d"])
    expect(running.control.requests().map((r) => [r.status, r.fault])).toEqual([
      [undefined, "drop-before-apply"],
      [undefined, "drop-after-apply"]
    ])
  })

  it("a delay of no time answers as usual, before or after apply", async () => {
    running.control.reset()
    running.control.failNext(1, { _tag: "Delay", millis: 0, afterApply: false }, "add")
    expect((await add("e")).status).toBe(200)
    running.control.failNext(1, { _tag: "Delay", millis: 0, afterApply: true }, "add")
    expect((await add("f")).status).toBe(200)
    expect(names()).toEqual(["e", "f"])
    expect(running.control.requests().map((r) => [r.status, r.fault])).toEqual([[200, "delay"], [
      200,
      "delay-after-apply"
    ]])
  })

  it("a delay longer than a timer holds waits until the client leaves; logged unanswered", async () => {
    for (const afterApply of [false, true]) {
      running.control.reset()
      running.control.failNext(1, { _tag: "Delay", millis: 10_000_000_000, afterApply }, "add")
      const client = new AbortController()
      const pending = http(running.url, "/v1/models/m/training-images", {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/json" },
        body: JSON.stringify({ assetId: "g" }),
        signal: client.signal
      })
      await until(() => Object.keys(running.control.faultCounts()).length > 0)
      // Another request is answered meanwhile; the delayed one is not.
      expect((await http(running.url, "/v1/models/m", { headers: { authorization: basic } })).status).toBe(200)
      expect(running.control.requests().map((r) => r.status)).toEqual([200])
      client.abort()
      await expect(pending).rejects.toThrow()
      await until(() => running.control.requests().length === 2)
      expect(running.control.requests()[1]).toMatchObject({ status: undefined, operation: "add" })
      expect(names()).toEqual(afterApply ? ["g"] : [])
    }
  })

  it("draws random faults from each request's method, path, query and body, as the fault plan does", async () => {
    running.control.reset()
    const fault = FaultKind.answerOf("503")!
    const faults = { rate: 0.5, faults: [fault], seed: 11 }
    running.control.setFaults(faults)
    const expected = FaultPlan.make(FaultKind.kindOf, faults)
    try {
      const statuses: Array<number> = []
      const predicted: Array<number> = []
      for (let i = 0; i < 12; i++) {
        const listed = await http(running.url, `/v1/models/m?q=${i % 3}`, { headers: { authorization: basic } })
        statuses.push(listed.status)
        predicted.push(expected.next("list", `GET /v1/models/m?q=${i % 3}\n`) === undefined ? 200 : 503)
        const body = JSON.stringify({ assetId: `a${i % 4}` })
        const added = await http(running.url, "/v1/models/m/training-images", {
          method: "POST",
          headers: { authorization: basic, "content-type": "application/json" },
          body
        })
        statuses.push(added.status)
        predicted.push(expected.next("add", `POST /v1/models/m/training-images?\n${body}`) === undefined ? 200 : 503)
      }
      expect(statuses).toEqual(predicted)
      expect(new Set(statuses)).toEqual(new Set([200, 503]))
    } finally {
      running.control.setFaults(undefined)
    }
  })

  it("keys a body too large to read as no body", async () => {
    const fault = FaultKind.answerOf("503")!
    const faults = { rate: 0.5, faults: [fault], seed: 5 }
    const small = await Server.start({ ...credentials, models: { m: {} }, maxBodySize: 4, faults })
    const expected = FaultPlan.make(FaultKind.kindOf, faults)
    try {
      const statuses: Array<number> = []
      const predicted: Array<number> = []
      for (let i = 0; i < 12; i++) {
        const added = await http(small.url, "/v1/models/m/training-images", {
          method: "POST",
          headers: { authorization: basic, "content-type": "application/json", "content-length": "16" },
          body: "{\"assetId\":\"ab\"}"
        })
        statuses.push(added.status)
        predicted.push(expected.next("add", "POST /v1/models/m/training-images?\n") === undefined ? 413 : 503)
      }
      expect(statuses).toEqual(predicted)
      expect(new Set(statuses)).toEqual(new Set([413, 503]))
    } finally {
      await small.close()
    }
  })

  it("close during a delay after apply: the change made, the request logged unanswered", async () => {
    const other = await Server.start({ ...credentials, models: { m: {} } })
    other.control.failNext(1, { _tag: "Delay", millis: 10_000_000_000, afterApply: true }, "add")
    const pending = http(other.url, "/v1/models/m/training-images", {
      method: "POST",
      headers: { authorization: basic, "content-type": "application/json" },
      body: JSON.stringify({ assetId: "h" })
    })
    await until(() => Object.keys(other.control.faultCounts()).length > 0)
    await other.close()
    await expect(pending).rejects.toThrow()
    await until(() => other.control.requests().length > 0)
    expect(other.control.requests().map((r) => [r.operation, r.status, r.fault])).toEqual([
      ["add", undefined, "delay-after-apply"]
    ])
    expect(other.control.model("m")?.trainingImages.map((image) => image.name)).toEqual(["h"])
  })

  it("close ends the requests under way", async () => {
    const other = await Server.start({ ...credentials, models: { m: {} } })
    other.control.failNext(1, { _tag: "Delay", millis: 10_000_000_000, afterApply: false }, "list")
    const pending = http(other.url, "/v1/models/m", { headers: { authorization: basic } })
    await until(() => Object.keys(other.control.faultCounts()).length > 0)
    await other.close()
    await expect(pending).rejects.toThrow()
  })
})

describe("the inspector", () => {
  let running: Server.Running<Server.Answer>
  let origin: string
  beforeAll(async () => {
    running = await Server.start({ ...credentials, models: { m: {} }, maxSeedBytes: 256, maxEventStreams: 1 })
    origin = running.inspectorUrl!.slice(0, -1)
  })
  afterAll(() => running.close())
  const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    http(origin, path, { method, headers })
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    http(origin, path, { method: "POST", headers: { origin, "content-type": "application/json", ...headers }, body })

  it("serves its page and assets with their types and headers, on GET and HEAD only", async () => {
    const page = await get("/")
    expect(page.status).toBe(200)
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8")
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'; script-src 'self'")
    expect(page.headers["content-security-policy"]).toContain("frame-ancestors 'none'")
    expect(page.headers["x-content-type-options"]).toBe("nosniff")
    expect(page.headers["referrer-policy"]).toBe("no-referrer")
    expect(page.headers["x-frame-options"]).toBe("DENY")
    expect(page.headers["cache-control"]).toBe("no-store")
    expect(page.headers["content-length"]).toBe(String(page.bytes.length))
    for (
      const [path, type] of [
        ["/inspector/inspector.css", "text/css; charset=utf-8"],
        ["/inspector/view.js", "text/javascript; charset=utf-8"],
        ["/inspector/app.js", "text/javascript; charset=utf-8"]
      ]
    ) {
      const asset = await get(path!)
      expect([asset.status, asset.headers["content-type"]], path).toEqual([200, type])
      expect(asset.text.length).toBeGreaterThan(0)
      expect(asset.headers["content-security-policy"]).toBeUndefined()
      expect(asset.headers["x-frame-options"]).toBe("DENY")
    }
    const head = await get("/", {}, "HEAD")
    expect([head.status, head.text]).toEqual([200, ""])
    const refused = await get("/", {}, "POST")
    expect([refused.status, json(refused)]).toEqual([405, { message: "Method Not Allowed" }])
    expect(refused.headers["cache-control"]).toBe("no-store")
    expect(refused.headers["x-content-type-options"]).toBe("nosniff")
    const icon = await get("/favicon.ico")
    expect([icon.status, icon.text, icon.headers["x-frame-options"]]).toEqual([204, "", "DENY"])
    const missing = await get("/inspector/nothing")
    expect([missing.status, json(missing)]).toEqual([404, { message: "Not Found" }])
  })

  it("answers only loopback host names, on the API as well", async () => {
    const page = await get("/", { host: "evil.example" })
    expect([page.status, json(page)]).toEqual([403, {
      message: expect.stringContaining("not evil.example")
    }])
    expect((await get("/", { host: `localhost:${running.port}` })).status).toBe(200)
    const api = await http(running.url, "/v1/models/m", { headers: { host: "evil.example", authorization: basic } })
    expect(api.status).toBe(403)
    expect(json(api)).toEqual({ message: expect.stringContaining("not evil.example") })
    expect(running.control.requests().at(-1)).toMatchObject({ status: 403, authenticated: false })
  })

  it("on an address it does not read as loopback (IPv4 in IPv6), asks credentials and checks no host name", async () => {
    const mapped = await Server.start({ ...credentials, host: "::ffff:127.0.0.1", models: { m: {} } })
    try {
      const base = mapped.inspectorUrl!.slice(0, -1)
      expect(base).toBe(`http://[::ffff:127.0.0.1]:${mapped.port}`)
      const anonymous = await http(base, "/", { headers: { host: "elsewhere.example" } })
      expect([anonymous.status, json(anonymous)]).toEqual([401, { message: "Unauthorized" }])
      expect(anonymous.headers["www-authenticate"]).toBe("Basic realm=\"scenario emulator\"")
      expect(anonymous.headers["cache-control"]).toBe("no-store")
      const page = await http(base, "/", { headers: { host: "elsewhere.example", authorization: basic } })
      expect(page.status).toBe(200)
      const api = await http(mapped.url, "/v1/models/m", {
        headers: { host: "elsewhere.example", authorization: basic }
      })
      expect(api.status).toBe(200)
    } finally {
      await mapped.close()
    }
  })

  it("its state: the version, the API's address, the models with thumbnails, the log", async () => {
    running.control.reset()
    running.control.seed({
      m: { trainingImages: [{ id: "i1", name: "i.png", data: PNG_DATA }, { id: "i2", assetId: "as" }] }
    })
    const state = await get("/inspector/api/state")
    expect(state.status).toBe(200)
    expect(state.headers["cache-control"]).toBe("no-store")
    expect(state.headers["x-frame-options"]).toBe("DENY")
    const body = json(state) as any
    expect(body.baseUrl).toBe(running.url)
    expect(typeof body.version).toBe("number")
    expect(body.models[0].trainingImages.map((i: any) => i.thumbnail === null)).toEqual([false, true])
    expect(body.models[0].trainingImages[0].thumbnail).toMatch(/^\/inspector\/images\/m\/i1\?revision=\d+$/)
    expect(body.pendingFaults).toBe(0)
    expect(body.faultCounts).toEqual({})
    const thumb = await get(body.models[0].trainingImages[0].thumbnail)
    expect(thumb.status).toBe(200)
    expect(thumb.bytes).toEqual(PNG)
    expect(thumb.headers["content-type"]).toBe("image/png")
    expect(thumb.headers["cache-control"]).toBe("private, max-age=3600")
    expect(thumb.headers["content-security-policy"]).toBe("default-src 'none'; sandbox")
    expect(thumb.headers["x-content-type-options"]).toBe("nosniff")
    for (
      const path of [
        "/inspector/images/m/i2",
        "/inspector/images/m/none",
        "/inspector/images/x/i1",
        "/inspector/images/%E0%A4%A/i1",
        "/inspector/images/m/%E0%A4%A"
      ]
    ) {
      const none = await get(path)
      expect([none.status, json(none)], path).toEqual([404, { message: "No inline image here" }])
    }
    expect((await get("/inspector/images/m/i1", {}, "POST")).status).toBe(404)
    for (const path of ["/inspector/images/m/i1/x", "/inspector/x/inspector/images/m/i1", "/inspector/images/m"]) {
      expect([(await get(path)).status, path]).toEqual([404, path])
    }
    for (const path of ["/inspector/api/resets", "/inspector/api/reset/x", "/inspector/x/inspector/api/reset"]) {
      const reply = await post(path, "{}")
      expect([reply.status, json(reply), path]).toEqual([404, { message: "Not Found" }, path])
    }
    expect((await get("/inspector/api/state", {}, "POST")).status).toBe(404)
    const postEvents = await get("/inspector/api/events", {}, "POST")
    expect([postEvents.status, json(postEvents)]).toEqual([404, { message: "Not Found" }])
    await http(running.url, "/v1/models/m", { headers: { authorization: basic } })
    const after = json(await get("/inspector/api/state")) as any
    expect(after.version).toBeGreaterThan(body.version)
    expect(after.requests.map((r: any) => r.status)).toEqual([200])
    running.control.failNext(1, FaultKind.answerOf("503")!, "list")
    await http(running.url, "/v1/models/m", { headers: { authorization: basic } })
    running.control.failNext(3, FaultKind.answerOf("503")!, "add")
    const counted = json(await get("/inspector/api/state")) as any
    expect([counted.faultCounts, counted.pendingFaults]).toEqual([{ "503": 1 }, 3])
  })

  it("its event stream: a retry, the version, a change; one stream at most; a freed place taken again", async () => {
    const stream = (signal: AbortSignal) =>
      new Promise<{ response: Http.IncomingMessage; next: () => Promise<string> }>((resolve, reject) => {
        const request = Http.get(`${origin}/inspector/api/events`, { signal }, (response) => {
          const queue: Array<string> = []
          let wake: (() => void) | undefined
          response.setEncoding("utf8")
          response.on("data", (chunk: string) => {
            queue.push(chunk)
            wake?.()
          })
          const next = async (): Promise<string> => {
            while (queue.length === 0) await new Promise<void>((w) => (wake = w))
            return queue.shift()!
          }
          resolve({ response, next })
        })
        request.on("error", reject)
      })
    const first = new AbortController()
    const { response, next } = await stream(first.signal)
    expect(response.statusCode).toBe(200)
    expect(response.headers["content-type"]).toBe("text/event-stream")
    expect(response.headers["cache-control"]).toBe("no-store")
    expect(response.headers["x-accel-buffering"]).toBe("no")
    expect(response.headers["x-frame-options"]).toBe("DENY")
    let text = ""
    while (!/data: \d+\n\n$/.test(text)) text += await next()
    const version = Number(/data: (\d+)/.exec(text)![1])
    expect(text).toBe(`retry: 1000\n\nevent: change\ndata: ${version}\n\n`)
    const busy = await get("/inspector/api/events")
    expect([busy.status, json(busy)]).toEqual([503, {
      message: "Too many open event streams (1, maxEventStreams): poll GET /inspector/api/state instead"
    }])
    running.control.setListLag(0)
    let change = ""
    while (!change.endsWith("\n\n")) change += await next()
    expect(change).toMatch(/^event: change\ndata: (\d+)\n\n$/)
    expect(Number(/data: (\d+)/.exec(change)![1])).toBeGreaterThan(version)
    first.abort()
    response.destroy()
    let again: Awaited<ReturnType<typeof stream>> | undefined
    const second = new AbortController()
    while (again === undefined) {
      const tried = await stream(second.signal)
      if (tried.response.statusCode === 200) again = tried
      else tried.response.resume()
    }
    expect(again.response.statusCode).toBe(200)
    second.abort()
  })

  it("its control requests: POST only, same origin only, bodies bounded, each call applied", async () => {
    running.control.reset()
    const wrongMethod = await get("/inspector/api/reset")
    expect([wrongMethod.status, json(wrongMethod), wrongMethod.headers.allow]).toEqual([405, {
      message: "Method Not Allowed"
    }, "POST"])
    const cross = await post("/inspector/api/reset", "{}", { origin: "http://evil.example" })
    expect([cross.status, json(cross)]).toEqual([403, {
      message: "Control requests must be JSON from the inspector's own origin"
    }])
    const big = JSON.stringify({ m: { trainingImages: [{ assetId: "a".repeat(300) }] } })
    const seedTooLarge = await post("/inspector/api/seed", big)
    expect([seedTooLarge.status, json(seedTooLarge)]).toEqual([413, {
      message: "The seed is over 256 bytes (maxSeedBytes): seed fewer models or images, or from code"
    }])
    const failTooLarge = await post("/inspector/api/fail-next", big)
    expect(json(failTooLarge)).toEqual({
      message: "The request body is over 256 bytes (maxSeedBytes): seed fewer models or images, or from code"
    })
    const refused = await post("/inspector/api/fail-next", "{}")
    expect(refused.status).toBe(400)
    expect(json(refused)).toHaveProperty("message")
    const failNext = await post("/inspector/api/fail-next", JSON.stringify({ count: 2, kind: "503" }))
    expect([failNext.status, json(failNext)]).toEqual([200, { ok: true, pendingFaults: 2 }])
    expect(failNext.headers["cache-control"]).toBe("no-store")
    const badSeed = await post("/inspector/api/seed", JSON.stringify({ m: { status: "nope" } }))
    expect(badSeed.status).toBe(400)
    expect((json(badSeed) as { message: string }).message).toMatch(/^Invalid seed: /)
    const seeded = await post("/inspector/api/seed", JSON.stringify({ n: {} }))
    expect([seeded.status, json(seeded)]).toEqual([200, { ok: true, pendingFaults: 2 }])
    expect(running.control.model("n")).toBeDefined()
    const reset = await post("/inspector/api/reset", "")
    expect([reset.status, json(reset)]).toEqual([200, { ok: true, pendingFaults: 0 }])
    expect(running.control.model("n")).toBeUndefined()
  })

  it("a failure of its own handling is answered 500 and reported", async () => {
    const errors: Array<unknown> = []
    const other = await Server.start({
      ...credentials,
      kindOf: () => "x",
      answerOf: () => ({ _tag: "Drop", afterApply: false }),
      controlCall: (action) => {
        if (action === "seed") return { _tag: "Seed", models: { m: { status: "nope" } } as never }
        if (action === "fail-next") {
          // A seed that fails otherwise than as an invalid seed: a failure of the emulator's, not a 400.
          return {
            _tag: "Seed",
            models: {
              get m(): never {
                throw new Error("seed unreadable")
              }
            } as never
          }
        }
        throw new Error("control failed")
      },
      onError: (error) => errors.push(error)
    })
    try {
      const o = other.inspectorUrl!.slice(0, -1)
      const reply = await http(o, "/inspector/api/reset", {
        method: "POST",
        headers: { origin: o, "content-type": "application/json" },
        body: "{}"
      })
      expect([reply.status, json(reply)]).toEqual([500, { message: "The emulator failed to handle the request" }])
      expect(errors).toEqual([new Error("control failed")])
      const seed = await http(o, "/inspector/api/seed", {
        method: "POST",
        headers: { origin: o, "content-type": "application/json" },
        body: "{}"
      })
      expect(seed.status).toBe(400)
      const unreadable = await http(o, "/inspector/api/fail-next", {
        method: "POST",
        headers: { origin: o, "content-type": "application/json" },
        body: "{}"
      })
      expect([unreadable.status, json(unreadable)]).toEqual([500, {
        message: "The emulator failed to handle the request"
      }])
      expect(errors).toEqual([new Error("control failed"), new Error("seed unreadable")])
    } finally {
      await other.close()
    }
  })
})

describe("the download origin", () => {
  let running: Server.Running<Server.Answer>
  let id: string
  beforeAll(async () => {
    running = await Server.start({ ...credentials, models: { m: { trainingImages: [{ id: "i1", data: PNG_DATA }] } } })
    id = "i1"
  })
  afterAll(() => running.close())
  const at = (path: string, init: Parameters<typeof http>[2] = {}) => http(running.downloadUrl, path, init)

  it("serves GET and HEAD, refuses other methods, and records every request with its headers", async () => {
    running.control.reset()
    const got = await at(`/assets/${id}?x=1`, { headers: { "X-Twice": "a" } })
    expect([got.status, got.headers["content-type"]]).toEqual([200, "image/png"])
    expect(got.bytes).toEqual(PNG)
    expect(got.headers["content-length"]).toBe(String(PNG.length))
    expect(got.headers["cache-control"]).toBe("no-store")
    expect(got.headers["x-content-type-options"]).toBe("nosniff")
    const head = await at(`/assets/${id}`, { method: "HEAD" })
    expect([head.status, head.text, head.headers["content-length"]]).toEqual([200, "", String(PNG.length)])
    const post = await at(`/assets/${id}`, { method: "POST" })
    expect([post.status, post.text, post.headers.allow]).toEqual([405, "Method Not Allowed", "GET, HEAD"])
    expect(post.headers["content-type"]).toBe("text/plain")
    const twice = await new Promise<number>((resolve, reject) => {
      const request = Http.request(`${running.downloadUrl}/${id}`, (response) => {
        response.resume()
        resolve(response.statusCode!)
      })
      request.setHeader("X-Twice", ["a", "b"])
      request.on("error", reject)
      request.end()
    })
    expect(twice).toBe(200)
    const recorded = running.control.downloads()
    expect(recorded.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", `/assets/${id}?x=1`, 200],
      ["HEAD", `/assets/${id}`, 200],
      ["POST", `/assets/${id}`, 405],
      ["GET", `/assets/${id}`, 200]
    ])
    expect(recorded[0]!.headers["x-twice"]).toBe("a")
    expect(recorded[3]!.headers["x-twice"]).toBe("a, b")
    expect(Object.keys(recorded[0]!.headers)).toContain("host")
    ;(recorded as Array<unknown>).length = 0
    expect(running.control.downloads()).toHaveLength(4)
  })

  it("answers 404 for what is not a stored image's path", async () => {
    for (
      const path of [
        "/assets/",
        "/assets/none",
        "/assets/i1/x",
        "/assets/a%2Fb",
        "/assets/%E0%A4%A",
        `/other/${id}`,
        `/x/assets/${id}`
      ]
    ) {
      const reply = await at(path)
      expect([reply.status, reply.text, reply.headers["content-type"]], path).toEqual([404, "Not Found", "text/plain"])
    }
    expect((await at(`/assets/${encodeURIComponent(id)}`)).status).toBe(200)
  })

  it("fails the next downloads as told, whole ones only, and reset ends the failing", async () => {
    running.control.failNextDownloads(1.9)
    const failed = await at(`/assets/${id}`)
    expect([failed.status, failed.text, failed.headers["content-type"]]).toEqual([
      503,
      "Service Unavailable",
      "text/plain"
    ])
    expect((await at(`/assets/${id}`)).status).toBe(200)
    running.control.failNextDownloads(-3)
    expect((await at(`/assets/${id}`)).status).toBe(200)
    running.control.failNextDownloads(2)
    running.control.reset()
    expect(running.control.downloads()).toEqual([])
    expect((await at(`/assets/${id}`)).status).toBe(200)
    expect((await at(`/assets/${id}`, { method: "PUT" })).status).toBe(405)
  })

  it("has recorded nothing when it starts, and serves an id holding a slash at its URL, one segment", async () => {
    const own = await Server.start({
      ...credentials,
      models: { m: { trainingImages: [{ id: "a/b", data: PNG_DATA }, { id: "a", data: PNG_DATA }] } }
    })
    try {
      expect(own.control.downloads()).toEqual([])
      const url = own.control.model("m")!.trainingImages.find((image) => image.id === "a/b")!.downloadUrl
      expect(url).toBe(`${own.downloadUrl}/a%2Fb`)
      const got = await http(url, new URL(url).pathname)
      expect([got.status, got.headers["content-type"]]).toEqual([200, "image/png"])
      expect(got.bytes).toEqual(PNG)
      for (const path of ["/assets/a/b", "/assets/a/", "/assets/"]) {
        const reply = await http(own.downloadUrl, path)
        expect([reply.status, reply.text], path).toEqual([404, "Not Found"])
      }
      expect(own.control.downloads().map((r) => [r.path, r.status])).toEqual([
        ["/assets/a%2Fb", 200],
        ["/assets/a/b", 404],
        ["/assets/a/", 404],
        ["/assets/", 404]
      ])
    } finally {
      await own.close()
    }
  })
})

describe("its defaults and bounds", () => {
  it("bodies up to 10 MiB, control bodies up to 1 MiB, 100 event streams, the seed's image limit", async () => {
    const running = await Server.start({ ...credentials, models: { m: {} } })
    const host = `127.0.0.1:${running.port}`
    try {
      const api = await raw(
        running.url,
        `POST /v1/models/m/training-images HTTP/1.1\r\nhost: ${host}\r\nauthorization: ${basic}\r\ncontent-length: 10485761`
      )
      expect(api).toMatch(/^HTTP\/1\.1 413 /)
      expect(api).toContain("{\"message\":\"Request Too Long\"}")
      const origin = `http://${host}`
      const seed = await raw(
        running.url,
        `POST /inspector/api/seed HTTP/1.1\r\nhost: ${host}\r\norigin: ${origin}\r\ncontent-type: application/json\r\ncontent-length: 1048577`
      )
      expect(seed).toContain("The seed is over 1048576 bytes (maxSeedBytes)")
      const fits = await raw(
        running.url,
        `POST /inspector/api/seed HTTP/1.1\r\nhost: ${host}\r\norigin: ${origin}\r\ncontent-type: application/json\r\ncontent-length: 2`,
        "{}"
      )
      expect(fits).toMatch(/^HTTP\/1\.1 200 /)
      const images = Array.from({ length: Seed.DEFAULT_MAX_IMAGES + 1 }, (_, i) => ({ assetId: `a${i}` }))
      expect(() => running.control.seed({ m: { trainingImages: images } })).toThrow(Server.SeedError)
      expect(() => running.control.seed({ m: { trainingImages: images.slice(1) } })).not.toThrow()
      const streams: Array<Http.ClientRequest> = []
      const open = () =>
        new Promise<number>((resolve, reject) => {
          const request = Http.get(`${origin}/inspector/api/events`, { agent: false }, (response) => {
            resolve(response.statusCode!)
            if (response.statusCode !== 200) response.resume()
          })
          request.on("error", reject)
          streams.push(request)
        })
      const statuses: Array<number> = []
      for (let i = 0; i < 101; i++) statuses.push(await open())
      expect(statuses.filter((status) => status === 200)).toHaveLength(100)
      expect(statuses[100]).toBe(503)
      for (const stream of streams) stream.destroy()
    } finally {
      await running.close()
    }
    const small = await Server.start({ ...credentials, maxSeedImages: 1 })
    try {
      expect(() => small.control.seed({ m: { trainingImages: [{ assetId: "a" }, { assetId: "b" }] } })).toThrow(
        Server.SeedError
      )
    } finally {
      await small.close()
    }
  })

  it("lists an added image only after the list lag it is given", async () => {
    const running = await Server.start({ ...credentials, models: { m: {} }, listLagMillis: 3_600_000 })
    try {
      const list = async () =>
        (json(await http(running.url, "/v1/models/m", { headers: { authorization: basic } })) as any).model
          .trainingImages.length
      await http(running.url, "/v1/models/m/training-images", {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/json" },
        body: "{\"assetId\":\"a\"}"
      })
      expect(await list()).toBe(0)
      running.control.setListLag(0)
      expect(await list()).toBe(1)
    } finally {
      await running.close()
    }
  })

  it("a client that leaves mid-body takes no fault and applies no control call", async () => {
    const running = await Server.start({ ...credentials, models: { m: {} } })
    const host = `127.0.0.1:${running.port}`
    try {
      running.control.failNext(1, FaultKind.answerOf("503")!, "add")
      await raw(
        running.url,
        `POST /v1/models/m/training-images HTTP/1.1\r\nhost: ${host}\r\nauthorization: ${basic}\r\ncontent-length: 100`,
        "{\"assetId\"",
        true
      )
      await until(() => running.control.requests().length === 1)
      expect(running.control.requests()[0]).toMatchObject({ status: undefined, operation: "add" })
      const next = await http(running.url, "/v1/models/m/training-images", {
        method: "POST",
        headers: { authorization: basic, "content-type": "application/json" },
        body: "{\"assetId\":\"a\"}"
      })
      expect(next.status).toBe(503)
      running.control.seed({ n: {} })
      await raw(
        running.url,
        `POST /inspector/api/reset HTTP/1.1\r\nhost: ${host}\r\norigin: http://${host}\r\ncontent-type: application/json\r\ncontent-length: 100`,
        "{",
        true
      )
      expect((await http(running.url, "/inspector/api/state")).status).toBe(200)
      expect(running.control.model("n")).toBeDefined()
    } finally {
      await running.close()
    }
  })

  it("measures each request's time to a tenth, from its arrival to its answer", async () => {
    const running = await Server.start({
      ...credentials,
      models: { "mé": { trainingImages: [{ name: "ünï" }] } }
    })
    try {
      running.control.failNext(1, { _tag: "Delay", millis: 30, afterApply: false }, "list")
      const started = performance.now()
      const listed = await http(running.url, "/v1/models/m%C3%A9", { headers: { authorization: basic } })
      const elapsed = performance.now() - started
      // Text beyond ASCII, its length counted in bytes.
      expect((json(listed) as any).model.trainingImages[0].name).toBe("ünï")
      const duration = running.control.requests()[0]!.durationMillis
      expect(duration).toBeGreaterThanOrEqual(25)
      expect(duration).toBeLessThanOrEqual(Math.ceil(elapsed * 10) / 10 + 0.1)
      expect(Number.isInteger(Math.round(duration * 10 * 1e6) / 1e6)).toBe(true)
      expect(running.control.requests()[0]!.modelId).toBe("mé")
    } finally {
      await running.close()
    }
  })
})

describe("the event stream's heartbeat", () => {
  it("sends a keep-alive comment when nothing changed since the last event", async () => {
    const running = await Server.start({ ...credentials })
    const origin = running.inspectorUrl!.slice(0, -1)
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] })
    const client = new AbortController()
    try {
      let text = ""
      let wake: (() => void) | undefined
      await new Promise<void>((resolve, reject) => {
        const request = Http.get(
          `${origin}/inspector/api/events`,
          { signal: client.signal, agent: false },
          (response) => {
            response.setEncoding("utf8")
            response.on("data", (chunk: string) => {
              text += chunk
              wake?.()
            })
            resolve()
          }
        )
        request.on("error", reject)
      })
      const waitFor = async (pattern: RegExp) => {
        while (!pattern.test(text)) await new Promise<void>((w) => (wake = w))
      }
      await waitFor(/data: \d+\n\n$/)
      const first = text
      vi.advanceTimersByTime(15_000)
      await waitFor(/keep-alive/)
      expect(text).toBe(`${first}: keep-alive\n\n`)
    } finally {
      client.abort()
      vi.useRealTimers()
      await running.close()
    }
  })
})

describe("the event stream's first event", () => {
  it("is the current version as a change, one change after the start as well", async () => {
    const running = await Server.start({ ...credentials })
    const origin = running.inspectorUrl!.slice(0, -1)
    const client = new AbortController()
    try {
      running.control.setListLag(0)
      let text = ""
      await new Promise<void>((resolve, reject) => {
        const request = Http.get(
          `${origin}/inspector/api/events`,
          { signal: client.signal, agent: false },
          (response) => {
            response.setEncoding("utf8")
            response.on("data", (chunk: string) => {
              text += chunk
              if (/data: \d+\n\n$/.test(text)) resolve()
            })
          }
        )
        request.on("error", reject)
      })
      expect(text).toBe("retry: 1000\n\nevent: change\ndata: 1\n\n")
    } finally {
      client.abort()
      await running.close()
    }
  })
})

describe("a failure with no onError", () => {
  it("is still answered 500, and logged", async () => {
    const running = await Server.start({
      ...credentials,
      models: { m: {} },
      validators: {
        ...Server.defaultValidators,
        list: () => {
          throw new Error("boom")
        }
      },
      kindOf: FaultKind.kindOf,
      answerOf: (fault: Server.Answer) => fault,
      controlCall: () => {
        throw new Error("control failed")
      }
    })
    try {
      const listed = await http(running.url, "/v1/models/m", { headers: { authorization: basic } })
      expect(listed.status).toBe(500)
      expect(running.control.requests().map((r) => r.status)).toEqual([500])
      const origin = running.inspectorUrl!.slice(0, -1)
      const control = await http(origin, "/inspector/api/reset", {
        method: "POST",
        headers: { origin, "content-type": "application/json" },
        body: "{}"
      })
      expect([control.status, json(control)]).toEqual([500, { message: "The emulator failed to handle the request" }])
    } finally {
      await running.close()
    }
  })
})

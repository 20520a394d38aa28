/**
 * The `ScenarioEmulator` suite of both lines, as plain data: each script is a test, a list of steps run in
 * order against an emulator (the suite's shared one, reset first, or one of the script's own) with the
 * line's HTTP client over undici, each step with what must follow. The runners, one per line, interpret the
 * steps with their own line's API: `packages/testing/test/ScenarioEmulator.test.ts` (Effect 3) and
 * `packages/effect4/test/testing/ScenarioEmulator.test.ts` (Effect 4). A test that only one line has stays in
 * that line's runner.
 */
import { type ErrorFacts, errorFacts, type FaultSpec, type Operation, type Seed } from "./cases.js"

export const MODEL = "model_1"
export const HOSTILE_MODEL = "a/b?c#d %é;x&y=z+é"
const HOSTILE_IMAGE = "img/1?#%"
export const SECRET = "s3cret-never-logged"
const LONG_ID = "x".repeat(500)

/** The options of an emulator, as data (the fields of `ScenarioEmulator.make`'s options used here). */
export interface EmulatorConfig {
  readonly apiKey?: string
  readonly apiSecret?: string
  readonly bearerToken?: string
  readonly models: Seed
  readonly maxBodySize?: number
}

/** The suite's shared emulator: every script without an emulator of its own runs on it, reset first. */
export const SHARED: EmulatorConfig = {
  apiKey: "key-1",
  apiSecret: SECRET,
  bearerToken: "token-1",
  models: { [MODEL]: {}, [HOSTILE_MODEL]: { trainingImages: [{ id: HOSTILE_IMAGE }] } }
}

/**
 * The credentials of a call's client: `layer`, the client of `ScenarioEmulator.layerTrainingImages` (Basic,
 * `RetryPolicy.none`); `bearer`, the emulator's bearer credentials; otherwise the ones given.
 */
export type ClientCredentials =
  | "layer"
  | "bearer"
  | { readonly basic: readonly [key: string, secret: string] }
  | { readonly bearer: string }

/**
 * A call's retry policy: `RetryPolicy.make` with this delay as initial and maximum, no jitter. Absent: the
 * client's own (`RetryPolicy.none`).
 */
export interface Backoff {
  readonly delayMs: number
}

/**
 * The Authorization header of a raw request: `basic`, the emulator's Basic credentials; `none`, no header;
 * otherwise the header as given.
 */
export type RawAuthorization = "basic" | "none" | { readonly header: string }

/** `{port}` and `{port+1}` in a host name or an expected message stand for the emulator's port and the next. */
export const atPort = (text: string, port: number): string =>
  text.replaceAll("{port+1}", String(port + 1)).replaceAll("{port}", String(port))

/** The fields of a recorded request a `Requests` step compares. */
export type RequestField = "method" | "operation" | "status" | "query" | "path" | "authenticated" | "fault"

export type Step =
  /** A call of the line's client; its value's fields (matched as a subset) or its error's facts. */
  | {
    readonly _tag: "Call"
    readonly credentials?: ClientCredentials
    readonly operation: Operation
    readonly params: unknown
    readonly backoff?: Backoff
    readonly timeoutMs?: number
    readonly expect:
      | { readonly ok: unknown }
      | { readonly error: ErrorFacts; readonly headers?: Readonly<Record<string, string>> }
  }
  /** A request sent as written (`send` of test-support's `rawRequest`): its status, and its body in full or in part. */
  | {
    readonly _tag: "Raw"
    readonly method: string
    readonly path: string
    readonly body?: string
    readonly authorization?: RawAuthorization
    /** The Host header (see `atPort`). */
    readonly host?: string
    readonly chunked?: boolean
    readonly status: number
    /** The body, parsed as JSON, in full; a string value's `{port}` stands for the port. */
    readonly answer?: unknown
    /** The body, parsed as JSON, matched as a subset. */
    readonly answerMatches?: unknown
  }
  | { readonly _tag: "Fault"; readonly count: number; readonly fault: FaultSpec }
  | { readonly _tag: "Seed"; readonly seed: Seed }
  /**
   * The request log, each request as its `fields` in order (`slice`: only those); `eventually`, polled
   * until it holds as many requests (the emulator logs a request when it answers or drops it, and a client
   * that gave up may see its error first).
   */
  | {
    readonly _tag: "Requests"
    readonly fields: ReadonlyArray<RequestField>
    readonly expect: ReadonlyArray<ReadonlyArray<unknown>>
    readonly slice?: number
    readonly eventually?: boolean
  }
  | { readonly _tag: "RequestCount"; readonly count: number }
  /** The model in the snapshot: its images as `[id, name]`, their names, or how many. */
  | {
    readonly _tag: "Stored"
    readonly model: string
    readonly images?: ReadonlyArray<readonly [id: string, name: string]>
    readonly names?: ReadonlyArray<string>
    readonly count?: number
  }
  | { readonly _tag: "FaultCounts"; readonly expect: Readonly<Record<string, number>> }
  /** The request log, as JSON, holds none of these, nor the Basic header the raw requests sent. */
  | { readonly _tag: "NoSecretLogged"; readonly secrets: ReadonlyArray<string> }
  /** Every raw answer so far had an x-request-id of its own, and the log holds the same ids in order. */
  | { readonly _tag: "RequestIds" }
  /** The emulator's base URL matches this pattern. */
  | { readonly _tag: "BaseUrl"; readonly pattern: string }
  /**
   * Random faults on `list` with a seed, then `lists` lists and one `add` with none, twice from a reset: the
   * same faults follow, some but not all of the lists meet one, and the counts per kind match the log.
   */
  | { readonly _tag: "RandomFaults"; readonly faults: RandomFaults; readonly lists: number }

/** `setFaults`'s argument, as data. */
export interface RandomFaults {
  readonly rate: number
  readonly seed: number
  readonly faults: ReadonlyArray<FaultSpec>
  readonly operations: ReadonlyArray<Operation>
}

export interface Script {
  readonly name: string
  /** An emulator of the script's own, closed after it; absent: the suite's shared one, reset. */
  readonly emulator?: EmulatorConfig
  readonly steps: ReadonlyArray<Step>
}

const call = (
  operation: Operation,
  params: unknown,
  expect: Extract<Step, { _tag: "Call" }>["expect"],
  more?: { readonly credentials?: ClientCredentials; readonly backoff?: Backoff; readonly timeoutMs?: number }
): Step => ({ _tag: "Call", operation, params, expect, ...more })

const raw = (
  method: string,
  path: string,
  status: number,
  more?: Omit<Extract<Step, { _tag: "Raw" }>, "_tag" | "method" | "path" | "status">
): Step => ({ _tag: "Raw", method, path, status, authorization: "basic", ...more })

const stored = (model: string, facts: Omit<Extract<Step, { _tag: "Stored" }>, "_tag" | "model">): Step => ({
  _tag: "Stored",
  model,
  ...facts
})

const requests = (
  fields: ReadonlyArray<RequestField>,
  expect: ReadonlyArray<ReadonlyArray<unknown>>,
  more?: { readonly slice?: number; readonly eventually?: boolean }
): Step => ({ _tag: "Requests", fields, expect, ...more })

const fault = (spec: FaultSpec): Step => ({ _tag: "Fault", count: 1, fault: spec })

const IMAGES = `/v1/models/${MODEL}/training-images`
const UNAUTHORIZED = { _tag: "AuthenticationError", status: 401, body: { message: "Unauthorized" } }
const FIRST_ID = "asset_test_000001"
const SECOND_ID = "asset_test_000002"
/** An hour between attempts: were a Retry-After ignored, the retry would wait that long and the test time out. */
const PATIENT: Backoff = { delayMs: 3_600_000 }

export const scripts: ReadonlyArray<Script> = [
  {
    name: "serves the API to core's client over a real connection",
    steps: [
      { _tag: "BaseUrl", pattern: "^http://127\\.0\\.0\\.1:\\d+/v1$" },
      call("add", { modelId: MODEL, assetIds: ["asset_a", "asset_b"] }, { ok: { id: FIRST_ID } }),
      call("replacePairs", {
        modelId: MODEL,
        pairs: [{ sourceId: FIRST_ID, targetId: SECOND_ID, instruction: "flip" }]
      }, { ok: { count: 1 } }),
      call("replace", {
        modelId: MODEL,
        trainingImageId: FIRST_ID,
        data: "data:image/png;base64,AAAA",
        name: "x.png"
      }, { ok: { id: FIRST_ID } }),
      call("delete", { modelId: MODEL, trainingImageId: SECOND_ID, projectId: "project 1" }, { ok: null }),
      call("list", { modelId: MODEL, originalAssets: false }, {
        ok: { trainingImages: [{ id: FIRST_ID, name: "x.png" }], trainingImagePairs: [] }
      }),
      stored(MODEL, { images: [[FIRST_ID, "x.png"]] }),
      requests(["method", "operation", "status", "query"], [
        ["POST", "add", 200, ""],
        ["PUT", "replacePairs", 200, ""],
        ["PUT", "replace", 200, ""],
        ["DELETE", "delete", 200, "projectId=project+1"],
        ["GET", "list", 200, "originalAssets=false"]
      ])
    ]
  },
  {
    name: "accepts Basic and Bearer credentials, answers 401 to anything else",
    steps: [
      call("list", { modelId: MODEL }, { ok: { modelId: MODEL } }, { credentials: "bearer" }),
      call("list", { modelId: MODEL }, { ok: { modelId: MODEL } }),
      call("add", { modelId: MODEL, assetId: "asset_a" }, { error: UNAUTHORIZED }, {
        credentials: { basic: ["key-1", "wrong"] }
      }),
      call("add", { modelId: MODEL, assetId: "asset_a" }, { error: UNAUTHORIZED }, {
        credentials: { basic: ["other", SECRET] }
      }),
      call("add", { modelId: MODEL, assetId: "asset_a" }, { error: UNAUTHORIZED }, {
        credentials: { bearer: "token-2" }
      }),
      raw("GET", `/v1/models/${MODEL}`, 401, { authorization: "none", answer: { message: "Unauthorized" } }),
      raw("GET", `/v1/models/${MODEL}`, 401, { authorization: { header: "Basic %%%" } }),
      requests(["authenticated", "status", "operation"], [
        [true, 200, "list"],
        [true, 200, "list"],
        [false, 401, undefined],
        [false, 401, undefined],
        [false, 401, undefined],
        [false, 401, undefined],
        [false, 401, undefined]
      ]),
      stored(MODEL, { images: [] }),
      // The log holds no credential, in any form.
      { _tag: "NoSecretLogged", secrets: [SECRET, "token-1"] }
    ]
  },
  {
    name: "records the raw path as received and stores the decoded ids",
    steps: [
      call("add", { modelId: HOSTILE_MODEL, assetId: "asset_a" }, { ok: { id: FIRST_ID, name: "asset_a" } }),
      call("replace", { modelId: HOSTILE_MODEL, trainingImageId: HOSTILE_IMAGE, assetId: "asset_b" }, {
        ok: { id: HOSTILE_IMAGE }
      }),
      { _tag: "Seed", seed: { [LONG_ID]: {} } },
      call("list", { modelId: LONG_ID }, { ok: { modelId: LONG_ID } }),
      // Sent verbatim: an encoding the client would not choose, and which must not be normalised in the log.
      raw("GET", "/v1/models/%6Dodel_1", 200),
      // Neither dot segments nor doubled slashes are resolved: such paths match no route.
      raw("GET", `/v1/models/x/../${MODEL}`, 404),
      raw("GET", `/v1//models/${MODEL}`, 404),
      requests(["path"], [
        [`/v1/models/${encodeURIComponent(HOSTILE_MODEL)}/training-images`],
        [`/v1/models/${encodeURIComponent(HOSTILE_MODEL)}/training-images/${encodeURIComponent(HOSTILE_IMAGE)}`],
        [`/v1/models/${LONG_ID}`],
        ["/v1/models/%6Dodel_1"],
        [`/v1/models/x/../${MODEL}`],
        [`/v1//models/${MODEL}`]
      ]),
      stored(HOSTILE_MODEL, { images: [[HOSTILE_IMAGE, "asset_b"], [FIRST_ID, "asset_a"]] })
    ]
  },
  {
    name: "answers loopback host names only, as the inspector does: a rebound name is refused 403",
    steps: [
      // A page on evil.example whose name now resolves to 127.0.0.1 (DNS rebinding), with the credentials a
      // user of the defaults would have: neither a read nor a write reaches the store.
      raw("GET", `/v1/models/${MODEL}`, 403, {
        host: "evil.example:{port}",
        answer: {
          message: "The emulator listens on loopback and answers loopback host names only " +
            "(localhost, 127.x.x.x, [::1]), not evil.example:{port}"
        }
      }),
      raw("POST", IMAGES, 403, { body: JSON.stringify({ assetId: "asset_rebound" }), host: "evil.example" }),
      stored(MODEL, { images: [] }),
      // Loopback names, with this port or none, are served; another port is not this server.
      ...["localhost:{port}", "LOCALHOST", "127.0.0.2:{port}", "[::1]:{port}", "127.0.0.1"].map((host) =>
        raw("GET", `/v1/models/${MODEL}`, 200, { host })
      ),
      ...["localhost:{port+1}", "127.0.0.1.evil.example", "localhost.evil.example", "256.0.0.1"].map((host) =>
        raw("GET", `/v1/models/${MODEL}`, 403, { host })
      ),
      // Logged as refused, before authentication.
      requests(["method", "status", "authenticated"], [["GET", 403, false], ["POST", 403, false]], { slice: 2 })
    ]
  },
  {
    name: "validates requests on the server side and tags every response with x-request-id",
    steps: [
      raw("POST", IMAGES, 400, { body: "{not json", answer: { message: "Invalid JSON body" } }),
      raw("POST", IMAGES, 400, { body: JSON.stringify({ assetIds: ["a"], assetId: "b" }) }),
      raw("POST", IMAGES, 400, { body: JSON.stringify({ assetIds: Array.from({ length: 11 }, (_, i) => `a${i}`) }) }),
      raw("POST", `${IMAGES}?originalAssets=yes`, 400, { body: JSON.stringify({ assetId: "a" }) }),
      raw("PUT", `${IMAGES}/pairs`, 400, { body: JSON.stringify({ sourceId: "a" }) }),
      // As documented, data and name are ignored when assetId is given.
      raw("POST", IMAGES, 200, {
        body: JSON.stringify({ assetId: "asset_a", name: "ignored.png", extra: 1 }),
        answerMatches: { trainingImage: { name: "asset_a" } }
      }),
      raw("GET", "/v1/models/model_missing", 404, { answer: { message: "Model model_missing not found" } }),
      raw("DELETE", `${IMAGES}/asset_missing`, 404),
      raw("GET", "/v1/projects", 404, { answer: { message: "Not Found" } }),
      { _tag: "RequestIds" },
      stored(MODEL, { count: 1 })
    ]
  },
  {
    name: "a 429 reaches the client with its Retry-After; 500, 502 and 503 as InternalServerError",
    steps: [
      fault({ _tag: "Status", status: 429, retryAfterMs: 3000, retryAfterHeader: "retry-after" }),
      call("add", { modelId: MODEL, assetId: "asset_a" }, {
        error: { _tag: "RateLimitError", retryAfterMs: 3000 },
        headers: { "retry-after": "3" }
      }),
      ...[500, 502, 503].flatMap((status) => [
        fault({ _tag: "Status", status }),
        call("list", { modelId: MODEL }, { error: { _tag: "InternalServerError", status } })
      ]),
      { _tag: "FaultCounts", expect: { "429": 1, "500": 1, "502": 1, "503": 1 } },
      stored(MODEL, { images: [] })
    ]
  },
  {
    name: "Retry-After is honoured: a backoff of an hour is replaced by the one second asked for",
    steps: [
      fault({ _tag: "Status", status: 429, retryAfterMs: 1000, retryAfterHeader: "retry-after" }),
      call("add", { modelId: MODEL, assetId: "asset_a" }, { ok: { name: "asset_a" } }, { backoff: PATIENT }),
      requests(["status"], [[429], [200]]),
      // A wait beyond the policy's limit is not slept through: the error surfaces with it.
      fault({ _tag: "Status", status: 429, retryAfterMs: 120_000 }),
      call("list", { modelId: MODEL }, { error: { _tag: "RateLimitError", retryAfterMs: 120_000 } }, {
        backoff: PATIENT
      }),
      { _tag: "RequestCount", count: 3 }
    ]
  },
  {
    name: "a dropped connection is a ConnectionError; before apply nothing is stored, after apply it is",
    steps: [
      fault({ _tag: "Drop", afterApply: false }),
      call("add", { modelId: MODEL, assetId: "asset_a" }, {
        error: { _tag: "ConnectionError", mayHaveReachedServer: true }
      }),
      stored(MODEL, { images: [] }),
      fault({ _tag: "Drop", afterApply: true }),
      call("add", { modelId: MODEL, assetId: "asset_b" }, { error: { _tag: "ConnectionError" } }),
      stored(MODEL, { names: ["asset_b"] }),
      requests(["fault", "status"], [["drop-before-apply", undefined], ["drop-after-apply", undefined]]),
      // The connection pool recovers: the next request goes through.
      call("list", { modelId: MODEL }, { ok: { trainingImagesNumber: 1 } })
    ]
  },
  {
    name: "a delay beyond the call's timeout is a TimeoutError, and the emulator stops handling it",
    steps: [
      fault({ _tag: "Delay", ms: 60_000 }),
      call("add", { modelId: MODEL, assetId: "asset_a" }, {
        error: { _tag: "TimeoutError", mayHaveReachedServer: true }
      }, { timeoutMs: 200 }),
      requests(["fault", "status"], [["delay", undefined]], { eventually: true }),
      stored(MODEL, { images: [] }),
      { _tag: "FaultCounts", expect: { delay: 1 } }
    ]
  },
  {
    name: "random faults follow their seed and are counted per kind",
    steps: [{
      _tag: "RandomFaults",
      faults: {
        rate: 0.4,
        seed: 11,
        faults: [
          { _tag: "Status", status: 502 },
          { _tag: "Status", status: 429, retryAfterMs: 0 },
          { _tag: "Drop", afterApply: false }
        ],
        operations: ["list"]
      },
      lists: 30
    }]
  },
  {
    name: "a body over maxBodySize is refused with 413",
    emulator: { maxBodySize: 256, models: { [MODEL]: {} } },
    steps: [
      raw("POST", IMAGES, 200, { body: JSON.stringify({ data: "data:image/png;base64,AAAA", name: "x.png" }) }),
      raw("POST", IMAGES, 413, {
        body: JSON.stringify({ data: `data:image/png;base64,${"A".repeat(1024)}`, name: "x.png" })
      }),
      // Sent in chunks, with no length announced: read to its end and refused, not cut off.
      raw("POST", IMAGES, 413, {
        body: JSON.stringify({ data: `data:image/png;base64,${"A".repeat(100_000)}`, name: "x.png" }),
        chunked: true,
        answer: { message: "Request Too Long" }
      }),
      stored(MODEL, { count: 1 })
    ]
  }
]

/** A call's step, as the driver gets it. */
export type CallStep = Extract<Step, { _tag: "Call" }>
type RawStep = Extract<Step, { _tag: "Raw" }>

/** How a call ended: its value, or its error (whatever the line's error type). */
export type Ended = { readonly ok: unknown } | { readonly error: unknown }

/** A recorded request, as both lines' emulators log it (the fields compared here). */
export type Recorded = Readonly<Record<RequestField, unknown>> & {
  readonly requestId: string
  readonly fault?: string | undefined
}

/**
 * A defect in the emulator's `onRequest` hook: the answer the request gets, and the message the line's logger
 * gets at the error level, the defect in its cause. Never thrown.
 */
export const hookDefect = {
  models: { [MODEL]: {} },
  /** The defect the hook dies with; the logged cause names it. */
  defect: "onRequest broke",
  /** The request sent raw, with the emulator's Basic credentials. */
  request: { method: "GET", path: `/v1/models/${MODEL}` },
  status: 500,
  body: { message: "The emulator failed to handle the request" },
  logged: "ScenarioEmulator: a request failed"
} as const

/*
 * The hooks and controls the scripts do not reach, each test's inputs and expected values; the runners make
 * the calls with their line's client.
 */

/** Two emulators at once get ports of their own; a list sent to a closed one is refused before it is sent. */
export const closedEmulator = {
  models: { [MODEL]: {} },
  tag: "ConnectionError",
  mayHaveReachedServer: false
} as const

/** `onRequest` sees each request as the log records it, `[operation, status]`, before the client has its answer. */
export const onRequestSeen = {
  models: { [MODEL]: {} },
  added: "asset_a",
  afterAdd: [["add", 200]],
  missingModel: "model_missing",
  afterList: [["add", 200], ["list", 404]]
} as const

/**
 * `listLag`: an added image is off the list, not out of the snapshot; `setListLag(undefined)` lists it, and
 * `reset` brings the lag it started with back.
 */
export const listLagControls = {
  models: { [MODEL]: {} },
  lagMs: 3_600_000,
  added: "asset_a",
  listedLagging: [],
  stored: ["asset_a"],
  listedOff: ["asset_a"],
  addedAfterReset: "asset_b",
  listedAfterReset: []
} as const

/**
 * What a line's runner gives the interpreter: its emulator and client behind plain promises. `call` builds
 * the client the step names (its credentials, backoff and timeout) and runs the call with retries off unless
 * the step asks for a backoff; `millis` is the line's `Duration.toMillis`.
 */
export interface Driver {
  readonly baseUrl: string
  readonly port: number
  /** The Authorization header of the emulator's own Basic credentials. */
  readonly basic: string
  readonly call: (step: CallStep) => Promise<Ended>
  /** A raw step's request as sent: its Authorization header and Host resolved. */
  readonly raw: (
    request: Readonly<Partial<Pick<RawStep, "body" | "chunked">>> & Pick<RawStep, "method" | "path"> & {
      readonly authorization: string | undefined
      readonly host: string | undefined
    }
  ) => Promise<{ readonly status: number; readonly headers: Readonly<Record<string, unknown>>; readonly body: string }>
  readonly reset: () => Promise<void>
  readonly seed: (seed: Seed) => Promise<void>
  readonly failNext: (count: number, fault: FaultSpec) => Promise<void>
  readonly setFaults: (faults: RandomFaults | undefined) => Promise<void>
  readonly requests: () => Promise<ReadonlyArray<Recorded>>
  readonly model: (
    modelId: string
  ) => Promise<{ readonly trainingImages: ReadonlyArray<{ readonly id: string; readonly name: string }> } | undefined>
  readonly faultCounts: () => Promise<Readonly<Record<string, number>>>
  readonly millis: (duration: never) => number
}

/** A line's `ScenarioEmulator` control, as far as a driver uses it; its effects are the line's. */
export interface EmulatorControl {
  readonly baseUrl: string
  readonly host: string
  readonly port: number
  readonly reset: unknown
  readonly seed: (seed: never) => unknown
  readonly failNext: (count: number, fault: never) => unknown
  readonly setFaults: (faults: never) => unknown
  readonly requests: unknown
  readonly snapshot: unknown
  readonly faultCounts: unknown
}

/** What a line adds to its emulator's control to make a driver. */
export interface Line {
  /** The line's `Effect.runPromise`. */
  readonly run: (effect: never) => Promise<unknown>
  /** The line's `Fault` of a spec. */
  readonly toFault: (spec: FaultSpec) => unknown
  readonly call: Driver["call"]
  /** test-support's `rawRequest.send`. */
  readonly send: (server: EmulatorControl, request: Parameters<Driver["raw"]>[0]) => ReturnType<Driver["raw"]>
  readonly millis: Driver["millis"]
  /** The emulator's default Basic key and secret. */
  readonly defaults: readonly [key: string, secret: string]
}

/** The driver over a line's emulator (made with `config`). */
export const driverOf = (emulator: EmulatorControl, config: EmulatorConfig, line: Line): Driver => {
  const run = <A>(effect: unknown) => line.run(effect as never) as Promise<A>
  const key = config.apiKey ?? line.defaults[0]
  const secret = config.apiSecret ?? line.defaults[1]
  type Snapshot = { readonly models: Readonly<Record<string, Awaited<ReturnType<Driver["model"]>>>> }
  return {
    baseUrl: emulator.baseUrl,
    port: emulator.port,
    basic: `Basic ${btoa(`${key}:${secret}`)}`,
    call: line.call,
    raw: (request) => line.send(emulator, request),
    reset: () => run(emulator.reset),
    seed: (seed) => run(emulator.seed(seed as never)),
    failNext: (count, fault) => run(emulator.failNext(count, line.toFault(fault) as never)),
    setFaults: (faults) =>
      run(emulator.setFaults((faults && { ...faults, faults: faults.faults.map(line.toFault) }) as never)),
    requests: () => run(emulator.requests),
    model: async (modelId) => (await run<Snapshot>(emulator.snapshot)).models[modelId],
    faultCounts: () => run(emulator.faultCounts),
    millis: line.millis
  }
}

/** The runner's deep equality (vitest's `toEqual`, with the step named). */
export type Equal = (actual: unknown, expected: unknown, label: string) => void

/**
 * `actual` reduced to the shape of `expected`: objects to the keys `expected` names, arrays element by element
 * (their length kept), anything else as it is; a missing value stands as `null` where `null` is expected.
 */
export const subset = (actual: unknown, expected: unknown): unknown => {
  if (expected === null) return actual === undefined ? null : actual
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.map((item, i) => i < expected.length ? subset(item, expected[i]) : item)
  }
  if (typeof expected === "object" && typeof actual === "object" && actual !== null && !Array.isArray(actual)) {
    const object = actual as Record<string, unknown>
    return Object.fromEntries(
      Object.entries(expected).map(([key, value]) => [key, subset(object[key], value)])
    )
  }
  return actual
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const checkCall = async (step: CallStep, driver: Driver, equal: Equal, label: string) => {
  const ended = await driver.call(step)
  if ("ok" in step.expect) {
    equal("ok" in ended ? subset(ended.ok, step.expect.ok) : { error: ended.error }, step.expect.ok, label)
    return
  }
  if ("ok" in ended) return equal({ ok: ended.ok }, step.expect, label)
  const e = ended.error as Record<string, unknown>
  equal(errorFacts(ended.error, step.expect.error, driver.millis), step.expect.error, label)
  if (step.expect.headers !== undefined) equal(subset(e.headers, step.expect.headers), step.expect.headers, label)
}

const checkRaw = async (step: RawStep, driver: Driver, equal: Equal, label: string, ids: Array<unknown>) => {
  const authorization = step.authorization === undefined || step.authorization === "basic"
    ? driver.basic
    : step.authorization === "none"
    ? undefined
    : step.authorization.header
  const answer = await driver.raw({
    method: step.method,
    path: step.path,
    ...(step.body === undefined ? {} : { body: step.body }),
    ...(step.chunked === undefined ? {} : { chunked: step.chunked }),
    authorization,
    host: step.host === undefined ? undefined : atPort(step.host, driver.port)
  })
  ids.push(answer.headers["x-request-id"])
  equal(answer.status, step.status, label)
  const expected = step.answer === undefined ? undefined : withPort(step.answer, driver.port)
  if (expected !== undefined) equal(JSON.parse(answer.body), expected, label)
  if (step.answerMatches !== undefined) {
    equal(subset(JSON.parse(answer.body), step.answerMatches), step.answerMatches, label)
  }
}

const withPort = (value: unknown, port: number): unknown =>
  typeof value === "string"
    ? atPort(value, port)
    : typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withPort(item, port)]))
    : value

const EVENTUALLY_MS = 5_000

/** The log, polled until it holds `count` requests (or `EVENTUALLY_MS` has passed: then as it is). */
const logOf = async (driver: Driver, count: number | undefined): Promise<ReadonlyArray<Recorded>> => {
  const until = Date.now() + EVENTUALLY_MS
  for (;;) {
    const log = await driver.requests()
    if (count === undefined || log.length === count || Date.now() > until) return log
    await sleep(10)
  }
}

const checkRandomFaults = async (
  step: Extract<Step, { _tag: "RandomFaults" }>,
  driver: Driver,
  equal: Equal,
  label: string
) => {
  const run = async () => {
    await driver.reset()
    await driver.setFaults(step.faults)
    const list: CallStep = { _tag: "Call", operation: "list", params: { modelId: MODEL }, expect: { ok: {} } }
    for (let i = 0; i < step.lists; i++) await driver.call(list)
    await driver.call({ ...list, operation: "add", params: { modelId: MODEL, assetId: "asset_a" } })
    await driver.setFaults(undefined)
    return { faults: (await driver.requests()).map((r) => r.fault), counts: await driver.faultCounts() }
  }
  const first = await run()
  equal(await run(), first, `${label}: the same faults again`)
  equal(first.faults.length, step.lists + 1, `${label}: every call logged`)
  equal(first.faults.at(-1), undefined, `${label}: no fault on add`)
  const injected = first.faults.filter((kind) => kind !== undefined)
  equal(injected.length > 0 && injected.length < step.lists, true, `${label}: some lists met a fault, not all`)
  equal(first.counts, countFaults(injected), `${label}: counted per kind`)
}

/** How many faults of each kind a log's requests met. */
const countFaults = (kinds: ReadonlyArray<string>): Record<string, number> => {
  const counted: Record<string, number> = {}
  for (const kind of kinds) counted[kind] = (counted[kind] ?? 0) + 1
  return counted
}

/** Runs a script's steps in order, comparing each with `equal`; the emulator is reset first. */
export const runScript = async (script: Script, driver: Driver, equal: Equal): Promise<void> => {
  await driver.reset()
  const ids: Array<unknown> = []
  for (const [index, step] of script.steps.entries()) {
    const label = `step ${index + 1} (${step._tag})`
    switch (step._tag) {
      case "Call":
        await checkCall(step, driver, equal, label)
        break
      case "Raw":
        await checkRaw(step, driver, equal, label, ids)
        break
      case "Fault":
        await driver.failNext(step.count, step.fault)
        break
      case "Seed":
        await driver.seed(step.seed)
        break
      case "Requests": {
        const log = await logOf(driver, step.eventually === true ? step.expect.length : undefined)
        const facts = requestFacts(step.slice === undefined ? log : log.slice(0, step.slice), step.fields)
        equal(facts, step.expect, label)
        break
      }
      case "RequestCount":
        equal((await driver.requests()).length, step.count, label)
        break
      case "Stored": {
        const images = (await driver.model(step.model))?.trainingImages
        if (step.images !== undefined) equal(images?.map((i) => [i.id, i.name]), step.images, label)
        if (step.names !== undefined) equal(images?.map((i) => i.name), step.names, label)
        if (step.count !== undefined) equal(images?.length, step.count, label)
        break
      }
      case "FaultCounts":
        equal(await driver.faultCounts(), step.expect, label)
        break
      case "NoSecretLogged": {
        const log = JSON.stringify(await driver.requests())
        for (const secret of [...step.secrets, driver.basic.slice("Basic ".length)]) {
          equal(log.includes(secret), false, `${label}: ${secret.slice(0, 3)}… logged`)
        }
        break
      }
      case "RequestIds": {
        equal(new Set(ids).size, ids.length, `${label}: distinct`)
        equal((await driver.requests()).map((r) => r.requestId), ids, label)
        break
      }
      case "BaseUrl":
        equal(new RegExp(step.pattern).test(driver.baseUrl), true, `${label}: ${driver.baseUrl}`)
        break
      case "RandomFaults":
        await checkRandomFaults(step, driver, equal, label)
        break
    }
  }
}

/** Each recorded request as its `fields`. */
const requestFacts = (
  log: ReadonlyArray<Recorded>,
  fields: ReadonlyArray<RequestField>
): ReadonlyArray<ReadonlyArray<unknown>> => log.map((request) => fields.map((field) => request[field]))

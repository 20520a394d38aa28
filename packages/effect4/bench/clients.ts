/**
 * The Effect 4 line's side of the benchmark: raw undici 8 (the undici this line's transport runs on) and the
 * line's `replace` (`NodeTrainingImages` over `UndiciHttpClient`), making the same request as the Effect 3
 * line's clients (`packages/platform-node/bench/clients.ts`): the same headers, the same JSON body serialised
 * per request, the response read as text and parsed as JSON.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Undici from "undici"
// The line as built, as the Effect 3 line's bench runs core: what a user runs, not the sources through a
// transpiler of the bench's own.
import * as Credentials from "../dist/Credentials.js"
import * as NodeTrainingImages from "../dist/node/NodeTrainingImages.js"
import * as UndiciHttpClient from "../dist/node/UndiciHttpClient.js"
import * as Telemetry from "../dist/Telemetry.js"
import * as TrainingImages from "../dist/TrainingImages.js"

/** The line's sources newer than its last build: the run would not measure the code as it is. */
export const staleBuild = (): ReadonlyArray<string> => {
  const pkg = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "..")
  const buildInfo = Path.join(pkg, "build", "tsbuildinfo", "src.tsbuildinfo")
  const builtAt = Fs.existsSync(buildInfo) ? Fs.statSync(buildInfo).mtimeMs : -1
  const sources = Fs.readdirSync(Path.join(pkg, "src"), { recursive: true, encoding: "utf8" })
  return sources.filter((file) => file.endsWith(".ts") && Fs.statSync(Path.join(pkg, "src", file)).mtimeMs > builtAt)
}

/**
 * The line ready to call, with the bench's server started in a process of its own (given `execArgv`), or, with
 * `inProcess`, answered by a dispatcher in this process (no server); `undefined`, with exit code 1 and the reason
 * printed, when the build is older than the sources. The caller disconnects the server when done.
 */
export const startLine = async (inProcess: boolean, execArgv: ReadonlyArray<string>) => {
  const stale = staleBuild()
  if (stale.length > 0) {
    console.error(`the line's build is older than its sources (${stale.join(", ")}): run \`pnpm build\` first.`)
    process.exitCode = 1
    return undefined
  }
  const here = Path.dirname(fileURLToPath(import.meta.url))
  const server = inProcess ?
    undefined :
    ChildProcess.fork(Path.join(here, "..", "..", "platform-node", "bench", "server.ts"), [], {
      execArgv: [...execArgv],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
  const line = server === undefined ? await makeInProcessLibrary() : await makeLibrary(
    await new Promise<number>((resolve) => server.once("message", (m) => resolve((m as { port: number }).port)))
  )
  return { line, server }
}

export const MODEL_ID = "model_bench"
export const CONNECTIONS = 64
export const credentials = Credentials.basic("bench-key", "bench-secret")

export const origin = (port: number) => `http://127.0.0.1:${port}`

export interface ReplaceInput {
  readonly trainingImageId: string
  readonly data: string
  readonly name: string
}

export interface RawClient {
  readonly replace: (input: ReplaceInput) => Promise<unknown>
  readonly close: () => Promise<void>
}

export const makeRaw = (port: number): RawClient => {
  const pool = new Undici.Pool(origin(port), { connections: CONNECTIONS })
  const headers = {
    authorization: Redacted.value(Credentials.authorization(credentials)),
    "user-agent": TrainingImages.USER_AGENT,
    accept: "application/json",
    "content-type": "application/json"
  }
  return {
    replace: async (input) => {
      const response = await pool.request({
        method: "PUT",
        path: `/v1/models/${MODEL_ID}/training-images/${input.trainingImageId}`,
        headers,
        body: JSON.stringify({ data: input.data, name: input.name })
      })
      const text = await response.body.text()
      if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}: ${text}`)
      return (JSON.parse(text) as { trainingImage: unknown }).trainingImage
    },
    close: () => pool.destroy()
  }
}

/** The large-body benchmark sends more than API Gateway's limit, to measure the cost of copies. */
export const BENCH_MAX_REQUEST_BYTES = 64 * 1024 * 1024

export interface LibraryClient {
  readonly images: TrainingImages.Service
  readonly runtime: ManagedRuntime.ManagedRuntime<TrainingImages.TrainingImages, unknown>
  readonly close: () => Promise<void>
}

export const makeLibrary = async (port: number): Promise<LibraryClient> => {
  const runtime = ManagedRuntime.make(NodeTrainingImages.layer({
    credentials,
    baseUrl: `${origin(port)}/v1`,
    pool: { connections: CONNECTIONS },
    maxRequestBytes: BENCH_MAX_REQUEST_BYTES
  }))
  const images = await runtime.runPromise(Effect.service(TrainingImages.TrainingImages))
  return { images, runtime, close: () => runtime.dispose() }
}

// What the bench's server answers, as an undici dispatcher answers it: head, body, end, a turn of the event
// loop after the request.
const answer = Buffer.from(JSON.stringify({
  trainingImage: {
    id: "asset_0",
    automaticCaptioning: "a watercolor painting of a lighthouse on a cliff",
    createdAt: "2023-02-03T11:19:41.579Z",
    description: "",
    downloadUrl: "https://cdn.cloud.scenario.com/assets/asset_0?p=100&Expires=1700000000&Signature=abcdef",
    name: "lighthouse.png",
    kind: "image",
    source: "training"
  }
}))
const answerHeaders = {
  "content-type": "application/json",
  "content-length": String(answer.length),
  "x-request-id": "bench"
}
const inProcessDispatcher = {
  dispatch(_options: Undici.Dispatcher.DispatchOptions, handler: Undici.Dispatcher.DispatchHandler): boolean {
    const state = { paused: false, aborted: false }
    const controller = {
      get paused() {
        return state.paused
      },
      get aborted() {
        return state.aborted
      },
      reason: null,
      abort: () => {
        state.aborted = true
      },
      pause: () => {
        state.paused = true
      },
      resume: () => {
        state.paused = false
      }
    } as unknown as Undici.Dispatcher.DispatchController
    setImmediate(() => {
      handler.onRequestStart?.(controller, {})
      if (state.aborted) return
      handler.onResponseStart?.(controller, 200, answerHeaders, "OK")
      handler.onResponseData?.(controller, answer)
      handler.onResponseEnd?.(controller, {})
    })
    return true
  }
} as unknown as Undici.Dispatcher

/**
 * The line's `replace` answered in-process: its transport over a dispatcher that answers as the bench's server
 * does, a turn of the event loop after each request, with no socket and no other process.
 */
export const makeInProcessLibrary = async (): Promise<LibraryClient> => {
  const runtime = ManagedRuntime.make(
    TrainingImages.layer({ credentials, baseUrl: `${origin(1)}/v1` }).pipe(
      Layer.provide(UndiciHttpClient.layerWithoutDispatcher),
      Layer.provide(Layer.succeed(NodeHttpClient.Dispatcher, inProcessDispatcher))
    )
  )
  const images = await runtime.runPromise(Effect.service(TrainingImages.TrainingImages))
  return { images, runtime, close: () => runtime.dispose() }
}

export const libraryReplace = (images: TrainingImages.Service, input: ReplaceInput) =>
  images.replace({ modelId: MODEL_ID, trainingImageId: input.trainingImageId, data: input.data, name: input.name })

export const runLibrary = (
  client: LibraryClient,
  input: (i: number) => ReplaceInput,
  count: number,
  concurrency: number,
  // With the metrics off (`Telemetry.withMetricsEnabled(false)`).
  metrics = true
): Promise<void> => {
  let next = 0
  const worker = Effect.whileLoop({
    while: () => next < count,
    body: () => libraryReplace(client.images, input(next++)),
    step: () => {}
  })
  const all = Effect.all(Array.from({ length: concurrency }, () => worker), { concurrency: "unbounded", discard: true })
  return client.runtime.runPromise(metrics ? all : Telemetry.withMetricsEnabled(all, false))
}

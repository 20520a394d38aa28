/**
 * The two clients the benchmark compares, making the same request: the library's `replace`, and the same
 * `PUT` sent with undici's own `Pool.request`, with the same headers, the same JSON body serialised per
 * request, and the response read as text and parsed as JSON.
 */
import { Credentials, Telemetry, TrainingImages } from "@effect-scenario/core"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as ManagedRuntime from "effect/ManagedRuntime"
import * as Redacted from "effect/Redacted"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Undici from "undici"
import * as NodeTrainingImages from "../src/NodeTrainingImages.js"

/**
 * The benchmark runs core as built (its package points at its build): a source newer than the last build
 * means the run would not measure the code as it is.
 */
export const staleCoreBuild = (): ReadonlyArray<string> => {
  const core = Path.resolve(Path.dirname(fileURLToPath(import.meta.url)), "../../core")
  const buildInfo = Path.join(core, "build", "tsbuildinfo", "src.tsbuildinfo")
  const builtAt = Fs.existsSync(buildInfo) && Fs.existsSync(Path.join(core, "dist", "index.js"))
    ? Fs.statSync(buildInfo).mtimeMs
    : -1
  const sources = Fs.readdirSync(Path.join(core, "src"), { recursive: true, encoding: "utf8" })
  return sources.filter((file) => file.endsWith(".ts") && Fs.statSync(Path.join(core, "src", file)).mtimeMs > builtAt)
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

/** A small PNG as a data URL: the typical `replace` of the throughput runs. */
export const smallImage = (): string => {
  const bytes = Buffer.alloc(1536)
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff
  return `data:image/png;base64,${bytes.toString("base64")}`
}

export const IMAGE_BYTES = 16 * 1024 * 1024

/**
 * A random 16 MiB image as a data URL (about 22 MB of text), held as one flat string, as a data URL read
 * whole from somewhere is. (A string joined with `+` stays a rope until it is first read; the copy it then
 * makes of itself is the string's doing, whoever reads it first.)
 */
export const largeImage = (): string =>
  Buffer.concat([
    Buffer.from("data:image/png;base64,", "latin1"),
    Buffer.from(Crypto.randomBytes(IMAGE_BYTES).toString("base64"), "latin1")
  ]).toString("latin1")

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

export const makeLibrary = async (
  port: number,
  layer: (baseUrl: string) => Layer.Layer<TrainingImages.TrainingImages, unknown> = (baseUrl) =>
    NodeTrainingImages.layer({
      credentials,
      baseUrl,
      pool: { connections: CONNECTIONS },
      maxRequestBytes: BENCH_MAX_REQUEST_BYTES
    })
): Promise<LibraryClient> => {
  const runtime = ManagedRuntime.make(layer(`${origin(port)}/v1`))
  const images = await runtime.runPromise(TrainingImages.TrainingImages)
  return { images, runtime, close: () => runtime.dispose() }
}

export const libraryReplace = (images: TrainingImages.Service, input: ReplaceInput) =>
  images.replace({ modelId: MODEL_ID, trainingImageId: input.trainingImageId, data: input.data, name: input.name })

/** Runs `count` calls with at most `concurrency` in flight, each worker taking the next call when done. */
export const runRaw = async (
  client: RawClient,
  input: (i: number) => ReplaceInput,
  count: number,
  concurrency: number
) => {
  let next = 0
  const worker = async () => {
    while (next < count) await client.replace(input(next++))
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

export const runLibrary = (
  client: LibraryClient,
  input: (i: number) => ReplaceInput,
  count: number,
  concurrency: number,
  // With the metrics off (`Telemetry.withMetricsEnabled(false)`): the client as it was before it had any.
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

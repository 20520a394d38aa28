/**
 * Peak memory of a call whose response body is 1 GiB, with the default `maxResponseBytes` (32 MiB): over
 * this package's transport (a 1 GiB body with its content-length, and an endless chunked one) and over
 * fetch (a gzip bomb: about 1 MiB on the wire inflating to 1 GiB). The resident set size is sampled every
 * millisecond from a worker thread while each call runs, against the size right before it.
 *
 * ```sh
 * pnpm build && npx tsx packages/platform-node/bench/large-response.ts
 * ```
 */
import { Credentials, RetryPolicy, TrainingImages } from "@effect-scenario/core"
import { FetchHttpClient } from "@effect/platform"
import { Effect, Layer } from "effect"
import * as Http from "node:http"
import type * as Net from "node:net"
import * as Zlib from "node:zlib"
import * as NodeTrainingImages from "../src/NodeTrainingImages.js"
import * as RssSampler from "./rssSampler.js"

const GiB = 1024 * 1024 * 1024
const CHUNK = Buffer.alloc(1024 * 1024, 0x20)

type Body = "sized" | "endless" | "gzip-bomb"

// Writes `total` bytes of spaces (or forever), honouring backpressure; stops when the client goes away.
const pump = (response: Http.ServerResponse, total: number) => {
  let sent = 0
  const write = () => {
    while (sent < total && !response.destroyed) {
      sent += CHUNK.length
      if (!response.write(CHUNK)) return
    }
    if (sent >= total) response.end()
  }
  response.on("drain", write)
  write()
}

const serve = (bomb: Buffer) =>
  new Promise<{ readonly server: Http.Server; readonly baseUrl: string }>((resolve) => {
    const server = Http.createServer((request, response) => {
      const body = request.url?.split("/").at(-1) as Body
      if (body === "gzip-bomb") {
        response.writeHead(200, {
          "content-type": "application/json",
          "content-encoding": "gzip",
          "content-length": bomb.length
        })
        response.end(bomb)
      } else if (body === "sized") {
        response.writeHead(200, { "content-type": "application/json", "content-length": GiB })
        pump(response, GiB)
      } else {
        response.writeHead(200, { "content-type": "application/json" })
        pump(response, Number.POSITIVE_INFINITY)
      }
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      resolve({ server, baseUrl: `http://127.0.0.1:${port}/v1` })
    })
  })

const main = async () => {
  // 1 GiB of spaces compresses to about 1 MiB; compressed a chunk at a time, so that the gigabyte is never
  // held here.
  const bomb = await new Promise<Buffer>((resolve, reject) => {
    const gzip = Zlib.createGzip({ level: 9 })
    const parts: Array<Buffer> = []
    gzip.on("data", (part: Buffer) => parts.push(part))
    gzip.on("end", () => resolve(Buffer.concat(parts)))
    gzip.on("error", reject)
    let written = 0
    const write = () => {
      while (written < GiB) {
        written += CHUNK.length
        if (!gzip.write(CHUNK)) return gzip.once("drain", write)
      }
      gzip.end()
    }
    write()
  })
  const { baseUrl, server } = await serve(bomb)
  const worker = RssSampler.start()
  const options = {
    baseUrl,
    credentials: Credentials.bearer("token"),
    retryPolicy: RetryPolicy.none,
    timeout: "120 seconds" as const
  }
  const rows: Array<string> = []
  const measure = async (
    transport: string,
    body: Body,
    layer: Layer.Layer<TrainingImages.TrainingImages, unknown>
  ) => {
    ;(globalThis as { gc?: () => void }).gc?.()
    const before = await RssSampler.ask(worker, "reset")
    const started = performance.now()
    const outcome = await Effect.runPromise(
      Effect.flatMap(TrainingImages.TrainingImages, (images) => images.list({ modelId: body })).pipe(
        Effect.match({ onFailure: (error) => error._tag, onSuccess: () => "Success" }),
        Effect.provide(layer)
      )
    )
    const millis = performance.now() - started
    const peak = await RssSampler.ask(worker, "peak")
    const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0)
    rows.push(
      `| ${transport} | ${body} | ${outcome} | ${millis.toFixed(0)} ms | ${mib(before)} MiB | ${mib(peak)} MiB | +${
        mib(peak - before)
      } MiB |`
    )
  }
  const node = NodeTrainingImages.layer(options)
  const fetch = TrainingImages.layer(options).pipe(Layer.provide(FetchHttpClient.layer))
  await measure("NodeTrainingImages (undici dispatcher)", "sized", node)
  await measure("NodeTrainingImages (undici dispatcher)", "endless", node)
  await measure("core over FetchHttpClient", "sized", fetch)
  await measure("core over FetchHttpClient", "endless", fetch)
  await measure("core over FetchHttpClient", "gzip-bomb", fetch)
  console.log(`maxResponseBytes: ${TrainingImages.DEFAULT_MAX_RESPONSE_BYTES} (default)\n`)
  console.log("| transport | 1 GiB body | outcome | time | RSS before | peak RSS | growth |")
  console.log("|---|---|---|---|---|---|---|")
  for (const row of rows) console.log(row)
  await worker.terminate()
  server.closeAllConnections()
  server.close()
}

main()

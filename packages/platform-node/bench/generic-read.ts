/**
 * What core's bounded read (`readText`, its path for any `HttpClient` but this package's own) costs next to
 * reading the body with `response.text`, on the same transport (`@effect/platform-node`'s undici client)
 * and the same responses: `replace`-sized JSON bodies, serially and at concurrency 32, alternating the two
 * in rounds so that the machine's noise falls on both. With `--chunked` the server sends no content-length,
 * so that `readText` reads a counted stream.
 *
 * ```sh
 * pnpm build && npx tsx packages/platform-node/bench/generic-read.ts [--chunked]
 * ```
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Effect, ManagedRuntime } from "effect"
import * as Http from "node:http"
import type * as Net from "node:net"

// Core's internal module, loaded from its source (the package closes `internal/`); typed here by hand so that
// this program's type check does not pull core's sources in.
const internalClient = "../../core/src/internal/client.js"
const { readText } = await import(internalClient) as {
  readonly readText: (
    line: { readonly operation: string; readonly method: string; readonly url: string },
    response: unknown,
    limit: number
  ) => Effect.Effect<string, unknown>
}

const BODY = JSON.stringify({
  trainingImage: {
    id: "asset_GTrL3mq4SXWyMxkOHRxlpw",
    automaticCaptioning: "a caption",
    createdAt: "2023-02-03T11:19:41.579Z",
    description: "a description",
    downloadUrl: "https://cdn.example/asset_GTrL3mq4SXWyMxkOHRxlpw.png",
    name: "my-training-image.jpg"
  }
})

const line = { operation: "replace", method: "PUT", url: "http://127.0.0.1/" } as const

// With its content-length (as the API answers), or chunked (read as a counted stream).
const chunked = process.argv.includes("--chunked")

const main = async () => {
  const server = Http.createServer((_, response) => {
    response.writeHead(
      200,
      chunked
        ? { "content-type": "application/json" }
        : { "content-type": "application/json", "content-length": Buffer.byteLength(BODY) }
    )
    response.end(BODY)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const url = `http://127.0.0.1:${(server.address() as Net.AddressInfo).port}/v1/x`
  const runtime = ManagedRuntime.make(NodeHttpClient.layerUndici)
  const client = await runtime.runPromise(HttpClient.HttpClient)
  const request = HttpClientRequest.get(url)
  const viaText = Effect.flatMap(client.execute(request), (response) => response.text)
  const viaStream = Effect.flatMap(client.execute(request), (response) => readText(line, response, 32 * 1024 * 1024))
  const run = async (read: Effect.Effect<string, unknown>, n: number, concurrency: number) => {
    const start = process.hrtime.bigint()
    await runtime.runPromise(Effect.forEach(Array.from({ length: n }), () => read, { concurrency, discard: true }))
    return n / (Number(process.hrtime.bigint() - start) / 1e9)
  }
  for (const [label, n, concurrency] of [["serial", 2000, 1], ["c32", 10000, 32]] as const) {
    await run(viaText, 500, concurrency)
    await run(viaStream, 500, concurrency)
    const text: Array<number> = []
    const stream: Array<number> = []
    for (let round = 0; round < 5; round++) {
      text.push(await run(viaText, n, concurrency))
      stream.push(await run(viaStream, n, concurrency))
    }
    const median = (xs: Array<number>) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    console.log(
      `${label}: response.text ${median(text).toFixed(0)} req/s, readText ${median(stream).toFixed(0)} req/s ` +
        `(ratio ${(median(stream) / median(text)).toFixed(2)})`
    )
  }
  await runtime.dispose()
  server.close()
}

main()

/**
 * A download host on 127.0.0.1 that misbehaves on purpose, for `TrainingSet.pull`'s and `fromModel`'s suites of
 * both lines: the listing's `downloadUrl`s are pointed at it. Its paths:
 *
 * - `/ok/<n>`: n bytes with their length;
 * - `/chunked/<n>`: n bytes in pieces of 10, without a length;
 * - `/paced/<n>`: n bytes in three pieces without a length, a pause between them (each reaches the client as a
 *   piece of its own);
 * - `/gate/<n>`: nothing until n requests wait there, then 30 bytes to each;
 * - `/lying/<n>`: a length of n, and 10 bytes before the connection is cut;
 * - `/status/<code>`: 20 bytes with that status;
 * - anything else (`/hang`): no answer, until the client gives up or the host closes.
 *
 * The bytes of a body of n bytes are `downloadBytes(n)`. Nothing here knows Effect: the runners wrap
 * `startDownloadHost` and `closedPort` in their line's Effect.
 */
import * as Http from "node:http"
import type * as Net from "node:net"
import { png } from "./png.js"

/** The bytes the host sends for a body of `size` bytes: a PNG of that size (its seed the size). */
export const downloadBytes = (size: number): Uint8Array => png(size, size)

/** A running download host: its origin (`http://127.0.0.1:<port>`), and what stops it. */
export interface DownloadHost {
  readonly origin: string
  readonly close: () => Promise<void>
}

const answer = (gate: Array<Http.ServerResponse>) => (request: Http.IncomingMessage, response: Http.ServerResponse) => {
  const [, kind, arg] = (request.url ?? "").split("?")[0]!.split("/")
  const n = Number(arg)
  switch (kind) {
    case "ok": {
      response.writeHead(200, { "content-type": "image/png", "content-length": n })
      response.end(downloadBytes(n))
      return
    }
    case "chunked": {
      response.writeHead(200, { "content-type": "image/png" })
      const bytes = downloadBytes(n)
      const next = (offset: number): void => {
        if (offset >= n) return void response.end()
        response.write(bytes.subarray(offset, offset + 10))
        setImmediate(() => next(offset + 10))
      }
      next(0)
      return
    }
    case "paced": {
      response.writeHead(200, { "content-type": "image/png" })
      const bytes = downloadBytes(n)
      const piece = Math.ceil(n / 3)
      const next = (offset: number): void => {
        if (offset >= n) return void response.end()
        response.write(bytes.subarray(offset, offset + piece))
        setTimeout(() => next(offset + piece), 50)
      }
      next(0)
      return
    }
    case "gate": {
      gate.push(response)
      if (gate.length < n) return
      for (const held of gate.splice(0)) {
        held.writeHead(200, { "content-type": "image/png", "content-length": 30 })
        held.end(downloadBytes(30))
      }
      return
    }
    case "lying": {
      response.writeHead(200, { "content-type": "image/png", "content-length": n })
      response.write(downloadBytes(10), () => response.destroy())
      return
    }
    case "status": {
      response.writeHead(n, { "content-type": "image/png", "content-length": 20 })
      response.end(downloadBytes(20))
      return
    }
    default:
      return
  }
}

/** Starts a download host on a free port of 127.0.0.1. */
export const startDownloadHost = (): Promise<DownloadHost> =>
  new Promise((resolve) => {
    const server = Http.createServer(answer([]))
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((closed) => {
            server.closeAllConnections()
            server.close(() => closed())
          })
      })
    })
  })

/** A port of 127.0.0.1 nothing listens on: one that was free a moment ago. */
export const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = Http.createServer()
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as Net.AddressInfo
      server.close(() => resolve(port))
    })
  })

/** An image of the listing and the URL the listing gives for it. */
export interface HostedImage {
  readonly id: string
  readonly name: string
  readonly url: string
}

/**
 * Each way a download fails, under a cap of `maxImageBytes` (100): the images, and per image what a pull gives
 * (`Written` with its bytes, or the `DownloadError`'s reason with its status).
 */
export const downloadFailures = (origin: string, port: number) => ({
  maxImageBytes: 100,
  images: [
    { id: "img_ok", name: "ok.png", url: `${origin}/ok/50` },
    { id: "img_at_cap", name: "at-cap.png", url: `${origin}/ok/100` },
    { id: "img_chunked_at_cap", name: "chunked-at-cap.png", url: `${origin}/chunked/100` },
    { id: "img_chunked_over", name: "chunked-over.png", url: `${origin}/chunked/200` },
    { id: "img_declared_over", name: "declared-over.png", url: `${origin}/lying/1000` },
    { id: "img_cut", name: "cut.png", url: `${origin}/lying/50` },
    { id: "img_299", name: "s299.png", url: `${origin}/status/299` },
    { id: "img_404", name: "s404.png", url: `${origin}/status/404?token=secret` },
    { id: "img_refused", name: "refused.png", url: `http://127.0.0.1:${port}/gone` },
    { id: "img_refused_https", name: "refused-https.png", url: `https://127.0.0.1:${port}/gone` },
    { id: "img_ftp", name: "ftp.png", url: `ftp://127.0.0.1:${port}/x` },
    { id: "img_nonsense", name: "nonsense.png", url: "not a url" }
  ] as ReadonlyArray<HostedImage>,
  outcomes: [
    ["ok.png", "Written", 50],
    ["at-cap.png", "Written", 100],
    ["chunked-at-cap.png", "Written", 100],
    ["chunked-over.png", "too-large", undefined],
    // Refused on the length it declares, before the body (cut short after 10 bytes) is read.
    ["declared-over.png", "too-large", undefined],
    ["cut.png", "transport", undefined],
    ["s299.png", "Written", 20],
    ["s404.png", "status", 404],
    ["refused.png", "transport", undefined],
    ["refused-https.png", "transport", undefined],
    ["ftp.png", "invalid-url", undefined],
    ["nonsense.png", "invalid-url", undefined]
  ] as ReadonlyArray<readonly [string, string, number | undefined]>,
  // The 404's error: its URL without the query, its id.
  notFound: { name: "s404.png", url: `${origin}/status/404`, trainingImageId: "img_404" },
  // A rerun under the same cap, `ok.png` removed before it: what it does not fail.
  rerun: [
    ["ok.png", "Written"],
    ["at-cap.png", "Unchanged"],
    ["chunked-at-cap.png", "Unchanged"],
    ["s299.png", "Unchanged"]
  ] as ReadonlyArray<readonly [string, string]>
})

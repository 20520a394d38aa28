/**
 * A node:http server on 127.0.0.1 for the transport tests: it records every request it reads in full, lets a
 * test decide how to answer (or not to), and reports when a request's connection closes before the answer
 * was finished, which is how an aborted request looks from the server's side.
 */
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type * as Net from "node:net"

export interface Received {
  readonly method: string
  /** The request target as sent: path and query. */
  readonly url: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: Buffer
}

/** How the server answers a request it has read in full. Doing nothing leaves the client waiting. */
export type Answer = (request: Received, response: Http.ServerResponse) => void

export interface RecordingServer {
  readonly origin: string
  readonly port: number
  setAnswer(answer: Answer): void
  /** The requests read in full so far, in order. */
  readonly received: ReadonlyArray<Received>
  /** The next request read in full (or the one already read and not yet taken). */
  readonly nextRequest: Effect.Effect<Received>
  /** The next request whose connection closed before its answer was finished. */
  readonly nextAbort: Effect.Effect<Received>
  /** Connections open right now. */
  readonly openConnections: () => number
}

export const json =
  (status: number, body: unknown, headers: Http.OutgoingHttpHeaders = {}): Answer => (_, response) => {
    const text = JSON.stringify(body)
    response.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...headers
    })
    response.end(text)
  }

export const trainingImage = (id: string) => ({
  id,
  automaticCaptioning: "a lighthouse on a cliff",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "",
  downloadUrl: `https://cdn.example/${id}.png`,
  name: "lighthouse.png"
})

export const make = (answer: Answer = json(200, {})): Effect.Effect<RecordingServer, never, Scope.Scope> =>
  Effect.gen(function*() {
    const requests = yield* Queue.unbounded<Received>()
    const aborts = yield* Queue.unbounded<Received>()
    const received: Array<Received> = []
    const sockets = new Set<Net.Socket>()
    let current = answer
    const server = Http.createServer((request, response) => {
      const chunks: Array<Buffer> = []
      request.on("data", (chunk: Buffer) => chunks.push(chunk))
      request.on("end", () => {
        const seen: Received = {
          method: request.method ?? "",
          url: request.url ?? "",
          headers: request.headers,
          body: Buffer.concat(chunks)
        }
        received.push(seen)
        response.on("close", () => {
          if (!response.writableFinished) Queue.offerUnsafe(aborts, seen)
        })
        Queue.offerUnsafe(requests, seen)
        current(seen, response)
      })
    })
    server.on("connection", (socket) => {
      sockets.add(socket)
      socket.on("close", () => sockets.delete(socket))
    })
    const port = yield* Effect.acquireRelease(
      Effect.callback<number>((resume) => {
        server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as Net.AddressInfo).port)))
      }),
      () =>
        Effect.callback<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    return {
      origin: `http://127.0.0.1:${port}`,
      port,
      setAnswer: (answer: Answer) => {
        current = answer
      },
      received,
      nextRequest: Queue.take(requests),
      nextAbort: Queue.take(aborts),
      openConnections: () => sockets.size
    }
  })

/** A port on 127.0.0.1 that nothing listens on: it was just listened on, and closed. */
export const closedPort: Effect.Effect<number> = Effect.callback<number>((resume) => {
  const server = Http.createServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as Net.AddressInfo).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

/**
 * A node:http server on 127.0.0.1 for the transport tests: it records every request it reads in full, lets a
 * test decide how to answer (or not to), and reports when a request's connection closes before the answer
 * was finished, which is how an aborted request looks from the server's side. Each line's tests wrap `start`
 * in a scoped Effect and turn the two reports into queues of their own.
 */
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

/** Told of each request read in full, and of each whose connection closed before its answer was finished. */
export interface Listeners {
  readonly onRequest: (request: Received) => void
  readonly onAbort: (request: Received) => void
}

/** A listening server and how to close it (every open connection closed first). */
export interface Running {
  readonly origin: string
  readonly port: number
  setAnswer(answer: Answer): void
  /** The requests read in full so far, in order. */
  readonly received: ReadonlyArray<Received>
  /** Connections open right now. */
  readonly openConnections: () => number
  readonly close: () => Promise<void>
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

export const start = (answer: Answer, listeners: Listeners): Promise<Running> => {
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
        if (!response.writableFinished) listeners.onAbort(seen)
      })
      listeners.onRequest(seen)
      current(seen, response)
    })
  })
  server.on("connection", (socket) => {
    sockets.add(socket)
    socket.on("close", () => sockets.delete(socket))
  })
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as Net.AddressInfo).port
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        setAnswer: (next: Answer) => {
          current = next
        },
        received,
        openConnections: () => sockets.size,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          })
      })
    })
  })
}

/** What a test controls and reads of a running server: all but how to close it. */
export type Controls = Omit<Running, "close">

export const controls = (running: Running): Controls => ({
  origin: running.origin,
  port: running.port,
  setAnswer: running.setAnswer,
  received: running.received,
  openConnections: running.openConnections
})

/** A port on 127.0.0.1 that nothing listens on: it was just listened on, and closed. */
export const closedPort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = Http.createServer()
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as Net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })

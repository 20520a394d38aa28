/**
 * A raw TCP server on 127.0.0.1 (port 0) that answers each whole request as told, for the suites that need
 * answers no HTTP server library would send. Each line's tests wrap `start` in a scoped Effect of their own.
 */
import * as Net from "node:net"

/** What the server does once it has read a whole request (its head given as text). */
export type Behaviour = (socket: Net.Socket, head: string) => void

export interface RawServer {
  readonly baseUrl: string
  readonly setBehaviour: (behaviour: Behaviour) => void
  /** Requests read in full since the last call. */
  readonly takeRequests: () => number
  /** The heads of the requests read in full since the last call. */
  readonly takeHeads: () => ReadonlyArray<string>
  /** Connections closed by the client (or by the server) so far. */
  readonly closed: () => number
}

/** A listening server and how to close it (every open connection destroyed first). */
export interface Running {
  readonly control: RawServer
  readonly close: () => Promise<void>
}

export const start = (): Promise<Running> =>
  new Promise((resolve) => {
    let behaviour: Behaviour = (socket) => socket.destroy()
    let requests = 0
    let heads: Array<string> = []
    let closed = 0
    const sockets = new Set<Net.Socket>()
    const server = Net.createServer((socket) => {
      sockets.add(socket)
      socket.on("close", () => {
        closed++
        sockets.delete(socket)
      })
      socket.on("error", () => {})
      let buffer = Buffer.alloc(0)
      socket.on("data", (chunk) => {
        buffer = Buffer.concat([buffer, chunk])
        const head = buffer.indexOf("\r\n\r\n")
        if (head === -1) return
        const length = Number(/content-length: *(\d+)/i.exec(buffer.subarray(0, head).toString("latin1"))?.[1] ?? 0)
        if (buffer.length < head + 4 + length) return
        const text = buffer.subarray(0, head).toString("latin1")
        buffer = buffer.subarray(head + 4 + length)
        requests++
        heads.push(text)
        behaviour(socket, text)
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as Net.AddressInfo
      resolve({
        control: {
          baseUrl: `http://127.0.0.1:${address.port}/v1`,
          setBehaviour: (next) => {
            behaviour = next
          },
          takeRequests: () => {
            const taken = requests
            requests = 0
            return taken
          },
          takeHeads: () => {
            const taken = heads
            heads = []
            return taken
          },
          closed: () => closed
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          })
      })
    })
  })

export const head = (status: string, headers: Record<string, string | number>) =>
  `HTTP/1.1 ${status}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`

/** A complete response, the connection closed after it. */
export const respond =
  (status: string, body: string | Buffer, contentType = "application/json"): Behaviour => (socket) => {
    const bytes = typeof body === "string" ? Buffer.from(body) : body
    socket.write(head(status, { "content-type": contentType, "content-length": bytes.length, connection: "close" }))
    socket.end(bytes)
  }

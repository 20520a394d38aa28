/**
 * Answers of the raw TCP server (`rawServer.ts`) that the Node transport suites of both lines send: bodies
 * compressed, endless, chunked a few milliseconds apart, extra and repeated header lines, interim responses,
 * a first answer then another. Plain `Behaviour`s, no Effect.
 */
import * as Zlib from "node:zlib"
import { type Behaviour, head } from "./rawServer.js"

/** A 200 whose body is `bytes`, declared gzip-compressed with their length on the wire. */
export const gzipped = (bytes: Buffer): Behaviour => (socket) => {
  socket.write(head("200 OK", {
    "content-type": "application/json",
    "content-encoding": "gzip",
    "content-length": bytes.length
  }))
  socket.end(bytes)
}

/** `text` gzip-compressed. */
export const gzip = (text: string): Buffer => Zlib.gzipSync(Buffer.from(text))

/** `size` spaces gzip-compressed at the highest level: a body far smaller on the wire than once inflated. */
export const gzipBomb = (size: number): Buffer => Zlib.gzipSync(Buffer.alloc(size, 0x20), { level: 9 })

/** `size` spaces. */
export const spaces = (size: number): Buffer => Buffer.alloc(size, 0x20)

/** Spaces as chunks of 64 KiB for as long as the client reads them. */
export const endless: Behaviour = (socket) => {
  socket.write(head("200 OK", { "content-type": "application/json", "transfer-encoding": "chunked" }))
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])
  const pump = () => {
    while (socket.writable && socket.write(frame)) {
      // keep writing until the socket pushes back
    }
  }
  socket.on("drain", pump)
  pump()
}

/**
 * A 200 whose body comes as these chunks (`transfer-encoding: chunked`), a few milliseconds apart so that
 * the client reads them one by one; the connection kept open.
 */
export const chunked = (pieces: ReadonlyArray<string>): Behaviour => (socket) => {
  socket.write(head("200 OK", { "content-type": "application/json", "transfer-encoding": "chunked" }))
  const send = (index: number) => {
    if (!socket.writable) return
    if (index === pieces.length) return void socket.write("0\r\n\r\n")
    const bytes = Buffer.from(pieces[index]!)
    socket.write(Buffer.concat([Buffer.from(`${bytes.length.toString(16)}\r\n`), bytes, Buffer.from("\r\n")]))
    setTimeout(() => send(index + 1), 5)
  }
  send(0)
}

/** A complete response with extra header lines (repeated names allowed), the connection kept open. */
export const answer =
  (status: string, body: string, headers: ReadonlyArray<readonly [string, string]> = []): Behaviour => (socket) => {
    const bytes = Buffer.from(body)
    const lines = [["content-type", "application/json"], ["content-length", String(bytes.length)], ...headers]
    socket.write(`HTTP/1.1 ${status}\r\n${lines.map(([k, v]) => `${k}: ${v}\r\n`).join("")}\r\n`)
    socket.write(bytes)
  }

/** An interim response (`100 Continue`, `103 Early Hints`: its whole text), then, 10 ms later, a 200 of `body`. */
export const interimThen = (interim: string, body: string): Behaviour => (socket) => {
  socket.write(interim)
  setTimeout(() => answer("200 OK", body)(socket, ""), 10)
}

/** The first request answered with `first`, every later one with `then`. */
export const firstThen = (first: Behaviour, then: Behaviour): Behaviour => {
  let attempt = 0
  return (socket, text) => ++attempt === 1 ? first(socket, text) : then(socket, text)
}

/** Whether `condition` holds within about five seconds, looked at every 25 ms. */
export const eventually = async (condition: () => boolean): Promise<boolean> => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25))
  return condition()
}

/**
 * Answers of the recording server (`recordingServer.ts`) that the Node transport suites of both lines give:
 * in turn, never, cut, half a body, a body in pieces. Plain `Answer`s, no Effect.
 */
import { type Answer, json } from "./recordingServer.js"

/** The first request answered by `first`, every later one by `then`. */
export const firstThen = (first: Answer, then: Answer): Answer => {
  let attempts = 0
  return (request, response) => ++attempts === 1 ? first(request, response) : then(request, response)
}

/** No answer at all: the client waits. */
export const never: Answer = () => {}

/** The connection destroyed once the request was read. */
export const destroy: Answer = (_, response) => void response.socket?.destroy()

/** A JSON 200 that declares `declared` bytes and sends only `partial`, the connection left open. */
export const halfBody = (declared: number, partial: string): Answer => (_, response) => {
  response.writeHead(200, { "content-type": "application/json", "content-length": declared })
  response.write(partial)
}

/** As `halfBody`, the connection destroyed `afterMillis` later. */
export const cutBody = (declared: number, partial: string, afterMillis: number): Answer => (request, response) => {
  halfBody(declared, partial)(request, response)
  setTimeout(() => response.socket?.destroy(), afterMillis)
}

/** A 200 of `payload` written in pieces of `size` bytes. */
export const inPieces =
  (payload: Buffer, size: number, contentType = "application/octet-stream"): Answer => (_, response) => {
    response.writeHead(200, { "content-type": contentType })
    for (let offset = 0; offset < payload.length; offset += size) {
      response.write(payload.subarray(offset, offset + size))
    }
    response.end()
  }

/** A status and raw header lines (repeated names allowed), then `body`. */
export const raw =
  (status: number, headers: ReadonlyArray<readonly [string, string]>, body = ""): Answer => (_, response) => {
    response.writeHead(status, headers.map(([name, value]) => [name, value]))
    response.end(body)
  }

export { json }

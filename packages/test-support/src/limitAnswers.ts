/**
 * Answers of the recording server (`recordingServer.ts`) for the undici transport suites of both lines
 * (`UndiciHttpClient.test.ts`): a body longer than the limit it is read under, and whether the connection
 * that carried each request has closed since. Plain `Answer`s, no Effect.
 */
import type { Answer } from "./recordingServer.js"

export interface PastLimit {
  readonly size: number
  /** The path answered with the length declared; any other is answered chunked. */
  readonly declared: string
  readonly firstPiece: number
  readonly restAfterMillis: number
}

export interface PastLimitServer {
  readonly answer: Answer
  /**
   * Whether the connection of a request to `path` has closed. Only that connection: a pool may open another
   * at once (undici 7 does, once one is destroyed), which stays open, idle.
   */
  readonly closed: (path: string) => boolean
}

/**
 * `size` bytes of text: at `declared`, with a declared length; elsewhere chunked, `firstPiece` bytes then the
 * rest `restAfterMillis` later.
 */
export const pastLimit = (body: PastLimit): PastLimitServer => {
  const big = Buffer.alloc(body.size, 0x61)
  const closed = new Set<string>()
  const answer: Answer = (seen, response) => {
    response.socket?.once("close", () => closed.add(seen.url))
    if (seen.url === body.declared) {
      response.writeHead(200, { "content-type": "text/plain", "content-length": big.length })
      response.end(big)
    } else {
      response.writeHead(200, { "content-type": "text/plain" })
      response.write(big.subarray(0, body.firstPiece))
      setTimeout(() => response.end(big.subarray(body.firstPiece)), body.restAfterMillis)
    }
  }
  return { answer, closed: (path) => closed.has(path) }
}

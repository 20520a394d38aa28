/**
 * Hostile servers for the Node transport suites of both lines, as raw answers (`rawServer.ts`) with what an
 * `add` must end in: connections closed or reset before, during and after the headers, bodies that never
 * finish or drip slower than the timeout, answers that are not HTTP, oversized headers and bodies. Plain data
 * and `Behaviour`s, no Effect.
 */
import { type Behaviour, head, respond } from "./rawServer.js"

const PARTIAL = "{\"trainingImage\":{\"id\":\"asset_1\",\"name\":"
export const BIG = 8 * 1024 * 1024

export interface HostileCase {
  readonly name: string
  readonly behaviour: Behaviour
  /** The tag of the error an `add` ends in (any of these, for what transports report differently). */
  readonly tags: ReadonlyArray<string>
  /** A timeout (in milliseconds) for the cases that move many megabytes, which the short one would cut. */
  readonly timeoutMillis?: number
  /** A `ResponseDecodeError` keeps this much of the body (`"MAX_KEPT_BODY"`: the library's limit) and its length. */
  readonly decodeError?: { readonly kept: "MAX_KEPT_BODY"; readonly bodyLength: number }
  /** The error's message is shorter than this. */
  readonly messageShorterThan?: number
}

export const hostileCases: ReadonlyArray<HostileCase> = [
  { name: "never answers", behaviour: () => {}, tags: ["TimeoutError"] },
  { name: "closes the connection before answering", behaviour: (s) => s.destroy(), tags: ["ConnectionError"] },
  { name: "resets the connection before answering", behaviour: (s) => s.resetAndDestroy(), tags: ["ConnectionError"] },
  {
    name: "answers something that is not HTTP",
    behaviour: (s) => s.end("SSH-2.0-OpenSSH_9.6\r\n\r\n"),
    tags: ["ConnectionError"]
  },
  {
    name: "closes the connection in the middle of the headers",
    behaviour: (s) => {
      s.write("HTTP/1.1 200 OK\r\nContent-Type: appl")
      s.destroy()
    },
    tags: ["ConnectionError"]
  },
  {
    name: "closes the connection in the middle of the body",
    behaviour: (s) => {
      s.write(head("200 OK", { "content-type": "application/json", "content-length": 1000 }) + PARTIAL)
      setTimeout(() => s.destroy(), 10)
    },
    tags: ["ConnectionError"]
  },
  {
    name: "resets the connection in the middle of the body",
    behaviour: (s) => {
      s.write(head("200 OK", { "content-type": "application/json", "content-length": 1000 }) + PARTIAL)
      setTimeout(() => s.resetAndDestroy(), 10)
    },
    tags: ["ConnectionError"]
  },
  {
    name: "never finishes the body",
    behaviour: (s) => s.write(head("200 OK", { "content-type": "application/json", "content-length": 1000 }) + PARTIAL),
    tags: ["TimeoutError"]
  },
  {
    name: "drips the body slower than the timeout",
    behaviour: (s) => {
      s.write(head("200 OK", { "content-type": "application/json", "transfer-encoding": "chunked" }))
      const timer = setInterval(() => s.writable ? s.write("1\r\n \r\n") : clearInterval(timer), 20)
      s.on("close", () => clearInterval(timer))
    },
    tags: ["TimeoutError"]
  },
  {
    name: "sends a malformed chunked body",
    behaviour: (s) => {
      s.write(head("200 OK", { "content-type": "application/json", "transfer-encoding": "chunked" }))
      s.end("ZZZ\r\nnot a chunk\r\n")
    },
    tags: ["ConnectionError"]
  },
  {
    name: "sends 256 KiB of headers",
    behaviour: (s) => {
      s.write(head("200 OK", { "content-type": "application/json", "x-filler": "x".repeat(256 * 1024) }))
      s.end()
    },
    tags: ["ConnectionError"]
  },
  {
    name: "sends a body of 8 MiB that is not JSON",
    behaviour: respond("200 OK", Buffer.alloc(BIG, "x")),
    tags: ["ResponseDecodeError"],
    timeoutMillis: 20_000,
    decodeError: { kept: "MAX_KEPT_BODY", bodyLength: BIG }
  },
  {
    name: "sends a 500 of 8 MiB",
    behaviour: respond("500 Internal Server Error", Buffer.alloc(BIG, "x"), "text/plain"),
    tags: ["InternalServerError"],
    timeoutMillis: 20_000,
    messageShorterThan: 2_000
  },
  {
    name: "sends an HTML error page",
    behaviour: respond("502 Bad Gateway", "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
    tags: ["InternalServerError"]
  },
  { name: "sends an empty 200", behaviour: respond("200 OK", ""), tags: ["ResponseDecodeError"] },
  {
    name: "sends binary under a wrong content type",
    behaviour: respond("200 OK", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]), "image/jpeg"),
    tags: ["ResponseDecodeError"]
  },
  {
    name: "sends a body longer than its content-length",
    behaviour: (s) => {
      s.write(head("200 OK", { "content-type": "application/json", "content-length": 5, connection: "close" }))
      s.end(`${PARTIAL}"x"}}`)
    },
    tags: ["ResponseDecodeError"]
  }
]

/** The requests one call makes: an add is never resent; a replace is retried through the transient errors. */
export const requestsOf = (operation: "add" | "replace", errorTag: string, maxRetries: number): number =>
  operation === "add" || errorTag === "ResponseDecodeError" ? 1 : 1 + maxRetries

// ---------------------------------------------------------------------------------------------------------
// Generated params, hostile ids included, accepted by the emulator
// ---------------------------------------------------------------------------------------------------------

/** The characters that matter in a URL path, plain and percent-encoded. */
const URL_SPECIALS = ["/", "?", "#", "%", "%2F", "%2e", ".", "..", "\\"] as const

/** The pieces hostile ids are made of, the characters that matter in a URL and in a query weighted in. */
export const ID_PIECES = [...URL_SPECIALS, "&", "=", "+", " ", ";", "é", "🙂", "a"] as const

/** Generated cases per run. */
export const RUNS = 40

interface Pair {
  readonly sourceId: string
  readonly targetId: string
  readonly instruction?: string | undefined
}

/** The ids a generated case seeds its model with: the image and every id its pairs name, once each. */
export const seededIds = (imageId: string, pairIds: ReadonlyArray<string>, pairs: ReadonlyArray<Pair>) => [
  ...new Set([imageId, ...pairIds, ...pairs.flatMap((p) => [p.sourceId, p.targetId])])
]

/** The pairs a generated case replaces with: the generated ones, then one per id onto the image. */
export const pairsOf = (pairs: ReadonlyArray<Pair>, pairIds: ReadonlyArray<string>, imageId: string): Array<Pair> => [
  ...pairs,
  ...pairIds.map((id) => ({ sourceId: id, targetId: imageId, instruction: id }))
]

/** The pairs the emulator then stores: an instruction left out is not kept. */
export const storedPairs = (pairs: ReadonlyArray<Pair>) =>
  pairs.map((pair) => pair.instruction === undefined ? { sourceId: pair.sourceId, targetId: pair.targetId } : pair)

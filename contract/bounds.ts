/**
 * The answers no Node transport may be broken by, as plain data for both lines: JSON nested to any depth,
 * bodies past `maxResponseBytes`, headers that ask for a resend or a wait, interim responses, the 404s a delete
 * converges on, credentials that cannot travel in a header. The raw answers themselves are test-support's
 * (`rawAnswers.ts`). The runners: `packages/platform-node/test/Bounds.test.ts` (Effect 3) and
 * `packages/effect4/test/node/Bounds.test.ts`.
 */

import { TRANSPORTS } from "./nodeTransport.js"

export { TRANSPORTS } from "./nodeTransport.js"
export { listBody } from "./responseLimit.js"

export const MiB = 1024 * 1024

/** `depth` arrays nested in one another. */
export const deep = (depth: number): string => "[".repeat(depth) + "]".repeat(depth)

/** The operations each nested body is sent to, by name. */
export const OPERATIONS = ["add", "replace", "replacePairs", "list"] as const
export type Operation = typeof OPERATIONS[number]

export const NESTED = {
  depths: [3_000, 100_000],
  /** The 2xx bodies at a depth: each a `ResponseDecodeError`. */
  okBodies: (depth: number): ReadonlyArray<string> => [
    `{"trainingImage":${deep(depth)}}`,
    `{"count":1,"pairs":${deep(depth)}}`,
    deep(depth)
  ],
  /** The decode error's message stays shorter than this. */
  maxMessage: 3_000,
  /** Each rendering of the error stays shorter than this. */
  maxRendered: 400_000,
  errorStatuses: ["400 Bad Request", "404 Not Found", "500 Internal Server Error"],
  errorBody: (depth: number): string => `{"message":"deep","detail":${deep(depth)}}`,
  /** What the error keeps of a nested error body parsed and cut at a fixed depth. */
  keptContains: "nested deeper than",
  keptStartsWith: "{\"message\":\"deep\",\"detail\":[[["
}

export const TOO_LARGE = {
  limit: 2 * MiB,
  /** Declared by its content-length, a 2xx and an error status alike. */
  declared: { size: 3 * MiB, statuses: ["200 OK", "500 Internal Server Error"] },
  /** An endless body is stopped well within the call's timeout (20 s). */
  endlessWithinMillis: 15_000,
  /** A body under the limit of the service, past the one of the call. */
  perCall: { size: 1 * MiB, smallerLimit: 1000 },
  /** A body exactly at a call's limit is read. */
  exact: 1000
}

/** A body of exactly `size` bytes in three chunks, none past the limit on its own. */
export const threePieces = (whole: string): ReadonlyArray<string> => [
  whole.slice(0, 10),
  whole.slice(10, 500),
  whole.slice(500)
]

export const GZIP = {
  limit: 1000,
  bomb: { inflated: 256 * MiB, maxOnTheWire: MiB, limit: 4 * MiB, maxRssGrowth: 128 * MiB }
}

/** `maxResponseBytes` values refused with a ConfigError. */
export const BAD_LIMITS: ReadonlyArray<number> = [0, -1, 1.5, Number.NaN]

export const image = {
  trainingImage: {
    id: "asset_1",
    automaticCaptioning: "",
    createdAt: "2023-02-03T11:19:41.579Z",
    description: "",
    downloadUrl: "https://cdn.example/asset_1.png",
    name: "x.png"
  }
}

export type HeaderLines = ReadonlyArray<readonly [string, string]>

/** 2xx answers asking for a resend: each add and replace is sent once. */
export const AFTER_2XX = {
  headers: [["x-should-retry", "true"], ["retry-after", "0"]] as HeaderLines,
  answers: [
    ["201 Created", JSON.stringify(image)],
    ["201 Created", ""],
    ["200 OK", "{\"trainingImage\":null}"],
    ["200 OK", "not json"]
  ] as ReadonlyArray<readonly [string, string]>
}

/** A 503's `retry-after` lines that ask for no wait: the backoff applies, the retry comes at once. */
export const MALFORMED_RETRY_AFTER: ReadonlyArray<HeaderLines> = [
  [["retry-after", "x 2030"]],
  [["retry-after", "0x2"]],
  [["retry-after", "2e0"]],
  [["retry-after", "Sat 2030"]],
  [["retry-after", "3"], ["retry-after", "3"]],
  [["retry-after-ms", "1e3"]],
  [["retry-after-ms", "0x10"], ["retry-after", "junk"]]
]

/** The retries come sooner than this. */
export const NO_WAIT_MILLIS = 2_500

/** node:http keeps the first of repeated `retry-after` lines (a rule of its own): only one reaches the client. */
export const reachesClientAsSent = (transport: string, headers: HeaderLines): boolean =>
  !(transport.includes("node:http") && headers.length === 2 && headers[1]![0] === "retry-after")

/** A well-formed `retry-after` is honoured: this many milliseconds. */
export const HONOURED = { headers: [["retry-after", "1"]] as HeaderLines, millis: 1000 }

export const INTERIM = ["HTTP/1.1 100 Continue\r\n\r\n", "HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n"]

/**
 * The outcomes an add may end in after an interim response. undici used as it is (fetch, and
 * `@effect/platform-node`'s undici client) closes the connection on a 100: a typed ConnectionError there,
 * documented; the library's transport and node:http skip it.
 */
export const interimOutcomes = (transport: string, interim: string): ReadonlyArray<string> => {
  const thirdPartyUndici = transport === TRANSPORTS.fetch || transport === TRANSPORTS.undici
  return thirdPartyUndici && interim.includes("100") ? ["Success", "ConnectionError"] : ["Success"]
}

/** A delete answered 500, then 404 with this body, ends so. */
export const DELETE_AFTER_500: ReadonlyArray<readonly [string, string]> = [
  ["{\"message\":\"Model m not found\"}", "NotFoundError"],
  ["{\"message\":\"Not Found\"}", "NotFoundError"],
  ["{\"message\":\"Training image t not found in model m\"}", "Success"]
]

/** Marks the credentials below: no error may show it. */
export const SECRET_MARK = "zq9A"

export type CredentialsSpec =
  | { readonly bearer: string }
  | { readonly basic: readonly [apiKey: string, apiSecret: string] }

/** Credentials that cannot travel in a header, and the field the ConfigError names. */
export const BAD_CREDENTIALS: ReadonlyArray<readonly [CredentialsSpec, string]> = [
  [{ bearer: "zq9A\r\nX-Injected: 1" }, "token"],
  [{ bearer: "zq9A B" }, "token"],
  [{ bearer: "zq9Aø" }, "token"],
  [{ bearer: "zq9A€" }, "token"],
  [{ bearer: "" }, "token"],
  [{ basic: ["zq9Akey\n", "zq9Asecret"] }, "apiKey"],
  [{ basic: ["zq9Akey", "zq9Asec\r\nret"] }, "apiSecret"]
]

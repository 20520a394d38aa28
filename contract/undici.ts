/**
 * The undici transport against a node:http server, as plain data for both lines: the requests it puts on the
 * wire and how the server must see them, the answers it reads back and what it must read from them, its
 * failures, and its per-attempt entry. The server's answers are test-support's (`recordingServer.ts`,
 * `httpAnswers.ts`, `limitAnswers.ts`). The runners:
 * `packages/platform-node/test/UndiciHttpClient.test.ts` (Effect 3) and
 * `packages/effect4/test/node/UndiciHttpClient.test.ts`.
 */

/** A POST with a path, a query, headers, a text body and a hash, and how the server sees it. */
export const WIRE = {
  path: "/v1/models/m%2F1/training-images",
  urlParams: { originalAssets: "true", q: "a b&c" },
  headers: { "X-Custom": "value", authorization: "Basic abc" },
  body: "{\"assetId\":\"asset_1\"}",
  contentType: "application/json",
  hash: "ignored",
  seen: {
    method: "POST",
    url: "/v1/models/m%2F1/training-images?originalAssets=true&q=a+b%26c",
    headers: {
      "x-custom": "value",
      authorization: "Basic abc",
      "content-type": "application/json",
      "content-length": "21"
    }
  }
}

/** Bodies of bytes and of a stream. */
export const BODIES = { bytes: 256 * 1024, pieces: ["one,", "two,", "three"], streamed: "one,two,three" }

/** A FormData body: a text field and a file, sent as multipart with the boundary undici writes. */
export const FORM = {
  field: ["name", "lighthouse.png"],
  file: { name: "image", fileName: "l.png", type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47] },
  contentType: /^multipart\/form-data; boundary=(.+)$/
} as const

/** A form of `FORM`'s field and file. */
export const formOf = (): FormData => {
  const form = new FormData()
  form.append(FORM.field[0], FORM.field[1])
  form.append(FORM.file.name, new Blob([new Uint8Array(FORM.file.bytes)], { type: FORM.file.type }), FORM.file.fileName)
  return form
}

/** What a server received as multipart, read back as a form. */
export const readForm = (body: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormData> =>
  new Response(body, { headers: { "content-type": contentType } }).formData()

/** A header a middleware adds. */
export const ADDED = ["x-added", "by middleware"] as const

/** An answer with a request id, two cookies and a BOM before its JSON, and what is read from it. */
export const ANSWER = {
  status: 201,
  headers: [
    ["content-type", "application/json"],
    ["x-request-id", "req_1"],
    ["set-cookie", "a=1; Path=/"],
    ["set-cookie", "b=2; Path=/"]
  ] as ReadonlyArray<readonly [string, string]>,
  body: "\uFEFF{\"trainingImage\":{\"id\":\"asset_1\"}}",
  requestId: "req_1",
  contentType: "application/json",
  cookies: { a: "1", b: "2" },
  text: "{\"trainingImage\":{\"id\":\"asset_1\"}}",
  json: { trainingImage: { id: "asset_1" } },
  /** The first byte of the body's bytes: the BOM's. */
  firstByte: 0xef
}

/** A large body written in pieces. */
export const LARGE = { size: 3 * 1024 * 1024 + 17, piece: 100_000 }

/** A body read twice. */
export const TWICE = { body: { n: 1 }, text: "{\"n\":1}" }

/** A body cut off: its declared length, the part sent, and when the connection is destroyed. */
export const CUT = { declared: 1000, partial: "{\"partial\":", afterMillis: 20 }

/** The request that is never answered, as the server records its abort. */
export const NEVER_ANSWERED = "/never-answered"

/** A traced GET: its path and query, and its span's attributes. */
export const TRACED = { path: "/traced?x=1", method: "GET", status: 200 }

/** The W3C trace context of a span. */
export const traceparent = (traceId: string, spanId: string): string => `00-${traceId}-${spanId}-01`

/** The answer through `layer()`. */
export const VIA_LAYER = { via: "layer" }

/** The answer through `layerWithoutDispatcher()`, over a dispatcher that notes each path it dispatches. */
export const VIA_DISPATCHER = { path: "/shared", body: { via: "shared dispatcher" } }

/**
 * The kinds of the transport's failures, line-neutral, and each line's form of them: the Effect 3 line's
 * error tag and reason, the Effect 4 line's reason tag. `failureKind` names a line's error by its kind.
 */
export const FAILURE_KINDS = {
  transport: { effect3: ["RequestError", "Transport"], effect4: "TransportError" },
  decode: { effect3: ["ResponseError", "Decode"], effect4: "DecodeError" },
  invalidUrl: { effect3: ["RequestError", "InvalidUrl"], effect4: "InvalidUrlError" }
} as const

export type FailureKind = keyof typeof FAILURE_KINDS

const kinds = Object.keys(FAILURE_KINDS) as ReadonlyArray<FailureKind>

/** The kind of a line's error; `undefined`: none of them. */
export const failureKind = {
  effect3: (error: { readonly _tag: string; readonly reason?: unknown }): FailureKind | undefined =>
    kinds.find((kind) =>
      FAILURE_KINDS[kind].effect3[0] === error._tag && FAILURE_KINDS[kind].effect3[1] === error.reason
    ),
  effect4: (error: { readonly reason: { readonly _tag: string } }): FailureKind | undefined =>
    kinds.find((kind) => FAILURE_KINDS[kind].effect4 === error.reason._tag)
}

/** The code of a refused connection, as the transport error's cause carries it. */
export const REFUSED_CODE = "ECONNREFUSED"

/** A request sent to "not a url". */
export const INVALID_URL = "not a url"

/**
 * The transport's per-attempt entry, as each line's client finds it on the transport: `(request, millis,
 * options)`, under the symbol of this key. A body read stopped past `maxResponseBytes` fails with a cause
 * marked, under the symbol of `RESPONSE_TOO_LARGE`, with the limit.
 */
export const EXECUTE_WITH_TIMEOUT = "@effect-scenario/core/HttpClient/executeWithTimeout"
export const RESPONSE_TOO_LARGE = "@effect-scenario/core/ResponseTooLarge"

/** Headers for the wire only: the request's path, the secret and what of it must show nowhere else. */
export const SECRET = {
  path: "/v1/models/m/training-images/t",
  headers: { authorization: "Basic c2VjcmV0" },
  sent: "Basic c2VjcmV0",
  hidden: "c2VjcmV0",
  /** The span of the request (a PUT) under a recording tracer, and its status. */
  span: { effect3: "http.client PUT", effect4: "PUT" },
  status: 200
}

/**
 * A body past the limit, with its length declared or sent chunked (a first piece, the rest a little later),
 * and the limit it is read under; then the same body read under a limit of its own length.
 */
export const PAST_LIMIT = {
  size: 4096,
  limit: 1000,
  declared: "/declared",
  chunked: "/chunked",
  firstPiece: 512,
  restAfterMillis: 10
}

/**
 * A response whose head arrived and whose body stalls (`declared` bytes promised, `partial` sent), dropped
 * unread; the garbage collector is run `collections` times, a little apart, before the abort is awaited.
 */
export const DROPPED = { path: "/dropped", declared: 500, partial: "{\"trainingImage\":", collections: 10 }

/** A request never answered, timed out by the entry's own timer after `millis`. */
export const SLOW = { path: "/slow", millis: 50 }

/** A request never answered, interrupted once the server has it. */
export const INTERRUPTED = "/interrupted"

/** A URL with a dot segment and a space in its path and a query, and how the server sees it. */
export const ODD_URL = { path: "/a/./b c", urlParams: { q: "x y" }, seen: "/a/b%20c?q=x+y" }

/**
 * `maxResponseBytes` over a transport that does not count the body itself (the stub, like fetch or
 * `NodeHttpClient`), at its exact boundaries, as plain data for both lines: a body of exactly the limit is
 * read and one byte more is a `ResponseTooLargeError`, whether streamed in one chunk or several or declared by
 * its `content-length`; a declared length is trusted only when it is a plain number and the body is not
 * compressed; the error carries the response's status, kept headers and request id. A failed body read stays
 * a transport error, whatever its cause.
 *
 * Each test is a list of checks: one stub reply, one call (`list` unless named), the outcome (`read <model id>`,
 * `done`, or the error's tag) and, for an error, the fields that matter. The runners:
 * `packages/core/test/ResponseLimit.test.ts` (Effect 3) and `packages/effect4/test/ResponseLimit.test.ts`.
 */

/** The `maxResponseBytes` of every check. */
export const LIMIT = 100

/** A cause the runner replaces with its line's transport cause marked too large (`RESPONSE_TOO_LARGE`). */
export const MARKED_TOO_LARGE = "cause marked too large"

/** The stub's reply (test-support's `Reply`, the variants used here). */
export type ReplySpec =
  | {
    readonly status: number
    readonly body?: string
    readonly headers?: Readonly<Record<string, string>>
    readonly chunks?: ReadonlyArray<string | Uint8Array>
    readonly streamFails?: { readonly cause: unknown }
  }
  | { readonly requestFails: { readonly cause: unknown } }

/** The fields of an error that must hold; see `errorFacts`. */
export interface ErrorExpected {
  readonly status?: number
  readonly requestId?: string
  readonly maxResponseBytes?: number
  readonly operation?: string
  readonly mayHaveReachedServer?: boolean
  /** Headers kept, matched as a subset. */
  readonly headers?: Readonly<Record<string, string>>
  /** Headers the error must not keep. */
  readonly headersLack?: ReadonlyArray<string>
  /** Own keys the error must not have. */
  readonly keysLack?: ReadonlyArray<string>
  readonly messageContains?: string
  readonly messageLacks?: string
}

export interface Check {
  readonly label: string
  readonly reply: ReplySpec
  readonly call?: "list" | "delete"
  readonly outcome: string
  readonly error?: ErrorExpected
}

export interface Test {
  readonly name: string
  readonly checks: ReadonlyArray<Check>
}

export interface Group {
  readonly name: string
  readonly tests: ReadonlyArray<Test>
}

const model = { id: "m", status: "new", type: "sd-xl", trainingImagesNumber: 0 }

/** A `list` answer of exactly `size` bytes in UTF-8: the model's JSON, padded with spaces (still valid JSON). */
export const listBody = (size: number, id = "m"): string => {
  const json = JSON.stringify({ model: { ...model, id } })
  const bytes = new TextEncoder().encode(json).length
  if (bytes > size) throw new RangeError(`a list body of ${size} bytes cannot hold ${json}`)
  return json + " ".repeat(size - bytes)
}

const READ = "read m"
const TOO_LARGE = "ResponseTooLargeError"

const streamed = (...chunks: ReadonlyArray<string | Uint8Array>): ReplySpec => ({ status: 200, chunks })
const declared = (body: string, headers: Readonly<Record<string, string>>, status = 200): ReplySpec => ({
  status,
  body,
  headers
})

const split = (() => {
  const whole = listBody(LIMIT, "abcdefghij")
  return [whole.slice(0, 13), whole.slice(13, 14), whole.slice(14, 60), whole.slice(60)]
})()

const accented = (() => {
  const bytes = new TextEncoder().encode(listBody(LIMIT, "mé"))
  const at = bytes.indexOf(0xc3) + 1
  return [bytes.slice(0, at), bytes.slice(at)]
})()

const KEPT_HEADERS = {
  "content-length": String(LIMIT + 1),
  "x-request-id": "req_1",
  "set-cookie": "session=secret",
  "x-other": "kept"
}

const carried = (status: number): ErrorExpected => ({
  status,
  requestId: "req_1",
  maxResponseBytes: LIMIT,
  headers: { "x-other": "kept" },
  headersLack: ["set-cookie"],
  operation: "list",
  messageContains: "[request id req_1]"
})

export const groups: ReadonlyArray<Group> = [
  {
    name: "a streamed body (no content-length)",
    tests: [
      {
        name: "exactly maxResponseBytes is read; one byte more is a ResponseTooLargeError",
        checks: [
          { label: "exactly the limit", reply: streamed(listBody(LIMIT)), outcome: READ },
          { label: "one byte more", reply: streamed(listBody(LIMIT + 1)), outcome: TOO_LARGE }
        ]
      },
      {
        name: "several chunks are joined in order; their sum past the limit is a ResponseTooLargeError",
        checks: [
          { label: "four chunks", reply: streamed(...split), outcome: "read abcdefghij" },
          // No chunk is past the limit on its own; together they are one byte over.
          { label: "five chunks, one byte over", reply: streamed(...split, " "), outcome: TOO_LARGE },
          { label: "the limit, then a byte", reply: streamed(" ".repeat(LIMIT), " "), outcome: TOO_LARGE }
        ]
      },
      {
        name: "a character split across chunks is decoded whole",
        checks: [{ label: "é across two chunks", reply: streamed(...accented), outcome: "read mé" }]
      },
      {
        name: "an empty stream, and no body at all (fetch's null body), are the empty text",
        // `list` reads the same empty text: not JSON.
        checks: [
          { label: "empty stream, delete", reply: streamed(), call: "delete", outcome: "done" },
          { label: "empty stream, list", reply: streamed(), outcome: "ResponseDecodeError" },
          { label: "no body, delete", reply: { status: 200 }, call: "delete", outcome: "done" },
          { label: "no body, list", reply: { status: 200 }, outcome: "ResponseDecodeError" }
        ]
      }
    ]
  },
  {
    name: "a declared content-length",
    tests: [
      {
        name: "equal to the limit is read; above it is a ResponseTooLargeError before the body is read",
        checks: [
          {
            label: "declared the limit",
            reply: declared(listBody(LIMIT), { "content-length": String(LIMIT) }),
            outcome: READ
          },
          // The declared length decides: the body is not read (it is shorter than declared here).
          ...[LIMIT + 1, 10 * LIMIT, 1_000_000].map((length): Check => ({
            label: `declared ${length}`,
            reply: declared(listBody(80), { "content-length": String(length) }),
            outcome: TOO_LARGE
          }))
        ]
      },
      {
        name: "within the limit and not compressed, the body is read as the transport delivers it, uncounted",
        // The transport stops at the declared length (every HTTP/1.1 transport does): a stub that sends more
        // shows which read was used.
        checks: [undefined, "", "identity", "Identity"].map((encoding): Check => ({
          label: `content-encoding ${String(encoding)}`,
          reply: declared(listBody(LIMIT + 50), {
            "content-length": "60",
            ...(encoding === undefined ? {} : { "content-encoding": encoding })
          }),
          outcome: READ
        }))
      },
      {
        name: "a compressed body is counted as it is read, whatever its declared length",
        checks: ["gzip", "br", "identity, gzip"].flatMap((encoding): ReadonlyArray<Check> => {
          const headers = { "content-length": "60", "content-encoding": encoding }
          return [
            { label: `${encoding}, past`, reply: declared(listBody(LIMIT + 1), headers), outcome: TOO_LARGE },
            { label: `${encoding}, exact`, reply: declared(listBody(LIMIT), headers), outcome: READ }
          ]
        })
      },
      {
        name: "a length that is not a plain number is not trusted: the body is counted",
        checks: ["0x5", "5x", "x5", "1e1", "5.0", "-5", "+5", ""].flatMap((length): ReadonlyArray<Check> => {
          const headers = { "content-length": length }
          return [
            { label: `"${length}", past`, reply: declared(listBody(LIMIT + 1), headers), outcome: TOO_LARGE },
            { label: `"${length}", exact`, reply: declared(listBody(LIMIT), headers), outcome: READ }
          ]
        })
      }
    ]
  },
  {
    name: "the ResponseTooLargeError",
    tests: [
      {
        name: "carries the status, the kept headers, the request id when given, and the limit",
        checks: [
          ...[200, 500].flatMap((status): ReadonlyArray<Check> => [
            {
              label: `${status}, declared`,
              reply: declared(listBody(LIMIT + 1), KEPT_HEADERS, status),
              outcome: TOO_LARGE,
              error: carried(status)
            },
            {
              label: `${status}, streamed`,
              reply: { status, chunks: [listBody(LIMIT + 1)], headers: KEPT_HEADERS },
              outcome: TOO_LARGE,
              error: carried(status)
            }
          ]),
          {
            label: "no request id",
            reply: streamed(listBody(LIMIT + 1)),
            outcome: TOO_LARGE,
            error: { keysLack: ["requestId"], messageLacks: "request id" }
          }
        ]
      }
    ]
  },
  {
    name: "a body read that fails",
    tests: [
      {
        name: "is a ConnectionError whatever its cause (none, a string, an Error), never too large",
        checks: [null, undefined, "reset", 7, new Error("reset")].map((cause): Check => ({
          label: `cause ${String(cause)}`,
          reply: { status: 200, chunks: ["{\"model\":"], streamFails: { cause } },
          outcome: "ConnectionError",
          error: { mayHaveReachedServer: true }
        }))
      },
      {
        name: "a transport's cause marked too large is a ResponseTooLargeError with the response's fields",
        checks: [{
          label: "marked",
          reply: {
            status: 503,
            chunks: ["{"],
            streamFails: { cause: MARKED_TOO_LARGE },
            headers: { "x-amzn-requestid": "req_2" }
          },
          outcome: TOO_LARGE,
          error: { status: 503, requestId: "req_2", maxResponseBytes: LIMIT }
        }]
      },
      {
        name: "a request that fails before any response is never too large, whatever its cause carries",
        checks: [{ label: "marked", reply: { requestFails: { cause: MARKED_TOO_LARGE } }, outcome: "ConnectionError" }]
      }
    ]
  }
]

/** How a check's call ended, as `Check.outcome` names it. */
export const outcome = (check: Check, ended: { readonly ok: unknown } | { readonly error: unknown }): string =>
  "error" in ended
    ? String((ended.error as { readonly _tag?: unknown })._tag)
    : check.call === "delete"
    ? "done"
    : `read ${(ended.ok as { readonly modelId: string }).modelId}`

/** An error's facts in the shape of `expected`, equal to it when they hold. */
export const errorFacts = (error: unknown, expected: ErrorExpected): ErrorExpected => {
  const e = error as Record<string, unknown>
  const headers = (e.headers ?? {}) as Readonly<Record<string, string>>
  const message = typeof e.message === "string" ? e.message : ""
  const facts: Record<string, unknown> = {}
  for (const key of ["status", "requestId", "maxResponseBytes", "operation", "mayHaveReachedServer"] as const) {
    if (key in expected) facts[key] = e[key]
  }
  if (expected.headers !== undefined) {
    facts.headers = Object.fromEntries(Object.keys(expected.headers).map((name) => [name, headers[name]]))
  }
  if (expected.headersLack !== undefined) facts.headersLack = expected.headersLack.filter((name) => !(name in headers))
  if (expected.keysLack !== undefined) {
    facts.keysLack = expected.keysLack.filter((key) => !Object.keys(e).includes(key))
  }
  if (expected.messageContains !== undefined) {
    facts.messageContains = message.includes(expected.messageContains) ? expected.messageContains : message
  }
  if (expected.messageLacks !== undefined) {
    facts.messageLacks = message.includes(expected.messageLacks) ? message : expected.messageLacks
  }
  return facts as ErrorExpected
}

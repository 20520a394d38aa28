/**
 * `maxRequestBytes`, as plain data for both lines: a body of exactly the limit is sent, one byte more is an
 * `InvalidRequestError` and nothing is sent, bytes are counted in UTF-8, the limit is the client's option or the
 * call's, and a 413 is a `RequestTooLargeError`. Each test runs against a target: `stub`, the line's client over
 * the stub transport (`packages/core/test/RequestLimit.test.ts`, `packages/effect4/test/RequestLimit.test.ts`);
 * `fake` or `emulator`, the in-memory fake or the client over HTTP to the emulator
 * (`packages/testing/test/RequestLimit.test.ts`, `packages/effect4/test/testing/RequestLimit.test.ts`).
 */
import { errorFacts, type Expected, type Line as ErrorLine, trainingImageJson } from "./errors.js"

export type Target = "stub" | "fake" | "emulator"
export type Operation = "add" | "replace" | "replacePairs"

/** API Gateway's limit: the client's default and the emulator's. */
export const GATEWAY_LIMIT = 10_485_760

/** A data URL whose JSON body `{"data":"...","name":"a.png"}` is exactly `size` bytes. */
export const dataOfBodySize = (size: number): string => {
  const overhead = "{\"data\":\"data:image/png;base64,\",\"name\":\"a.png\"}".length
  return `data:image/png;base64,${"A".repeat(size - overhead)}`
}

export interface Call {
  readonly operation: Operation
  readonly params: unknown
  /** The call's own `maxRequestBytes` (`withRequestOptions`). */
  readonly maxRequestBytes?: number
  /** The value's fields (matched as a subset), or the error's facts (`errors.ts`' `errorFacts`). */
  readonly expect: { readonly ok: unknown } | { readonly error: Expected }
  /** How many requests the target has seen after the call. */
  readonly sent?: number
  /** The bodies the stub has seen after the call, in full. */
  readonly sentBodies?: ReadonlyArray<string>
  /** The lengths of the bodies the stub has seen after the call. */
  readonly sentLengths?: ReadonlyArray<number>
}

/** One client (or fake, or emulator) and the calls made on it. */
export interface Check {
  readonly label: string
  /** The client's (or the fake's) `maxRequestBytes`; absent: the default. */
  readonly maxRequestBytes?: number
  /** What the stub answers (a JSON body a reply). */
  readonly replies?: ReadonlyArray<{ readonly status: number; readonly body: unknown }>
  readonly calls: ReadonlyArray<Call>
  /** How many images the emulator's model holds after. */
  readonly stored?: number
}

export interface Test {
  readonly name: string
  readonly target: Target
  /** The runner checks that its line's `DEFAULT_MAX_REQUEST_BYTES` is this. */
  readonly defaultLimit?: number
  /** A fact about the test's own data, checked first. */
  readonly fixture?: { readonly actual: unknown; readonly expected: unknown }
  readonly checks: ReadonlyArray<Check>
}

export const MODEL = "model_limit"

const IMAGE = { status: 200, body: { trainingImage: trainingImageJson() } }
const addData = (size: number): Pick<Call, "operation" | "params"> => ({
  operation: "add",
  params: { modelId: MODEL, data: dataOfBodySize(size), name: "a.png" }
})

/** A replace four bytes over the gateway's limit. */
const OVER_GATEWAY: Pick<Call, "operation" | "params"> = {
  operation: "replace",
  params: { modelId: MODEL, trainingImageId: "asset_1", data: dataOfBodySize(GATEWAY_LIMIT + 4), name: "a.png" }
}

/** 40 "é": 90 UTF-16 units, 130 bytes of JSON. */
export const PAIRS = [{ sourceId: "a", targetId: "b", instruction: "é".repeat(40) }]
const PAIRS_TEXT = JSON.stringify(PAIRS)
const PAIRS_BYTES = 130

const invalid = (...messageContains: ReadonlyArray<string>): { readonly error: Expected } => ({
  error: { _tag: "InvalidRequestError", messageContains }
})

/** The pairs' length and size in bytes, as the cases above take them. */
export const pairsSizes = {
  actual: [PAIRS_TEXT.length, new TextEncoder().encode(PAIRS_TEXT).length],
  expected: [90, PAIRS_BYTES]
} as const

export const tests: ReadonlyArray<Test> = [
  {
    name: "a body of exactly maxRequestBytes is sent; one byte more is refused before sending",
    target: "stub",
    checks: [{
      label: "limit 1000",
      maxRequestBytes: 1000,
      replies: [IMAGE],
      calls: [
        { ...addData(1000), expect: { ok: {} }, sentLengths: [1000] },
        { ...addData(1004), expect: invalid("1004 bytes", "1000 bytes", "resize"), sent: 1 }
      ]
    }]
  },
  {
    name: "the default is API Gateway's 10,485,760 bytes, overridable per call",
    target: "stub",
    defaultLimit: GATEWAY_LIMIT,
    checks: [{
      label: "the default",
      replies: [IMAGE],
      calls: [
        { ...OVER_GATEWAY, expect: { error: { _tag: "InvalidRequestError" } }, sent: 0 },
        {
          ...OVER_GATEWAY,
          maxRequestBytes: 20_000_000,
          expect: { ok: {} },
          sent: 1
        }
      ]
    }]
  },
  {
    name: "pairs bodies count UTF-8 bytes",
    target: "stub",
    checks: [{
      label: "limit 100",
      maxRequestBytes: 100,
      replies: [{ status: 200, body: { count: 0, pairs: [] } }],
      calls: [{
        operation: "replacePairs",
        params: { modelId: MODEL, pairs: PAIRS },
        expect: invalid(`${PAIRS_BYTES} bytes`),
        sent: 0
      }]
    }]
  },
  {
    name: "a multi-byte body near the limit: sent up to its size in bytes, refused with that size above",
    target: "stub",
    fixture: pairsSizes,
    // Around its length, its size in bytes and three times its length (the most UTF-8 can take).
    checks: [89, 90, 91, 129, 130, 131, 269, 270].map((limit): Check => ({
      label: `limit ${limit}`,
      maxRequestBytes: limit,
      replies: [{ status: 200, body: { count: 1, pairs: [] } }],
      calls: [
        limit >= PAIRS_BYTES
          ? {
            operation: "replacePairs",
            params: { modelId: MODEL, pairs: PAIRS },
            expect: { ok: {} },
            sentBodies: [PAIRS_TEXT]
          }
          : {
            operation: "replacePairs",
            params: { modelId: MODEL, pairs: PAIRS },
            expect: {
              error: {
                _tag: "InvalidRequestError",
                issuePaths: [[]],
                messageContains: [`the JSON body is ${PAIRS_BYTES} bytes, over the request limit of ${limit} bytes`]
              }
            },
            sentBodies: []
          }
      ]
    }))
  },
  {
    name: "413 is a RequestTooLargeError",
    target: "stub",
    checks: [{
      label: "413",
      replies: [{ status: 413, body: { message: "Request Too Long" } }],
      calls: [{
        operation: "add",
        params: { modelId: MODEL, assetId: "asset_1" },
        expect: { error: { _tag: "RequestTooLargeError", status: 413, messageContains: ["Request Too Long"] } }
      }]
    }]
  },
  {
    name: "the fake refuses what the client refuses, with the same error",
    target: "fake",
    checks: [{
      label: "limit 500",
      maxRequestBytes: 500,
      calls: [
        { ...addData(500), expect: { ok: {} } },
        {
          ...addData(504),
          expect: {
            error: {
              _tag: "InvalidRequestError",
              message: "Invalid add request: the JSON body is 504 bytes, over the request limit of 500 bytes " +
                "(maxRequestBytes): resize or recompress the image (inline data is base64, 4/3 of the image's bytes)"
            }
          },
          sent: 1
        },
        { ...addData(504), maxRequestBytes: 504, expect: { ok: { name: "a.png" } } }
      ]
    }]
  },
  {
    name: "a multi-byte body is counted in bytes, as the client counts it",
    target: "fake",
    checks: [{
      label: "limit 129",
      maxRequestBytes: 129,
      calls: [{
        operation: "replacePairs",
        params: { modelId: MODEL, pairs: PAIRS },
        expect: invalid("the JSON body is 130 bytes, over the request limit of 129 bytes"),
        sent: 0
      }]
    }]
  },
  {
    name: "the emulator answers 413 Request Too Long above API Gateway's limit: RequestTooLargeError",
    target: "emulator",
    checks: [{
      label: "the gateway's limit",
      // Raised so that the body reaches the emulator, whose default limit is the gateway's.
      maxRequestBytes: 20_000_000,
      calls: [
        { ...addData(GATEWAY_LIMIT), expect: { ok: { name: "a.png" } } },
        {
          ...addData(GATEWAY_LIMIT + 4),
          expect: { error: { _tag: "RequestTooLargeError", status: 413, body: { message: "Request Too Long" } } }
        }
      ],
      stored: 1
    }]
  }
]

/** The calls whose body `checkRequestSize` must measure as the client sends it. */
export const sizedCalls: ReadonlyArray<readonly [Operation, unknown]> = [
  ["add", { modelId: "m", assetId: "asset_1", preset: "style" }],
  ["add", { modelId: "m", assetIds: ["asset_1", "asset_2"] }],
  ["add", { modelId: "m", data: dataOfBodySize(200), name: "é.png", preset: "style" }],
  ["replace", { modelId: "m", trainingImageId: "t", data: dataOfBodySize(200), name: "a.png" }],
  ["replacePairs", { modelId: "m", pairs: PAIRS }],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: "b" }] }]
]

/** The calls with no body: within any limit. */
export const unsizedCalls: ReadonlyArray<readonly [string, unknown]> = [
  ["delete", { modelId: "m", trainingImageId: "t" }],
  ["list", { modelId: "m" }]
]

/**
 * What `check` (the line's `checkRequestSize`) says of a call whose body was sent as `body`: nothing at its
 * size in bytes, and one byte under, an error naming the operation, the whole body and both sizes. Returned
 * with what is expected, to compare.
 */
export const sizeFacts = (
  operation: Operation,
  params: unknown,
  body: string,
  check: (operation: never, params: never, limit: number) => unknown
): { readonly actual: unknown; readonly expected: unknown } => {
  const bytes = new TextEncoder().encode(body).length
  const under = check(operation as never, params as never, bytes - 1) as Record<string, unknown> | undefined
  const message = typeof under?.message === "string" ? under.message : ""
  const words = `the JSON body is ${bytes} bytes, over the request limit of ${bytes - 1}`
  return {
    actual: {
      atSize: check(operation as never, params as never, bytes),
      operation: under?.operation,
      issuePaths: (under?.issues as ReadonlyArray<{ readonly path: unknown }> | undefined)?.map((issue) => issue.path),
      message: message.includes(words) ? words : message
    },
    expected: { atSize: undefined, operation, issuePaths: [[]], message: words }
  }
}

/** How a call ended: its value, or its error (a typed failure, or the cause when there is none). */
export type Ended = { readonly ok: unknown } | { readonly error: unknown }

/** What a line's runner gives `runCheck`: the target the check names, behind plain promises. */
export interface Driver {
  readonly call: (call: Call) => Promise<Ended>
  /** The requests the target has seen so far (the stub's with their `body`). */
  readonly sent: () => Promise<ReadonlyArray<unknown>>
  /** How many images the model holds (the emulator's). */
  readonly stored: () => Promise<number | undefined>
}

/** The runner's comparisons (vitest's `toEqual` and `toMatchObject`, with the call named). */
export interface Compare {
  readonly equal: (actual: unknown, expected: unknown, label: string) => void
  readonly matches: (actual: unknown, expected: unknown, label: string) => void
}

/** Runs a check's calls in order against `driver`, comparing each outcome and what was sent after it. */
export const runCheck = async (
  check: Check,
  driver: Driver,
  line: ErrorLine,
  compare: Compare
): Promise<void> => {
  for (const [index, call] of check.calls.entries()) {
    const label = `${check.label}, call ${index + 1}`
    const ended = await driver.call(call)
    if ("ok" in call.expect) {
      compare.equal("ok" in ended, true, `${label}: ${"error" in ended ? String(ended.error) : "ok"}`)
      if ("ok" in ended) compare.matches(ended.ok, call.expect.ok, label)
    } else {
      compare.equal("error" in ended, true, `${label}: an error`)
      if ("error" in ended) compare.equal(errorFacts(ended.error, call.expect.error, line), call.expect.error, label)
    }
    const sent = (await driver.sent()) as ReadonlyArray<{ readonly body?: string }>
    if (call.sent !== undefined) compare.equal(sent.length, call.sent, label)
    if (call.sentBodies !== undefined) compare.equal(sent.map((request) => request.body), call.sentBodies, label)
    if (call.sentLengths !== undefined) {
      compare.equal(sent.map((request) => request.body?.length), call.sentLengths, label)
    }
  }
  if (check.stored !== undefined) compare.equal(await driver.stored(), check.stored, `${check.label}: stored`)
}

/** What a line lends a test: how to reach its target for a check, and its own constants and functions. */
export interface LineOf {
  readonly driver: (check: Check) => Promise<Driver>
  readonly errors: ErrorLine
  /** The line's `DEFAULT_MAX_REQUEST_BYTES`. */
  readonly defaultLimit: number
  /** The line's `TrainingImages.checkRequestSize`. */
  readonly checkRequestSize: (operation: never, params: never, limit: number) => unknown
}

/** Runs a test of the table: its fixture and the line's default first, then each check on a target of its own. */
export const runTest = async (test: Test, line: LineOf, compare: Compare): Promise<void> => {
  if (test.defaultLimit !== undefined) compare.equal(line.defaultLimit, test.defaultLimit, "the default limit")
  if (test.fixture !== undefined) compare.equal(test.fixture.actual, test.fixture.expected, "the test's data")
  for (const check of test.checks) await runCheck(check, await line.driver(check), line.errors, compare)
}

/**
 * `checkRequestSize` measures each of `sizedCalls` as the client sends it (through the stub, whose answer does
 * not matter), and finds every one of `unsizedCalls` within any limit.
 */
export const runSized = async (line: LineOf, compare: Compare): Promise<void> => {
  for (const [operation, params] of sizedCalls) {
    const target = await line.driver({ label: operation, replies: [{ status: 200, body: {} }], calls: [] })
    await target.call({ operation, params, expect: { ok: {} } })
    const sent = (await target.sent()) as ReadonlyArray<{ readonly body?: string }>
    compare.equal(sent.length, 1, operation)
    const body = sent[0]?.body ?? ""
    const { actual, expected } = sizeFacts(operation, params, body, line.checkRequestSize)
    compare.equal(actual, expected, `${operation} ${body}`)
  }
  for (const [operation, params] of unsizedCalls) {
    compare.equal(line.checkRequestSize(operation as never, params as never, 0), undefined, operation)
  }
}

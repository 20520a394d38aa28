/**
 * The retry rules and the reading of responses at their exact boundaries, as plain data for both lines: which
 * statuses and failures are retried, the jitter, the 60 s cap on a server's requested wait, Retry-After against
 * a clock that is not at the epoch, the request id a response carries, and the exported decisions
 * (`defaultShouldRetry`, `isAnsweredWithSuccess`, `isTrainingImageNotFound`) called directly at their edges.
 * Each line's `test/RetryBoundaries.test.ts` is a runner over `groups`: a `Run` goes through the line's service
 * over the stub transport (its TestClock moved step by step), a `Read` through its `ApiResponse.interpret`, a
 * `Decision` through its `RetryPolicy` functions, on an error the runner builds from an `ErrorSpec`.
 */
import { trainingImageJson } from "./errors.js"

export type Call = "add" | "replace" | "delete" | "list" | "replacePairs"

/** What the stub answers one attempt with (a subset of test-support's `Reply`). */
export type Reply =
  | {
    readonly status: number
    readonly body?: unknown
    readonly headers?: Record<string, string>
  }
  | { readonly refuse: true }
  | { readonly hang: true }

/** The policy of the service; absent: the default one. */
export type Policy =
  | {
    readonly jitter?: boolean
    readonly initialDelayMs?: number
    readonly maxDelayMs?: number
    readonly maxRetries?: number
    readonly maxRetryAfterMs?: number
  }
  /** `RetryPolicy.none` with the default backoff put back as its schedule. */
  | "noneWithBackoff"

/** What one call through the service came to, as the runner reads it. */
export interface RunResult {
  /** The requests sent after each step of the clock. */
  readonly seen: ReadonlyArray<number>
  /** The requests sent in all. */
  readonly attempts: number
  /** `Success`, the error's tag, or `Defect`. */
  readonly outcome: string
  /** The error's `retryAfter` in milliseconds, if it has one. */
  readonly retryAfterMs: number | undefined
}

/** The facts of a `RunResult` a run checks; absent: not compared. */
export interface RunExpected {
  readonly attempts?: number
  readonly seen?: ReadonlyArray<number>
  readonly outcome?: string
  /** Whether the outcome is `Success`. */
  readonly succeeded?: boolean
  readonly retryAfterMs?: number | undefined
}

/** One call through the service against scripted replies. */
export interface Run {
  readonly label?: string
  readonly replies: ReadonlyArray<Reply>
  readonly call: Call
  /** The clock moved by each of these (milliseconds) in turn, the requests counted after each; then one hour. */
  readonly steps?: ReadonlyArray<number>
  /** A random source that always draws this. */
  readonly random?: number
  readonly policy?: Policy
  /** The TestClock set to this (ms since the epoch) first. */
  readonly now?: number
  readonly expect: RunExpected
}

/** What `ApiResponse.interpret` gave for one response, as the runner reads it. */
export interface ReadResult {
  /** `Success`, the error's tag, or `Defect`. */
  readonly outcome: string
  readonly status: number | undefined
  readonly requestId: string | undefined
  readonly retryAfterMs: number | undefined
}

export interface ReadExpected {
  readonly outcome?: string
  readonly status?: number
  readonly requestId?: string | undefined
  readonly retryAfterMs?: number | undefined
}

/** One response read by `ApiResponse.interpret` (as a `replace` decoding a training image). */
export interface Read {
  readonly label?: string
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  /** The TestClock set to this (ms since the epoch) first. */
  readonly now?: number
  readonly expect: ReadExpected
}

/** The call every error here names. */
export const LINE = { operation: "replace", method: "PUT", url: "https://api.example.test/v1/models/m" } as const

/**
 * An error the runner builds with its line's classes, `LINE`'s fields and these: `undecodable`, a
 * ResponseDecodeError (empty body, issue "no"); `tooLarge`, a ResponseTooLargeError (`maxResponseBytes` 1);
 * `status`, the status error of that tag (headers default `{}`, body `""`); `notFound`, a NotFoundError with
 * exactly this body (404, headers `{}`); `connection` and `timeout` (1 s); `invalid`, an InvalidRequestError of
 * `add` with one issue at `modelId`.
 */
export type ErrorSpec =
  | { readonly make: "undecodable"; readonly status: number; readonly headers?: Record<string, string> }
  | { readonly make: "tooLarge"; readonly status: number; readonly headers?: Record<string, string> }
  | {
    readonly make: "status"
    readonly tag: string
    readonly status: number
    readonly headers?: Record<string, string>
    readonly body?: unknown
  }
  | { readonly make: "notFound"; readonly body: unknown }
  | { readonly make: "connection"; readonly mayHaveReachedServer: boolean }
  | { readonly make: "timeout"; readonly mayHaveReachedServer: boolean }
  | { readonly make: "invalid" }

/** The answers of the decisions about one error, as the runner reads them. */
export interface Decisions {
  readonly isAnsweredWithSuccess: boolean
  /** `defaultShouldRetry` for an idempotent `replace` (PUT). */
  readonly shouldRetryIdempotent: boolean
  /** `defaultShouldRetry` for `add` (POST, not idempotent). */
  readonly shouldRetryPost: boolean
  /** `RetryPolicy.none.shouldRetry` for an idempotent `replace`. */
  readonly noneShouldRetry: boolean
  readonly isTrainingImageNotFound: boolean
}

export interface Decision {
  readonly label: string
  readonly error: ErrorSpec
  readonly expect: Partial<Decisions>
}

/** One test: its runs, reads and decisions, each checked in turn; a fact of its own data first. */
export interface Test {
  readonly name: string
  readonly fixture?: { readonly actual: unknown; readonly expected: unknown }
  readonly runs?: ReadonlyArray<Run>
  readonly reads?: ReadonlyArray<Read>
  readonly decisions?: ReadonlyArray<Decision>
}

export interface Group {
  readonly name: string
  readonly tests: ReadonlyArray<Test>
}

/** The facts of `actual` that `expected` names, to compare with `toEqual`. */
export const factsOf = <E extends object>(actual: object, expected: E): E => {
  const all: Record<string, unknown> = {
    ...actual,
    ...("outcome" in actual ? { succeeded: actual.outcome === "Success" } : {})
  }
  return Object.fromEntries(Object.keys(expected).map((key) => [key, all[key]])) as E
}

/**
 * The facts of a call's end both kinds of check read: `outcome` (`Success`, the error's tag, or `Defect`) and
 * the error (undefined on a success), its `retryAfter` read with the line's `Duration.toMillis`.
 */
export const readResult = <D>(
  outcome: string,
  error: unknown,
  toMillis: (duration: D) => number
): ReadResult => {
  const fields = (error ?? {}) as { readonly status?: number; readonly requestId?: string; readonly retryAfter?: D }
  return {
    outcome,
    status: fields.status,
    requestId: fields.requestId,
    retryAfterMs: fields.retryAfter === undefined ? undefined : toMillis(fields.retryAfter)
  }
}

/**
 * The error an `ErrorSpec` stands for, built with the line's classes (its `TrainingImagesError` module, looked
 * up by tag) and `oneSecond`, its `Duration` of 1 s.
 */
export const errorFor = <E>(spec: ErrorSpec, classes: object, oneSecond: unknown): E => {
  const make = (tag: string, fields: object): E => {
    const Class = (classes as Record<string, (new(fields: object) => E) | undefined>)[tag]
    if (Class === undefined) throw new Error(`the line has no ${tag}`)
    return new Class(fields)
  }
  switch (spec.make) {
    case "undecodable":
      return make("ResponseDecodeError", {
        ...LINE,
        status: spec.status,
        headers: { ...spec.headers },
        body: "",
        bodyLength: 0,
        issue: "no"
      })
    case "tooLarge":
      return make("ResponseTooLargeError", {
        ...LINE,
        status: spec.status,
        headers: { ...spec.headers },
        maxResponseBytes: 1
      })
    case "status":
      return make(spec.tag, { ...LINE, status: spec.status, headers: { ...spec.headers }, body: spec.body })
    case "notFound":
      return make("NotFoundError", { ...LINE, status: 404, headers: {}, body: spec.body })
    case "connection":
      return make("ConnectionError", { ...LINE, mayHaveReachedServer: spec.mayHaveReachedServer })
    case "timeout":
      return make("TimeoutError", { ...LINE, timeout: oneSecond, mayHaveReachedServer: spec.mayHaveReachedServer })
    case "invalid":
      return make("InvalidRequestError", {
        operation: "add",
        issues: [{ path: ["modelId"], message: "must not be empty" }]
      })
  }
}

// ---------------------------------------------------------------------------------------------------------

const ok: Reply = { status: 200, body: { trainingImage: trainingImageJson() } }
const imageGone: Reply = { status: 404, body: { message: "Training image t not found in model m" } }
const label = (value: unknown) => JSON.stringify(value)

/** A 429 (or `status`) with `{"message":"no"}` read for its wait. */
const wait = (headers: Record<string, string>, retryAfterMs: number | undefined, now?: number): Read => ({
  label: label(headers),
  status: 429,
  headers,
  text: "{\"message\":\"no\"}",
  ...(now === undefined ? {} : { now }),
  expect: { outcome: "RateLimitError", retryAfterMs }
})

const requestId = (headers: Record<string, string>, id: string | undefined): Read => ({
  label: label(headers),
  status: 500,
  headers,
  text: "{\"message\":\"no\"}",
  expect: { outcome: "InternalServerError", requestId: id }
})

const statusError = (tag: string, status: number, headers: Record<string, string> = {}, body: unknown = "") =>
  ({ make: "status", tag, status, headers, body }) as const

const NOW = Date.parse("2030-03-01T12:00:00.000Z")

/** The reply that ends a call of each kind well. */
const done = (call: Call): Reply =>
  call === "list"
    ? { status: 200, body: { model: { id: "m", status: "new", trainingImagesNumber: 0 } } }
    : call === "replacePairs"
    ? { status: 200, body: { count: 0, pairs: [] } }
    : call === "delete"
    ? { status: 204 }
    : ok

const within = " ".repeat(1000 - "training image not found".length) + "training image not found"
const past = " " + within

const notFoundTexts = [
  "training image not found",
  "Training images t1, t2 not found",
  "TRAINING_IMAGE_NOT_FOUND",
  "training_image_not_found",
  "training-image-not-found",
  "trainingImage notFound",
  "trainingimage notfound",
  "error: training image t not found."
]

const otherTexts = [
  "Not Found",
  "Model m not found",
  "not found: training image t",
  "retraining image not found",
  "2training image not found",
  "training imagery not found",
  "training image2 not found",
  "training image cannot found",
  "training image not foundation",
  "training image not found2",
  "training image found"
]

const notFound = (body: unknown, isNotFound: boolean, name = label(body)): Decision => ({
  label: name,
  error: { make: "notFound", body },
  expect: { isTrainingImageNotFound: isNotFound }
})

export const groups: ReadonlyArray<Group> = [
  {
    name: "what is retried",
    tests: [
      {
        name: "a 404 after an attempt that may have been applied is a success for delete only",
        runs: [
          ...(["replace", "list", "replacePairs"] as const).map((call): Run => ({
            label: call,
            replies: [{ status: 500 }, imageGone],
            call,
            expect: { outcome: "NotFoundError", attempts: 2 }
          })),
          { replies: [{ status: 500 }, imageGone], call: "delete", expect: { outcome: "Success", attempts: 2 } }
        ]
      },
      {
        name: "a delete that timed out, then found the image gone: success",
        runs: [{ replies: [{ hang: true }, imageGone], call: "delete", expect: { outcome: "Success", attempts: 2 } }]
      },
      {
        name: "a delete whose first attempt surely did nothing keeps its 404",
        runs: ([{ refuse: true }, { status: 503 }, { status: 429 }, { status: 409 }] as const).map((first): Run => ({
          label: label(first),
          replies: [first, imageGone],
          call: "delete",
          expect: { outcome: "NotFoundError" }
        }))
      },
      {
        name: "unexpected statuses (418, 3xx, 1xx-like) and 4xx other than 408, 409, 429 are not retried",
        runs: [300, 301, 302, 304, 307, 400, 401, 403, 404, 405, 410, 418, 422, 451].flatMap((status) =>
          (["replace", "delete", "add"] as const).map((call): Run => ({
            label: `${call} ${status}`,
            replies: [{ status, body: { message: "no" } }, ok],
            call,
            expect: { attempts: 1, succeeded: false }
          }))
        )
      },
      {
        name: "408 and 409 are retried for idempotent calls only; 429 and 503 for every call; 500 not for add",
        runs: ([
          [408, "replace", 2],
          [408, "add", 1],
          [409, "delete", 2],
          [409, "add", 1],
          [429, "add", 2],
          [503, "add", 2],
          [500, "add", 1],
          [502, "add", 1],
          [500, "list", 2],
          [599, "replacePairs", 2]
        ] as const).map(([status, call, attempts]): Run => ({
          label: `${call} ${status}`,
          replies: [{ status }, done(call)],
          call,
          expect: { attempts }
        }))
      }
    ]
  },
  {
    name: "backoff and jitter",
    tests: [
      {
        name: "the jitter takes up to 25% off: with the random at 0.5, 437.5 ms then 875 ms",
        runs: [{
          replies: [{ status: 500 }],
          call: "replace",
          // t = 437: not yet; t = 438: the first retry (437.5); t = 1312: not yet; t = 1313: the second
          // (437.5 + 875 = 1312.5).
          steps: [0, 437, 1, 874, 1],
          random: 0.5,
          expect: { seen: [1, 1, 2, 2, 3] }
        }]
      },
      {
        name: "the jitter's bounds: 0 gives 75% of the delay, 1 all of it",
        runs: [
          { replies: [{ status: 500 }], call: "replace", steps: [374, 1], random: 0, expect: { seen: [1, 2] } },
          { replies: [{ status: 500 }], call: "replace", steps: [499, 1], random: 1, expect: { seen: [1, 2] } }
        ]
      },
      {
        name: "without jitter the delay is exact",
        runs: [{
          replies: [{ status: 500 }],
          call: "replace",
          policy: { jitter: false, initialDelayMs: 100, maxDelayMs: 150, maxRetries: 3 },
          steps: [99, 1, 149, 1, 149, 1],
          // 100, then 200 capped to 150, then 150.
          expect: { seen: [1, 2, 2, 3, 3, 4] }
        }]
      }
    ]
  },
  {
    name: "the 60 s cap on a requested wait",
    tests: [
      {
        name: "59.999 s and 60 s are waited for; 60.001 s is not, and the error carries it",
        runs: [
          ...([["59999", true], ["60000", true], ["60001", false]] as const).map(([ms, retried]): Run => ({
            label: ms,
            replies: [{ status: 429, headers: { "retry-after-ms": ms } }, ok],
            call: "replace",
            steps: [Number(ms) - 1, 1],
            expect: retried
              ? { attempts: 2, seen: [1, 2] }
              : { attempts: 1, outcome: "RateLimitError", retryAfterMs: Number(ms) }
          })),
          ...([["60", true], ["61", false]] as const).map(([seconds, retried]): Run => ({
            label: seconds,
            replies: [{ status: 503, headers: { "retry-after": seconds } }, ok],
            call: "replace",
            expect: { attempts: retried ? 2 : 1 }
          }))
        ]
      },
      {
        name: "a policy's own cap is used instead",
        runs: [{
          replies: [{ status: 429, headers: { "retry-after": "5" } }, ok],
          call: "replace",
          policy: { maxRetryAfterMs: 5000 },
          steps: [5000],
          expect: { seen: [2], attempts: 2 }
        }]
      }
    ]
  },
  {
    name: "reading a response",
    tests: [
      {
        name: "retry-after-ms: milliseconds; blank, negative or not a number is ignored",
        reads: [
          wait({ "retry-after-ms": "0" }, 0),
          wait({ "retry-after-ms": "1" }, 1),
          wait({ "retry-after-ms": "1500" }, 1500),
          ...["", " ", "-1", "-0.5", "NaN", "abc", "Infinity"].flatMap((value) => [
            wait({ "retry-after-ms": value }, undefined),
            // Ignored, it leaves retry-after to decide.
            wait({ "retry-after-ms": value, "retry-after": "3" }, 3000)
          ])
        ]
      },
      {
        name: "retry-after: seconds; blank or negative is ignored",
        reads: [
          wait({ "retry-after": "0" }, 0),
          wait({ "retry-after": "7" }, 7000),
          ...["", "  ", "-1", "-30"].map((value) => wait({ "retry-after": value }, undefined))
        ]
      },
      {
        name: "an HTTP-date is a wait from now, whatever the clock reads; a past date is no wait",
        reads: [
          wait({ "retry-after": new Date(NOW + 3000).toUTCString() }, 3000, NOW),
          wait({ "retry-after": new Date(NOW + 45_000).toUTCString() }, 45_000, NOW),
          wait({ "retry-after": new Date(NOW - 3000).toUTCString() }, 0, NOW),
          wait({ "retry-after": "Thu, 01 Jan 1970 00:00:00 GMT" }, 0, NOW)
        ]
      },
      {
        name: "an HTTP-date in each of its three forms",
        reads: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"].map(
          (date) => wait({ "retry-after": date }, 37_000, Date.parse("1994-11-06T08:49:00.000Z"))
        )
      },
      {
        name: "the retry through an HTTP-date under a clock past the epoch",
        runs: [{
          now: NOW,
          replies: [{ status: 503, headers: { "retry-after": new Date(NOW + 2000).toUTCString() } }, ok],
          call: "replace",
          steps: [1999, 1],
          expect: { seen: [1, 2] }
        }]
      },
      {
        name: "the request id: each gateway header, the first non-empty one in order",
        reads: [
          ...["x-request-id", "x-amzn-requestid", "apigw-requestid", "x-amz-apigw-id", "x-amz-request-id"].flatMap((
            name
          ) => [requestId({ [name]: "req_1" }, "req_1"), requestId({ [name]: "" }, undefined)]),
          requestId({ "x-request-id": "", "apigw-requestid": "req_2" }, "req_2"),
          requestId({ "x-amz-request-id": "req_3", "x-request-id": "req_4" }, "req_4"),
          requestId({ "x-amz-apigw-id": "req_5", "apigw-requestid": "req_6" }, "req_6"),
          requestId({}, undefined)
        ]
      },
      {
        name: "a 2xx body that does not decode: ResponseDecodeError with the request id",
        reads: [
          ...["{}", "not json", ""].map((text): Read => ({
            label: label(text),
            status: 200,
            headers: { "apigw-requestid": "req_9" },
            text,
            expect: { outcome: "ResponseDecodeError", requestId: "req_9" }
          })),
          { status: 201, headers: {}, text: "{}", expect: { outcome: "ResponseDecodeError", requestId: undefined } }
        ]
      },
      {
        name: "2xx is a success from 200 to 299; 1xx and 3xx are status errors",
        reads: [
          ...[200, 201, 204, 299].map((status): Read => ({
            label: String(status),
            status,
            headers: {},
            text: JSON.stringify({ trainingImage: trainingImageJson() }),
            expect: { outcome: "Success" }
          })),
          ...[100, 101, 199, 300, 301, 304, 399].map((status): Read => ({
            label: String(status),
            status,
            headers: {},
            text: JSON.stringify({ trainingImage: trainingImageJson() }),
            expect: { outcome: "UnexpectedStatusError", status }
          }))
        ]
      }
    ]
  },
  {
    name: "after a 2xx nothing is retried, and the Retry-After grammar (RFC 9110)",
    tests: [
      {
        name: "a delete whose retry finds the model gone is a NotFoundError: only an image not found converges",
        runs: [{
          replies: [{ status: 500 }, { status: 404, body: { message: "Model m not found" } }],
          call: "delete",
          expect: { outcome: "NotFoundError", attempts: 2 }
        }]
      },
      {
        name: "a 2xx is never retried, whatever x-should-retry says and whether its body decodes",
        runs: ([
          { status: 201, body: { trainingImage: trainingImageJson() }, headers: { "x-should-retry": "true" } },
          { status: 200, body: "not json", headers: { "x-should-retry": "true" } },
          { status: 200, body: {}, headers: { "x-should-retry": "true", "retry-after": "0" } }
        ] as const).flatMap((reply) =>
          (["add", "replace"] as const).map((call): Run => ({
            label: `${call} ${label(reply)}`,
            replies: [reply, ok],
            call,
            expect: { attempts: 1 }
          }))
        )
      },
      {
        name: "delay-seconds is digits only, an HTTP-date one of its three forms; anything else is ignored",
        reads: [
          ...[
            "2",
            "002",
            "Fri, 01 Mar 2030 12:00:02 GMT",
            "Friday, 01-Mar-30 12:00:02 GMT",
            "Fri Mar  1 12:00:02 2030"
          ].map((value) => ({ ...wait({ "retry-after": value }, 2000, NOW), text: "" })),
          ...["0x2", "2e0", "2.0", "1.5", "+2", "-0", "2, 3", "x 2030", "2030-03-01", "soon"].map((value) => ({
            ...wait({ "retry-after": value }, undefined, NOW),
            text: ""
          }))
        ]
      }
    ]
  },
  {
    name: "the decisions, called directly",
    tests: [
      {
        name: "isAnsweredWithSuccess: a status from 200 to 299, nothing else",
        decisions: [
          ...[200, 201, 204, 299].flatMap((status): ReadonlyArray<Decision> => [
            { label: String(status), error: { make: "undecodable", status }, expect: { isAnsweredWithSuccess: true } },
            { label: String(status), error: { make: "tooLarge", status }, expect: { isAnsweredWithSuccess: true } }
          ]),
          ...[100, 199, 300, 408, 500].flatMap((status): ReadonlyArray<Decision> => [
            {
              label: String(status),
              error: statusError("UnexpectedStatusError", status),
              expect: { isAnsweredWithSuccess: false }
            },
            { label: String(status), error: { make: "tooLarge", status }, expect: { isAnsweredWithSuccess: false } }
          ]),
          {
            label: "503",
            error: statusError("InternalServerError", 503),
            expect: { isAnsweredWithSuccess: false }
          },
          {
            label: "connection lost",
            error: { make: "connection", mayHaveReachedServer: true },
            expect: { isAnsweredWithSuccess: false }
          }
        ]
      },
      {
        name: "defaultShouldRetry after a 2xx: false, even when x-should-retry says true",
        decisions: ([
          ["undecodable", 200],
          ["undecodable", 299],
          ["tooLarge", 200],
          ["tooLarge", 201]
        ] as const).map(([make, status]): Decision => ({
          label: `${make} ${status}`,
          error: { make, status, headers: { "x-should-retry": "true" } },
          expect: { shouldRetryIdempotent: false, shouldRetryPost: false }
        }))
      },
      {
        name: "x-should-retry decides on every status outside 2xx, 1xx and 3xx included",
        decisions: [
          ...[101, 199, 300, 304, 400, 404].flatMap((status): ReadonlyArray<Decision> => [
            {
              label: String(status),
              error: statusError("UnexpectedStatusError", status, { "x-should-retry": "true" }),
              expect: { shouldRetryPost: true }
            },
            {
              label: String(status),
              error: statusError("UnexpectedStatusError", status),
              expect: { shouldRetryIdempotent: false }
            }
          ]),
          {
            label: "503, x-should-retry false",
            error: statusError("InternalServerError", 503, { "x-should-retry": "false" }),
            expect: { shouldRetryIdempotent: false }
          },
          // A body too large under an error status: the header is read there too.
          {
            label: "502 body too large",
            error: { make: "tooLarge", status: 502, headers: { "x-should-retry": "true" } },
            expect: { shouldRetryPost: true }
          },
          // Any other value is no answer.
          {
            label: "x-should-retry yes",
            error: statusError("UnexpectedStatusError", 300, { "x-should-retry": "yes" }),
            expect: { shouldRetryPost: false }
          }
        ]
      },
      {
        name: "defaultShouldRetry: each failure, for an idempotent call and for add, exactly true or false",
        decisions: ([
          ["invalid params", { make: "invalid" }, false, false],
          ["a 2xx that did not decode", { make: "undecodable", status: 200 }, false, false],
          ["a 500 body too large", { make: "tooLarge", status: 500 }, false, false],
          ["connection refused", { make: "connection", mayHaveReachedServer: false }, true, true],
          ["connection lost", { make: "connection", mayHaveReachedServer: true }, true, false],
          ["timeout before sending", { make: "timeout", mayHaveReachedServer: false }, true, true],
          ["timeout after sending", { make: "timeout", mayHaveReachedServer: true }, true, false],
          ["400", statusError("BadRequestError", 400), false, false],
          ["401", statusError("AuthenticationError", 401), false, false],
          ["403", statusError("PermissionDeniedError", 403), false, false],
          ["404", statusError("NotFoundError", 404), false, false],
          ["409", statusError("ConflictError", 409), true, false],
          ["413", statusError("RequestTooLargeError", 413), false, false],
          ["422", statusError("UnprocessableEntityError", 422), false, false],
          ["429", statusError("RateLimitError", 429), true, true],
          ["500", statusError("InternalServerError", 500), true, false],
          ["502", statusError("InternalServerError", 502), true, false],
          ["503", statusError("InternalServerError", 503), true, true],
          ["408", statusError("UnexpectedStatusError", 408), true, false],
          ["407", statusError("UnexpectedStatusError", 407), false, false],
          ["418", statusError("UnexpectedStatusError", 418), false, false]
        ] as const).map(([name, error, forIdempotent, forPost]): Decision => ({
          label: name,
          error,
          expect: { shouldRetryIdempotent: forIdempotent, shouldRetryPost: forPost }
        }))
      },
      {
        name: "RetryPolicy.none says no itself, so its decision holds under another schedule",
        decisions: [
          {
            label: "ConnectionError",
            error: { make: "connection", mayHaveReachedServer: false },
            expect: { noneShouldRetry: false }
          },
          {
            label: "InternalServerError",
            error: statusError("InternalServerError", 503),
            expect: { noneShouldRetry: false }
          }
        ]
      },
      {
        name: "RetryPolicy.none with a schedule put back still never retries",
        runs: [{
          replies: [{ status: 503 }, ok],
          call: "replace",
          policy: "noneWithBackoff",
          expect: { outcome: "InternalServerError", attempts: 1 }
        }]
      },
      {
        name: "isTrainingImageNotFound: a NotFoundError only",
        decisions: [
          notFound({ message: "Training image t not found in model m" }, true),
          ...([
            statusError("InternalServerError", 500, {}, { message: "Training image t not found in model m" }),
            statusError("ConflictError", 409, {}, { message: "Training image t not found in model m" }),
            statusError("BadRequestError", 400, {}, "Training image t not found")
          ] as const).map((error): Decision => ({
            label: error.tag,
            error,
            expect: { isTrainingImageNotFound: false }
          })),
          {
            label: "ConnectionError",
            error: { make: "connection", mayHaveReachedServer: true },
            expect: { isTrainingImageNotFound: false }
          }
        ]
      },
      {
        name: "isTrainingImageNotFound: a text body, each message field, and no other body",
        decisions: [
          notFound("Training image t not found in model m", true),
          ...["message", "apiError", "error", "reason", "detail"].map((field) =>
            notFound({ [field]: "training image not found" }, true, field)
          ),
          ...["title", "description", "code", "Message"].map((field) =>
            notFound({ [field]: "training image not found" }, false, field)
          ),
          ...[null, undefined, 404, true, "", [], ["training image not found"], { message: 404 }].map((body) =>
            notFound(body, false, String(label(body)))
          )
        ]
      },
      {
        name: "isTrainingImageNotFound: case, and a space, _ or - (or nothing) between the words, aside",
        decisions: [
          ...notFoundTexts.flatMap((text) => [notFound(text, true, text), notFound({ message: text }, true, text)]),
          ...otherTexts.flatMap((text) => [notFound(text, false, text), notFound({ message: text }, false, text)])
        ]
      },
      {
        name: "isTrainingImageNotFound reads the first 1000 characters of the body or field, no further",
        fixture: { actual: within.length, expected: 1000 },
        decisions: [
          notFound(within, true, "within"),
          notFound({ detail: within }, true, "within, detail"),
          notFound(past, false, "past"),
          notFound({ detail: past }, false, "past, detail")
        ]
      },
      {
        name: "delete: a 500 that says the training image is not found stays an InternalServerError",
        runs: [{
          replies: [{ status: 500, body: { message: "Training image t not found in model m" } }],
          call: "delete",
          expect: { outcome: "InternalServerError", attempts: 3 }
        }]
      },
      {
        name: "delete: a 404 after a lost attempt, saying so as text or as an error code, is a success",
        runs: ["Training image t not found in model m", { error: "TRAINING_IMAGE_NOT_FOUND" }].map((body): Run => ({
          label: label(body),
          replies: [{ status: 502 }, { status: 404, body }],
          call: "delete",
          expect: { outcome: "Success", attempts: 2 }
        }))
      }
    ]
  }
]

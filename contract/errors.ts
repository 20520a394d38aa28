/**
 * How an answer becomes a `TrainingImagesError`, as plain data for both lines: each check is one answer (status,
 * body, headers) to a `replace` or an `add`, and the fields of the error it must give. The Effect 3 line sends
 * the call through its service over the stub transport (`packages/core/test/TrainingImagesError.test.ts`); the
 * Effect 4 line gives the answer to `ApiResponse.interpret`, which its service answers with
 * (`packages/effect4/test/TrainingImagesError.test.ts`). The transport errors (`transportChecks`) go through
 * each line's service over its stub transport; an error made from its fields (`named`) shows its tag as its
 * name. The error schema (whose JSON form differs) stays in the runners.
 */

/** The URL of every call here, as the errors name it. */
export const URL = "https://api.cloud.scenario.com/v1/models/m/training-images/t"

export interface Answer {
  readonly status: number
  /** JSON when not a string; a string as sent; absent: no body. */
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
}

/** What the error must show; see `errorFacts`. */
export interface Expected {
  readonly _tag: string
  /** `isTrainingImagesError` and `isStatusError` of the line. */
  readonly isTrainingImagesError?: boolean
  readonly isStatusError?: boolean
  readonly operation?: string
  readonly method?: string
  readonly url?: string
  readonly status?: number
  /** The body kept, in full; absent: not compared. */
  readonly body?: unknown
  /** The body kept, parsed as JSON. */
  readonly jsonBody?: unknown
  /** The body kept only in part: a string of the line's `MAX_KEPT_BODY` characters. */
  readonly keptInPart?: true
  /** The error's JSON under twice `MAX_KEPT_BODY` characters. */
  readonly serialisedSmall?: true
  readonly bodyLength?: number
  /** The request id (`undefined`: none). */
  readonly requestId?: string | undefined
  readonly headersLack?: ReadonlyArray<string>
  readonly retryAfterMs?: number
  readonly message?: string
  readonly messageContains?: ReadonlyArray<string>
  readonly messageLacks?: ReadonlyArray<string>
  readonly issueContains?: string
  /** The paths of an `InvalidRequestError`'s issues. */
  readonly issuePaths?: ReadonlyArray<ReadonlyArray<string | number>>
  /** A transport error's `mayHaveReachedServer`. */
  readonly mayHaveReachedServer?: boolean
  /** A `TimeoutError`'s timeout, in milliseconds. */
  readonly timeoutMs?: number
  /** The error's `name`, and the error as `String` shows it. */
  readonly name?: string
  readonly string?: string
}

export interface Check {
  readonly name: string
  readonly operation: "replace" | "add"
  readonly answer: Answer
  readonly expect: Expected
}

export interface Group {
  readonly name: string
  /** One test a check, or one test for all the checks of the group under `test`. */
  readonly test?: string
  readonly checks: ReadonlyArray<Check>
}

/** A training image as the API answers it. */
export const trainingImageJson = () => ({
  id: "asset_1",
  automaticCaptioning: "a caption",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "a description",
  downloadUrl: "https://cdn.example/asset_1.png",
  name: "a.png"
})

const STATUSES: ReadonlyArray<readonly [number, string]> = [
  [400, "BadRequestError"],
  [401, "AuthenticationError"],
  [403, "PermissionDeniedError"],
  [404, "NotFoundError"],
  [409, "ConflictError"],
  [422, "UnprocessableEntityError"],
  [429, "RateLimitError"],
  [500, "InternalServerError"],
  [502, "InternalServerError"],
  [503, "InternalServerError"],
  [504, "InternalServerError"],
  [599, "InternalServerError"],
  [408, "UnexpectedStatusError"],
  [418, "UnexpectedStatusError"],
  [302, "UnexpectedStatusError"]
]

const replace = (name: string, answer: Answer, expect: Expected): Check => ({
  name,
  operation: "replace",
  answer,
  expect
})
const add = (name: string, answer: Answer, expect: Expected): Check => ({ name, operation: "add", answer, expect })

const html = "<html><body><h1>502 Bad Gateway</h1></body></html>"
const { name: _, ...withoutName } = trainingImageJson()

export const groups: ReadonlyArray<Group> = [
  {
    name: "status → error",
    test: "each status maps to its error, with the request and response context",
    checks: STATUSES.map(([status, _tag]) =>
      replace(`${status}`, {
        status,
        body: { message: `status ${status}` },
        headers: { "x-request-id": `req_${status}` }
      }, {
        _tag,
        isTrainingImagesError: true,
        isStatusError: true,
        operation: "replace",
        method: "PUT",
        url: URL,
        status,
        body: { message: `status ${status}` },
        requestId: `req_${status}`,
        messageContains: [`status ${status}`, `req_${status}`]
      })
    )
  },
  {
    name: "error bodies",
    checks: [
      replace("a gateway's JSON message", { status: 403, body: { message: "Forbidden" } }, {
        _tag: "PermissionDeniedError",
        messageContains: ["Forbidden"]
      }),
      replace("a service's other fields are kept whole", {
        status: 409,
        body: { apiError: "model is training", reason: "busy", extra: [1, 2] }
      }, {
        _tag: "ConflictError",
        body: { apiError: "model is training", reason: "busy", extra: [1, 2] },
        messageContains: ["model is training"]
      }),
      replace("plain text", { status: 502, body: "Bad Gateway", headers: { "content-type": "text/plain" } }, {
        _tag: "InternalServerError",
        body: "Bad Gateway",
        messageContains: ["Bad Gateway"]
      }),
      replace("empty", { status: 500 }, {
        _tag: "InternalServerError",
        body: "",
        message: `PUT ${URL} failed with 500 Server Error`
      }),
      replace("an HTML error page is kept but not shown", {
        status: 502,
        body: html,
        headers: { "content-type": "text/html" }
      }, { _tag: "InternalServerError", body: html, messageContains: ["(HTML body)"], messageLacks: ["<h1>"] }),
      replace("the request id comes from the API gateway's header too", {
        status: 500,
        body: {},
        headers: { "x-amzn-requestid": "gw-123" }
      }, { _tag: "InternalServerError", requestId: "gw-123" }),
      replace("no request id header, no request id", { status: 500, body: {} }, {
        _tag: "InternalServerError",
        requestId: undefined
      }),
      replace("a huge error body, even JSON, is kept only in part", {
        status: 500,
        body: { message: "x".repeat(1_000_000) }
      }, { _tag: "InternalServerError", keptInPart: true, serialisedSmall: true }),
      replace("set-cookie is not kept in errors", { status: 500, body: {}, headers: { "set-cookie": "session=abc" } }, {
        _tag: "InternalServerError",
        headersLack: ["set-cookie"]
      }),
      replace("429 carries the server's retry-after", {
        status: 429,
        body: { message: "Too Many Requests" },
        headers: { "retry-after": "120" }
      }, { _tag: "RateLimitError", retryAfterMs: 120_000, messageContains: ["retry after 120000 ms"] })
    ]
  },
  {
    name: "2xx bodies that do not decode",
    checks: [
      add("a missing required field is a ResponseDecodeError that keeps the raw body", {
        status: 200,
        body: { trainingImage: withoutName }
      }, { _tag: "ResponseDecodeError", jsonBody: { trainingImage: withoutName }, issueContains: "name", status: 200 }),
      add("not JSON", { status: 200, body: "<html>oops</html>" }, {
        _tag: "ResponseDecodeError",
        issueContains: "not JSON"
      }),
      add("empty", { status: 200 }, { _tag: "ResponseDecodeError", issueContains: "empty" }),
      add("a huge body is kept only in part", { status: 200, body: "x".repeat(1_000_000) }, {
        _tag: "ResponseDecodeError",
        keptInPart: true,
        bodyLength: 1_000_000
      })
    ]
  }
]

/** A transport failure instead of an answer (as the stub transports script it), to an `add` without retries. */
export interface TransportCheck {
  readonly name: string
  readonly reply: { readonly refuse: true } | { readonly reset: true } | { readonly hang: true }
  /** The request timeout; the runner moves its clock forward by it. */
  readonly timeoutMs?: number
  readonly expect: Expected
}

export const transportChecks: ReadonlyArray<TransportCheck> = [
  {
    name: "connection refused: not sent",
    reply: { refuse: true },
    expect: { _tag: "ConnectionError", mayHaveReachedServer: false, messageContains: ["the request was not sent"] }
  },
  {
    name: "connection reset: may have reached the server",
    reply: { reset: true },
    expect: { _tag: "ConnectionError", mayHaveReachedServer: true }
  },
  {
    name: "timeout: may have reached the server",
    reply: { hang: true },
    timeoutMs: 50,
    expect: { _tag: "TimeoutError", mayHaveReachedServer: true, timeoutMs: 50 }
  }
]

/** An error made by the line's `fromStatus` from these fields (with `retryAfterMs` as a Duration). */
export const named = {
  test: "each error is named by its tag",
  fields: {
    operation: "add",
    method: "POST",
    url: "u",
    status: 429,
    headers: {},
    body: { message: "slow" }
  },
  retryAfterMs: 2000,
  expect: {
    _tag: "RateLimitError",
    name: "RateLimitError",
    string: "RateLimitError: POST u failed with 429 Too Many Requests: slow (retry after 2000 ms)",
    isStatusError: true
  }
} as const satisfies { readonly test: string; readonly expect: Expected; readonly [key: string]: unknown }

/** What a line lends the facts: its guards, its `MAX_KEPT_BODY` and its `Duration.toMillis`. */
export interface Line {
  readonly isTrainingImagesError: (u: unknown) => boolean
  readonly isStatusError: (u: unknown) => boolean
  readonly maxKeptBody: number
  readonly millis: (duration: never) => number
}

/** The facts of `error` in the shape of `expected`: equal to it when they hold. */
export const errorFacts = (error: unknown, expected: Expected, line: Line): Expected => {
  const e = error as Record<string, unknown>
  const message = typeof e.message === "string" ? e.message : ""
  const facts: Record<string, unknown> = { _tag: e._tag }
  if ("isTrainingImagesError" in expected) facts.isTrainingImagesError = line.isTrainingImagesError(error)
  if ("isStatusError" in expected) facts.isStatusError = line.isStatusError(error)
  const kept = [
    "operation",
    "method",
    "url",
    "status",
    "body",
    "bodyLength",
    "requestId",
    "mayHaveReachedServer",
    "name"
  ]
  for (const key of kept) {
    if (key in expected) facts[key] = e[key]
  }
  if ("jsonBody" in expected) facts.jsonBody = typeof e.body === "string" ? JSON.parse(e.body) : e.body
  if (expected.keptInPart) facts.keptInPart = typeof e.body === "string" && e.body.length === line.maxKeptBody
  if (expected.serialisedSmall) facts.serialisedSmall = JSON.stringify(error).length < 2 * line.maxKeptBody
  if (expected.headersLack !== undefined) {
    const headers = (e.headers ?? {}) as Readonly<Record<string, unknown>>
    facts.headersLack = expected.headersLack.filter((name) => headers[name] === undefined)
  }
  if ("retryAfterMs" in expected) {
    facts.retryAfterMs = e.retryAfter === undefined ? undefined : line.millis(e.retryAfter as never)
  }
  if ("timeoutMs" in expected) facts.timeoutMs = e.timeout === undefined ? undefined : line.millis(e.timeout as never)
  if ("string" in expected) facts.string = String(error)
  if ("message" in expected) facts.message = message
  if (expected.messageContains !== undefined) {
    facts.messageContains = expected.messageContains.map((words) => message.includes(words) ? words : message)
  }
  if (expected.messageLacks !== undefined) {
    facts.messageLacks = expected.messageLacks.map((words) => message.includes(words) ? message : words)
  }
  if (expected.issueContains !== undefined) {
    const issue = typeof e.issue === "string" ? e.issue : ""
    facts.issueContains = issue.includes(expected.issueContains) ? expected.issueContains : issue
  }
  if (expected.issuePaths !== undefined) {
    const issues = (e.issues ?? []) as ReadonlyArray<{ readonly path: unknown }>
    facts.issuePaths = issues.map((issue) => issue.path)
  }
  return facts as unknown as Expected
}

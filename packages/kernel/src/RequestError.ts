/**
 * The errors of a request, as plain rules: which kind of error a response's status is, what of the response an
 * error keeps (its request id, its headers but for session material, its body bounded in length and depth), and
 * the message each kind tells. Each binding's error classes carry these fields and call these messages, so that
 * every line words a failure the same way.
 *
 * @since 0.1.0
 */

/**
 * The kinds of error a response outside 2xx is, by the name of each binding's error.
 *
 * @since 0.1.0
 * @category models
 */
export type StatusKind =
  | "BadRequestError"
  | "AuthenticationError"
  | "PermissionDeniedError"
  | "NotFoundError"
  | "ConflictError"
  | "RequestTooLargeError"
  | "UnprocessableEntityError"
  | "RateLimitError"
  | "InternalServerError"
  | "UnexpectedStatusError"

/**
 * The kind of error for a status outside 2xx: 400, 401, 403, 404, 409, 413, 422, 429, >= 500, else
 * `UnexpectedStatusError` (408 and 3xx included).
 *
 * @since 0.1.0
 * @category rules
 */
export const kindOfStatus = (status: number): StatusKind => {
  switch (status) {
    case 400:
      return "BadRequestError"
    case 401:
      return "AuthenticationError"
    case 403:
      return "PermissionDeniedError"
    case 404:
      return "NotFoundError"
    case 409:
      return "ConflictError"
    case 413:
      return "RequestTooLargeError"
    case 422:
      return "UnprocessableEntityError"
    case 429:
      return "RateLimitError"
    default:
      return status >= 500 ? "InternalServerError" : "UnexpectedStatusError"
  }
}

/**
 * What each kind's message says of its status: `Bad Request`, `Unauthorized`, `Forbidden`, … `Server Error`.
 *
 * @since 0.1.0
 * @category messages
 */
export const STATUS_SUMMARIES: { readonly [Kind in StatusKind]: string } = {
  BadRequestError: "Bad Request",
  AuthenticationError: "Unauthorized",
  PermissionDeniedError: "Forbidden",
  NotFoundError: "Not Found",
  ConflictError: "Conflict",
  RequestTooLargeError: "Request Too Large",
  UnprocessableEntityError: "Unprocessable Entity",
  RateLimitError: "Too Many Requests",
  InternalServerError: "Server Error",
  UnexpectedStatusError: "Unexpected Status"
}

/**
 * The response headers that name a request, in the order they are read.
 *
 * @since 0.1.0
 * @category constants
 */
export const REQUEST_ID_HEADERS: ReadonlyArray<string> = [
  "x-request-id",
  "x-amzn-requestid",
  "apigw-requestid",
  "x-amz-apigw-id",
  "x-amz-request-id"
]

/**
 * The request id a response carries: the first of `REQUEST_ID_HEADERS` present and not empty.
 *
 * @since 0.1.0
 * @category rules
 */
export const requestIdOf = (headers: Readonly<Record<string, string>>): string | undefined => {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name]
    if (value !== undefined && value !== "") return value
  }
  return undefined
}

// Response headers that can carry session material: kept out of errors, which end up in logs.
const DROPPED_HEADERS = new Set(["set-cookie", "cookie", "authorization", "proxy-authorization"])

/**
 * The headers an error keeps: all but those that can carry session material (`set-cookie`, `cookie`,
 * `authorization`, `proxy-authorization`), since errors end up in logs.
 *
 * @since 0.1.0
 * @category rules
 */
export const keptHeaders = (headers: Readonly<Record<string, string>>): Record<string, string> => {
  const kept: Record<string, string> = {}
  for (const name in headers) {
    if (!DROPPED_HEADERS.has(name)) kept[name] = headers[name]!
  }
  return kept
}

/**
 * How much of a response body an error keeps, in characters.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_KEPT_BODY = 64 * 1024

/**
 * How deep kept JSON may nest. The API's bodies nest a few levels; past this a subtree is replaced by
 * `TOO_DEEP`, so that rendering an error (logging, `JSON.stringify`, inspecting it) never recurses without
 * bound.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_KEPT_DEPTH = 32

/**
 * What stands for a subtree nested deeper than `MAX_KEPT_DEPTH`.
 *
 * @since 0.1.0
 * @category constants
 */
export const TOO_DEEP = `[nested deeper than ${MAX_KEPT_DEPTH} levels]`

const isContainer = (value: unknown): value is object => typeof value === "object" && value !== null

/**
 * Whether no array or object in `value` lies `limit` levels deep or deeper, checked with an explicit stack (no
 * recursion).
 *
 * @since 0.1.0
 * @category rules
 */
export const depthWithin = (value: unknown, limit: number): boolean => {
  if (!isContainer(value)) return true
  const stack: Array<[object, number]> = [[value, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (!isContainer(child)) continue
      if (depth + 1 >= limit) return false
      stack.push([child, depth + 1])
    }
  }
  return true
}

/**
 * `value` with every array or object deeper than `MAX_KEPT_DEPTH` replaced by `TOO_DEEP`, walked without
 * recursion. Values within the limit are returned as they are (no copy).
 *
 * @since 0.1.0
 * @category rules
 */
export const capDepth = (value: unknown): unknown => {
  if (!isContainer(value) || depthWithin(value, MAX_KEPT_DEPTH)) return value
  const copyAt = (node: object, depth: number): unknown => {
    if (depth >= MAX_KEPT_DEPTH) return TOO_DEEP
    // A node is at most MAX_KEPT_DEPTH deep here, so this recursion is bounded.
    if (Array.isArray(node)) return node.map((child) => isContainer(child) ? copyAt(child, depth + 1) : child)
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(node)) {
      const child = (node as Record<string, unknown>)[key]
      out[key] = isContainer(child) ? copyAt(child, depth + 1) : child
    }
    return out
  }
  return copyAt(value, 0)
}

/**
 * The body an error keeps: parsed JSON when it is JSON (its depth capped), else its text (so an empty body is
 * ""); past `MAX_KEPT_BODY` characters only the start of the text, since errors are logged, serialised and held
 * on to.
 *
 * @since 0.1.0
 * @category rules
 */
export const keptBody = (text: string): unknown => {
  if (text.length > MAX_KEPT_BODY) return text.slice(0, MAX_KEPT_BODY)
  try {
    return capDepth(JSON.parse(text))
  } catch {
    return text
  }
}

/**
 * How long the account of an undecodable body may be, in characters.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_ISSUE_LENGTH = 2000

/**
 * The account of a body nested deeper than `MAX_KEPT_DEPTH` that does not match: the schema's own would render
 * the value, which could overflow the stack.
 *
 * @since 0.1.0
 * @category messages
 */
export const TOO_DEEP_ISSUE =
  `the body nests deeper than ${MAX_KEPT_DEPTH} levels and does not match the expected shape`

/**
 * An account of what is wrong with a body, cut to `MAX_ISSUE_LENGTH` characters (an ellipsis then ends it).
 *
 * @since 0.1.0
 * @category messages
 */
export const boundedIssue = (issue: string): string =>
  issue.length > MAX_ISSUE_LENGTH ? `${issue.slice(0, MAX_ISSUE_LENGTH)}…` : issue

/**
 * The account of a 2xx body that is not JSON, from the parser's message.
 *
 * @since 0.1.0
 * @category messages
 */
export const notJsonIssue = (text: string, parserMessage: string): string =>
  text === "" ? "the body is empty" : `the body is not JSON (${parserMessage})`

/**
 * What every error about a response keeps of it: its status, its headers but for session material
 * (`keptHeaders`), and its request id when it has one (`requestIdOf`).
 *
 * @since 0.1.0
 * @category rules
 */
export const responseFacts = (response: {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
}): {
  readonly status: number
  readonly headers: Record<string, string>
  readonly requestId?: string
} => {
  const requestId = requestIdOf(response.headers)
  return {
    status: response.status,
    headers: keptHeaders(response.headers),
    ...(requestId === undefined ? {} : { requestId })
  }
}

/**
 * What an error about a 2xx body that does not decode keeps of that body: its first `MAX_KEPT_BODY` characters
 * as text, and its whole length.
 *
 * @since 0.1.0
 * @category rules
 */
export const undecodedBody = (text: string): { readonly body: string; readonly bodyLength: number } => ({
  body: text.slice(0, MAX_KEPT_BODY),
  bodyLength: text.length
})

/**
 * A 2xx body parsed as JSON, or the account of why it is not JSON (`notJsonIssue`).
 *
 * @since 0.1.0
 * @category rules
 */
export const parseJsonBody = (
  text: string
): { readonly _tag: "Json"; readonly json: unknown } | { readonly _tag: "NotJson"; readonly issue: string } => {
  try {
    return { _tag: "Json", json: JSON.parse(text) }
  } catch (error) {
    return { _tag: "NotJson", issue: notJsonIssue(text, (error as Error).message) }
  }
}

/**
 * The account of a parsed body that does not match its schema, bounded (`boundedIssue`). `format` is the
 * schema library's own account; it renders the value it found, so it is not asked for a body nested deeper
 * than `MAX_KEPT_DEPTH` (`TOO_DEEP_ISSUE` instead), and if it throws, a plain account stands in.
 *
 * @since 0.1.0
 * @category messages
 */
export const mismatchIssue = (json: unknown, format: () => string): string => {
  let issue: string
  if (!depthWithin(json, MAX_KEPT_DEPTH)) {
    issue = TOO_DEEP_ISSUE
  } else {
    try {
      issue = format()
    } catch {
      issue = MISMATCH_ISSUE
    }
  }
  return boundedIssue(issue)
}

/**
 * The account of a body that does not match its schema when the schema library could not give its own.
 *
 * @since 0.1.0
 * @category messages
 */
export const MISMATCH_ISSUE = "the body does not match the expected shape"

const MAX_DETAIL = 300

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * What a response body says went wrong, for a message: its text (trimmed, at most 300 characters; an HTML page
 * is only `(HTML body)`), or the first string among its `message`, `apiError`, `error`, `reason`, `detail`
 * fields (or their own `message`).
 *
 * @since 0.1.0
 * @category messages
 */
export const detailOf = (body: unknown): string | undefined => {
  if (typeof body === "string") {
    const text = body.trim()
    if (text === "") return undefined
    if (/^\s*</.test(text)) return "(HTML body)"
    return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}…` : text
  }
  if (isRecord(body)) {
    for (const key of ["message", "apiError", "error", "reason", "detail"]) {
      const value = body[key]
      if (typeof value === "string" && value !== "") {
        return value.length > MAX_DETAIL ? `${value.slice(0, MAX_DETAIL)}…` : value
      }
      if (isRecord(value) && typeof value.message === "string") return value.message
    }
  }
  return undefined
}

const idSuffix = (requestId: string | undefined) => requestId === undefined ? "" : ` [request id ${requestId}]`

/**
 * The message of an error made from a status outside 2xx: the request, the status and its summary, what the
 * body says, the request id; with the wait the server asked for, when given (`retryAfterMillis`).
 *
 * @since 0.1.0
 * @category messages
 */
export const statusMessage = (
  response: {
    readonly method: string
    readonly url: string
    readonly status: number
    readonly body: unknown
    readonly requestId?: string | undefined
  },
  summary: string,
  retryAfterMillis?: number | undefined
): string => {
  const detail = detailOf(response.body)
  const wait = retryAfterMillis === undefined ? "" : ` (retry after ${Math.ceil(retryAfterMillis)} ms)`
  return `${response.method} ${response.url} failed with ${response.status} ${summary}${
    detail === undefined ? "" : `: ${detail}`
  }${idSuffix(response.requestId)}${wait}`
}

/**
 * The message of params rejected before sending: each issue as its dotted path and what is wrong.
 *
 * @since 0.1.0
 * @category messages
 */
export const invalidRequestMessage = (
  operation: string,
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>
): string => {
  const described = issues.map((issue) =>
    issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`
  )
  return `Invalid ${operation} request: ${described.join("; ")}`
}

const reached = (mayHaveReachedServer: boolean) =>
  mayHaveReachedServer ? "the request may have reached the server" : "the request was not sent"

/**
 * The message of a connection that failed, with its cause's message when there is one.
 *
 * @since 0.1.0
 * @category messages
 */
export const connectionMessage = (failure: {
  readonly method: string
  readonly url: string
  readonly mayHaveReachedServer: boolean
  readonly causeMessage?: string | undefined
}): string => {
  const reason = failure.causeMessage === undefined || failure.causeMessage === "" ? "" : `: ${failure.causeMessage}`
  return `${failure.method} ${failure.url} failed to connect${reason} (${reached(failure.mayHaveReachedServer)})`
}

/**
 * The message of a request with no complete response within its timeout.
 *
 * @since 0.1.0
 * @category messages
 */
export const timeoutMessage = (failure: {
  readonly method: string
  readonly url: string
  readonly timeoutMillis: number
  readonly mayHaveReachedServer: boolean
}): string =>
  `${failure.method} ${failure.url} timed out after ${Math.round(failure.timeoutMillis)} ms (${
    reached(failure.mayHaveReachedServer)
  })`

/**
 * The message of a 2xx response whose body is not what the API documents.
 *
 * @since 0.1.0
 * @category messages
 */
export const decodeMessage = (failure: {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly issue: string
  readonly requestId?: string | undefined
}): string =>
  `${failure.method} ${failure.url} returned ${failure.status} with an unexpected body: ${failure.issue}${
    idSuffix(failure.requestId)
  }`

/**
 * The message of a response whose body went past the limit.
 *
 * @since 0.1.0
 * @category messages
 */
export const responseTooLargeMessage = (failure: {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly maxResponseBytes: number
  readonly requestId?: string | undefined
}): string =>
  `${failure.method} ${failure.url} returned ${failure.status} with a body larger than ${failure.maxResponseBytes} bytes; ` +
  `reading stopped there${idSuffix(failure.requestId)}`

/**
 * What the security suites of both lines search for and send, as plain data: the credentials and every form
 * of them that must never be seen, the failing replies of the stub transport, the error tags and span
 * attributes they must give, the hostile ids and how their path must look on the wire, the hosts plain http
 * may and may not reach. The runners: `packages/core/test/Security.test.ts` and
 * `packages/platform-node/test/Security.test.ts` (Effect 3), `packages/effect4/test/Security.test.ts` and
 * `packages/effect4/test/node/Security.test.ts`. How a value is rendered to be searched is test-support's
 * (`secrets.ts`) plus each line's own renderings.
 */

export interface Keys {
  readonly apiKey: string
  readonly apiSecret: string
  readonly token: string
  /** A secret the server does not accept. */
  readonly rejected?: string
}

/** The credentials of the client suites (over the stub transport). */
export const CLIENT: Keys = {
  apiKey: "KEY-q7Zr2xW9-distinctive",
  apiSecret: "SECRET-m4Vt8bN1-distinctive",
  token: "TOKEN-h3Jk6pL0-distinctive"
}

/** The credentials of the Node transport suites (over the emulator). */
export const NODE: Keys = {
  apiKey: "KEY-Vb3n9Qx1-distinctive",
  apiSecret: "SECRET-Lr6t2Wz8-distinctive",
  token: "TOKEN-Pk4m7Jc5-distinctive",
  rejected: "SECRET-Yd1s5Hg0-not-accepted"
}

/** base64 of `key:secret`, as a Basic authorization header carries them. */
export const basicOf = (keys: Keys, secret = keys.apiSecret): string => btoa(`${keys.apiKey}:${secret}`)

/** Every secret to search for, named. */
export const secretsOf = (keys: Keys): ReadonlyArray<readonly [string, string]> => [
  ["the API key", keys.apiKey],
  ["the API secret", keys.apiSecret],
  ["the bearer token", keys.token],
  ...(keys.rejected === undefined ? [] : [["the rejected secret", keys.rejected] as const]),
  ["base64(key:secret)", basicOf(keys)],
  ...(keys.rejected === undefined ? [] : [["base64(key:rejected secret)", basicOf(keys, keys.rejected)] as const])
]

/** The name of the first secret `text` holds, if any. */
export const secretIn = (text: string, secrets: ReadonlyArray<readonly [string, string]>): string | undefined =>
  secrets.find(([, secret]) => text.includes(secret))?.[0]

/** The environment `layerConfig` reads the credentials and base URL from. */
export const envOf = (keys: Keys, baseUrl?: string): Record<string, string> => ({
  SCENARIO_SDK_API_KEY: keys.apiKey,
  SCENARIO_SDK_API_SECRET: keys.apiSecret,
  ...(baseUrl === undefined ? {} : { SCENARIO_SDK_BASE_URL: baseUrl })
})

// ---------------------------------------------------------------------------------------------------------
// The client over the stub transport
// ---------------------------------------------------------------------------------------------------------

/** The stub's replies used here (test-support's `Reply`). */
export type ReplySpec =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Readonly<Record<string, string>> }
  | { readonly refuse: true }
  | { readonly reset: true }
  | { readonly hang: true }

/** Response headers that may carry credentials: never kept on an error. */
export const CREDENTIAL_HEADERS = ["authorization", "proxy-authorization", "set-cookie", "cookie"]

/** A server that echoes the credentials back in the response headers that may carry them. */
export const echoing = (keys: Keys, status: number, body?: unknown): ReplySpec => ({
  status,
  ...(body === undefined ? {} : { body }),
  headers: {
    authorization: `Basic ${basicOf(keys)}`,
    "proxy-authorization": `Bearer ${keys.token}`,
    "set-cookie": `session=${keys.apiSecret}`,
    cookie: `key=${keys.apiKey}`
  }
})

/** One failure of each kind the service can raise. */
export const failingReplies = (keys: Keys): ReadonlyArray<readonly [string, ReplySpec]> => [
  ...[400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 504, 301].map((status) =>
    [`status ${status}`, echoing(keys, status, { message: "no", apiError: "nope" })] as const
  ),
  ["429 with retry-after", { status: 429, headers: { "retry-after": "3600" } }],
  ["a refused connection", { refuse: true }],
  ["a reset connection", { reset: true }],
  ["a response that never comes", { hang: true }],
  ["a 2xx body that does not decode", echoing(keys, 200, { trainingImage: { id: 1 } })],
  ["a 2xx body that is not JSON", echoing(keys, 200, "<html>")]
]

/**
 * The same failures from a server that does not echo credentials. (What a server chooses to send back is out
 * of the client's hands once it is in a response header that the HTTP client's spans record.)
 */
export const plainFailingReplies = (keys: Keys): ReadonlyArray<readonly [string, ReplySpec]> =>
  failingReplies(keys).map(([what, reply]) => {
    if (!("status" in reply) || reply.headers === undefined || !("authorization" in reply.headers)) {
      return [what, reply] as const
    }
    const { headers: _, ...rest } = reply
    return [what, rest] as const
  })

/** The tags the failing replies (and a refused params check) give, sorted. */
export const FAILING_TAGS = [
  "AuthenticationError",
  "BadRequestError",
  "ConflictError",
  "ConnectionError",
  "InternalServerError",
  "InvalidRequestError",
  "NotFoundError",
  "PermissionDeniedError",
  "RateLimitError",
  "ResponseDecodeError",
  "TimeoutError",
  "UnexpectedStatusError",
  "UnprocessableEntityError"
]

/** A replace that meets a 503, a reset connection and a 429, then succeeds: the replies before the success. */
export const RETRIED: ReadonlyArray<ReplySpec> = [
  { status: 503 },
  { reset: true },
  { status: 429, headers: { "retry-after-ms": "1" } }
]

/** Each attempt of the retried replace: its number and the reason it was made. */
export const RETRIED_ATTEMPTS = [[1, undefined], [2, "503"], [3, "ConnectionError"], [4, "429"]]

/** The only attributes the library's spans may hold: no header, body, query or credential can be among them. */
export const KNOWN_SPAN_ATTRIBUTES = [
  "scenario.operation",
  "scenario.model_id",
  "scenario.training_image_id",
  "http.request.method",
  "http.response.status_code",
  "server.address",
  "server.port",
  "error.type",
  "scenario.attempt",
  "http.request.resend_count",
  "scenario.retry.reason"
]

/** The environments `layerConfig` refuses, each with a ConfigError that holds no secret. */
export const refusedEnvs = (keys: Keys): ReadonlyArray<Record<string, string>> => {
  const secrets = envOf(keys)
  return [
    { SCENARIO_SDK_API_KEY: keys.apiKey },
    { SCENARIO_SDK_API_SECRET: keys.apiSecret },
    { ...secrets, SCENARIO_SDK_BASE_URL: "http://api.example.test/v1" },
    { ...secrets, SCENARIO_SDK_BASE_URL: "ftp://api.example.test/v1" },
    { ...secrets, SCENARIO_SDK_BASE_URL: "not a url" }
  ]
}

// ---------------------------------------------------------------------------------------------------------
// Plain http only to loopback
// ---------------------------------------------------------------------------------------------------------

/** A generated host label. */
export const HOST_LABEL = /^[a-z][a-z0-9-]{0,10}[a-z0-9]$/

/**
 * Whether a label drawn from HOST_LABEL is one a URL may hold: `xn--` starts a label of punycode, which the URL
 * parser decodes and refuses when it is not valid (`http://xn--a.example` is no URL at all).
 */
export const isPlainLabel = (label: string): boolean => !label.startsWith("xn--")

/** Hosts that are not loopback, some of them looking like it. */
export const REMOTE_LOOKALIKES = [
  "127.0.0.1.example",
  "localhost.example",
  "app.localhost",
  "127.example",
  "0.0.0.0",
  "[::]",
  "[2001:db8::1]",
  "[::ffff:7f00:1]",
  "api.cloud.scenario.com"
]

/** Loopback hosts written in other ways. */
export const LOOPBACK_SPELLINGS = ["localhost", "[::1]", "LOCALHOST", "127.1", "[0:0:0:0:0:0:0:1]"]

/** Base URLs over plain http to another host: refused unless opted in. */
export const REMOTE_BASE_URLS = ["http://api.example.test/v1", "http://10.0.0.1:4010/v1", "http://127.0.0.1.example/v1"]

/** Base URLs over plain http to loopback: no opt-in needed. */
export const LOOPBACK_BASE_URLS = ["http://127.0.0.1:4010/v1", "http://localhost:4010/v1", "http://[::1]:4010/v1"]

/** What the refusal's text names. */
export const OPT_IN = "allowInsecureHttp"

/** The redirects to another origin, and the hosts it is written with. */
export const REDIRECT = { statuses: [301, 302, 307, 308], hosts: ["127.0.0.1", "localhost"] }

/** The answer of the origin redirected to. */
export const REDIRECTED_BODY = JSON.stringify({ model: { id: "m", status: "new", trainingImagesNumber: 0 } })

// ---------------------------------------------------------------------------------------------------------
// Ids stay in their own path segment
// ---------------------------------------------------------------------------------------------------------

export const HOSTILE_IDS = [
  "a/b",
  "../../admin",
  "..%2F..%2Fadmin",
  "%2F",
  "%2e%2e",
  ".%2e",
  "a?admin=true",
  "a#fragment",
  "a%3Fb",
  "a\\b",
  "a\u0000b",
  "line\r\nX-Injected: 1",
  "tab\there",
  "\u007f",
  "é名🙂",
  " leading and trailing ",
  ";matrix=1",
  "a&b=c",
  "/",
  "//",
  "...",
  "%",
  "%zz",
  "\u2028"
]

/** The characters that matter in a URL path, plain and percent-encoded. */
const URL_SPECIALS = ["/", "?", "#", "%", "%2F", "%2e", ".", "..", "\\"] as const

/** The pieces generated ids are made of, the characters that matter in a URL weighted in. */
export const URL_PIECES = [...URL_SPECIALS, "\r", "\n", "\u0000", "é", "🙂", "a"] as const

/** Generated ids per run. */
export const GENERATED_RUNS = 50

/** The operations in order, each answered 200, and the segments of its path after `/v1`. */
export const routes = (modelId: string, imageId: string): ReadonlyArray<readonly [string, ReadonlyArray<string>]> => [
  ["add", ["models", modelId, "training-images"]],
  ["replace", ["models", modelId, "training-images", imageId]],
  ["replacePairs", ["models", modelId, "training-images", "pairs"]],
  ["list", ["models", modelId]],
  ["delete", ["models", modelId, "training-images", imageId]]
]

/**
 * What matters of a raw path as the emulator recorded it: whether it is printable ASCII only, whether it holds
 * a character that ends a path, its segments decoded, and its dot segments (`.`, `..`, percent-encoded or not).
 */
export const pathFacts = (path: string) => {
  const segments = path.split("/")
  return {
    printableAscii: /^[\x21-\x7e]*$/.test(path),
    endsPath: /[?#\\]/.test(path),
    segments: segments.map((segment) => decodeURIComponent(segment)),
    dotSegments: segments.filter((segment) => [".", ".."].includes(segment.replace(/%2e/gi, ".")))
  }
}

/** The facts of a path whose segments after `/v1` are these ids, each kept in its own segment. */
export const expectedPathFacts = (segments: ReadonlyArray<string>): ReturnType<typeof pathFacts> => ({
  printableAscii: true,
  endsPath: false,
  segments: ["", "v1", ...segments],
  dotSegments: []
})

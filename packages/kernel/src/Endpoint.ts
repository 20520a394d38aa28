/**
 * Where each operation goes on the wire: its HTTP method, its path (ids percent-encoded so that none can
 * leave its own segment) and its query. Shared by every binding's HTTP client, in-memory fake (so both
 * describe a request the same way in errors) and the emulator.
 *
 * | operation    | method | path                                                |
 * |--------------|--------|-----------------------------------------------------|
 * | add          | POST   | /models/{modelId}/training-images                   |
 * | replacePairs | PUT    | /models/{modelId}/training-images/pairs             |
 * | replace      | PUT    | /models/{modelId}/training-images/{trainingImageId} |
 * | delete       | DELETE | /models/{modelId}/training-images/{trainingImageId} |
 * | list         | GET    | /models/{modelId}                                   |
 *
 * @since 0.1.0
 */

/**
 * The operations of the training-images resource.
 *
 * @since 0.1.0
 * @category models
 */
export type Operation = "add" | "replace" | "replacePairs" | "delete" | "list"

/**
 * What the paths and queries are built from: the ids of a request and its query flags.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModelParams {
  readonly modelId: string
  readonly originalAssets?: boolean | undefined
}

/**
 * The ids of a request about one training image, and its query flags.
 *
 * @since 0.1.0
 * @category models
 */
export interface TrainingImageParams extends ModelParams {
  readonly trainingImageId: string
}

/**
 * The ids of a delete, and the project it is made in when given.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeleteParams {
  readonly modelId: string
  readonly trainingImageId: string
  readonly projectId?: string | undefined
}

/**
 * One request of the API as data: its operation, method, path below the base URL (ids percent-encoded),
 * query and whether repeating it is harmless. Built by the functions below, sent by the client.
 *
 * @since 0.1.0
 * @category models
 */
export interface Endpoint {
  readonly operation: Operation
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  /** The path below the base URL, starting with `/`, every id percent-encoded. */
  readonly path: string
  /** Query parameters, in order; absent ones left out. */
  readonly query: ReadonlyArray<readonly [string, string]>
  /** Whether sending the request twice has the same effect as once. */
  readonly idempotent: boolean
}

/**
 * Percent-encodes one path segment: `/`, `?`, `#`, `%`, control characters and non-ASCII are escaped.
 * (`.` and `..`, which URL parsers resolve as steps, are rejected by the `Id` schema before this.)
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeSegment = (id: string): string => encodeURIComponent(id)

const model = (modelId: string) => `/models/${encodeSegment(modelId)}`

const flag = (name: string, value: boolean | undefined): ReadonlyArray<readonly [string, string]> =>
  value === undefined ? [] : [[name, value ? "true" : "false"]]

/**
 * `POST /models/{modelId}/training-images`, with `originalAssets` as a query flag.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const add = (params: ModelParams): Endpoint => ({
  operation: "add",
  method: "POST",
  path: `${model(params.modelId)}/training-images`,
  query: flag("originalAssets", params.originalAssets),
  idempotent: false
})

/**
 * `PUT /models/{modelId}/training-images/{trainingImageId}`, with `originalAssets` as a query flag.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const replace = (params: TrainingImageParams): Endpoint => ({
  operation: "replace",
  method: "PUT",
  path: `${model(params.modelId)}/training-images/${encodeSegment(params.trainingImageId)}`,
  query: flag("originalAssets", params.originalAssets),
  idempotent: true
})

/**
 * `PUT /models/{modelId}/training-images/pairs` (the body is a bare JSON array of pairs).
 *
 * @since 0.1.0
 * @category endpoints
 */
export const replacePairs = (params: Pick<ModelParams, "modelId">): Endpoint => ({
  operation: "replacePairs",
  method: "PUT",
  path: `${model(params.modelId)}/training-images/pairs`,
  query: [],
  idempotent: true
})

/**
 * `DELETE /models/{modelId}/training-images/{trainingImageId}`, with `projectId` in the query when given.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const delete_ = (params: DeleteParams): Endpoint => ({
  operation: "delete",
  method: "DELETE",
  path: `${model(params.modelId)}/training-images/${encodeSegment(params.trainingImageId)}`,
  query: params.projectId === undefined ? [] : [["projectId", params.projectId]],
  idempotent: true
})

export {
  /**
   * `DELETE /models/{modelId}/training-images/{trainingImageId}`, with `projectId` in the query when given.
   *
   * @since 0.1.0
   * @category endpoints
   */
  delete_ as delete
}

/**
 * `GET /models/{modelId}`: the model, whose training-image fields `list` returns.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const list = (params: ModelParams): Endpoint => ({
  operation: "list",
  method: "GET",
  path: model(params.modelId),
  query: flag("originalAssets", params.originalAssets),
  idempotent: true
})

/**
 * The URL of an endpoint below a base URL, as it appears in errors and is sent.
 *
 * @since 0.1.0
 * @category encoding
 */
export const url = (baseUrl: string, endpoint: Endpoint): string => {
  const base = baseUrl.endsWith("/") ? baseUrl.slice(0, -1) : baseUrl
  if (endpoint.query.length === 0) return base + endpoint.path
  // Encoded as the transports encode it (URLSearchParams: a space becomes "+"), so errors show the URL sent.
  return `${base}${endpoint.path}?${new URLSearchParams(endpoint.query as Array<[string, string]>).toString()}`
}

/**
 * Scenario's API, where requests go unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL = "https://api.cloud.scenario.com/v1"

const isLoopback = (hostname: string): boolean =>
  // Stryker disable next-line Regex: equivalent without "^", the hostname being the URL parser's: a host whose last label is digits is an IPv4 written back as four numbers up to 255, so one ending in "127.d.d.d" starts with it
  hostname === "localhost" || hostname === "[::1]" || /^127(?:\.\d{1,3}){3}$/.test(hostname)

/**
 * A base URL checked, or the problem with it: an absolute http(s) URL, without embedded credentials, query or
 * fragment, and plain http only to loopback unless `allowInsecureHttp`. The URL is given back without a
 * trailing `/`. No problem quotes the value (a URL that does not parse may still hold credentials).
 *
 * @since 0.1.0
 * @category encoding
 */
export const checkBaseUrl = (
  raw: string,
  allowInsecureHttp: boolean | undefined
): { readonly _tag: "Valid"; readonly url: string } | { readonly _tag: "Invalid"; readonly problem: string } => {
  const invalid = (problem: string) => ({ _tag: "Invalid", problem }) as const
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return invalid("Expected an absolute http(s) URL; the value given does not parse")
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return invalid(`Expected an http(s) URL, got the scheme ${url.protocol}`)
  }
  if (url.username !== "" || url.password !== "") {
    return invalid("The base URL must not embed credentials: pass them as credentials")
  }
  // An empty "?" or "#" leaves `search` and `hash` empty but stays in the URL, where the paths appended to it
  // would become a query or a fragment: the serialised URL is checked (no host or path holds them unescaped).
  if (/[?#]/.test(url.href)) return invalid("The base URL must not hold a query or a fragment")
  if (url.protocol === "http:" && !isLoopback(url.hostname) && allowInsecureHttp !== true) {
    return invalid(
      `Refusing to send credentials over plain http to ${url.host}: use https, or set allowInsecureHttp: true`
    )
  }
  const text = url.toString()
  return { _tag: "Valid", url: text.endsWith("/") ? text.slice(0, -1) : text }
}

/**
 * What the emulator's inspector serves apart from its page: which paths are its own, the state JSON the page
 * reads, and how a stored data URL becomes a thumbnail (only the raster types a browser shows safely).
 *
 * @since 0.1.0
 */
import type { Operation } from "@effect-scenario/kernel/Endpoint"
import type * as Server from "./Server.js"
import type * as Store from "./Store.js"

/**
 * The prefix of the inspector's own paths (besides `/` and `/favicon.ico`).
 *
 * @since 0.1.0
 * @category constants
 */
export const PATH_PREFIX = "/inspector/"

/**
 * The request log entries the state carries, newest first.
 *
 * @since 0.1.0
 * @category constants
 */
export const REQUEST_LIMIT = 500

/**
 * Whether a path is the inspector's rather than the API's.
 *
 * @since 0.1.0
 * @category rules
 */
export const isInspectorPath = (path: string): boolean =>
  path === "/" || path === "/favicon.ico" || path.startsWith(PATH_PREFIX)

// Only the raster types a browser shows safely as an image: the content came from a test, not a trusted source.
const IMAGE_TYPES = new Set(["png", "jpeg", "jpg", "gif", "webp", "avif", "bmp"])

/**
 * The bytes (Base64) of a stored data URL and their content type, when it is an image a browser may show.
 *
 * @since 0.1.0
 * @category rules
 */
export const imageOf = (dataUrl: string): { readonly contentType: string; readonly base64: string } | undefined => {
  const match = /^data:image\/([A-Za-z0-9.+-]+)(?:;[^,;]*)*;base64,/.exec(dataUrl)
  if (match === null) return undefined
  const type = match[1]!.toLowerCase()
  if (!IMAGE_TYPES.has(type)) return undefined
  return { contentType: `image/${type === "jpg" ? "jpeg" : type}`, base64: dataUrl.slice(match[0].length) }
}

/**
 * Where the page finds an image's content; the revision in the URL changes with the content.
 *
 * @since 0.1.0
 * @category rules
 */
export const thumbnailPath = (modelId: string, trainingImageId: string, revision: number): string =>
  `${PATH_PREFIX}images/${encodeURIComponent(modelId)}/${encodeURIComponent(trainingImageId)}?revision=${revision}`

/**
 * An image as the page shows it.
 *
 * @since 0.1.0
 * @category models
 */
export interface InspectorImage extends Store.StoredImage {
  /** Where the page finds the image's content; `null` for an image added by asset id (a placeholder). */
  readonly thumbnail: string | null
}

/**
 * A model as the page shows it.
 *
 * @since 0.1.0
 * @category models
 */
export interface InspectorModel extends Omit<Store.ModelState, "trainingImages"> {
  readonly trainingImages: ReadonlyArray<InspectorImage>
}

/**
 * `GET /inspector/api/state`: everything the page shows, `R` being a recorded request.
 *
 * @since 0.1.0
 * @category models
 */
export interface InspectorState<R> {
  readonly version: number
  readonly baseUrl: string
  readonly models: ReadonlyArray<InspectorModel>
  /** Newest first, at most `REQUEST_LIMIT`. */
  readonly requests: ReadonlyArray<R>
  readonly requestCount: number
  readonly pendingFaults: number
  readonly faultCounts: Readonly<Record<string, number>>
}

/**
 * The state the page reads, from the store's snapshot and the request log (oldest first).
 *
 * @since 0.1.0
 * @category constructors
 */
export const stateOf = <R>(input: {
  readonly version: number
  readonly baseUrl: string
  readonly snapshot: Store.Snapshot
  readonly requests: ReadonlyArray<R>
  readonly pendingFaults: number
  readonly faultCounts: Readonly<Record<string, number>>
  readonly revisionOf: (modelId: string, trainingImageId: string) => number | undefined
}): InspectorState<R> => ({
  version: input.version,
  baseUrl: input.baseUrl,
  models: Object.values(input.snapshot.models).map((model) => ({
    ...model,
    trainingImages: model.trainingImages.map((image) => {
      const revision = input.revisionOf(model.id, image.id)
      return { ...image, thumbnail: revision === undefined ? null : thumbnailPath(model.id, image.id, revision) }
    })
  })),
  requests: input.requests.slice(-REQUEST_LIMIT).reverse(),
  requestCount: input.requests.length,
  pendingFaults: input.pendingFaults,
  faultCounts: input.faultCounts
})

const OPERATIONS: ReadonlyArray<Operation> = ["add", "replace", "replacePairs", "delete", "list"]

const FAIL_NEXT_KEYS = ["count", "kind", "retryAfterSeconds", "delayMillis", "operation"]

const isRecord = (json: unknown): json is Record<string, unknown> =>
  typeof json === "object" && json !== null && !Array.isArray(json)

// Stryker disable next-line ConditionalExpression: equivalent, JSON.stringify(undefined) is undefined, which a template writes as "undefined"
const shown = (value: unknown): string => value === undefined ? "undefined" : JSON.stringify(value)

const numberProblem = (
  value: unknown,
  options: { readonly integer: boolean; readonly min: number; readonly max: number }
): string | undefined => {
  const what = options.integer ? "an integer" : "a number"
  return typeof value === "number" && (!options.integer || Number.isInteger(value)) && value >= options.min &&
      value <= options.max
    ? undefined
    : `expected ${what} from ${options.min} to ${options.max}, got ${shown(value)}`
}

/**
 * The problem with the JSON of `POST /inspector/api/fail-next`, if any: an object of `count` (an integer from
 * 1 to 10,000), `kind` (text), and optionally `retryAfterSeconds` (0 to 86,400), `delayMillis` (an integer from
 * 0 to 3,600,000) and `operation`; no other key. One problem, the first found, with the field it is about.
 *
 * @since 0.1.0
 * @category rules
 */
export const failNextProblem = (json: unknown): string | undefined => {
  if (!isRecord(json)) return `expected an object of count, kind and optional fields, got ${shown(json)}`
  const extra = Object.keys(json).find((key) => !FAIL_NEXT_KEYS.includes(key))
  if (extra !== undefined) {
    return `${JSON.stringify(extra)} is unexpected, expected: ${FAIL_NEXT_KEYS.map(shown).join(" | ")}`
  }
  const problems: Array<[string, string | undefined]> = [
    ["count", numberProblem(json.count, { integer: true, min: 1, max: 10_000 })],
    ["kind", typeof json.kind === "string" ? undefined : `expected text, got ${shown(json.kind)}`],
    [
      "retryAfterSeconds",
      json.retryAfterSeconds === undefined
        ? undefined
        : numberProblem(json.retryAfterSeconds, { integer: false, min: 0, max: 86_400 })
    ],
    [
      "delayMillis",
      json.delayMillis === undefined
        ? undefined
        : numberProblem(json.delayMillis, { integer: true, min: 0, max: 3_600_000 })
    ],
    [
      "operation",
      json.operation === undefined || OPERATIONS.includes(json.operation as Operation)
        ? undefined
        : `expected ${OPERATIONS.map(shown).join(" | ")}, got ${shown(json.operation)}`
    ]
  ]
  const found = problems.find(([, problem]) => problem !== undefined)
  return found === undefined ? undefined : `${found[0]}: ${found[1]}`
}

const parseJson = (text: string): { readonly ok: true; readonly json: unknown } | { readonly ok: false } => {
  try {
    return { ok: true, json: JSON.parse(text) }
  } catch {
    // Stryker disable next-line ObjectLiteral: equivalent, an object without ok is read as not ok
    return { ok: false }
  }
}

/**
 * The control call a `POST /inspector/api/<action>` asks for (`fail-next`, `seed` or `reset`), or the message of
 * the 400 that refuses it. `faultOf` builds the fault a kind names (`FaultKind.answerOf` for the plain faults;
 * a binding gives its own), with the wait and hold the body asks for; `undefined` for an unknown kind. A seed is
 * the object as parsed, never rebuilt (a model id such as `__proto__` stays an own property): its models are
 * checked by the server's `seed`, as a seed given in code.
 *
 * @since 0.1.0
 * @category rules
 */
export const controlCall = <F>(
  action: string,
  body: string,
  faultOf: (
    kind: string,
    options: { readonly retryAfterMillis: number | undefined; readonly delayMillis: number | undefined }
  ) => F | undefined
): Server.ControlCall<F> => {
  if (action === "reset") return { _tag: "Reset" }
  if (action !== "fail-next" && action !== "seed") {
    return { _tag: "Refused", message: `Unknown control action ${JSON.stringify(action)}` }
  }
  const parsed = parseJson(body)
  if (!parsed.ok) return { _tag: "Refused", message: "Invalid JSON body" }
  const json = parsed.json
  if (action === "seed") {
    return isRecord(json)
      ? { _tag: "Seed", models: json as Store.Seed }
      : { _tag: "Refused", message: "The seed must be a JSON object of models by id" }
  }
  const problem = failNextProblem(json)
  if (problem !== undefined) return { _tag: "Refused", message: problem }
  const input = json as {
    readonly count: number
    readonly kind: string
    readonly retryAfterSeconds?: number
    readonly delayMillis?: number
    readonly operation?: Operation
  }
  const fault = faultOf(input.kind, {
    retryAfterMillis: input.retryAfterSeconds === undefined ? undefined : input.retryAfterSeconds * 1000,
    delayMillis: input.delayMillis
  })
  return fault === undefined
    ? { _tag: "Refused", message: `Unknown fault kind ${JSON.stringify(input.kind)}` }
    : { _tag: "FailNext", count: input.count, fault, operation: input.operation }
}

/**
 * How the server side reads a request before any validator runs: its JSON body, its query flags and the
 * documented fields of its body, or the 400 the server answers. Each binding then checks the fields with the
 * same validators its client runs.
 *
 * @since 0.1.0
 */
import { failure, type WireResponse } from "./Store.js"

/**
 * What was read, or the answer that refuses the request.
 *
 * @since 0.1.0
 * @category models
 */
export type Read<A> =
  | { readonly _tag: "Read"; readonly value: A }
  | { readonly _tag: "Refused"; readonly response: WireResponse }

const read = <A>(value: A): Read<A> => ({ _tag: "Read", value })
const refused = (status: number, message: string): Read<never> => ({
  _tag: "Refused",
  response: failure(status, message)
})

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * The body as JSON, or the 400 for an empty or malformed one.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parseJson = (text: string): Read<unknown> => {
  try {
    return read(JSON.parse(text))
  } catch {
    return refused(400, text.trim() === "" ? "The request body is empty: JSON expected" : "Invalid JSON body")
  }
}

/**
 * The `originalAssets` query flag: absent, `true` or `false`; anything else is a 400.
 *
 * @since 0.1.0
 * @category parsing
 */
export const originalAssetsOf = (query: URLSearchParams): Read<{ readonly originalAssets?: boolean }> => {
  const value = query.get("originalAssets")
  if (value === null) return read({})
  if (value === "true" || value === "false") return read({ originalAssets: value === "true" })
  return refused(400, `originalAssets must be true or false, got ${JSON.stringify(value)}`)
}

const IMAGE_KEYS = ["assetId", "assetIds", "data", "name", "preset"] as const

/**
 * The documented fields of an image's body (a gateway passes others along and the service ignores them); as
 * the API documents, `data` and `name` are ignored when `assetId` is given without `assetIds`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const imageFields = (body: unknown): Read<Record<string, unknown>> => {
  if (!isRecord(body)) return refused(400, "The request body must be a JSON object")
  const fields: Record<string, unknown> = {}
  for (const key of IMAGE_KEYS) if (body[key] !== undefined) fields[key] = body[key]
  if (fields.assetId !== undefined && fields.assetIds === undefined) {
    delete fields.data
    delete fields.name
  }
  return read(fields)
}

/**
 * The unchecked params of `add` or `replace`: the body's image fields and the query's flags.
 *
 * @since 0.1.0
 * @category parsing
 */
export const imageInput = (query: URLSearchParams, bodyText: string): Read<Record<string, unknown>> => {
  const flags = originalAssetsOf(query)
  if (flags._tag === "Refused") return flags
  const json = parseJson(bodyText)
  if (json._tag === "Refused") return json
  const fields = imageFields(json.value)
  return fields._tag === "Refused" ? fields : read({ ...fields.value, ...flags.value })
}

const PAIR_KEYS = ["sourceId", "targetId", "instruction"] as const

/**
 * The unchecked pairs of `replacePairs`: a JSON array, each object's documented fields only (anything else is
 * left as it is, for the validator to name).
 *
 * @since 0.1.0
 * @category parsing
 */
export const pairsInput = (bodyText: string): Read<ReadonlyArray<unknown>> => {
  const json = parseJson(bodyText)
  if (json._tag === "Refused") return json
  if (!Array.isArray(json.value)) return refused(400, "The request body must be a JSON array of pairs")
  return read(json.value.map((pair: unknown) => {
    if (!isRecord(pair)) return pair
    const fields: Record<string, unknown> = {}
    for (const key of PAIR_KEYS) if (pair[key] !== undefined) fields[key] = pair[key]
    return fields
  }))
}

/**
 * The unchecked `projectId` of `delete`, when the query gives one.
 *
 * @since 0.1.0
 * @category parsing
 */
export const projectIdOf = (query: URLSearchParams): { readonly projectId?: string } => {
  const projectId = query.get("projectId")
  return projectId === null ? {} : { projectId }
}

/**
 * A validator's problems as the 400 the server answers: `path: message; ...` (a problem of the whole request
 * without its path).
 *
 * @since 0.1.0
 * @category answers
 */
export const rejected = (
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>
): WireResponse =>
  failure(
    400,
    issues.map((issue) => issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`)
      .join("; ")
  )

import { type TrainingImage, type TrainingImagesError, Validate } from "@effect-scenario/core"
import * as Either from "effect/Either"
import * as Predicate from "effect/Predicate"
import { failure, type WireResponse } from "./store.js"

/**
 * How the server side reads a request: its path ids, query and JSON body, into params checked with the same
 * validators the client runs, or the 400 the server answers. Shared by the emulator and by the fake where
 * the fake has to answer what the server would (see `replace`).
 */

type Parsed<A> = Either.Either<A, WireResponse>

const rejected = (error: TrainingImagesError.InvalidRequestError): WireResponse =>
  failure(
    400,
    error.issues.map((issue) => issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`)
      .join("; ")
  )

const validated = <A>(result: Either.Either<A, TrainingImagesError.InvalidRequestError>): Parsed<A> =>
  Either.mapLeft(result, rejected)

/** @internal */
export const parseJson = (text: string): Parsed<unknown> => {
  try {
    return Either.right(JSON.parse(text))
  } catch {
    return Either.left(
      failure(400, text.trim() === "" ? "The request body is empty: JSON expected" : "Invalid JSON body")
    )
  }
}

const originalAssetsOf = (query: URLSearchParams): Parsed<{ readonly originalAssets?: boolean }> => {
  const value = query.get("originalAssets")
  if (value === null) return Either.right({})
  if (value === "true" || value === "false") return Either.right({ originalAssets: value === "true" })
  return Either.left(failure(400, `originalAssets must be true or false, got ${JSON.stringify(value)}`))
}

const IMAGE_KEYS = ["assetId", "assetIds", "data", "name", "preset"] as const

// Only the documented fields are read (a gateway passes others along and the service ignores them); and, as
// the API documents, `data` and `name` are ignored when `assetId` is given without `assetIds`.
const imageFields = (body: unknown): Parsed<Record<string, unknown>> => {
  if (!Predicate.isRecord(body) || Array.isArray(body)) {
    return Either.left(failure(400, "The request body must be a JSON object"))
  }
  const fields: Record<string, unknown> = {}
  for (const key of IMAGE_KEYS) if (body[key] !== undefined) fields[key] = body[key]
  if (fields.assetId !== undefined && fields.assetIds === undefined) {
    delete fields.data
    delete fields.name
  }
  return Either.right(fields)
}

/** @internal */
export const addParams = (
  modelId: string,
  query: URLSearchParams,
  bodyText: string
): Parsed<TrainingImage.AddParams> =>
  Either.gen(function*() {
    const flags = yield* originalAssetsOf(query)
    const fields = yield* Either.flatMap(parseJson(bodyText), imageFields)
    return yield* validated(Validate.add({ ...fields, ...flags, modelId }))
  })

/** @internal */
export const replaceParams = (
  modelId: string,
  trainingImageId: string,
  query: URLSearchParams,
  bodyText: string
): Parsed<TrainingImage.ReplaceParams> =>
  Either.gen(function*() {
    const flags = yield* originalAssetsOf(query)
    const fields = yield* Either.flatMap(parseJson(bodyText), imageFields)
    return yield* validated(Validate.replace({ ...fields, ...flags, modelId, trainingImageId }))
  })

const PAIR_KEYS = ["sourceId", "targetId", "instruction"] as const

/** @internal */
export const replacePairsParams = (modelId: string, bodyText: string): Parsed<TrainingImage.ReplacePairsParams> =>
  Either.gen(function*() {
    const body = yield* parseJson(bodyText)
    if (!Array.isArray(body)) return yield* Either.left(failure(400, "The request body must be a JSON array of pairs"))
    const pairs = body.map((pair: unknown) => {
      if (!Predicate.isRecord(pair)) return pair
      const fields: Record<string, unknown> = {}
      for (const key of PAIR_KEYS) if (pair[key] !== undefined) fields[key] = pair[key]
      return fields
    })
    return yield* validated(Validate.replacePairs({ modelId, pairs }))
  })

/** @internal */
export const deleteParams = (
  modelId: string,
  trainingImageId: string,
  query: URLSearchParams
): Parsed<TrainingImage.DeleteParams> => {
  const projectId = query.get("projectId")
  return validated(Validate.delete({ modelId, trainingImageId, ...(projectId === null ? {} : { projectId }) }))
}

/** @internal */
export const listParams = (modelId: string, query: URLSearchParams): Parsed<TrainingImage.ListParams> =>
  Either.flatMap(originalAssetsOf(query), (flags) => validated(Validate.list({ ...flags, modelId })))

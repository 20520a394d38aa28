import { type TrainingImage, type TrainingImagesError, Validate } from "@effect-scenario/core"
import type { WireResponse } from "@effect-scenario/emulator/Store"
import * as Wire from "@effect-scenario/emulator/Wire"
import * as Either from "effect/Either"

/**
 * How the server side reads a request: its path ids, query and JSON body (read by the emulator package's
 * `Wire`), into params checked with the same validators the client runs, or the 400 the server answers. Shared
 * by the emulator and by the fake where the fake has to answer what the server would (see `replace`).
 */

type Parsed<A> = Either.Either<A, WireResponse>

const either = <A>(read: Wire.Read<A>): Parsed<A> =>
  read._tag === "Read" ? Either.right(read.value) : Either.left(read.response)

const validated = <A>(result: Either.Either<A, TrainingImagesError.InvalidRequestError>): Parsed<A> =>
  Either.mapLeft(result, (error) => Wire.rejected(error.issues))

/** @internal */
export const addParams = (
  modelId: string,
  query: URLSearchParams,
  bodyText: string
): Parsed<TrainingImage.AddParams> =>
  Either.flatMap(either(Wire.imageInput(query, bodyText)), (fields) => validated(Validate.add({ ...fields, modelId })))

/** @internal */
export const replaceParams = (
  modelId: string,
  trainingImageId: string,
  query: URLSearchParams,
  bodyText: string
): Parsed<TrainingImage.ReplaceParams> =>
  Either.flatMap(
    either(Wire.imageInput(query, bodyText)),
    (fields) => validated(Validate.replace({ ...fields, modelId, trainingImageId }))
  )

/** @internal */
export const replacePairsParams = (modelId: string, bodyText: string): Parsed<TrainingImage.ReplacePairsParams> =>
  Either.flatMap(either(Wire.pairsInput(bodyText)), (pairs) => validated(Validate.replacePairs({ modelId, pairs })))

/** @internal */
export const deleteParams = (
  modelId: string,
  trainingImageId: string,
  query: URLSearchParams
): Parsed<TrainingImage.DeleteParams> =>
  validated(Validate.delete({ modelId, trainingImageId, ...Wire.projectIdOf(query) }))

/** @internal */
export const listParams = (modelId: string, query: URLSearchParams): Parsed<TrainingImage.ListParams> =>
  Either.flatMap(either(Wire.originalAssetsOf(query)), (flags) => validated(Validate.list({ ...flags, modelId })))

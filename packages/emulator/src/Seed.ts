/**
 * The checks of a seed, against what the API can answer: a model's `status` and `type` from the documented
 * enums, images and pairs of the documented shape. Seeds are often built from JSON fixtures, so the types alone
 * do not stop a `status: "queued"` that Scenario would never send. A plain result: the seed, or every problem
 * with its path (`models.<id>.status`).
 *
 * @since 0.1.0
 */
import * as Validation from "@effect-scenario/kernel/Validation"
import type * as Store from "./Store.js"

/**
 * The statuses the API documents for a model.
 *
 * @since 0.1.0
 * @category constants
 */
export const MODEL_STATUSES: ReadonlyArray<string> = Validation.MODEL_STATUSES

/**
 * The model types the API documents (`GET /models/{modelId}`).
 *
 * @since 0.1.0
 * @category constants
 */
export const MODEL_TYPES: ReadonlyArray<string> = Validation.MODEL_TYPES

/**
 * One problem of a seed: where (`["models", "<id>", "status"]`) and what.
 *
 * @since 0.1.0
 * @category models
 */
export interface Issue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/**
 * What a check finds: the seed, or every problem in it (at least one).
 *
 * @since 0.1.0
 * @category models
 */
export type Checked =
  | { readonly _tag: "Valid"; readonly seed: Store.Seed }
  | { readonly _tag: "Invalid"; readonly issues: readonly [Issue, ...Array<Issue>] }

const optionalString = (value: unknown) => value === undefined || typeof value === "string"

// The API's id rule (as its validators apply it to asset ids): not empty, not a path step, well-formed Unicode.
const isId = (value: unknown): boolean => typeof value === "string" && Validation.idProblem(value) === undefined

const isPair = (pair: unknown): boolean =>
  // Stryker disable next-line ConditionalExpression: equivalent, a field of a primitive is undefined, never an id
  typeof pair === "object" && pair !== null && isId((pair as Record<string, unknown>).sourceId) &&
  isId((pair as Record<string, unknown>).targetId) && optionalString((pair as Record<string, unknown>).instruction)

/**
 * Every problem of a seed, none for a valid one.
 *
 * @since 0.1.0
 * @category checks
 */
export const issues = (models: unknown): Array<Issue> => {
  if (typeof models !== "object" || models === null) return [{ path: [], message: "expected an object of models" }]
  const found: Array<Issue> = []
  for (const [modelId, seed] of Object.entries(models)) {
    const at = (...path: Array<string | number>) => ["models", modelId, ...path]
    if (modelId === "") found.push({ path: at(), message: "a model id must not be empty" })
    if (typeof seed !== "object" || seed === null) {
      found.push({ path: at(), message: "expected an object" })
      continue
    }
    const values = seed as Record<string, unknown>
    if (values.status !== undefined && !MODEL_STATUSES.includes(values.status as string)) {
      found.push({
        path: at("status"),
        message: `must be ${Validation.oneOf(MODEL_STATUSES)}, got ${JSON.stringify(values.status)}`
      })
    }
    if (values.type !== undefined && !MODEL_TYPES.includes(values.type as string)) {
      found.push({
        path: at("type"),
        message: `must be one of the documented model types (${Validation.oneOf(MODEL_TYPES)}), got ${
          JSON.stringify(values.type)
        }`
      })
    }
    if (!optionalString(values.name)) found.push({ path: at("name"), message: "must be a string" })
    const images = values.trainingImages
    if (images !== undefined && !Array.isArray(images)) {
      found.push({ path: at("trainingImages"), message: "must be an array" })
    } else {
      const seen = new Set<string>()
      for (const [index, image] of ((images ?? []) as ReadonlyArray<unknown>).entries()) {
        if (typeof image !== "object" || image === null) {
          found.push({ path: at("trainingImages", index), message: "expected an object" })
          continue
        }
        const fields = image as Record<string, unknown>
        for (const field of ["id", "name", "createdAt", "description", "automaticCaptioning", "downloadUrl", "data"]) {
          if (!optionalString(fields[field])) {
            found.push({ path: at("trainingImages", index, field), message: "must be a string" })
          }
        }
        if (fields.id === "") found.push({ path: at("trainingImages", index, "id"), message: "must not be empty" })
        if (typeof fields.id === "string") {
          // An id becomes part of the image's downloadUrl: a lone surrogate cannot be percent-encoded.
          if (!Validation.isWellFormed(fields.id)) {
            found.push({ path: at("trainingImages", index, "id"), message: "must be well-formed Unicode" })
          }
          if (seen.has(fields.id)) {
            found.push({ path: at("trainingImages", index, "id"), message: `${fields.id} is given twice` })
          }
          seen.add(fields.id)
        }
        if (typeof fields.createdAt === "string" && Number.isNaN(Date.parse(fields.createdAt))) {
          found.push({ path: at("trainingImages", index, "createdAt"), message: "must be an ISO date" })
        }
      }
    }
    const pairs = values.pairs
    if (pairs !== undefined && !Array.isArray(pairs)) {
      found.push({ path: at("pairs"), message: "must be an array" })
    } else {
      for (const [index, pair] of ((pairs ?? []) as ReadonlyArray<unknown>).entries()) {
        if (!isPair(pair)) {
          found.push({ path: at("pairs", index), message: "must have a non-empty sourceId and targetId" })
        }
      }
    }
  }
  return found
}

// Counted before anything else is checked: a seed of millions of images is refused without visiting each.
const imageCountIssue = (models: unknown, maxImages: number): Issue | undefined => {
  if (typeof models !== "object" || models === null) return undefined
  let count = 0
  for (const seed of Object.values(models)) {
    // Stryker disable next-line ConditionalExpression: equivalent, a field of a primitive is undefined, never an array
    const images: unknown = typeof seed === "object" && seed !== null
      ? (seed as Record<string, unknown>).trainingImages
      : undefined
    if (Array.isArray(images)) count += images.length
  }
  return count > maxImages
    ? { path: ["models"], message: `${count} training images, over the limit of ${maxImages} (maxSeedImages)` }
    : undefined
}

/**
 * The seed, or every problem in it; with `maxImages`, a seed of more training images (over all its models) is
 * refused for that alone, before anything else is looked at. The seed is returned as given, never rebuilt, so
 * that a model id such as `__proto__` stays an own property.
 *
 * @example
 * ```ts
 * import { Seed } from "@effect-scenario/emulator"
 *
 * const checked = Seed.check({ model_1: { status: "queued" } })
 * if (checked._tag === "Invalid") console.log(Seed.format(checked.issues)) // models.model_1.status: must be ...
 * ```
 *
 * @since 0.1.0
 * @category checks
 */
export const check = (models: unknown, maxImages?: number): Checked => {
  // Stryker disable next-line ConditionalExpression: equivalent, a count is never over an undefined limit (the comparison is false)
  const tooMany = maxImages === undefined ? undefined : imageCountIssue(models, maxImages)
  const found = tooMany === undefined ? issues(models) : [tooMany]
  return found.length === 0
    ? { _tag: "Valid", seed: models as Store.Seed }
    : { _tag: "Invalid", issues: found as [Issue, ...Array<Issue>] }
}

/**
 * The most training images one seed may create, over all its models, when the emulator is given no other
 * limit (`maxSeedImages`): every image is kept and shown by the inspector, so a seed of millions would hold
 * the emulator for as long as it runs.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MAX_IMAGES = 10_000

/**
 * The problems as one line: `path: message; path: message`.
 *
 * @since 0.1.0
 * @category formatting
 */
export const format = (found: ReadonlyArray<Issue>): string =>
  found.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")

import { TrainingImage, TrainingImagesError } from "@effect-scenario/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as TrainingImagesTest from "../TrainingImagesTest.js"

const isStatus = Schema.is(TrainingImage.ModelStatus)
const isType = Schema.is(TrainingImage.ModelType)
const isPair = Schema.is(TrainingImage.PairInput)

const oneOf = (values: ReadonlyArray<string>) =>
  `${values.slice(0, -1).map((v) => JSON.stringify(v)).join(", ")} or ${JSON.stringify(values.at(-1))}`

const optionalString = (value: unknown) => value === undefined || typeof value === "string"

/**
 * Every problem of a seed, checked against what the API can answer: a model's `status` and `type` from the
 * documented enums, images and pairs of the documented shape. Seeds are often built from JSON fixtures, so
 * the types alone do not stop a `status: "queued"` that Scenario would never send.
 */
export const seedIssues = (models: unknown): Array<TrainingImagesError.Issue> => {
  if (typeof models !== "object" || models === null) return [{ path: [], message: "expected an object of models" }]
  const issues: Array<TrainingImagesError.Issue> = []
  for (const [modelId, seed] of Object.entries(models as TrainingImagesTest.Seed)) {
    const at = (...path: Array<string | number>) => ["models", modelId, ...path]
    if (modelId === "") issues.push({ path: at(), message: "a model id must not be empty" })
    if (typeof seed !== "object" || seed === null) {
      issues.push({ path: at(), message: "expected an object" })
      continue
    }
    const values = seed as Record<string, unknown>
    if (values.status !== undefined && !isStatus(values.status)) {
      issues.push({
        path: at("status"),
        message: `must be ${oneOf(TrainingImage.ModelStatus.literals)}, got ${JSON.stringify(values.status)}`
      })
    }
    if (values.type !== undefined && !isType(values.type)) {
      issues.push({
        path: at("type"),
        message: `must be one of the documented model types (${oneOf(TrainingImage.ModelType.literals)}), got ${
          JSON.stringify(values.type)
        }`
      })
    }
    if (!optionalString(values.name)) issues.push({ path: at("name"), message: "must be a string" })
    const images = values.trainingImages
    if (images !== undefined && !Array.isArray(images)) {
      issues.push({ path: at("trainingImages"), message: "must be an array" })
    } else {
      const seen = new Set<string>()
      for (const [index, image] of (images ?? []).entries()) {
        if (typeof image !== "object" || image === null) {
          issues.push({ path: at("trainingImages", index), message: "expected an object" })
          continue
        }
        for (const field of ["id", "name", "createdAt", "description", "automaticCaptioning", "downloadUrl", "data"]) {
          if (!optionalString(image[field])) {
            issues.push({ path: at("trainingImages", index, field), message: "must be a string" })
          }
        }
        if (image.id === "") issues.push({ path: at("trainingImages", index, "id"), message: "must not be empty" })
        if (typeof image.id === "string" && seen.has(image.id)) {
          issues.push({ path: at("trainingImages", index, "id"), message: `${image.id} is given twice` })
        }
        if (typeof image.id === "string") seen.add(image.id)
        if (typeof image.createdAt === "string" && Number.isNaN(Date.parse(image.createdAt))) {
          issues.push({ path: at("trainingImages", index, "createdAt"), message: "must be an ISO date" })
        }
      }
    }
    const pairs = values.pairs
    if (pairs !== undefined && !Array.isArray(pairs)) {
      issues.push({ path: at("pairs"), message: "must be an array" })
    } else {
      for (const [index, pair] of (pairs ?? []).entries()) {
        if (!isPair(pair)) {
          issues.push({ path: at("pairs", index), message: "must have a non-empty sourceId and targetId" })
        }
      }
    }
  }
  return issues
}

/** @internal */
export class InvalidSeedError extends Schema.TaggedError<InvalidSeedError>(
  "@effect-scenario/testing/InvalidSeedError"
)("InvalidSeedError", { issues: Schema.NonEmptyArray(TrainingImagesError.Issue) }) {
  override get message(): string {
    return `Invalid seed: ${this.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`
  }
}

// Counted before anything else is checked: a seed of millions of images is refused without visiting each.
const imageCountIssue = (models: unknown, maxImages: number): TrainingImagesError.Issue | undefined => {
  if (typeof models !== "object" || models === null) return undefined
  let count = 0
  for (const seed of Object.values(models)) {
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
 * The seed, or the error that lists every problem in it; with `maxImages`, a seed of more training images (over
 * all its models) is refused for that alone.
 *
 * @internal
 */
export const checkSeed = (
  models: unknown,
  maxImages?: number
): Effect.Effect<TrainingImagesTest.Seed, InvalidSeedError> => {
  const tooMany = maxImages === undefined ? undefined : imageCountIssue(models, maxImages)
  const issues = tooMany === undefined ? seedIssues(models) : [tooMany]
  return issues.length === 0
    ? Effect.succeed(models as TrainingImagesTest.Seed)
    : Effect.fail(
      new InvalidSeedError({ issues: issues as [TrainingImagesError.Issue, ...Array<TrainingImagesError.Issue>] })
    )
}

/**
 * The soak's workload: a seeded plan of mixed operations and the models they work on.
 *
 * Every operation gets keys of its own, so that what the emulator ends up holding can be traced back to the
 * one operation that put it there:
 *
 * - `add` puts uniquely named assets (or an inline image with a unique file name) into one of a few shared
 *   models, which they contend for; the emulator names each new image after its asset or file name.
 * - `replace` and `delete` each target a training image of their own, in two shared models.
 * - `replacePairs` and `list` each work on a model of their own.
 *
 * The idempotent operations thus each have a request path of their own, which ties every request the
 * emulator records to the operation that sent it.
 */
import type { TrainingImage, TrainingImagesError } from "@effect-scenario/core"
import * as Endpoint from "@effect-scenario/kernel/Endpoint"
import * as Prng from "@effect-scenario/kernel/Prng"
// Types only: nothing of Effect is loaded by this module.
import type * as TrainingImagesTest from "../src/TrainingImagesTest.js"

/** A 1×1 PNG, as inline image data. */
export const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVQYV2NgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII="

export const REPLACE_MODEL = "model_soak_replace"
export const MISSING_MODEL = "model_soak_missing"
export const DELETE_MODEL = "model_soak_delete"
export const ADD_MODELS = ["model_soak_add_0", "model_soak_add_1", "model_soak_add_2", "model_soak_add_3"] as const

/** The share of each operation in the mix. */
export const MIX: ReadonlyArray<readonly [TrainingImagesError.Operation, number]> = [
  ["add", 0.3],
  ["replace", 0.2],
  ["replacePairs", 0.15],
  ["delete", 0.15],
  ["list", 0.2]
]

interface PlannedOf<Op extends TrainingImagesError.Operation, Params> {
  readonly index: number
  readonly operation: Op
  readonly params: Params
}

/**
 * An `add`, and the names of the images it creates: one per asset, or the file name given. A quarter of the
 * adds run without retries, so that the 429s and 503s they meet reach the caller (errors that say the add was
 * not applied); a few go to a model that does not exist (404) or hold more than 10 assets (refused before
 * sending).
 */
export interface PlannedAdd extends PlannedOf<"add", TrainingImage.AddParams> {
  readonly names: ReadonlyArray<string>
  readonly retries: boolean
}

/** A `replace` of its own image, and the image's name before and after. */
export interface PlannedReplace extends PlannedOf<"replace", TrainingImage.ReplaceParams> {
  readonly before: string
  readonly after: string
}

/** A `replacePairs` of its own model, and the model's pairs before. */
export interface PlannedReplacePairs extends PlannedOf<"replacePairs", TrainingImage.ReplacePairsParams> {
  readonly before: ReadonlyArray<TrainingImage.PairInput>
}

/** A `delete` of its own image. */
export type PlannedDelete = PlannedOf<"delete", TrainingImage.DeleteParams>

/** A `list` of its own model, which nothing else touches, and what it must return. */
export interface PlannedList extends PlannedOf<"list", TrainingImage.ListParams> {
  readonly expected: {
    readonly images: ReadonlyArray<{ readonly id: string; readonly name: string }>
    readonly pairs: ReadonlyArray<TrainingImage.PairInput>
  }
}

export type Planned = PlannedAdd | PlannedReplace | PlannedReplacePairs | PlannedDelete | PlannedList

export interface Workload {
  readonly operations: ReadonlyArray<Planned>
  /** The models the emulator starts with. */
  readonly seed: TrainingImagesTest.Seed
}

const pad = (n: number) => String(n).padStart(6, "0")

/** The plan for `count` operations, the same for the same seed. */
export const plan = (count: number, seed: number): Workload => {
  const random = Prng.make(seed)
  const operations: Array<Planned> = []
  const replaceImages: Array<TrainingImagesTest.ImageSeed> = []
  const deleteImages: Array<TrainingImagesTest.ImageSeed> = []
  const models: Record<string, TrainingImagesTest.ModelSeed> = {}
  for (const model of ADD_MODELS) models[model] = {}

  const pick = (): TrainingImagesError.Operation => {
    let roll = random.number()
    for (const [operation, share] of MIX) {
      if (roll < share) return operation
      roll -= share
    }
    return "list"
  }

  for (let index = 0; index < count; index++) {
    const key = pad(index)
    const preset = (["default", "style", "subject", undefined] as const)[random.integer(4)]
    switch (pick()) {
      case "add": {
        const roll = random.integer(40)
        const modelId = roll === 0 ? MISSING_MODEL : ADD_MODELS[random.integer(ADD_MODELS.length)]!
        const variant = roll === 1 ? 3 : random.integer(3)
        const retries = random.integer(4) !== 0
        const originalAssets = random.integer(3) === 0 ? true : undefined
        const common = {
          modelId,
          ...(preset === undefined ? {} : { preset }),
          ...(originalAssets === undefined ? {} : { originalAssets })
        }
        const add = (params: TrainingImage.AddParams, names: ReadonlyArray<string>) =>
          operations.push({ index, operation: "add", params, names, retries })
        if (variant === 0) {
          const assetId = `asset_soak_add_${key}`
          add({ ...common, assetId }, [assetId])
        } else if (variant === 1 || variant === 3) {
          const size = variant === 3 ? 11 : 2 + random.integer(3)
          const assetIds = Array.from({ length: size }, (_, k) => `asset_soak_add_${key}_${k}`)
          add({ ...common, assetIds }, assetIds)
        } else {
          const name = `soak_add_${key}.png`
          add({ ...common, data: PNG, name }, [name])
        }
        break
      }
      case "replace": {
        const trainingImageId = `img_soak_replace_${key}`
        const before = `before_${key}.png`
        replaceImages.push({ id: trainingImageId, name: before })
        const inline = random.integer(2) === 0
        const after = inline ? `after_${key}.png` : `asset_soak_replace_${key}`
        const image = inline ? { data: PNG, name: after } : { assetId: after }
        operations.push({
          index,
          operation: "replace",
          params: { modelId: REPLACE_MODEL, trainingImageId, ...image, ...(preset === undefined ? {} : { preset }) },
          before,
          after
        })
        break
      }
      case "replacePairs": {
        const modelId = `model_soak_pairs_${key}`
        const ids = [0, 1, 2].map((k) => `img_soak_pairs_${key}_${k}`)
        const before = [{ sourceId: ids[0]!, targetId: ids[1]!, instruction: "before" }]
        models[modelId] = { trainingImages: ids.map((id) => ({ id })), pairs: before }
        const pairs = Array.from({ length: random.integer(4) }, (_, k) => {
          const pair = { sourceId: ids[random.integer(3)]!, targetId: ids[random.integer(3)]! }
          return k % 2 === 0 ? { ...pair, instruction: `make it ${key}-${k}` } : pair
        })
        operations.push({ index, operation: "replacePairs", params: { modelId, pairs }, before })
        break
      }
      case "delete": {
        const trainingImageId = `img_soak_delete_${key}`
        deleteImages.push({ id: trainingImageId })
        operations.push({ index, operation: "delete", params: { modelId: DELETE_MODEL, trainingImageId } })
        break
      }
      case "list": {
        const modelId = `model_soak_list_${key}`
        const images = Array.from({ length: 1 + random.integer(3) }, (_, k) => ({
          id: `img_soak_list_${key}_${k}`,
          name: `list_${key}_${k}.png`
        }))
        const pairs = [{ sourceId: images[0]!.id, targetId: images[images.length - 1]!.id }]
        models[modelId] = { status: "trained", trainingImages: images, pairs }
        operations.push({
          index,
          operation: "list",
          params: { modelId, ...(random.integer(2) === 0 ? { originalAssets: false } : {}) },
          expected: { images, pairs }
        })
        break
      }
    }
  }
  models[REPLACE_MODEL] = { trainingImages: replaceImages }
  models[DELETE_MODEL] = { trainingImages: deleteImages }
  return { operations, seed: models }
}

/** The method and path (below the base URL's path) of the requests an operation sends. */
export const requestKey = (planned: Planned): string => {
  const endpoint = (() => {
    switch (planned.operation) {
      case "add":
        return Endpoint.add(planned.params)
      case "replace":
        return Endpoint.replace(planned.params)
      case "replacePairs":
        return Endpoint.replacePairs(planned.params)
      case "delete":
        return Endpoint.delete_(planned.params)
      case "list":
        return Endpoint.list(planned.params)
    }
  })()
  return `${endpoint.method} ${endpoint.path}`
}

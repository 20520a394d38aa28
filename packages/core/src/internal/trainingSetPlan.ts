// The rules of a training-set sync that need no Effect: the diff between a folder and a model, the pairs
// check, and the state a run leaves. Plain functions over plain values, tested without I/O.
import type { Issue } from "../TrainingImagesError.js"
import type * as TrainingSet from "../TrainingSet.js"

/** @internal */
export interface LocalImage {
  readonly name: string
  /** Present when content is tracked (a state was given). */
  readonly sha256?: string | undefined
  /** Present for an existing asset rather than bytes. */
  readonly assetId?: string | undefined
}

/** @internal */
export interface RemoteImage {
  readonly id: string
  readonly name: string
}

/** @internal */
export interface RemotePair {
  readonly sourceId?: string | undefined
  readonly targetId?: string | undefined
  readonly instruction?: string | undefined
}

/** @internal */
export const MAX_BATCH = 10

/**
 * Every pair must name images of the set; an unknown name is reported by where it is.
 *
 * @internal
 */
export const checkPairs = (
  names: ReadonlySet<string>,
  pairs: ReadonlyArray<TrainingSet.PlannedPair>
): Array<Issue> => {
  const issues: Array<Issue> = []
  pairs.forEach((pair, index) => {
    for (const field of ["source", "target"] as const) {
      if (!names.has(pair[field])) {
        issues.push({ path: ["pairs", index, field], message: `"${pair[field]}" is not an image of the set` })
      }
    }
  })
  return issues
}

const pairKey = (sourceId: string, targetId: string, instruction: string | undefined) =>
  JSON.stringify([sourceId, targetId, instruction ?? null])

/**
 * Whether the pairs, with names resolved to ids, are exactly the model's pairs (order aside).
 *
 * @internal
 */
export const samePairs = (
  wanted: ReadonlyArray<{ readonly sourceId: string; readonly targetId: string; readonly instruction?: string }>,
  current: ReadonlyArray<RemotePair>
): boolean => {
  if (wanted.length !== current.length) return false
  const keys = new Map<string, number>()
  for (const pair of current) {
    if (pair.sourceId === undefined || pair.targetId === undefined) return false
    const key = pairKey(pair.sourceId, pair.targetId, pair.instruction)
    keys.set(key, (keys.get(key) ?? 0) + 1)
  }
  for (const pair of wanted) {
    const key = pairKey(pair.sourceId, pair.targetId, pair.instruction)
    const count = keys.get(key) ?? 0
    if (count === 0) return false
    keys.set(key, count - 1)
  }
  return true
}

/** @internal */
export interface DiffInput {
  readonly modelId: string
  readonly local: ReadonlyArray<LocalImage>
  readonly remote: ReadonlyArray<RemoteImage>
  readonly remotePairs: ReadonlyArray<RemotePair>
  readonly state?: TrainingSet.State | undefined
  readonly pairs?: ReadonlyArray<TrainingSet.PlannedPair> | undefined
  readonly deleteOthers?: boolean | undefined
}

/** @internal */
export type DiffItem = TrainingSet.PlanItem

const withSha = <A extends object>(item: A, sha256: string | undefined): A & { sha256?: string } =>
  sha256 === undefined ? item : { ...item, sha256 }

// A name's entry in a state: an own property only, so that a name such as `constructor` or `__proto__`
// never reads a member of `Object.prototype`.
const stateEntry = (state: TrainingSet.State | undefined, name: string) =>
  state !== undefined && Object.hasOwn(state.images, name) ? state.images[name] : undefined

/**
 * The plan's items: local images match training images by name. A present name is kept, unless its content
 * is tracked and differs from what the state says was last sent (then it is replaced). Absent names are
 * added (existing assets in batches of at most 10). With `deleteOthers`, training images whose name is not
 * in the set are deleted, and so are extra images holding a name of the set twice. Pairs are set when they
 * differ from the model's, or name an image still to be added. Items come in name order, pairs last.
 *
 * A list may repeat an entry: one id listed twice is one image (its first entry counts). Duplicates are
 * images under one name with different ids.
 *
 * @internal
 */
export const diff = (input: DiffInput): Array<DiffItem> => {
  const ids = new Set<string>()
  const remote = input.remote.filter((image) => {
    if (ids.has(image.id)) return false
    ids.add(image.id)
    return true
  })
  const remoteByName = new Map<string, string>()
  const duplicates: Array<RemoteImage> = []
  for (const image of remote) {
    if (remoteByName.has(image.name)) duplicates.push(image)
    else remoteByName.set(image.name, image.id)
  }
  const seen = new Set<string>()
  const local = [...input.local].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0).filter((image) => {
    if (seen.has(image.name)) return false
    seen.add(image.name)
    return true
  })
  const items: Array<DiffItem> = []
  const assets: Array<{ assetId: string; name: string }> = []
  const added = new Set<string>()
  for (const image of local) {
    const id = remoteByName.get(image.name)
    if (id === undefined) {
      added.add(image.name)
      if (image.assetId !== undefined) assets.push({ assetId: image.assetId, name: image.name })
      else items.push(withSha({ _tag: "Add", name: image.name }, image.sha256))
      continue
    }
    const last = stateEntry(input.state, image.name)
    if (image.sha256 !== undefined && last !== undefined && last.sha256 !== image.sha256) {
      items.push(withSha({ _tag: "Replace", name: image.name, trainingImageId: id }, image.sha256))
    } else {
      items.push(withSha({ _tag: "Keep", name: image.name, trainingImageId: id }, image.sha256))
    }
  }
  for (let i = 0; i < assets.length; i += MAX_BATCH) {
    items.push({ _tag: "AddAssets", assets: assets.slice(i, i + MAX_BATCH) })
  }
  if (input.deleteOthers === true) {
    for (const image of remote) {
      if (!seen.has(image.name)) {
        items.push({ _tag: "Delete", name: image.name, trainingImageId: image.id, reason: "not-in-set" })
      }
    }
    for (const image of duplicates) {
      if (seen.has(image.name)) {
        items.push({ _tag: "Delete", name: image.name, trainingImageId: image.id, reason: "duplicate" })
      }
    }
  }
  if (input.pairs !== undefined) {
    const needsAdded = input.pairs.some((pair) => added.has(pair.source) || added.has(pair.target))
    const resolved = input.pairs.map((pair) => ({
      sourceId: remoteByName.get(pair.source) ?? "",
      targetId: remoteByName.get(pair.target) ?? "",
      ...(pair.instruction === undefined ? {} : { instruction: pair.instruction })
    }))
    if (needsAdded || !samePairs(resolved, input.remotePairs)) items.push({ _tag: "SetPairs", pairs: input.pairs })
  }
  return items
}

/**
 * Why a plan's delete is refused: it deletes an id the plan also keeps (or replaces), or it leaves a name of
 * the folder with no image at all.
 *
 * @internal
 */
export interface UnsafeDelete {
  readonly name: string
  readonly trainingImageId: string
  readonly reason: "deletes-kept-image" | "leaves-name-empty"
}

/**
 * The last guard before anything is sent: the deletes of a plan that would remove an image the plan keeps,
 * or leave a name of the folder (`folderNames`, and every name the plan keeps, replaces or adds) with no
 * image. A plan made by `diff` never has one; a plan from elsewhere (built by hand, decoded from JSON, made
 * from a list that misbehaved) might.
 *
 * @internal
 */
export const unsafeDeletes = (
  items: ReadonlyArray<DiffItem>,
  folderNames: Iterable<string>
): Array<UnsafeDelete> => {
  const deleted = new Set<string>()
  const kept = new Set<string>()
  const names = new Set(folderNames)
  for (const item of items) {
    switch (item._tag) {
      case "Delete":
        deleted.add(item.trainingImageId)
        break
      case "Keep":
      case "Replace":
        kept.add(item.trainingImageId)
        names.add(item.name)
        break
      case "Add":
        names.add(item.name)
        break
      case "TooLarge":
        // A replace planned to fail leaves the image it would have replaced where it is.
        if (item.trainingImageId !== undefined) kept.add(item.trainingImageId)
        names.add(item.name)
        break
      case "AddAssets":
        for (const asset of item.assets) names.add(asset.name)
    }
  }
  // The names that still hold an image once the plan is carried out.
  const held = new Set<string>()
  for (const item of items) {
    if (
      (item._tag === "Keep" || item._tag === "Replace" ||
        (item._tag === "TooLarge" && item.trainingImageId !== undefined)) &&
      !deleted.has(item.trainingImageId!)
    ) held.add(item.name)
    if (item._tag === "Add") held.add(item.name)
    if (item._tag === "AddAssets") { for (const asset of item.assets) held.add(asset.name) }
  }
  const issues: Array<UnsafeDelete> = []
  for (const item of items) {
    if (item._tag !== "Delete") continue
    const { name, trainingImageId } = item
    if (kept.has(trainingImageId)) issues.push({ name, trainingImageId, reason: "deletes-kept-image" })
    if (names.has(name) && !held.has(name)) issues.push({ name, trainingImageId, reason: "leaves-name-empty" })
  }
  return issues
}

/** @internal */
export interface Done {
  readonly item: DiffItem
  /** The training image ids the item ended with, when it succeeded. */
  readonly trainingImageIds?: ReadonlyArray<string> | undefined
}

/**
 * The state after a run: what each image of the set holds on the model as far as this run knows. Kept
 * images are recorded with their local content (on a first tracked run that is the assumption that what
 * carries the name holds it); failed items leave their previous entry; deleted names leave the state.
 *
 * @internal
 */
export const nextState = (
  modelId: string,
  previous: TrainingSet.State | undefined,
  done: ReadonlyArray<Done>
): TrainingSet.State => {
  // A Map, turned into an object by `Object.fromEntries` (which defines own properties): assigning
  // `images["__proto__"]` would set the object's prototype instead of adding the name.
  const images = new Map<string, { readonly sha256: string; readonly trainingImageId: string }>(
    previous?.modelId === modelId ? Object.entries(previous.images) : []
  )
  for (const { item, trainingImageIds } of done) {
    switch (item._tag) {
      case "Add":
      case "Replace":
      case "Keep": {
        const id = trainingImageIds?.[0] ?? (item._tag === "Add" ? undefined : item.trainingImageId)
        if (trainingImageIds === undefined && item._tag !== "Keep") break
        if (item.sha256 !== undefined && id !== undefined) {
          images.set(item.name, { sha256: item.sha256, trainingImageId: id })
        }
        break
      }
      case "Delete":
        if (trainingImageIds !== undefined && item.reason === "not-in-set") images.delete(item.name)
        break
    }
  }
  return { modelId, images: Object.fromEntries(images) }
}

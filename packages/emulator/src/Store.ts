/**
 * The emulated API's models and their training images, held in memory: what each operation changes and the
 * answer (a status and a JSON body, as the API sends it) it gives. Shared by every in-memory fake and the
 * emulator, so that both store and answer alike. Ids come from a counter and dates from the `now` given, so a
 * run is reproducible; any model id is kept as given, `__proto__` included.
 *
 * @since 0.1.0
 */

/**
 * A training image as stored (and sent on the wire).
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredImage {
  readonly id: string
  readonly automaticCaptioning: string
  readonly createdAt: string
  readonly description: string
  readonly downloadUrl: string
  readonly name: string
}

/**
 * A pair as stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredPair {
  readonly sourceId: string
  readonly targetId: string
  readonly instruction?: string
}

/**
 * A model as stored: a copy, which later calls do not change.
 *
 * @since 0.1.0
 * @category models
 */
export interface ModelState {
  readonly id: string
  readonly status: string
  readonly type: string
  readonly name: string
  readonly trainingImages: ReadonlyArray<StoredImage>
  readonly pairs: ReadonlyArray<StoredPair>
}

/**
 * Every model, by id.
 *
 * @since 0.1.0
 * @category models
 */
export interface Snapshot {
  readonly models: Readonly<Record<string, ModelState>>
}

/**
 * A training image to seed; what is left out gets a default (a generated id, `<id>.png` as name, `now`).
 *
 * @since 0.1.0
 * @category seeding
 */
export interface ImageSeed {
  readonly id?: string | undefined
  readonly name?: string | undefined
  readonly createdAt?: string | undefined
  readonly description?: string | undefined
  readonly automaticCaptioning?: string | undefined
  readonly downloadUrl?: string | undefined
  /**
   * The image's content as a data URL: kept by the `ScenarioEmulator` for its inspector's thumbnails (the
   * in-memory fake does not keep content). Not checked.
   *
   * @since 0.2.0
   */
  readonly data?: string | undefined
}

/**
 * A model to seed (checked first: see `Seed.check`).
 *
 * @since 0.1.0
 * @category seeding
 */
export interface ModelSeed {
  readonly status?: string | undefined
  readonly type?: string | undefined
  readonly name?: string | undefined
  readonly trainingImages?: ReadonlyArray<ImageSeed> | undefined
  readonly pairs?: ReadonlyArray<PairParams> | undefined
}

/**
 * The models to seed, by model id.
 *
 * @since 0.1.0
 * @category seeding
 */
export type Seed = Readonly<Record<string, ModelSeed>>

/**
 * A pair as given to `replacePairs`.
 *
 * @since 0.1.0
 * @category params
 */
export interface PairParams {
  readonly sourceId: string
  readonly targetId: string
  readonly instruction?: string | undefined
}

/**
 * The params of `add` and `replace`, already validated: one asset id, a batch of them, or inline data (a data
 * URL) with an optional file name.
 *
 * @since 0.1.0
 * @category params
 */
export type ImageParams =
  & { readonly modelId: string }
  & (
    | { readonly assetId: string; readonly assetIds?: undefined }
    | { readonly assetIds: ReadonlyArray<string>; readonly assetId?: undefined }
    | {
      readonly data: string
      readonly name?: string | undefined
      readonly assetId?: undefined
      readonly assetIds?: undefined
    }
  )

/**
 * The params of `replace`: an image's content and the image it replaces.
 *
 * @since 0.1.0
 * @category params
 */
export type ReplaceParams = ImageParams & { readonly trainingImageId: string }

/**
 * A response as the API would send it: a status and a JSON body. The store answers in this shape so that an
 * emulator sends it as is and a fake decodes it with the very schemas its HTTP client uses.
 *
 * @since 0.1.0
 * @category models
 */
export interface WireResponse {
  readonly status: number
  readonly body: unknown
}

interface MutableModel {
  readonly id: string
  status: string
  type: string
  name: string
  trainingImages: Array<StoredImage>
  pairs: Array<StoredPair>
}

/**
 * Where a stored image's `downloadUrl` points (its id appended).
 *
 * @since 0.1.0
 * @category constants
 */
export const DOWNLOAD_BASE_URL = "https://cdn.scenario.test/assets"

/**
 * The type of a model seeded without one.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_MODEL_TYPE = "flux.1-lora"

const ok = (body: unknown): WireResponse => ({ status: 200, body })

/**
 * An error answer: the status and `{ "message": message }`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const failure = (status: number, message: string): WireResponse => ({ status, body: { message } })

const modelNotFound = (modelId: string) => failure(404, `Model ${modelId} not found`)

const imageNotFound = (modelId: string, trainingImageId: string) =>
  failure(404, `Training image ${trainingImageId} not found in model ${modelId}`)

const copyPair = (pair: {
  readonly sourceId: string
  readonly targetId: string
  readonly instruction?: string | undefined
}): StoredPair =>
  pair.instruction === undefined
    ? { sourceId: pair.sourceId, targetId: pair.targetId }
    : { sourceId: pair.sourceId, targetId: pair.targetId, instruction: pair.instruction }

const copyModel = (model: MutableModel): ModelState => ({
  id: model.id,
  status: model.status,
  type: model.type,
  name: model.name,
  trainingImages: model.trainingImages.map((image) => ({ ...image })),
  pairs: model.pairs.map(copyPair)
})

// The file extension of an inline image, for the name it gets when none is given.
// Stryker disable next-line Regex,OptionalChaining,StringLiteral: equivalent, the data URL was validated (DataUrl), so it starts with data:image/ and a letter or digit: the pattern always matches from the start
const extensionOf = (dataUrl: string): string => /^data:image\/([A-Za-z0-9]+)/.exec(dataUrl)?.[1] ?? "img"

/**
 * What an image's `downloadUrl` serves: its media type and bytes.
 *
 * @since 0.4.0
 * @category models
 */
export interface Download {
  readonly contentType: string
  readonly bytes: Uint8Array
  /** Whether these are the placeholder's bytes (the image has no content here: added by asset id). */
  readonly placeholder: boolean
}

/**
 * The image served for a training image whose content the store does not hold (added by asset id, or seeded
 * without `data`): a 1×1 grey PNG.
 *
 * @since 0.4.0
 * @category constants
 */
export const PLACEHOLDER: Download = {
  contentType: "image/png",
  bytes: Uint8Array.from(
    atob(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNoAAAAggCBd81ytgAAAABJRU5ErkJggg=="
    ),
    (char) => char.charCodeAt(0)
  ),
  placeholder: true
}

// The bytes of a base64 data URL exactly as they were sent; `undefined` for one that is not base64.
const decodeDataUrl = (dataUrl: string): Download | undefined => {
  const comma = dataUrl.indexOf(",")
  // Stryker disable next-line ConditionalExpression,UnaryOperator,StringLiteral: equivalent, without a comma a header that matches starts with "data:", and atob refuses the whole text for its colon: undefined either way
  const header = comma === -1 ? "" : dataUrl.slice(0, comma)
  const match = /^data:([^;,]+)(?:;[^;,]*)*;base64$/i.exec(header)
  if (match === null) return undefined
  let binary: string
  try {
    binary = atob(dataUrl.slice(comma + 1))
  } catch {
    return undefined
  }
  // A plain loop: `Uint8Array.from` with a function calls it once per byte, many times slower on megabytes.
  const bytes = new Uint8Array(binary.length)
  // Stryker disable next-line EqualityOperator: equivalent, a write one past the end of a typed array is ignored
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return { contentType: match[1]!.toLowerCase(), bytes, placeholder: false }
}

const dataKey = (modelId: string, trainingImageId: string): string => `${modelId}\u0000${trainingImageId}`

/**
 * The models and their training images, held in memory. Every operation takes params that were already
 * validated and answers with a `WireResponse`; the methods are synchronous, so each one is atomic between
 * fibers. Ids come from a counter and dates from the `now` given, so a run is reproducible.
 *
 * @since 0.1.0
 * @category models
 */
export class Store {
  private models = new Map<string, MutableModel>()
  // The data URL each inline image was last given, by model and image id, when the store keeps them (the
  // emulator does, for its inspector's thumbnails), with a revision that changes whenever the content does.
  private inlineData = new Map<string, { readonly dataUrl: string; readonly revision: number }>()
  private revisions = 0
  private imageCount = 0
  // Every id ever given out or seeded: a generated id never repeats one, even of a deleted image.
  private usedIds = new Set<string>()
  // When each image was added, by model and image id: `list` leaves out those added less than the lag ago.
  private addedAt = new Map<string, number>()
  // How long an added image stays invisible to `list`, in milliseconds (0: at once).
  private listLagMillis: number

  constructor(
    private readonly initialSeed: Seed,
    now: number,
    private readonly keepsData: boolean = false,
    private readonly initialListLagMillis: number = 0,
    // Where a stored image's `downloadUrl` points (its id appended): the emulator's download origin.
    private readonly downloadBaseUrl: string = DOWNLOAD_BASE_URL
  ) {
    this.listLagMillis = Math.max(0, initialListLagMillis)
    this.seed(initialSeed, now)
  }

  /** The data URL of an inline image and its revision, when the store keeps them. */
  dataUrl(
    modelId: string,
    trainingImageId: string
  ): { readonly dataUrl: string; readonly revision: number } | undefined {
    return this.inlineData.get(dataKey(modelId, trainingImageId))
  }

  /**
   * The content served at an image's `downloadUrl`, by its id (ids are unique across models): the bytes of
   * its inline data as given, or the placeholder for an image without any (added by asset id, or seeded
   * without `data`); `undefined` for an id no model holds.
   */
  download(trainingImageId: string): Download | undefined {
    for (const model of this.models.values()) {
      if (!model.trainingImages.some((image) => image.id === trainingImageId)) continue
      const kept = this.inlineData.get(dataKey(model.id, trainingImageId))
      return (kept === undefined ? undefined : decodeDataUrl(kept.dataUrl)) ?? PLACEHOLDER
    }
    return undefined
  }

  /**
   * An added image is left out of `list` until this long after its add (eventual consistency); 0 shows every
   * image at once. Inspection (`snapshot`, `model`) always sees every image.
   */
  setListLag(millis: number): void {
    this.listLagMillis = Math.max(0, millis)
  }

  /** Back to the initial seed and list lag, the id counter restarted. */
  reset(now: number): void {
    this.listLagMillis = Math.max(0, this.initialListLagMillis)
    this.models.clear()
    this.inlineData.clear()
    this.addedAt.clear()
    this.imageCount = 0
    this.usedIds.clear()
    this.seed(this.initialSeed, now)
  }

  /** Creates the models given, replacing any with the same id. */
  seed(models: Seed, now: number): void {
    for (const seed of Object.values(models)) {
      // Stryker disable next-line ConditionalExpression,ArrayDeclaration: equivalent, an undefined id in the set of used ids matches no generated id
      for (const image of seed.trainingImages ?? []) if (image.id !== undefined) this.usedIds.add(image.id)
    }
    for (const [modelId, seed] of Object.entries(models)) {
      for (const key of this.inlineData.keys()) if (key.startsWith(dataKey(modelId, ""))) this.inlineData.delete(key)
      for (const key of this.addedAt.keys()) if (key.startsWith(dataKey(modelId, ""))) this.addedAt.delete(key)
      const trainingImages = (seed.trainingImages ?? []).map((image) => {
        const id = image.id ?? this.nextImageId()
        if (this.keepsData && image.data !== undefined) {
          this.inlineData.set(dataKey(modelId, id), { dataUrl: image.data, revision: ++this.revisions })
        }
        return {
          ...this.newImage(id, image.name ?? `${id}.png`, now),
          ...(image.createdAt === undefined ? {} : { createdAt: image.createdAt }),
          ...(image.description === undefined ? {} : { description: image.description }),
          ...(image.automaticCaptioning === undefined ? {} : { automaticCaptioning: image.automaticCaptioning }),
          ...(image.downloadUrl === undefined ? {} : { downloadUrl: image.downloadUrl })
        }
      })
      this.models.set(modelId, {
        id: modelId,
        status: seed.status ?? "new",
        type: seed.type ?? DEFAULT_MODEL_TYPE,
        name: seed.name ?? modelId,
        trainingImages,
        pairs: (seed.pairs ?? []).map(copyPair)
      })
    }
  }

  snapshot(): Snapshot {
    // Own properties whatever the id: an assignment to `models["__proto__"]` would set the prototype instead.
    return { models: Object.fromEntries(Array.from(this.models, ([id, model]) => [id, copyModel(model)])) }
  }

  model(modelId: string): ModelState | undefined {
    const model = this.models.get(modelId)
    return model === undefined ? undefined : copyModel(model)
  }

  /** Every asset of a batch becomes a training image; the response, like the API's, holds one: the first. */
  add(params: ImageParams, now: number): WireResponse {
    const model = this.models.get(params.modelId)
    if (model === undefined) return modelNotFound(params.modelId)
    const images = this.imagesFrom(params, now)
    model.trainingImages.push(...images)
    for (const image of images) this.addedAt.set(dataKey(params.modelId, image.id), now)
    this.keepData(params, images[0]!.id)
    return ok({ trainingImage: images[0] })
  }

  /**
   * The image keeps its id and takes the new content. A batch replaces the image with its first asset and
   * adds the others after it.
   */
  replace(params: ReplaceParams, now: number): WireResponse {
    const model = this.models.get(params.modelId)
    if (model === undefined) return modelNotFound(params.modelId)
    const index = model.trainingImages.findIndex((image) => image.id === params.trainingImageId)
    if (index === -1) return imageNotFound(params.modelId, params.trainingImageId)
    const [first, ...rest] = this.contents(params)
    const replaced = this.newImage(params.trainingImageId, first!, now)
    model.trainingImages.splice(index, 1, replaced, ...rest.map((name) => this.newImage(this.nextImageId(), name, now)))
    this.inlineData.delete(dataKey(params.modelId, params.trainingImageId))
    this.keepData(params, params.trainingImageId)
    return ok({ trainingImage: replaced })
  }

  /** Both ends of every pair must be training images of the model; then the pairs replace all others. */
  replacePairs(params: { readonly modelId: string; readonly pairs: ReadonlyArray<PairParams> }): WireResponse {
    const model = this.models.get(params.modelId)
    if (model === undefined) return modelNotFound(params.modelId)
    const known = new Set(model.trainingImages.map((image) => image.id))
    for (const [index, pair] of params.pairs.entries()) {
      for (const field of ["sourceId", "targetId"] as const) {
        if (!known.has(pair[field])) {
          return failure(
            400,
            `pairs[${index}].${field}: ${pair[field]} is not a training image of model ${params.modelId}`
          )
        }
      }
    }
    model.pairs = params.pairs.map(copyPair)
    return ok({ count: model.pairs.length, pairs: model.pairs.map(copyPair) })
  }

  /** The pairs that name the deleted image go with it: they could no longer be trained on. */
  delete(params: { readonly modelId: string; readonly trainingImageId: string }): WireResponse {
    const model = this.models.get(params.modelId)
    if (model === undefined) return modelNotFound(params.modelId)
    const index = model.trainingImages.findIndex((image) => image.id === params.trainingImageId)
    if (index === -1) return imageNotFound(params.modelId, params.trainingImageId)
    model.trainingImages.splice(index, 1)
    this.inlineData.delete(dataKey(params.modelId, params.trainingImageId))
    this.addedAt.delete(dataKey(params.modelId, params.trainingImageId))
    model.pairs = model.pairs.filter((pair) =>
      pair.sourceId !== params.trainingImageId && pair.targetId !== params.trainingImageId
    )
    return ok({})
  }

  /** The model as the API lists it: without the images added less than the list lag before `now`. */
  list(params: { readonly modelId: string }, now: number = Number.POSITIVE_INFINITY): WireResponse {
    const model = this.models.get(params.modelId)
    if (model === undefined) return modelNotFound(params.modelId)
    const lag = this.listLagMillis
    const trainingImages = lag === 0 ? model.trainingImages : model.trainingImages.filter((image) => {
      const added = this.addedAt.get(dataKey(params.modelId, image.id))
      return added === undefined || added + lag <= now
    })
    return ok({
      model: {
        id: model.id,
        status: model.status,
        type: model.type,
        name: model.name,
        trainingImages: trainingImages.map((image) => ({ ...image })),
        trainingImagePairs: model.pairs.map(copyPair),
        trainingImagesNumber: trainingImages.length
      }
    })
  }

  // The name each new image gets: an asset keeps its id as name (its own name is not known here), inline
  // data keeps the file name given.
  private contents(params: ImageParams): ReadonlyArray<string | ((id: string) => string)> {
    if (params.assetIds !== undefined) return params.assetIds
    if (params.assetId !== undefined) return [params.assetId]
    const data = params.data
    const name = params.name
    return [name ?? ((id: string) => `${id}.${extensionOf(data)}`)]
  }

  // Only inline data is kept: an image added by asset id has no content here. The batch forms take ids only.
  private keepData(params: ImageParams, trainingImageId: string): void {
    if (!this.keepsData || params.assetId !== undefined || params.assetIds !== undefined) return
    this.inlineData.set(dataKey(params.modelId, trainingImageId), { dataUrl: params.data, revision: ++this.revisions })
  }

  private imagesFrom(params: ImageParams, now: number): Array<StoredImage> {
    return this.contents(params).map((name) => this.newImage(this.nextImageId(), name, now))
  }

  private newImage(id: string, name: string | ((id: string) => string), now: number): StoredImage {
    return {
      id,
      automaticCaptioning: "",
      createdAt: new Date(now).toISOString(),
      description: "",
      downloadUrl: `${this.downloadBaseUrl}/${encodeURIComponent(id)}`,
      name: typeof name === "string" ? name : name(id)
    }
  }

  private nextImageId(): string {
    for (;;) {
      const id = `asset_test_${String(++this.imageCount).padStart(6, "0")}`
      if (!this.usedIds.has(id)) {
        this.usedIds.add(id)
        return id
      }
    }
  }
}

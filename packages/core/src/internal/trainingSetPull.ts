// A model's training set the other way: each image downloaded from its `downloadUrl` (through a client that
// carries no credentials), written to a folder under a portable name, and the pairs and state written beside
// them; or streamed to another model through `plan` and `apply`.
import * as Files from "@effect-scenario/kernel/TrainingSetFiles"
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Path from "@effect/platform/Path"
import * as Chunk from "effect/Chunk"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import type * as TrainingImage from "../TrainingImage.js"
import * as TrainingImages from "../TrainingImages.js"
import { InvalidRequestError, type ListError } from "../TrainingImagesError.js"
import type * as TrainingSet from "../TrainingSet.js"
import {
  DownloadError,
  FileExistsError,
  FileWriteError,
  ImageSourceError,
  State,
  type UnsafePlanError
} from "../TrainingSet.js"
import { apply, plan, sha256 } from "./trainingSet.js"

/** @internal */
export const DEFAULT_MAX_IMAGE_BYTES = 33_554_432

/** @internal */
export const DEFAULT_DOWNLOAD_TIMEOUT: Duration.DurationInput = "2 minutes"

// How often a pull writes its state while it runs: after this many images, so that a pull interrupted by
// anything (a crash included) resumes from what the last write knew, without writing the state per image.
const STATE_EVERY = 50

// Where a download error points: the URL without its query and fragment, which a CDN may sign with a token.
const shownUrl = Files.shownUrl

/**
 * The bytes at an image's `downloadUrl`, through the `HttpClient` in context as it is: the service's
 * credentials are never added (they belong to the API's origin only). At most `maxBytes`, counted as they
 * arrive; redirects followed; transient failures retried twice.
 *
 * @internal
 */
export const download = (
  image: { readonly id: string; readonly name: string; readonly downloadUrl: string },
  options: { readonly maxBytes: number; readonly timeout: Duration.DurationInput }
): Effect.Effect<Uint8Array, DownloadError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const url = shownUrl(image.downloadUrl)
    // No cause is kept: the transport's error names the full URL, whose query a download host may sign.
    const fail = (reason: DownloadError["reason"], extra: { readonly status?: number } = {}) =>
      new DownloadError({
        name: image.name,
        trainingImageId: image.id,
        url,
        reason,
        maxBytes: options.maxBytes,
        ...extra
      })
    const parsed = Either.try(() => new URL(image.downloadUrl))
    if (Either.isLeft(parsed) || (parsed.right.protocol !== "https:" && parsed.right.protocol !== "http:")) {
      return yield* fail("invalid-url")
    }
    const client = HttpClient.followRedirects(yield* HttpClient.HttpClient, 5)
    const once = Effect.scoped(Effect.gen(function*() {
      const response = yield* Effect.mapError(
        client.execute(HttpClientRequest.get(parsed.right.href)),
        () => fail("transport")
      )
      // Outside 2xx (a final answer is never 1xx).
      if (Math.floor(response.status / 100) !== 2) return yield* fail("status", { status: response.status })
      // NaN when the length is not declared, which is never over.
      const declared = Number(response.headers["content-length"])
      if (declared > options.maxBytes) return yield* fail("too-large")
      const chunks = yield* response.stream.pipe(
        Stream.mapError(() => fail("transport")),
        Stream.mapAccumEffect(0, (size, chunk) =>
          size + chunk.length > options.maxBytes
            ? Effect.fail(fail("too-large"))
            : Effect.succeed([size + chunk.length, chunk] as const)),
        Stream.runCollect
      )
      const size = Chunk.reduce(chunks, 0, (sum, chunk) => sum + chunk.length)
      const bytes = new Uint8Array(size)
      let offset = 0
      for (const chunk of chunks) {
        bytes.set(chunk, offset)
        offset += chunk.length
      }
      return bytes
    }))
    return yield* once.pipe(
      Effect.timeoutFail({ duration: options.timeout, onTimeout: () => fail("timeout") }),
      Effect.retry({ schedule: Schedule.exponential("200 millis"), times: 2, while: Files.downloadMayRetry })
    )
  })

// ---------------------------------------------------------------------------------------------------------
// pull
// ---------------------------------------------------------------------------------------------------------

// Built when called: `State` comes from the public module, which imports this one.
const utf8 = (text: string) => new TextEncoder().encode(text)
const encodeState = (state: TrainingSet.State) => utf8(`${Schema.encodeSync(Schema.parseJson(State))(state)}\n`)
const decodeState = (text: string) => Schema.decodeUnknownEither(Schema.parseJson(State))(text)
const encodePairs = (pairs: ReadonlyArray<TrainingSet.PlannedPair>) => utf8(`${JSON.stringify(pairs, null, 2)}\n`)

// Bad options are refused before anything is listed, downloaded or written.
const checkOptions = (options: {
  readonly concurrency?: number | undefined
  readonly maxImageBytes?: number | undefined
}): Effect.Effect<void, InvalidRequestError> => {
  const [first, ...rest] = Files.pullOptionIssues(options)
  return first === undefined
    ? Effect.void
    : Effect.fail(new InvalidRequestError({ operation: "list", issues: [first, ...rest] }))
}

/** @internal */
export const pull = (
  options: TrainingSet.PullOptions
): Effect.Effect<
  TrainingSet.PullReport,
  TrainingSet.PullError,
  TrainingImages.TrainingImages | HttpClient.HttpClient | FileSystem.FileSystem | Path.Path
> =>
  Effect.gen(function*() {
    yield* checkOptions(options)
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const images = yield* TrainingImages.TrainingImages
    const folder = options.folder
    const force = options.force === true
    const maxBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES
    const timeout = options.timeout ?? DEFAULT_DOWNLOAD_TIMEOUT
    const emit = options.onEvent ?? (() => Effect.void)
    const writeError = (file: string, reason: string) => (cause: unknown) =>
      new FileWriteError({ path: file, reason, cause })

    yield* Effect.mapError(fs.makeDirectory(folder, { recursive: true }), writeError(folder, "could not be created"))
    const info = yield* Effect.mapError(fs.stat(folder), writeError(folder, "could not be read"))
    if (info.type !== "Directory") return yield* new FileWriteError({ path: folder, reason: "not a folder" })

    const model = yield* images.list({ modelId: options.modelId })
    const listed = model.trainingImages
    const files = Files.fileNames(listed)
    const fileOf = new Map(listed.map((image, index) => [image.id, files[index]!]))
    yield* emit({ _tag: "Listed", modelId: options.modelId, images: listed.length })

    const statePath = path.join(folder, Files.STATE_FILE)
    // A state that cannot be read or decoded, or is another model's, is none.
    const previous = yield* Effect.option(Effect.flatMap(fs.readFileString(statePath), decodeState)).pipe(
      Effect.map(Option.filter((state) => state.modelId === options.modelId)),
      Effect.map(Option.getOrUndefined)
    )
    // What each file of the folder holds, as this pull knows it: the previous state's entries for images of
    // the model, then each image as it is written or found whole.
    const entries: Map<string, { readonly sha256: string; readonly trainingImageId: string }> = Files.knownFiles({
      listed,
      files,
      previous
    })

    // Written through a temporary file and a rename, so that a file under its own name is always whole. The
    // temporary file is created anew (`wx`): whatever was left under its name is removed first, and whatever
    // is put there since (a link included) fails the write rather than being written through.
    const writeAtomic = (target: string, temporary: string, content: Uint8Array) =>
      Effect.ignore(fs.remove(temporary)).pipe(
        Effect.zipRight(fs.writeFile(temporary, content, { flag: "wx" })),
        Effect.zipRight(fs.rename(temporary, target)),
        Effect.tapError(() => Effect.ignore(fs.remove(temporary))),
        Effect.mapError(writeError(target, "could not be written"))
      )
    const stateLock = yield* Effect.makeSemaphore(1)
    const writeState = stateLock.withPermits(1)(Effect.suspend(() =>
      writeAtomic(
        statePath,
        path.join(folder, `${Files.STATE_FILE}.partial`),
        encodeState({ modelId: options.modelId, images: Object.fromEntries(entries) })
      )
    ))
    let sinceWrite = 0
    const noteDone = Effect.suspend(() => ++sinceWrite >= STATE_EVERY ? (sinceWrite = 0, writeState) : Effect.void)

    const hashOf = (target: string, size: number) =>
      size > maxBytes
        ? Effect.succeed(undefined)
        : Effect.flatMap(Effect.mapError(fs.readFile(target), writeError(target, "could not be read")), sha256)

    const pullOne = (
      image: TrainingImage.TrainingImage,
      file: string
    ): Effect.Effect<TrainingSet.PullOutcome, TrainingSet.PullItemError, HttpClient.HttpClient> =>
      Effect.gen(function*() {
        const target = path.join(folder, file)
        const existing = yield* Effect.either(fs.stat(target))
        if (Either.isRight(existing) && existing.right.type !== "File") {
          return yield* new FileExistsError({ path: target, name: image.name, reason: "not-a-file" })
        }
        const size = Either.isRight(existing) ? Number(existing.right.size) : undefined
        const entry = entries.get(file)
        if (size !== undefined && entry !== undefined && !force) {
          // Written by an earlier pull: whole (it was renamed into place) and, unless edited since, the same.
          const hash = yield* hashOf(target, size)
          if (hash === entry.sha256) return { _tag: "Unchanged", sha256: hash }
          return yield* new FileExistsError({ path: target, name: image.name, reason: "changed" })
        }
        const bytes = yield* download(image, { maxBytes, timeout })
        const hash = yield* sha256(bytes)
        if (
          // Stryker disable next-line ConditionalExpression: a file of another size holds other bytes: hashed, it differs too
          size === bytes.length &&
          (yield* hashOf(target, size)) === hash
        ) {
          entries.set(file, { sha256: hash, trainingImageId: image.id })
          return { _tag: "Unchanged", sha256: hash }
        }
        if (size !== undefined && !force) {
          return yield* new FileExistsError({ path: target, name: image.name, reason: "differs" })
        }
        // One temporary name per image: a rerun after a crash writes over what an interrupted write left.
        const temporary = path.join(
          folder,
          // Stryker disable next-line MethodExpression: the whole hash makes a longer name, as much one per image
          `.scenario-pull-${(yield* sha256(utf8(image.id))).slice(0, 24)}.partial`
        )
        yield* writeAtomic(target, temporary, bytes)
        entries.set(file, { sha256: hash, trainingImageId: image.id })
        return { _tag: "Written", bytes: bytes.length, sha256: hash }
      })

    // Stryker disable next-line all: how many images are pulled at once; the results keep the listing's order
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? 4))
    const results = yield* Effect.forEach(listed, (image, index) => {
      const file = files[index]!
      return Effect.either(pullOne(image, file)).pipe(
        Effect.map((outcome): TrainingSet.PullResult => ({
          name: image.name,
          file,
          trainingImageId: image.id,
          outcome: Either.isRight(outcome) ? outcome.right : { _tag: "Failed", error: outcome.left }
        })),
        Effect.tap((result) => Effect.zipRight(emit({ _tag: "Pulled", index, result }), noteDone))
      )
    }, { concurrency }).pipe(
      // Interrupted or not, the state keeps what was written, so that a rerun skips it.
      Effect.onExit(() => Effect.ignore(writeState))
    )
    yield* writeState

    const { dropped: droppedPairs, pairs } = Files.pairsByName(model.trainingImagePairs, fileOf)
    yield* writeAtomic(
      path.join(folder, Files.PAIRS_FILE),
      path.join(folder, `${Files.PAIRS_FILE}.partial`),
      encodePairs(pairs)
    )
    const report: TrainingSet.PullReport = {
      modelId: options.modelId,
      folder,
      results,
      pairs: pairs.length,
      droppedPairs,
      pairsFile: path.join(folder, Files.PAIRS_FILE),
      stateFile: statePath
    }
    yield* emit({ _tag: "PulledAll", report })
    return report
  })

// ---------------------------------------------------------------------------------------------------------
// copy
// ---------------------------------------------------------------------------------------------------------

/** @internal */
export const fromModel = (
  modelId: string,
  options: { readonly maxImageBytes?: number | undefined; readonly timeout?: Duration.DurationInput | undefined } = {}
): Effect.Effect<
  { readonly images: Array<TrainingSet.ImageSource>; readonly pairs: Array<TrainingSet.PlannedPair> },
  ListError,
  TrainingImages.TrainingImages | HttpClient.HttpClient
> =>
  Effect.gen(function*() {
    yield* checkOptions(options)
    const service = yield* TrainingImages.TrainingImages
    const client = yield* HttpClient.HttpClient
    const maxBytes = options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES
    const timeout = options.timeout ?? DEFAULT_DOWNLOAD_TIMEOUT
    const model = yield* service.list({ modelId })
    // One source per name, the first listed (the one a plan of that model matches by name, and its pairs
    // resolve to).
    const nameOf = new Map<string, string>()
    const names = new Set<string>()
    const images: Array<TrainingSet.ImageSource> = []
    for (const image of model.trainingImages) {
      // Stryker disable next-line ConditionalExpression: a listing names each id once, so an id is never met again
      if (!nameOf.has(image.id)) nameOf.set(image.id, image.name)
      if (names.has(image.name)) continue
      names.add(image.name)
      images.push({
        _tag: "ImageSource",
        name: image.name,
        path: shownUrl(image.downloadUrl),
        read: download(image, { maxBytes, timeout }).pipe(
          Effect.provideService(HttpClient.HttpClient, client),
          Effect.mapError((error) => new ImageSourceError({ path: error.url, reason: error.message, cause: error }))
        )
      })
    }
    return { images, pairs: Files.pairsByName(model.trainingImagePairs, nameOf).pairs }
  })

/** @internal */
export const copy = (
  options: TrainingSet.CopyOptions
): Effect.Effect<
  TrainingSet.Report,
  ListError | ImageSourceError | UnsafePlanError,
  TrainingImages.TrainingImages | HttpClient.HttpClient
> =>
  Effect.gen(function*() {
    const { images, pairs } = yield* fromModel(options.from, options)
    const planned = yield* plan({
      modelId: options.to,
      images,
      pairs,
      deleteOthers: options.deleteOthers
    })
    return yield* apply(planned, images, options)
  })

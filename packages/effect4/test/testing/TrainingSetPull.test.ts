/**
 * `TrainingSet.pull`, `fromModel` and `copy` over real HTTP: the emulator on 127.0.0.1 serves the API on one
 * port and the images on another (its download origin, which records the headers it gets).
 *
 * The Effect 4 line's runner of the table `contract/trainingSetPull.ts`, shared with the Effect 3 line.
 */
import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
import * as Files from "@effect-scenario/test-support/trainingSetFiles"
import { NodeHttpClient, NodeServices } from "@effect/platform-node"
import { assert, describe, expect, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Pull from "../../../../contract/trainingSetPull.js"
import * as TrainingSet from "../../src/TrainingSet.js"
import { toFault } from "../contract/runner.js"
import { png } from "./trainingSetFixtures.js"

const { TIMEOUT } = Pull

const IMAGES = Pull.IMAGES.map((image) => ({ name: image.name, bytes: Pull.imageBytes(image, png) }))
const PAIRS: ReadonlyArray<TrainingSet.PlannedPair> = Pull.PAIRS
const { sortedPairs } = Pull

const { dataUrl, filesOf, tempRoot } = Files

const writeFolder = (folder: string) => Files.writeFolder(folder, IMAGES)

const readPairs = (folder: string) =>
  Files.readJson<Array<TrainingSet.PlannedPair>>(folder, TrainingSet.PULL_PAIRS_FILE)

const readState = (folder: string) => Files.readJson<TrainingSet.State>(folder, TrainingSet.PULL_STATE_FILE)

const Live = ScenarioEmulator.layerTrainingImages().pipe(
  Layer.provideMerge(
    ScenarioEmulator.layer({ models: Object.fromEntries(Object.values(Pull.MODELS).map((id) => [id, {}])) })
  ),
  Layer.provideMerge(NodeHttpClient.layerUndici),
  Layer.provideMerge(NodeServices.layer)
)

// A sync of a folder as the command line does it: its pairs and state files when given.
const sync = (folder: string, modelId: string, files?: { readonly pairs: string; readonly state: string }) =>
  Effect.gen(function*() {
    const images = yield* TrainingSet.readFolder(folder)
    const pairs = files === undefined ? PAIRS : JSON.parse(Fs.readFileSync(files.pairs, "utf8"))
    const state = files === undefined ? undefined : JSON.parse(Fs.readFileSync(files.state, "utf8"))
    const plan = yield* TrainingSet.plan({ modelId, images, pairs, state })
    const report = yield* TrainingSet.apply(plan, images, { state })
    return { plan, report }
  })

// The API requests since `from`, by operation.
const operationsSince = (from: number) =>
  Effect.map(ScenarioEmulator.requests, (requests) => requests.slice(from).map((request) => request.operation))

const requestCount = Effect.map(ScenarioEmulator.requests, (requests) => requests.length)

// A model holding the images (each with the content it was added with), without a sync.
const seedWithImages = (modelId: string) =>
  Effect.flatMap(ScenarioEmulator.ScenarioEmulator, (emulator) =>
    emulator.seed({
      [modelId]: { trainingImages: IMAGES.map(({ bytes, name }) => ({ name, data: dataUrl(bytes) })) }
    }))

const downloads = Effect.flatMap(ScenarioEmulator.ScenarioEmulator, (emulator) => emulator.downloads)

// An `onEvent` that completes `reached` once `interrupt.count` events of its tag have been seen.
const counting = (interrupt: Pull.Interrupt, reached: Deferred.Deferred<void>) => {
  let seen = 0
  return (event: { readonly _tag: string }) =>
    event._tag === interrupt.event && ++seen === interrupt.count ? Deferred.succeed(reached, undefined) : Effect.void
}

describe("TrainingSet.pull and copy, over the emulator", () => {
  layer(Live, { excludeTestServices: true, timeout: TIMEOUT })((it) => {
    it.effect(
      "round trip: sync → pull gives the same bytes and pairs; a sync back and a rerun send nothing",
      () =>
        Effect.gen(function*() {
          const { concurrency, credentialHeader, modelId, rerun, syncBack } = Pull.ROUND_TRIP
          const root = tempRoot()
          const source = Path.join(root, Pull.ROUND_TRIP.folders.source)
          writeFolder(source)
          const first = yield* sync(source, modelId)
          expect(TrainingSet.isSuccess(first.report)).toBe(true)

          const pulled = Path.join(root, Pull.ROUND_TRIP.folders.pulled)
          const report = yield* TrainingSet.pull({ modelId, folder: pulled, concurrency })
          expect(report.results.map((result) => result.outcome._tag)).toEqual(
            IMAGES.map(() => Pull.ROUND_TRIP.outcome)
          )
          expect(filesOf(pulled)).toEqual(Pull.NAMES)
          for (const { bytes, name } of IMAGES) {
            expect(new Uint8Array(Fs.readFileSync(Path.join(pulled, name)))).toEqual(bytes)
          }
          expect(sortedPairs(readPairs(pulled))).toEqual(sortedPairs(Pull.PAIRS))
          expect(report.pairs).toBe(Pull.PAIRS.length)

          // No download carried the API's credentials; every API request did.
          const recorded = yield* downloads
          expect(recorded.length).toBeGreaterThanOrEqual(IMAGES.length)
          for (const download of recorded) expect(Object.keys(download.headers)).not.toContain(credentialHeader)
          const api = yield* ScenarioEmulator.requests
          expect(api.every((request) => request.authenticated)).toBe(true)

          // A sync of the pulled folder with its pairs and state: nothing past the list.
          const before = yield* requestCount
          const back = yield* sync(pulled, modelId, {
            pairs: report.pairsFile,
            state: report.stateFile
          })
          expect(TrainingSet.summarize(back.plan).changes).toBe(syncBack.changes)
          expect(new Set(yield* operationsSince(before))).toEqual(new Set(syncBack.operations))

          // A rerun downloads nothing: every file is known from the state and whole.
          const downloadsBefore = (yield* downloads).length
          const again = yield* TrainingSet.pull({ modelId, folder: pulled })
          expect(again.results.every((result) => result.outcome._tag === rerun.outcome)).toBe(true)
          expect((yield* downloads).length - downloadsBefore).toBe(rerun.downloads)
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )

    it.effect("copy A → B gives B the same names and pairs; a rerun sends nothing", () =>
      Effect.gen(function*() {
        const { bytesChecked, concurrency, from, rerun, to } = Pull.COPY
        const report = yield* TrainingSet.copy({ from, to, concurrency })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const a = yield* TrainingSet.fromModel(from)
        const b = yield* TrainingSet.fromModel(to)
        expect(b.images.map((entry) => entry.name).sort()).toEqual(Pull.NAMES)
        expect(sortedPairs(b.pairs)).toEqual(sortedPairs(a.pairs))
        expect(sortedPairs(b.pairs)).toEqual(sortedPairs(Pull.PAIRS))
        // The bytes went across unchanged.
        const byName = new Map(IMAGES.map((entry) => [entry.name, entry.bytes]))
        for (const entry of b.images.slice(0, bytesChecked)) expect(yield* entry.read).toEqual(byName.get(entry.name))

        const before = yield* requestCount
        const downloadsBefore = (yield* downloads).length
        const again = yield* TrainingSet.copy({ from, to })
        expect(again.results.every((result) => result.outcome._tag === rerun.outcome)).toBe(true)
        expect(new Set(yield* operationsSince(before))).toEqual(new Set(rerun.operations))
        expect((yield* downloads).length - downloadsBefore).toBe(rerun.downloads)
      }), TIMEOUT)

    it.effect(
      "an interrupted pull resumes: the rerun downloads only what the state lacks, no duplicate",
      () =>
        Effect.gen(function*() {
          const { concurrency, interrupt, modelId, partialSuffix, unchanged, written } = Pull.INTERRUPTED_PULL
          const root = tempRoot()
          const folder = Path.join(root, Pull.INTERRUPTED_PULL.folder)
          const reached = yield* Deferred.make<void>()
          const fiber = yield* Effect.forkChild(
            TrainingSet.pull({ modelId, folder, concurrency, onEvent: counting(interrupt, reached) })
          )
          yield* Deferred.await(reached)
          yield* Fiber.interrupt(fiber)
          const known = Object.keys(readState(folder).images)
          expect(known.length).toBeGreaterThanOrEqual(interrupt.count)
          expect(known.length).toBeLessThan(IMAGES.length)

          const downloadsBefore = (yield* downloads).length
          const rerun = yield* TrainingSet.pull({ modelId, folder })
          const wrote = rerun.results.filter((result) => result.outcome._tag === written).length
          const kept = rerun.results.filter((result) => result.outcome._tag === unchanged).length
          expect(wrote + kept).toBe(IMAGES.length)
          expect(kept).toBeGreaterThanOrEqual(known.length)
          // Files the state knew were not downloaded again.
          expect((yield* downloads).length - downloadsBefore).toBe(IMAGES.length - known.length)
          expect(filesOf(folder)).toEqual(Pull.NAMES)
          // No temporary file is left behind.
          expect(Fs.readdirSync(folder).filter((name) => name.endsWith(partialSuffix))).toEqual([])
          for (const { bytes, name } of IMAGES) {
            expect(new Uint8Array(Fs.readFileSync(Path.join(folder, name)))).toEqual(bytes)
          }
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )

    it.effect("an interrupted copy resumes without duplicates, pairs included", () =>
      Effect.gen(function*() {
        const { concurrency, from, interrupt, to } = Pull.INTERRUPTED_COPY
        const reached = yield* Deferred.make<void>()
        const fiber = yield* Effect.forkChild(
          TrainingSet.copy({ from, to, concurrency, onEvent: counting(interrupt, reached) })
        )
        yield* Deferred.await(reached)
        yield* Fiber.interrupt(fiber)
        const partial = yield* TrainingSet.fromModel(to)
        expect(partial.images.length).toBeLessThan(IMAGES.length)

        const report = yield* TrainingSet.copy({ from, to })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        const stored = yield* emulator.model(to)
        assert(stored._tag === "Some")
        const names = stored.value.trainingImages.map((entry) => entry.name)
        expect(names.length).toBe(IMAGES.length)
        expect(new Set(names).size).toBe(IMAGES.length)
        const copied = yield* TrainingSet.fromModel(to)
        expect(sortedPairs(copied.pairs)).toEqual(sortedPairs(Pull.PAIRS))
      }), TIMEOUT)

    it.effect(
      "a copy under dropped and failed adds adds each name once; the rerun completes it",
      () =>
        Effect.gen(function*() {
          const { concurrency, faults, from, settleWindow, to } = Pull.FAULTY_COPY
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.seed({ [to]: {} })
          yield* emulator.setFaults({ ...faults, faults: faults.faults.map(toFault) })
          const faulty = yield* TrainingSet.copy({ from, to, concurrency, settleWindow })
          yield* emulator.setFaults(undefined)
          expect(Object.values(yield* emulator.faultCounts).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0)
          const rerun = yield* TrainingSet.copy({ from, to, settleWindow })
          expect(TrainingSet.isSuccess(rerun)).toBe(true)
          const stored = yield* emulator.model(to)
          assert(stored._tag === "Some")
          const names = stored.value.trainingImages.map((entry) => entry.name)
          expect(new Set(names).size).toBe(names.length)
          expect(names.sort()).toEqual(Pull.NAMES)
          expect(sortedPairs((yield* TrainingSet.fromModel(to)).pairs)).toEqual(sortedPairs(Pull.PAIRS))
          // What the faulty run reported done is there.
          expect(faulty.results.length).toBeGreaterThan(0)
        }),
      TIMEOUT
    )

    it.effect(
      "downloads that fail are typed outcomes, retried when transient; a rerun completes",
      () =>
        Effect.gen(function*() {
          const { attempts, capped, concurrency, failure, modelId, outcome, thenFailing } = Pull.DOWNLOAD_FAILURES
          const root = tempRoot()
          const folder = Path.join(root, Pull.DOWNLOAD_FAILURES.folder)
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* seedWithImages(modelId)
          // Every attempt of every image answered 503.
          yield* emulator.failNextDownloads(IMAGES.length * attempts)
          const failed = yield* TrainingSet.pull({ modelId, folder, concurrency })
          for (const result of failed.results) {
            assert(result.outcome._tag === "Failed")
            const error = result.outcome.error
            assert(error._tag === failure._tag)
            expect(error.reason).toBe(failure.reason)
            expect(error.status).toBe(failure.status)
            expect(error.message).toContain(result.name)
          }
          expect(filesOf(folder)).toEqual([])
          // One more 503: retried, then served.
          yield* emulator.failNextDownloads(thenFailing)
          const report = yield* TrainingSet.pull({ modelId, folder })
          expect(report.results.every((result) => result.outcome._tag === outcome)).toBe(true)

          // Over the size cap: a typed failure, nothing written.
          const cappedReport = yield* TrainingSet.pull({
            modelId,
            folder: Path.join(root, capped.folder),
            maxImageBytes: capped.maxImageBytes
          })
          const tooLarge = cappedReport.results.filter((result) =>
            result.outcome._tag === "Failed" && result.outcome.error._tag === failure._tag &&
            result.outcome.error.reason === capped.reason
          )
          expect(tooLarge.length).toBe(capped.tooLarge)
          expect(tooLarge.length).toBe(IMAGES.filter((entry) => entry.bytes.length > capped.maxImageBytes).length)
          expect(filesOf(Path.join(root, capped.folder)).length).toBe(capped.written)
          expect(capped.written).toBe(IMAGES.length - capped.tooLarge)
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )

    it.effect("an existing file is never overwritten without force; with it, it is", () =>
      Effect.gen(function*() {
        const { edited, error, mine, modelId, same } = Pull.EXISTING
        const root = tempRoot()
        const folder = Path.join(root, Pull.EXISTING.folder)
        Fs.mkdirSync(folder)
        yield* seedWithImages(modelId)
        const name = IMAGES[mine.image]!.name
        Fs.writeFileSync(Path.join(folder, name), mine.content)
        // The same bytes already there: kept, nothing written.
        Fs.writeFileSync(Path.join(folder, IMAGES[same.image]!.name), IMAGES[same.image]!.bytes)
        const report = yield* TrainingSet.pull({ modelId, folder })
        const ours = report.results.find((result) => result.name === name)!
        assert(ours.outcome._tag === "Failed")
        assert(ours.outcome.error._tag === error)
        expect(ours.outcome.error.reason).toBe(mine.reason)
        expect(Fs.readFileSync(Path.join(folder, name), "utf8")).toBe(mine.content)
        expect(report.results.find((result) => result.name === IMAGES[same.image]!.name)!.outcome._tag).toBe(
          same.outcome
        )

        // A file edited after the pull wrote it is left too.
        Fs.writeFileSync(Path.join(folder, IMAGES[edited.image]!.name), edited.content)
        const again = yield* TrainingSet.pull({ modelId, folder })
        const changed = again.results.find((result) => result.name === IMAGES[edited.image]!.name)!
        assert(changed.outcome._tag === "Failed" && changed.outcome.error._tag === error)
        expect(changed.outcome.error.reason).toBe(edited.reason)

        const forced = yield* TrainingSet.pull({ modelId, folder, force: true })
        expect(forced.results.every((result) => result.outcome._tag !== "Failed")).toBe(true)
        expect(new Uint8Array(Fs.readFileSync(Path.join(folder, name)))).toEqual(IMAGES[mine.image]!.bytes)
        expect(new Uint8Array(Fs.readFileSync(Path.join(folder, IMAGES[edited.image]!.name)))).toEqual(
          IMAGES[edited.image]!.bytes
        )
        Fs.rmSync(root, { recursive: true })
      }), TIMEOUT)

    it.effect(
      "hostile names stay inside the folder, each under its documented rename; assets get a placeholder",
      () =>
        Effect.gen(function*() {
          const { asset, modelId, names, seedBase } = Pull.HOSTILE
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.seed({
            [modelId]: {
              trainingImages: [
                ...names.map((name, index) => ({
                  id: Pull.hostileId(index),
                  name,
                  data: dataUrl(png(seedBase + index))
                })),
                asset
              ]
            }
          })
          const root = tempRoot()
          const folder = Path.join(root, ...Pull.HOSTILE.folder)
          const report = yield* TrainingSet.pull({ modelId, folder })
          expect(report.results.every((result) => result.outcome._tag === Pull.HOSTILE.outcome)).toBe(true)
          // Nothing outside the folder: the root holds the folder's parents only.
          expect(Fs.readdirSync(root)).toEqual([Pull.HOSTILE.folder[0]])
          expect(Fs.readdirSync(Path.join(root, Pull.HOSTILE.folder[0]))).toEqual([Pull.HOSTILE.folder[1]])
          const files = report.results.map((result) => result.file)
          expect(files).toEqual(Pull.HOSTILE.files)
          expect(files).toEqual(
            TrainingSet.pullFileNames(report.results.map((r) => ({ id: r.trainingImageId, name: r.name })))
          )
          expect(filesOf(folder)).toEqual([...files].sort())
          for (const file of files) expect(Fs.statSync(Path.join(folder, file)).isFile()).toBe(true)
          for (const [index] of names.entries()) {
            expect(new Uint8Array(Fs.readFileSync(Path.join(folder, files[index]!)))).toEqual(png(seedBase + index))
          }
          expect(files[names.length]).toBe(asset.name)
          const placeholder = Fs.readFileSync(Path.join(folder, asset.name))
          expect([...placeholder.subarray(0, Pull.HOSTILE.placeholderHead.length)]).toEqual(
            Pull.HOSTILE.placeholderHead
          )
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )

    it.effect(
      "a link in the folder is never written through; bad options are refused before anything is sent",
      () =>
        Effect.gen(function*() {
          const { badOptions, error, linked, modelId, outside, refusal } = Pull.LINKS
          yield* seedWithImages(modelId)
          const root = tempRoot()
          const folder = Path.join(root, Pull.LINKS.folder)
          Fs.mkdirSync(folder)
          const outsideFile = Path.join(root, outside.file)
          Fs.writeFileSync(outsideFile, outside.content)
          Fs.symlinkSync(outsideFile, Path.join(folder, IMAGES[linked]!.name))
          const refused = yield* TrainingSet.pull({ modelId, folder })
          const first = refused.results[linked]!
          expect(first.name).toBe(IMAGES[linked]!.name)
          assert(first.outcome._tag === "Failed" && first.outcome.error._tag === error)
          yield* TrainingSet.pull({ modelId, folder, force: true })
          expect(Fs.readFileSync(outsideFile, "utf8")).toBe(outside.content)
          expect(Fs.lstatSync(Path.join(folder, IMAGES[linked]!.name)).isSymbolicLink()).toBe(false)
          expect(new Uint8Array(Fs.readFileSync(Path.join(folder, IMAGES[linked]!.name)))).toEqual(
            IMAGES[linked]!.bytes
          )

          const before = yield* requestCount
          const fresh = Path.join(root, Pull.LINKS.fresh)
          for (const options of badOptions) {
            const refusedError = yield* Effect.flip(TrainingSet.pull({ modelId, folder: fresh, ...options }))
            assert(refusedError._tag === refusal)
            expect(refusedError.issues[0]!.path).toEqual([Object.keys(options)[0]])
          }
          expect(Fs.existsSync(fresh)).toBe(false)
          expect(yield* requestCount).toBe(before)
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )
  })
})

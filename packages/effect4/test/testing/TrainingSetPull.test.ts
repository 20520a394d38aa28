/**
 * `TrainingSet.pull`, `fromModel` and `copy` over real HTTP: the emulator on 127.0.0.1 serves the API on one
 * port and the images on another (its download origin, which records the headers it gets).
 */
import { Fault } from "@effect-scenario/effect4/testing"
import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
import { NodeHttpClient, NodeServices } from "@effect/platform-node"
import { assert, describe, expect, layer } from "@effect/vitest"
import { Deferred, Effect, Fiber, Layer } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as TrainingSet from "../../src/TrainingSet.js"
import { png } from "./trainingSetFixtures.js"

// Real HTTP and files on a machine that may be busy: room beyond vitest's default, never a timing asserted.
const TIMEOUT = 120_000

const A = "model_a"
const B = "model_b"
const C = "model_c"

// Mixed formats and sizes: PNG, JPEG, WebP and GIF signatures, 40 bytes to 40 KB.
const image = (index: number): { readonly name: string; readonly bytes: Uint8Array } => {
  const size = 40 + ((index * 7919) % 40_000)
  const bytes = png(index, size)
  switch (index % 4) {
    case 1:
      bytes.set([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0])
      return { name: `photo ${index}.jpg`, bytes }
    case 2:
      bytes.set([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50])
      return { name: `frame_${index}.webp`, bytes }
    case 3:
      bytes.set([0x47, 0x49, 0x46, 0x38, 0x39, 0x61])
      return { name: `anim-${index}.gif`, bytes }
    default:
      return { name: `image ${index} é.png`, bytes }
  }
}
const IMAGES = Array.from({ length: 50 }, (_, index) => image(index))
const PAIRS: Array<TrainingSet.PlannedPair> = Array.from({ length: 10 }, (_, index) => ({
  source: IMAGES[index * 2]!.name,
  target: IMAGES[index * 2 + 1]!.name,
  ...(index % 3 === 0 ? {} : { instruction: `make it "brighter", step ${index}; 日本` })
}))

const tempRoot = () => Fs.mkdtempSync(Path.join(Os.tmpdir(), "training-pull-"))

const writeFolder = (folder: string) => {
  Fs.mkdirSync(folder, { recursive: true })
  for (const { bytes, name } of IMAGES) Fs.writeFileSync(Path.join(folder, name), bytes)
}

const filesOf = (folder: string) => Fs.readdirSync(folder).filter((name) => !name.startsWith(".")).sort()

const pairKey = (pair: TrainingSet.PlannedPair) => JSON.stringify([pair.source, pair.target, pair.instruction])
const sortedPairs = (pairs: ReadonlyArray<TrainingSet.PlannedPair>) => pairs.map(pairKey).sort()

const readPairs = (folder: string): Array<TrainingSet.PlannedPair> =>
  JSON.parse(Fs.readFileSync(Path.join(folder, TrainingSet.PULL_PAIRS_FILE), "utf8"))

const readState = (folder: string): TrainingSet.State =>
  JSON.parse(Fs.readFileSync(Path.join(folder, TrainingSet.PULL_STATE_FILE), "utf8"))

const Live = ScenarioEmulator.layerTrainingImages().pipe(
  Layer.provideMerge(ScenarioEmulator.layer({ models: { [A]: {}, [B]: {}, [C]: {} } })),
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
      [modelId]: {
        trainingImages: IMAGES.map(({ bytes, name }) => ({
          name,
          data: `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`
        }))
      }
    }))

const downloads = Effect.flatMap(ScenarioEmulator.ScenarioEmulator, (emulator) => emulator.downloads)

describe("TrainingSet.pull and copy, over the emulator", () => {
  layer(Live, { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect(
      "round trip: sync → pull gives the same bytes and pairs; a sync back and a rerun send nothing",
      () =>
        Effect.gen(function*() {
          const root = tempRoot()
          const source = Path.join(root, "source")
          writeFolder(source)
          const first = yield* sync(source, A)
          expect(TrainingSet.isSuccess(first.report)).toBe(true)

          const pulled = Path.join(root, "pulled")
          const report = yield* TrainingSet.pull({ modelId: A, folder: pulled, concurrency: 8 })
          expect(report.results.map((result) => result.outcome._tag)).toEqual(IMAGES.map(() => "Written"))
          expect(filesOf(pulled)).toEqual(IMAGES.map((entry) => entry.name).sort())
          for (const { bytes, name } of IMAGES) {
            expect(new Uint8Array(Fs.readFileSync(Path.join(pulled, name)))).toEqual(bytes)
          }
          expect(sortedPairs(readPairs(pulled))).toEqual(sortedPairs(PAIRS))
          expect(report.pairs).toBe(PAIRS.length)

          // No download carried the API's credentials; every API request did.
          const recorded = yield* downloads
          expect(recorded.length).toBeGreaterThanOrEqual(IMAGES.length)
          for (const download of recorded) expect(Object.keys(download.headers)).not.toContain("authorization")
          const api = yield* ScenarioEmulator.requests
          expect(api.every((request) => request.authenticated)).toBe(true)

          // A sync of the pulled folder with its pairs and state: nothing past the list.
          const before = yield* requestCount
          const back = yield* sync(pulled, A, {
            pairs: report.pairsFile,
            state: report.stateFile
          })
          expect(TrainingSet.summarize(back.plan).changes).toBe(0)
          expect(new Set(yield* operationsSince(before))).toEqual(new Set(["list"]))

          // A rerun downloads nothing: every file is known from the state and whole.
          const downloadsBefore = (yield* downloads).length
          const rerun = yield* TrainingSet.pull({ modelId: A, folder: pulled })
          expect(rerun.results.every((result) => result.outcome._tag === "Unchanged")).toBe(true)
          expect((yield* downloads).length).toBe(downloadsBefore)
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )

    it.effect("copy A → B gives B the same names and pairs; a rerun sends nothing", () =>
      Effect.gen(function*() {
        const report = yield* TrainingSet.copy({ from: A, to: B, concurrency: 8 })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const a = yield* TrainingSet.fromModel(A)
        const b = yield* TrainingSet.fromModel(B)
        expect(b.images.map((entry) => entry.name).sort()).toEqual(IMAGES.map((entry) => entry.name).sort())
        expect(sortedPairs(b.pairs)).toEqual(sortedPairs(a.pairs))
        expect(sortedPairs(b.pairs)).toEqual(sortedPairs(PAIRS))
        // The bytes went across unchanged.
        const byName = new Map(IMAGES.map((entry) => [entry.name, entry.bytes]))
        for (const entry of b.images.slice(0, 5)) expect(yield* entry.read).toEqual(byName.get(entry.name))

        const before = yield* requestCount
        const downloadsBefore = (yield* downloads).length
        const rerun = yield* TrainingSet.copy({ from: A, to: B })
        expect(rerun.results.every((result) => result.outcome._tag === "Unchanged")).toBe(true)
        expect(new Set(yield* operationsSince(before))).toEqual(new Set(["list"]))
        expect((yield* downloads).length).toBe(downloadsBefore)
      }), TIMEOUT)

    it.effect(
      "an interrupted pull resumes: the rerun downloads only what the state lacks, no duplicate",
      () =>
        Effect.gen(function*() {
          const root = tempRoot()
          const folder = Path.join(root, "pulled")
          const reached = yield* Deferred.make<void>()
          let pulled = 0
          const fiber = yield* Effect.forkChild(
            TrainingSet.pull({
              modelId: A,
              folder,
              concurrency: 4,
              onEvent: (event) =>
                event._tag === "Pulled" && ++pulled === 20 ? Deferred.succeed(reached, undefined) : Effect.void
            })
          )
          yield* Deferred.await(reached)
          yield* Fiber.interrupt(fiber)
          const known = Object.keys(readState(folder).images)
          expect(known.length).toBeGreaterThanOrEqual(20)
          expect(known.length).toBeLessThan(IMAGES.length)

          const downloadsBefore = (yield* downloads).length
          const rerun = yield* TrainingSet.pull({ modelId: A, folder })
          const written = rerun.results.filter((result) => result.outcome._tag === "Written").length
          const unchanged = rerun.results.filter((result) => result.outcome._tag === "Unchanged").length
          expect(written + unchanged).toBe(IMAGES.length)
          expect(unchanged).toBeGreaterThanOrEqual(known.length)
          // Files the state knew were not downloaded again.
          expect((yield* downloads).length - downloadsBefore).toBe(IMAGES.length - known.length)
          expect(filesOf(folder)).toEqual(IMAGES.map((entry) => entry.name).sort())
          // No temporary file is left behind.
          expect(Fs.readdirSync(folder).filter((name) => name.endsWith(".partial"))).toEqual([])
          for (const { bytes, name } of IMAGES) {
            expect(new Uint8Array(Fs.readFileSync(Path.join(folder, name)))).toEqual(bytes)
          }
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )

    it.effect("an interrupted copy resumes without duplicates, pairs included", () =>
      Effect.gen(function*() {
        const reached = yield* Deferred.make<void>()
        let added = 0
        const fiber = yield* Effect.forkChild(
          TrainingSet.copy({
            from: A,
            to: C,
            concurrency: 4,
            onEvent: (event) =>
              event._tag === "Succeeded" && ++added === 20 ? Deferred.succeed(reached, undefined) : Effect.void
          })
        )
        yield* Deferred.await(reached)
        yield* Fiber.interrupt(fiber)
        const partial = yield* TrainingSet.fromModel(C)
        expect(partial.images.length).toBeLessThan(IMAGES.length)

        const report = yield* TrainingSet.copy({ from: A, to: C })
        expect(TrainingSet.isSuccess(report)).toBe(true)
        const emulator = yield* ScenarioEmulator.ScenarioEmulator
        const stored = yield* emulator.model(C)
        assert(stored._tag === "Some")
        const names = stored.value.trainingImages.map((entry) => entry.name)
        expect(names.length).toBe(IMAGES.length)
        expect(new Set(names).size).toBe(IMAGES.length)
        const copied = yield* TrainingSet.fromModel(C)
        expect(sortedPairs(copied.pairs)).toEqual(sortedPairs(PAIRS))
      }), TIMEOUT)

    it.effect(
      "a copy under dropped and failed adds adds each name once; the rerun completes it",
      () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* emulator.seed({ model_d: {} })
          yield* emulator.setFaults({
            rate: 0.3,
            faults: [Fault.dropAfterApply, Fault.serverError(503)],
            seed: 7,
            operations: ["add", "replacePairs"]
          })
          const faulty = yield* TrainingSet.copy({ from: A, to: "model_d", concurrency: 8, settleWindow: 0 })
          yield* emulator.setFaults(undefined)
          expect(Object.values(yield* emulator.faultCounts).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0)
          const rerun = yield* TrainingSet.copy({ from: A, to: "model_d", settleWindow: 0 })
          expect(TrainingSet.isSuccess(rerun)).toBe(true)
          const stored = yield* emulator.model("model_d")
          assert(stored._tag === "Some")
          const names = stored.value.trainingImages.map((entry) => entry.name)
          expect(new Set(names).size).toBe(names.length)
          expect(names.sort()).toEqual(IMAGES.map((entry) => entry.name).sort())
          expect(sortedPairs((yield* TrainingSet.fromModel("model_d")).pairs)).toEqual(sortedPairs(PAIRS))
          // What the faulty run reported done is there.
          expect(faulty.results.length).toBeGreaterThan(0)
        }),
      TIMEOUT
    )

    it.effect(
      "downloads that fail are typed outcomes, retried when transient; a rerun completes",
      () =>
        Effect.gen(function*() {
          const root = tempRoot()
          const folder = Path.join(root, "pulled")
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          yield* seedWithImages("model_faults")
          // Every attempt of every image (three each) answered 503.
          yield* emulator.failNextDownloads(IMAGES.length * 3)
          const failed = yield* TrainingSet.pull({ modelId: "model_faults", folder, concurrency: 10 })
          for (const result of failed.results) {
            assert(result.outcome._tag === "Failed")
            const error = result.outcome.error
            assert(error._tag === "DownloadError")
            expect(error.reason).toBe("status")
            expect(error.status).toBe(503)
            expect(error.message).toContain(result.name)
          }
          expect(filesOf(folder)).toEqual([])
          // One more 503: retried, then served.
          yield* emulator.failNextDownloads(1)
          const report = yield* TrainingSet.pull({ modelId: "model_faults", folder })
          expect(report.results.every((result) => result.outcome._tag === "Written")).toBe(true)

          // Over the size cap: a typed failure, nothing written.
          const capped = yield* TrainingSet.pull({
            modelId: "model_faults",
            folder: Path.join(root, "capped"),
            maxImageBytes: 100
          })
          const tooLarge = capped.results.filter((result) =>
            result.outcome._tag === "Failed" && result.outcome.error._tag === "DownloadError" &&
            result.outcome.error.reason === "too-large"
          )
          expect(tooLarge.length).toBe(IMAGES.filter((entry) => entry.bytes.length > 100).length)
          expect(filesOf(Path.join(root, "capped")).length).toBe(IMAGES.length - tooLarge.length)
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )

    it.effect("an existing file is never overwritten without force; with it, it is", () =>
      Effect.gen(function*() {
        const root = tempRoot()
        const folder = Path.join(root, "pulled")
        Fs.mkdirSync(folder)
        yield* seedWithImages("model_existing")
        const name = IMAGES[0]!.name
        Fs.writeFileSync(Path.join(folder, name), "mine")
        // The same bytes already there: kept, nothing written.
        Fs.writeFileSync(Path.join(folder, IMAGES[1]!.name), IMAGES[1]!.bytes)
        const report = yield* TrainingSet.pull({ modelId: "model_existing", folder })
        const mine = report.results.find((result) => result.name === name)!
        assert(mine.outcome._tag === "Failed")
        assert(mine.outcome.error._tag === "FileExistsError")
        expect(mine.outcome.error.reason).toBe("differs")
        expect(Fs.readFileSync(Path.join(folder, name), "utf8")).toBe("mine")
        expect(report.results.find((result) => result.name === IMAGES[1]!.name)!.outcome._tag).toBe("Unchanged")

        // A file edited after the pull wrote it is left too.
        Fs.writeFileSync(Path.join(folder, IMAGES[2]!.name), "edited")
        const again = yield* TrainingSet.pull({ modelId: "model_existing", folder })
        const edited = again.results.find((result) => result.name === IMAGES[2]!.name)!
        assert(edited.outcome._tag === "Failed" && edited.outcome.error._tag === "FileExistsError")
        expect(edited.outcome.error.reason).toBe("changed")

        const forced = yield* TrainingSet.pull({ modelId: "model_existing", folder, force: true })
        expect(forced.results.every((result) => result.outcome._tag !== "Failed")).toBe(true)
        expect(new Uint8Array(Fs.readFileSync(Path.join(folder, name)))).toEqual(IMAGES[0]!.bytes)
        expect(new Uint8Array(Fs.readFileSync(Path.join(folder, IMAGES[2]!.name)))).toEqual(IMAGES[2]!.bytes)
        Fs.rmSync(root, { recursive: true })
      }), TIMEOUT)

    it.effect(
      "hostile names stay inside the folder, each under its documented rename; assets get a placeholder",
      () =>
        Effect.gen(function*() {
          const emulator = yield* ScenarioEmulator.ScenarioEmulator
          const data = (index: number) => `data:image/png;base64,${Buffer.from(png(100 + index)).toString("base64")}`
          const names = [
            "../../escaped.png",
            "/absolute.png",
            "a\u0000b.png",
            "CON.png",
            "trailing.png. ",
            "dup.png",
            "dup.png",
            "DUP.png",
            ".hidden",
            "..",
            "sub/dir.png",
            "C:\\windows.png"
          ]
          yield* emulator.seed({
            model_hostile: {
              trainingImages: [
                ...names.map((name, index) => ({ id: `img_${index}`, name, data: data(index) })),
                { id: "img_asset", name: "from-asset.png" }
              ]
            }
          })
          const root = tempRoot()
          const folder = Path.join(root, "inner", "pulled")
          const report = yield* TrainingSet.pull({ modelId: "model_hostile", folder })
          expect(report.results.every((result) => result.outcome._tag === "Written")).toBe(true)
          // Nothing outside the folder: the root holds the folder's parents only.
          expect(Fs.readdirSync(root)).toEqual(["inner"])
          expect(Fs.readdirSync(Path.join(root, "inner"))).toEqual(["pulled"])
          const files = report.results.map((result) => result.file)
          expect(files).toEqual(
            TrainingSet.pullFileNames(report.results.map((r) => ({ id: r.trainingImageId, name: r.name })))
          )
          expect(filesOf(folder)).toEqual([...files].sort())
          for (const file of files) expect(Fs.statSync(Path.join(folder, file)).isFile()).toBe(true)
          for (const [index] of names.entries()) {
            expect(new Uint8Array(Fs.readFileSync(Path.join(folder, files[index]!)))).toEqual(png(100 + index))
          }
          expect(files[names.length]).toBe("from-asset.png")
          const placeholder = Fs.readFileSync(Path.join(folder, "from-asset.png"))
          expect([...placeholder.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )

    it.effect(
      "a link in the folder is never written through; bad options are refused before anything is sent",
      () =>
        Effect.gen(function*() {
          yield* seedWithImages("model_links")
          const root = tempRoot()
          const folder = Path.join(root, "pulled")
          Fs.mkdirSync(folder)
          const outside = Path.join(root, "outside.png")
          Fs.writeFileSync(outside, "outside")
          Fs.symlinkSync(outside, Path.join(folder, IMAGES[0]!.name))
          const refused = yield* TrainingSet.pull({ modelId: "model_links", folder })
          const first = refused.results[0]!
          assert(first.outcome._tag === "Failed" && first.outcome.error._tag === "FileExistsError")
          yield* TrainingSet.pull({ modelId: "model_links", folder, force: true })
          expect(Fs.readFileSync(outside, "utf8")).toBe("outside")
          expect(Fs.lstatSync(Path.join(folder, IMAGES[0]!.name)).isSymbolicLink()).toBe(false)
          expect(new Uint8Array(Fs.readFileSync(Path.join(folder, IMAGES[0]!.name)))).toEqual(IMAGES[0]!.bytes)

          const before = yield* requestCount
          const fresh = Path.join(root, "fresh")
          for (const options of [{ concurrency: 0 }, { concurrency: 1.5 }, { maxImageBytes: Number.NaN }]) {
            const error = yield* Effect.flip(TrainingSet.pull({ modelId: "model_links", folder: fresh, ...options }))
            assert(error._tag === "InvalidRequestError")
            expect(error.issues[0]!.path).toEqual([Object.keys(options)[0]])
          }
          expect(Fs.existsSync(fresh)).toBe(false)
          expect(yield* requestCount).toBe(before)
          Fs.rmSync(root, { recursive: true })
        }),
      TIMEOUT
    )
  })
})

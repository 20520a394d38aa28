// TrainingSet's folders on disk: listings, links, names and globs, order, what fails, and what a plan and a run
// make of them.
//
// The Effect 4 line's runner of the folders test-support's `trainingSetFolders.ts` builds, and of what it
// expects of them, shared with the Effect 3 line.
import { TrainingImagesTest } from "@effect-scenario/effect4/testing"
import * as Folders from "@effect-scenario/test-support/trainingSetFolders"
import { NodeServices } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, Ref, Schema } from "effect"
import * as FileSystem from "effect/FileSystem"
import * as PlatformError from "effect/PlatformError"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingSet from "../../src/TrainingSet.js"

const listedNames = (sources: ReadonlyArray<TrainingSet.ImageSource>) => sources.map((source) => source.name)

describe("TrainingSet.readFolder", () => {
  it.effect("lists files sorted by name, without reading them; recursion and globs on demand", () =>
    Effect.gen(function*() {
      const t = Folders.MIXED_FOLDER_LISTINGS
      const root = Folders.mixedFolder()
      const flat = yield* TrainingSet.readFolder(root)
      expect(listedNames(flat)).toEqual(t.flat)
      for (const { names, options } of t.cases) {
        expect(listedNames(yield* TrainingSet.readFolder(root, options))).toEqual(names)
      }
      // Read when asked: a file removed after the listing fails its own read.
      Fs.rmSync(Path.join(root, t.removed.name))
      const error = yield* Effect.flip(flat[t.removed.index]!.read)
      expect(error._tag).toBe(t.removed.error)
      expect(error.message).toContain(t.removed.name)
      expect([...(yield* flat[t.first.index]!.read)]).toEqual(t.first.bytes)
      Folders.removeFolders(root)
    }).pipe(Effect.provide(NodeServices.layer)))

  it.effect("a missing folder, or a file given as folder, is an ImageSourceError naming it", () =>
    Effect.gen(function*() {
      const root = Folders.mixedFolder()
      const t = Folders.mixedFolderErrors(root)
      const missing = yield* Effect.flip(TrainingSet.readFolder(t.missing.path))
      assert(missing._tag === t.missing.error)
      expect(missing.message).toBe(t.missing.message)
      const notFolder = yield* Effect.flip(TrainingSet.readFolder(t.notFolder.path))
      expect(notFolder.reason).toBe(t.notFolder.reason)
      const files = yield* TrainingSet.readFiles(t.files.paths)
      expect(listedNames(files)).toEqual(t.files.names)
      Folders.removeFolders(root)
    }).pipe(Effect.provide(NodeServices.layer)))
})

// A folder of real files and links for the plan: a fake model behind it.
const MODEL = Folders.FOLDER_MODEL
const fake = (trainingImages: ReadonlyArray<{ readonly id: string; readonly name: string }> = []) =>
  TrainingImagesTest.layer({ models: { [MODEL]: { trainingImages } } })

const listed = (sources: ReadonlyArray<TrainingSet.ImageSource>) =>
  sources.map((source) => [source.name, source.skip] as const)

describe("TrainingSet.readFolder: links", () => {
  it.effect(
    "links to the folder itself (twice, and one level down) with recursive: each folder listed once, the links skipped",
    () =>
      Effect.gen(function*() {
        const folder = Folders.selfLinksFolder()
        const sources = yield* TrainingSet.readFolder(folder.root, folder.options)
        expect(listed(sources)).toEqual(folder.listed)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, deleteOthers: true })
        expect(plan.items).toEqual(folder.items)
        // A link to a folder elsewhere is followed, once however many links lead there.
        const other = folder.linkElsewhere()
        const again = yield* TrainingSet.readFolder(folder.root, folder.again.options)
        expect(listed(again)).toEqual(folder.again.listed)
        Folders.removeFolders(folder.root, other)
      }).pipe(Effect.provide(Layer.merge(NodeServices.layer, fake()))),
    10_000
  )

  it.effect("a dangling link and a looping link, without recursion: the rest is synced, each link skipped with its reason, nothing deleted for it", () =>
    Effect.gen(function*() {
      const t = Folders.BROKEN_LINKS_SYNC
      const { root } = Folders.brokenLinksFolder()
      const sources = yield* TrainingSet.readFolder(root)
      expect(listed(sources)).toEqual(t.listed)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, deleteOthers: true })
      expect(plan.items).toEqual(t.items)
      expect(TrainingSet.summarize(plan)).toMatchObject(t.summary)
      const report = yield* TrainingSet.apply(plan, sources)
      expect(TrainingSet.isSuccess(report)).toBe(true)
      expect(report.results.map((result) => [result.item._tag, result.outcome._tag])).toEqual(t.results)
      const control = yield* TrainingImagesTest.TrainingImagesTest
      const model = yield* control.model(MODEL)
      assert(model._tag === "Some")
      // The training image named like the dangling link stays: its file is not gone, only unreachable.
      expect(model.value.trainingImages.map((image) => image.name).sort()).toEqual(t.stored)
      Folders.removeFolders(root)
    }).pipe(Effect.provide(Layer.merge(NodeServices.layer, fake(Folders.BROKEN_LINKS_SYNC.seed)))))
})

describe("TrainingSet.plan: what will fail is known before anything is sent", () => {
  it.effect("a non-image is a skip and an image over the limit a planned failure, judged from first bytes and size; at apply the large ones fail unread", () =>
    Effect.gen(function*() {
      const t = Folders.TOO_LARGE
      expect(TrainingImages.DEFAULT_MAX_REQUEST_BYTES).toBe(t.maxRequestBytes)
      const { root } = Folders.tooLargeFolder()
      const sources = yield* TrainingSet.readFolder(root)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, deleteOthers: true })
      expect(plan.items).toEqual(t.items)
      expect(TrainingSet.summarize(plan)).toMatchObject(t.summary)
      // The plan is a JSON value, new items included.
      const json = JSON.stringify(Schema.encodeSync(TrainingSet.Plan)(plan))
      expect(Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(json))).toEqual(plan)

      const reads = yield* Ref.make<Array<string>>([])
      const counted = sources.map((source) => ({
        ...source,
        read: Effect.andThen(Ref.update(reads, (names) => [...names, source.name]), source.read)
      }))
      const report = yield* TrainingSet.apply(plan, counted)
      expect(yield* Ref.get(reads)).toEqual(t.reads)
      const failures = TrainingSet.failures(report)
      expect(failures.map((failure) => [failure.item._tag, failure.error._tag])).toEqual(t.failures)
      expect(failures[0]!.error.message).toContain(t.message)
      expect(report.results.find((result) => result.item._tag === "Skip")?.outcome).toEqual(t.skipOutcome)
      const control = yield* TrainingImagesTest.TrainingImagesTest
      expect((yield* control.calls).filter((call) => call.operation === "add").length).toBe(t.adds)
      expect((yield* control.model(MODEL)).pipe(Option.map((model) => model.trainingImages.map((i) => i.name))))
        .toEqual(Option.some(t.stored))
      Folders.removeFolders(root)
    }).pipe(Effect.provide(Layer.merge(NodeServices.layer, fake(Folders.TOO_LARGE.seed)))))

  it.effect("a file that grew over the limit after the plan fails its add at apply, unread", () =>
    Effect.gen(function*() {
      const folder = Folders.grownFileFolder()
      const sources = yield* TrainingSet.readFolder(folder.root)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
      expect(plan.items).toEqual(folder.items)
      folder.grow()
      const reads = yield* Ref.make(0)
      const counted = sources.map((source) => ({
        ...source,
        read: Effect.andThen(Ref.update(reads, (n) => n + 1), source.read)
      }))
      const report = yield* TrainingSet.apply(plan, counted)
      expect(yield* Ref.get(reads)).toBe(folder.reads)
      const [failure] = TrainingSet.failures(report)
      assert(failure !== undefined && failure.error._tag === folder.error)
      expect(failure.error.message).toContain(folder.message)
      Folders.removeFolders(folder.root)
    }).pipe(Effect.provide(Layer.merge(NodeServices.layer, fake()))))
})

describe("TrainingSet.readFolder: names and globs", () => {
  it.effect("a backslash is part of a file's name, never a folder separator, for include and exclude alike", () => {
    const { cases, root } = Folders.backslashFolder()
    return Effect.forEach(
      cases,
      ({ names, options }) =>
        Effect.map(TrainingSet.readFolder(root, options), (sources) => expect(listedNames(sources)).toEqual(names))
    ).pipe(
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(root)))
    )
  })

  it.effect("an empty include or exclude list leaves every file of the folder in", () => {
    const root = Folders.mixedFolder()
    return Effect.gen(function*() {
      const sources = yield* TrainingSet.readFolder(root, Folders.EMPTY_FILTERS.options)
      expect(listedNames(sources)).toEqual(Folders.EMPTY_FILTERS.names)
    }).pipe(
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(root)))
    )
  })

  it.effect("an empty file is peeked at as no bytes and planned as a skip (not an image)", () => {
    const { name, root } = Folders.emptyFileFolder()
    return Effect.gen(function*() {
      const sources = yield* TrainingSet.readFolder(root)
      const peek = sources[0]?.peek
      assert(peek !== undefined)
      const seen = yield* peek
      expect(seen.size).toBe(0)
      expect([...seen.head]).toEqual([])
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
      expect(plan.items).toEqual([{ _tag: "Skip", name, reason: "not-an-image" }])
    }).pipe(
      Effect.provide(Layer.merge(NodeServices.layer, fake())),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(root)))
    )
  })
})

// The real file system but for the answers changed: a failure no real folder gives here (the tests may run as
// root, whom no permission stops), or a listing in another order.
const changedFileSystem = (change: (fs: FileSystem.FileSystem) => Partial<FileSystem.FileSystem>) =>
  Layer.effect(FileSystem.FileSystem, Effect.map(FileSystem.FileSystem, (fs) => ({ ...fs, ...change(fs) })))

const deniedOn = (method: string, path: string) =>
  PlatformError.systemError({ _tag: "PermissionDenied", module: "FileSystem", method, pathOrDescriptor: path })

// A listing in reverse name order, whatever order the system gives.
const reversedListing = changedFileSystem((fs) => ({
  readDirectory: (path, options) => Effect.map(fs.readDirectory(path, options), (names) => [...names].sort().reverse())
}))

describe("TrainingSet.readFolder: order", () => {
  it.effect("names in code-unit order across levels: a subfolder's files come where their names sort, not where the walk met them", () => {
    const { names, root } = Folders.orderFolder()
    return Effect.gen(function*() {
      const listed = yield* TrainingSet.readFolder(root, { recursive: true })
      expect(listedNames(listed)).toEqual(names)
      expect(listed.map((source) => source.path)).toEqual(names.map((name) => Path.join(root, name)))
      const reversed = yield* TrainingSet.readFolder(root, { recursive: true }).pipe(Effect.provide(reversedListing))
      expect(listedNames(reversed)).toEqual(names)
    }).pipe(
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(root)))
    )
  })

  it.effect("of two links to one folder, the first by name is followed, whatever order the system lists them in", () => {
    const folder = Folders.twoLinksFolder()
    return Effect.gen(function*() {
      for (const layer of [Layer.empty, reversedListing]) {
        const sources = yield* TrainingSet.readFolder(folder.root, { recursive: true }).pipe(Effect.provide(layer))
        expect(sources.map((source) => [source.name, source.skip])).toEqual(folder.listed)
        const error = yield* Effect.flip(sources[folder.skippedIndex]!.read)
        expect(error.path).toBe(folder.skippedPath)
        expect(error.reason).toBe(folder.reason)
      }
    }).pipe(
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(folder.root, folder.other)))
    )
  })
})

describe("TrainingSet.readFolder: skipped links and other entries", () => {
  it.effect("include and exclude apply to broken links as to files; reading one fails with its reason", () => {
    const folder = Folders.brokenLinksFolder()
    return Effect.gen(function*() {
      const all = yield* TrainingSet.readFolder(folder.root)
      expect(listedNames(all)).toEqual(folder.names)
      // A skipped link is an image source like the others, which a match on the source's tag tells apart.
      expect(all.map((source) => source._tag)).toEqual(folder.names.map(() => "ImageSource"))
      for (const { index, path, reason } of folder.reads) {
        const error = yield* Effect.flip(all[index]!.read)
        expect(error.path).toBe(path)
        expect(error.reason).toBe(reason)
      }
      for (const { names, options } of folder.cases) {
        expect(listedNames(yield* TrainingSet.readFolder(folder.root, options))).toEqual(names)
      }
    }).pipe(
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(folder.root)))
    )
  })

  it.effect("an entry neither a file nor a folder (a link to a device) is left out, and never entered with recursive", () => {
    const folder = Folders.deviceLinkFolder()
    return Effect.gen(function*() {
      for (const options of folder.options) {
        expect(listedNames(yield* TrainingSet.readFolder(folder.root, options))).toEqual(folder.names)
      }
    }).pipe(
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(folder.root)))
    )
  })
})

describe("TrainingSet.readFolder: what fails", () => {
  it.effect("a file gone between the listing and its peek fails the peek, naming it", () => {
    const folder = Folders.peekFolder()
    return Effect.gen(function*() {
      const sources = yield* TrainingSet.readFolder(folder.root)
      folder.removeFirst()
      const error = yield* Effect.flip(sources[0]!.peek!)
      expect(error._tag).toBe("ImageSourceError")
      expect(error.message).toBe(folder.message)
      const peek = yield* sources[1]!.peek!
      expect(peek.size).toBe(folder.second.size)
      expect([...peek.head]).toEqual(folder.second.head)
    }).pipe(
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(folder.root)))
    )
  })

  it.effect("a folder whose real path or listing may not be had fails naming the folder, and nothing is listed", () => {
    const folder = Folders.deniedFolder()
    const { root } = folder
    return Effect.gen(function*() {
      const resolve = yield* Effect.flip(TrainingSet.readFolder(root)).pipe(
        Effect.provide(changedFileSystem((fs) => ({
          realPath: (path) => path === root ? Effect.fail(deniedOn("realPath", path)) : fs.realPath(path)
        })))
      )
      expect(resolve.message).toBe(folder.denied)
      const list = yield* Effect.flip(TrainingSet.readFolder(root)).pipe(
        Effect.provide(changedFileSystem((fs) => ({
          readDirectory: (path, options) =>
            path === root ? Effect.fail(deniedOn("readDirectory", path)) : fs.readDirectory(path, options)
        })))
      )
      expect(list.message).toBe(folder.denied)
      const missing = yield* Effect.flip(TrainingSet.readFiles(folder.files))
      expect(missing.message).toBe(folder.missing)
    }).pipe(
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(root)))
    )
  })
})

describe("TrainingSet.readFolder: globs on every platform", () => {
  it.effect("where the system is Windows too, a backslash is part of a name for include and exclude", () => {
    const { cases, root } = Folders.backslashFolder()
    const platform = process.platform
    return Effect.acquireUseRelease(
      Effect.sync(Folders.pretendWindows),
      () => Effect.forEach(cases, ({ options }) => Effect.map(TrainingSet.readFolder(root, options), listedNames)),
      (restore) => Effect.sync(restore)
    ).pipe(
      Effect.map((listed) => {
        expect(process.platform).toBe(platform)
        expect(listed).toEqual(cases.map(({ names }) => names))
      }),
      Effect.provide(NodeServices.layer),
      Effect.ensuring(Effect.sync(() => Folders.removeFolders(root)))
    )
  })
})

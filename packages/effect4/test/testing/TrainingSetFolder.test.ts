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

describe("TrainingSet.readFolder", () => {
  it.effect("lists files sorted by name, without reading them; recursion and globs on demand", () =>
    Effect.gen(function*() {
      const root = Folders.mixedFolder()
      const flat = yield* TrainingSet.readFolder(root)
      expect(flat.map((source) => source.name)).toEqual(["a.jpg", "b.png", "notes.txt"])
      const deep = yield* TrainingSet.readFolder(root, { recursive: true, include: ["**/*.png"] })
      expect(deep.map((source) => source.name)).toEqual(["b.png", "sub/c.png", "sub/deeper/d.png"])
      const pruned = yield* TrainingSet.readFolder(root, { recursive: true, exclude: ["sub/deeper/**", "*.txt"] })
      expect(pruned.map((source) => source.name)).toEqual(["a.jpg", "b.png", "sub/c.png"])
      // Read when asked: a file removed after the listing fails its own read.
      Fs.rmSync(Path.join(root, "b.png"))
      const error = yield* Effect.flip(flat[1]!.read)
      expect(error._tag).toBe("ImageSourceError")
      expect(error.message).toContain("b.png")
      expect([...(yield* flat[0]!.read)]).toEqual([0xff, 0xd8, 0xff, 0xe0])
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.provide(NodeServices.layer)))

  it.effect("a missing folder, or a file given as folder, is an ImageSourceError naming it", () =>
    Effect.gen(function*() {
      const root = Folders.mixedFolder()
      const missing = yield* Effect.flip(TrainingSet.readFolder(Path.join(root, "nope")))
      assert(missing._tag === "ImageSourceError")
      expect(missing.message).toBe(`${Path.join(root, "nope")}: no such file or folder`)
      const notFolder = yield* Effect.flip(TrainingSet.readFolder(Path.join(root, "b.png")))
      expect(notFolder.reason).toBe("not a folder")
      const files = yield* TrainingSet.readFiles([Path.join(root, "sub", "c.png")])
      expect(files.map((source) => source.name)).toEqual(["c.png"])
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.provide(NodeServices.layer)))
})

// A folder of real files and links for the plan: a fake model behind it.
const MODEL = "model_folder"
const fake = (trainingImages: ReadonlyArray<{ readonly id: string; readonly name: string }> = []) =>
  TrainingImagesTest.layer({ models: { [MODEL]: { trainingImages } } })

describe("TrainingSet.readFolder: links", () => {
  it.effect(
    "links to the folder itself (twice, and one level down) with recursive: each folder listed once, the links skipped",
    () =>
      Effect.gen(function*() {
        const root = Folders.tempFolder()
        Folders.pngFile(Path.join(root, "a.png"))
        Folders.pngFile(Path.join(root, "sub", "c.png"))
        Fs.symlinkSync(".", Path.join(root, "x"))
        Fs.symlinkSync(".", Path.join(root, "y"))
        Fs.symlinkSync("..", Path.join(root, "sub", "up"))
        const sources = yield* TrainingSet.readFolder(root, { recursive: true })
        expect(sources.map((source) => [source.name, source.skip])).toEqual([
          ["a.png", undefined],
          ["sub/c.png", undefined],
          ["sub/up", "link-loop"],
          ["x", "link-loop"],
          ["y", "link-loop"]
        ])
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, deleteOthers: true })
        expect(plan.items).toEqual([
          { _tag: "Add", name: "a.png" },
          { _tag: "Add", name: "sub/c.png" },
          { _tag: "Skip", name: "sub/up", reason: "link-loop" },
          { _tag: "Skip", name: "x", reason: "link-loop" },
          { _tag: "Skip", name: "y", reason: "link-loop" }
        ])
        // A link to a folder elsewhere is followed, once however many links lead there.
        const other = Folders.tempFolder("training-set-other-")
        Folders.pngFile(Path.join(other, "o.png"))
        Fs.symlinkSync(other, Path.join(root, "sub", "more"))
        Fs.symlinkSync(other, Path.join(root, "z"))
        const again = yield* TrainingSet.readFolder(root, { recursive: true, exclude: ["x/**", "y"] })
        expect(again.map((source) => [source.name, source.skip])).toEqual([
          ["a.png", undefined],
          ["sub/c.png", undefined],
          ["sub/more/o.png", undefined],
          ["sub/up", "link-loop"],
          ["z", "already-listed"]
        ])
        Fs.rmSync(root, { recursive: true })
        Fs.rmSync(other, { recursive: true })
      }).pipe(Effect.provide(Layer.merge(NodeServices.layer, fake()))),
    10_000
  )

  it.effect("a dangling link and a looping link, without recursion: the rest is synced, each link skipped with its reason, nothing deleted for it", () =>
    Effect.gen(function*() {
      const root = Folders.tempFolder()
      Folders.pngFile(Path.join(root, "a.png"))
      Fs.symlinkSync(Path.join(root, "nowhere.png"), Path.join(root, "gone.png"))
      Fs.symlinkSync("self.png", Path.join(root, "self.png"))
      const sources = yield* TrainingSet.readFolder(root)
      expect(sources.map((source) => [source.name, source.skip])).toEqual([
        ["a.png", undefined],
        ["gone.png", "dangling-link"],
        ["self.png", "link-loop"]
      ])
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, deleteOthers: true })
      expect(plan.items).toEqual([
        { _tag: "Add", name: "a.png" },
        { _tag: "Skip", name: "gone.png", reason: "dangling-link" },
        { _tag: "Skip", name: "self.png", reason: "link-loop" }
      ])
      expect(TrainingSet.summarize(plan)).toMatchObject({ add: 1, skip: 2, changes: 1 })
      const report = yield* TrainingSet.apply(plan, sources)
      expect(TrainingSet.isSuccess(report)).toBe(true)
      expect(report.results.map((result) => [result.item._tag, result.outcome._tag])).toEqual([
        ["Add", "Succeeded"],
        ["Skip", "Unchanged"],
        ["Skip", "Unchanged"]
      ])
      const control = yield* TrainingImagesTest.TrainingImagesTest
      const model = yield* control.model(MODEL)
      assert(model._tag === "Some")
      // The training image named like the dangling link stays: its file is not gone, only unreachable.
      expect(model.value.trainingImages.map((image) => image.name).sort()).toEqual(["a.png", "gone.png"])
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.provide(Layer.merge(NodeServices.layer, fake([{ id: "asset_gone", name: "gone.png" }])))))
})

describe("TrainingSet.plan: what will fail is known before anything is sent", () => {
  it.effect("a non-image is a skip and an image over the limit a planned failure, judged from first bytes and size; at apply the large ones fail unread", () =>
    Effect.gen(function*() {
      const root = Folders.tempFolder()
      Folders.pngFile(Path.join(root, "a.png"))
      Folders.pngFile(Path.join(root, "big.png"), 12 * 1000 * 1000)
      Folders.pngFile(Path.join(root, "huge.png"), 1024 * 1024 * 1024)
      Fs.writeFileSync(Path.join(root, "notes.txt"), "hello")
      const sources = yield* TrainingSet.readFolder(root)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources, deleteOthers: true })
      expect(plan.items).toEqual([
        { _tag: "Add", name: "a.png" },
        {
          _tag: "TooLarge",
          name: "big.png",
          bytes: 12_000_000,
          requestBytes: 16_000_050,
          maxRequestBytes: TrainingImages.DEFAULT_MAX_REQUEST_BYTES
        },
        {
          _tag: "TooLarge",
          name: "huge.png",
          bytes: 1024 * 1024 * 1024,
          requestBytes: 4 * Math.ceil(1024 * 1024 * 1024 / 3) + 51,
          maxRequestBytes: TrainingImages.DEFAULT_MAX_REQUEST_BYTES
        },
        { _tag: "Skip", name: "notes.txt", reason: "not-an-image" }
      ])
      expect(TrainingSet.summarize(plan)).toMatchObject({ add: 1, skip: 1, tooLarge: 2, delete: 0, changes: 1 })
      // The plan is a JSON value, new items included.
      const json = JSON.stringify(Schema.encodeSync(TrainingSet.Plan)(plan))
      expect(Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(json))).toEqual(plan)

      const reads = yield* Ref.make<Array<string>>([])
      const counted = sources.map((source) => ({
        ...source,
        read: Effect.andThen(Ref.update(reads, (names) => [...names, source.name]), source.read)
      }))
      const report = yield* TrainingSet.apply(plan, counted)
      expect(yield* Ref.get(reads)).toEqual(["a.png"])
      const failures = TrainingSet.failures(report)
      expect(failures.map((failure) => [failure.item._tag, failure.error._tag])).toEqual([
        ["TooLarge", "InvalidRequestError"],
        ["TooLarge", "InvalidRequestError"]
      ])
      expect(failures[0]!.error.message).toMatch(
        /the JSON body is 16000050 bytes, over the request limit of 10485760 bytes/
      )
      expect(report.results.find((result) => result.item._tag === "Skip")?.outcome).toEqual({ _tag: "Unchanged" })
      const control = yield* TrainingImagesTest.TrainingImagesTest
      expect((yield* control.calls).filter((call) => call.operation === "add").length).toBe(1)
      expect((yield* control.model(MODEL)).pipe(Option.map((model) => model.trainingImages.map((i) => i.name))))
        .toEqual(Option.some(["notes.txt", "a.png"]))
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.provide(Layer.merge(NodeServices.layer, fake([{ id: "asset_notes", name: "notes.txt" }])))))

  it.effect("a file that grew over the limit after the plan fails its add at apply, unread", () =>
    Effect.gen(function*() {
      const root = Folders.tempFolder()
      Folders.pngFile(Path.join(root, "a.png"))
      const sources = yield* TrainingSet.readFolder(root)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: sources })
      expect(plan.items).toEqual([{ _tag: "Add", name: "a.png" }])
      Fs.truncateSync(Path.join(root, "a.png"), 64 * 1024 * 1024)
      const reads = yield* Ref.make(0)
      const counted = sources.map((source) => ({
        ...source,
        read: Effect.andThen(Ref.update(reads, (n) => n + 1), source.read)
      }))
      const report = yield* TrainingSet.apply(plan, counted)
      expect(yield* Ref.get(reads)).toBe(0)
      const [failure] = TrainingSet.failures(report)
      assert(failure !== undefined && failure.error._tag === "InvalidRequestError")
      expect(failure.error.message).toMatch(/over the request limit of 10485760 bytes/)
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.provide(Layer.merge(NodeServices.layer, fake()))))
})

const listedNames = (sources: ReadonlyArray<TrainingSet.ImageSource>) => sources.map((source) => source.name)

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
    const root = Folders.tempFolder()
    Folders.pngFile(Path.join(root, "a.png"))
    return Effect.gen(function*() {
      const resolve = yield* Effect.flip(TrainingSet.readFolder(root)).pipe(
        Effect.provide(changedFileSystem((fs) => ({
          realPath: (path) => path === root ? Effect.fail(deniedOn("realPath", path)) : fs.realPath(path)
        })))
      )
      expect(resolve.message).toBe(`${root}: permission denied`)
      const list = yield* Effect.flip(TrainingSet.readFolder(root)).pipe(
        Effect.provide(changedFileSystem((fs) => ({
          readDirectory: (path, options) =>
            path === root ? Effect.fail(deniedOn("readDirectory", path)) : fs.readDirectory(path, options)
        })))
      )
      expect(list.message).toBe(`${root}: permission denied`)
      const missing = yield* Effect.flip(TrainingSet.readFiles([Path.join(root, "a.png"), Path.join(root, "b.png")]))
      expect(missing.message).toBe(`${Path.join(root, "b.png")}: no such file or folder`)
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

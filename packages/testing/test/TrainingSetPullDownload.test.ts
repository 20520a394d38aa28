/**
 * `TrainingSet.pull`'s downloads against a download host on 127.0.0.1 that misbehaves on purpose (a length
 * it does not keep, a body cut short, a body in small pieces, an unusual 2xx, no answer), and the folder's
 * own failures. The listing comes from the in-memory fake, its `downloadUrl`s pointed at that host.
 */
import { TrainingImages, TrainingSet } from "@effect-scenario/core"
import * as Download from "@effect-scenario/test-support/downloadHost"
import * as Files from "@effect-scenario/test-support/trainingSetFiles"
import { TrainingImagesTest } from "@effect-scenario/testing"
import { NodeContext, NodeHttpClient } from "@effect/platform-node"
import * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"

const MODEL = "model_download"

// The download host (its paths told in test-support's downloadHost), stopped with the test's scope.
const host = Effect.acquireRelease(
  Effect.promise(() => Download.startDownloadHost()),
  (started) => Effect.promise(() => started.close())
)

const closedPort = Effect.promise(() => Download.closedPort())

const bytesOf = Download.downloadBytes

// The fake, its images' `downloadUrl` replaced by the one given for each id.
const listing = (
  images: ReadonlyArray<{ readonly id: string; readonly name: string; readonly url: string }>,
  pairs: ReadonlyArray<{ readonly sourceId: string; readonly targetId: string }> = []
) =>
  Layer.effect(
    TrainingImages.TrainingImages,
    Effect.map(TrainingImages.TrainingImages, (service) => ({
      ...service,
      list: (params: Parameters<typeof service.list>[0]) =>
        Effect.map(service.list(params), (model) => ({
          ...model,
          trainingImages: model.trainingImages.map((image) => ({
            ...image,
            downloadUrl: images.find((entry) => entry.id === image.id)?.url ?? image.downloadUrl
          }))
        }))
    }))
  ).pipe(
    Layer.provide(
      TrainingImagesTest.layer({
        models: { [MODEL]: { trainingImages: images.map(({ id, name }) => ({ id, name })), pairs } }
      })
    )
  )

const tempRoot = () => Files.tempRoot("training-pull-download-")

describe("TrainingSet.pull: each way a download fails", () => {
  it.live(
    "is its own typed reason; what the host sends in full is written, events telling each step",
    () =>
      Effect.gen(function*() {
        const { origin } = yield* host
        const port = yield* closedPort
        const table = Download.downloadFailures(origin, port)
        const images = table.images
        const root = tempRoot()
        const folder = Path.join(root, "pulled")
        const events: Array<TrainingSet.PullEvent> = []
        const report = yield* TrainingSet.pull({
          modelId: MODEL,
          folder,
          maxImageBytes: table.maxImageBytes,
          onEvent: (event) => Effect.sync(() => void events.push(event))
        }).pipe(Effect.provide(listing(images)))

        const outcomes = report.results.map((result) => {
          const outcome = result.outcome
          if (outcome._tag === "Written") return [result.name, "Written", outcome.bytes]
          assert(outcome._tag === "Failed" && outcome.error._tag === "DownloadError")
          return [result.name, outcome.error.reason, outcome.error.status]
        })
        expect(outcomes).toEqual(table.outcomes)
        const failed = report.results.find((result) => result.name === table.notFound.name)!.outcome
        assert(failed._tag === "Failed" && failed.error._tag === "DownloadError")
        expect(failed.error.url).toBe(table.notFound.url)
        expect(failed.error.trainingImageId).toBe(table.notFound.trainingImageId)
        expect(failed.error.maxBytes).toBe(table.maxImageBytes)

        expect(events[0]).toEqual({ _tag: "Listed", modelId: MODEL, images: images.length })
        const pulled = events.slice(1, -1)
        expect(pulled.map((event) => event._tag)).toEqual(images.map(() => "Pulled"))
        expect(pulled.map((event) => event._tag === "Pulled" ? event.index : -1).sort((a, b) => a - b)).toEqual(
          images.map((_, index) => index)
        )
        for (const event of pulled) {
          assert(event._tag === "Pulled")
          expect(event.result).toEqual(report.results[event.index])
        }
        expect(events.at(-1)).toEqual({ _tag: "PulledAll", report })

        // A rerun under the same limit finds what it wrote whole, those at the limit included; a file gone since
        // is downloaded again.
        Fs.rmSync(Path.join(folder, "ok.png"))
        const rerun = yield* TrainingSet.pull({ modelId: MODEL, folder, maxImageBytes: table.maxImageBytes }).pipe(
          Effect.provide(listing(images))
        )
        expect(
          rerun.results.filter((result) => result.outcome._tag !== "Failed").map((result) => [
            result.name,
            result.outcome._tag
          ])
        ).toEqual(table.rerun)

        // A host that never answers: the pull's own timeout, short here, ends the wait.
        const hang = yield* TrainingSet.pull({ modelId: MODEL, folder: Path.join(root, "hang"), timeout: "200 millis" })
          .pipe(Effect.provide(listing([{ id: "img_hang", name: "hang.png", url: `${origin}/hang` }])))
        const [waited] = hang.results
        assert(
          waited !== undefined && waited.outcome._tag === "Failed" && waited.outcome.error._tag === "DownloadError"
        )
        expect(waited.outcome.error.reason).toBe("timeout")
        Fs.rmSync(root, { recursive: true })
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))),
    60_000
  )
})

// The real file system but for the answers changed.
const changedFileSystem = (change: (fs: FileSystem.FileSystem) => Partial<FileSystem.FileSystem>) =>
  Layer.effect(FileSystem.FileSystem, Effect.map(FileSystem.FileSystem, (fs) => ({ ...fs, ...change(fs) })))

describe("TrainingSet.pull: the folder's own failures", () => {
  it.live("a folder that cannot be made, read or is not one is a FileWriteError naming it; nothing is listed", () =>
    Effect.gen(function*() {
      const { origin } = yield* host
      const root = tempRoot()
      Fs.writeFileSync(Path.join(root, "file"), "a file")
      const folder = Path.join(root, "pulled")
      const pull = (target: string) =>
        Effect.flip(TrainingSet.pull({ modelId: MODEL, folder: target })).pipe(
          Effect.provide(listing([{ id: "img_ok", name: "ok.png", url: `${origin}/ok/50` }]))
        )
      const under = yield* pull(Path.join(root, "file", "pulled"))
      assert(under._tag === "FileWriteError")
      expect(under.message).toBe(`${Path.join(root, "file", "pulled")}: could not be created`)
      const unread = yield* pull(folder).pipe(Effect.provide(changedFileSystem((fs) => ({
        stat: (path) =>
          path === folder
            ? Effect.fail(
              new PlatformError.SystemError({
                reason: "PermissionDenied",
                module: "FileSystem",
                method: "stat",
                pathOrDescriptor: path
              })
            )
            : fs.stat(path)
      }))))
      assert(unread._tag === "FileWriteError")
      expect(unread.message).toBe(`${folder}: could not be read`)
      const notFolder = yield* pull(folder).pipe(Effect.provide(changedFileSystem((fs) => ({
        stat: (path) =>
          path === folder ? Effect.map(fs.stat(path), (info) => ({ ...info, type: "File" })) : fs.stat(path)
      }))))
      assert(notFolder._tag === "FileWriteError")
      expect(notFolder.message).toBe(`${folder}: not a folder`)
      // Bad options are refused as a listing's bad request, before the folder is made.
      const refused = yield* Effect.flip(
        TrainingSet.pull({ modelId: MODEL, folder: Path.join(root, "x"), concurrency: 0 })
      ).pipe(Effect.provide(listing([])))
      assert(refused._tag === "InvalidRequestError")
      expect(refused.operation).toBe("list")
      expect(Fs.readdirSync(root).sort()).toEqual(["file", "pulled"])
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))))

  it.live("a pairs file that cannot be written fails the pull naming it, and leaves no temporary file", () =>
    Effect.gen(function*() {
      const { origin } = yield* host
      const root = tempRoot()
      const folder = Path.join(root, "pulled")
      // A folder where the pairs file goes: the rename onto it fails.
      Fs.mkdirSync(Path.join(folder, TrainingSet.PULL_PAIRS_FILE), { recursive: true })
      Fs.writeFileSync(Path.join(folder, TrainingSet.PULL_PAIRS_FILE, "inside"), "")
      const error = yield* Effect.flip(TrainingSet.pull({ modelId: MODEL, folder })).pipe(
        Effect.provide(listing([{ id: "img_ok", name: "ok.png", url: `${origin}/ok/50` }]))
      )
      assert(error._tag === "FileWriteError")
      expect(error.message).toBe(`${Path.join(folder, TrainingSet.PULL_PAIRS_FILE)}: could not be written`)
      expect(Fs.readdirSync(folder).filter((name) => name.endsWith(".partial"))).toEqual([])
      expect(Fs.readdirSync(folder).sort()).toEqual(
        [TrainingSet.PULL_PAIRS_FILE, TrainingSet.PULL_STATE_FILE, "ok.png"].sort()
      )
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))))
})

describe("TrainingSet.pull: the state it finds and writes", () => {
  it.live("a state of another model, or one that does not decode, is not trusted: the file is compared with a download", () =>
    Effect.gen(function*() {
      const { origin } = yield* host
      const root = tempRoot()
      const folder = Path.join(root, "pulled")
      Fs.mkdirSync(folder)
      Fs.writeFileSync(Path.join(folder, "a.png"), "other bytes")
      Fs.writeFileSync(Path.join(folder, "b.png"), bytesOf(30))
      Fs.mkdirSync(Path.join(folder, "c.png"))
      const images = [
        { id: "img_a", name: "a.png", url: `${origin}/ok/20` },
        { id: "img_b", name: "b.png", url: `${origin}/ok/30` },
        { id: "img_c", name: "c.png", url: `${origin}/ok/40` }
      ]
      const reasons = (report: TrainingSet.PullReport) =>
        report.results.map((result) =>
          result.outcome._tag === "Failed" && result.outcome.error._tag === "FileExistsError"
            ? result.outcome.error.reason
            : result.outcome._tag
        )
      // Written for another model, naming these very ids: a state of this model would call `a.png` changed.
      const sha = "0".repeat(64)
      Fs.writeFileSync(
        Path.join(folder, TrainingSet.PULL_STATE_FILE),
        JSON.stringify({
          modelId: "model_other",
          images: {
            "a.png": { sha256: sha, trainingImageId: "img_a" },
            "b.png": { sha256: sha, trainingImageId: "img_b" }
          }
        })
      )
      const other = yield* TrainingSet.pull({ modelId: MODEL, folder }).pipe(Effect.provide(listing(images)))
      expect(reasons(other)).toEqual(["differs", "Unchanged", "not-a-file"])
      Fs.writeFileSync(Path.join(folder, TrainingSet.PULL_STATE_FILE), "{ not json")
      const garbled = yield* TrainingSet.pull({ modelId: MODEL, folder }).pipe(Effect.provide(listing(images)))
      expect(reasons(garbled)).toEqual(["differs", "Unchanged", "not-a-file"])
      // Forced: the file of other bytes is written over; a folder in the way stays.
      const forced = yield* TrainingSet.pull({ modelId: MODEL, folder, force: true }).pipe(
        Effect.provide(listing(images))
      )
      expect(reasons(forced)).toEqual(["Written", "Unchanged", "not-a-file"])
      // A file the state knows that can no longer be read fails on its own, naming it.
      const target = Path.join(folder, "b.png")
      const denied = yield* TrainingSet.pull({ modelId: MODEL, folder }).pipe(
        Effect.provide(listing(images)),
        Effect.provide(changedFileSystem((fs) => ({
          readFile: (path) =>
            path === target
              ? Effect.fail(
                new PlatformError.SystemError({
                  reason: "PermissionDenied",
                  module: "FileSystem",
                  method: "readFile",
                  pathOrDescriptor: path
                })
              )
              : fs.readFile(path)
        })))
      )
      const failed = denied.results[1]!.outcome
      assert(failed._tag === "Failed" && failed.error._tag === "FileWriteError")
      expect(failed.error.message).toBe(`${target}: could not be read`)
      expect(denied.results[0]!.outcome._tag).toBe("Unchanged")
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))))

  it.live("the state is written every 50 images as they end, once more when they have all ended, and at the end", () =>
    Effect.gen(function*() {
      const { origin } = yield* host
      const root = tempRoot()
      const folder = Path.join(root, "pulled")
      const statePath = Path.join(folder, TrainingSet.PULL_STATE_FILE)
      const images = Array.from({ length: 50 }, (_, index) => ({
        id: `img_${index}`,
        name: `${index}.png`,
        url: `${origin}/ok/${20 + index}`
      }))
      let writes = 0
      const report = yield* TrainingSet.pull({ modelId: MODEL, folder, concurrency: 8 }).pipe(
        Effect.provide(listing(images)),
        Effect.provide(changedFileSystem((fs) => ({
          rename: (from, to) =>
            Effect.zipLeft(fs.rename(from, to), Effect.sync(() => void (to === statePath && writes++)))
        })))
      )
      expect(report.results.every((result) => result.outcome._tag === "Written")).toBe(true)
      expect(writes).toBe(3)
      expect(Object.keys(JSON.parse(Fs.readFileSync(statePath, "utf8")).images).length).toBe(50)
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))))
})

describe("TrainingSet.fromModel: each name once, read when asked", () => {
  it.live("the first image of a name is its source; a read fails as an ImageSourceError naming the URL without its query", () =>
    Effect.gen(function*() {
      const { origin } = yield* host
      const images = [
        { id: "img_1", name: "dup.png", url: `${origin}/ok/30` },
        { id: "img_2", name: "dup.png", url: `${origin}/ok/34` },
        { id: "img_3", name: "big.png", url: `${origin}/ok/50` },
        { id: "img_4", name: "gone.png", url: `${origin}/status/404?signature=secret` },
        { id: "img_5", name: "hang.png", url: `${origin}/hang` }
      ]
      const { images: sources, pairs } = yield* TrainingSet.fromModel(MODEL, {
        maxImageBytes: 40,
        timeout: "200 millis"
      }).pipe(Effect.provide(listing(images, [{ sourceId: "img_2", targetId: "img_3" }])))
      expect(sources.map((source) => [source.name, source.path])).toEqual([
        ["dup.png", `${origin}/ok/30`],
        ["big.png", `${origin}/ok/50`],
        ["gone.png", `${origin}/status/404`],
        ["hang.png", `${origin}/hang`]
      ])
      expect(pairs).toEqual([{ source: "dup.png", target: "big.png" }])
      expect([...(yield* sources[0]!.read)]).toEqual([...bytesOf(30)])
      const failures = yield* Effect.forEach(sources.slice(1), (source) => Effect.flip(source.read))
      expect(failures.map((error) => [error._tag, error.path])).toEqual([
        ["ImageSourceError", `${origin}/ok/50`],
        ["ImageSourceError", `${origin}/status/404`],
        ["ImageSourceError", `${origin}/hang`]
      ])
      expect(failures[0]!.reason).toContain("40")
      expect(failures[1]!.reason).toContain("404")
      expect(failures.map((error) => error.reason).join("\n")).not.toContain("secret")
      expect(new Set(failures.map((error) => error.reason)).size).toBe(3)
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))))
})

describe("TrainingSet.pull: the size cap counts every piece", () => {
  it.live("a body without a length whose pieces are each under the cap but together over it is too large", () =>
    Effect.gen(function*() {
      const { origin } = yield* host
      const root = tempRoot()
      const folder = Path.join(root, "pulled")
      const images = [
        { id: "img_paced_over", name: "paced-over.png", url: `${origin}/paced/150` },
        { id: "img_paced_under", name: "paced-under.png", url: `${origin}/paced/90` }
      ]
      const report = yield* TrainingSet.pull({ modelId: MODEL, folder, maxImageBytes: 100 }).pipe(
        Effect.provide(listing(images))
      )
      const [over, under] = report.results
      assert(over !== undefined && over.outcome._tag === "Failed" && over.outcome.error._tag === "DownloadError")
      expect(over.outcome.error.reason).toBe("too-large")
      expect(Fs.existsSync(Path.join(folder, "paced-over.png"))).toBe(false)
      // Under the cap, the pieces are put together in their order.
      assert(under !== undefined && under.outcome._tag === "Written")
      expect(under.outcome.bytes).toBe(90)
      expect([...Fs.readFileSync(Path.join(folder, "paced-under.png"))]).toEqual([...bytesOf(90)])
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))))
})

describe("TrainingSet.pull: the files it finds", () => {
  const reasonOf = (result: TrainingSet.PullResult) =>
    result.outcome._tag === "Failed" && result.outcome.error._tag === "FileExistsError"
      ? result.outcome.error.reason
      : result.outcome._tag

  it.live("a file of the image's size but other bytes, which no state knows, differs: left as it is unless forced", () =>
    Effect.gen(function*() {
      const { origin } = yield* host
      const root = tempRoot()
      const folder = Path.join(root, "pulled")
      Fs.mkdirSync(folder)
      const other = new Uint8Array(40).fill(7)
      Fs.writeFileSync(Path.join(folder, "same-size.png"), other)
      const images = [{ id: "img_same_size", name: "same-size.png", url: `${origin}/ok/40` }]
      const kept = yield* TrainingSet.pull({ modelId: MODEL, folder }).pipe(Effect.provide(listing(images)))
      expect(kept.results.map(reasonOf)).toEqual(["differs"])
      expect([...Fs.readFileSync(Path.join(folder, "same-size.png"))]).toEqual([...other])
      const forced = yield* TrainingSet.pull({ modelId: MODEL, folder, force: true }).pipe(
        Effect.provide(listing(images))
      )
      expect(forced.results.map(reasonOf)).toEqual(["Written"])
      expect([...Fs.readFileSync(Path.join(folder, "same-size.png"))]).toEqual([...bytesOf(40)])
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))))

  it.live(
    "a file the state knows that is now over a lowered cap is never read: it is reported changed and left as it is",
    () =>
      Effect.gen(function*() {
        const { origin } = yield* host
        const root = tempRoot()
        const folder = Path.join(root, "pulled")
        const images = [
          { id: "img_at_cap", name: "at-cap.png", url: `${origin}/ok/50` },
          { id: "img_over_cap", name: "over-cap.png", url: `${origin}/ok/60` }
        ]
        const first = yield* TrainingSet.pull({ modelId: MODEL, folder }).pipe(Effect.provide(listing(images)))
        expect(first.results.map(reasonOf)).toEqual(["Written", "Written"])
        const read: Array<string> = []
        const rerun = yield* TrainingSet.pull({ modelId: MODEL, folder, maxImageBytes: 50 }).pipe(
          Effect.provide(listing(images)),
          Effect.provide(changedFileSystem((fs) => ({
            readFile: (path) =>
              Effect.zipRight(Effect.sync(() => void read.push(Path.basename(path))), fs.readFile(path))
          })))
        )
        // At the cap it is read and found whole; over it, it is not read (a pull holds at most the cap in memory).
        expect(rerun.results.map(reasonOf)).toEqual(["Unchanged", "changed"])
        expect(read).toEqual(["at-cap.png"])
        expect([...Fs.readFileSync(Path.join(folder, "over-cap.png"))]).toEqual([...bytesOf(60)])
        Fs.rmSync(root, { recursive: true })
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici)))
  )

  it.live(
    "a link put under an image's temporary name after its remove (another process's) is never written through",
    () =>
      Effect.gen(function*() {
        const { origin } = yield* host
        const root = tempRoot()
        const folder = Path.join(root, "pulled")
        const outside = Path.join(root, "outside")
        Fs.writeFileSync(outside, "not to be touched")
        let raced = false
        const report = yield* TrainingSet.pull({ modelId: MODEL, folder }).pipe(
          Effect.provide(listing([{ id: "img_ok", name: "ok.png", url: `${origin}/ok/50` }])),
          Effect.provide(changedFileSystem((fs) => ({
            remove: (path, options) =>
              Path.basename(path).startsWith(".scenario-pull-") && !raced
                ? Effect.zipRight(
                  fs.remove(path, options).pipe(Effect.ignore),
                  Effect.sync(() => {
                    raced = true
                    Fs.symlinkSync(outside, path)
                  })
                )
                : fs.remove(path, options)
          })))
        )
        expect(raced).toBe(true)
        const [result] = report.results
        assert(
          result !== undefined && result.outcome._tag === "Failed" && result.outcome.error._tag === "FileWriteError"
        )
        expect(result.outcome.error.message).toBe(`${Path.join(folder, "ok.png")}: could not be written`)
        expect(Fs.readFileSync(outside, "utf8")).toBe("not to be touched")
        expect(Fs.existsSync(Path.join(folder, "ok.png"))).toBe(false)
        expect(Fs.readdirSync(folder).filter((name) => name.endsWith(".partial"))).toEqual([])
        Fs.rmSync(root, { recursive: true })
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici)))
  )
})

describe("TrainingSet.pull: images at once", () => {
  it.live(
    "`concurrency` images are downloaded at once: a host that answers only when two requests wait answers them",
    () =>
      Effect.gen(function*() {
        const { origin } = yield* host
        const root = tempRoot()
        const folder = Path.join(root, "pulled")
        const images = [
          { id: "img_gate_1", name: "gate-1.png", url: `${origin}/gate/2` },
          { id: "img_gate_2", name: "gate-2.png", url: `${origin}/gate/2` }
        ]
        // The timeout only ends a pull that would download one at a time (the first would wait for ever).
        const report = yield* TrainingSet.pull({ modelId: MODEL, folder, concurrency: 2, timeout: "20 seconds" }).pipe(
          Effect.provide(listing(images))
        )
        expect(report.results.map((result) => [result.name, result.outcome._tag])).toEqual([
          ["gate-1.png", "Written"],
          ["gate-2.png", "Written"]
        ])
        Fs.rmSync(root, { recursive: true })
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(NodeContext.layer, NodeHttpClient.layerUndici))),
    120_000
  )
})

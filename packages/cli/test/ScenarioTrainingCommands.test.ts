import { ScenarioTraining } from "@effect-scenario/cli"
import { TrainingImage } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { makeFolder, MODEL, withEmulator, writes } from "./harness.js"

/** The lines a run printed on stdout, its `Done:` line's time left out (a time is never asserted). */
const linesOf = (out: string) => out.split("\n").map((line) => line.replace(/ in \d+\.\d s$/, " in _ s"))

const twoImages = {
  trainingImages: [{ id: "asset_a", name: "a\u001b[2J.png" }, { id: "asset_b", name: "b.png" }],
  pairs: [{ sourceId: "asset_a", targetId: "asset_b" }]
}

describe("scenario-training list", () => {
  it.live("one line per image (id, a tab, its name escaped), then the counts and the model's status", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        yield* emulator.seed({ [MODEL]: twoImages })
        const listed = yield* run(["list", "--model", MODEL])
        expect(listed).toEqual({
          code: 0,
          out: "asset_a\ta\\x1b[2J.png\nasset_b\tb.png\n2 training images, 1 pair (model status: new)",
          err: ""
        })
        yield* emulator.seed({
          [MODEL]: {
            trainingImages: [{ id: "asset_a", name: "a.png" }],
            pairs: [{ sourceId: "asset_a", targetId: "asset_a" }, { sourceId: "asset_a", targetId: "asset_a" }]
          }
        })
        expect((yield* run(["list", "--model", MODEL])).out.split("\n")).toEqual([
          "asset_a\ta.png",
          "1 training image, 2 pairs (model status: new)"
        ])
        yield* emulator.seed({ [MODEL]: { trainingImages: [], pairs: [] } })
        expect((yield* run(["list", "--model", MODEL])).out).toBe("0 training images, 0 pairs (model status: new)")
      })
    ))

  it.live("--json: the listing as the API's shape, alone on stdout", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        yield* emulator.seed({ [MODEL]: twoImages })
        const listed = yield* run(["list", "--model", MODEL, "--json"])
        expect(listed.code).toBe(0)
        expect(listed.err).toBe("")
        const decoded = Schema.decodeUnknownSync(TrainingImage.ModelTrainingImages)(JSON.parse(listed.out))
        expect(decoded.modelId).toBe(MODEL)
        expect(decoded.trainingImages.map((image) => [image.id, image.name])).toEqual([
          ["asset_a", "a\u001b[2J.png"],
          ["asset_b", "b.png"]
        ])
        expect(decoded.trainingImagePairs).toEqual([{ sourceId: "asset_a", targetId: "asset_b" }])
      })
    ))

  it.live("a model the server does not know: its answer on one line, exit 1", () =>
    withEmulator(({ run }) =>
      Effect.gen(function*() {
        const listed = yield* run(["list", "--model", "model_nope"])
        expect(listed.code).toBe(1)
        expect(listed.out).toBe("")
        expect(listed.err).toMatch(
          /^error: GET http:\/\/127\.0\.0\.1:\d+\/v1\/models\/model_nope failed with 404 Not Found: .*model_nope/
        )
        expect(listed.err.split("\n").length).toBe(1)
      })
    ))
})

describe("scenario-training add, replace, delete, pairs", () => {
  it.live("add: what it added, what was already there (by name, with its id), the totals", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(2)
        const [first, second] = [Path.join(images, "img-0.png"), Path.join(images, "img-1.png")]
        const added = yield* run(["add", first, second, "--model", MODEL])
        expect(added.code).toBe(0)
        expect(added.err).toBe("")
        // The adds run at once: a line comes as its add completes, and the server numbers
        // the images in the order they arrive. Each line names the id the server holds under that name.
        const held = (yield* emulator.snapshot).models[MODEL]!.trainingImages
        const idOf = (name: string) => held.find((image) => image.name === name)!.id
        expect(held.map((image) => image.id).sort()).toEqual(["asset_test_000001", "asset_test_000002"])
        const lines = linesOf(added.out)
        expect(lines.slice(0, 2).sort()).toEqual([
          `added img-0.png (${idOf("img-0.png")})`,
          `added img-1.png (${idOf("img-1.png")})`
        ])
        expect(lines.slice(2)).toEqual(["Done: 2 succeeded, 0 failed, 0 unchanged in _ s"])
        const again = yield* run(["add", first, "--model", MODEL])
        expect(again.code).toBe(0)
        expect(linesOf(again.out)).toEqual([
          `img-0.png is already on the model (${idOf("img-0.png")})`,
          "Done: 0 succeeded, 0 failed, 1 unchanged in _ s"
        ])
        // Under --json, stdout is the JSON alone.
        const json = yield* run(["add", first, "--model", MODEL, "--json"])
        expect(json.code).toBe(0)
        const output = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(json.out))
        expect(output.totals).toEqual({ planned: 0, succeeded: 0, reconciled: 0, failed: 0, unchanged: 1 })
        expect(json.err).toBe("")
        expect((yield* emulator.snapshot).models[MODEL]!.trainingImages.map((image) => image.name).sort()).toEqual([
          "img-0.png",
          "img-1.png"
        ])
      })
    ))

  it.live("replace: the image's content sent under the file's name; delete: each id", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(2)
        yield* emulator.seed({ [MODEL]: twoImages })
        const replaced = yield* run(["replace", "asset_b", Path.join(images, "img-1.png"), "--model", MODEL])
        expect(replaced.code).toBe(0)
        expect(linesOf(replaced.out)).toEqual([
          "replaced img-1.png (asset_b)",
          "Done: 1 succeeded, 0 failed, 0 unchanged in _ s"
        ])
        const sent = (yield* emulator.requests).filter((request) => request.method !== "GET")
        expect(sent.map((request) => [request.method, request.path])).toEqual([
          ["PUT", `/v1/models/${MODEL}/training-images/asset_b`]
        ])
        const deleted = yield* run(["delete", "asset_a", "asset_b", "--model", MODEL, "--concurrency", "1"])
        expect(deleted.code).toBe(0)
        expect(linesOf(deleted.out)).toEqual([
          "deleted asset_a (asset_a)",
          "deleted asset_b (asset_b)",
          "Done: 2 succeeded, 0 failed, 0 unchanged in _ s"
        ])
        expect((yield* emulator.snapshot).models[MODEL]!.trainingImages).toEqual([])
      })
    ))

  it.live("--json: each command's report, with no state (none of them keeps one)", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        yield* emulator.seed({ [MODEL]: { ...twoImages, pairs: [] } })
        const file = Path.join(root, "pairs.json")
        Fs.writeFileSync(file, JSON.stringify([{ source: "b.png", target: "a\u001b[2J.png" }]))
        const report = (out: string) => Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(out)).report
        const paired = yield* run(["pairs", file, "--model", MODEL, "--json"])
        expect(paired.code).toBe(0)
        expect(report(paired.out)).toEqual({
          modelId: MODEL,
          results: [{
            item: { _tag: "SetPairs", pairs: [{ source: "b.png", target: "a\u001b[2J.png" }] },
            outcome: { _tag: "Succeeded", trainingImageIds: [], reconciled: false }
          }]
        })
        const replaced = yield* run(["replace", "asset_b", Path.join(images, "img-0.png"), "--model", MODEL, "--json"])
        expect(replaced.code).toBe(0)
        expect(report(replaced.out)).toEqual({
          modelId: MODEL,
          results: [{
            item: { _tag: "Replace", name: "img-0.png", trainingImageId: "asset_b" },
            outcome: { _tag: "Succeeded", trainingImageIds: ["asset_b"], reconciled: false }
          }]
        })
        const deleted = yield* run(["delete", "asset_a", "--model", MODEL, "--json"])
        expect(deleted.code).toBe(0)
        expect(report(deleted.out)).toEqual({
          modelId: MODEL,
          results: [{
            item: { _tag: "Delete", name: "asset_a", trainingImageId: "asset_a", reason: "not-in-set" },
            outcome: { _tag: "Succeeded", trainingImageIds: [], reconciled: false }
          }]
        })
      })
    ))

  it.live("pairs: the model's pairs replaced by the file's, by name", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.seed({ [MODEL]: { ...twoImages, pairs: [] } })
        const file = Path.join(root, "pairs.json")
        Fs.writeFileSync(file, JSON.stringify([{ source: "b.png", target: "a\u001b[2J.png", instruction: "go" }]))
        const set = yield* run(["pairs", file, "--model", MODEL])
        expect(set.code).toBe(0)
        expect(linesOf(set.out)).toEqual(["set 1 pair", "Done: 1 succeeded, 0 failed, 0 unchanged in _ s"])
        expect((yield* emulator.snapshot).models[MODEL]!.pairs).toEqual([
          { sourceId: "asset_b", targetId: "asset_a", instruction: "go" }
        ])
      })
    ))

  it.live("bad input is refused before any request, one line each, exit 2", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        const image = Path.join(images, "img-0.png")
        const missing = Path.join(images, "nope.png")
        Fs.writeFileSync(Path.join(root, "pairs.csv"), "a.png\n")
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
          [["add", missing], `${missing}: no such file or folder`],
          [["add", image, "--concurrency", "0"], "--concurrency must be a whole number of at least 1, got 0"],
          [["replace", "asset_b", missing], `${missing}: no such file or folder`],
          [
            ["replace", "asset_b", image, "--rate", "0"],
            "--rate must be a number of requests per second above 0, got 0"
          ],
          [["delete", "asset_a", "--rate", "0"], "--rate must be a number of requests per second above 0, got 0"],
          [["delete", "asset_a", "--concurrency", "0"], "--concurrency must be a whole number of at least 1, got 0"],
          [["pairs", Path.join(root, "nope.csv")], `the pairs file ${Path.join(root, "nope.csv")} could not be read`],
          [
            ["pairs", Path.join(root, "pairs.csv")],
            `${Path.join(root, "pairs.csv")}: line 1: expected source,target[,instruction]`
          ],
          [
            ["pairs", Path.join(root, "pairs.csv"), "--concurrency", "0"],
            "--concurrency must be a whole number of at least 1, got 0"
          ]
        ]
        for (const [args, line] of cases) {
          const refused = yield* run([...args, "--model", MODEL])
          expect(refused, args.join(" ")).toEqual({ code: 2, out: "", err: `error: ${line}` })
        }
        expect((yield* emulator.requests).length).toBe(0)
        // And the same image twice is one image.
        const twice = yield* run(["add", image, image, "--model", MODEL])
        expect(twice.code).toBe(0)
        expect(yield* writes(emulator)).toBe(1)
      })
    ))
})

import { ScenarioTraining } from "@effect-scenario/cli"
import { TrainingSet } from "@effect-scenario/core"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Schedule, Schema } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { cli, makeFolder, MODEL, png, withEmulator, writes } from "./harness.js"

describe("scenario-training sync: --state is checked before anything is read or sent", () => {
  it.live("a folder, a missing folder, a file as its folder, a state this command did not write: exit 2", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        const file = Path.join(root, "file")
        Fs.writeFileSync(file, "x")
        const garbage = Path.join(root, "garbage.json")
        Fs.writeFileSync(garbage, "{\"not\": \"a state\"}")
        const cases: ReadonlyArray<readonly [string, string]> = [
          [root, `--state ${root}: a folder, not a file`],
          [
            Path.join(root, "nope", "state.json"),
            `--state ${Path.join(root, "nope", "state.json")}: its folder ${Path.join(root, "nope")} does not exist`
          ],
          [Path.join(file, "state.json"), `--state ${Path.join(file, "state.json")}: ${file} is not a folder`],
          [garbage, `the state file ${garbage} is not a state this command wrote`]
        ]
        for (const [state, line] of cases) {
          const refused = yield* run(["sync", images, "--model", MODEL, "--state", state])
          expect(refused, state).toEqual({ code: 2, out: "", err: `error: ${line}` })
        }
        expect((yield* emulator.requests).length).toBe(0)
      })
    ))

  it.live("a state of another model says nothing about this one", () =>
    withEmulator(({ run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        const state = Path.join(root, "state.json")
        expect((yield* run(["sync", images, "--model", MODEL, "--state", state])).code).toBe(0)
        const written = Schema.decodeUnknownSync(Schema.parseJson(TrainingSet.State))(Fs.readFileSync(state, "utf8"))
        expect(Object.keys(written.images)).toEqual(["img-0.png"])
        Fs.writeFileSync(Path.join(images, "img-0.png"), png(77))
        const changed = yield* run(["sync", images, "--model", MODEL, "--state", state, "--dry-run"])
        expect(changed.out).toContain("0 to add, 1 to replace, 0 to delete, 0 unchanged")
        Fs.writeFileSync(state, Fs.readFileSync(state, "utf8").replace(`"${MODEL}"`, "\"model_other\""))
        const other = yield* run(["sync", images, "--model", MODEL, "--state", state, "--dry-run"])
        expect(other.out).toContain("0 to add, 0 to replace, 0 to delete, 1 unchanged")
      })
    ))
})

describe("scenario-training sync: what it says", () => {
  it.live("--delete: how many it deletes first; --dry-run --json: the plan alone, its deletes only with --delete", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        const old = [{ id: "asset_o1", name: "o1.png" }, { id: "asset_o2", name: "o2.png" }]
        yield* emulator.seed({ [MODEL]: { trainingImages: old } })
        const dry = yield* run(["sync", images, "--model", MODEL, "--dry-run", "--json"])
        expect(dry.code).toBe(0)
        expect(dry.err).toBe("")
        expect(Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(dry.out)).items).toEqual([
          { _tag: "Add", name: "img-0.png" }
        ])
        const dryDelete = yield* run(["sync", images, "--model", MODEL, "--dry-run", "--delete"])
        expect(dryDelete.out.split("\n")).toEqual([
          `Plan for ${MODEL}: 1 to add, 0 to replace, 2 to delete, 0 unchanged (dry run: nothing sent)`,
          "  add img-0.png",
          "  delete o1.png (asset_o1)",
          "  delete o2.png (asset_o2)"
        ])
        expect(yield* writes(emulator)).toBe(0)
        const json = yield* run(["sync", images, "--model", MODEL, "--delete", "--json"])
        expect(json.code).toBe(0)
        expect(json.err.split("\n")).toEqual([
          `Plan for ${MODEL}: 1 to add, 0 to replace, 2 to delete, 0 unchanged`,
          "Deleting 2 training images not in the folder"
        ])
        const output = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(json.out))
        expect(output.totals).toEqual({
          planned: 3,
          succeeded: 3,
          reconciled: 0,
          failed: 0,
          unchanged: 0,
          notInFolder: 0
        })
        expect((yield* emulator.snapshot).models[MODEL]!.trainingImages.map((image) => image.name)).toEqual([
          "img-0.png"
        ])
      })
    ))

  it.live("of two 429s asking to wait past the cap, the rerun line names the longest wait", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(2)
        yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: "3 hours" }), { operation: "add" })
        yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: "2 hours" }), { operation: "add" })
        const result = yield* run(["sync", images, "--model", MODEL, "--concurrency", "1"])
        expect(result.code).toBe(1)
        expect(result.err.split("\n").length).toBe(2)
        expect(result.out).toMatch(/^Done: 0 succeeded, 2 failed, 0 unchanged in \d+\.\d s$/m)
        expect(result.out).toMatch(/^The server asked to wait 3h: rerun after (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\.$/m)
      })
    ))
})

describe("scenario-training: where it sends", () => {
  it.live("--base-url wins over SCENARIO_SDK_BASE_URL", () =>
    withEmulator(({ emulator, env }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        const result = yield* cli(["sync", images, "--model", MODEL, "--base-url", emulator.baseUrl], {
          ...env,
          SCENARIO_SDK_BASE_URL: "http://127.0.0.1:9/v1"
        })
        expect(result.code).toBe(0)
        expect(result.out).toContain("Done: 1 succeeded, 0 failed")
      })
    ))

  it.effect("a base URL that is not one: the configuration's error, exit 1, nothing read", () =>
    Effect.gen(function*() {
      const { images } = makeFolder(1)
      const result = yield* cli(["sync", images, "--model", MODEL], {
        SCENARIO_SDK_API_KEY: ScenarioEmulator.DEFAULT_API_KEY,
        SCENARIO_SDK_API_SECRET: ScenarioEmulator.DEFAULT_API_SECRET,
        SCENARIO_SDK_BASE_URL: "not a url"
      })
      expect(result.code).toBe(1)
      expect(result.out).toBe("")
      expect(result.err).toMatch(/^error: invalid configuration: \S/)
      expect(result.err.split("\n").length).toBe(1)
    }))

  it.effect("--emulator: the embedded emulator holds the models named, empty; its address on stderr", () =>
    Effect.gen(function*() {
      const listed = yield* cli(["list", "--model", "model_demo", "--emulator"], {})
      expect(listed.code).toBe(0)
      expect(listed.out).toBe("0 training images, 0 pairs (model status: new)")
      expect(listed.err).toMatch(
        /^embedded emulator: http:\/\/127\.0\.0\.1:\d+\/v1 \(inspector: http:\/\/127\.0\.0\.1:\d+\/\)$/
      )
      const copied = yield* cli(["copy", "--from", "model_a", "--to", "model_b", "--emulator", "--json"], {})
      expect(copied.code).toBe(0)
      expect(Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(copied.out)).totals.planned).toBe(0)
    }))
})

describe("scenario-training sync: more of what it says", () => {
  it.live("an add of unknown outcome found on the model: counted as reconciled", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.failNext(1, Fault.serverError(503, { afterApply: true }), { operation: "add" })
        const result = yield* run(["sync", images, "--model", MODEL])
        expect(result.code).toBe(0)
        expect(result.out).toMatch(/^Done: 1 succeeded \(1 reconciled\), 0 failed, 0 unchanged in \d+\.\d s$/m)
        yield* emulator.seed({ [MODEL]: { trainingImages: [] } })
        yield* emulator.failNext(1, Fault.serverError(503, { afterApply: true }), { operation: "add" })
        const json = yield* run(["sync", images, "--model", MODEL, "--json"])
        const output = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(json.out))
        expect(output.totals).toMatchObject({ planned: 1, succeeded: 1, reconciled: 1, failed: 0 })
      })
    ))

  it.live("names the model holds twice are counted, and what removes them", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.seed({
          [MODEL]: {
            trainingImages: [
              { id: "asset_d1", name: "img-0.png" },
              { id: "asset_d2", name: "img-0.png" },
              { id: "asset_d3", name: "img-0.png" }
            ]
          }
        })
        const result = yield* run(["sync", images, "--model", MODEL])
        expect(result.code).toBe(0)
        expect(result.out.split("\n")).toContain(
          "2 training images hold a name another one holds too: left as they are (--delete removes them)"
        )
        const deleted = yield* run(["sync", images, "--model", MODEL, "--delete"])
        expect(deleted.out.split("\n")).toContain("Deleting 2 training images not in the folder")
        expect((yield* emulator.snapshot).models[MODEL]!.trainingImages.length).toBe(1)
      })
    ))

  it.live("-r, --include and --exclude choose the images", () =>
    withEmulator(({ names, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(2)
        Fs.mkdirSync(Path.join(images, "sub"))
        Fs.writeFileSync(Path.join(images, "sub", "deep.png"), png(40))
        Fs.writeFileSync(Path.join(images, "sub", "other.png"), png(41))
        const flat = yield* run(["sync", images, "--model", MODEL, "--dry-run"])
        expect(flat.out).toContain("2 to add")
        const result = yield* run([
          "sync",
          images,
          "--model",
          MODEL,
          "-r",
          "--include",
          "sub/**",
          "--include",
          "img-0.png",
          "--exclude",
          "**/other.png"
        ])
        expect(result.code).toBe(0)
        expect((yield* names).sort()).toEqual(["img-0.png", "sub/deep.png"])
      })
    ))

  it.live("a valid --rate and --concurrency 1 run; an infinite rate is refused", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        const refused = yield* run(["sync", images, "--model", MODEL, "--rate", "Infinity"])
        expect(refused).toEqual({
          code: 2,
          out: "",
          err: "error: --rate must be a number of requests per second above 0, got Infinity"
        })
        expect((yield* emulator.requests).length).toBe(0)
        const ran = yield* run(["sync", images, "--model", MODEL, "--rate", "0.5", "--concurrency", "1"])
        expect(ran.code).toBe(0)
        expect(ran.out).toContain("Done: 1 succeeded, 0 failed")
      })
    ))

  it.live("add: two files of one name are refused, naming both; one file named twice is one", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        for (const sub of ["a", "b"]) {
          Fs.mkdirSync(Path.join(root, sub))
          Fs.writeFileSync(Path.join(root, sub, "x.png"), png(sub === "a" ? 1 : 2))
        }
        const [a, b] = [Path.join(root, "a", "x.png"), Path.join(root, "b", "x.png")]
        const refused = yield* run(["add", a, b, "--model", MODEL])
        expect(refused).toEqual({
          code: 2,
          out: "",
          err: `error: ${a} and ${b} have the same name, x.png: training images are matched by name, so only one ` +
            "would be added; rename one"
        })
        expect((yield* emulator.requests).length).toBe(0)
        const same = yield* run(["add", a, Path.join(root, "b", "..", "a", "x.png"), "--model", MODEL])
        expect(same.code).toBe(0)
        expect(yield* writes(emulator)).toBe(1)
      })
    ))
})

describe("scenario-training sync: Ctrl-C in-process", () => {
  it.live("while listing: nothing was changed", () =>
    withEmulator(({ emulator, env }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.failNext(1, Fault.delay("30 seconds"), { operation: "list" })
        const sink = { out: [] as Array<string>, err: [] as Array<string> }
        const fiber = yield* Effect.fork(cli(["sync", images, "--model", MODEL], env, sink))
        yield* Effect.retry(
          Effect.flatMap(emulator.faultCounts, (counts) => (counts["delay"] ?? 0) > 0 ? Effect.void : Effect.fail(0)),
          Schedule.spaced("20 millis")
        )
        yield* Fiber.interrupt(fiber)
        expect(sink).toEqual({ out: [], err: ["Interrupted while planning (listing the model): nothing was changed."] })
        expect(yield* writes(emulator)).toBe(0)
      })
    ))

  it.live("while sending: what was done, and the state so far written", () =>
    withEmulator(({ emulator, env }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(3)
        const state = Path.join(root, "state.json")
        // The first add is answered at once, the second one hangs: interrupted once the first is done.
        yield* emulator.failNext(1, Fault.delay("0 millis"), { operation: "add" })
        yield* emulator.failNext(1, Fault.delay("30 seconds"), { operation: "add" })
        const sink = { out: [] as Array<string>, err: [] as Array<string> }
        const fiber = yield* Effect.fork(
          cli(["sync", images, "--model", MODEL, "--concurrency", "1", "--state", state], env, sink)
        )
        yield* Effect.retry(
          Effect.flatMap(emulator.faultCounts, (counts) => (counts["delay"] ?? 0) > 1 ? Effect.void : Effect.fail(0)),
          Schedule.spaced("20 millis")
        )
        yield* Fiber.interrupt(fiber)
        expect(sink.err).toEqual([
          "Interrupted: 1 succeeded, 0 failed, 2 not done of 3; a rerun resumes where this one stopped."
        ])
        const written = Schema.decodeUnknownSync(Schema.parseJson(TrainingSet.State))(Fs.readFileSync(state, "utf8"))
        expect(Object.keys(written.images)).toEqual(["img-0.png"])
      })
    ))
})

describe("scenario-training sync: every line", () => {
  it.live("a dry run, then the run: the plan, what it leaves, each image sent, the totals", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(2)
        yield* emulator.seed({
          [MODEL]: { trainingImages: [{ id: "asset_k", name: "img-0.png" }, { id: "asset_o", name: "old.png" }] }
        })
        const left = "1 training image on the model is not in the folder: left as it is (--delete removes it)"
        const dry = yield* run(["sync", images, "--model", MODEL, "--dry-run"])
        expect(dry).toEqual({
          code: 0,
          out: [
            `Plan for ${MODEL}: 1 to add, 0 to replace, 0 to delete, 1 unchanged (dry run: nothing sent)`,
            "  add img-1.png",
            left
          ].join("\n"),
          err: ""
        })
        const before = Date.now()
        const synced = yield* run(["sync", images, "--model", MODEL])
        const took = (Date.now() - before) / 1000
        expect(synced.code).toBe(0)
        expect(synced.err).toBe("")
        const lines = synced.out.split("\n")
        expect(lines.slice(0, 3)).toEqual([
          `Plan for ${MODEL}: 1 to add, 0 to replace, 0 to delete, 1 unchanged`,
          left,
          "added img-1.png (asset_test_000001)"
        ])
        expect(lines.length).toBe(4)
        const done = /^Done: 1 succeeded, 0 failed, 1 unchanged in (\d+\.\d) s$/.exec(lines[3]!)
        expect(done).not.toBeNull()
        // The time it says is at most the time the run took (a consistency, not a timing).
        expect(Number(done![1])).toBeLessThanOrEqual(took + 0.05)
      })
    ))

  it.live("under --json, the time to rerun after is in the future by the wait asked", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: "2 hours" }), { operation: "add" })
        const before = Date.now()
        const json = yield* run(["sync", images, "--model", MODEL, "--json"])
        const after = Date.now()
        expect(json.code).toBe(1)
        const output = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(json.out))
        expect(output.success).toBe(false)
        const at = output.rerunAfter!.getTime()
        expect(at).toBeGreaterThanOrEqual(before + 2 * 3600_000)
        expect(at).toBeLessThanOrEqual(after + 2 * 3600_000)
      })
    ))

  it.live("a state file that cannot be written at the end: said, exit 1", () =>
    withEmulator(({ emulator, env }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        const state = Path.join(root, "state.json")
        yield* emulator.failNext(1, Fault.delay("500 millis"), { operation: "add" })
        const sink = { out: [] as Array<string>, err: [] as Array<string> }
        const fiber = yield* Effect.fork(cli(["sync", images, "--model", MODEL, "--state", state], env, sink))
        // Once the add has reached the emulator, a folder takes the state file's place.
        yield* Effect.retry(
          Effect.flatMap(emulator.faultCounts, (counts) => (counts["delay"] ?? 0) > 0 ? Effect.void : Effect.fail(0)),
          Schedule.spaced("20 millis")
        )
        Fs.mkdirSync(state)
        const ran = yield* Fiber.join(fiber)
        expect(ran.code).toBe(1)
        expect(sink.err.length).toBe(1)
        expect(ran.err).toMatch(new RegExp(`^error: the state file ${state} could not be written: \\S`))
      })
    ))
})

describe("scenario-training sync --pairs", () => {
  it.live("the pairs file's pairs set on the model by name; a bad one refused before any request", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(2)
        const bad = Path.join(root, "bad.csv")
        Fs.writeFileSync(bad, "img-0.png\n")
        const refused = yield* run(["sync", images, "--model", MODEL, "--pairs", bad])
        expect(refused).toEqual({
          code: 2,
          out: "",
          err: `error: ${bad}: line 1: expected source,target[,instruction]`
        })
        expect((yield* emulator.requests).length).toBe(0)
        const file = Path.join(root, "pairs.csv")
        Fs.writeFileSync(file, "img-1.png,img-0.png,swap\n")
        const synced = yield* run(["sync", images, "--model", MODEL, "--pairs", file])
        expect(synced.code).toBe(0)
        expect(synced.out.split("\n")[0]).toBe(
          `Plan for ${MODEL}: 2 to add, 0 to replace, 0 to delete, 0 unchanged, pairs to set`
        )
        const model = (yield* emulator.snapshot).models[MODEL]!
        const id = (name: string) => model.trainingImages.find((image) => image.name === name)!.id
        expect(model.pairs).toEqual([{ sourceId: id("img-1.png"), targetId: id("img-0.png"), instruction: "swap" }])
      })
    ))
})

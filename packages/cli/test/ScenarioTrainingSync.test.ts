import { ScenarioTraining } from "@effect-scenario/cli"
import { TrainingSet } from "@effect-scenario/core"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
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

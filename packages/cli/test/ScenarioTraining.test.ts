import { ScenarioTraining } from "@effect-scenario/cli"
import { TrainingSet } from "@effect-scenario/core"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schedule, Schema } from "effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import { binary, cli, makeFolder, MODEL, PNG, png, RAW_CONTROL, withEmulator, writes } from "./harness.js"

describe("scenario-training", () => {
  it.live("sync: dry run sends nothing; sync adds every image; a rerun changes nothing", () =>
    withEmulator(({ emulator, names, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(6)
        const dry = yield* run(["sync", images, "--model", MODEL, "--dry-run"])
        expect(dry.code).toBe(0)
        expect(dry.out).toContain("6 to add")
        expect(dry.out).toContain("add img-0.png")
        expect(yield* writes(emulator)).toBe(0)

        const dryJson = yield* run(["sync", images, "--model", MODEL, "--dry-run", "--json"])
        const plan = Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(dryJson.out))
        expect(plan.items.length).toBe(6)

        const synced = yield* run(["sync", images, "--model", MODEL, "--concurrency", "3"])
        expect(synced.code).toBe(0)
        expect(synced.out).toContain("Done: 6 succeeded, 0 failed")
        expect((yield* names).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `img-${i}.png`).sort())

        const before = yield* writes(emulator)
        const rerun = yield* run(["sync", images, "--model", MODEL, "--json"])
        expect(rerun.code).toBe(0)
        const report = Schema.decodeUnknownSync(TrainingSet.Report)(JSON.parse(rerun.out).report)
        expect(report.results.every((result) => result.outcome._tag === "Unchanged")).toBe(true)
        expect(yield* writes(emulator)).toBe(before)
      })
    ))

  it.live("--delete: nothing is deleted without it; with it, it says how many first", () =>
    withEmulator(({ emulator, names, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(2)
        yield* emulator.seed({ [MODEL]: { trainingImages: [{ id: "asset_old", name: "old.png" }] } })
        const kept = yield* run(["sync", images, "--model", MODEL])
        expect(kept.code).toBe(0)
        expect(yield* names).toContain("old.png")
        const deleted = yield* run(["sync", images, "--model", MODEL, "--delete"])
        expect(deleted.code).toBe(0)
        expect(deleted.out).toContain("Deleting 1 training image not in the folder")
        expect((yield* names).sort()).toEqual(["img-0.png", "img-1.png"])
      })
    ))

  it.live("--pairs from CSV and JSON; the single-operation commands", () =>
    withEmulator(({ emulator, names, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(3)
        const csv = Path.join(root, "pairs.csv")
        Fs.writeFileSync(csv, "source,target,instruction\nimg-0.png,img-1.png,\"make it blue, then red\"\n")
        const synced = yield* run(["sync", images, "--model", MODEL, "--pairs", csv])
        expect(synced.code).toBe(0)
        const model = (yield* emulator.snapshot).models[MODEL]!
        const id = (name: string) => model.trainingImages.find((image) => image.name === name)!.id
        expect(model.pairs).toEqual([
          { sourceId: id("img-0.png"), targetId: id("img-1.png"), instruction: "make it blue, then red" }
        ])
        const json = Path.join(root, "pairs.json")
        Fs.writeFileSync(json, JSON.stringify([{ source: "img-2.png", target: "img-0.png" }]))
        expect((yield* run(["pairs", json, "--model", MODEL])).code).toBe(0)
        expect((yield* emulator.snapshot).models[MODEL]!.pairs).toEqual([
          { sourceId: id("img-2.png"), targetId: id("img-0.png") }
        ])
        const badPairs = Path.join(root, "bad.csv")
        Fs.writeFileSync(badPairs, "img-0.png\n")
        const refused = yield* run(["sync", images, "--model", MODEL, "--pairs", badPairs])
        expect(refused.code).toBe(2)
        expect(refused.err).toBe(`error: ${badPairs}: line 1: expected source,target[,instruction]`)

        const listed = yield* run(["list", "--model", MODEL])
        expect(listed.out).toContain(`${id("img-0.png")}\timg-0.png`)
        const extra = Path.join(root, "extra.png")
        Fs.writeFileSync(extra, png(200))
        expect((yield* run(["add", extra, "--model", MODEL])).code).toBe(0)
        expect(yield* names).toContain("extra.png")
        expect((yield* run(["replace", id("img-1.png"), extra, "--model", MODEL])).code).toBe(0)
        expect((yield* run(["delete", id("img-2.png"), "--model", MODEL])).code).toBe(0)
        expect(yield* names).not.toContain("img-2.png")
        const gone = yield* run(["delete", "asset_nope", "--model", MODEL])
        expect(gone.code).toBe(1)
        expect(gone.err).toMatch(/^FAILED delete asset_nope \(asset_nope\): DELETE .* failed with 404 Not Found/)
      })
    ))

  it.live("a missing folder fails (exit 2); a non-image is skipped and an image over the limit is a planned failure, shown by --dry-run", () =>
    withEmulator(({ names, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(2)
        const missing = yield* run(["sync", Path.join(root, "nope"), "--model", MODEL])
        expect(missing.code).toBe(2)
        expect(missing.err).toBe(`error: ${Path.join(root, "nope")}: no such file or folder`)

        Fs.writeFileSync(Path.join(images, "notes.png"), "not an image at all")
        const big = new Uint8Array(8 * 1024 * 1024)
        big.set(PNG)
        Fs.writeFileSync(Path.join(images, "huge.png"), big)
        const dry = yield* run(["sync", images, "--model", MODEL, "--dry-run"])
        expect(dry.code).toBe(0)
        expect(dry.out.split("\n")).toEqual([
          `Plan for ${MODEL}: 2 to add, 0 to replace, 0 to delete, 0 unchanged, 1 skipped, 1 over the request limit (will fail) (dry run: nothing sent)`,
          "  add huge.png will fail: 8.0 MiB, a 10.7 MiB request, over the 10.0 MiB request limit: downscale it (--fit does) or exclude it",
          "  add img-0.png",
          "  add img-1.png",
          "  skip notes.png: not a PNG, JPEG, WebP or GIF image (judged by its first bytes)"
        ])
        const result = yield* run(["sync", images, "--model", MODEL])
        expect(result.code).toBe(1)
        const lines = result.err.split("\n")
        expect(lines.length).toBe(1)
        expect(lines[0]).toMatch(/^FAILED add huge\.png will fail: .*over the request limit of 10485760 bytes.*resize/)
        expect(result.out).toContain(
          "skipped notes.png: not a PNG, JPEG, WebP or GIF image (judged by its first bytes)"
        )
        expect(result.err).not.toMatch(/\n\s+at /)
        expect((yield* names).sort()).toEqual(["img-0.png", "img-1.png"])
      })
    ))

  it.live("--state: an image whose content changed is replaced", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(2)
        const state = Path.join(root, "state.json")
        expect((yield* run(["sync", images, "--model", MODEL, "--state", state])).code).toBe(0)
        Fs.writeFileSync(Path.join(images, "img-1.png"), png(99))
        const changed = yield* run(["sync", images, "--model", MODEL, "--state", state])
        expect(changed.out).toContain("1 to replace")
        expect(changed.out).toMatch(/replaced img-1\.png/)
        const model = (yield* emulator.snapshot).models[MODEL]!
        expect(model.trainingImages.length).toBe(2)
        const again = yield* run(["sync", images, "--model", MODEL, "--state", state, "--dry-run"])
        expect(again.out).toContain("0 to add, 0 to replace, 0 to delete, 2 unchanged")
      })
    ))

  it.live("add never adds a name twice; bad numbers are one line each", () =>
    withEmulator(({ names, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(2)
        const file = Path.join(images, "img-0.png")
        expect((yield* run(["add", file, "--model", MODEL])).code).toBe(0)
        const again = yield* run(["add", file, Path.join(images, "img-1.png"), "--model", MODEL])
        expect(again.code).toBe(0)
        expect(again.out).toMatch(/^img-0\.png is already on the model \(asset_/)
        expect((yield* names).sort()).toEqual(["img-0.png", "img-1.png"])
        const zero = yield* run(["sync", images, "--model", MODEL, "--concurrency", "0"])
        expect(zero.code).toBe(2)
        expect(zero.err).toBe("error: --concurrency must be a whole number of at least 1, got 0")
        const rate = yield* run(["sync", images, "--model", MODEL, "--rate", "-1"])
        expect(rate.err).toBe("error: --rate must be a number of requests per second above 0, got -1")
      })
    ))

  it.effect("--emulator runs against an embedded emulator; invalid arguments exit 2", () =>
    Effect.gen(function*() {
      const { images } = makeFolder(3)
      const result = yield* cli(["sync", images, "--model", "model_demo", "--emulator"], {})
      expect(result.code).toBe(0)
      expect(result.out).toContain("Done: 3 succeeded")
      expect(result.err).toMatch(
        /^embedded emulator: http:\/\/127\.0\.0\.1:\d+\/v1 \(inspector: http:\/\/127\.0\.0\.1:\d+\/\)$/m
      )
      const bad = yield* cli(["sync", images, "--model", "m", "--concurrency", "lots"], {})
      expect(bad.code).toBe(2)
    }))

  it.live(
    "Ctrl-C: the binary stops with 130, and a rerun completes the set without duplicates",
    () =>
      withEmulator(({ emulator, names, run }) =>
        Effect.gen(function*() {
          const { images } = makeFolder(20)
          yield* emulator.setFaults({ rate: 1, faults: [Fault.delay("300 millis")], operations: ["add"] })
          const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
          const { code, output } = yield* Effect.promise(() =>
            new Promise<{ code: number | null; output: string }>((resolve) => {
              const child = ChildProcess.spawn(
                process.execPath,
                ["--import", "tsx", bin, "sync", images, "--model", MODEL, "--concurrency", "2"],
                {
                  env: {
                    ...process.env,
                    SCENARIO_SDK_API_KEY: ScenarioEmulator.DEFAULT_API_KEY,
                    SCENARIO_SDK_API_SECRET: ScenarioEmulator.DEFAULT_API_SECRET,
                    SCENARIO_SDK_BASE_URL: emulator.baseUrl
                  },
                  stdio: ["ignore", "pipe", "pipe"]
                }
              )
              let output = ""
              let interrupted = false
              const onData = (chunk: Buffer) => {
                output += chunk
                if (!interrupted && (output.match(/^added /gm)?.length ?? 0) >= 4) {
                  interrupted = true
                  child.kill("SIGINT")
                }
              }
              child.stdout.on("data", onData)
              child.stderr.on("data", onData)
              child.on("exit", (code) => resolve({ code, output }))
            })
          )
          expect(code).toBe(130)
          expect(output).not.toMatch(/\n\s+at /)
          const partial = yield* names
          expect(partial.length).toBeGreaterThanOrEqual(4)
          expect(partial.length).toBeLessThan(20)
          yield* emulator.setFaults(undefined)
          const rerun = yield* run(["sync", images, "--model", MODEL])
          expect(rerun.code).toBe(0)
          const all = yield* names
          expect(all.length).toBe(20)
          expect(new Set(all).size).toBe(20)
        })
      ),
    120_000
  )

  it("the binary: exit code and one line, no stack trace", () => {
    const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
    const { images } = makeFolder(1)
    const env = { ...process.env }
    delete env.SCENARIO_SDK_API_KEY
    delete env.SCENARIO_SDK_API_SECRET
    const result = ChildProcess.spawnSync(process.execPath, ["--import", "tsx", bin, "sync", images, "--model", "m"], {
      env,
      encoding: "utf8",
      timeout: 60_000
    })
    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(`error: ${ScenarioTraining.MISSING_CREDENTIALS}`)
  }, 90_000)
})

describe("scenario-training: what reaches the terminal (the binary, piped)", () => {
  const FORGED = "ok\u001b[2K\rFAILED add real.png\u0007\n\u202egnp.png"
  const HOSTILE = "\u001b]0;owned\u0007\u001b[2J\u001b[32mAll 3 images synced\u001b[0m\u009b31m"

  it.live(
    "a file name with control characters is printed escaped, forges no line, and round-trips in --json",
    () =>
      withEmulator(({ env, names }) =>
        Effect.gen(function*() {
          const { images } = makeFolder(1)
          Fs.writeFileSync(Path.join(images, FORGED), png(7))
          const synced = yield* binary(["sync", images, "--model", MODEL], env)
          expect(synced.code).toBe(0)
          expect(synced.out + synced.err).not.toMatch(RAW_CONTROL)
          expect(synced.err).not.toContain("FAILED")
          expect(synced.out).toContain("added ok\\x1b[2K\\x0dFAILED add real.png\\x07\\x0a\\u202egnp.png (asset_")
          expect((yield* names).sort()).toEqual([FORGED, "img-0.png"].sort())

          const listed = yield* binary(["list", "--model", MODEL], env)
          expect(listed.out.replaceAll("\t", " ")).not.toMatch(RAW_CONTROL)
          expect(listed.out).toMatch(/^asset_\w+\tok\\x1b\[2K\\x0dFAILED add real\.png\\x07\\x0a\\u202egnp\.png$/m)

          const json = yield* binary(["sync", images, "--model", MODEL, "--json"], env)
          expect(json.out).not.toMatch(RAW_CONTROL)
          const report = Schema.decodeUnknownSync(TrainingSet.Report)(JSON.parse(json.out).report)
          expect(report.results.map((result) => "name" in result.item ? result.item.name : "").sort()).toEqual(
            [FORGED, "img-0.png"].sort()
          )
        })
      ),
    120_000
  )

  it.live(
    "a server message with escape sequences is printed escaped, in the lines and in --json",
    () =>
      withEmulator(({ emulator, env }) =>
        Effect.gen(function*() {
          const { images } = makeFolder(1)
          yield* emulator.setFaults({
            rate: 1,
            faults: [Fault.status(400, { body: { message: HOSTILE } })],
            operations: ["add"]
          })
          const failed = yield* binary(["sync", images, "--model", MODEL], env)
          expect(failed.code).toBe(1)
          expect(failed.out + failed.err).not.toMatch(RAW_CONTROL)
          expect(failed.err).toMatch(
            /^FAILED add img-0\.png: POST \S+ failed with 400 Bad Request: \\x1b\]0;owned\\x07\\x1b\[2J\\x1b\[32mAll 3 images synced\\x1b\[0m\\x9b31m/m
          )
          const json = yield* binary(["sync", images, "--model", MODEL, "--json"], env)
          expect(json.code).toBe(1)
          expect(json.out + json.err).not.toMatch(RAW_CONTROL)
          expect(JSON.stringify(JSON.parse(json.out))).toContain(JSON.stringify(HOSTILE).slice(1, -1))
        })
      ),
    120_000
  )
})

describe("scenario-training: arguments are checked before any request (the binary)", () => {
  it.live(
    "--concurrency 0, --rate 0, --rate -1, an unwritable --state: exit 2, one line, no plan, nothing sent",
    () =>
      withEmulator(({ emulator, env, run }) =>
        Effect.gen(function*() {
          const { images, root } = makeFolder(2)
          const file = Path.join(images, "img-0.png")
          const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string]> = [
            [["sync", images, "--concurrency", "0"], "--concurrency must be a whole number of at least 1, got 0"],
            [["sync", images, "--rate", "0"], "--rate must be a number of requests per second above 0, got 0"],
            [["sync", images, "--rate", "-1"], "--rate must be a number of requests per second above 0, got -1"],
            [["add", file, "--concurrency", "0"], "--concurrency must be a whole number of at least 1, got 0"],
            [["delete", "asset_1", "--rate", "0"], "--rate must be a number of requests per second above 0, got 0"],
            [
              ["replace", "asset_1", file, "--rate", "-1"],
              "--rate must be a number of requests per second above 0, got -1"
            ],
            [
              ["sync", images, "--state", Path.join(root, "no-such-folder", "state.json")],
              `--state ${Path.join(root, "no-such-folder", "state.json")}: its folder ${
                Path.join(root, "no-such-folder")
              } does not exist`
            ],
            [["sync", images, "--state", images], `--state ${images}: a folder, not a file`]
          ]
          // A process for a few (the exit code a shell sees), the command in this process for the others.
          for (const [index, [args, line]] of cases.entries()) {
            const result = index % 3 === 0
              ? yield* binary([...args, "--model", MODEL], env)
              : yield* Effect.map(run([...args, "--model", MODEL]), (ran) => ({ ...ran, err: `${ran.err}\n` }))
            expect({ args, code: result.code, out: result.out, err: result.err }).toEqual({
              args,
              code: 2,
              out: "",
              err: `error: ${line}\n`
            })
          }
          expect(yield* emulator.requests).toEqual([])
        })
      ),
    120_000
  )

  it.live(
    "add: two files with the same name are refused, naming both paths, exit 2, nothing sent",
    () =>
      withEmulator(({ emulator, env }) =>
        Effect.gen(function*() {
          const { root } = makeFolder(0)
          for (const sub of ["a", "b"]) {
            Fs.mkdirSync(Path.join(root, sub))
            Fs.writeFileSync(Path.join(root, sub, "x.png"), png(sub === "a" ? 1 : 2))
          }
          const a = Path.join(root, "a", "x.png")
          const b = Path.join(root, "b", "x.png")
          const result = yield* binary(["add", a, b, "--model", MODEL], env)
          expect(result.code).toBe(2)
          expect(result.out).toBe("")
          expect(result.err).toBe(
            `error: ${a} and ${b} have the same name, x.png: training images are matched by name, so only one would ` +
              "be added; rename one\n"
          )
          expect(yield* emulator.requests).toEqual([])
        })
      ),
    120_000
  )

  it(
    "--help, piped or with NO_COLOR, has no escape sequences, and shows the defaults",
    () =>
      Effect.runPromise(Effect.gen(function*() {
        const root = yield* binary(["--help"])
        expect(root.code).toBe(0)
        expect(root.out).toContain("USAGE")
        expect(root.out).not.toContain("\u001b")
        const sync = yield* binary(["sync", "--help"], { NO_COLOR: "1" })
        expect(sync.out).not.toContain("\u001b")
        expect(sync.out).toMatch(
          /--concurrency integer\n\n {2}An integer\.\n\n {2}How many requests are in flight at once \(default: 4\)/
        )
        expect(sync.out).toMatch(/--rate float\n[\s\S]*\(default: no limit\)/)
        const bad = yield* binary(["sync", "--model"])
        expect(bad.code).toBe(2)
        expect(bad.err).toContain("--model")
        expect(bad.err).not.toContain("\u001b")
      })),
    120_000
  )
})

describe("scenario-training: what a run says", () => {
  it.live("without --delete, it says how many images on the model are not in the folder, and what removes them", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.seed({
          [MODEL]: { trainingImages: [{ id: "asset_old1", name: "old1.png" }, { id: "asset_old2", name: "old2.png" }] }
        })
        const synced = yield* run(["sync", images, "--model", MODEL])
        expect(synced.code).toBe(0)
        expect(synced.out).toContain(
          "2 training images on the model are not in the folder: left as they are (--delete removes them)"
        )
        const dry = yield* run(["sync", images, "--model", MODEL, "--dry-run"])
        expect(dry.out).toContain("2 training images on the model are not in the folder")
        const json = yield* run(["sync", images, "--model", MODEL, "--json"])
        const output = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(json.out))
        expect(output.totals.notInFolder).toBe(2)
        const deleted = yield* run(["sync", images, "--model", MODEL, "--delete"])
        expect(deleted.out).not.toContain("not in the folder:")
      })
    ))

  it.live("--json: success and totals beside the report", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(3)
        // An image over the request limit: a planned failure.
        const huge = new Uint8Array(11 * 1024 * 1024)
        huge.set(PNG)
        Fs.writeFileSync(Path.join(images, "huge.png"), huge)
        yield* emulator.seed({ [MODEL]: { trainingImages: [{ id: "asset_old", name: "old.png" }] } })
        const first = yield* run(["sync", images, "--model", MODEL, "--json"])
        expect(first.code).toBe(1)
        const failed = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(first.out))
        expect(failed.success).toBe(false)
        expect(failed.totals).toEqual({
          planned: 4,
          succeeded: 3,
          reconciled: 0,
          failed: 1,
          unchanged: 0,
          notInFolder: 1
        })
        expect(failed.report.results.length).toBe(4)
        Fs.rmSync(Path.join(images, "huge.png"))
        const second = yield* run(["sync", images, "--model", MODEL, "--json"])
        expect(second.code).toBe(0)
        const done = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(second.out))
        expect(done.success).toBe(true)
        expect(done.totals).toEqual({
          planned: 0,
          succeeded: 0,
          reconciled: 0,
          failed: 0,
          unchanged: 3,
          notInFolder: 1
        })
      })
    ))

  it.live("a 429 asking to wait past the policy's cap: it says when to rerun", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.setFaults({
          rate: 1,
          faults: [Fault.rateLimited({ retryAfter: "2 hours" })],
          operations: ["add"]
        })
        const result = yield* run(["sync", images, "--model", MODEL])
        expect(result.code).toBe(1)
        expect(result.err).toMatch(/^FAILED add img-0\.png: .*429 Too Many Requests/m)
        expect(result.out).toMatch(/^The server asked to wait 2h: rerun after (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\.$/m)
        const json = yield* run(["sync", images, "--model", MODEL, "--json"])
        const output = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(json.out))
        expect(output.rerunAfter).toBeInstanceOf(Date)
        expect(JSON.parse(json.out).rerunAfter).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
        expect(json.err).toMatch(/^The server asked to wait 2h: rerun after .* UTC\.$/m)
      })
    ))
})

describe("scenario-training: Ctrl-C (the binary)", () => {
  it.live(
    "it says what was done and that a rerun resumes, exits 130, and writes --state",
    () =>
      withEmulator(({ emulator, env, names, run }) =>
        Effect.gen(function*() {
          const { images, root } = makeFolder(20)
          const stateFile = Path.join(root, "state.json")
          yield* emulator.setFaults({ rate: 1, faults: [Fault.delay("300 millis")], operations: ["add"] })
          let interrupted = false
          const result = yield* binary(
            ["sync", images, "--model", MODEL, "--concurrency", "2", "--state", stateFile],
            env,
            (output, child) => {
              if (!interrupted && (output.match(/^added /gm)?.length ?? 0) >= 4) {
                interrupted = true
                child.kill("SIGINT")
              }
            }
          )
          expect(result.code).toBe(130)
          expect(result.out + result.err).not.toMatch(/\n\s+at /)
          const added = [...result.out.matchAll(/^added (\S+) \(/gm)].map((match) => match[1]!)
          const said =
            /^Interrupted: (\d+) succeeded, 0 failed, (\d+) not done of 20; a rerun resumes where this one stopped\.$/m
              .exec(result.err)
          expect(said).not.toBeNull()
          expect(Number(said![1])).toBe(added.length)
          expect(Number(said![1]) + Number(said![2])).toBe(20)
          const state = Schema.decodeUnknownSync(Schema.parseJson(TrainingSet.State))(
            Fs.readFileSync(stateFile, "utf8")
          )
          expect(Object.keys(state.images).sort()).toEqual([...added].sort())
          yield* emulator.setFaults(undefined)
          expect((yield* names).length).toBeGreaterThanOrEqual(added.length)
          const rerun = yield* run(["sync", images, "--model", MODEL, "--state", stateFile])
          expect(rerun.code).toBe(0)
          expect(new Set(yield* names).size).toBe(20)
          expect(
            Object.keys(
              Schema.decodeUnknownSync(Schema.parseJson(TrainingSet.State))(Fs.readFileSync(stateFile, "utf8")).images
            ).length
          ).toBe(20)
        })
      ),
    120_000
  )

  it.live(
    "interrupted while listing the model: it says nothing was changed, exits 130",
    () =>
      withEmulator(({ emulator, env }) =>
        Effect.gen(function*() {
          const { images } = makeFolder(2)
          yield* emulator.failNext(1, Fault.delay("30 seconds"), { operation: "list" })
          // Ctrl-C once the listing has reached the emulator (its delay fault counted), not after some time.
          const result = yield* binary(["sync", images, "--model", MODEL], env, undefined, (child) => {
            Effect.runFork(Effect.retry(
              Effect.flatMap(emulator.faultCounts, (counts) =>
                (counts["delay"] ?? 0) > 0
                  ? Effect.sync(() => child.kill("SIGINT"))
                  : Effect.fail("not yet")),
              Schedule.spaced("50 millis")
            ))
          })
          expect(result.code).toBe(130)
          expect(result.out).toBe("")
          expect(result.err).toBe("Interrupted while planning (listing the model): nothing was changed.\n")
          expect(yield* writes(emulator)).toBe(0)
        })
      ),
    120_000
  )
})

describe("scenario-training: the README's commands", () => {
  // Every command line of the README's `sh` blocks that starts with `scenario-training`: its subcommand exists
  // and takes every option the line names (by its help), so that the README cannot drift from the command.
  const readme = Fs.readFileSync(fileURLToPath(new URL("../../../README.md", import.meta.url)), "utf8")
  const lines = [...readme.matchAll(/^```sh\n([\s\S]*?)^```/gm)]
    .flatMap((block) => block[1]!.split("\n"))
    .filter((line) => line.startsWith("scenario-training "))

  it.effect("name existing subcommands with their own options", () =>
    Effect.gen(function*() {
      const commands = new Set(lines.map((line) => line.split(/\s+/)[1]!))
      expect([...commands]).toEqual(expect.arrayContaining(["sync", "pull", "copy"]))
      for (const line of lines) {
        const command = line.split(/\s+/)[1]!
        const help = yield* cli([command, "--help"], {})
        expect(help.code, line).toBe(0)
        for (const option of line.match(/--[a-z-]+/g) ?? []) expect(help.out, `${line}: ${option}`).toContain(option)
      }
    }))
})

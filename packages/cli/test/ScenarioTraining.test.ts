import { ScenarioTraining } from "@effect-scenario/cli"
import { TrainingSet } from "@effect-scenario/core"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeContext } from "@effect/platform-node"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Schema } from "effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const MODEL = "model_cli"
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

const png = (seed: number, size = 48) => {
  const bytes = new Uint8Array(size)
  bytes.set(PNG)
  bytes.fill(seed & 0xff, PNG.length)
  return bytes
}

// Every folder made here is removed once the suite ends.
const folders: Array<string> = []
afterAll(() => {
  for (const folder of folders) Fs.rmSync(folder, { recursive: true, force: true })
})

const makeFolder = (count: number) => {
  const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "scenario-training-"))
  folders.push(root)
  const images = Path.join(root, "images")
  Fs.mkdirSync(images)
  for (let i = 0; i < count; i++) Fs.writeFileSync(Path.join(images, `img-${i}.png`), png(i))
  return { root, images }
}

interface Ran {
  readonly code: number
  readonly out: string
  readonly err: string
}

/** Runs the command line in-process, its output captured, with the environment given. */
const cli = (args: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const base = yield* Effect.console
    const console = {
      ...base,
      log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void out.push(parts.join(" "))),
      error: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void err.push(parts.join(" ")))
    }
    const code = yield* ScenarioTraining.run(["node", "scenario-training", ...args]).pipe(
      Effect.withConsole(console),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      Effect.provide(NodeContext.layer)
    )
    return { code, out: out.join("\n"), err: err.join("\n") } satisfies Ran
  })

const withEmulator = <A, E>(
  body: (ctx: {
    readonly emulator: ScenarioEmulator.Control
    readonly run: (args: ReadonlyArray<string>) => Effect.Effect<Ran>
    readonly names: Effect.Effect<Array<string>>
  }) => Effect.Effect<A, E>
) =>
  Effect.scoped(Effect.gen(function*() {
    const emulator = yield* ScenarioEmulator.make({ models: { [MODEL]: {} } })
    const env = {
      SCENARIO_SDK_API_KEY: ScenarioEmulator.DEFAULT_API_KEY,
      SCENARIO_SDK_API_SECRET: ScenarioEmulator.DEFAULT_API_SECRET,
      SCENARIO_SDK_BASE_URL: emulator.baseUrl
    }
    const names = Effect.map(
      emulator.snapshot,
      (snapshot) => snapshot.models[MODEL]!.trainingImages.map((image) => image.name)
    )
    return yield* body({ emulator, run: (args) => cli(args, env), names })
  }))

const writes = (emulator: ScenarioEmulator.Control) =>
  Effect.map(emulator.requests, (requests) => requests.filter((request) => request.method !== "GET").length)

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
        const report = Schema.decodeUnknownSync(TrainingSet.Report)(JSON.parse(rerun.out))
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
        expect(refused.code).toBe(1)
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

  it.live("a missing folder fails; a non-image is skipped and an image over the limit is a planned failure, shown by --dry-run", () =>
    withEmulator(({ names, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(2)
        const missing = yield* run(["sync", Path.join(root, "nope"), "--model", MODEL])
        expect(missing.code).toBe(1)
        expect(missing.err).toBe(`error: ${Path.join(root, "nope")}: no such file or folder`)

        Fs.writeFileSync(Path.join(images, "notes.png"), "not an image at all")
        const big = new Uint8Array(8 * 1024 * 1024)
        big.set(PNG)
        Fs.writeFileSync(Path.join(images, "huge.png"), big)
        const dry = yield* run(["sync", images, "--model", MODEL, "--dry-run"])
        expect(dry.code).toBe(0)
        expect(dry.out.split("\n")).toEqual([
          `Plan for ${MODEL}: 2 to add, 0 to replace, 0 to delete, 0 unchanged, 1 skipped, 1 over the request limit (will fail) (dry run: nothing sent)`,
          "  add huge.png will fail: 8.0 MiB, a 10.7 MiB request, over the 10.0 MiB request limit: downscale it or exclude it",
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
        expect(zero.code).toBe(1)
        expect(zero.err).toBe("error: --concurrency must be a whole number of at least 1, got 0")
        const rate = yield* run(["sync", images, "--model", MODEL, "--rate", "-1"])
        expect(rate.err).toBe("error: --rate must be a number of requests per second above 0, got -1")
      })
    ))

  it.effect("missing credentials name the variables", () =>
    Effect.gen(function*() {
      const { images } = makeFolder(1)
      const result = yield* cli(["sync", images, "--model", MODEL], {})
      expect(result.code).toBe(1)
      expect(result.err).toBe(`error: ${ScenarioTraining.MISSING_CREDENTIALS}`)
      expect(result.err).toContain("SCENARIO_SDK_API_KEY")
      expect(result.err).toContain("SCENARIO_SDK_API_SECRET")
    }))

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
    90_000
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

import { ScenarioTraining } from "@effect-scenario/cli"
import { TrainingSet } from "@effect-scenario/core"
import { Fault } from "@effect-scenario/testing"
import type * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Schedule, Schema } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { cli, makeFolder, MODEL, png, RAW_CONTROL, withEmulator, writes } from "./harness.js"

describe("scenario-training pull and copy", () => {
  it.live("pull writes the folder a sync sends back with nothing; copy copies once; escaped names", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(6)
        const pairsFile = Path.join(root, "pairs.csv")
        Fs.writeFileSync(pairsFile, "source,target,instruction\nimg-0.png,img-1.png,\"brighter, warmer\"\n")
        expect((yield* run(["sync", images, "--model", MODEL, "--pairs", pairsFile])).code).toBe(0)

        const pulled = Path.join(root, "pulled")
        const result = yield* run(["pull", pulled, "--model", MODEL, "--json", "--concurrency", "2"])
        expect(result.code).toBe(0)
        const output = Schema.decodeUnknownSync(ScenarioTraining.PullOutput)(JSON.parse(result.out))
        expect(output.totals).toEqual({ images: 6, written: 6, unchanged: 0, failed: 0, renamed: 0, pairs: 1 })
        for (let i = 0; i < 6; i++) {
          expect(new Uint8Array(Fs.readFileSync(Path.join(pulled, `img-${i}.png`)))).toEqual(png(i))
        }
        expect(result.err).toContain("To send this folder back: scenario-training sync")

        // The sync it suggests sends nothing past the list.
        const before = yield* writes(emulator)
        const back = yield* run([
          "sync",
          pulled,
          "--model",
          MODEL,
          "--pairs",
          output.report.pairsFile,
          "--state",
          output.report.stateFile
        ])
        expect(back.code).toBe(0)
        expect(back.out).toContain("Done: 0 succeeded, 0 failed, 6 unchanged")
        expect(yield* writes(emulator)).toBe(before)

        // An existing file with other bytes: left, exit 1, said why; --force overwrites it.
        Fs.writeFileSync(Path.join(pulled, "img-3.png"), "mine")
        const refused = yield* run(["pull", pulled, "--model", MODEL])
        expect(refused.code).toBe(1)
        expect(refused.err).toMatch(/^FAILED .*img-3\.png exists and was changed since it was pulled/m)
        // Without a terminal, one line per image.
        expect(refused.out).toContain("unchanged img-0.png")
        expect((yield* run(["pull", pulled, "--model", MODEL, "--force"])).code).toBe(0)
        expect(new Uint8Array(Fs.readFileSync(Path.join(pulled, "img-3.png")))).toEqual(png(3))

        // copy: once, pairs included; a rerun writes nothing.
        yield* emulator.seed({ model_copy: {} })
        const copied = yield* run(["copy", "--from", MODEL, "--to", "model_copy", "--json"])
        expect(copied.code).toBe(0)
        const copyOutput = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(copied.out))
        expect(copyOutput.totals.succeeded).toBe(7)
        const target = yield* emulator.model("model_copy")
        assert(target._tag === "Some")
        expect(target.value.trainingImages.map((image) => image.name).sort()).toEqual(
          Array.from({ length: 6 }, (_, i) => `img-${i}.png`).sort()
        )
        expect(target.value.pairs.length).toBe(1)
        const afterCopy = yield* writes(emulator)
        const again = yield* run(["copy", "--from", MODEL, "--to", "model_copy"])
        expect(again.code).toBe(0)
        expect(again.out).toContain("Done: 0 succeeded, 0 failed, 6 unchanged")
        expect(yield* writes(emulator)).toBe(afterCopy)
        expect((yield* run(["copy", "--from", MODEL, "--to", MODEL])).code).toBe(2)
        const requestsBefore = (yield* emulator.requests).length
        expect((yield* run(["pull", Path.join(images, "img-0.png"), "--model", MODEL])).code).toBe(2)
        expect((yield* run(["pull", pulled, "--model", MODEL, "--concurrency", "0"])).code).toBe(2)
        expect((yield* emulator.requests).length).toBe(requestsBefore)

        // A hostile name: written under its rename, every line escaped.
        yield* emulator.seed({
          model_hostile: { trainingImages: [{ id: "img_evil", name: "../evil\u001b[2J.png" }] }
        })
        const hostile = yield* run(["pull", Path.join(root, "hostile"), "--model", "model_hostile"])
        expect(hostile.code).toBe(0)
        expect(hostile.out).not.toMatch(RAW_CONTROL)
        expect(hostile.err).not.toMatch(RAW_CONTROL)
        expect(hostile.out).toContain("was written as _.._evil_[2J.png")
        expect(hostile.out).toContain("wrote _.._evil_[2J.png")
        expect(Fs.readdirSync(Path.join(root, "hostile")).filter((name) => !name.startsWith("."))).toEqual([
          "_.._evil_[2J.png"
        ])
        expect(Fs.existsSync(Path.join(root, "evil\u001b[2J.png"))).toBe(false)
      })
    ))
})

const seeded = (count: number) => Array.from({ length: count }, (_, i) => ({ id: `asset_p${i}`, name: `p${i}.png` }))

/** The seconds a `Done:` line says, checked against the run's own wall time (not a timing: a consistency). */
const saidSeconds = (line: string) => Number(/ in (\d+\.\d) s$/.exec(line)?.[1] ?? Number.NaN)

describe("scenario-training pull: what it says", () => {
  it.live("plain: one line per image, the totals with the pairs counted, and the sync that sends it back", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.seed({
          [MODEL]: { trainingImages: seeded(2), pairs: [{ sourceId: "asset_p0", targetId: "asset_p1" }] }
        })
        const folder = Path.join(root, "out")
        const before = Date.now()
        const result = yield* run(["pull", folder, "--model", MODEL])
        const took = (Date.now() - before) / 1000
        expect(result.code).toBe(0)
        expect(result.err).toBe("")
        const lines = result.out.split("\n")
        expect(lines.slice(0, 2).sort()).toEqual(["wrote p0.png", "wrote p1.png"])
        expect(lines[2]).toMatch(/^Done: 2 written, 0 failed, 0 unchanged, 1 pair in \d+\.\d s$/)
        expect(saidSeconds(lines[2]!)).toBeLessThanOrEqual(took + 0.05)
        expect(lines.slice(3)).toEqual([
          `To send this folder back: scenario-training sync ${folder} --model ${MODEL} --pairs ${
            Path.join(folder, ".scenario-pairs.json")
          } --state ${Path.join(folder, ".scenario-state.json")}`
        ])
        expect(Fs.existsSync(Path.join(folder, ".scenario-pairs.json"))).toBe(true)
        expect(Fs.existsSync(Path.join(folder, ".scenario-state.json"))).toBe(true)

        // Again: every image unchanged, and no pair or two pairs are "pairs".
        yield* emulator.seed({ [MODEL]: { trainingImages: seeded(2), pairs: [] } })
        const again = yield* run(["pull", folder, "--model", MODEL])
        expect(again.code).toBe(0)
        expect(again.out.split("\n").slice(0, 3)).toEqual(
          expect.arrayContaining(["unchanged p0.png", "unchanged p1.png"])
        )
        expect(again.out).toMatch(/^Done: 0 written, 0 failed, 2 unchanged, 0 pairs in \d+\.\d s$/m)
        yield* emulator.seed({
          [MODEL]: {
            trainingImages: seeded(2),
            pairs: [{ sourceId: "asset_p0", targetId: "asset_p1" }, { sourceId: "asset_p1", targetId: "asset_p0" }]
          }
        })
        expect((yield* run(["pull", folder, "--model", MODEL])).out).toMatch(
          /^Done: 0 written, 0 failed, 2 unchanged, 2 pairs in \d+\.\d s$/m
        )
      })
    ))

  it.live("pairs naming an image the model did not list are counted and left out; under --json on stderr", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.seed({
          [MODEL]: {
            trainingImages: seeded(2),
            pairs: [
              { sourceId: "asset_p0", targetId: "asset_p1" },
              { sourceId: "asset_p0", targetId: "asset_gone" },
              { sourceId: "asset_gone", targetId: "asset_p1" }
            ]
          }
        })
        const dropped = "2 pairs name an image the model did not list: left out of the pairs file"
        const plain = yield* run(["pull", Path.join(root, "plain"), "--model", MODEL])
        expect(plain.code).toBe(0)
        expect(plain.out.split("\n")).toContain(dropped)
        expect(plain.out).toMatch(/ 1 pair in /)
        const json = yield* run(["pull", Path.join(root, "json"), "--model", MODEL, "--json"])
        expect(json.code).toBe(0)
        expect(json.err.split("\n")).toEqual([
          dropped,
          `To send this folder back: scenario-training sync ${Path.join(root, "json")} --model ${MODEL} --pairs ${
            Path.join(root, "json", ".scenario-pairs.json")
          } --state ${Path.join(root, "json", ".scenario-state.json")}`
        ])
        const output = Schema.decodeUnknownSync(ScenarioTraining.PullOutput)(JSON.parse(json.out))
        expect(output.success).toBe(true)
        expect(output.totals.pairs).toBe(1)
        expect(output.report.droppedPairs).toBe(2)
      })
    ))

  it.live("a download that fails: FAILED on stderr, exit 1, no suggested sync; --json says success false", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.seed({ [MODEL]: { trainingImages: seeded(1) } })
        yield* emulator.failNextDownloads(3)
        const folder = Path.join(root, "out")
        const plain = yield* run(["pull", folder, "--model", MODEL, "--concurrency", "1"])
        expect(plain.code).toBe(1)
        expect(plain.err).toMatch(/^FAILED \S.*503/)
        expect(plain.err.split("\n").length).toBe(1)
        expect(plain.out).toMatch(/^Done: 0 written, 1 failed, 0 unchanged, 0 pairs in \d+\.\d s$/)
        expect(plain.out).not.toContain("To send this folder back")

        yield* emulator.failNextDownloads(3)
        const json = yield* run(["pull", Path.join(root, "json"), "--model", MODEL, "--json"])
        expect(json.code).toBe(1)
        expect(json.err).toMatch(/^FAILED \S.*503/)
        expect(json.err.split("\n").length).toBe(1)
        const output = Schema.decodeUnknownSync(ScenarioTraining.PullOutput)(JSON.parse(json.out))
        expect(output.success).toBe(false)
        expect(output.totals).toEqual({ images: 1, written: 0, unchanged: 0, failed: 1, renamed: 0, pairs: 0 })
      })
    ))

  it.live("--json: its schema, published for reading the output, asks for every total", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.seed({ [MODEL]: { trainingImages: seeded(1) } })
        const pulled = yield* run(["pull", Path.join(root, "out"), "--model", MODEL, "--json"])
        const output = JSON.parse(pulled.out)
        const decode = Schema.decodeUnknownEither(ScenarioTraining.PullOutput)
        expect(decode(output)._tag).toBe("Right")
        const { totals, ...withoutTotals } = output
        expect(decode(withoutTotals)._tag).toBe("Left")
        for (const key of Object.keys(totals)) {
          const { [key]: _, ...fewer } = totals
          expect(decode({ ...output, totals: fewer })._tag, key).toBe("Left")
        }
        expect(decode({ ...output, success: "yes" })._tag).toBe("Left")
      })
    ))

  it.live("--json counts the images already there as unchanged", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.seed({ [MODEL]: { trainingImages: seeded(2) } })
        const folder = Path.join(root, "out")
        expect((yield* run(["pull", folder, "--model", MODEL])).code).toBe(0)
        yield* emulator.seed({ [MODEL]: { trainingImages: seeded(3) } })
        const again = yield* run(["pull", folder, "--model", MODEL, "--json"])
        expect(again.code).toBe(0)
        const output = Schema.decodeUnknownSync(ScenarioTraining.PullOutput)(JSON.parse(again.out))
        expect(output.totals).toEqual({ images: 3, written: 1, unchanged: 2, failed: 0, renamed: 0, pairs: 0 })
      })
    ))

  it.effect("copy --emulator: the embedded emulator holds both models", () =>
    Effect.gen(function*() {
      const copied = yield* cli(["copy", "--from", "model_a", "--to", "model_b", "--emulator", "--json"], {})
      expect(copied.code).toBe(0)
      expect(Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(copied.out)).totals).toEqual({
        planned: 0,
        succeeded: 0,
        reconciled: 0,
        failed: 0,
        unchanged: 0,
        notInFolder: 0
      })
      expect(copied.err.split("\n")).toEqual([
        expect.stringMatching(/^embedded emulator: http:\/\/127\.0\.0\.1:\d+\/v1 /),
        "Plan for model_b: 0 to add, 0 to replace, 0 to delete, 0 unchanged"
      ])
    }))

  it.live("under --json stdout is one JSON value: no line per image; renamed files counted", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.seed({
          [MODEL]: { trainingImages: [...seeded(1), { id: "asset_bad", name: "a/b.png" }] }
        })
        const result = yield* run(["pull", Path.join(root, "out"), "--model", MODEL, "--json"])
        expect(result.code).toBe(0)
        const output = Schema.decodeUnknownSync(ScenarioTraining.PullOutput)(JSON.parse(result.out))
        expect(output.success).toBe(true)
        expect(output.totals).toEqual({ images: 2, written: 2, unchanged: 0, failed: 0, renamed: 1, pairs: 0 })
        expect(result.err).not.toContain("was written as")
      })
    ))

  it.live("bad input is refused before any request, one line each", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        const file = Path.join(images, "img-0.png")
        const notFolder = yield* run(["pull", file, "--model", MODEL])
        expect(notFolder.code).toBe(2)
        expect(notFolder.err).toBe(`error: ${file} is not a folder`)
        expect(notFolder.out).toBe("")
        const zero = yield* run(["pull", images, "--model", MODEL, "--concurrency", "0"])
        expect(zero.code).toBe(2)
        expect(zero.err).toBe("error: --concurrency must be a whole number of at least 1, got 0")
        const same = yield* run(["copy", "--from", MODEL, "--to", MODEL])
        expect(same.code).toBe(2)
        expect(same.err).toBe(`error: --from and --to are the same model, ${MODEL}`)
        const rate = yield* run(["copy", "--from", MODEL, "--to", "model_other", "--rate", "0"])
        expect(rate.code).toBe(2)
        expect(rate.err).toBe("error: --rate must be a number of requests per second above 0, got 0")
        expect((yield* emulator.requests).length).toBe(0)
      })
    ))

  it.live("Ctrl-C during a pull: it says the files so far are whole and kept", () =>
    withEmulator(({ emulator, env }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.failNext(1, Fault.delay("30 seconds"), { operation: "list" })
        const sink = { out: [] as Array<string>, err: [] as Array<string> }
        const fiber = yield* Effect.fork(cli(["pull", Path.join(root, "out"), "--model", MODEL], env, sink))
        // Interrupted once the listing has reached the emulator (its delay fault counted), not after some time.
        yield* Effect.retry(
          Effect.flatMap(emulator.faultCounts, (counts) => (counts["delay"] ?? 0) > 0 ? Effect.void : Effect.fail(0)),
          Schedule.spaced("20 millis")
        )
        yield* Fiber.interrupt(fiber)
        expect(sink.err).toEqual([
          "Interrupted: the files written so far are whole and kept; a rerun downloads the rest."
        ])
        expect(sink.out).toEqual([])
      })
    ))
})

describe("scenario-training pull on a terminal", () => {
  /** Runs `body` with stderr a terminal whose output is captured. */
  const onTerminal = <A, E>(body: (written: Array<string>) => Effect.Effect<A, E>) =>
    Effect.acquireUseRelease(
      Effect.sync(() => {
        const written: Array<string> = []
        const tty = Object.getOwnPropertyDescriptor(process.stderr, "isTTY")
        const write = process.stderr.write
        Object.defineProperty(process.stderr, "isTTY", { value: true, configurable: true, writable: true })
        process.stderr.write = ((chunk: string | Uint8Array) => {
          written.push(String(chunk))
          return true
        }) as typeof process.stderr.write
        return { written, tty, write }
      }),
      ({ written }) => body(written),
      ({ tty, write }) =>
        Effect.sync(() => {
          process.stderr.write = write
          if (tty === undefined) delete (process.stderr as { isTTY?: boolean }).isTTY
          else Object.defineProperty(process.stderr, "isTTY", tty)
        })
    )

  it.live("a progress bar on stderr, failures printed above it, no line per image on stdout", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        yield* emulator.seed({ [MODEL]: { trainingImages: seeded(3) } })
        yield* emulator.failNextDownloads(3)
        const { result, written } = yield* onTerminal((written) =>
          Effect.map(
            run(["pull", Path.join(root, "out"), "--model", MODEL, "--concurrency", "1"]),
            (result) => ({ result, written: written.join("") })
          )
        )
        expect(result.code).toBe(1)
        expect(result.out).toMatch(/^Done: 2 written, 1 failed, 0 unchanged, 0 pairs in \d+\.\d s$/)
        expect(result.err).toBe("")
        expect(written).toMatch(/FAILED \S.*503[^\n]*\n/)
        expect(written).toContain(" 3/3 | ETA ")
        expect(written.match(/FAILED/g)?.length).toBe(1)
        expect(written).not.toContain("undefined")
        expect(written).not.toContain(" 4/3 ")
        // The cursor hidden while the bar is drawn, shown again once it stops; the bar stays.
        expect(written).toContain("\u001b[?25l")
        expect(written.lastIndexOf("\u001b[?25h")).toBeGreaterThan(written.lastIndexOf(" 3/3 | ETA "))
        expect(written.slice(written.lastIndexOf(" 3/3 | ETA "))).not.toContain("\u001b[2K")
        // Stopped once, by the command, and not cleared: the complete bar stays, followed by a new line.
        expect(written.split("\u001b[?25h").length).toBe(2)
        expect(written).not.toContain("\u001b[0J")
        expect(written.endsWith("\n")).toBe(true)
        expect(written.lastIndexOf(" 3/3 | ETA ")).toBeGreaterThan(written.lastIndexOf("FAILED"))
      })
    ))

  it.live("no bar for a model without images, nor under --json (failures on stderr then)", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { root } = makeFolder(0)
        const empty = yield* onTerminal((written) =>
          Effect.map(run(["pull", Path.join(root, "empty"), "--model", MODEL]), (result) => ({ result, written }))
        )
        expect(empty.result.code).toBe(0)
        expect(empty.written).toEqual([])
        yield* emulator.seed({ [MODEL]: { trainingImages: seeded(2) } })
        yield* emulator.failNextDownloads(3)
        const json = yield* onTerminal((written) =>
          Effect.map(
            run(["pull", Path.join(root, "json"), "--model", MODEL, "--json", "--concurrency", "1"]),
            (result) => ({ result, written })
          )
        )
        expect(json.result.code).toBe(1)
        expect(json.written).toEqual([])
        expect(json.result.err).toMatch(/^FAILED \S.*503/)
        expect(JSON.parse(json.result.out).totals.written).toBe(1)
      })
    ))
})

describe("scenario-training copy: what it says", () => {
  const TO = "model_to"
  const seedBoth = (emulator: ScenarioEmulator.Control, extra: number) =>
    emulator.seed({
      [MODEL]: { trainingImages: seeded(2), pairs: [{ sourceId: "asset_p0", targetId: "asset_p1" }] },
      [TO]: { trainingImages: Array.from({ length: extra }, (_, i) => ({ id: `asset_x${i}`, name: `x${i}.png` })) }
    })

  it.live("--dry-run: the plan for --to, each item, nothing sent; under --json the plan alone", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        yield* seedBoth(emulator, 2)
        const dry = yield* run(["copy", "--from", MODEL, "--to", TO, "--dry-run"])
        expect(dry).toEqual({
          code: 0,
          out: [
            `Plan for ${TO}: 2 to add, 0 to replace, 0 to delete, 0 unchanged, pairs to set (dry run: nothing sent)`,
            "  add p0.png",
            "  add p1.png",
            "  set 1 pair"
          ].join("\n"),
          err: ""
        })
        const json = yield* run(["copy", "--from", MODEL, "--to", TO, "--dry-run", "--json"])
        expect(json.code).toBe(0)
        expect(json.err).toBe("")
        expect(Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(json.out))).toEqual({
          modelId: TO,
          items: [
            { _tag: "Add", name: "p0.png" },
            { _tag: "Add", name: "p1.png" },
            { _tag: "SetPairs", pairs: [{ source: "p0.png", target: "p1.png" }] }
          ],
          tracksContent: false
        })
        const withDelete = yield* run(["copy", "--from", MODEL, "--to", TO, "--dry-run", "--delete"])
        expect(withDelete.out.split("\n")).toEqual([
          `Plan for ${TO}: 2 to add, 0 to replace, 2 to delete, 0 unchanged, pairs to set (dry run: nothing sent)`,
          "  add p0.png",
          "  add p1.png",
          "  delete x0.png (asset_x0)",
          "  delete x1.png (asset_x1)",
          "  set 1 pair"
        ])
        expect(yield* writes(emulator)).toBe(0)
        // What is already there is not an item of the plan's lines.
        yield* emulator.seed({ [TO]: { trainingImages: [{ id: "asset_t0", name: "p0.png" }] } })
        const keep = yield* run(["copy", "--from", MODEL, "--to", TO, "--dry-run"])
        expect(keep.out.split("\n")).toEqual([
          `Plan for ${TO}: 1 to add, 0 to replace, 0 to delete, 1 unchanged, pairs to set (dry run: nothing sent)`,
          "  add p1.png",
          "  set 1 pair"
        ])
      })
    ))

  it.live("it says what it leaves on --to without --delete; --delete removes it", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        yield* seedBoth(emulator, 2)
        const before = Date.now()
        const plain = yield* run(["copy", "--from", MODEL, "--to", TO])
        const took = (Date.now() - before) / 1000
        expect(plain.code).toBe(0)
        expect(plain.err).toBe("")
        const lines = plain.out.split("\n")
        expect(lines.slice(0, 2)).toEqual([
          `Plan for ${TO}: 2 to add, 0 to replace, 0 to delete, 0 unchanged, pairs to set`,
          `2 training images of ${TO} not on ${MODEL} left as they are (--delete removes them)`
        ])
        expect(lines.at(-1)).toMatch(/^Done: 3 succeeded, 0 failed, 0 unchanged in \d+\.\d s$/)
        expect(saidSeconds(lines.at(-1)!)).toBeLessThanOrEqual(took + 0.05)
        const target = yield* emulator.model(TO)
        assert(target._tag === "Some")
        expect(target.value.trainingImages.map((image) => image.name).sort()).toEqual(
          ["p0.png", "p1.png", "x0.png", "x1.png"]
        )

        yield* seedBoth(emulator, 1)
        const json = yield* run(["copy", "--from", MODEL, "--to", TO, "--json"])
        expect(json.code).toBe(0)
        expect(json.err.split("\n")).toEqual([
          `Plan for ${TO}: 2 to add, 0 to replace, 0 to delete, 0 unchanged, pairs to set`,
          `1 training image of ${TO} not on ${MODEL} left as they are (--delete removes them)`
        ])
        const output = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(json.out))
        expect(output.success).toBe(true)
        expect(output.totals).toEqual({
          planned: 3,
          succeeded: 3,
          reconciled: 0,
          failed: 0,
          unchanged: 0,
          notInFolder: 1
        })

        yield* seedBoth(emulator, 1)
        const deleted = yield* run(["copy", "--from", MODEL, "--to", TO, "--delete", "--json"])
        expect(deleted.code).toBe(0)
        expect(deleted.err).toBe(`Plan for ${TO}: 2 to add, 0 to replace, 1 to delete, 0 unchanged, pairs to set`)
        const done = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(deleted.out))
        expect(done.totals).toEqual({
          planned: 4,
          succeeded: 4,
          reconciled: 0,
          failed: 0,
          unchanged: 0,
          notInFolder: 0
        })
        const after = yield* emulator.model(TO)
        assert(after._tag === "Some")
        expect(after.value.trainingImages.map((image) => image.name).sort()).toEqual(["p0.png", "p1.png"])

        // Nothing on --to that --from lacks: no line about it.
        const again = yield* run(["copy", "--from", MODEL, "--to", TO])
        expect(again.code).toBe(0)
        expect(again.out).not.toContain("left as they are")
      })
    ))
})

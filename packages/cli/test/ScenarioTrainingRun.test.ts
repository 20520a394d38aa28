// What every run checks and says: the credentials, the state file's access, the embedded emulator, the totals
// and lines of a run (fast, in-process).
import { ScenarioTraining } from "@effect-scenario/cli"
import { Fault } from "@effect-scenario/testing"
import { NodeContext } from "@effect/platform-node"
import * as PlatformError from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, Layer, Schema } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { cli, makeFolder, MODEL, PNG, withEmulator, writes } from "./harness.js"

/**
 * The node file system, but `access` to `path` is denied for reading or for writing, as for a file or folder
 * whose permissions do not grant it to this user (a check that cannot be set up with permissions as root).
 */
const denying = (path: string, denied: "readable" | "writable") =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (fs) => ({
      ...fs,
      access: (target: string, options?: FileSystem.AccessFileOptions) =>
        target === path && options?.[denied] === true
          ? Effect.fail(
            new PlatformError.SystemError({
              reason: "PermissionDenied",
              module: "FileSystem",
              method: "access",
              pathOrDescriptor: target
            })
          )
          : fs.access(target, options)
    }))
  )

/** The node file system, but reading `path` as text fails, as for a file this user may not read. */
const unreadable = (path: string) =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (fs) => ({
      ...fs,
      readFileString: (target: string, encoding?: string) =>
        target === path
          ? Effect.fail(
            new PlatformError.SystemError({
              reason: "PermissionDenied",
              module: "FileSystem",
              method: "readFileString",
              pathOrDescriptor: target
            })
          )
          : fs.readFileString(target, encoding)
    }))
  )

/** The node file system, but whether `path` exists cannot be told (as when a folder on its way is unreadable). */
const untold = (path: string) =>
  Layer.effect(
    FileSystem.FileSystem,
    Effect.map(FileSystem.FileSystem, (fs) => ({
      ...fs,
      exists: (target: string) =>
        target === path
          ? Effect.fail(
            new PlatformError.SystemError({
              reason: "PermissionDenied",
              module: "FileSystem",
              method: "exists",
              pathOrDescriptor: target
            })
          )
          : fs.exists(target)
    }))
  )

/** `cli` of the harness, with the file system denying one access. */
const cliDenying = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  fileSystem: Layer.Layer<FileSystem.FileSystem, never, FileSystem.FileSystem>
) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const base = yield* Effect.console
    const code = yield* ScenarioTraining.run(["node", "scenario-training", ...args]).pipe(
      Effect.withConsole({
        ...base,
        log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void out.push(parts.join(" "))),
        error: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void err.push(parts.join(" ")))
      }),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      Effect.provide(fileSystem),
      Effect.provide(NodeContext.layer)
    )
    return { code, out: out.join("\n"), err: err.join("\n") }
  })

describe("scenario-training: the credentials", () => {
  it.effect("missing credentials name the variables", () =>
    Effect.gen(function*() {
      const { images } = makeFolder(1)
      const result = yield* cli(["sync", images, "--model", MODEL], {})
      expect(result.code).toBe(1)
      expect(result.err).toBe(`error: ${ScenarioTraining.MISSING_CREDENTIALS}`)
      expect(result.err).toContain("SCENARIO_SDK_API_KEY")
      expect(result.err).toContain("SCENARIO_SDK_API_SECRET")
      // And the way to try it out without them.
      expect(result.err).toContain("or pass --emulator to try it out against an embedded emulator")
    }))
})

describe("scenario-training sync: --state must be readable and writable where it is (exit 2, nothing sent)", () => {
  it.live("an existing state file this user may not write, or may not read", () =>
    withEmulator(({ emulator, env }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        const state = Path.join(root, "state.json")
        Fs.writeFileSync(state, "{}")
        for (const denied of ["readable", "writable"] as const) {
          const refused = yield* cliDenying(
            ["sync", images, "--model", MODEL, "--state", state],
            env,
            denying(state, denied)
          )
          expect(refused, denied).toEqual({
            code: 2,
            out: "",
            err: `error: --state ${state}: not readable and writable`
          })
        }
        expect((yield* emulator.requests).length).toBe(0)
        // Reading the folder it is in is not asked for: a folder that may only be written to holds a new one.
        const fresh = Path.join(root, "fresh.json")
        const ran = yield* cliDenying(
          ["sync", images, "--model", MODEL, "--state", fresh],
          env,
          denying(root, "readable")
        )
        expect(ran.code).toBe(0)
        expect(Fs.existsSync(fresh)).toBe(true)
      })
    ))

  it.live("a new state file in a folder this user may not write to", () =>
    withEmulator(({ emulator, env }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        const state = Path.join(root, "state.json")
        const refused = yield* cliDenying(
          ["sync", images, "--model", MODEL, "--state", state],
          env,
          denying(root, "writable")
        )
        expect(refused).toEqual({
          code: 2,
          out: "",
          err: `error: --state ${state}: its folder ${root} is not writable`
        })
        expect((yield* emulator.requests).length).toBe(0)
        expect(Fs.existsSync(state)).toBe(false)
      })
    ))
})

describe("scenario-training sync: a state file that cannot be read", () => {
  it.live("is refused, exit 2, nothing sent", () =>
    withEmulator(({ emulator, env }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        const state = Path.join(root, "state.json")
        Fs.writeFileSync(state, "{}")
        const refused = yield* cliDenying(["sync", images, "--model", MODEL, "--state", state], env, unreadable(state))
        expect(refused).toEqual({ code: 2, out: "", err: `error: the state file ${state} could not be read` })
        expect((yield* emulator.requests).length).toBe(0)
      })
    ))
})

describe("scenario-training sync: a state file whose existence cannot be told", () => {
  it.live("is taken as none: the run starts from an empty state, and writes it", () =>
    withEmulator(({ env }) =>
      Effect.gen(function*() {
        const { images, root } = makeFolder(1)
        const state = Path.join(root, "state.json")
        const ran = yield* cliDenying(["sync", images, "--model", MODEL, "--state", state], env, untold(state))
        expect(ran.code).toBe(0)
        expect(ran.out).toContain("Done: 1 succeeded, 0 failed, 0 unchanged")
        expect(Object.keys(JSON.parse(Fs.readFileSync(state, "utf8")).images)).toEqual(["img-0.png"])
      })
    ))
})

describe("scenario-training sync: on a terminal", () => {
  it.live("a progress bar on stderr, and no line per image on stdout", () =>
    withEmulator(({ run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(2)
        const drawn: Array<string> = []
        // stderr taken for a terminal, what is written to it kept (and not shown) while the command runs.
        const result = yield* Effect.acquireUseRelease(
          Effect.sync(() => {
            const saved = { isTTY: process.stderr.isTTY, write: process.stderr.write }
            process.stderr.isTTY = true
            process.stderr.write = ((chunk: string | Uint8Array) => {
              drawn.push(String(chunk))
              return true
            }) as typeof process.stderr.write
            return saved
          }),
          () => run(["sync", images, "--model", MODEL]),
          (saved) =>
            Effect.sync(() => {
              process.stderr.isTTY = saved.isTTY
              process.stderr.write = saved.write
            })
        )
        expect(result.code).toBe(0)
        expect(result.err).toBe("")
        const lines = result.out.split("\n")
        expect(lines[0]).toBe(`Plan for ${MODEL}: 2 to add, 0 to replace, 0 to delete, 0 unchanged`)
        expect(lines.slice(1).map((line) => line.replace(/ in \d+\.\d s$/, ""))).toEqual([
          "Done: 2 succeeded, 0 failed, 0 unchanged"
        ])
        expect(drawn.join("")).toContain("2/2")
      })
    ))
})

describe("scenario-training sync --fit", () => {
  it.live("an image over the request limit is planned to fail without it, and handed to the fitter with it", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(0)
        const huge = new Uint8Array(8 * 1024 * 1024)
        huge.set(PNG)
        Fs.writeFileSync(Path.join(images, "huge.png"), huge)
        const plain = yield* run(["sync", images, "--model", MODEL, "--dry-run"])
        const fitted = yield* run(["sync", images, "--model", MODEL, "--dry-run", "--fit"])
        expect(plain).toEqual({
          code: 0,
          out: [
            `Plan for ${MODEL}: 0 to add, 0 to replace, 0 to delete, 0 unchanged, 1 over the request limit (will fail) ` +
            "(dry run: nothing sent)",
            "  add huge.png will fail: 8.0 MiB, a 10.7 MiB request, over the 10.0 MiB request limit: downscale it " +
            "(--fit does) or exclude it"
          ].join("\n"),
          err: ""
        })
        expect(fitted).toEqual({
          code: 0,
          out: [
            `Plan for ${MODEL}: 1 to add, 0 to replace, 0 to delete, 0 unchanged, 1 to fit under the request limit ` +
            "(dry run: nothing sent)",
            "  add huge.png, fitted: 8.0 MiB is over the 10.0 MiB request limit, sent as at most 7.5 MiB"
          ].join("\n"),
          err: ""
        })
        expect(yield* writes(emulator)).toBe(0)
      })
    ))
})

describe("scenario-training --emulator", () => {
  it.effect("an embedded emulator that cannot start (a model id it refuses): said, exit 1", () =>
    Effect.gen(function*() {
      const listed = yield* cli(["list", "--model", "", "--emulator"], {})
      expect(listed.code).toBe(1)
      expect(listed.out).toBe("")
      expect(listed.err).toMatch(
        /^error: the embedded emulator could not start: Invalid seed: .*model id must not be empty/
      )
      expect(listed.err.split("\n").length).toBe(1)
    }))
})

describe("scenario-training sync: the totals and lines of a run", () => {
  it.live("of three 429s asking to wait past the cap, the longest is named wherever it comes", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(3)
        for (const retryAfter of ["2 hours", "3 hours", "1 hour"] as const) {
          yield* emulator.failNext(1, Fault.rateLimited({ retryAfter }), { operation: "add" })
        }
        const result = yield* run(["sync", images, "--model", MODEL, "--concurrency", "1"])
        expect(result.code).toBe(1)
        expect(result.out).toMatch(/^Done: 0 succeeded, 3 failed, 0 unchanged in \d+\.\d s$/m)
        expect(result.out).toMatch(/^The server asked to wait 3h: rerun after (\d{4}-\d\d-\d\d )?\d\d:\d\d UTC\.$/m)
      })
    ))

  it.live("a wait asked with another failure than a 429 is no rate limit: no rerun line", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.failNext(1, Fault.status(400, { retryAfter: "2 hours" }), { operation: "add" })
        const result = yield* run(["sync", images, "--model", MODEL])
        expect(result.code).toBe(1)
        expect(result.err).toMatch(/^FAILED add img-0\.png: POST \S+ failed with 400 Bad Request/)
        expect(result.out.split("\n").map((line) => line.replace(/ in \d+\.\d s$/, ""))).toEqual([
          `Plan for ${MODEL}: 1 to add, 0 to replace, 0 to delete, 0 unchanged`,
          "Done: 0 succeeded, 1 failed, 0 unchanged"
        ])
      })
    ))

  it.live("--json: success, and the images on the model not in the folder, without --delete", () =>
    withEmulator(({ emulator, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.seed({
          [MODEL]: {
            trainingImages: [
              { id: "asset_o1", name: "o1.png" },
              { id: "asset_o2", name: "o2.png" },
              { id: "asset_d1", name: "img-0.png" },
              { id: "asset_d2", name: "img-0.png" }
            ]
          }
        })
        const json = yield* run(["sync", images, "--model", MODEL, "--json"])
        expect(json.code).toBe(0)
        const output = Schema.decodeUnknownSync(ScenarioTraining.SyncOutput)(JSON.parse(json.out))
        expect(output.success).toBe(true)
        expect(output.rerunAfter).toBeUndefined()
        expect(output.totals).toEqual({
          planned: 0,
          succeeded: 0,
          reconciled: 0,
          failed: 0,
          unchanged: 1,
          notInFolder: 2
        })
        // SyncOutput, for whoever reads this JSON, holds each count: a total left out or not a number is refused.
        const parsed = JSON.parse(json.out)
        for (const totals of [{ ...parsed.totals, planned: "0" }, { ...parsed.totals, failed: undefined }]) {
          expect(Either.isLeft(Schema.decodeUnknownEither(ScenarioTraining.SyncOutput)({ ...parsed, totals }))).toBe(
            true
          )
        }
        // Its lines on stderr, so that stdout stays one JSON value.
        expect(json.err.split("\n")).toEqual([
          `Plan for ${MODEL}: 0 to add, 0 to replace, 0 to delete, 1 unchanged`,
          "2 training images on the model are not in the folder: left as they are (--delete removes them)",
          "1 training image holds a name another one holds too: left as it is (--delete removes it)"
        ])
      })
    ))

  it.live("--delete: one image deleted is one training image, and none is left", () =>
    withEmulator(({ emulator, names, run }) =>
      Effect.gen(function*() {
        const { images } = makeFolder(1)
        yield* emulator.seed({ [MODEL]: { trainingImages: [{ id: "asset_o1", name: "o1.png" }] } })
        const deleted = yield* run(["sync", images, "--model", MODEL, "--delete"])
        expect(deleted.code).toBe(0)
        expect(deleted.err).toBe("")
        expect(deleted.out.split("\n").slice(0, 2)).toEqual([
          `Plan for ${MODEL}: 1 to add, 0 to replace, 1 to delete, 0 unchanged`,
          "Deleting 1 training image not in the folder"
        ])
        expect(deleted.out).not.toContain("not in the folder:")
        expect(yield* names).toEqual(["img-0.png"])
      })
    ))
})

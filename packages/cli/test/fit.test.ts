// `--fit` end to end on the loopback emulator: big images made here with sharp (noise, so that they are as
// large as real photos), sent under the request limit, and what the emulator stored decoded again.
import { ScenarioTraining } from "@effect-scenario/cli"
import type { ImageFitter } from "@effect-scenario/core"
import { maxInlineImageBytes } from "@effect-scenario/kernel/RequestBody"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeContext } from "@effect/platform-node"
import { afterAll, assert, beforeAll, describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import * as ChildProcess from "node:child_process"
import * as Crypto from "node:crypto"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import sharp, { type Sharp } from "sharp"
import { readmeBlocks } from "../../../scripts/readme-blocks.mjs"
import { loadSharpFitter, makeSharpFitter, scaled } from "../src/internal/sharpFitter.js"

const MODEL = "model_fit"
const LIMIT = 10_485_760

/** Pixels of a diagonal gradient with seeded noise of `amplitude` (0 to 255) on every channel. */
const noise = (width: number, height: number, channels: number, amplitude: number, seed: number) => {
  const data = new Uint8Array(width * height * channels)
  let x = seed >>> 0 || 1
  for (let y = 0; y < height; y++) {
    const row = y * width * channels
    for (let i = 0; i < width * channels; i++) {
      x ^= x << 13
      x >>>= 0
      x ^= x >>> 17
      x ^= x << 5
      x >>>= 0
      const base = (Math.floor(i / channels) * 255 / width + y * 255 / height) / 2
      data[row + i] = Math.max(0, Math.min(255, base + ((x & 0xff) - 128) * amplitude / 128))
    }
  }
  return data
}

const encoded = (
  width: number,
  height: number,
  amplitude: number,
  format: (image: Sharp) => Sharp,
  channels: 3 | 4 = 3
) =>
  format(sharp(noise(width, height, channels, amplitude, width ^ height), { raw: { width, height, channels } }))
    .toBuffer()

const sha256 = (path: string) => Crypto.createHash("sha256").update(Fs.readFileSync(path)).digest("hex")

let root = ""
let folder = ""
const hashes = new Map<string, string>()
// A 24-megapixel photo-like JPEG (about 16 MiB) and a PNG of about 40 MB, both over the 10 MiB limit.
const PHOTO = { name: "photo.jpg", width: 6000, height: 4000 }
const RENDER = { name: "render.png", width: 4600, height: 3300 }

beforeAll(async () => {
  root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "scenario-fit-"))
  folder = Path.join(root, "images")
  Fs.mkdirSync(folder)
  Fs.writeFileSync(
    Path.join(folder, PHOTO.name),
    await encoded(PHOTO.width, PHOTO.height, 64, (image) => image.jpeg({ quality: 92 }))
  )
  Fs.writeFileSync(
    Path.join(folder, RENDER.name),
    await encoded(RENDER.width, RENDER.height, 255, (image) => image.png({ compressionLevel: 1 }))
  )
  Fs.writeFileSync(Path.join(folder, "small.png"), await encoded(64, 48, 20, (image) => image.png()))
  for (const name of Fs.readdirSync(folder)) hashes.set(name, sha256(Path.join(folder, name)))
}, 120_000)

afterAll(() => {
  if (root !== "") Fs.rmSync(root, { recursive: true, force: true })
})

interface Ran {
  readonly code: number
  readonly out: string
  readonly err: string
}

const withEmulator = <A, E>(
  body: (ctx: {
    readonly emulator: ScenarioEmulator.Control
    readonly run: (args: ReadonlyArray<string>) => Effect.Effect<Ran>
  }) => Effect.Effect<A, E>
) =>
  Effect.scoped(Effect.gen(function*() {
    const emulator = yield* ScenarioEmulator.make({ models: { [MODEL]: {} } })
    const env = new Map(Object.entries({
      SCENARIO_SDK_API_KEY: ScenarioEmulator.DEFAULT_API_KEY,
      SCENARIO_SDK_API_SECRET: ScenarioEmulator.DEFAULT_API_SECRET,
      SCENARIO_SDK_BASE_URL: emulator.baseUrl
    }))
    const run = (args: ReadonlyArray<string>) =>
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
          Effect.withConfigProvider(ConfigProvider.fromMap(env)),
          Effect.provide(NodeContext.layer)
        )
        return { code, out: out.join("\n"), err: err.join("\n") }
      })
    return yield* body({ emulator, run })
  }))

/** The images the emulator stored, by name: its bytes as sent, decoded again with sharp. */
const stored = (emulator: ScenarioEmulator.Control) =>
  Effect.gen(function*() {
    const snapshot = yield* emulator.snapshot
    const images = snapshot.models[MODEL]!.trainingImages
    return yield* Effect.forEach(images, (image) =>
      Effect.promise(async () => {
        const response = await fetch(new URL(`inspector/images/${MODEL}/${image.id}`, emulator.inspectorUrl!))
        const bytes = Buffer.from(await response.arrayBuffer())
        return { name: image.name, bytes, metadata: await sharp(bytes).metadata() }
      }))
  })

const adds = (emulator: ScenarioEmulator.Control) =>
  Effect.map(emulator.requests, (requests) => requests.filter((request) => request.method === "POST"))

const expectSourcesUnchanged = () => {
  for (const [name, hash] of hashes) expect(sha256(Path.join(folder, name)), name).toBe(hash)
}

describe("--fit", () => {
  it("the generated images are over the limit, as real ones would be", () => {
    const photo = Fs.statSync(Path.join(folder, PHOTO.name)).size
    const render = Fs.statSync(Path.join(folder, RENDER.name)).size
    expect(photo).toBeGreaterThan(LIMIT)
    expect(render).toBeGreaterThan(36 * 1024 * 1024)
  })

  it.live(
    "without it, both big images are planned to fail and nothing of them is sent",
    () =>
      withEmulator(({ emulator, run }) =>
        Effect.gen(function*() {
          const ran = yield* run(["sync", folder, "--model", MODEL])
          expect(ran.code).toBe(1)
          expect(ran.out).toContain("2 over the request limit (will fail)")
          expect(ran.err).toMatch(/FAILED add photo\.jpg will fail: .* downscale it \(--fit does\) or exclude it/)
          const names = (yield* stored(emulator)).map((image) => image.name)
          expect(names).toEqual(["small.png"])
          expectSourcesUnchanged()
        })
      ),
    120_000
  )

  it.live(
    "sync --fit sends both under the limit, format and aspect ratio kept, and says what it sent",
    () =>
      withEmulator(({ emulator, run }) =>
        Effect.gen(function*() {
          const dry = yield* run(["sync", folder, "--model", MODEL, "--fit", "--dry-run"])
          expect(dry.code).toBe(0)
          expect(dry.out).toContain("2 to fit under the request limit")
          expect(dry.out).toMatch(
            /add photo\.jpg, fitted: 1\d\.\d MiB is over the 10\.0 MiB request limit, sent as at most 7\.5 MiB/
          )
          expect(dry.out).toMatch(/add render\.png, fitted: /)
          expect(yield* adds(emulator)).toEqual([])

          const ran = yield* run(["sync", folder, "--model", MODEL, "--fit"])
          expect(ran.err).toBe("")
          expect(ran.code).toBe(0)
          expect(ran.out).toMatch(/fitted photo\.jpg: 1\d\.\d MiB 6000x4000 JPEG sent as \d\.\d MiB \d+x\d+ JPEG/)
          expect(ran.out).toMatch(/fitted render\.png: \d\d\.\d MiB 4600x3300 PNG sent as \d\.\d MiB \d+x\d+ PNG/)
          // Every request was answered 200: none was over the emulator's 10 MiB body limit.
          const requests = yield* emulator.requests
          expect(requests.map((request) => request.status).every((status) => status === 200)).toBe(true)
          expect((yield* adds(emulator)).length).toBe(3)

          const images = yield* stored(emulator)
          const byName = new Map(images.map((image) => [image.name, image]))
          for (const source of [{ ...PHOTO, format: "jpeg" }, { ...RENDER, format: "png" }]) {
            const image = byName.get(source.name)
            assert(image !== undefined)
            expect(image.metadata.format).toBe(source.format)
            expect(image.bytes.length).toBeLessThanOrEqual(
              maxInlineImageBytes({ name: source.name, maxRequestBytes: LIMIT })
            )
            const { height, width } = image.metadata
            // Smaller, and the aspect ratio kept within the rounding of one side to whole pixels.
            expect(width).toBeLessThan(source.width)
            expect(Math.abs(width / height - source.width / source.height)).toBeLessThanOrEqual(
              source.width / source.height / height
            )
            expect(Math.abs(Math.round(width * source.height / source.width) - height)).toBeLessThanOrEqual(1)
          }
          // The small image went as it was.
          expect(byName.get("small.png")!.bytes).toEqual(Fs.readFileSync(Path.join(folder, "small.png")))
          expectSourcesUnchanged()

          // A rerun finds the names on the model: nothing is fitted or sent again.
          const rerun = yield* run(["sync", folder, "--model", MODEL, "--fit", "--json"])
          expect(rerun.code).toBe(0)
          expect(JSON.parse(rerun.out).totals).toMatchObject({ planned: 0, unchanged: 3 })
          expect((yield* adds(emulator)).length).toBe(3)
        })
      ),
    240_000
  )

  it.live(
    "add --fit on a terminal says what it will fit, then what it sent",
    () =>
      withEmulator(({ emulator, run }) =>
        Effect.gen(function*() {
          const ran = yield* run(["add", Path.join(folder, PHOTO.name), "--model", MODEL, "--fit"])
          expect(ran.err).toBe("")
          expect(ran.code).toBe(0)
          const lines = ran.out.split("\n")
          const planned = lines.findIndex((line) =>
            /^add photo\.jpg, fitted: 1\d\.\d MiB is over the 10\.0 MiB request limit, sent as at most 7\.5 MiB/
              .test(line)
          )
          const sent = lines.findIndex((line) =>
            /fitted photo\.jpg: 1\d\.\d MiB 6000x4000 JPEG sent as \d\.\d MiB \d+x\d+ JPEG/.test(line)
          )
          expect(planned).toBeGreaterThanOrEqual(0)
          expect(sent).toBeGreaterThan(planned)
          expect((yield* adds(emulator)).length).toBe(1)
          expectSourcesUnchanged()
        })
      ),
    120_000
  )

  it.live(
    "add --fit sends one file under the limit; --json reports what was sent",
    () =>
      withEmulator(({ emulator, run }) =>
        Effect.gen(function*() {
          const ran = yield* run(["add", Path.join(folder, PHOTO.name), "--model", MODEL, "--fit", "--json"])
          expect(ran.code).toBe(0)
          const output = JSON.parse(ran.out)
          const [result] = output.report.results
          expect(result.item).toMatchObject({ _tag: "Add", name: PHOTO.name, fit: { maxRequestBytes: LIMIT } })
          expect(result.outcome.fitted).toMatchObject({
            bytes: Fs.statSync(Path.join(folder, PHOTO.name)).size,
            width: PHOTO.width,
            height: PHOTO.height,
            mediaType: "image/jpeg",
            sentMediaType: "image/jpeg"
          })
          const [image] = yield* stored(emulator)
          expect(image!.bytes.length).toBe(result.outcome.fitted.sentBytes)
          expect([image!.metadata.width, image!.metadata.height]).toEqual([
            result.outcome.fitted.sentWidth,
            result.outcome.fitted.sentHeight
          ])
          expectSourcesUnchanged()
        })
      ),
    120_000
  )
})

describe("the README's --fit commands", () => {
  const readme = Fs.readFileSync(new URL("../../../README.md", import.meta.url), "utf8")
  const lines = readmeBlocks(readme)
    .filter((block) => block.check?.kind === "scenario-training")
    .flatMap((block) => block.code.split("\n"))
    .filter((line) => line.trim() !== "")

  it("are there, each a scenario-training command with --fit", () => {
    expect(lines.length).toBeGreaterThan(0)
    for (const line of lines) expect(line).toMatch(/^scenario-training \S.* --fit\b/)
  })

  for (const line of lines) {
    it.live(`runs as typed: ${line}`, () =>
      Effect.gen(function*() {
        // The folder of the README is this suite's folder of big images.
        const args = line.split(/\s+/).slice(1).map((arg) => arg === "./photos" ? folder : arg)
        const out: Array<string> = []
        const collect = (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void out.push(parts.join(" ")))
        const base = yield* Effect.console
        const code = yield* ScenarioTraining.run(["node", "scenario-training", ...args]).pipe(
          Effect.withConsole({ ...base, log: collect, error: collect }),
          Effect.provide(NodeContext.layer)
        )
        const text = out.join("\n")
        expect(code, text).toBe(0)
        expect(text).toContain("2 to fit under the request limit")
        if (!args.includes("--dry-run")) expect(text).toMatch(/fitted photo\.jpg: .* sent as /)
        expectSourcesUnchanged()
      }), 120_000)
  }
})

describe("--fit without sharp", () => {
  it.live(
    "the binary stops before anything is sent, exit code 2, saying how to install sharp",
    () =>
      Effect.promise(() => {
        // A module hook that makes `sharp` unresolvable, as on an install without optional dependencies.
        const hook = Path.join(root, "no-sharp.mjs")
        Fs.writeFileSync(
          hook,
          `import { register } from "node:module"
register("data:text/javascript," + encodeURIComponent(\`
export async function resolve(specifier, context, next) {
  if (specifier === "sharp") throw Object.assign(new Error("Cannot find package 'sharp'"), { code: "ERR_MODULE_NOT_FOUND" })
  return next(specifier, context)
}\`))
`
        )
        const bin = fileURLToPath(new URL("../src/bin.ts", import.meta.url))
        const args = ["add", Path.join(folder, PHOTO.name), "--model", MODEL, "--emulator", "--fit"]
        return new Promise<void>((resolve) => {
          const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", "--import", hook, bin, ...args], {
            env: { PATH: process.env.PATH ?? "" },
            stdio: ["ignore", "pipe", "pipe"]
          })
          let out = ""
          child.stdout.on("data", (chunk: Buffer) => out += chunk)
          child.stderr.on("data", (chunk: Buffer) => out += chunk)
          child.on("close", (code) => {
            expect(out).toContain("error: --fit needs sharp, an optional dependency of @effect-scenario/cli")
            expect(out).toContain("npm install sharp")
            // Refused before the emulator started, let alone before a request.
            expect(out).not.toContain("embedded emulator")
            expect(code).toBe(2)
            resolve()
          })
        })
      }),
    60_000
  )
})

describe("the sharp fitter", () => {
  const fitOnce = (bytes: Uint8Array, mediaType: ImageFitter.FitInput["mediaType"], maxBytes: number) =>
    Effect.flatMap(loadSharpFitter(), (fitter) => fitter.fit({ name: "x", bytes, mediaType, maxBytes }))

  it.live(
    "keeps WebP as WebP and GIF as GIF, the aspect ratio kept; the same bytes give the same result",
    () =>
      Effect.gen(function*() {
        const webp = yield* Effect.promise(() => encoded(600, 400, 128, (image) => image.webp({ quality: 95 })))
        const gif = yield* Effect.promise(() => encoded(240, 400, 128, (image) => image.gif()))
        for (const [bytes, mediaType, format] of [[webp, "image/webp", "webp"], [gif, "image/gif", "gif"]] as const) {
          const maxBytes = Math.floor(bytes.length / 4)
          const first = yield* fitOnce(bytes, mediaType, maxBytes)
          expect(first.mediaType).toBe(mediaType)
          expect(first.bytes.length).toBeLessThanOrEqual(maxBytes)
          const metadata = yield* Effect.promise(() => sharp(first.bytes).metadata())
          expect(metadata.format).toBe(format)
          expect([metadata.width, metadata.height]).toEqual([first.width, first.height])
          expect(Math.abs(Math.round(first.width * first.sourceHeight / first.sourceWidth) - first.height))
            .toBeLessThanOrEqual(1)
          const second = yield* fitOnce(bytes, mediaType, maxBytes)
          expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true)
        }
      }),
    60_000
  )

  it.live("a PNG with transparency stays a PNG with its alpha channel", () =>
    Effect.gen(function*() {
      const png = yield* Effect.promise(() => encoded(800, 600, 200, (image) => image.png(), 4))
      const fitted = yield* fitOnce(png, "image/png", Math.floor(png.length / 3))
      const metadata = yield* Effect.promise(() => sharp(fitted.bytes).metadata())
      expect(metadata.format).toBe("png")
      expect(metadata.hasAlpha).toBe(true)
    }), 60_000)

  it.live(
    "an image sharp cannot decode, or one that cannot get small enough, fails typed",
    () =>
      Effect.gen(function*() {
        const broken = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8])
        const error = yield* Effect.flip(fitOnce(broken, "image/png", 10))
        expect(error._tag).toBe("ImageFitError")
        expect(error.message).toMatch(/^x could not be fitted under the request limit: sharp: /)
        const png = yield* Effect.promise(() => encoded(64, 64, 255, (image) => image.png()))
        const tooSmall = yield* Effect.flip(fitOnce(png, "image/png", 10))
        expect(tooSmall.message).toContain("no encoding of it came under 10 bytes")
      }),
    60_000
  )

  it.effect("without sharp, --fit says how to install it", () =>
    Effect.gen(function*() {
      const missing = Object.assign(new Error("Cannot find package 'sharp'"), { code: "ERR_MODULE_NOT_FOUND" })
      const error = yield* Effect.flip(loadSharpFitter(() => Promise.reject(missing)))
      expect(error._tag).toBe("SharpUnavailableError")
      expect(error.message).toContain("npm install sharp")
      expect(error.message).not.toContain("Cannot find package")
      const broken = yield* Effect.flip(loadSharpFitter(() =>
        Promise.reject(new Error("Could not load the \"sharp\" module using the linux-x64 runtime\nmore"))
      ))
      expect(broken.message).toContain("(Could not load the \"sharp\" module using the linux-x64 runtime)")
      const other = yield* Effect.flip(loadSharpFitter(() =>
        Promise.resolve({ default: 42 })
      ))
      expect(other.message).toContain("not sharp")
      expect(makeSharpFitter).toBeTypeOf("function")
    }))

  it("scales both sides, the aspect ratio kept, never below a pixel", () => {
    expect(scaled(6000, 4000, 1)).toEqual({ width: 6000, height: 4000 })
    expect(scaled(6000, 4000, 0.5)).toEqual({ width: 3000, height: 2000 })
    expect(scaled(4600, 3300, 0.4)).toEqual({ width: 1840, height: 1320 })
    expect(scaled(3300, 4600, 0.4)).toEqual({ width: 1320, height: 1840 })
    expect(scaled(1000, 10, 0.001)).toEqual({ width: 1, height: 1 })
  })
})

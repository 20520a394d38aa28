/**
 * The `scenario-training` command on a folder of sample images: generates `examples/.tmp/sample-images`
 * (small gradient PNGs and a pairs file), then syncs it into a model of an embedded emulator, with its
 * progress bar on a terminal. Run it twice to see a rerun change nothing.
 *
 *   pnpm demo:sync
 *
 * The same, by hand (after `pnpm build`):
 *
 *   node packages/cli/dist/bin.js sync examples/.tmp/sample-images --model model_demo --emulator \
 *     --pairs examples/.tmp/sample-images.pairs.csv
 */
import { ScenarioTraining } from "@effect-scenario/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Zlib from "node:zlib"

const here = Path.dirname(fileURLToPath(import.meta.url))
const folder = Path.join(here, ".tmp", "sample-images")
const pairsFile = Path.join(here, ".tmp", "sample-images.pairs.csv")

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

const crc32 = (bytes: Uint8Array) => {
  let c = 0xffffffff
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const chunk = (type: string, data: Uint8Array) => {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, "ascii")
  out.set(data, 8)
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** A real, viewable RGB PNG: a diagonal gradient between two colours. */
const gradientPng = (size: number, from: [number, number, number], to: [number, number, number]) => {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const rows = Buffer.alloc(size * (1 + size * 3))
  for (let y = 0; y < size; y++) {
    const row = y * (1 + size * 3)
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * (size - 1))
      for (let c = 0; c < 3; c++) rows[row + 1 + x * 3 + c] = Math.round(from[c]! + (to[c]! - from[c]!) * t)
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", Zlib.deflateSync(rows)),
    chunk("IEND", new Uint8Array())
  ])
}

const COUNT = 30

const writeSamples = () => {
  Fs.mkdirSync(folder, { recursive: true })
  const pairs = ["source,target,instruction"]
  for (let i = 0; i < COUNT; i++) {
    const hue = (i * 47) % 256
    const day = gradientPng(64, [hue, 200, 255 - hue], [255, 240, 200])
    Fs.writeFileSync(Path.join(folder, `sample-${String(i).padStart(2, "0")}.png`), day)
  }
  for (let i = 0; i + 1 < COUNT; i += 6) {
    pairs.push(`sample-${String(i).padStart(2, "0")}.png,sample-${String(i + 1).padStart(2, "0")}.png,warmer light`)
  }
  Fs.writeFileSync(pairsFile, `${pairs.join("\n")}\n`)
}

const relative = (path: string) => Path.relative(process.cwd(), path)

const main = Effect.gen(function*() {
  writeSamples()
  // A rate keeps the run long enough for its progress bar to be seen on a terminal.
  const args = [
    "sync",
    relative(folder),
    "--model",
    "model_demo",
    "--emulator",
    "--pairs",
    relative(pairsFile),
    "--rate",
    "12"
  ]
  yield* Console.log(`\n$ scenario-training ${args.join(" ")}`)
  const code = yield* ScenarioTraining.run(["node", "scenario-training", ...args])
  process.exitCode = code
}).pipe(Effect.provide(NodeContext.layer))

NodeRuntime.runMain(main)

/**
 * What a sync costs the client: `count` images of `size` bytes from a folder on disk into the emulator (in
 * a child process, so that only the client is measured) at the concurrency given; prints wall time and peak
 * RSS. Memory must be bounded by concurrency × image size, not by the size of the folder: compare the peak
 * RSS at 1,000 and 5,000 images. A third row adds images far over the request limit (one of 1 GiB, four of
 * 256 MiB, sparse files: the disk is not filled) to 1,000 images: each must fail as its own item, unread, and
 * the peak RSS stay that of the run without them.
 *
 * The `pull` rows write the images of a model (`model_source` in the emulator, each served from its download
 * origin) to a new folder, and the `copy` rows copy them to another model, both at the same concurrency: their
 * memory too must be bounded by concurrency × image size, flat from 1,000 to 5,000 images.
 *
 * ```sh
 * pnpm cost:sync                       # sync: 1,000 and 5,000 images of 100 KB, then 1,000 + 5 oversized;
 *                                      # then pull and copy of 1,000 and 5,000; at concurrency 16
 * pnpm cost:sync --only pull,copy      # the pull and copy rows only
 * pnpm cost:sync --images 1000 --size 102400 --concurrency 16 [--oversized] [--mode sync|pull|copy]
 * ```
 */
import { Credentials, TrainingSet } from "@effect-scenario/core"
import { NodeTrainingImages, UndiciHttpClient } from "@effect-scenario/platform-node"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeContext } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

const flag = (name: string): number | undefined => {
  const index = process.argv.indexOf(name)
  return index === -1 ? undefined : Number(process.argv[index + 1])
}

// Over the request limit by far: a 1 GiB image aborted the process (in the base64 encoder) before images
// were judged by their size, unread.
const OVERSIZED: ReadonlyArray<readonly [string, number]> = [
  ["oversized-1gib.png", 1024 * 1024 * 1024],
  ...[1, 2, 3, 4].map((i) => [`oversized-256mib-${i}.png`, 256 * 1024 * 1024] as const)
]

// A PNG signature then a hole: the file has its size without its blocks.
const writeSparse = (path: string, size: number) => {
  Fs.writeFileSync(path, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  Fs.truncateSync(path, size)
}

type Mode = "sync" | "pull" | "copy"

const measure = async (count: number, size: number, concurrency: number, oversized: boolean, mode: Mode) => {
  const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "cost-sync-"))
  const folder = Path.join(root, "images")
  const child = ChildProcess.fork(
    fileURLToPath(new URL("./emulator-child.ts", import.meta.url)),
    [folder, String(count), String(size), mode === "sync" ? "folder" : "source"],
    { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }
  )
  const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve) => child.once("message", resolve as never))
  if (oversized) { for (const [name, bytes] of OVERSIZED) writeSparse(Path.join(folder, name), bytes) }
  const before = process.memoryUsage().rss
  const started = performance.now()
  const service = NodeTrainingImages.layer({
    baseUrl,
    credentials: Credentials.basic(ScenarioEmulator.DEFAULT_API_KEY, ScenarioEmulator.DEFAULT_API_SECRET)
  })
  if (mode !== "sync") {
    const ok = await Effect.runPromise(
      Effect.gen(function*() {
        if (mode === "pull") {
          const report = yield* TrainingSet.pull({
            modelId: "model_source",
            folder: Path.join(root, "pulled"),
            concurrency
          })
          return report.results.filter((result) => result.outcome._tag === "Written").length
        }
        const report = yield* TrainingSet.copy({ from: "model_source", to: "model_cost", concurrency })
        return report.results.filter((result) => result.outcome._tag === "Succeeded").length
      }).pipe(
        Effect.provide(service),
        Effect.provide(UndiciHttpClient.layer({ connections: concurrency })),
        Effect.provide(NodeContext.layer)
      )
    )
    const seconds = (performance.now() - started) / 1000
    const peak = process.resourceUsage().maxRSS * 1024
    child.disconnect()
    Fs.rmSync(root, { recursive: true, force: true })
    if (ok !== count) throw new Error(`the ${mode} did not end as expected: ${ok} of ${count} images done`)
    return { count, size, concurrency, seconds, before, peak, oversized, mode }
  }
  const report = await Effect.runPromise(
    Effect.gen(function*() {
      const sources = yield* TrainingSet.readFolder(folder)
      const plan = yield* TrainingSet.plan({ modelId: "model_cost", images: sources })
      return yield* TrainingSet.apply(plan, sources, { concurrency })
    }).pipe(
      Effect.provide(service),
      Effect.provide(NodeContext.layer)
    )
  )
  const seconds = (performance.now() - started) / 1000
  const peak = process.resourceUsage().maxRSS * 1024
  child.disconnect()
  Fs.rmSync(root, { recursive: true, force: true })
  const failures = TrainingSet.failures(report)
  const expected = oversized ? OVERSIZED.length : 0
  const refused = failures.filter((f) => f.item._tag === "TooLarge" && f.error._tag === "InvalidRequestError")
  if (report.results.length !== count + expected || failures.length !== expected || refused.length !== expected) {
    throw new Error(`the sync did not end as expected: ${failures.length} failures, ${expected} expected`)
  }
  return { count, size, concurrency, seconds, before, peak, oversized, mode }
}

const modeFlag = (): Mode => {
  const index = process.argv.indexOf("--mode")
  const mode = index === -1 ? "sync" : process.argv[index + 1]
  if (mode !== "sync" && mode !== "pull" && mode !== "copy") throw new Error(`--mode sync, pull or copy, not ${mode}`)
  return mode
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`

const main = async () => {
  const size = flag("--size") ?? 100 * 1024
  const concurrency = flag("--concurrency") ?? 16
  const single = flag("--images")
  if (single !== undefined) {
    const result = await measure(single, size, concurrency, process.argv.includes("--oversized"), modeFlag())
    // One line of JSON for a parent run to read.
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  // Each count in a process of its own: peak RSS is per process.
  const onlyIndex = process.argv.indexOf("--only")
  const only = onlyIndex === -1 ? ["sync", "pull", "copy"] : process.argv[onlyIndex + 1]!.split(",")
  const runs = ([
    [1000, false, "sync"],
    [5000, false, "sync"],
    [1000, true, "sync"],
    [1000, false, "pull"],
    [5000, false, "pull"],
    [1000, false, "copy"],
    [5000, false, "copy"]
  ] as const).filter(([, , mode]) => only.includes(mode))
  const results = runs.map(([count, oversized, mode]) => {
    const output = ChildProcess.execFileSync(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(import.meta.url),
        "--images",
        String(count),
        "--size",
        String(size),
        "--concurrency",
        String(concurrency),
        "--mode",
        mode,
        ...(oversized ? ["--oversized"] : [])
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
    )
    return JSON.parse(output.trim().split("\n").at(-1)!) as Awaited<ReturnType<typeof measure>>
  })
  console.log(`| run | images | image size | concurrency | wall time | images/s | RSS before | peak RSS |`)
  console.log(`|---|---|---|---|---|---|---|---|`)
  for (const r of results) {
    console.log(
      `| ${r.mode} | ${r.count}${r.oversized ? " + 1 of 1 GiB + 4 of 256 MiB (refused, unread)" : ""} | ${
        (r.size / 1024).toFixed(0)
      } KB | ${r.concurrency} | ${r.seconds.toFixed(1)} s | ${(r.count / r.seconds).toFixed(0)} | ${mib(r.before)} | ${
        mib(r.peak)
      } |`
    )
  }
  // Each kind of run: its peak RSS at 5,000 images over that at 1,000, which must be within 10%.
  const peakOf = (mode: Mode, count: number, oversized = false) =>
    results.find((r) => r.mode === mode && r.count === count && r.oversized === oversized)?.peak
  const ratios: Array<number> = []
  console.log("")
  for (const mode of ["sync", "pull", "copy"] as const) {
    const small = peakOf(mode, 1000)
    const large = peakOf(mode, 5000)
    if (small === undefined || large === undefined) continue
    const ratio = large / small
    ratios.push(ratio)
    console.log(
      `${mode}: peak RSS at 5,000 / at 1,000: ${ratio.toFixed(3)} (${ratio <= 1.1 ? "within" : "NOT within"} 10%)`
    )
  }
  const withOversized = peakOf("sync", 1000, true)
  const without = peakOf("sync", 1000)
  if (withOversized !== undefined && without !== undefined) {
    const oversizedRatio = withOversized / without
    ratios.push(oversizedRatio)
    console.log(
      `peak RSS with the 2 GiB of oversized images / without: ${oversizedRatio.toFixed(3)} (${
        oversizedRatio <= 1.1 ? "within" : "NOT within"
      } 10%)`
    )
  }
  if (ratios.some((ratio) => ratio > 1.1)) process.exitCode = 1
}

main().catch((error) => {
  console.error(String(error))
  process.exitCode = 1
})

/**
 * What a sync costs the client: `count` images of `size` bytes from a folder on disk into the emulator (in
 * a child process, so that only the client is measured) at the concurrency given; prints wall time and peak
 * RSS. Memory must be bounded by concurrency × image size, not by the size of the folder: compare the peak
 * RSS at 1,000 and 5,000 images. A third row adds images far over the request limit (one of 1 GiB, four of
 * 256 MiB, sparse files: the disk is not filled) to 1,000 images: each must fail as its own item, unread, and
 * the peak RSS stay that of the run without them.
 *
 * ```sh
 * pnpm cost:sync                       # 1,000 and 5,000 images of 100 KB, then 1,000 + 5 oversized, at concurrency 16
 * pnpm cost:sync --images 1000 --size 102400 --concurrency 16 [--oversized]
 * ```
 */
import { Credentials, TrainingSet } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
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

const measure = async (count: number, size: number, concurrency: number, oversized: boolean) => {
  const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "cost-sync-"))
  const folder = Path.join(root, "images")
  const child = ChildProcess.fork(
    fileURLToPath(new URL("./emulator-child.ts", import.meta.url)),
    [folder, String(count), String(size)],
    { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }
  )
  const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve) => child.once("message", resolve as never))
  if (oversized) { for (const [name, bytes] of OVERSIZED) writeSparse(Path.join(folder, name), bytes) }
  const before = process.memoryUsage().rss
  const started = performance.now()
  const report = await Effect.runPromise(
    Effect.gen(function*() {
      const sources = yield* TrainingSet.readFolder(folder)
      const plan = yield* TrainingSet.plan({ modelId: "model_cost", images: sources })
      return yield* TrainingSet.apply(plan, sources, { concurrency })
    }).pipe(
      Effect.provide(NodeTrainingImages.layer({
        baseUrl,
        credentials: Credentials.basic(ScenarioEmulator.DEFAULT_API_KEY, ScenarioEmulator.DEFAULT_API_SECRET)
      })),
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
  return { count, size, concurrency, seconds, before, peak, oversized }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`

const main = async () => {
  const size = flag("--size") ?? 100 * 1024
  const concurrency = flag("--concurrency") ?? 16
  const single = flag("--images")
  if (single !== undefined) {
    const result = await measure(single, size, concurrency, process.argv.includes("--oversized"))
    // One line of JSON for a parent run to read.
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  // Each count in a process of its own: peak RSS is per process.
  const runs = [[1000, false], [5000, false], [1000, true]] as const
  const results = runs.map(([count, oversized]) => {
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
        ...(oversized ? ["--oversized"] : [])
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
    )
    return JSON.parse(output.trim().split("\n").at(-1)!) as Awaited<ReturnType<typeof measure>>
  })
  console.log(`| images | image size | concurrency | wall time | images/s | RSS before | peak RSS |`)
  console.log(`|---|---|---|---|---|---|---|`)
  for (const r of results) {
    console.log(
      `| ${r.count}${r.oversized ? " + 1 of 1 GiB + 4 of 256 MiB (refused, unread)" : ""} | ${
        (r.size / 1024).toFixed(0)
      } KB | ${r.concurrency} | ${r.seconds.toFixed(1)} s | ${(r.count / r.seconds).toFixed(0)} | ${mib(r.before)} | ${
        mib(r.peak)
      } |`
    )
  }
  const ratio = results[1]!.peak / results[0]!.peak
  console.log(`\npeak RSS at 5,000 / at 1,000: ${ratio.toFixed(3)} (${ratio <= 1.1 ? "within" : "NOT within"} 10%)`)
  const oversizedRatio = results[2]!.peak / results[0]!.peak
  console.log(
    `peak RSS with the 2 GiB of oversized images / without: ${oversizedRatio.toFixed(3)} (${
      oversizedRatio <= 1.1 ? "within" : "NOT within"
    } 10%)`
  )
  if (ratio > 1.1 || oversizedRatio > 1.1) process.exitCode = 1
}

main().catch((error) => {
  console.error(String(error))
  process.exitCode = 1
})

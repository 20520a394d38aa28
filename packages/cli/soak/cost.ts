/**
 * What a sync costs the client: `count` images of `size` bytes from a folder on disk into the emulator (in
 * a child process, so that only the client is measured) at the concurrency given; prints wall time and peak
 * RSS. Memory must be bounded by concurrency × image size, not by the size of the folder: compare the peak
 * RSS at 1,000 and 5,000 images.
 *
 * ```sh
 * pnpm cost:sync                       # 1,000 and 5,000 images of 100 KB at concurrency 16
 * pnpm cost:sync --images 1000 --size 102400 --concurrency 16
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

const measure = async (count: number, size: number, concurrency: number) => {
  const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "cost-sync-"))
  const folder = Path.join(root, "images")
  const child = ChildProcess.fork(
    fileURLToPath(new URL("./emulator-child.ts", import.meta.url)),
    [folder, String(count), String(size)],
    { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] }
  )
  const { baseUrl } = await new Promise<{ baseUrl: string }>((resolve) => child.once("message", resolve as never))
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
  if (!TrainingSet.isSuccess(report) || report.results.length !== count) {
    throw new Error(`the sync did not succeed: ${TrainingSet.failures(report).length} failures`)
  }
  return { count, size, concurrency, seconds, before, peak }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`

const main = async () => {
  const size = flag("--size") ?? 100 * 1024
  const concurrency = flag("--concurrency") ?? 16
  const single = flag("--images")
  if (single !== undefined) {
    const result = await measure(single, size, concurrency)
    // One line of JSON for a parent run to read.
    process.stdout.write(`${JSON.stringify(result)}\n`)
    return
  }
  // Each count in a process of its own: peak RSS is per process.
  const results = [1000, 5000].map((count) => {
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
        String(concurrency)
      ],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }
    )
    return JSON.parse(output.trim().split("\n").at(-1)!) as Awaited<ReturnType<typeof measure>>
  })
  console.log(`| images | image size | concurrency | wall time | images/s | RSS before | peak RSS |`)
  console.log(`|---|---|---|---|---|---|---|`)
  for (const r of results) {
    console.log(
      `| ${r.count} | ${(r.size / 1024).toFixed(0)} KB | ${r.concurrency} | ${r.seconds.toFixed(1)} s | ${
        (r.count / r.seconds).toFixed(0)
      } | ${mib(r.before)} | ${mib(r.peak)} |`
    )
  }
  const ratio = results[1]!.peak / results[0]!.peak
  console.log(`\npeak RSS at 5,000 / at 1,000: ${ratio.toFixed(3)} (${ratio <= 1.1 ? "within" : "NOT within"} 10%)`)
  if (ratio > 1.1) process.exitCode = 1
}

main().catch((error) => {
  console.error(String(error))
  process.exitCode = 1
})

/**
 * `replace` through the library (`NodeTrainingImages` over `UndiciHttpClient`) against the same request made
 * with undici's own `Pool.request`, on a local server in a child process (its CPU is not the client's).
 *
 * - throughput and client CPU time per request, at concurrency 32 and serially: the library must reach at
 *   least 0.5× raw undici's throughput, and its metrics cost at most 5% of its CPU per request (the same
 *   client with `Telemetry.withMetricsEnabled(false)`, measured in the same rounds);
 * - a 16 MiB image given as a data URL: the library's wall time within 1.5× raw undici's sending the same
 *   body, and its peak memory growth under 3× the data URL's size (measured in a fresh process per client).
 *
 * Loopback only, bounded request counts, everything it starts stops with it. `--stock` adds, for reference,
 * core over `@effect/platform-node`'s own undici client. Exits with 1 when a target is missed.
 */
import { TrainingImages } from "@effect-scenario/core"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as Layer from "effect/Layer"
import * as ChildProcess from "node:child_process"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"
import * as Clients from "./clients.js"
import type { LargeBodyReport } from "./large-body.js"

const here = Path.dirname(fileURLToPath(import.meta.url))

const THROUGHPUT_TARGET = 0.5
// The metrics may cost at most 5% of the client's CPU per request.
const METRICS_TARGET = 1.05
const WALL_TIME_TARGET = 1.5
const MEMORY_TARGET = 3
const ROUNDS = 7
// The metrics' cost is a few percent, and a pair's ratio swings by ±10% on a shared machine: more pairs than
// rounds, the extra pairs after the rounds (the library alone, with and without the metrics).
const METRICS_PAIRS = 21
const RUNS = [
  { concurrency: 32, count: 10_000 },
  { concurrency: 1, count: 2_000 }
] as const
const LARGE_ROUNDS = 5

const fork = <A>(file: string, args: ReadonlyArray<string>, execArgv: ReadonlyArray<string> = []) =>
  new Promise<{ readonly message: A; readonly child: ChildProcess.ChildProcess }>((resolve, reject) => {
    const child = ChildProcess.fork(Path.join(here, file), args, {
      execArgv: [...process.execArgv, ...execArgv],
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    })
    child.once("message", (message) => resolve({ message: message as A, child }))
    child.once("error", reject)
    child.once("exit", (code) => reject(new Error(`${file} exited with ${code} before reporting`)))
  })

interface Sample {
  readonly seconds: number
  readonly cpuMicros: number
}

const measure = async (run: () => Promise<unknown>): Promise<Sample> => {
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  await run()
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  return { seconds, cpuMicros: used.user + used.system }
}

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

// The first and third quartiles (nearest rank).
const quartiles = (values: ReadonlyArray<number>): readonly [number, number] => {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
  return [at(0.25), at(0.75)]
}

interface Throughput {
  readonly requestsPerSecond: number
  readonly cpuMicrosPerRequest: number
}

const summarise = (samples: ReadonlyArray<Sample>, count: number): Throughput => ({
  requestsPerSecond: median(samples.map((s) => count / s.seconds)),
  cpuMicrosPerRequest: median(samples.map((s) => s.cpuMicros / count))
})

const MiB = 1024 * 1024
const format = {
  rps: (t: Throughput) => `${Math.round(t.requestsPerSecond).toLocaleString("en-US")} req/s`,
  cpu: (t: Throughput) => `${t.cpuMicrosPerRequest.toFixed(1)} µs CPU/req`,
  ms: (seconds: number) => `${(seconds * 1000).toFixed(0)} ms`,
  mib: (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`
}

const main = async () => {
  const stale = Clients.staleCoreBuild()
  if (stale.length > 0) {
    console.error(`core's build is older than its sources (${stale.join(", ")}): run \`pnpm build\` first.`)
    process.exitCode = 1
    return
  }
  const withStock = process.argv.includes("--stock")
  const { child: server, message: { port } } = await fork<{ port: number }>("server.ts", [])
  const raw = Clients.makeRaw(port)
  const library = await Clients.makeLibrary(port)
  const stock = withStock
    ? await Clients.makeLibrary(port, (baseUrl) =>
      Layer.provide(
        TrainingImages.layer({
          credentials: Clients.credentials,
          baseUrl,
          maxRequestBytes: Clients.BENCH_MAX_REQUEST_BYTES
        }),
        NodeHttpClient.layerUndici
      ))
    : undefined
  const rows: Array<ReadonlyArray<string>> = []
  let failed = false
  const verdict = (pass: boolean) => {
    if (!pass) failed = true
    return pass ? "PASS" : "FAIL"
  }
  try {
    const data = Clients.smallImage()
    const input = (i: number): Clients.ReplaceInput => ({
      trainingImageId: `asset_${i % 256}`,
      data,
      name: "image.png"
    })

    for (const { concurrency, count } of RUNS) {
      // Warm up both (connections, JIT), then interleave the rounds so that a disturbance hits both alike.
      await Clients.runRaw(raw, input, count / 2, concurrency)
      await Clients.runLibrary(library, input, count / 2, concurrency)
      await Clients.runLibrary(library, input, count / 2, concurrency, false)
      const rawSamples: Array<Sample> = []
      const librarySamples: Array<Sample> = []
      const unmeteredSamples: Array<Sample> = []
      const stockSamples: Array<Sample> = []
      if (stock) await Clients.runLibrary(stock, input, count / 4, concurrency)
      // With the metrics and without, one right after the other (in turn first), so that a disturbance of the
      // machine hits both of a pair alike: the cost is the median of the pairs' ratios.
      const metered = () => measure(() => Clients.runLibrary(library, input, count, concurrency))
      const unmetered = () => measure(() => Clients.runLibrary(library, input, count, concurrency, false))
      const pair = async (index: number): Promise<readonly [on: Sample, off: Sample]> => {
        if (index % 2 === 0) {
          const on = await metered()
          return [on, await unmetered()]
        }
        const off = await unmetered()
        return [await metered(), off]
      }
      const pairRatios: Array<number> = []
      for (let round = 0; round < ROUNDS; round++) {
        rawSamples.push(await measure(() => Clients.runRaw(raw, input, count, concurrency)))
        const [on, off] = await pair(round)
        librarySamples.push(on)
        unmeteredSamples.push(off)
        pairRatios.push(on.cpuMicros / off.cpuMicros)
        if (stock) stockSamples.push(await measure(() => Clients.runLibrary(stock, input, count / 4, concurrency)))
      }
      for (let index = ROUNDS; index < METRICS_PAIRS; index++) {
        const [on, off] = await pair(index)
        pairRatios.push(on.cpuMicros / off.cpuMicros)
      }
      const r = summarise(rawSamples, count)
      const l = summarise(librarySamples, count)
      const ratio = l.requestsPerSecond / r.requestsPerSecond
      rows.push([
        `replace, concurrency ${concurrency}`,
        `${format.rps(r)}, ${format.cpu(r)}`,
        `${format.rps(l)}, ${format.cpu(l)}`,
        `${ratio.toFixed(2)}× throughput`,
        `≥ ${THROUGHPUT_TARGET}×`,
        verdict(ratio >= THROUGHPUT_TARGET)
      ])
      const u = summarise(unmeteredSamples, count)
      const metricsRatio = median(pairRatios)
      const [low, high] = quartiles(pairRatios)
      rows.push([
        `  metrics on / off, concurrency ${concurrency}: CPU per request`,
        "",
        `${format.cpu(l)} / ${format.cpu(u)}`,
        `${metricsRatio.toFixed(3)}× the CPU (median of ${pairRatios.length} pairs; middle half ${low.toFixed(2)}–${
          high.toFixed(2)
        })`,
        `≤ ${METRICS_TARGET}×`,
        verdict(metricsRatio <= METRICS_TARGET)
      ])
      if (stock) {
        const s = summarise(stockSamples, count / 4)
        rows.push([
          `  (reference: core over @effect/platform-node's undici client)`,
          "",
          `${format.rps(s)}, ${format.cpu(s)}`,
          `${(s.requestsPerSecond / r.requestsPerSecond).toFixed(2)}× throughput`,
          "",
          ""
        ])
      }
    }

    const large = { trainingImageId: "asset_large", data: Clients.largeImage(), name: "large.png" }
    const rawLarge: Array<number> = []
    const libraryLarge: Array<number> = []
    await raw.replace(large)
    await library.runtime.runPromise(Clients.libraryReplace(library.images, large))
    for (let round = 0; round < LARGE_ROUNDS; round++) {
      rawLarge.push((await measure(() => raw.replace(large))).seconds)
      libraryLarge.push(
        (await measure(() => library.runtime.runPromise(Clients.libraryReplace(library.images, large)))).seconds
      )
    }
    const wallRatio = median(libraryLarge) / median(rawLarge)
    rows.push([
      `replace, 16 MiB image as a data URL: wall time`,
      format.ms(median(rawLarge)),
      format.ms(median(libraryLarge)),
      `${wallRatio.toFixed(2)}× raw's time`,
      `≤ ${WALL_TIME_TARGET}×`,
      verdict(wallRatio <= WALL_TIME_TARGET)
    ])

    const memory: Record<string, LargeBodyReport> = {}
    for (const mode of ["raw", "library"] as const) {
      const { child, message } = await fork<LargeBodyReport>("large-body.ts", [mode, String(port)], ["--expose-gc"])
      memory[mode] = message
      child.disconnect()
    }
    const growth = (report: LargeBodyReport) =>
      `+${format.mib(report.peakGrowthBytes)} (${(report.peakGrowthBytes / report.dataUrlBytes).toFixed(2)}×)`
    const memoryRatio = memory.library!.peakGrowthBytes / memory.library!.dataUrlBytes
    rows.push([
      `  peak memory growth, data URL of ${format.mib(memory.library!.dataUrlBytes)}`,
      growth(memory.raw!),
      growth(memory.library!),
      `${memoryRatio.toFixed(2)}× the data URL`,
      `< ${MEMORY_TARGET}×`,
      verdict(memoryRatio < MEMORY_TARGET)
    ])
  } finally {
    await raw.close()
    await library.close()
    await stock?.close()
    server.disconnect()
  }

  const header = ["", "raw undici Pool.request", "library (NodeTrainingImages)", "library / raw", "target", ""]
  const table = [header, ...rows]
  const widths = header.map((_, column) => Math.max(...table.map((row) => (row[column] ?? "").length)))
  console.log(
    `replace against a local server on 127.0.0.1 in its own process (CPU is the client's alone); ` +
      `node ${process.version}, ${Os.cpus().length} CPUs; medians of ${ROUNDS} rounds (${LARGE_ROUNDS} for the ` +
      `16 MiB image); ${Clients.CONNECTIONS} connections each`
  )
  for (const row of table) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd())
  if (failed) process.exitCode = 1
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})

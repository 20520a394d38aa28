/**
 * Where the Effect 4 line's `replace` spends its CPU: the line alone (metrics on, or off with `--metrics off`)
 * against the bench's server, at the concurrency given (default 32), under V8's sampling profiler; prints the
 * functions with the most self time, grouped by where they live (this line, effect, undici, node), the share of
 * the samples spent in the metrics (the line's telemetry module and Effect's `Metric`, with all they call), and
 * writes the `.cpuprofile` into the directory given by `--out` (default: the system's temporary directory). With
 * `--in-process`, the line's transport answers from a dispatcher in the same process (no socket, no server): the
 * client's own code alone. Loopback only.
 *
 * `node scripts/bench-effect4.mjs --profile [--concurrency 1] [--metrics off] [--in-process] [--out dir]`
 */
import * as Fs from "node:fs"
import * as Inspector from "node:inspector/promises"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Clients3 from "../../platform-node/bench/clients.js"
import * as Clients from "./clients.js"

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name)
  return index === -1 ? undefined : process.argv[index + 1]
}
const concurrency = Number(argument("--concurrency") ?? 32)
const out = argument("--out") ?? Os.tmpdir()
const metrics = argument("--metrics") !== "off"
const inProcess = process.argv.includes("--in-process")
const COUNT = concurrency === 1 ? 4_000 : 20_000

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  readonly children?: ReadonlyArray<number>
}

// The metrics' code: the line's telemetry module (its recorder) and Effect's metrics.
const isMetrics = (url: string): boolean =>
  /\/effect4\/(dist|src)\/internal\/telemetry\.[jt]s$/.test(url) || /\/effect\/(dist|src)\/Metric\.[jt]s$/.test(url)
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
}

const area = (url: string): string =>
  url.includes("/packages/effect4/") ?
    "effect4 line" :
    url.includes("/packages/kernel/") ?
    "kernel" :
    url.includes("/effect@4") || url.includes("/effect/dist") || url.includes("/effect/src") ?
    "effect 4" :
    url.includes("/undici") ?
    "undici" :
    url.startsWith("node:") ?
    "node" :
    url === "" ?
    "(vm: gc, idle, native)" :
    "other"

const main = async () => {
  const started = await Clients.startLine(inProcess, process.execArgv)
  if (started === undefined) return
  const { line, server } = started
  const data = Clients3.smallImage()
  const input = (i: number): Clients.ReplaceInput => ({ trainingImageId: `asset_${i % 256}`, data, name: "image.png" })
  try {
    await Clients.runLibrary(line, input, COUNT / 2, concurrency, metrics)
    const session = new Inspector.Session()
    session.connect()
    await session.post("Profiler.enable")
    await session.post("Profiler.setSamplingInterval", { interval: 100 })
    await session.post("Profiler.start")
    const cpu = process.cpuUsage()
    await Clients.runLibrary(line, input, COUNT, concurrency, metrics)
    const used = process.cpuUsage(cpu)
    const { profile } = (await session.post("Profiler.stop")) as unknown as { profile: Profile }
    session.disconnect()
    const file = Path.join(
      out,
      `effect4-replace-c${concurrency}-metrics-${metrics ? "on" : "off"}-${process.pid}.cpuprofile`
    )
    Fs.mkdirSync(out, { recursive: true })
    Fs.writeFileSync(file, JSON.stringify(profile))

    // Samples are counted, not weighed by the time since the previous one: on a busy machine that time holds
    // whatever the process waited to be scheduled, and lands on the function it resumed in.
    const self = new Map<number, number>()
    for (const sample of profile.samples) self.set(sample, (self.get(sample) ?? 0) + 1)
    // A sample is the metrics' when a frame of theirs is on its stack.
    const parent = new Map<number, number>()
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
    const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
    const inMetrics = new Map<number, boolean>()
    const underMetrics = (id: number): boolean => {
      const known = inMetrics.get(id)
      if (known !== undefined) return known
      const node = nodes.get(id)!
      const up = parent.get(id)
      const result = isMetrics(node.callFrame.url) || (up !== undefined && underMetrics(up))
      inMetrics.set(id, result)
      return result
    }
    let metricsTime = 0
    const byFunction = new Map<string, number>()
    const byArea = new Map<string, number>()
    let total = 0
    for (const node of profile.nodes) {
      const time = self.get(node.id) ?? 0
      if (time === 0) continue
      const { functionName, lineNumber, url } = node.callFrame
      // The profiler's own work (the session's messages) is no part of a call.
      if (functionName === "(idle)" || url === "node:inspector") continue
      total += time
      if (underMetrics(node.id)) metricsTime += time
      const key = `${functionName || "(anonymous)"} ${url.replace(/^.*\/(node_modules|packages)\//, "")}:${
        lineNumber + 1
      }`
      byFunction.set(key, (byFunction.get(key) ?? 0) + time)
      byArea.set(area(url), (byArea.get(area(url)) ?? 0) + time)
    }
    console.log(
      `Effect 4 line, replace${inProcess ? " answered in-process" : ""}, metrics ${
        metrics ? "on" : "off"
      }, concurrency ${concurrency}, ${COUNT} calls: ${
        ((used.user + used.system) / COUNT).toFixed(1)
      } µs CPU/req (profiler on); profile in ${file}`
    )
    console.log(
      `in the metrics (the line's telemetry module, Effect's Metric, and what they call): ${
        (100 * metricsTime / total).toFixed(1)
      }% of the busy samples`
    )
    console.log(`self time by area (${total} busy samples):`)
    for (const [name, time] of [...byArea].sort((a, b) => b[1] - a[1])) {
      console.log(`  ${(100 * time / total).toFixed(1).padStart(5)}%  ${name}`)
    }
    console.log("top functions by self time:")
    for (const [name, time] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
      console.log(`  ${(100 * time / total).toFixed(1).padStart(5)}%  ${name}`)
    }
  } finally {
    await line.close()
    server?.disconnect()
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})

/**
 * What the metrics cost a call of the Effect 4 line: its `replace` with the metrics on and off
 * (`Telemetry.withMetricsEnabled(false)`), nothing else, against the bench's server, rounds interleaved (each
 * pair in alternating order), at concurrency 32 and 1. Prints each leg's median CPU per request and the median
 * of the rounds' on / off ratios; a ratio of two legs run side by side holds up on a busy machine better than
 * either leg's own figure. With `--alloc` (and Node's `--expose-gc`, `--max-semi-space-size=256`), also the
 * bytes a call allocates with the metrics on and off: the heap's growth over calls made with no collection
 * between (a run that saw one is made again), the least of several runs. With `--in-process`, the line's
 * transport answers from a dispatcher of its own in the same process instead of the server (no socket, no
 * other process): the CPU is all the client's own code, the figure the metrics' share moves most. Loopback
 * only; no target, no exit code.
 *
 * `node scripts/bench-effect4.mjs --metrics [--rounds 15] [--alloc] [--in-process]`
 */
import * as V8 from "node:v8"
import * as Clients3 from "../../platform-node/bench/clients.js"
import * as Clients from "./clients.js"

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name)
  return index === -1 ? undefined : process.argv[index + 1]
}
const ROUNDS = Number(argument("--rounds") ?? 15)
const IN_PROCESS = process.argv.includes("--in-process")
// In-process, a call costs a fifth of what it costs over a socket: more calls make a round as long.
const RUNS = [
  { concurrency: 32, count: IN_PROCESS ? 20_000 : 5_000 },
  { concurrency: 1, count: IN_PROCESS ? 5_000 : 1_000 }
] as const
const ALLOC_CALLS = 2_000

const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

const cpuPerCall = async (run: () => Promise<unknown>, count: number): Promise<number> => {
  const cpu = process.cpuUsage()
  await run()
  const used = process.cpuUsage(cpu)
  return (used.user + used.system) / count
}

const gc = (globalThis as { gc?: () => void }).gc

// The bytes `run` allocates per call, from the heap's growth over a run during which no collection ran (a run
// that saw one is made again): `undefined` when one ran each time (the young generation too small for the run).
const bytesPerCall = async (run: () => Promise<unknown>, count: number): Promise<number | undefined> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    gc!()
    const profiler = new V8.GCProfiler()
    profiler.start()
    const before = process.memoryUsage().heapUsed
    await run()
    const after = process.memoryUsage().heapUsed
    const collections = profiler.stop()?.statistics.length ?? 0
    if (collections === 0) return (after - before) / count
  }
  return undefined
}

const main = async () => {
  const started = await Clients.startLine(
    IN_PROCESS,
    process.execArgv.filter((arg) => !arg.startsWith("--max-semi-space-size"))
  )
  if (started === undefined) return
  const { line, server } = started
  const data = Clients3.smallImage()
  const input = (i: number): Clients.ReplaceInput => ({ trainingImageId: `asset_${i % 256}`, data, name: "image.png" })
  try {
    console.log(
      `Effect 4 line, replace, metrics on against off, ${
        IN_PROCESS ? "answered in-process" : "against the server"
      }; Node ${process.version}; ${ROUNDS} rounds, interleaved`
    )
    for (const { concurrency, count } of RUNS) {
      const on = () => Clients.runLibrary(line, input, count, concurrency, true)
      const off = () => Clients.runLibrary(line, input, count, concurrency, false)
      await on()
      await off()
      const onSamples: Array<number> = []
      const offSamples: Array<number> = []
      const ratios: Array<number> = []
      for (let round = 0; round < ROUNDS; round++) {
        let a: number
        let b: number
        if (round % 2 === 0) {
          a = await cpuPerCall(on, count)
          b = await cpuPerCall(off, count)
        } else {
          b = await cpuPerCall(off, count)
          a = await cpuPerCall(on, count)
        }
        onSamples.push(a)
        offSamples.push(b)
        ratios.push(a / b)
      }
      console.log(
        `  concurrency ${concurrency}, ${count} calls a leg: metrics on ${
          median(onSamples).toFixed(1)
        } µs CPU/req, off ${median(offSamples).toFixed(1)} µs; on / off: median ${median(ratios).toFixed(3)}× (rounds ${
          Math.min(...ratios).toFixed(3)
        }–${Math.max(...ratios).toFixed(3)}×)`
      )
    }
    if (process.argv.includes("--alloc")) {
      if (gc === undefined) {
        console.error("--alloc needs Node's --expose-gc")
        process.exitCode = 1
        return
      }
      const on = () => Clients.runLibrary(line, input, ALLOC_CALLS, 32, true)
      const off = () => Clients.runLibrary(line, input, ALLOC_CALLS, 32, false)
      const onBytes: Array<number> = []
      const offBytes: Array<number> = []
      for (let round = 0; round < 7; round++) {
        const a = await bytesPerCall(on, ALLOC_CALLS)
        const b = await bytesPerCall(off, ALLOC_CALLS)
        if (a !== undefined) onBytes.push(a)
        if (b !== undefined) offBytes.push(b)
      }
      if (onBytes.length === 0 || offBytes.length === 0) {
        console.log("  allocation: a collection ran during every run (give a larger --max-semi-space-size)")
      } else {
        // The least of the runs: what a call allocates does not vary, what else the process allocates meanwhile
        // (compiled code's data, timers) only adds to it.
        const a = Math.min(...onBytes)
        const b = Math.min(...offBytes)
        console.log(
          `  allocated per call (concurrency 32, ${ALLOC_CALLS} calls a run, least of 7 runs): metrics on ${
            (a / 1024).toFixed(2)
          } KB, off ${(b / 1024).toFixed(2)} KB; the metrics ${(a - b).toFixed(0)} bytes`
        )
      }
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

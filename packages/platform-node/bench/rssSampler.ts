/**
 * The peak resident set size of this process, sampled every millisecond from a worker thread: it keeps
 * sampling while the main thread is busy in a synchronous step (serialising, copying), which is where the
 * peaks are. `reset` starts a new peak from the current size and answers it; `peak` answers the peak so far.
 * `peakGrowth` measures one call with it, for the large-body benchmarks of both lines.
 */
import { Worker } from "node:worker_threads"

const SAMPLER = `
const { parentPort } = require("node:worker_threads")
let peak = 0
const sample = () => { const rss = process.memoryUsage.rss(); if (rss > peak) peak = rss }
setInterval(sample, 1)
parentPort.on("message", (message) => {
  sample()
  if (message === "reset") { peak = process.memoryUsage.rss(); parentPort.postMessage(peak) }
  else parentPort.postMessage(peak)
})
`

export const start = (): Worker => new Worker(SAMPLER, { eval: true })

export const ask = (worker: Worker, message: "reset" | "peak") =>
  new Promise<number>((resolve) => {
    worker.once("message", resolve)
    worker.postMessage(message)
  })

const collect = () => {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error("run with --expose-gc")
  gc()
  gc()
}

/** A client ready to send one call, already warmed up (connections open, code paths compiled). */
export interface Leg {
  readonly send: () => Promise<unknown>
  readonly close: () => Promise<void>
}

/**
 * The peak growth of this process's resident set size while `send` runs, against the size right after a
 * collection: `prepare` (run with the sampler already started) makes and warms the client up. Needs
 * `--expose-gc`.
 */
export const peakGrowth = async (prepare: () => Promise<Leg>): Promise<number> => {
  const worker = start()
  try {
    const leg = await prepare()
    collect()
    const baseline = await ask(worker, "reset")
    await leg.send()
    const peak = await ask(worker, "peak")
    await leg.close()
    return Math.max(0, peak - baseline)
  } finally {
    await worker.terminate()
  }
}

/** What a large-body leg's process reports to its parent. */
export interface LargeBodyReport<Mode extends string = string> {
  readonly mode: Mode
  readonly dataUrlBytes: number
  readonly peakGrowthBytes: number
}

/**
 * The peak resident set size of this process, sampled every millisecond from a worker thread: it keeps
 * sampling while the main thread is busy in a synchronous step (serialising, copying), which is where the
 * peaks are. `reset` starts a new peak from the current size and answers it; `peak` answers the peak so far.
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

/**
 * One client (`raw` or `library`, the first argument) sending a 16 MiB image as a data URL, in a process of
 * its own so that its peak memory is its own: the resident set size is sampled every millisecond from a
 * worker thread while the call runs, against the size right after a collection. Reports to its parent.
 */
import { Worker } from "node:worker_threads"
import * as Clients from "./clients.js"

// The sampler runs on its own thread, so it keeps sampling while the main thread is busy in a synchronous
// step (serialising, copying) of the call: those are where the peaks are.
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

const ask = (worker: Worker, message: "reset" | "peak") =>
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

export interface LargeBodyReport {
  readonly mode: "raw" | "library"
  readonly dataUrlBytes: number
  readonly peakGrowthBytes: number
}

const main = async () => {
  const mode = process.argv[2] === "raw" ? "raw" : "library"
  const port = Number(process.argv[3])
  const data = Clients.largeImage()
  const small = { trainingImageId: "asset_warm", data: Clients.smallImage(), name: "warm.png" }
  const large = { trainingImageId: "asset_large", data, name: "large.png" }
  const worker = new Worker(SAMPLER, { eval: true })
  let send: () => Promise<unknown>
  let close: () => Promise<void>
  if (mode === "raw") {
    const raw = Clients.makeRaw(port)
    await raw.replace(small)
    send = () => raw.replace(large)
    close = raw.close
  } else {
    const library = await Clients.makeLibrary(port)
    await library.runtime.runPromise(Clients.libraryReplace(library.images, small))
    send = () => library.runtime.runPromise(Clients.libraryReplace(library.images, large))
    close = library.close
  }
  collect()
  const baseline = await ask(worker, "reset")
  await send()
  const peak = await ask(worker, "peak")
  await close()
  await worker.terminate()
  const report: LargeBodyReport = { mode, dataUrlBytes: data.length, peakGrowthBytes: Math.max(0, peak - baseline) }
  process.send?.(report)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})

/**
 * One client sending a 16 MiB image as a data URL, in a process of its own so that its peak memory is its
 * own (the Effect 3 line's sampler, `packages/platform-node/bench/rssSampler.ts`): the first argument names
 * the client — `raw8` (undici 8's `Pool.request`), `line4` (the Effect 4 line), `raw7` (undici 7's, the
 * Effect 3 line's transport's undici) or `line3` (the Effect 3 line) — the second the server's port.
 * Reports to its parent: the growth is measured from a baseline taken after the client is made and warmed up,
 * so the other clients' modules loaded beside it do not count.
 */
import * as Clients3 from "../../platform-node/bench/clients.js"
import * as RssSampler from "../../platform-node/bench/rssSampler.js"
import * as Clients4 from "./clients.js"

export const MODES = ["raw8", "line4", "raw7", "line3"] as const
export type Mode = typeof MODES[number]
export type LargeBodyReport = RssSampler.LargeBodyReport<Mode>

const main = async () => {
  const mode = MODES.find((m) => m === process.argv[2])
  if (mode === undefined) throw new Error(`the first argument is one of ${MODES.join(", ")}`)
  const port = Number(process.argv[3])
  const data = Clients3.largeImage()
  const small = { trainingImageId: "asset_warm", data: Clients3.smallImage(), name: "warm.png" }
  const large = { trainingImageId: "asset_large", data, name: "large.png" }
  const peakGrowthBytes = await RssSampler.peakGrowth(async () => {
    switch (mode) {
      case "raw7":
      case "raw8": {
        const raw = mode === "raw7" ? Clients3.makeRaw(port) : Clients4.makeRaw(port)
        await raw.replace(small)
        return { send: () => raw.replace(large), close: raw.close }
      }
      case "line3": {
        const line = await Clients3.makeLibrary(port)
        await line.runtime.runPromise(Clients3.libraryReplace(line.images, small))
        return { send: () => line.runtime.runPromise(Clients3.libraryReplace(line.images, large)), close: line.close }
      }
      case "line4": {
        const line = await Clients4.makeLibrary(port)
        await line.runtime.runPromise(Clients4.libraryReplace(line.images, small))
        return { send: () => line.runtime.runPromise(Clients4.libraryReplace(line.images, large)), close: line.close }
      }
    }
  })
  const report: LargeBodyReport = { mode, dataUrlBytes: data.length, peakGrowthBytes }
  process.send?.(report)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})

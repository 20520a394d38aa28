/**
 * One client (`raw` or `library`, the first argument) sending a 16 MiB image as a data URL, in a process of
 * its own so that its peak memory is its own: the resident set size is sampled every millisecond from a
 * worker thread while the call runs, against the size right after a collection. Reports to its parent.
 */
import * as Clients from "./clients.js"
import * as RssSampler from "./rssSampler.js"

export type LargeBodyReport = RssSampler.LargeBodyReport<"raw" | "library">

const main = async () => {
  const mode = process.argv[2] === "raw" ? "raw" : "library"
  const port = Number(process.argv[3])
  const data = Clients.largeImage()
  const small = { trainingImageId: "asset_warm", data: Clients.smallImage(), name: "warm.png" }
  const large = { trainingImageId: "asset_large", data, name: "large.png" }
  const peakGrowthBytes = await RssSampler.peakGrowth(async () => {
    if (mode === "raw") {
      const raw = Clients.makeRaw(port)
      await raw.replace(small)
      return { send: () => raw.replace(large), close: raw.close }
    }
    const library = await Clients.makeLibrary(port)
    await library.runtime.runPromise(Clients.libraryReplace(library.images, small))
    return {
      send: () => library.runtime.runPromise(Clients.libraryReplace(library.images, large)),
      close: library.close
    }
  })
  const report: LargeBodyReport = { mode, dataUrlBytes: data.length, peakGrowthBytes }
  process.send?.(report)
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})

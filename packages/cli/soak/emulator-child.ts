/**
 * The cost measurement's server: writes the folder of images, starts the emulator with an empty model, and
 * tells its parent where (over IPC), so that neither the images it wrote nor the requests it serves count in
 * the parent's memory or CPU. Exits when its parent goes away. With `source` as fourth argument, the images
 * are also the training images of `model_source` (for `pull` and `copy`), served from the emulator's download
 * origin.
 */
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeRuntime } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { writeFolder } from "./folder.js"

const [folder, count, size, mode] = process.argv.slice(2)

const main = Effect.gen(function*() {
  const names = writeFolder(folder!, Number(count), { size: () => Number(size) })
  const source = mode === "source"
    ? {
      model_source: {
        trainingImages: names.map((name) => ({
          name,
          data: `data:image/png;base64,${Fs.readFileSync(Path.join(folder!, name)).toString("base64")}`
        }))
      }
    }
    : {}
  const emulator = yield* ScenarioEmulator.make({ models: { model_cost: {}, ...source } })
  process.send!({ baseUrl: emulator.baseUrl })
  process.on("disconnect", () => process.exit(0))
  yield* Effect.never
}).pipe(Effect.scoped)

NodeRuntime.runMain(main)

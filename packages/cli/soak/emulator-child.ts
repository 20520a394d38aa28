/**
 * The cost measurement's server: writes the folder of images, starts the emulator with an empty model, and
 * tells its parent where (over IPC), so that neither the images it wrote nor the requests it serves count in
 * the parent's memory or CPU. Exits when its parent goes away.
 */
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeRuntime } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import { writeFolder } from "./folder.js"

const [folder, count, size] = process.argv.slice(2)

const main = Effect.gen(function*() {
  writeFolder(folder!, Number(count), { size: () => Number(size) })
  const emulator = yield* ScenarioEmulator.make({ models: { model_cost: {} } })
  process.send!({ baseUrl: emulator.baseUrl })
  process.on("disconnect", () => process.exit(0))
  yield* Effect.never
}).pipe(Effect.scoped)

NodeRuntime.runMain(main)

/**
 * The contract table (`contract/cases.ts`, shared with the Effect 4 line) over the Effect 3 line: every case
 * against the in-memory fake and against core's HTTP client over Node's undici to the emulator (platform-node
 * runs it over each of its transports too).
 */
import { NodeHttpClient } from "@effect/platform-node"
import { contractSuite, fake, overEmulator } from "./contract/runner.js"

contractSuite("contract, Effect 3 line: in-memory fake (TrainingImagesTest)", fake, false)
contractSuite(
  "contract, Effect 3 line: core HTTP client over undici (NodeHttpClient.layerUndici) to the emulator",
  overEmulator(NodeHttpClient.layerUndici),
  true
)

/**
 * The contract table (`contract/cases.ts`, shared with the Effect 3 line) over the Effect 4 line: every case
 * against its in-memory fake and against its HTTP client over this package's UndiciHttpClient to the emulator
 * (`node/Contract.test.ts` runs it over the other Node transports too).
 */
import * as UndiciHttpClient from "../src/node/UndiciHttpClient.js"
import { contractSuite, fake, overEmulator } from "./contract/runner.js"

contractSuite("contract, Effect 4 line: in-memory fake (TrainingImagesTest)", fake, false)
contractSuite(
  "contract, Effect 4 line: HTTP client over UndiciHttpClient to the emulator",
  overEmulator(UndiciHttpClient.layer()),
  true
)

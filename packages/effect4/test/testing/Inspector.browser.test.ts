// The inspector's page in a browser (test-support's tests, shared with the other line) over this line's
// ScenarioEmulator and client.
import * as InspectorBrowser from "@effect-scenario/test-support/inspectorBrowser"
import * as vitest from "@effect/vitest"
import { fileURLToPath } from "node:url"
import { start } from "./lineEmulator.js"

InspectorBrowser.register(vitest, { start }, {
  screenshots: fileURLToPath(new URL("../../../../.tmp/inspector-effect4/", import.meta.url))
})

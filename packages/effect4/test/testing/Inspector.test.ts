// The inspector over HTTP (test-support's tests, shared with the other line) over this line's ScenarioEmulator
// and client.
import * as InspectorHttp from "@effect-scenario/test-support/inspectorHttp"
import * as vitest from "@effect/vitest"
import { start } from "./lineEmulator.js"

InspectorHttp.register(vitest, { start })

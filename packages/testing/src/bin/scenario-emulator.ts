#!/usr/bin/env node
// The package's `scenario-emulator` bin: nothing but the entry point. The command lives in `EmulatorCommand`,
// which importing never starts; this file is closed to imports by the package's exports map.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as EmulatorCommand from "../EmulatorCommand.js"

EmulatorCommand.run(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  // Every failure was already told to the user in one line (or with the usage text): no stack trace.
  NodeRuntime.runMain({ disableErrorReporting: true })
)

#!/usr/bin/env node
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as ScenarioTraining from "./ScenarioTraining.js"

ScenarioTraining.run(process.argv).pipe(
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    // The exit code the command chose; 130 when interrupted (Ctrl-C), as shells expect.
    teardown: (exit, onExit) => onExit(Exit.isSuccess(exit) ? exit.value as number : 130)
  })
)

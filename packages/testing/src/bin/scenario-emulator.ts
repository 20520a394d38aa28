#!/usr/bin/env node
// The package's `scenario-emulator` bin, kept so that `npx scenario-emulator` works in a project that installs
// this package: the emulator package's command (`@effect-scenario/emulator/Command`, no Effect), run as its own
// bin runs it. `EmulatorCommand` is the same command for an `@effect/cli` application.
import * as Command from "@effect-scenario/emulator/Command"

Command.runMain()

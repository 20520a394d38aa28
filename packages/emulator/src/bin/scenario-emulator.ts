#!/usr/bin/env node
// The package's `scenario-emulator` bin: nothing but the entry point. The command lives in `Command`, which
// importing never starts; this file is closed to imports by the package's exports map.
import * as Command from "../Command.js"

Command.runMain()

#!/usr/bin/env node
// The `scenario-emulator` bin. A committed launcher, so that installing a fresh clone can link the bin before
// the build has made `dist/`; the command itself is `dist/bin/scenario-emulator.js`.
import "../dist/bin/scenario-emulator.js"

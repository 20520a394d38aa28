import type { RunnerTask, RunnerTestFile } from "vitest"
import { defineConfig } from "vitest/config"
import type { Reporter } from "vitest/node"
import projects from "./vitest.workspace.js"

// One plain closing line that any CI can read: "tests: N passed, N failed, N skipped".
class SummaryLine implements Reporter {
  onFinished(files: ReadonlyArray<RunnerTestFile> = []) {
    const count = { passed: 0, failed: 0, skipped: 0 }
    const visit = (task: RunnerTask): void => {
      if (task.type === "suite") return task.tasks.forEach(visit)
      const state = task.result?.state
      if (state === "pass") count.passed++
      else if (state === "fail") count.failed++
      else count.skipped++
    }
    files.forEach(visit)
    process.stdout.write(`tests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped\n`)
  }
}

export default defineConfig({
  test: {
    projects,
    reporters: ["default", new SummaryLine()]
  }
})

// A Stryker test runner: the vitest runner, except that a test file which fails to load, or a suite whose
// hook fails, kills the mutant. The plain vitest runner only looks at the tests that ran: a mutant that makes
// a module throw while it is imported leaves no test behind, and so would count as survived.
import { strykerPlugins as vitestPlugins } from "@stryker-mutator/vitest-runner"

const vitest = vitestPlugins.find((plugin) => plugin.name === "vitest")

const failedSuites = (ctx) => {
  const failures = []
  const visit = (suite) => {
    if (suite.result?.state === "fail" && (suite.result.errors?.length ?? 0) > 0) {
      failures.push({
        id: `${suite.filepath ?? suite.file?.filepath ?? "unknown"}#${suite.name}`,
        message: suite.result.errors.map((error) => error.message ?? String(error)).join("\n")
      })
    }
    for (const task of suite.tasks ?? []) if (task.type === "suite") visit(task)
  }
  for (const file of ctx.state.getFiles()) visit(file)
  return failures
}

function createStrictVitestRunner(injector) {
  const inner = vitest.factory(injector)
  return {
    capabilities: () => inner.capabilities(),
    init: () => inner.init(),
    dispose: () => inner.dispose(),
    async dryRun(options) {
      const result = await inner.dryRun(options)
      const failures = result.status === "complete" ? failedSuites(inner.ctx) : []
      if (failures.length === 0) return result
      return {
        status: "error",
        errorMessage: `A test file failed to load without mutants:\n${
          failures.map((failure) => `${failure.id}: ${failure.message}`).join("\n")
        }`
      }
    },
    async mutantRun(options) {
      const result = await inner.mutantRun(options)
      if (result.status !== "survived") return result
      const failures = failedSuites(inner.ctx)
      if (failures.length === 0) return result
      return {
        status: "killed",
        killedBy: failures.map((failure) => failure.id),
        failureMessage: failures[0].message,
        nrOfTests: result.nrOfTests
      }
    }
  }
}
createStrictVitestRunner.inject = vitest.factory.inject

export const strykerPlugins = [{ kind: vitest.kind, name: "vitest-strict", factory: createStrictVitestRunner }]

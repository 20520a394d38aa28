// Mutation testing of the files that carry the library's promises: `pnpm mutate` (a full run takes about an
// hour on two cores; `pnpm mutate --mutate packages/core/src/Endpoint.ts` tests one file).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "pnpm",
  plugins: ["@stryker-mutator/vitest-runner", "./stryker/strict-vitest-runner.mjs"],
  testRunner: "vitest-strict",
  vitest: { configFile: "vitest.mutate.config.ts", related: true },
  checkers: [],
  mutate: [
    "packages/core/src/RetryPolicy.ts",
    "packages/kernel/src/Retry.ts",
    "packages/kernel/src/Endpoint.ts",
    "packages/core/src/TrainingImage.ts",
    "packages/core/src/internal/response.ts",
    "packages/kernel/src/RequestError.ts",
    "packages/core/src/internal/client.ts",
    "packages/kernel/src/Transport.ts",
    "packages/kernel/src/Authorization.ts",
    "packages/core/src/internal/validate.ts",
    "packages/kernel/src/Validation.ts",
    "packages/kernel/src/TrainingSetPlan.ts",
    "packages/kernel/src/TrainingSetText.ts",
    "packages/core/src/internal/trainingSet.ts",
    "packages/kernel/src/RetryAfter.ts",
    "packages/kernel/src/RequestBody.ts",
    "packages/kernel/src/Terminal.ts",
    "packages/core/src/internal/telemetry.ts",
    "packages/kernel/src/Telemetry.ts",
    "packages/kernel/src/Base64.ts",
    "packages/kernel/src/MediaType.ts",
    "packages/emulator/src/Store.ts",
    "packages/kernel/src/Prng.ts",
    "packages/kernel/src/FaultPlan.ts",
    // The command line's logic (its entry point, `src/bin.ts`, is glue run only as a separate process).
    "packages/cli/src/internal/cli.ts",
    "packages/cli/src/internal/pairsFile.ts",
    "packages/cli/src/internal/render.ts"
  ],
  coverageAnalysis: "perTest",
  ignoreStatic: false,
  concurrency: 2,
  timeoutMS: 20_000,
  incremental: true,
  // A cache of the last run (source and test texts with each mutant's result): kept out of git, since it grows to
  // megabytes and changes with every run; a fresh clone does one full run, later runs retest only what changed.
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress-append-only", "html"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always"
}

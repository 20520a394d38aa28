// Mutation testing of the files that carry the library's promises: `pnpm mutate` (a full run takes hours on two
// cores; `pnpm mutate --mutate packages/kernel/src/Retry.ts` tests one file, and docs/reliability.md gives each
// file's tests and score).
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  packageManager: "pnpm",
  plugins: ["@stryker-mutator/vitest-runner", "./stryker/strict-vitest-runner.mjs"],
  testRunner: "vitest-strict",
  vitest: { configFile: "vitest.mutate.config.ts", related: true },
  checkers: [],
  mutate: [
    // The rules without Effect, shared by both lines.
    "packages/kernel/src/Authorization.ts",
    "packages/kernel/src/Base64.ts",
    "packages/kernel/src/Endpoint.ts",
    "packages/kernel/src/Environment.ts",
    "packages/kernel/src/FaultPlan.ts",
    "packages/kernel/src/MediaType.ts",
    "packages/kernel/src/ParamsCheck.ts",
    "packages/kernel/src/Prng.ts",
    "packages/kernel/src/RequestBody.ts",
    "packages/kernel/src/RequestError.ts",
    "packages/kernel/src/ResponseExchange.ts",
    "packages/kernel/src/Retry.ts",
    "packages/kernel/src/RetryAfter.ts",
    "packages/kernel/src/Telemetry.ts",
    "packages/kernel/src/Terminal.ts",
    "packages/kernel/src/TrainingSetFiles.ts",
    "packages/kernel/src/TrainingSetPlan.ts",
    "packages/kernel/src/TrainingSetText.ts",
    "packages/kernel/src/Transport.ts",
    "packages/kernel/src/UrlTarget.ts",
    "packages/kernel/src/Validation.ts",
    // The emulator (the fake's store too). Not its inspector page's text and script, which only a browser runs.
    "packages/emulator/src/Auth.ts",
    "packages/emulator/src/Body.ts",
    "packages/emulator/src/ChangeFeed.ts",
    "packages/emulator/src/Command.ts",
    "packages/emulator/src/FakeAnswer.ts",
    "packages/emulator/src/FaultAnswer.ts",
    "packages/emulator/src/FaultKind.ts",
    "packages/emulator/src/Host.ts",
    "packages/emulator/src/Inspector.ts",
    "packages/emulator/src/Seed.ts",
    "packages/emulator/src/Server.ts",
    "packages/emulator/src/Store.ts",
    "packages/emulator/src/Wire.ts",
    // The Effect 3 line's core.
    "packages/core/src/RetryPolicy.ts",
    "packages/core/src/TrainingImage.ts",
    "packages/core/src/internal/client.ts",
    "packages/core/src/internal/imageFit.ts",
    "packages/core/src/internal/response.ts",
    "packages/core/src/internal/telemetry.ts",
    "packages/core/src/internal/trainingSet.ts",
    "packages/core/src/internal/trainingSetFolder.ts",
    "packages/core/src/internal/trainingSetPull.ts",
    "packages/core/src/internal/validate.ts",
    // The command line's logic (its entry point, `src/bin.ts`, is glue run only as a separate process).
    "packages/cli/src/internal/cli.ts",
    "packages/cli/src/internal/pairsFile.ts",
    "packages/cli/src/internal/progress.ts",
    "packages/cli/src/internal/render.ts",
    "packages/cli/src/internal/terminal.ts"
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
  // Runs side by side each get a temporary folder of their own (`--tempDirName .stryker-tmp-<name>`): none copies
  // another's sandbox into its own.
  ignorePatterns: ["/.stryker-tmp*"],
  cleanTempDir: "always"
}

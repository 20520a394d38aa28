import { defineConfig, mergeConfig } from "vitest/config"
import shared from "./vitest.shared.js"

// The test projects as `pnpm mutate` runs them. Left out: the suites that race real time against real sockets
// (hostile servers, the soak). Under the load of mutation testing their deadlines pass by themselves, which
// would fail the initial run or count a mutant as killed by a timeout the mutant did not cause. And the
// emulator's command line, which runs the built package (a separate process the mutants never reach).
const timed = ["test/Hostile.test.ts", "test/Soak.test.ts"]
const built = ["test/EmulatorBin.test.ts"]
// The command line's tests that start the binary in a child process (named "the binary"): the mutants never
// reach it. Its other tests run the same program in-process and stay.
const binary = /^(?!.*\bthe binary\b)/

// `MUTATE_TESTS=test/A.test.ts,test/B.test.ts` (paths within each project) runs only those test files: for a
// file whose mutants many suites reach, a run in minutes instead of hours, its score again a lower bound.
const tests = process.env.MUTATE_TESTS?.split(",").map((name) => name.trim())

const project = (name: string, exclude: ReadonlyArray<string> = [], testNamePattern?: RegExp) => {
  const config = mergeConfig(shared, {
    test: {
      name,
      root: `packages/${name}`,
      exclude: ["**/node_modules/**", ...exclude],
      ...(testNamePattern === undefined ? {} : { testNamePattern })
    }
  })
  // Set after the merge, which would add to the shared list rather than replace it.
  if (tests !== undefined) config.test.include = tests
  return config
}

const projects = [
  project("kernel"),
  project("emulator", [], binary),
  project("core"),
  project("testing", built),
  project("platform-node", timed),
  project("cli", [], binary)
]

// `MUTATE_PROJECTS=core` (names separated by commas) runs only those projects' tests: a faster run, whose
// score is a lower bound (a mutant the other projects would kill counts as survived).
const only = process.env.MUTATE_PROJECTS?.split(",").map((name) => name.trim())

export default defineConfig({
  test: {
    projects: only === undefined ? projects : projects.filter((p) => only.includes(String(p.test?.name)))
  }
})

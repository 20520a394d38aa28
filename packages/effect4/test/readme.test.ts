/**
 * The README's blocks of the Effect 4 line (`<!-- check: effect4-… -->`), type-checked with the workspace's
 * compiler options against this package's sources, and run on Effect 4: programs against the emulator, test
 * files as tests, snippets between their hidden prelude and epilogue. The install blocks are checked for what
 * an Effect 4 project needs; the consumer check runs them as written in a scratch project.
 */
import * as Server from "@effect-scenario/emulator/Server"
import { describe, expect, it } from "@effect/vitest"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import ts from "typescript"
import { type Block, lineOf, moduleOf, readmeBlocks } from "../../../scripts/readme-blocks.mjs"

const root = fileURLToPath(new URL("../../../", import.meta.url))
const pkg = Path.join(root, "packages", "effect4")
const dir = Path.join(pkg, ".tmp", "readme")

const readme = Fs.readFileSync(Path.join(root, "README.md"), "utf8")
const all = readmeBlocks(readme).filter((block) => lineOf(block) === "effect4")
const blocks = all.filter((block) => block.lang === "ts" || block.lang === "typescript")
const only = (kind: string): Block => {
  const found = all.filter((block) => block.check?.kind === kind)
  expect(found, kind).toHaveLength(1)
  return found[0]!
}
const fileOf = (block: Block) => Path.join(dir, `readme-line-${block.line}.ts`)

// Written at collection time: the vitest blocks are imported below to register their tests.
Fs.rmSync(dir, { recursive: true, force: true })
Fs.mkdirSync(dir, { recursive: true })
for (const block of blocks) Fs.writeFileSync(fileOf(block), moduleOf(block))
const src = (name: string, ...sub: Array<string>) => Path.join(root, "packages", name, "src", ...sub)
Fs.writeFileSync(
  Path.join(dir, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../../../../tsconfig.base.json",
      compilerOptions: {
        noEmit: true,
        composite: false,
        incremental: false,
        declaration: false,
        declarationMap: false,
        noUnusedLocals: false,
        noUnusedParameters: false,
        paths: {
          "@effect-scenario/effect4": [src("effect4", "index.ts")],
          "@effect-scenario/effect4/node": [src("effect4", "node", "index.ts")],
          "@effect-scenario/effect4/testing": [src("effect4", "testing", "index.ts")],
          "@effect-scenario/effect4/*": [src("effect4", "*.ts")],
          ...Object.fromEntries(["kernel", "emulator"].flatMap((name) => [
            [`@effect-scenario/${name}`, [src(name, "index.ts")]],
            [`@effect-scenario/${name}/*`, [src(name, "*.ts")]]
          ]))
        }
      },
      include: ["*.ts"]
    },
    null,
    2
  )
)

describe("README, the Effect 4 line", () => {
  it("has a program, a test file, and says how each of its TypeScript blocks is checked", () => {
    expect(blocks.filter((block) => block.check?.kind === "effect4-node")).toHaveLength(1)
    expect(blocks.filter((block) => block.check?.kind === "effect4-vitest").length).toBeGreaterThan(0)
    const unchecked = blocks.filter((block) =>
      !["effect4-node", "effect4-vitest", "effect4-fragment"].includes(block.check?.kind ?? "")
    )
    expect(unchecked.map((block) => `line ${block.line}`)).toEqual([])
  })

  it("installs Effect 4 by name, the line's own package, and what TypeScript and the tests need", () => {
    const install = only("effect4-install").code
    for (
      const pin of ["effect@^4.1", "@effect/platform-node@^4.1", "@effect/vitest@^4", "vitest@^5", "typescript@~5.9"]
    ) {
      expect(install).toContain(pin)
    }
    for (const name of ["kernel", "emulator", "effect4"]) expect(install).toContain(`$T/${name}.tgz`)
    // Nothing of the Effect 3 line: its packages would bring effect 3 and @effect/platform.
    expect(install).not.toMatch(/\$T\/(core|platform-node|testing|cli)\.tgz|@effect\/platform@|effect@\^3/)
    expect(install).toMatch(/^T=\.\.?\//)
  })

  it("gives the registry form of the install command, the same packages by name", () => {
    const byName = only("effect4-install").code
      .split("\n")
      .filter((line) => !line.startsWith("T="))
      .join("\n")
      .replace(/\$T\/(?:kernel|emulator)\.tgz /g, "")
      .replace(/\$T\/([a-z0-9-]+)\.tgz/g, "@effect-scenario/$1")
    expect(only("effect4-install-registry").code).toBe(byName)
  })

  it("opens with the table of the two lines, whose commands are the Install blocks' first lines", () => {
    const table = readme.slice(0, readme.indexOf("\n## "))
    const firstLine = (kind: string) => only(kind).code.split("\n").find((line) => line.startsWith("npm install"))!
    expect(table).toContain(`\`${firstLine("effect4-install")}\``)
    const effect3 = readmeBlocks(readme).filter((block) => block.check?.kind === "install")
    expect(effect3).toHaveLength(1)
    expect(table).toContain(`\`${effect3[0]!.code.split("\n").find((line) => line.startsWith("npm install"))!}\``)
  })

  it("type-checks every TypeScript block of the line against its sources", () => {
    const config = ts.getParsedCommandLineOfConfigFile(Path.join(dir, "tsconfig.json"), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))
      }
    })!
    const program = ts.createProgram(config.fileNames, config.options)
    const text = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => root,
      getNewLine: () => "\n"
    })
    expect(text).toBe("")
  }, 120_000)

  for (const block of blocks.filter((block) => block.check?.kind === "effect4-fragment")) {
    it(`runs the snippet at line ${block.line}`, async () => {
      await import(pathToFileURL(fileOf(block)).href)
    })
  }

  for (const block of blocks.filter((block) => block.check?.kind === "effect4-vitest")) {
    describe(`the test file at line ${block.line}`, async () => {
      await import(pathToFileURL(fileOf(block)).href)
    })
  }

  for (const block of blocks.filter((block) => block.check?.kind === "effect4-node")) {
    it(`runs the program at line ${block.line} against the emulator, on Effect 4`, async () => {
      const emulator = await Server.start({
        apiKey: Server.DEFAULT_API_KEY,
        apiSecret: Server.DEFAULT_API_SECRET,
        bearerToken: Server.DEFAULT_BEARER_TOKEN,
        models: { model_demo: {} },
        inspector: false
      })
      try {
        const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
          const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", fileOf(block)], {
            cwd: dir,
            stdio: ["ignore", "pipe", "pipe"],
            env: {
              ...process.env,
              SCENARIO_SDK_BASE_URL: emulator.url,
              SCENARIO_SDK_API_KEY: Server.DEFAULT_API_KEY,
              SCENARIO_SDK_API_SECRET: Server.DEFAULT_API_SECRET
            }
          })
          let output = ""
          child.stdout.on("data", (chunk) => output += chunk)
          child.stderr.on("data", (chunk) => output += chunk)
          const timer = setTimeout(() => child.kill("SIGKILL"), 50_000)
          child.on("exit", (code) => {
            clearTimeout(timer)
            resolve({ code, output })
          })
        })
        expect(result.output).toContain("2 training images, 1 pair(s)")
        expect(result.output).not.toMatch(/Error/)
        expect(result.code).toBe(0)
        const requests = emulator.control.requests()
        expect(requests.map((request) => request.status)).toEqual([200, 200, 200, 200])
        // It ran on Effect 4, this package's own: the program resolved `effect` where the line's sources do.
        expect(requests.length).toBe(4)
      } finally {
        await emulator.close()
      }
    }, 60_000)
  }
})

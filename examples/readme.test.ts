/**
 * Every TypeScript block of the README, type-checked with the workspace's compiler options and run: programs
 * against the emulator, test files as tests, snippets between their hidden prelude and epilogue (see
 * `scripts/readme-blocks.mjs` for the convention). The blocks resolve the packages to their sources, so a
 * stale build cannot hide a broken example.
 */
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import ts from "typescript"
import { type Block, lineOf, moduleOf, readmeBlocks } from "../scripts/readme-blocks.mjs"

const root = fileURLToPath(new URL("../", import.meta.url))
const dir = Path.join(root, "examples", ".tmp", "readme")

const readme = Fs.readFileSync(Path.join(root, "README.md"), "utf8")
const typescriptBlocks = readmeBlocks(readme).filter((block) => block.lang === "ts" || block.lang === "typescript")
// The Effect 4 line's blocks are checked by its own README test (packages/effect4/test/readme.test.ts).
const blocks = typescriptBlocks.filter((block) => lineOf(block) === "effect3")
const fileOf = (block: Block) => Path.join(dir, `readme-line-${block.line}.ts`)

// The public modules of every package, and the `ts` examples of their doc comments (type-checked with the
// README's blocks; identical copies, such as an index repeating a module's description, checked once).
const packages = ["kernel", "emulator", "core", "platform-node", "testing", "cli"]
const publicModules = packages.flatMap((pkg) =>
  Fs.readdirSync(Path.join(root, "packages", pkg, "src"))
    .filter((file) => file.endsWith(".ts"))
    .map((file) => Path.join(root, "packages", pkg, "src", file))
)
const docExamples = new Map<string, string>()
for (const file of publicModules) {
  for (const comment of Fs.readFileSync(file, "utf8").match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    const text = comment.split("\n").map((line) => line.replace(/^\s*\/?\*+\/?\s?/, "")).join("\n")
    for (const [, code] of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      if (![...docExamples.values()].includes(code!)) {
        docExamples.set(`${Path.relative(root, file).replace(/[/.]/g, "-")}-${docExamples.size}`, code!)
      }
    }
  }
}

// Written at collection time: the vitest blocks are imported below to register their tests.
Fs.rmSync(dir, { recursive: true, force: true })
Fs.mkdirSync(dir, { recursive: true })
for (const block of blocks) Fs.writeFileSync(fileOf(block), moduleOf(block))
for (const [name, code] of docExamples) Fs.writeFileSync(Path.join(dir, `doc-${name}.ts`), code)
const sources = (pkg: string) => Path.join(root, "packages", pkg, "src")
Fs.writeFileSync(
  Path.join(dir, "tsconfig.json"),
  JSON.stringify(
    {
      extends: "../../../tsconfig.base.json",
      compilerOptions: {
        noEmit: true,
        composite: false,
        incremental: false,
        declaration: false,
        declarationMap: false,
        // A snippet may show a value without using it.
        noUnusedLocals: false,
        noUnusedParameters: false,
        paths: Object.fromEntries(["kernel", "emulator", "core", "platform-node", "testing"].flatMap((pkg) => [
          [`@effect-scenario/${pkg}`, [Path.join(sources(pkg), "index.ts")]],
          [`@effect-scenario/${pkg}/*`, [Path.join(sources(pkg), "*.ts")]]
        ]))
      },
      include: ["*.ts"]
    },
    null,
    2
  )
)

describe("README", () => {
  it("says how every TypeScript block is checked", () => {
    expect(blocks.length).toBeGreaterThan(0)
    const kinds = ["node", "vitest", "fragment"].flatMap((kind) => [kind, `effect4-${kind}`])
    const unchecked = typescriptBlocks.filter((block) => !kinds.includes(block.check?.kind ?? ""))
    expect(unchecked.map((block) => `line ${block.line}`)).toEqual([])
  })

  it("has an Install section whose command pins the Effect 3 line and names TypeScript's needs", () => {
    const install = readmeBlocks(readme).filter((block) => block.check?.kind === "install")
    expect(install).toHaveLength(1)
    for (
      const pin of [
        "effect@^3.22",
        "@effect/platform@^0.97",
        "@effect/platform-node@^0.108",
        "typescript@",
        "@types/node@",
        "@types/ws@"
      ]
    ) {
      expect(install[0]!.code).toContain(pin)
    }
    // The tarballs of every package, from `pnpm pack:all`, by a path npm reads as a file (not a GitHub repo).
    for (const name of packages) expect(install[0]!.code).toContain(`$T/${name}.tgz`)
    expect(install[0]!.code).toMatch(/^T=\.\.?\//)
  })

  it("gives the registry form of the install command, the same packages by name", () => {
    const [install] = readmeBlocks(readme).filter((block) => block.check?.kind === "install")
    const registry = readmeBlocks(readme).filter((block) => block.check?.kind === "install-registry")
    expect(registry).toHaveLength(1)
    const byName = install!.code
      .split("\n")
      .filter((line) => !line.startsWith("T="))
      .join("\n")
      // The kernel comes with core, the emulator with testing, from the registry: named only while they come from
      // tarballs.
      .replace(/\$T\/(?:kernel|emulator)\.tgz /g, "")
      .replace(/\$T\/([a-z-]+)\.tgz/g, "@effect-scenario/$1")
    expect(registry[0]!.code).toBe(byName)
  })

  it("writes pnpm as `npx -y pnpm@<the pinned version>`, for readers without pnpm installed", () => {
    const pinned = JSON.parse(Fs.readFileSync(Path.join(root, "package.json"), "utf8")).packageManager.split("@")[1]
    const docs = ["README.md", ...packages.map((pkg) => `packages/${pkg}/README.md`), "docs/reliability.md"]
    for (const doc of docs) {
      const text = Fs.readFileSync(Path.join(root, doc), "utf8")
      for (const [, version] of text.matchAll(/pnpm@([\w.-]+)/g)) expect(version, doc).toBe(pinned)
      // docs/reliability.md says once what `pnpm <script>` means; the READMEs write the command in full.
      if (doc.startsWith("docs/")) expect(text, doc).toContain(`\`npx -y pnpm@${pinned} <script>\``)
      else expect(text.match(/`pnpm (?!<)[^`]*`/g) ?? [], doc).toEqual([])
    }
  })

  it("type-checks every TypeScript block, and every example of the API docs, with the workspace's options", () => {
    expect(docExamples.size).toBeGreaterThan(10)
    const config = ts.getParsedCommandLineOfConfigFile(Path.join(dir, "tsconfig.json"), {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"))
      }
    })!
    const program = ts.createProgram(config.fileNames, config.options)
    const diagnostics = ts.getPreEmitDiagnostics(program)
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (name) => name,
      getCurrentDirectory: () => root,
      getNewLine: () => "\n"
    })
    expect(text).toBe("")
  }, 120_000)

  for (const block of blocks.filter((block) => block.check?.kind === "fragment")) {
    it(`runs the snippet at line ${block.line}`, async () => {
      await import(pathToFileURL(fileOf(block)).href)
    })
  }

  for (const block of blocks.filter((block) => block.check?.kind === "vitest")) {
    describe(`the test file at line ${block.line}`, async () => {
      await import(pathToFileURL(fileOf(block)).href)
    })
  }

  for (const block of blocks.filter((block) => block.check?.kind === "node")) {
    it.live(`runs the program at line ${block.line} against the emulator`, () =>
      Effect.gen(function*() {
        const emulator = yield* ScenarioEmulator.make({ models: { model_demo: {} } })
        const result = yield* Effect.promise(() =>
          new Promise<{ code: number | null; output: string }>((resolve) => {
            const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", fileOf(block)], {
              cwd: dir,
              stdio: ["ignore", "pipe", "pipe"],
              env: {
                ...process.env,
                SCENARIO_SDK_BASE_URL: emulator.baseUrl,
                SCENARIO_SDK_API_KEY: ScenarioEmulator.DEFAULT_API_KEY,
                SCENARIO_SDK_API_SECRET: ScenarioEmulator.DEFAULT_API_SECRET
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
        )
        expect(result.output).not.toMatch(/Error/)
        expect(result.code).toBe(0)
        const requests = yield* emulator.requests
        expect(requests.length).toBeGreaterThan(0)
        expect(requests.every((request) => request.status === 200)).toBe(true)
      }).pipe(Effect.scoped), 60_000)
  }
})

describe("API docs", () => {
  const program = ts.createProgram(publicModules, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true
  })
  const checker = program.getTypeChecker()

  it("every export of every public module has a description, @since and @category", () => {
    const lacking: Array<string> = []
    let count = 0
    for (const file of publicModules.filter((file) => !file.endsWith("index.ts"))) {
      const module = checker.getSymbolAtLocation(program.getSourceFile(file)!)
      for (const symbol of module === undefined ? [] : checker.getExportsOfModule(module)) {
        count++
        const tags = symbol.getJsDocTags(checker).map((tag) => tag.name)
        const description = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()
        if (description === "" || !tags.includes("since") || !tags.includes("category")) {
          lacking.push(`${Path.relative(root, file)}: ${symbol.name}`)
        }
      }
    }
    expect(count).toBeGreaterThan(150)
    expect(lacking).toEqual([])
  }, 60_000)

  it("each index shows, on each module it exports, that module's description", () => {
    for (const pkg of packages) {
      const index = Fs.readFileSync(Path.join(root, "packages", pkg, "src", "index.ts"), "utf8")
      for (const [, doc, name] of index.matchAll(/(\/\*\*[\s\S]*?\*\/)\nexport \* as (\w+) from/g)) {
        const source = Fs.readFileSync(Path.join(root, "packages", pkg, "src", `${name}.ts`), "utf8")
        expect(doc, `${pkg}/${name}`).toBe(/^\/\*\*[\s\S]*?\*\//.exec(source)![0])
        expect(doc, `${pkg}/${name}`).toMatch(/\* [A-Z`]/)
      }
    }
  })
})

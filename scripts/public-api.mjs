#!/usr/bin/env node
// The public API as a list: for each public module of each package (`src/*.ts`, the files the `exports` map
// opens), every exported name and whether it is a value, a type or both. `api/<group>.json` holds each group's
// list as it is meant to be (the Effect 3 line's packages, the Effect-free ones); `examples/public-api.test.ts`
// fails when the sources disagree with it, so that moving code (into the kernel, say) cannot change what users
// import by accident.
//   node scripts/public-api.mjs          print the lists
//   node scripts/public-api.mjs --write  write them to api/ (after an intended change)
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath, URL } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("../", import.meta.url))
export const groups = {
  effect3: ["core", "platform-node", "testing", "cli"],
  kernel: ["kernel"],
  emulator: ["emulator"],
  effect4: ["effect4", "effect4/node", "effect4/testing"]
}
// Where a package's public modules are: `effect4/node` is the `./node` subpath of `@effect-scenario/effect4`.
const sourceDir = (pkg) => {
  const [name, ...sub] = pkg.split("/")
  return Path.join(root, "packages", name, "src", ...sub)
}
/**
 * The Effect 4 line's counterpart of each Effect 3 package: same module names, same exports, except the
 * differences `api/lines.json` lists with their reasons (`examples/public-api.test.ts` compares them). The CLI
 * is an application, not a library: it has no Effect 4 counterpart.
 */
export const counterparts = {
  core: "effect4",
  "platform-node": "effect4/node",
  testing: "effect4/testing"
}
export const snapshotFile = (group) => Path.join(root, "api", `${group}.json`)

const kindOf = (checker, symbol) => {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
  const value = (target.flags & ts.SymbolFlags.Value) !== 0
  const type = (target.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Namespace)) !== 0 &&
    (target.flags & ts.SymbolFlags.ValueModule) === 0
  if (target.flags & ts.SymbolFlags.ValueModule) return "namespace"
  return value && type ? "value+type" : value ? "value" : "type"
}

/** Every public module's exports, by package and module file, names sorted: one group's packages. */
export const publicApi = (packages) => {
  const files = packages.flatMap((pkg) =>
    Fs.readdirSync(sourceDir(pkg))
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
      .sort()
      .map((file) => ({ pkg, file, path: Path.join(sourceDir(pkg), file) }))
  )
  const { config } = ts.readConfigFile(Path.join(root, "tsconfig.base.json"), ts.sys.readFile)
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root)
  const program = ts.createProgram(files.map((f) => f.path), {
    ...options,
    noEmit: true,
    composite: false,
    incremental: false
  })
  const checker = program.getTypeChecker()
  const api = {}
  for (const { pkg, file, path } of files) {
    const source = program.getSourceFile(path)
    const moduleSymbol = source && checker.getSymbolAtLocation(source)
    const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []
    const names = {}
    for (const symbol of [...exports].sort((a, b) => a.name.localeCompare(b.name))) {
      names[symbol.name] = kindOf(checker, symbol)
    }
    ;(api[`@effect-scenario/${pkg}`] ??= {})[file.replace(/\.ts$/, "")] = names
  }
  return api
}

if (process.argv[1] && fileURLToPath(import.meta.url) === Path.resolve(process.argv[1])) {
  for (const [group, packages] of Object.entries(groups)) {
    const text = JSON.stringify(publicApi(packages), null, 2) + "\n"
    if (process.argv.includes("--write")) {
      Fs.mkdirSync(Path.dirname(snapshotFile(group)), { recursive: true })
      Fs.writeFileSync(snapshotFile(group), text)
      console.log(`wrote ${Path.relative(root, snapshotFile(group))}`)
    } else {
      process.stdout.write(`// ${group}\n${text}`)
    }
  }
}

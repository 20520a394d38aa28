#!/usr/bin/env node
// The public API of the Effect 3 line as a list: for each public module of each package (`src/*.ts`, the files
// the `exports` map opens), every exported name and whether it is a value, a type or both. `api/effect3.json`
// holds the list as it is meant to be; `examples/public-api.test.ts` fails when the sources disagree with it,
// so that moving code (to the Effect-free kernel, say) cannot change what users import by accident.
//   node scripts/public-api.mjs          print the list
//   node scripts/public-api.mjs --write  write it to api/effect3.json (after an intended change)
import * as Fs from "node:fs"
import * as Path from "node:path"
import { fileURLToPath, URL } from "node:url"
import ts from "typescript"

const root = fileURLToPath(new URL("../", import.meta.url))
export const packages = ["core", "platform-node", "testing", "cli"]
export const snapshotFile = Path.join(root, "api", "effect3.json")

const kindOf = (checker, symbol) => {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
  const value = (target.flags & ts.SymbolFlags.Value) !== 0
  const type = (target.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Namespace)) !== 0 &&
    (target.flags & ts.SymbolFlags.ValueModule) === 0
  if (target.flags & ts.SymbolFlags.ValueModule) return "namespace"
  return value && type ? "value+type" : value ? "value" : "type"
}

/** Every public module's exports, by package and module file, names sorted. */
export const publicApi = () => {
  const files = packages.flatMap((pkg) =>
    Fs.readdirSync(Path.join(root, "packages", pkg, "src"))
      .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
      .sort()
      .map((file) => ({ pkg, file, path: Path.join(root, "packages", pkg, "src", file) }))
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
  const text = JSON.stringify(publicApi(), null, 2) + "\n"
  if (process.argv.includes("--write")) {
    Fs.mkdirSync(Path.dirname(snapshotFile), { recursive: true })
    Fs.writeFileSync(snapshotFile, text)
    console.log(`wrote ${Path.relative(root, snapshotFile)}`)
  } else {
    process.stdout.write(text)
  }
}

// `pack:all`: packs the seven packages, as they would be published, into `tarballs/` at the root of the clone,
// named without their version (`tarballs/kernel.tgz`, `emulator.tgz`, `core.tgz`, `platform-node.tgz`, `testing.tgz`, `cli.tgz`, and the Effect 4 line's `effect4.tgz`) so that the
// README's install commands stay the same from version to version. Run after the build (`pnpm pack:all` builds
// first). Until the packages are on the npm registry, these tarballs are how a project installs them.
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Path from "node:path"

const root = Path.resolve(import.meta.dirname, "..")
const destination = Path.join(root, "tarballs")
const packages = ["kernel", "emulator", "core", "platform-node", "testing", "cli", "effect4"]

Fs.rmSync(destination, { recursive: true, force: true })
Fs.mkdirSync(destination, { recursive: true })
const pnpmVersion = JSON.parse(Fs.readFileSync(Path.join(root, "package.json"), "utf8")).packageManager.split("@")[1]
// Under `pnpm <script>`, the running pnpm; otherwise the pinned one through npx.
const [command, ...prefix] = process.env.npm_execpath?.includes("pnpm")
  ? [process.execPath, process.env.npm_execpath]
  : ["npx", "-y", `pnpm@${pnpmVersion}`]
for (const name of packages) {
  ChildProcess.execFileSync(command, [...prefix, "pack", "--pack-destination", destination], {
    cwd: Path.join(root, "packages", name),
    stdio: ["ignore", "ignore", "inherit"]
  })
  const [packed] = Fs.readdirSync(destination).filter((file) => file.startsWith(`effect-scenario-${name}-`))
  if (packed === undefined) throw new Error(`pack:all: no tarball for @effect-scenario/${name}`)
  Fs.renameSync(Path.join(destination, packed), Path.join(destination, `${name}.tgz`))
}
console.log(`pack:all: ${packages.map((name) => `tarballs/${name}.tgz`).join(", ")}`)

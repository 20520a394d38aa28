// What the command line's in-process suites share: folders of images (removed once the suite ends), the
// program run in-process with its output captured, the binary run in a process of its own, an emulator.
import { ScenarioTraining } from "@effect-scenario/cli"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeContext } from "@effect/platform-node"
import { afterAll } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import * as ChildProcess from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { fileURLToPath } from "node:url"

export const MODEL = "model_cli"
export const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

export const png = (seed: number, size = 48) => {
  const bytes = new Uint8Array(size)
  bytes.set(PNG)
  bytes.fill(seed & 0xff, PNG.length)
  return bytes
}

// Every folder made here is removed once the suite ends.
const folders: Array<string> = []
afterAll(() => {
  for (const folder of folders) Fs.rmSync(folder, { recursive: true, force: true })
})

export const makeFolder = (count: number) => {
  const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "scenario-training-"))
  folders.push(root)
  const images = Path.join(root, "images")
  Fs.mkdirSync(images)
  for (let i = 0; i < count; i++) Fs.writeFileSync(Path.join(images, `img-${i}.png`), png(i))
  return { root, images }
}

export interface Ran {
  readonly code: number
  readonly out: string
  readonly err: string
}

/**
 * Runs the command line in-process, its output captured, with the environment given. `sink` receives the lines
 * as they are printed (for a run that is interrupted before it returns).
 */
export const cli = (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  sink: { readonly out: Array<string>; readonly err: Array<string> } = { out: [], err: [] }
) =>
  Effect.gen(function*() {
    const { err, out } = sink
    const base = yield* Effect.console
    const console = {
      ...base,
      log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void out.push(parts.join(" "))),
      error: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void err.push(parts.join(" ")))
    }
    const code = yield* ScenarioTraining.run(["node", "scenario-training", ...args]).pipe(
      Effect.withConsole(console),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      Effect.provide(NodeContext.layer)
    )
    return { code, out: out.join("\n"), err: err.join("\n") } satisfies Ran
  })

const BIN = fileURLToPath(new URL("../src/bin.ts", import.meta.url))

/**
 * Runs the `scenario-training` binary in a process of its own, its stdout and stderr piped (no terminal),
 * with only the environment given (beyond PATH). `onOutput` sees the output so far, `onSpawn` the process:
 * either may signal it.
 */
export const binary = (
  args: ReadonlyArray<string>,
  env: Record<string, string> = {},
  onOutput?: (output: string, child: ChildProcess.ChildProcess) => void,
  onSpawn?: (child: ChildProcess.ChildProcess) => void
) =>
  Effect.promise(() =>
    new Promise<Ran & { readonly signal: NodeJS.Signals | null }>((resolve) => {
      const child = ChildProcess.spawn(process.execPath, ["--import", "tsx", BIN, ...args], {
        env: { PATH: process.env.PATH ?? "", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      onSpawn?.(child)
      let out = ""
      let err = ""
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk
        onOutput?.(out + err, child)
      })
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk
        onOutput?.(out + err, child)
      })
      child.on("close", (code, signal) => resolve({ code: code ?? -1, out, err, signal }))
    })
  )

// Any control character but the line feed that ends each line (C0, DEL, C1, bidirectional controls).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

export const withEmulator = <A, E>(
  body: (ctx: {
    readonly emulator: ScenarioEmulator.Control
    readonly run: (args: ReadonlyArray<string>) => Effect.Effect<Ran>
    readonly names: Effect.Effect<Array<string>>
    readonly env: Record<string, string>
  }) => Effect.Effect<A, E>
) =>
  Effect.scoped(Effect.gen(function*() {
    const emulator = yield* ScenarioEmulator.make({ models: { [MODEL]: {} } })
    const env = {
      SCENARIO_SDK_API_KEY: ScenarioEmulator.DEFAULT_API_KEY,
      SCENARIO_SDK_API_SECRET: ScenarioEmulator.DEFAULT_API_SECRET,
      SCENARIO_SDK_BASE_URL: emulator.baseUrl
    }
    const names = Effect.map(
      emulator.snapshot,
      (snapshot) => snapshot.models[MODEL]!.trainingImages.map((image) => image.name)
    )
    return yield* body({ emulator, run: (args) => cli(args, env), names, env })
  }))

export const writes = (emulator: ScenarioEmulator.Control) =>
  Effect.map(emulator.requests, (requests) => requests.filter((request) => request.method !== "GET").length)

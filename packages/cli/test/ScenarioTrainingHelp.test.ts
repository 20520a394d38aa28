import { ScenarioTraining } from "@effect-scenario/cli"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import * as Fs from "node:fs"
import { fileURLToPath } from "node:url"
import { cli } from "./harness.js"

// Each command's help: its usage line (every option and argument by name), what it does, and what each option
// and argument is for, each description saying a default where there is one.
const HELP: ReadonlyArray<{
  readonly command: string
  readonly usage: string
  readonly description: string
  readonly said: ReadonlyArray<string>
}> = [
  {
    command: "sync",
    usage:
      "$ sync (-m, --model text) [--emulator] [--base-url text] [--json] [--concurrency integer] [--rate float] [--pairs text] [--delete] [--dry-run] [--state text] [(-r, --recursive)] --include text... --exclude text... [--fit] <folder>",
    description: "Make the model's training images exactly the folder's images, once each",
    said: [
      "The folder of images",
      "The id of the model whose training images are worked on",
      "Run against an embedded emulator of the API with an empty model: nothing leaves this machine",
      "The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else https://api.cloud.scenario.com/v1)",
      "Print the result as JSON on stdout",
      "How many requests are in flight at once (default: 4)",
      "At most this many requests per second for the whole run (default: no limit)",
      "Before/after pairs by image name: a CSV (source,target,instruction) or JSON file",
      "Delete training images whose name is not in the folder (never without this flag)",
      "Print the plan and send nothing",
      "A file keeping each image's sha256, to replace images whose content changed",
      "Include sub-folders (names are then paths below the folder)",
      "Only names matching this glob (repeatable)",
      "Leave out names matching this glob",
      "Images over the request limit are downscaled or recompressed in memory until they fit, format and aspect ratio kept; the files are not changed (needs sharp: npm install sharp)"
    ]
  },
  {
    command: "list",
    usage: "$ list (-m, --model text) [--emulator] [--base-url text] [--json]",
    description: "List the model's training images (id and name)",
    said: [
      "The id of the model whose training images are worked on",
      "Run against an embedded emulator of the API with an empty model: nothing leaves this machine",
      "The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else https://api.cloud.scenario.com/v1)",
      "Print the result as JSON on stdout"
    ]
  },
  {
    command: "add",
    usage:
      "$ add (-m, --model text) [--emulator] [--base-url text] [--json] [--concurrency integer] [--rate float] [--fit] <file>...",
    description: "Add image files as training images, named by their file names (once each)",
    said: [
      "Image files to add",
      "The id of the model whose training images are worked on",
      "Run against an embedded emulator of the API with an empty model: nothing leaves this machine",
      "The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else https://api.cloud.scenario.com/v1)",
      "Print the result as JSON on stdout",
      "How many requests are in flight at once (default: 4)",
      "At most this many requests per second for the whole run (default: no limit)",
      "Images over the request limit are downscaled or recompressed in memory until they fit, format and aspect ratio kept; the files are not changed (needs sharp: npm install sharp)"
    ]
  },
  {
    command: "replace",
    usage:
      "$ replace (-m, --model text) [--emulator] [--base-url text] [--json] [--concurrency integer] [--rate float] <training-image-id> <file>",
    description: "Replace the content of one training image with an image file",
    said: [
      "The id of the model whose training images are worked on",
      "Run against an embedded emulator of the API with an empty model: nothing leaves this machine",
      "The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else https://api.cloud.scenario.com/v1)",
      "Print the result as JSON on stdout",
      "How many requests are in flight at once (default: 4)",
      "At most this many requests per second for the whole run (default: no limit)"
    ]
  },
  {
    command: "delete",
    usage:
      "$ delete (-m, --model text) [--emulator] [--base-url text] [--json] [--concurrency integer] [--rate float] <training-image-id>...",
    description: "Delete training images by id",
    said: [
      "The id of the model whose training images are worked on",
      "Run against an embedded emulator of the API with an empty model: nothing leaves this machine",
      "The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else https://api.cloud.scenario.com/v1)",
      "Print the result as JSON on stdout",
      "How many requests are in flight at once (default: 4)",
      "At most this many requests per second for the whole run (default: no limit)"
    ]
  },
  {
    command: "pairs",
    usage:
      "$ pairs (-m, --model text) [--emulator] [--base-url text] [--json] [--concurrency integer] [--rate float] <file>",
    description: "Replace all of the model's pairs; names are resolved to ids from a listing",
    said: [
      "A CSV (source,target,instruction) or JSON file of pairs, by training image name",
      "The id of the model whose training images are worked on",
      "Run against an embedded emulator of the API with an empty model: nothing leaves this machine",
      "The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else https://api.cloud.scenario.com/v1)",
      "Print the result as JSON on stdout",
      "How many requests are in flight at once (default: 4)",
      "At most this many requests per second for the whole run (default: no limit)"
    ]
  },
  {
    command: "pull",
    usage:
      "$ pull (-m, --model text) [--emulator] [--base-url text] [--json] [--concurrency integer] [--force] <folder>",
    description: "Write the model's training images to a folder under their names, with its pairs and state files",
    said: [
      "The folder the images are written to (created when missing)",
      "The id of the model whose training images are worked on",
      "Run against an embedded emulator of the API with an empty model: nothing leaves this machine",
      "The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else https://api.cloud.scenario.com/v1)",
      "Print the result as JSON on stdout",
      "How many images are downloaded at once (default: 4)",
      "Overwrite files of the folder that hold other bytes (never without this flag)"
    ]
  },
  {
    command: "copy",
    usage:
      "$ copy --from text --to text [--emulator] [--base-url text] [--json] [--concurrency integer] [--rate float] [--delete] [--dry-run]",
    description: "Copy a model's training images and pairs to another model, once each, without a folder on disk",
    said: [
      "The model whose training images and pairs are copied",
      "The model they are copied to",
      "Run against an embedded emulator of the API with an empty model: nothing leaves this machine",
      "The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else https://api.cloud.scenario.com/v1)",
      "Print the result as JSON on stdout",
      "How many requests are in flight at once (default: 4)",
      "At most this many requests per second for the whole run (default: no limit)",
      "Delete training images of --to whose name --from lacks (never without this flag)",
      "Print the plan and send nothing"
    ]
  }
]

const packageVersion = (JSON.parse(
  Fs.readFileSync(fileURLToPath(new URL("../package.json", import.meta.url)), "utf8")
) as { readonly version: string }).version

describe("scenario-training --help", () => {
  for (const { command, description, said, usage } of HELP) {
    it.effect(`${command}: its usage, what it does, what each option and argument is for`, () =>
      Effect.gen(function*() {
        const help = yield* cli([command, "--help"], {})
        expect(help.code).toBe(0)
        expect(help.err).toBe("")
        const lines = help.out.split("\n")
        expect(lines[lines.indexOf("USAGE") + 2]).toBe(usage)
        expect(lines[lines.indexOf("DESCRIPTION") + 2]).toBe(description)
        for (const line of said) expect(lines).toContain(`  ${line}`)
      }))
  }

  it.effect("the program: its name, version, what it does, and each command with what it does", () =>
    Effect.gen(function*() {
      const help = yield* cli(["--help"], {})
      expect(help.code).toBe(0)
      const lines = help.out.split("\n")
      expect(lines.slice(0, 3)).toEqual(["scenario-training", "", `scenario-training ${packageVersion}`])
      expect(lines[lines.indexOf("USAGE") + 2]).toBe("$ scenario-training")
      expect(lines[lines.indexOf("DESCRIPTION") + 2]).toBe(
        "Keep a folder of images in step with a Scenario model's training images"
      )
      const listed = lines.filter((line) => line.startsWith("  - "))
      expect(listed.map((line) => line.split(" ")[3])).toEqual(HELP.map(({ command }) => command))
      for (const [index, { description }] of HELP.entries()) {
        expect(listed[index]!.endsWith(`  ${description}`)).toBe(true)
      }
    }))

  it.effect("--version prints the package's version", () =>
    Effect.gen(function*() {
      const version = yield* cli(["--version"], {})
      expect(version.code).toBe(0)
      expect(version.out.trimEnd()).toBe(packageVersion)
    }))

  it.effect("an unknown option or command: exit 2, nothing else run", () =>
    Effect.gen(function*() {
      const unknown = yield* cli(["sync", "--model", "m", "--nope", "folder"], {})
      expect(unknown.code).toBe(2)
      expect(unknown.out).not.toContain("Done")
      const command = yield* cli(["nope"], {})
      expect(command.code).toBe(2)
    }))
})

describe("scenario-training: a defect", () => {
  it.effect("is one line, its first, and exit code 70: no stack trace", () =>
    Effect.gen(function*() {
      const err: Array<string> = []
      const out: Array<string> = []
      const base = yield* Effect.console
      // A configuration that dies when read: a defect no input of the program's own can cause.
      const dying = ConfigProvider.make({
        load: () => Effect.die(new Error("boom\nsecond line")),
        flattened: ConfigProvider.fromMap(new Map()).flattened
      })
      const code = yield* ScenarioTraining.run(["node", "scenario-training", "list", "--model", "m"]).pipe(
        Effect.withConsole({
          ...base,
          log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void out.push(parts.join(" "))),
          error: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void err.push(parts.join(" ")))
        }),
        Effect.withConfigProvider(dying),
        Effect.provide(NodeContext.layer)
      )
      expect(code).toBe(70)
      expect(out).toEqual([])
      expect(err).toEqual(["internal error: Error: boom"])
    }))
})

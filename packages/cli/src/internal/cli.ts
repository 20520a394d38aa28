import { type ImageFitter, TrainingImage, TrainingImages, TrainingSet } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import * as UndiciHttpClient from "@effect-scenario/platform-node/UndiciHttpClient"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import * as Args from "@effect/cli/Args"
import type * as CliApp from "@effect/cli/CliApp"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import cliProgress from "cli-progress"
import * as Cause from "effect/Cause"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { parsePairs } from "./pairsFile.js"
import { makeProgress } from "./progress.js"
import { interruptedLine, itemText, leftLines, makeRenderer, rerunLine, summaryLine } from "./render.js"
import { loadSharpFitter } from "./sharpFitter.js"
import { escapeControl, jsonText, withStylesWhereWanted } from "./terminal.js"

/** @internal */
export const VERSION = "0.1.0"

/** A failure already told to the user: only its exit code is left to give. */
// Stryker disable next-line StringLiteral: nothing reads the tag, a CliExit is told apart by `instanceof`
class CliExit extends Data.TaggedError("CliExit")<{ readonly code: number }> {}

// Every line of these two may hold text from outside (a path, a server message): printed escaped.
const fatal = (line: string) =>
  Effect.zipRight(Console.error(`error: ${escapeControl(line)}`), Effect.fail(new CliExit({ code: 1 })))

/** Bad input (an argument, a file named by one): refused before any request, exit code 2. */
const refuse = (line: string) =>
  Effect.zipRight(Console.error(`error: ${escapeControl(line)}`), Effect.fail(new CliExit({ code: 2 })))

/** @internal */
export const MISSING_CREDENTIALS =
  "missing credentials: set SCENARIO_SDK_API_KEY and SCENARIO_SDK_API_SECRET (and SCENARIO_SDK_BASE_URL for " +
  "another server), or pass --emulator to try it out against an embedded emulator"

const configErrorLine = (error: ConfigError.ConfigError): string =>
  ConfigError.isMissingDataOnly(error) ? MISSING_CREDENTIALS : `invalid configuration: ${error.message}`

// ---------------------------------------------------------------------------------------------------------
// shared options
// ---------------------------------------------------------------------------------------------------------

const model = Options.text("model").pipe(
  Options.withAlias("m"),
  Options.withDescription("The id of the model whose training images are worked on")
)
const emulator = Options.boolean("emulator").pipe(
  Options.withDescription(
    "Run against an embedded emulator of the API with an empty model: nothing leaves this machine"
  )
)
const baseUrl = Options.text("base-url").pipe(
  Options.optional,
  Options.withDescription(
    `The API's base URL (default: SCENARIO_SDK_BASE_URL when set, else ${TrainingImages.DEFAULT_BASE_URL})`
  )
)
const json = Options.boolean("json").pipe(Options.withDescription("Print the result as JSON on stdout"))
// @effect/cli's help does not show a default: each description says it.
const concurrency = Options.integer("concurrency").pipe(
  Options.withDefault(4),
  Options.withDescription("How many requests are in flight at once (default: 4)")
)
const rate = Options.float("rate").pipe(
  Options.optional,
  Options.withDescription("At most this many requests per second for the whole run (default: no limit)")
)

const fit = Options.boolean("fit").pipe(
  Options.withDescription(
    "Images over the request limit are downscaled or recompressed in memory until they fit, format and aspect " +
      "ratio kept; the files are not changed (needs sharp: npm install sharp)"
  )
)

/** The fitter of `--fit`, loaded before anything is planned or sent; without sharp, bad input (exit code 2). */
const fitterOf = (wanted: boolean): Effect.Effect<ImageFitter.ImageFitter | undefined, CliExit> =>
  wanted ? Effect.catchAll(loadSharpFitter(), (error) => refuse(error.message)) : Effect.succeed(undefined)

interface Connection {
  readonly model: string
  readonly emulator: boolean
  readonly baseUrl: Option.Option<string>
}

interface Run {
  readonly json: boolean
  readonly concurrency: number
  readonly rate: Option.Option<number>
}

const connection = { model, emulator, baseUrl }
const running = { json, concurrency, rate }

/** Runs `effect` with the service: from the environment, or over an embedded emulator. */
const withService = <A, E, R>(
  flags: Connection,
  effect: Effect.Effect<A, E, R | TrainingImages.TrainingImages>
): Effect.Effect<A, E | CliExit, Exclude<R, TrainingImages.TrainingImages>> =>
  withServiceOf([flags.model], flags, effect)

/** `withService` with an embedded emulator holding these (empty) models. */
const withServiceOf = <A, E, R>(
  modelIds: ReadonlyArray<string>,
  flags: Omit<Connection, "model">,
  effect: Effect.Effect<A, E, R | TrainingImages.TrainingImages>
): Effect.Effect<A, E | CliExit, Exclude<R, TrainingImages.TrainingImages>> => {
  const layer: Layer.Layer<TrainingImages.TrainingImages, CliExit> = flags.emulator
    ? Layer.unwrapScoped(Effect.gen(function*() {
      const running = yield* Effect.catchAll(
        ScenarioEmulator.make({ models: Object.fromEntries(modelIds.map((modelId) => [modelId, {}])) }),
        (error) => fatal(`the embedded emulator could not start: ${error.message}`)
      )
      const inspector = Option.match(Option.fromNullable(running.inspectorUrl), {
        // Stryker disable next-line ArrowFunction,StringLiteral: not reached, the embedded emulator serves its inspector (on by default, never turned off here): the empty text is for the types
        onNone: () => "",
        onSome: (url) => ` (inspector: ${url})`
      })
      // On stderr, so that `--json` keeps stdout a report.
      yield* Console.error(`embedded emulator: ${running.baseUrl}${inspector}`)
      return NodeTrainingImages.layer({ credentials: running.credentials, baseUrl: running.baseUrl })
    })).pipe(
      // A start that failed was told by `fatal`, whose exit code is 1; the client's layer, given the emulator's own
      // address and credentials, fails only for the types.
      Layer.mapError(() => new CliExit({ code: 1 }))
    )
    : NodeTrainingImages.layerConfig({
      // Without `--base-url`, SCENARIO_SDK_BASE_URL when set, else the default.
      baseUrl: Option.getOrUndefined(Option.map(flags.baseUrl, (url) => Config.succeed(url)))
    }).pipe(Layer.catchAll((error) => Layer.effect(TrainingImages.TrainingImages, fatal(configErrorLine(error)))))
  return Effect.provide(effect, layer) as Effect.Effect<A, E | CliExit, Exclude<R, TrainingImages.TrainingImages>>
}

/** Prints a line on stdout, escaped: it may hold names, ids or messages from outside. */
const print = (line: string) => Console.log(escapeControl(line))

const printJson = <A, I>(schema: Schema.Schema<A, I>, value: A) =>
  Console.log(jsonText(Schema.encodeSync(schema)(value)))

// ---------------------------------------------------------------------------------------------------------
// checking the arguments, before any request
// ---------------------------------------------------------------------------------------------------------

const checkRun = (flags: Run) => {
  // A whole number: @effect/cli parses `--concurrency` as an integer, refusing anything else.
  if (flags.concurrency < 1) {
    return refuse(`--concurrency must be a whole number of at least 1, got ${flags.concurrency}`)
  }
  if (Option.isSome(flags.rate) && !(Number.isFinite(flags.rate.value) && flags.rate.value > 0)) {
    return refuse(`--rate must be a number of requests per second above 0, got ${flags.rate.value}`)
  }
  return Effect.void
}

/** The state file must be writable where it is, so that a run never ends unable to keep what it did. */
const checkStateFile = (path: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const file = yield* Effect.option(fs.stat(path))
    if (Option.isSome(file)) {
      if (file.value.type === "Directory") return yield* refuse(`--state ${path}: a folder, not a file`)
      const writable = yield* Effect.isSuccess(fs.access(path, { readable: true, writable: true }))
      if (!writable) return yield* refuse(`--state ${path}: not readable and writable`)
      return
    }
    const folder = paths.dirname(path)
    const info = yield* Effect.option(fs.stat(folder))
    if (Option.isNone(info)) return yield* refuse(`--state ${path}: its folder ${folder} does not exist`)
    if (info.value.type !== "Directory") return yield* refuse(`--state ${path}: ${folder} is not a folder`)
    const writable = yield* Effect.isSuccess(fs.access(folder, { writable: true }))
    if (!writable) return yield* refuse(`--state ${path}: its folder ${folder} is not writable`)
  })

// ---------------------------------------------------------------------------------------------------------
// the output of a run
// ---------------------------------------------------------------------------------------------------------

/** @internal */
export const SyncOutput = Schema.Struct({
  success: Schema.Boolean,
  totals: Schema.Struct({
    planned: Schema.Number,
    succeeded: Schema.Number,
    reconciled: Schema.Number,
    failed: Schema.Number,
    unchanged: Schema.Number,
    notInFolder: Schema.optional(Schema.Number)
  }),
  rerunAfter: Schema.optional(Schema.Date),
  report: TrainingSet.Report
})

/** The longest wait a 429 asked for among the failures: the library fails such items at once. */
const longestWait = (report: TrainingSet.Report): Duration.Duration | undefined => {
  let longest: Duration.Duration | undefined
  for (const { error } of TrainingSet.failures(report)) {
    if (error._tag === "RateLimitError" && error.retryAfter !== undefined) {
      if (longest === undefined || Duration.greaterThan(error.retryAfter, longest)) longest = error.retryAfter
    }
  }
  return longest
}

// ---------------------------------------------------------------------------------------------------------
// running a plan
// ---------------------------------------------------------------------------------------------------------

const seconds = (millis: number) => `${(millis / 1000).toFixed(1)} s`

/** Applies a plan with progress, prints the outcome, and fails with exit code 1 when any item failed. */
const runPlan = (
  plan: TrainingSet.Plan,
  sources: ReadonlyArray<TrainingSet.Source>,
  flags: Run,
  options: {
    readonly state?: TrainingSet.State | undefined
    readonly stateFile?: string | undefined
    /** For a sync: how many training images are not in the folder (and left, without `--delete`). */
    readonly notInFolder?: number | undefined
    readonly fit?: ImageFitter.ImageFitter | undefined
  } = {}
) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    // Only a run given a state file keeps one: its plan, made with the state, tracks content, so that its report
    // (or its progress, when interrupted) has a state to keep.
    const writeState = (state: () => TrainingSet.State) =>
      options.stateFile === undefined
        ? Effect.void
        : Effect.catchAll(
          Effect.suspend(() =>
            fs.writeFileString(options.stateFile!, jsonText(Schema.encodeSync(TrainingSet.State)(state())))
          ),
          (error) => fatal(`the state file ${options.stateFile} could not be written: ${error.message}`)
        )
    const summary = TrainingSet.summarize(plan)
    const progress = makeProgress(plan)
    const renderer = makeRenderer({
      total: progress.counts().total,
      tty: process.stderr.isTTY === true,
      quiet: flags.json
    })
    const started = Date.now()
    const report = yield* TrainingSet.apply(plan, sources, {
      concurrency: flags.concurrency,
      rate: Option.getOrUndefined(flags.rate),
      state: options.state,
      fit: options.fit,
      onEvent: (event) => Effect.zipRight(Effect.sync(() => progress.onEvent(event)), renderer.onEvent(event))
    }).pipe(
      Effect.ensuring(renderer.stop),
      // The library's last guard: a plan that would delete what it keeps is refused whole, nothing sent.
      // Stryker disable next-line StringLiteral,ArrowFunction: not reached, no command makes such a plan (the planner keeps one image per id and deletes none it keeps; `delete` names no folder): the guard stays for a plan that would
      Effect.catchTag("UnsafePlanError", (error) => fatal(error.message)),
      // Ctrl-C: what was done, that a rerun resumes, and the state so far (the library gives a state only
      // with the report of a finished run).
      Effect.onInterrupt(() =>
        Effect.zipRight(
          Console.error(interruptedLine(progress.counts())),
          Effect.ignore(writeState(() => progress.state(options.state)))
        )
      )
    )
    yield* writeState(() => report.state!)
    const failed = TrainingSet.failures(report).length
    const succeeded = report.results.flatMap((result) => result.outcome._tag === "Succeeded" ? [result.outcome] : [])
    const reconciled = succeeded.filter((outcome) => outcome.reconciled)
    const wait = longestWait(report)
    const rerun = wait === undefined ? undefined : { wait, after: new Date(Date.now() + Duration.toMillis(wait)) }
    const say = flags.json ? Console.error : print
    if (flags.json) {
      yield* printJson(SyncOutput, {
        success: failed === 0,
        totals: {
          planned: progress.counts().total,
          succeeded: succeeded.length,
          reconciled: reconciled.length,
          failed,
          unchanged: summary.keep,
          // Left out of the JSON when undefined (a command that is no sync), as is `rerunAfter`.
          notInFolder: options.notInFolder
        },
        rerunAfter: rerun?.after,
        report
      })
    } else {
      yield* print(
        `Done: ${succeeded.length} succeeded${
          reconciled.length > 0 ? ` (${reconciled.length} reconciled)` : ""
        }, ${failed} failed, ${summary.keep} unchanged in ${seconds(Date.now() - started)}`
      )
    }
    if (rerun !== undefined) yield* say(rerunLine(rerun.wait, rerun.after, new Date()))
    if (failed > 0) return yield* new CliExit({ code: 1 })
  })

const readText = (path: string, what: string) =>
  Effect.flatMap(
    FileSystem.FileSystem,
    (fs) => Effect.catchAll(fs.readFileString(path), () => refuse(`the ${what} ${path} could not be read`))
  )

const readPairs = (path: string) =>
  Effect.flatMap(
    readText(path, "pairs file"),
    (text) => Either.match(parsePairs(path, text), { onLeft: refuse, onRight: Effect.succeed })
  )

const readState = (path: string, modelId: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    // Stryker disable next-line ArrowFunction: `undefined` and `false` are the same "absent" to the check below
    const exists = yield* Effect.orElseSucceed(fs.exists(path), () => false)
    if (!exists) return TrainingSet.emptyState(modelId)
    const text = yield* readText(path, "state file")
    const decoded = Schema.decodeUnknownEither(Schema.parseJson(TrainingSet.State))(text)
    if (Either.isLeft(decoded)) return yield* refuse(`the state file ${path} is not a state this command wrote`)
    // A state of another model says nothing about this one.
    return decoded.right.modelId === modelId ? decoded.right : TrainingSet.emptyState(modelId)
  })

/** Two files of one name would be one training image: `add` adds a name once. The same file twice is one. */
const checkDistinctNames = (sources: ReadonlyArray<TrainingSet.ImageSource>) =>
  Effect.gen(function*() {
    const paths = yield* Path.Path
    const byName = new Map<string, string>()
    for (const source of sources) {
      const first = byName.get(source.name)
      if (first === undefined) byName.set(source.name, source.path)
      else if (paths.resolve(first) !== paths.resolve(source.path)) {
        return yield* refuse(
          `${first} and ${source.path} have the same name, ${source.name}: training images are matched by name, ` +
            "so only one would be added; rename one"
        )
      }
    }
  })

// A folder or file named on the command line that is missing or unreadable: bad input, nothing sent.
const sourcesOrFail = <A, R>(effect: Effect.Effect<A, TrainingSet.ImageSourceError, R>) =>
  Effect.catchTag(effect, "ImageSourceError", (error) => refuse(error.message))

const planOrFail = <A, E extends { readonly message: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchAll(effect, (error) => fatal(error.message))

/** Plans, and says so when Ctrl-C comes first: planning only reads, so nothing was changed. */
const planning = <A, E extends { readonly message: string }, R>(effect: Effect.Effect<A, E, R>) =>
  planOrFail(effect).pipe(
    Effect.onInterrupt(() => Console.error("Interrupted while planning (listing the model): nothing was changed."))
  )

// ---------------------------------------------------------------------------------------------------------
// commands
// ---------------------------------------------------------------------------------------------------------

const sync = Command.make("sync", {
  folder: Args.text({ name: "folder" }).pipe(Args.withDescription("The folder of images")),
  ...connection,
  ...running,
  pairs: Options.text("pairs").pipe(
    Options.optional,
    Options.withDescription("Before/after pairs by image name: a CSV (source,target,instruction) or JSON file")
  ),
  delete: Options.boolean("delete").pipe(
    Options.withDescription("Delete training images whose name is not in the folder (never without this flag)")
  ),
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Print the plan and send nothing")),
  state: Options.text("state").pipe(
    Options.optional,
    Options.withDescription("A file keeping each image's sha256, to replace images whose content changed")
  ),
  recursive: Options.boolean("recursive").pipe(
    Options.withAlias("r"),
    Options.withDescription("Include sub-folders (names are then paths below the folder)")
  ),
  include: Options.text("include").pipe(
    Options.repeated,
    Options.withDescription("Only names matching this glob (repeatable)")
  ),
  exclude: Options.text("exclude").pipe(
    Options.repeated,
    Options.withDescription("Leave out names matching this glob")
  ),
  fit
}, (flags) =>
  Effect.gen(function*() {
    yield* checkRun(flags)
    const fitter = yield* fitterOf(flags.fit)
    const stateFile = Option.getOrUndefined(flags.state)
    if (stateFile !== undefined) yield* checkStateFile(stateFile)
    const sources = yield* sourcesOrFail(TrainingSet.readFolder(flags.folder, {
      recursive: flags.recursive,
      include: flags.include,
      exclude: flags.exclude
    }))
    const pairs = Option.isSome(flags.pairs) ? yield* readPairs(flags.pairs.value) : undefined
    const state = stateFile === undefined ? undefined : yield* readState(stateFile, flags.model)
    yield* withService(
      flags,
      Effect.gen(function*() {
        // Planned with deletes, so that what a sync without `--delete` leaves can be counted from the same
        // listing; the deletes are then dropped (they are all `deleteOthers` adds to a plan).
        const full = yield* planning(TrainingSet.plan({
          modelId: flags.model,
          images: sources,
          pairs,
          deleteOthers: true,
          state,
          fit: fitter
        }))
        const deletes = full.items.filter((item) => item._tag === "Delete")
        const notInFolder = deletes.filter((item) => item.reason === "not-in-set").length
        // Every other delete is of a name the model holds twice.
        const left = { notInFolder, duplicates: deletes.length - notInFolder }
        const plan: TrainingSet.Plan = flags.delete
          ? full
          : { ...full, items: full.items.filter((item) => item._tag !== "Delete") }
        const summary = TrainingSet.summarize(plan)
        // Diagnostics go to stderr under `--json`, so that stdout stays one JSON value.
        const say = flags.json ? (line: string) => Console.error(escapeControl(line)) : print
        if (flags.dryRun) {
          if (flags.json) return yield* printJson(TrainingSet.Plan, plan)
          yield* print(`${summaryLine(summary, flags.model)} (dry run: nothing sent)`)
          for (const item of plan.items) if (item._tag !== "Keep") yield* Console.log(`  ${itemText(item)}`)
          if (!flags.delete) { for (const line of leftLines(left)) yield* print(line) }
          return
        }
        yield* say(summaryLine(summary, flags.model))
        if (summary.delete > 0) {
          yield* say(`Deleting ${summary.delete} training image${summary.delete === 1 ? "" : "s"} not in the folder`)
        }
        if (!flags.delete) { for (const line of leftLines(left)) yield* say(line) }
        yield* runPlan(plan, sources, flags, {
          state,
          stateFile,
          notInFolder: flags.delete ? 0 : left.notInFolder,
          fit: fitter
        })
      })
    )
  })).pipe(Command.withDescription("Make the model's training images exactly the folder's images, once each"))

const list = Command.make("list", { ...connection, json }, (flags) =>
  withService(
    flags,
    Effect.gen(function*() {
      const images = yield* TrainingImages.TrainingImages
      const listed = yield* planOrFail(images.list({ modelId: flags.model }))
      if (flags.json) return yield* printJson(TrainingImage.ModelTrainingImages, listed)
      for (const image of listed.trainingImages) {
        yield* Console.log(`${escapeControl(image.id)}\t${escapeControl(image.name)}`)
      }
      yield* print(
        `${listed.trainingImages.length} training image${
          listed.trainingImages.length === 1 ? "" : "s"
        }, ${listed.trainingImagePairs.length} pair${
          listed.trainingImagePairs.length === 1 ? "" : "s"
        } (model status: ${listed.status})`
      )
    })
  )).pipe(Command.withDescription("List the model's training images (id and name)"))

const add = Command.make("add", {
  files: Args.text({ name: "file" }).pipe(Args.atLeast(1), Args.withDescription("Image files to add")),
  ...connection,
  ...running,
  fit
}, (flags) =>
  Effect.gen(function*() {
    yield* checkRun(flags)
    const fitter = yield* fitterOf(flags.fit)
    const sources = yield* sourcesOrFail(TrainingSet.readFiles(flags.files))
    yield* checkDistinctNames(sources)
    yield* withService(
      flags,
      Effect.gen(function*() {
        // Planned like a sync without deletes: a name the model already holds is left as it is, so that no
        // name is ever added twice (and an add of unknown outcome can be found by its name).
        const plan = yield* planning(TrainingSet.plan({ modelId: flags.model, images: sources, fit: fitter }))
        if (!flags.json) {
          for (const item of plan.items) {
            if (item._tag === "Keep") yield* print(`${item.name} is already on the model (${item.trainingImageId})`)
            if (item._tag === "Add" && item.fit !== undefined) yield* Console.log(itemText(item))
          }
        }
        yield* runPlan(plan, sources, flags, { fit: fitter })
      })
    )
  })).pipe(Command.withDescription("Add image files as training images, named by their file names (once each)"))

const replace = Command.make("replace", {
  trainingImageId: Args.text({ name: "training-image-id" }),
  file: Args.text({ name: "file" }),
  ...connection,
  ...running
}, (flags) =>
  Effect.gen(function*() {
    yield* checkRun(flags)
    const sources = yield* sourcesOrFail(TrainingSet.readFiles([flags.file]))
    const plan: TrainingSet.Plan = {
      modelId: flags.model,
      items: [{ _tag: "Replace", name: sources[0]!.name, trainingImageId: flags.trainingImageId }],
      tracksContent: false
    }
    yield* withService(flags, runPlan(plan, sources, flags))
  })).pipe(Command.withDescription("Replace the content of one training image with an image file"))

const delete_ = Command.make("delete", {
  trainingImageIds: Args.text({ name: "training-image-id" }).pipe(Args.atLeast(1)),
  ...connection,
  ...running
}, (flags) => {
  const plan: TrainingSet.Plan = {
    modelId: flags.model,
    items: flags.trainingImageIds.map((id) => ({
      _tag: "Delete",
      name: id,
      trainingImageId: id,
      reason: "not-in-set"
    })),
    tracksContent: false
  }
  // Stryker disable next-line ArrayDeclaration: a plan of deletes reads no source (only adds and replaces do)
  return Effect.zipRight(checkRun(flags), withService(flags, runPlan(plan, [], flags)))
}).pipe(Command.withDescription("Delete training images by id"))

const pairs = Command.make("pairs", {
  file: Args.text({ name: "file" }).pipe(
    Args.withDescription("A CSV (source,target,instruction) or JSON file of pairs, by training image name")
  ),
  ...connection,
  ...running
}, (flags) =>
  Effect.gen(function*() {
    yield* checkRun(flags)
    const wanted = yield* readPairs(flags.file)
    const plan: TrainingSet.Plan = {
      modelId: flags.model,
      items: [{ _tag: "SetPairs", pairs: wanted }],
      tracksContent: false
    }
    // Stryker disable next-line ArrayDeclaration: a plan that sets pairs reads no source (only adds and replaces do)
    yield* withService(flags, runPlan(plan, [], flags))
  })).pipe(Command.withDescription("Replace all of the model's pairs; names are resolved to ids from a listing"))

// ---------------------------------------------------------------------------------------------------------
// pull and copy: the images come from a model, downloaded without credentials
// ---------------------------------------------------------------------------------------------------------

/** Downloads go through a client of their own, which never carries the API's credentials. */
const withDownloads = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.provide(effect, UndiciHttpClient.layer())

/**
 * What a pull shows as it goes, as `sync` does: on a terminal, a progress bar on stderr with failures printed
 * above it; elsewhere, one line per image on stdout (on stderr, failures only, under `--json`).
 */
const pullProgress = (options: { readonly tty: boolean; readonly json: boolean }) => {
  let bars: { readonly multibar: cliProgress.MultiBar; readonly bar: cliProgress.SingleBar } | undefined
  const failureLine = (result: TrainingSet.PullResult) =>
    result.outcome._tag === "Failed" ? `FAILED ${escapeControl(result.outcome.error.message)}` : undefined
  const onEvent = (event: TrainingSet.PullEvent): Effect.Effect<void> => {
    if (event._tag === "Listed") {
      return Effect.sync(() => {
        if (!options.tty || options.json || event.images === 0) return
        const multibar = new cliProgress.MultiBar({
          stream: process.stderr,
          format: " {bar} {value}/{total} | ETA {eta_formatted}",
          hideCursor: true,
          clearOnComplete: false,
          stopOnComplete: false
        }, cliProgress.Presets.shades_classic)
        bars = { multibar, bar: multibar.create(event.images, 0) }
      })
    }
    if (event._tag !== "Pulled") return Effect.void
    const failure = failureLine(event.result)
    if (bars !== undefined) {
      const { bar, multibar } = bars
      return Effect.sync(() => {
        if (failure !== undefined) multibar.log(`${failure}\n`)
        bar.increment()
      })
    }
    if (options.json) return failure === undefined ? Effect.void : Console.error(failure)
    const { file, outcome } = event.result
    return failure !== undefined
      ? Console.error(failure)
      : Console.log(`${outcome._tag === "Written" ? "wrote" : "unchanged"} ${escapeControl(file)}`)
  }
  // Drawn once more before it stops: cli-progress writes the lines logged above the bar only when it redraws.
  const stop = Effect.sync(() => {
    bars?.multibar.update()
    bars?.multibar.stop()
  })
  return { onEvent, stop }
}

/** @internal */
export const PullOutput = Schema.Struct({
  success: Schema.Boolean,
  totals: Schema.Struct({
    images: Schema.Number,
    written: Schema.Number,
    unchanged: Schema.Number,
    failed: Schema.Number,
    renamed: Schema.Number,
    pairs: Schema.Number
  }),
  report: TrainingSet.PullReport
})

const pull = Command.make("pull", {
  folder: Args.text({ name: "folder" }).pipe(
    Args.withDescription("The folder the images are written to (created when missing)")
  ),
  ...connection,
  json,
  concurrency: Options.integer("concurrency").pipe(
    Options.withDefault(4),
    Options.withDescription("How many images are downloaded at once (default: 4)")
  ),
  force: Options.boolean("force").pipe(
    Options.withDescription("Overwrite files of the folder that hold other bytes (never without this flag)")
  )
}, (flags) =>
  Effect.gen(function*() {
    yield* checkRun({ ...flags, rate: Option.none() })
    const fs = yield* FileSystem.FileSystem
    const existing = yield* Effect.option(fs.stat(flags.folder))
    if (Option.isSome(existing) && existing.value.type !== "Directory") {
      return yield* refuse(`${flags.folder} is not a folder`)
    }
    const say = flags.json ? (line: string) => Console.error(escapeControl(line)) : print
    const progress = pullProgress({ tty: process.stderr.isTTY === true, json: flags.json })
    const started = Date.now()
    const report = yield* withService(
      flags,
      withDownloads(planOrFail(TrainingSet.pull({
        modelId: flags.model,
        folder: flags.folder,
        force: flags.force,
        concurrency: flags.concurrency,
        onEvent: progress.onEvent
      })))
    ).pipe(
      Effect.ensuring(progress.stop),
      Effect.onInterrupt(() =>
        Console.error("Interrupted: the files written so far are whole and kept; a rerun downloads the rest.")
      )
    )
    const count = (tag: TrainingSet.PullOutcome["_tag"]) =>
      report.results.filter((result) => result.outcome._tag === tag).length
    const failed = count("Failed")
    const renamed = report.results.filter((result) => result.file !== result.name)
    if (flags.json) {
      yield* printJson(PullOutput, {
        success: failed === 0,
        totals: {
          images: report.results.length,
          written: count("Written"),
          unchanged: count("Unchanged"),
          failed,
          renamed: renamed.length,
          pairs: report.pairs
        },
        report
      })
    } else {
      for (const result of renamed) yield* print(`${result.name} was written as ${result.file}`)
      yield* print(
        `Done: ${count("Written")} written, ${failed} failed, ${count("Unchanged")} unchanged, ${report.pairs} pair${
          report.pairs === 1 ? "" : "s"
        } in ${seconds(Date.now() - started)}`
      )
    }
    if (report.droppedPairs > 0) {
      yield* say(`${report.droppedPairs} pairs name an image the model did not list: left out of the pairs file`)
    }
    if (failed === 0) {
      yield* say(
        `To send this folder back: scenario-training sync ${flags.folder} --model ${flags.model} --pairs ${report.pairsFile} --state ${report.stateFile}`
      )
    }
    if (failed > 0) return yield* new CliExit({ code: 1 })
  })).pipe(
    Command.withDescription(
      "Write the model's training images to a folder under their names, with its pairs and state files"
    )
  )

const copy = Command.make("copy", {
  from: Options.text("from").pipe(Options.withDescription("The model whose training images and pairs are copied")),
  to: Options.text("to").pipe(Options.withDescription("The model they are copied to")),
  emulator,
  baseUrl,
  ...running,
  delete: Options.boolean("delete").pipe(
    Options.withDescription("Delete training images of --to whose name --from lacks (never without this flag)")
  ),
  dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Print the plan and send nothing"))
}, (flags) =>
  Effect.gen(function*() {
    yield* checkRun(flags)
    if (flags.from === flags.to) return yield* refuse(`--from and --to are the same model, ${flags.from}`)
    yield* withServiceOf(
      [flags.from, flags.to],
      flags,
      withDownloads(Effect.gen(function*() {
        const { images, pairs } = yield* planning(TrainingSet.fromModel(flags.from))
        const full = yield* planning(TrainingSet.plan({ modelId: flags.to, images, pairs, deleteOthers: true }))
        const notInSource = full.items.filter((item) => item._tag === "Delete").length
        const plan: TrainingSet.Plan = flags.delete
          ? full
          : { ...full, items: full.items.filter((item) => item._tag !== "Delete") }
        const summary = TrainingSet.summarize(plan)
        const say = flags.json ? (line: string) => Console.error(escapeControl(line)) : print
        if (flags.dryRun) {
          if (flags.json) return yield* printJson(TrainingSet.Plan, plan)
          yield* print(`${summaryLine(summary, flags.to)} (dry run: nothing sent)`)
          for (const item of plan.items) if (item._tag !== "Keep") yield* Console.log(`  ${itemText(item)}`)
          return
        }
        yield* say(summaryLine(summary, flags.to))
        if (!flags.delete && notInSource > 0) {
          yield* say(
            `${notInSource} training image${notInSource === 1 ? "" : "s"} of ${flags.to} not on ${flags.from} ` +
              "left as they are (--delete removes them)"
          )
        }
        yield* runPlan(plan, images, flags, { notInFolder: flags.delete ? 0 : notInSource })
      }))
    )
  })).pipe(
    Command.withDescription(
      "Copy a model's training images and pairs to another model, once each, without a folder on disk"
    )
  )

/** @internal */
export const command = Command.make("scenario-training").pipe(
  Command.withDescription("Keep a folder of images in step with a Scenario model's training images"),
  Command.withSubcommands([sync, list, add, replace, delete_, pairs, pull, copy])
)

const cliRun = Command.run(command, { name: "scenario-training", version: VERSION })

/** @internal */
export const run = (argv: ReadonlyArray<string>): Effect.Effect<number, never, CliApp.CliApp.Environment> =>
  cliRun(argv).pipe(
    Effect.as(0),
    Effect.catchAll((error) => {
      if (error instanceof CliExit) return Effect.succeed(error.code)
      // @effect/cli has printed what was wrong with the arguments.
      // Stryker disable next-line ConditionalExpression: the handlers fail with CliExit alone (the type says so), so every other failure is a ValidationError
      if (ValidationError.isValidationError(error)) return Effect.succeed(2)
      // Stryker disable next-line StringLiteral: not reached, no failure but a CliExit or a ValidationError gets here (the line keeps the exit code total)
      return Effect.as(Console.error(`error: ${escapeControl(String(error))}`), 1)
    }),
    Effect.catchAllDefect((defect) => {
      const lines = Cause.pretty(Cause.die(defect)).split("\n")
      // Stryker disable next-line StringLiteral: a split by a separator always has a first part, the fallback is for the types
      const first = lines[0] ?? ""
      return Effect.as(Console.error(`internal error: ${escapeControl(first)}`), 70)
    }),
    // @effect/cli styles its help and its argument errors whatever the output is: plain unless a terminal.
    (effect) => withStylesWhereWanted(effect, { stdout: process.stdout, stderr: process.stderr, env: process.env })
  )

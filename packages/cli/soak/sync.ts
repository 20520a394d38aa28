/**
 * The training-set soak, from the command line:
 *
 * ```sh
 * pnpm soak:sync
 * pnpm soak:sync --images 1000 --fault-rate 0.3 --seed 7 --concurrency 16
 * ```
 *
 * A generated folder of small images plus pairs is synced into the emulator (on 127.0.0.1, real HTTP) while
 * it injects seeded random faults (429, 5xx, slow responses, connections dropped; each 5xx, delay and drop
 * also in the kind where the change is applied first; a 429 whose Retry-After is a day, over the run's cap),
 * a burst of 429s, a few 429s asking for three years, and its list lags behind its adds (`--list-lag`, 2 s by
 * default); then, into a second model, a run interrupted half-way and a rerun. After each, the model must
 * equal the folder exactly (0 duplicate names, no stale image, no image of the folder deleted, the pairs set),
 * every planned item must have exactly one outcome, and no pause may exceed the cap. Prints the figures as a
 * Markdown table and the wall time; exits with status 1 when a property did not hold.
 */
import { TrainingSet } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import * as Console from "effect/Console"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { imageName, writeFolder } from "./folder.js"

interface Options {
  readonly images: number
  readonly faultRate: number
  readonly seed: number
  readonly concurrency: number
  readonly listLagMillis: number
}

const parse = (argv: ReadonlyArray<string>): Options => {
  const options = { images: 600, faultRate: 0.3, seed: 1, concurrency: 16, listLagMillis: 2000 }
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1])
    if (!Number.isFinite(value)) throw new Error(`${argv[i]} expects a number`)
    switch (argv[i]) {
      case "--images":
        options.images = Math.max(2, Math.floor(value))
        break
      case "--fault-rate":
        options.faultRate = value
        break
      case "--seed":
        options.seed = value
        break
      case "--concurrency":
        options.concurrency = value
        break
      case "--list-lag":
        options.listLagMillis = Math.max(0, value)
        break
      default:
        throw new Error(
          `unknown option ${argv[i]}; options: --images N --fault-rate R --seed N --concurrency N --list-lag MILLIS`
        )
    }
  }
  return options
}

// Every fault kind the emulator has, including those where the change is applied and the answer lost.
const faults = [
  Fault.rateLimited({ retryAfter: "1 second" }),
  Fault.rateLimited({ retryAfter: "20 millis", retryAfterHeader: "retry-after-ms" }),
  Fault.serverError(500),
  Fault.serverError(502),
  Fault.serverError(503),
  Fault.serverError(504),
  Fault.serverError(500, { afterApply: true }),
  Fault.serverError(503, { afterApply: true }),
  Fault.delay("3 seconds"),
  Fault.delay("3 seconds", { afterApply: true }),
  Fault.dropBeforeApply,
  Fault.dropAfterApply,
  // Over the run's cap (the retry policy's maxRetryAfter, 60 s): never slept through, the item fails at once.
  Fault.rateLimited({ retryAfter: "1 day" })
]

const cap = TrainingSet.defaultRetryPolicy.maxRetryAfter

interface RunFigures {
  readonly reports: number
  readonly items: number
  readonly retried: number
  readonly reconciled: number
  readonly paused: number
  readonly longestPauseMillis: number
  readonly failedThenRerun: number
  /** Items failed with a RateLimitError whose wait is over the cap. */
  readonly overCap: number
  /** Deletes that removed an image the plan kept, or a name of the folder: must stay 0. */
  readonly folderDeleted: number
}

const main = Effect.gen(function*() {
  const options = parse(process.argv.slice(2))
  const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "soak-sync-"))
  const folder = Path.join(root, "images")
  const names = writeFolder(folder, options.images, { seed: options.seed })
  // Pairs chain one image in ten to the next one.
  const pairs: Array<TrainingSet.PlannedPair> = []
  for (let i = 0; i + 1 < names.length; i += 10) {
    pairs.push({ source: names[i]!, target: names[i + 1]!, instruction: `step ${i}` })
  }
  yield* Console.log(
    `soak:sync: ${options.images} images, ${pairs.length} pairs, fault rate ${options.faultRate}, seed ${options.seed}, ` +
      `concurrency ${options.concurrency}, list lag ${options.listLagMillis} ms`
  )
  const violations: Array<string> = []
  const started = Date.now()

  const emulator = yield* ScenarioEmulator.make({
    models: {
      // A model holding stale images and a duplicate of a name of the folder: --delete must remove them.
      model_sync: {
        trainingImages: [
          { id: "asset_stale_1", name: "stale-1.png" },
          { id: "asset_stale_2", name: "stale-2.png" },
          { id: "asset_dup_a", name: imageName(3) },
          { id: "asset_dup_b", name: imageName(3) }
        ]
      },
      model_interrupted: {}
    },
    listLag: Duration.millis(options.listLagMillis)
  })
  const service = NodeTrainingImages.layer({
    credentials: emulator.credentials,
    baseUrl: emulator.baseUrl,
    timeout: "2 seconds"
  })
  const sources = yield* TrainingSet.readFolder(folder)

  /** Plans and applies until a run has no failure (a rerun recomputes the plan from what is there). */
  const converge = (modelId: string, interruptAt?: number) =>
    Effect.gen(function*() {
      let figures: RunFigures = {
        reports: 0,
        items: 0,
        retried: 0,
        reconciled: 0,
        paused: 0,
        longestPauseMillis: 0,
        failedThenRerun: 0,
        overCap: 0,
        folderDeleted: 0
      }
      for (let round = 0; round < 6; round++) {
        // A plan is made from a listing: after a run, wait until the list shows its last adds (its lag), or
        // the plan would add them again.
        if (round > 0) yield* Effect.sleep(Duration.millis(options.listLagMillis))
        const planned = yield* Effect.either(TrainingSet.plan({ modelId, images: sources, pairs, deleteOthers: true }))
        if (planned._tag === "Left") continue
        const plan = planned.right
        const keptIds = new Set(plan.items.flatMap((item) => item._tag === "Keep" ? [item.trainingImageId] : []))
        const ends = new Map<number, number>()
        const halfway = yield* Deferred.make<void>()
        let finished = 0
        const onEvent = (event: TrainingSet.Event) =>
          Effect.suspend(() => {
            switch (event._tag) {
              case "Retried":
                figures = { ...figures, retried: figures.retried + 1 }
                break
              case "Reconciled":
                figures = { ...figures, reconciled: figures.reconciled + 1 }
                break
              case "Paused": {
                const millis = Duration.toMillis(event.retryAfter)
                if (Duration.greaterThan(event.retryAfter, cap)) {
                  violations.push(`${modelId}: a pause of ${millis} ms, over the cap`)
                }
                figures = {
                  ...figures,
                  paused: figures.paused + 1,
                  longestPauseMillis: Math.max(figures.longestPauseMillis, millis)
                }
                break
              }
              case "Succeeded":
              case "Failed":
                if (
                  event._tag === "Succeeded" && event.item._tag === "Delete" &&
                  (keptIds.has(event.item.trainingImageId) ||
                    (event.item.reason === "not-in-set" && names.includes(event.item.name)))
                ) figures = { ...figures, folderDeleted: figures.folderDeleted + 1 }
                ends.set(event.index, (ends.get(event.index) ?? 0) + 1)
                if (++finished === interruptAt) return Deferred.succeed(halfway, undefined)
            }
            return Effect.void
          })
        const fiber = yield* Effect.fork(
          TrainingSet.apply(plan, sources, { concurrency: options.concurrency, onEvent })
        )
        if (round === 0 && interruptAt !== undefined) {
          yield* Effect.raceFirst(Deferred.await(halfway), Fiber.await(fiber))
          yield* Fiber.interrupt(fiber)
          yield* Console.log(`  ${modelId}: interrupted after ${finished} of ${plan.items.length} items`)
          continue
        }
        const report = yield* Fiber.join(fiber)
        figures = { ...figures, reports: figures.reports + 1, items: figures.items + plan.items.length }
        // Every planned item has exactly one outcome, and at most one end event.
        if (report.results.length !== plan.items.length) {
          violations.push(`${modelId}: ${plan.items.length} items planned, ${report.results.length} outcomes`)
        }
        for (const [index, count] of ends) {
          if (count !== 1) violations.push(`${modelId}: item ${index} ended ${count} times`)
        }
        if (figures.folderDeleted > 0) {
          violations.push(`${modelId}: ${figures.folderDeleted} images of the folder deleted`)
        }
        if (TrainingSet.isSuccess(report)) return figures
        const failed = TrainingSet.failures(report)
        const overCap = failed.filter(({ error }) =>
          error._tag === "RateLimitError" && error.retryAfter !== undefined &&
          Duration.greaterThan(error.retryAfter, cap)
        ).length
        figures = {
          ...figures,
          failedThenRerun: figures.failedThenRerun + failed.length,
          overCap: figures.overCap + overCap
        }
        for (const { error, item } of failed) {
          yield* Console.log(`  ${modelId}: ${item._tag} failed (${error._tag}), rerun: ${error.message}`)
        }
      }
      violations.push(`${modelId}: did not converge in 6 runs`)
      return figures
    }).pipe(Effect.provide(service))

  /** The model equals the folder: the same names, each once, and the pairs set. */
  const check = (modelId: string) =>
    Effect.gen(function*() {
      const model = (yield* emulator.snapshot).models[modelId]!
      const onModel = model.trainingImages.map((image) => image.name)
      const duplicates = onModel.length - new Set(onModel).size
      if (duplicates !== 0) violations.push(`${modelId}: ${duplicates} duplicate names`)
      const missing = names.filter((name) => !onModel.includes(name))
      const extra = onModel.filter((name) => !names.includes(name))
      if (missing.length > 0) violations.push(`${modelId}: ${missing.length} images missing`)
      if (extra.length > 0) violations.push(`${modelId}: ${extra.length} images not in the folder`)
      const ids = new Map(model.trainingImages.map((image) => [image.name, image.id]))
      const wanted = pairs.map((pair) => `${ids.get(pair.source)}>${ids.get(pair.target)}>${pair.instruction}`).sort()
      const actual = model.pairs.map((pair) => `${pair.sourceId}>${pair.targetId}>${pair.instruction}`).sort()
      if (JSON.stringify(wanted) !== JSON.stringify(actual)) violations.push(`${modelId}: pairs differ`)
      return { images: onModel.length, duplicates, pairs: model.pairs.length }
    })

  // 1. A sync under random faults, with a burst of 429s once it is under way.
  yield* emulator.setFaults({ rate: options.faultRate, seed: options.seed, faults })
  const burst = Effect.zipRight(
    Effect.sleep("300 millis"),
    emulator.failNext(40, Fault.rateLimited({ retryAfter: "2 seconds" }), { operation: "add" })
  ).pipe(
    // Three years: more than the 2^31 ms a timer can hold.
    Effect.zipRight(Effect.sleep("300 millis")),
    Effect.zipRight(emulator.failNext(5, Fault.rateLimited({ retryAfter: "1095 days" }), { operation: "add" }))
  )
  const [faulted] = yield* Effect.all([converge("model_sync"), burst], { concurrency: 2 })
  const faultedState = yield* check("model_sync")
  const faultCounts = yield* emulator.faultCounts

  // 2. A run interrupted half-way (faults still on), then rerun.
  const interrupted = yield* converge("model_interrupted", Math.floor(options.images / 2))
  const interruptedState = yield* check("model_interrupted")

  const requests = (yield* emulator.requests).length
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const row = (name: string, figures: RunFigures, state: { images: number; duplicates: number; pairs: number }) =>
    `| ${name} | ${figures.reports} | ${figures.items} | ${figures.failedThenRerun} | ${figures.overCap} | ${figures.retried} | ${figures.reconciled} | ${figures.paused} | ${
      (figures.longestPauseMillis / 1000).toFixed(1)
    } s | ${state.images} | ${state.duplicates} | ${figures.folderDeleted} | ${state.pairs} |`
  yield* Console.log([
    "",
    "| run | completed runs | items reported | items failed, then rerun | of them 429 over the cap | retries | reconciled adds | pauses (429) | longest pause | images on model | duplicate names | folder's images deleted | pairs |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    row("faults + 429 burst", faulted, faultedState),
    row("interrupted, rerun", interrupted, interruptedState),
    "",
    `faults injected: ${Object.entries(faultCounts).map(([kind, count]) => `${kind} ${count}`).join(", ")}`,
    `requests: ${requests}; wall time ${seconds} s`
  ].join("\n"))
  Fs.rmSync(root, { recursive: true, force: true })
  if (violations.length > 0) {
    yield* Console.error(`\n${violations.length} properties did not hold:`)
    for (const violation of violations) yield* Console.error(`- ${violation}`)
    process.exitCode = 1
  } else {
    yield* Console.log("every property held: each model equals the folder, 0 duplicate names, one outcome per item")
  }
}).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(NodeContext.layer)))

NodeRuntime.runMain(main)

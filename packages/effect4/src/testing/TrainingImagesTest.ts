/**
 * An in-memory `TrainingImages.Service` for tests: no HTTP, nothing Node-only, so it runs in any test runner
 * (Node, browsers, edge runtimes). It validates params with the client's own validators, answers with the
 * client's own error classes and retry policy, and keeps its models in the same store the `ScenarioEmulator`
 * serves over HTTP, so code tested against it meets the errors it would meet in production.
 *
 * - Ids are deterministic (`asset_test_000001`, ...) and `createdAt` comes from Effect's `Clock`, so under
 *   `TestClock` every value is reproducible.
 * - Seed models with `layer({ models: { model_1: { trainingImages: [{}, {}] } } })`.
 * - Inspect the stored state (`snapshot`, `model`) and the requests made (`calls`).
 * - Inject faults: `failNext(2, Fault.rateLimited({ retryAfter: "1 second" }))`, any error of the library, or
 *   seeded random faults.
 * - A `downloadUrl` has the emulator's shape (`<origin>/assets/<id>`, another origin than the API's) on
 *   `https://cdn.scenario.test`, a reserved name that nothing serves: the fake keeps no image content (it
 *   holds names and ids only, so that a large seed costs little) and makes no HTTP. Code that downloads
 *   images (`TrainingSet.pull`, `copy`) is tested against the `ScenarioEmulator`, which serves them.
 *
 * ```ts
 * import { TrainingImages } from "@effect-scenario/effect4"
 * import { Fault, TrainingImagesTest } from "@effect-scenario/effect4/testing"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   yield* TrainingImagesTest.failNext(1, Fault.serverError(503), { operation: "add" })
 *   const images = yield* TrainingImages.TrainingImages
 *   yield* images.add({ modelId: "model_1", assetId: "asset_1" }) // retried after the 503, then stored
 *   return yield* TrainingImagesTest.calls
 * })
 *
 * program.pipe(Effect.provide(TrainingImagesTest.layer({ models: { model_1: {} } })))
 * ```
 *
 * @since 0.1.0
 */
import type * as Store from "@effect-scenario/emulator/Store"
import * as Context from "effect/Context"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import type * as RetryPolicy from "../RetryPolicy.js"
import type * as TrainingImage from "../TrainingImage.js"
import * as TrainingImages from "../TrainingImages.js"
import type * as TrainingImagesError from "../TrainingImagesError.js"
import type * as Fault from "./Fault.js"
import * as seedInternal from "./internal/seed.js"
import * as internal from "./internal/trainingImagesTest.js"

/**
 * A training image to seed; every field defaults (the id from the counter, `createdAt` from the clock, the
 * name from the id).
 *
 * @since 0.1.0
 * @category seeding
 */
export type ImageSeed = Store.ImageSeed

/**
 * A model to seed. `status` defaults to `"new"`, `type` to `"flux.1-lora"`, `name` to the model id. Pairs
 * are stored as given, even when they name images the model does not have. A seed is checked against what
 * the API can answer (`status` and `type` from its enums, images and pairs of the documented shape): a
 * problem fails `make`, `layer` or `seed` with `InvalidSeedError`.
 *
 * @since 0.1.0
 * @category seeding
 */
export interface ModelSeed {
  readonly status?: TrainingImage.ModelStatus | undefined
  readonly type?: TrainingImage.ModelType | undefined
  readonly name?: string | undefined
  readonly trainingImages?: ReadonlyArray<ImageSeed> | undefined
  readonly pairs?: ReadonlyArray<TrainingImage.PairInput> | undefined
}

/**
 * A seed the API could never have answered with (a `status` or `type` outside its enums, a malformed image or
 * pair). `issues` lists every problem, each with its path (`models.<id>.status`).
 *
 * @since 0.1.0
 * @category errors
 */
export const InvalidSeedError: typeof seedInternal.InvalidSeedError = seedInternal.InvalidSeedError

/**
 * @since 0.1.0
 * @category errors
 */
export type InvalidSeedError = seedInternal.InvalidSeedError

/**
 * The models to seed, by model id.
 *
 * @since 0.1.0
 * @category seeding
 */
export type Seed = Readonly<Record<string, ModelSeed>>

/**
 * A training image as stored (and sent on the wire).
 *
 * @since 0.1.0
 * @category inspection
 */
export type StoredImage = Store.StoredImage

/**
 * A pair as the fake or the emulator stores it.
 *
 * @since 0.1.0
 * @category inspection
 */
export type StoredPair = Store.StoredPair

/**
 * A model as stored: a copy, which later calls do not change.
 *
 * @since 0.1.0
 * @category inspection
 */
export type ModelState = Store.ModelState

/**
 * Every model, by id.
 *
 * @since 0.1.0
 * @category inspection
 */
export type Snapshot = Store.Snapshot

interface CallOf<Op extends TrainingImagesError.Operation, Params> {
  readonly operation: Op
  readonly params: Params
  /** `req_test_1`, `req_test_2`, ...: also the `requestId` of the errors it answered. */
  readonly requestId: string
  readonly method: string
  /** The URL the HTTP client would have requested, below `baseUrl`. */
  readonly url: string
  /** The kind of the fault injected (`Fault.kind`, or the `_tag` of an injected error), if any. */
  readonly fault: string | undefined
  /** The status answered; `undefined` when no response came (a dropped connection, a timeout). */
  readonly status: number | undefined
}

/**
 * One request the fake received: one per attempt, so a retried call shows once per attempt. Params that
 * fail validation are rejected before any request, as by the HTTP client, and are not recorded.
 *
 * @since 0.1.0
 * @category inspection
 */
export type Call =
  | CallOf<"add", TrainingImage.AddParams>
  | CallOf<"replace", TrainingImage.ReplaceParams>
  | CallOf<"replacePairs", TrainingImage.ReplacePairsParams>
  | CallOf<"delete", TrainingImage.DeleteParams>
  | CallOf<"list", TrainingImage.ListParams>

/**
 * What can be injected: a `Fault` (answered as the HTTP client would report it) or any error of the library,
 * raised as given.
 *
 * @since 0.1.0
 * @category faults
 */
export type Injected = Fault.Fault | TrainingImagesError.TrainingImagesError

/**
 * The options of `make` and `layer`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** The models present from the start (and after `reset`). */
  readonly models?: Seed | undefined
  /** The base URL the errors name. Defaults to `DEFAULT_BASE_URL`. */
  readonly baseUrl?: string | undefined
  /** The time one attempt may take (it matters with `Fault.delay`). Defaults to 60 seconds. */
  readonly timeout?: Duration.Input | undefined
  /**
   * Defaults to `RetryPolicy.defaultPolicy`, as for the HTTP client, so injected failures are retried as
   * they would be in production. Use `RetryPolicy.none` to see every injected failure.
   */
  readonly retryPolicy?: RetryPolicy.RetryPolicy | undefined
  /** Random faults from the start. */
  readonly faults?: Fault.RandomFaults<Injected> | undefined
  /** The request limit, checked as the HTTP client does. Defaults to `TrainingImages.DEFAULT_MAX_REQUEST_BYTES`. */
  readonly maxRequestBytes?: number | undefined
  /**
   * How long an added image stays out of `list` (eventual consistency: the API promises no read-after-write).
   * Inspection (`snapshot`, `model`) sees it at once. Measured on Effect's `Clock`, so `TestClock` moves it.
   * Default: none.
   *
   * @since 0.3.0
   */
  readonly listLag?: Duration.Input | undefined
}

/**
 * The fake and its controls.
 *
 * @since 0.1.0
 * @category models
 */
export interface Control {
  /** The `TrainingImages` implementation. */
  readonly service: TrainingImages.Service
  readonly snapshot: Effect.Effect<Snapshot>
  readonly model: (modelId: string) => Effect.Effect<Option.Option<ModelState>>
  /** Creates the models given, replacing any with the same id. */
  readonly seed: (models: Seed) => Effect.Effect<void, InvalidSeedError>
  /** Every request received, oldest first. */
  readonly calls: Effect.Effect<ReadonlyArray<Call>>
  /**
   * The next `count` requests (of `operation` only, when given) meet `fault`. Each attempt of a retried call
   * uses one. Scripted faults come before random ones, in the order they were given.
   */
  readonly failNext: (
    count: number,
    fault: Injected,
    options?: { readonly operation?: TrainingImagesError.Operation | undefined }
  ) => Effect.Effect<void>
  /** Replaces the random faults (reseeding them); `undefined` turns them off. */
  readonly setFaults: (faults: Fault.RandomFaults<Injected> | undefined) => Effect.Effect<void>
  /** How many faults of each kind were injected. */
  readonly faultCounts: Effect.Effect<Readonly<Record<string, number>>>
  /**
   * Sets the list lag (see `Options.listLag`), for the images already added too; `undefined` turns it off:
   * every image is listed at once.
   *
   * @since 0.3.0
   */
  readonly setListLag: (lag: Duration.Input | undefined) => Effect.Effect<void>
  /** Back to the initial models and list lag, no calls, no scripted faults, counters at zero. */
  readonly reset: Effect.Effect<void>
}

/**
 * The controls of the in-memory fake in context (seed, inspect, inject faults, reset), provided by `layer`
 * along with the `TrainingImages` service they control.
 *
 * @since 0.1.0
 * @category tags
 */
export class TrainingImagesTest extends Context.Service<TrainingImagesTest, Control>()(
  "@effect-scenario/testing/TrainingImagesTest"
) {}

/**
 * The base URL the fake's errors name by default: a reserved test domain that never resolves.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL: string = internal.DEFAULT_BASE_URL

/**
 * Builds the fake and its controls; a bad seed fails with `InvalidSeedError`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (options?: Options) => Effect.Effect<Control, InvalidSeedError> = internal.make

/**
 * Provides both the `TrainingImages` service and the `TrainingImagesTest` controls of the same fake.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options?: Options
): Layer.Layer<TrainingImages.TrainingImages | TrainingImagesTest, InvalidSeedError> =>
  Layer.effectContext(
    Effect.map(
      make(options),
      (control) =>
        Context.make(TrainingImages.TrainingImages, control.service).pipe(Context.add(TrainingImagesTest, control))
    )
  )

/**
 * The fake's stored models, images and pairs.
 *
 * @example
 * ```ts
 * import { TrainingImagesTest } from "@effect-scenario/effect4/testing"
 * import { Effect } from "effect"
 *
 * const imageIds = Effect.map(TrainingImagesTest.snapshot, (state) => state.models.model_1?.trainingImages.map((i) => i.id))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const snapshot: Effect.Effect<Snapshot, never, TrainingImagesTest> = Effect.flatMap(
  TrainingImagesTest,
  (control) => control.snapshot
)

/**
 * One stored model, if there is one by that id.
 *
 * @since 0.1.0
 * @category accessors
 */
export const model = (modelId: string): Effect.Effect<Option.Option<ModelState>, never, TrainingImagesTest> =>
  Effect.flatMap(TrainingImagesTest, (control) => control.model(modelId))

/**
 * Creates the models given, replacing any with the same id; a bad seed fails with `InvalidSeedError`.
 *
 * @since 0.1.0
 * @category accessors
 */
export const seed = (models: Seed): Effect.Effect<void, InvalidSeedError, TrainingImagesTest> =>
  Effect.flatMap(TrainingImagesTest, (control) => control.seed(models))

/**
 * Every request the fake received, oldest first, with its params, outcome and status.
 *
 * @example
 * ```ts
 * import { TrainingImagesTest } from "@effect-scenario/effect4/testing"
 * import { Effect } from "effect"
 *
 * const operations = Effect.map(TrainingImagesTest.calls, (calls) => calls.map((call) => call.operation))
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const calls: Effect.Effect<ReadonlyArray<Call>, never, TrainingImagesTest> = Effect.flatMap(
  TrainingImagesTest,
  (control) => control.calls
)

/**
 * The next `count` requests (of `operation` only, when given) meet `fault`: a `Fault` or any of the
 * library's errors. Each attempt of a retried call uses one.
 *
 * @example
 * ```ts
 * import { Fault, TrainingImagesTest } from "@effect-scenario/effect4/testing"
 *
 * // The next list answers 429 with Retry-After: 20; the default policy waits and retries (use TestClock.adjust).
 * const rateLimited = TrainingImagesTest.failNext(1, Fault.rateLimited({ retryAfter: "20 seconds" }), {
 *   operation: "list"
 * })
 * ```
 *
 * @since 0.1.0
 * @category accessors
 */
export const failNext = (
  count: number,
  fault: Injected,
  options?: { readonly operation?: TrainingImagesError.Operation | undefined }
): Effect.Effect<void, never, TrainingImagesTest> =>
  Effect.flatMap(TrainingImagesTest, (control) => control.failNext(count, fault, options))

/**
 * Replaces the random faults (reseeding them); `undefined` turns them off.
 *
 * @since 0.1.0
 * @category accessors
 */
export const setFaults = (
  faults: Fault.RandomFaults<Injected> | undefined
): Effect.Effect<void, never, TrainingImagesTest> =>
  Effect.flatMap(TrainingImagesTest, (control) => control.setFaults(faults))

/**
 * How many faults of each kind were injected.
 *
 * @since 0.1.0
 * @category accessors
 */
export const faultCounts: Effect.Effect<Readonly<Record<string, number>>, never, TrainingImagesTest> = Effect
  .flatMap(TrainingImagesTest, (control) => control.faultCounts)

/**
 * Back to the initial models and list lag, no calls, no scripted faults, counters at zero.
 *
 * @since 0.1.0
 * @category accessors
 */
export const reset: Effect.Effect<void, never, TrainingImagesTest> = Effect.flatMap(
  TrainingImagesTest,
  (control) => control.reset
)

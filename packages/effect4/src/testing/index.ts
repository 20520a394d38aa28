/**
 * What can go wrong with one request, described as data so that the same fault can be injected into the
 * in-memory fake (`TrainingImagesTest.failNext`) and into the HTTP emulator (`ScenarioEmulator.failNext`):
 * an error status (a 429 with its `Retry-After`, a 5xx), a slow response, or a connection dropped before or
 * after the change took effect.
 *
 * ```ts
 * import { Fault } from "@effect-scenario/effect4/testing"
 *
 * Fault.rateLimited({ retryAfter: "2 seconds" }) // 429 with `retry-after: 2` and `retry-after-ms: 2000`
 * Fault.serverError(503)
 * Fault.delay("10 seconds")
 * Fault.dropAfterApply // the change is stored, then the connection is cut without a response
 * ```
 *
 * A list that lags behind the adds (eventual consistency) is not a fault of one request but of the store:
 * see `listLag` in the options of `TrainingImagesTest` and `ScenarioEmulator`, `setListLag` in their controls,
 * and `scenario-emulator --list-lag`.
 *
 * @since 0.1.0
 */
export * as Fault from "./Fault.js"

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
export * as TrainingImagesTest from "./TrainingImagesTest.js"

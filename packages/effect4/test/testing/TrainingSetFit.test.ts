import { TrainingImagesTest } from "@effect-scenario/effect4/testing"
import { maxInlineImageBytes } from "@effect-scenario/kernel/RequestBody"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Ref, Schema } from "effect"
import * as ImageFitter from "../../src/ImageFitter.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingSet from "../../src/TrainingSet.js"
import { png } from "./trainingSetFixtures.js"

const MODEL = "model_fit"
const LIMIT = 1000

const fake = () => TrainingImagesTest.layer({ models: { [MODEL]: {} }, maxRequestBytes: LIMIT })

/**
 * A fitter that keeps the first `maxBytes` bytes (the PNG signature with them) and says the image went from
 * 400x300 to 200x150, recording what it was given: the hook's contract, without a codec.
 */
const truncating = Effect.gen(function*() {
  const given = yield* Ref.make<Array<Omit<ImageFitter.FitInput, "bytes"> & { readonly size: number }>>([])
  const fitter = ImageFitter.make((input) =>
    Effect.as(
      Ref.update(
        given,
        (
          all
        ) => [...all, {
          name: input.name,
          mediaType: input.mediaType,
          maxBytes: input.maxBytes,
          size: input.bytes.length
        }]
      ),
      {
        bytes: input.bytes.slice(0, input.maxBytes),
        mediaType: input.mediaType,
        width: 200,
        height: 150,
        sourceWidth: 400,
        sourceHeight: 300
      }
    )
  )
  return { fitter, given: Ref.get(given) }
})

const sentData = Effect.map(
  TrainingImagesTest.calls,
  (calls) => calls.flatMap((call) => call.operation === "add" && "data" in call.params ? [call.params.data ?? ""] : [])
)

const budget = (name: string) => maxInlineImageBytes({ name, maxRequestBytes: LIMIT })

describe("TrainingSet with a fitter", () => {
  it.effect("plans an image over the limit as an add to fit, to its budget; without a fitter it is TooLarge", () =>
    Effect.gen(function*() {
      const { fitter } = yield* truncating
      const images = [TrainingSet.fromBytes("big.png", png(1, 2000)), TrainingSet.fromBytes("small.png", png(2, 100))]
      const plain = yield* TrainingSet.plan({ modelId: MODEL, images })
      expect(plain.items.map((item) => item._tag)).toEqual(["TooLarge", "Add"])
      const fitted = yield* TrainingSet.plan({ modelId: MODEL, images, fit: fitter })
      expect(fitted.items).toEqual([
        {
          _tag: "Add",
          name: "big.png",
          fit: {
            bytes: 2000,
            requestBytes: (plain.items[0] as { readonly requestBytes: number }).requestBytes,
            maxRequestBytes: LIMIT,
            maxImageBytes: budget("big.png")
          }
        },
        { _tag: "Add", name: "small.png" }
      ])
      expect(TrainingSet.summarize(fitted)).toMatchObject({ add: 2, fit: 1, tooLarge: 0 })
      // The plan is a value: it encodes and decodes with its fit.
      const json = Schema.encodeSync(TrainingSet.Plan)(fitted)
      expect(Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(JSON.stringify(json)))).toEqual(fitted)
    }).pipe(Effect.provide(fake())))

  it.effect("sends the fitted bytes, reports what was sent, and leaves the source as it was", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const original = png(1, 2000)
      const copy = original.slice()
      const images = [TrainingSet.fromBytes("big.png", original), TrainingSet.fromBytes("small.png", png(2, 100))]
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit: fitter })
      const report = yield* TrainingSet.apply(plan, images, { fit: fitter })
      expect(TrainingSet.isSuccess(report)).toBe(true)
      // Only the image over the limit is given to the fitter, with its type and budget.
      expect(yield* given).toEqual([{
        name: "big.png",
        mediaType: "image/png",
        maxBytes: budget("big.png"),
        size: 2000
      }])
      const outcome = report.results[0]!.outcome
      assert(outcome._tag === "Succeeded")
      expect(outcome.fitted).toEqual({
        bytes: 2000,
        width: 400,
        height: 300,
        mediaType: "image/png",
        sentBytes: budget("big.png"),
        sentWidth: 200,
        sentHeight: 150,
        sentMediaType: "image/png"
      })
      const small = report.results[1]!.outcome
      assert(small._tag === "Succeeded")
      expect(small.fitted).toBeUndefined()
      const data = yield* sentData
      expect(data).toHaveLength(2)
      expect(data[0]).toBe(
        `data:image/png;base64,${Buffer.from(original.subarray(0, budget("big.png"))).toString("base64")}`
      )
      expect(original).toEqual(copy)
      // The report, fitted outcome included, is a value too.
      expect(Schema.decodeUnknownSync(TrainingSet.Report)(Schema.encodeSync(TrainingSet.Report)(report))).toEqual(
        report
      )
    }).pipe(Effect.provide(fake())))

  it.effect("a tracked image is hashed as it is on disk: the next run keeps it and fits nothing", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const original = png(3, 2000)
      const images = [TrainingSet.fromBytes("big.png", original)]
      const state = TrainingSet.emptyState(MODEL)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images, state, fit: fitter })
      expect(plan.items[0]).toMatchObject({ _tag: "Add", sha256: yield* TrainingSet.sha256(original) })
      const report = yield* TrainingSet.apply(plan, images, { fit: fitter, state })
      const again = yield* TrainingSet.plan({ modelId: MODEL, images, state: report.state, fit: fitter })
      expect(again.items.map((item) => item._tag)).toEqual(["Keep"])
      // Changed on disk: replaced, fitted again.
      const changed = [TrainingSet.fromBytes("big.png", png(4, 2000))]
      const replan = yield* TrainingSet.plan({ modelId: MODEL, images: changed, state: report.state, fit: fitter })
      expect(replan.items[0]).toMatchObject({ _tag: "Replace", fit: { maxImageBytes: budget("big.png") } })
      const replaced = yield* TrainingSet.apply(replan, changed, { fit: fitter, state: report.state })
      expect(TrainingSet.isSuccess(replaced)).toBe(true)
      expect((yield* given).length).toBe(2)
    }).pipe(Effect.provide(fake())))

  it.effect("a fitter that fails, dies, misses the budget or lies about the type fails its item alone, nothing sent", () =>
    Effect.gen(function*() {
      const images = [TrainingSet.fromBytes("big.png", png(1, 2000))]
      const failing = [
        ImageFitter.make((input) =>
          Effect.fail(new ImageFitter.ImageFitError({ name: input.name, reason: "no codec" }))
        ),
        ImageFitter.make(() => Effect.die(new Error("boom"))),
        ImageFitter.make((input) => {
          throw new Error(`thrown for ${input.name}`)
        }),
        ImageFitter.make((input) =>
          Effect.succeed({
            bytes: input.bytes,
            mediaType: input.mediaType,
            width: 1,
            height: 1,
            sourceWidth: 2,
            sourceHeight: 2
          })
        ),
        ImageFitter.make((input) =>
          Effect.succeed({
            bytes: input.bytes.slice(0, 100),
            mediaType: "image/jpeg" as const,
            width: 1,
            height: 1,
            sourceWidth: 2,
            sourceHeight: 2
          })
        ),
        ImageFitter.make((input) =>
          Effect.succeed({
            bytes: input.bytes.slice(0, 100),
            mediaType: input.mediaType,
            width: 0,
            height: Number.NaN,
            sourceWidth: 2,
            sourceHeight: 2
          })
        )
      ]
      const reasons: Array<string> = []
      for (const fit of failing) {
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit })
        const report = yield* TrainingSet.apply(plan, images, { fit })
        const [failure, ...rest] = TrainingSet.failures(report)
        expect(rest).toEqual([])
        assert(failure !== undefined && failure.error._tag === "ImageFitError")
        expect(failure.error.name).toBe("big.png")
        reasons.push(failure.error.message)
        // A failure is a value of the report: it encodes.
        Schema.encodeSync(TrainingSet.Report)(report)
      }
      expect(reasons[0]).toBe("big.png could not be fitted under the request limit: no codec")
      expect(reasons[1]).toContain("boom")
      expect(reasons[2]).toContain("thrown for big.png")
      expect(reasons[3]).toContain("still over")
      expect(reasons[4]).toContain("not the image/jpeg image it said")
      expect(reasons[5]).toContain("no valid dimensions")
      expect(yield* sentData).toEqual([])
    }).pipe(Effect.provide(fake())))

  it.effect("a fitter's defect is kept as the error's cause; a result refused by the check has none", () =>
    Effect.gen(function*() {
      const images = [TrainingSet.fromBytes("big.png", png(1, 2000))]
      const boom = new Error("boom")
      const dying = ImageFitter.make(() => Effect.die(boom))
      const overBudget = ImageFitter.make((input) =>
        Effect.succeed({
          bytes: input.bytes,
          mediaType: input.mediaType,
          width: 1,
          height: 1,
          sourceWidth: 2,
          sourceHeight: 2
        })
      )
      const errorOf = (fit: ImageFitter.ImageFitter) =>
        Effect.gen(function*() {
          const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit })
          const report = yield* TrainingSet.apply(plan, images, { fit })
          const [failure] = TrainingSet.failures(report)
          assert(failure !== undefined && failure.error._tag === "ImageFitError")
          return { error: failure.error, encoded: Schema.encodeSync(TrainingSet.Report)(report) }
        })
      const died = yield* errorOf(dying)
      expect(died.error.cause).toBe(boom)
      expect(died.error.reason).toBe("the fitter failed: Error: boom")
      const refused = yield* errorOf(overBudget)
      expect(Object.hasOwn(refused.error, "cause")).toBe(false)
      const outcome = refused.encoded.results[0]?.outcome
      assert(outcome?._tag === "Failed")
      expect(Object.keys(outcome.error)).not.toContain("cause")
    }).pipe(Effect.provide(fake())))

  it.effect("an image whose name alone is over the request limit fails as unfittable, the fitter never called", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const name = `${"n".repeat(LIMIT)}.png`
      const images = [TrainingSet.fromReader(name, Effect.succeed(png(6, 3000)))]
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit: fitter })
      expect(plan.items.map((item) => item._tag)).toEqual(["Add"])
      const report = yield* TrainingSet.apply(plan, images, { fit: fitter })
      const [failure] = TrainingSet.failures(report)
      assert(failure !== undefined && failure.error._tag === "ImageFitError")
      expect(failure.error.reason).toBe(`its name alone makes a request over the ${LIMIT}-byte limit`)
      expect(yield* given).toEqual([])
      expect(yield* sentData).toEqual([])
    }).pipe(Effect.provide(fake())))

  it.effect("an image whose name alone is over the limit met at apply time fails unread, the fitter never called", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const name = `${"n".repeat(LIMIT)}.png`
      const bytes = png(6, 3000)
      let reads = 0
      const source: TrainingSet.ImageSource = {
        ...TrainingSet.fromReader(name, Effect.sync(() => (reads++, bytes))),
        peek: Effect.succeed({ size: bytes.length, head: bytes.slice(0, 16) })
      }
      // Planned under a limit it fits, applied under one its name alone is over.
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: [source], fit: fitter }).pipe(
        TrainingImages.withRequestOptions({ maxRequestBytes: 100 * LIMIT })
      )
      expect(plan.items.map((item) => item._tag)).toEqual(["Add"])
      const report = yield* TrainingSet.apply(plan, [source], { fit: fitter })
      const [failure] = TrainingSet.failures(report)
      assert(failure !== undefined && failure.error._tag === "InvalidRequestError")
      expect(failure.error.message).toMatch(/over the request limit of 1000 bytes/)
      expect(reads).toBe(0)
      expect(yield* given).toEqual([])
    }).pipe(Effect.provide(fake())))

  it.effect("a plan to fit applied without a fitter fails at the request limit, unread", () =>
    Effect.gen(function*() {
      const { fitter } = yield* truncating
      let reads = 0
      const bytes = png(1, 2000)
      const source: TrainingSet.ImageSource = {
        ...TrainingSet.fromBytes("big.png", bytes),
        read: Effect.sync(() => {
          reads++
          return bytes
        })
      }
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: [source], fit: fitter })
      const report = yield* TrainingSet.apply(plan, [source])
      const [failure] = TrainingSet.failures(report)
      assert(failure !== undefined && failure.error._tag === "InvalidRequestError")
      expect(failure.error.message).toContain("over the request limit")
      expect(reads).toBe(0)
    }).pipe(Effect.provide(fake())))

  it.effect("a source without a size to judge is fitted once read, under the limit of the call", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const images = [TrainingSet.fromReader("big.png", Effect.succeed(png(5, 3000)))]
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit: fitter })
      expect(plan.items).toEqual([{ _tag: "Add", name: "big.png" }])
      const report = yield* TrainingSet.apply(plan, images, { fit: fitter }).pipe(
        TrainingImages.withRequestOptions({ maxRequestBytes: 2000 })
      )
      expect(TrainingSet.isSuccess(report)).toBe(true)
      expect((yield* given)[0]?.maxBytes).toBe(maxInlineImageBytes({ name: "big.png", maxRequestBytes: 2000 }))
    }).pipe(Effect.provide(fake())))
})

// TrainingSet with an image fitter: planned to fit, the fitted bytes sent and reported, a bad fitter failing its
// item alone, an image whose name alone is over the limit never given to the fitter.
//
// The Effect 4 line's runner of the table `contract/trainingSetFit.ts`, shared with the Effect 3 line.
import { TrainingImagesTest } from "@effect-scenario/effect4/testing"
import { maxInlineImageBytes } from "@effect-scenario/kernel/RequestBody"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Ref, Schema } from "effect"
import * as Fit from "../../../../contract/trainingSetFit.js"
import * as ImageFitter from "../../src/ImageFitter.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingSet from "../../src/TrainingSet.js"
import { png } from "./trainingSetFixtures.js"

const { LIMIT, MODEL } = Fit

const fake = () => TrainingImagesTest.layer({ models: { [MODEL]: {} }, maxRequestBytes: LIMIT })

const image = (source: Fit.Image) => TrainingSet.fromBytes(source.name, png(source.png, source.size))

/**
 * A fitter that keeps the first `maxBytes` bytes (the PNG signature with them) and says the image went from
 * 400x300 to 200x150, recording what it was given: the hook's contract, without a codec.
 */
const truncating = Effect.gen(function*() {
  const given = yield* Ref.make<Array<Fit.Given>>([])
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
      { bytes: input.bytes.slice(0, input.maxBytes), mediaType: input.mediaType, ...Fit.TRUNCATING }
    )
  )
  return { fitter, given: Ref.get(given) }
})

/** A fitter that answers as the table says. */
const answering = (answer: Fit.Answer) =>
  ImageFitter.make((input) =>
    Effect.succeed({
      bytes: answer.keep === undefined ? input.bytes : input.bytes.slice(0, answer.keep),
      mediaType: answer.mediaType ?? input.mediaType,
      width: answer.width,
      height: answer.height,
      sourceWidth: answer.sourceWidth,
      sourceHeight: answer.sourceHeight
    })
  )

/** The table's fitter that does not give a fitting image. */
const badFitter = (fitter: Fit.BadFitter): ImageFitter.ImageFitter => {
  switch (fitter._tag) {
    case "Fails":
      return ImageFitter.make((input) =>
        Effect.fail(new ImageFitter.ImageFitError({ name: input.name, reason: fitter.reason }))
      )
    case "Dies":
      return ImageFitter.make(() => Effect.die(new Error(fitter.message)))
    case "Throws":
      return ImageFitter.make((input) => {
        throw new Error(`${fitter.message} ${input.name}`)
      })
    case "Answers":
      return answering(fitter.answer)
  }
}

const expectMessage = (actual: string, message: Fit.Message) => {
  if ("is" in message) expect(actual).toBe(message.is)
  else if ("contains" in message) expect(actual).toContain(message.contains)
  else expect(actual).toMatch(message.matches)
}

const sentData = Effect.map(
  TrainingImagesTest.calls,
  (calls) => calls.flatMap((call) => call.operation === "add" && "data" in call.params ? [call.params.data ?? ""] : [])
)

const budget = (name: string, maxRequestBytes = LIMIT) => maxInlineImageBytes({ name, maxRequestBytes })

describe("TrainingSet with a fitter", () => {
  it.effect("plans an image over the limit as an add to fit, to its budget; without a fitter it is TooLarge", () =>
    Effect.gen(function*() {
      const { fitter } = yield* truncating
      const images = Fit.PLAN.images.map(image)
      const plain = yield* TrainingSet.plan({ modelId: MODEL, images })
      expect(plain.items.map((item) => item._tag)).toEqual(Fit.PLAN.plain)
      const fitted = yield* TrainingSet.plan({ modelId: MODEL, images, fit: fitter })
      expect(fitted.items).toEqual(Fit.PLAN.fitted({
        requestBytes: (plain.items[0] as { readonly requestBytes: number }).requestBytes,
        budget
      }))
      expect(TrainingSet.summarize(fitted)).toMatchObject(Fit.PLAN.summary)
      // The plan is a value: it encodes and decodes with its fit.
      const json = Schema.encodeSync(TrainingSet.Plan)(fitted)
      expect(Schema.decodeUnknownSync(TrainingSet.Plan)(JSON.parse(JSON.stringify(json)))).toEqual(fitted)
    }).pipe(Effect.provide(fake())))

  it.effect("sends the fitted bytes, reports what was sent, and leaves the source as it was", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const [big, ...others] = Fit.SEND.images
      const original = png(big.png, big.size)
      const copy = original.slice()
      const images = [TrainingSet.fromBytes(big.name, original), ...others.map(image)]
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit: fitter })
      const report = yield* TrainingSet.apply(plan, images, { fit: fitter })
      expect(TrainingSet.isSuccess(report)).toBe(true)
      // Only the image over the limit is given to the fitter, with its type and budget.
      expect(yield* given).toEqual(Fit.SEND.given(budget))
      const outcome = report.results[0]!.outcome
      assert(outcome._tag === "Succeeded")
      expect(outcome.fitted).toEqual(Fit.SEND.fitted(budget))
      const small = report.results[1]!.outcome
      assert(small._tag === "Succeeded")
      expect(small.fitted).toBeUndefined()
      const data = yield* sentData
      expect(data).toHaveLength(Fit.SEND.adds)
      expect(data[0]).toBe(
        `${Fit.SEND.dataUrlPrefix}${Buffer.from(original.subarray(0, budget(big.name))).toString("base64")}`
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
      const original = png(Fit.TRACKED.image.png, Fit.TRACKED.image.size)
      const images = [TrainingSet.fromBytes(Fit.TRACKED.image.name, original)]
      const state = TrainingSet.emptyState(MODEL)
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images, state, fit: fitter })
      expect(plan.items[0]).toMatchObject({ _tag: "Add", sha256: yield* TrainingSet.sha256(original) })
      const report = yield* TrainingSet.apply(plan, images, { fit: fitter, state })
      const again = yield* TrainingSet.plan({ modelId: MODEL, images, state: report.state, fit: fitter })
      expect(again.items.map((item) => item._tag)).toEqual(Fit.TRACKED.again)
      // Changed on disk: replaced, fitted again.
      const changed = [image(Fit.TRACKED.changed)]
      const replan = yield* TrainingSet.plan({ modelId: MODEL, images: changed, state: report.state, fit: fitter })
      expect(replan.items[0]).toMatchObject({
        _tag: Fit.TRACKED.replaced,
        fit: { maxImageBytes: budget(Fit.TRACKED.changed.name) }
      })
      const replaced = yield* TrainingSet.apply(replan, changed, { fit: fitter, state: report.state })
      expect(TrainingSet.isSuccess(replaced)).toBe(true)
      expect((yield* given).length).toBe(Fit.TRACKED.given)
    }).pipe(Effect.provide(fake())))

  it.effect("a fitter that fails, dies, misses the budget or lies about the type fails its item alone, nothing sent", () =>
    Effect.gen(function*() {
      const images = [image(Fit.BIG)]
      const reasons: Array<string> = []
      for (const { fitter } of Fit.BAD_FITTERS) {
        const fit = badFitter(fitter)
        const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit })
        const report = yield* TrainingSet.apply(plan, images, { fit })
        const [failure, ...rest] = TrainingSet.failures(report)
        expect(rest).toEqual([])
        assert(failure !== undefined && failure.error._tag === Fit.FIT_ERROR._tag)
        expect(failure.error.name).toBe(Fit.FIT_ERROR.name)
        reasons.push(failure.error.message)
        // A failure is a value of the report: it encodes.
        Schema.encodeSync(TrainingSet.Report)(report)
      }
      expect(reasons).toHaveLength(Fit.BAD_FITTERS.length)
      Fit.BAD_FITTERS.forEach(({ message }, i) => expectMessage(reasons[i]!, message))
      expect(yield* sentData).toEqual([])
    }).pipe(Effect.provide(fake())))

  it.effect("a fitter's defect is kept as the error's cause; a result refused by the check has none", () =>
    Effect.gen(function*() {
      const images = [image(Fit.BIG)]
      const boom = new Error(Fit.DEFECT.dies)
      const dying = ImageFitter.make(() => Effect.die(boom))
      const overBudget = answering(Fit.DEFECT.refused)
      const errorOf = (fit: ImageFitter.ImageFitter) =>
        Effect.gen(function*() {
          const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit })
          const report = yield* TrainingSet.apply(plan, images, { fit })
          const [failure] = TrainingSet.failures(report)
          assert(failure !== undefined && failure.error._tag === Fit.FIT_ERROR._tag)
          return { error: failure.error, encoded: Schema.encodeSync(TrainingSet.Report)(report) }
        })
      const died = yield* errorOf(dying)
      expect(died.error.cause).toBe(boom)
      expect(died.error.reason).toBe(Fit.DEFECT.reason)
      const refused = yield* errorOf(overBudget)
      expect(Object.hasOwn(refused.error, "cause")).toBe(false)
      const outcome = refused.encoded.results[0]?.outcome
      assert(outcome?._tag === "Failed")
      expect(Object.keys(outcome.error)).not.toContain("cause")
    }).pipe(Effect.provide(fake())))

  it.effect("an image whose name alone is over the request limit fails as unfittable, the fitter never called", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const { error, image: source, kinds } = Fit.NAME_OVER
      const images = [TrainingSet.fromReader(source.name, Effect.succeed(png(source.png, source.size)))]
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit: fitter })
      expect(plan.items.map((item) => item._tag)).toEqual(kinds)
      const report = yield* TrainingSet.apply(plan, images, { fit: fitter })
      const [failure] = TrainingSet.failures(report)
      assert(failure !== undefined && failure.error._tag === error._tag)
      expect(failure.error.reason).toBe(error.reason)
      expect(yield* given).toEqual(Fit.NAME_OVER.given)
      expect(yield* sentData).toEqual(Fit.NAME_OVER.sent)
    }).pipe(Effect.provide(fake())))

  it.effect("an image whose name alone is over the limit met at apply time fails unread, the fitter never called", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const { error, image: planned, kinds, planLimit } = Fit.NAME_OVER_AT_APPLY
      const bytes = png(planned.png, planned.size)
      let reads = 0
      const source: TrainingSet.ImageSource = {
        ...TrainingSet.fromReader(planned.name, Effect.sync(() => (reads++, bytes))),
        peek: Effect.succeed({ size: bytes.length, head: bytes.slice(0, 16) })
      }
      // Planned under a limit it fits, applied under one its name alone is over.
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: [source], fit: fitter }).pipe(
        TrainingImages.withRequestOptions({ maxRequestBytes: planLimit })
      )
      expect(plan.items.map((item) => item._tag)).toEqual(kinds)
      const report = yield* TrainingSet.apply(plan, [source], { fit: fitter })
      const [failure] = TrainingSet.failures(report)
      assert(failure !== undefined && failure.error._tag === error._tag)
      expectMessage(failure.error.message, error.message)
      expect(reads).toBe(Fit.NAME_OVER_AT_APPLY.reads)
      expect(yield* given).toEqual(Fit.NAME_OVER_AT_APPLY.given)
    }).pipe(Effect.provide(fake())))

  it.effect("a plan to fit applied without a fitter fails at the request limit, unread", () =>
    Effect.gen(function*() {
      const { fitter } = yield* truncating
      const { error, image: planned } = Fit.WITHOUT_FITTER
      let reads = 0
      const bytes = png(planned.png, planned.size)
      const source: TrainingSet.ImageSource = {
        ...TrainingSet.fromBytes(planned.name, bytes),
        read: Effect.sync(() => {
          reads++
          return bytes
        })
      }
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images: [source], fit: fitter })
      const report = yield* TrainingSet.apply(plan, [source])
      const [failure] = TrainingSet.failures(report)
      assert(failure !== undefined && failure.error._tag === error._tag)
      expectMessage(failure.error.message, error.message)
      expect(reads).toBe(Fit.WITHOUT_FITTER.reads)
    }).pipe(Effect.provide(fake())))

  it.effect("a source without a size to judge is fitted once read, under the limit of the call", () =>
    Effect.gen(function*() {
      const { fitter, given } = yield* truncating
      const { callLimit, image: source, items } = Fit.UNSIZED
      const images = [TrainingSet.fromReader(source.name, Effect.succeed(png(source.png, source.size)))]
      const plan = yield* TrainingSet.plan({ modelId: MODEL, images, fit: fitter })
      expect(plan.items).toEqual(items)
      const report = yield* TrainingSet.apply(plan, images, { fit: fitter }).pipe(
        TrainingImages.withRequestOptions({ maxRequestBytes: callLimit })
      )
      expect(TrainingSet.isSuccess(report)).toBe(Fit.UNSIZED.success)
      expect((yield* given)[0]?.maxBytes).toBe(budget(source.name, callLimit))
    }).pipe(Effect.provide(fake())))
})

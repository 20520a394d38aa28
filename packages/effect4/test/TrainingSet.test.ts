// TrainingSet's pure parts: the add's data URL, sha256, pairs, the request size judged before reading, and the
// state a run leaves.
//
// The Effect 4 line's runner of the table `contract/trainingSetCore.ts`, shared with the Effect 3 line.
import { HEAD_BYTES, judge } from "@effect-scenario/kernel/TrainingSetPlan"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as Base64 from "effect/encoding/Base64"
import * as fc from "fast-check"
import * as Core from "../../../contract/trainingSetCore.js"
import { requestBodySize } from "../src/internal/client.js"
import * as TrainingSet from "../src/TrainingSet.js"

describe("TrainingSet encoding", () => {
  it("the data URL's payload is effect's base64 of the bytes, for any bytes and length", () => {
    const { maxTail, name, numRuns } = Core.ANY_BYTES
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: maxTail }), (tail) => {
        const bytes = Uint8Array.from([...Core.PNG, ...tail])
        const input = TrainingSet.toImageInput(name, bytes)
        expect(input).toEqual(Result.succeed(Core.pngInput(name, Base64.encode(bytes))))
      }),
      { numRuns }
    )
  })

  it("a large image encodes whole", () => {
    const bytes = Core.largeImage()
    const input = TrainingSet.toImageInput(Core.LARGE.name, bytes)
    // Compared through Node's decoder: a deep equality of megabyte arrays would take the test's time.
    assert(Result.isSuccess(input))
    expect(input.success.data.startsWith(Core.DATA_URL.png)).toBe(true)
    expect(Buffer.from(input.success.data.slice(Core.DATA_URL.png.length), "base64").equals(bytes)).toBe(true)
  })

  it("the media type is sniffed whatever the name says", () => {
    const { empty, jpeg } = Core.SNIFFED
    const input = TrainingSet.toImageInput(jpeg.name, Uint8Array.from(jpeg.bytes))
    expect(Result.isSuccess(input) && input.success.data.startsWith(jpeg.prefix)).toBe(true)
    const refused = TrainingSet.toImageInput(empty.name, new Uint8Array(0), empty.operation)
    expect(Result.isFailure(refused) && refused.failure.operation).toBe(empty.operation)
  })

  it("bytes that are not an image fail on the request's data field, naming the file, as an add by default", () => {
    const { message, name, operation, paths, text } = Core.NOT_AN_IMAGE
    const input = TrainingSet.toImageInput(name, new TextEncoder().encode(text))
    assert(Result.isFailure(input))
    expect(input.failure.operation).toBe(operation)
    expect(input.failure.issues.map((issue) => issue.path)).toEqual(paths)
    expect(input.failure.message).toBe(message)
  })

  it.effect("sha256 through Web Crypto", () =>
    Effect.gen(function*() {
      expect(yield* TrainingSet.sha256(new TextEncoder().encode(Core.SHA256.text))).toBe(Core.SHA256.digest)
    }))

  it("pairs naming images outside the set", () => {
    const { inside, outside, pairs } = Core.PAIRS
    const error = TrainingSet.checkPairs(new Set(outside.set), pairs)
    expect(error?.message).toBe(outside.message)
    expect(TrainingSet.checkPairs(new Set(inside.set), pairs)).toBeUndefined()
  })
})

describe("TrainingSet's judgement before reading", () => {
  it("the request size judged from an image's size is the size of the body the client builds from its bytes", () => {
    const { maxExtra, maxName, modelId, notAnImage, numRuns, signatures, tooLarge } = Core.JUDGE
    fc.assert(
      fc.property(
        fc.constantFrom(...signatures),
        fc.nat({ max: maxExtra }),
        fc.string({ unit: "binary", minLength: 1, maxLength: maxName }),
        (signature, extra, name) => {
          const bytes = new Uint8Array(signature.length + extra)
          bytes.set(signature)
          const input = TrainingSet.toImageInput(name, bytes)
          assert(Result.isSuccess(input))
          const size = requestBodySize("add", { modelId, ...input.success })
          const peek = { size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) }
          expect(judge({ name, peek, maxRequestBytes: size })).toBeUndefined()
          expect(judge({ name, peek, maxRequestBytes: size - 1 })).toEqual(tooLarge(bytes.length, size))
        }
      ),
      { numRuns }
    )
    const text = new TextEncoder().encode(notAnImage.text)
    expect(judge({
      name: notAnImage.name,
      peek: { size: notAnImage.size, head: text },
      maxRequestBytes: notAnImage.maxRequestBytes
    })).toEqual(notAnImage.judged)
  })
})

describe("TrainingSet.stateAfter: the state a run leaves, finished or interrupted", () => {
  const plan: TrainingSet.Plan = Core.STATE_AFTER.plan

  const previous: TrainingSet.State = Core.STATE_AFTER.previous

  it("what succeeded and what was kept, over the previous state; what did not finish keeps its entry", () => {
    const state = TrainingSet.stateAfter(plan, previous, Core.STATE_AFTER.outcomes)
    expect(state.modelId).toBe(Core.STATE_AFTER.modelId)
    expect(Object.getPrototypeOf(state.images)).toBe(Object.prototype)
    expect(Object.entries(state.images).sort()).toEqual(Core.STATE_AFTER.entries)
  })

  it("a state of another model is not carried over", () => {
    const { modelId, names } = Core.STATE_AFTER.otherModel
    const state = TrainingSet.stateAfter(plan, { ...previous, modelId }, [])
    expect(Object.keys(state.images)).toEqual(names)
  })
})

import { HEAD_BYTES, judge } from "@effect-scenario/kernel/TrainingSetPlan"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as Base64 from "effect/encoding/Base64"
import * as fc from "fast-check"
import { requestBodySize } from "../src/internal/client.js"
import * as TrainingSet from "../src/TrainingSet.js"

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

describe("TrainingSet encoding", () => {
  it("the data URL's payload is effect's base64 of the bytes, for any bytes and length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const bytes = Uint8Array.from([...PNG, ...tail])
        const input = TrainingSet.toImageInput("x.png", bytes)
        expect(input).toEqual(
          Result.succeed({ data: `data:image/png;base64,${Base64.encode(bytes)}`, name: "x.png" })
        )
      }),
      { numRuns: 300 }
    )
  })

  it("a large image encodes whole", () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 2)
    bytes.set(PNG)
    for (let i = PNG.length; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff
    const input = TrainingSet.toImageInput("big.png", bytes)
    // Compared through Node's decoder: a deep equality of megabyte arrays would take the test's time.
    assert(Result.isSuccess(input))
    expect(input.success.data.startsWith("data:image/png;base64,")).toBe(true)
    expect(Buffer.from(input.success.data.slice(22), "base64").equals(bytes)).toBe(true)
  })

  it("the media type is sniffed whatever the name says", () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 0, 1])
    const input = TrainingSet.toImageInput("photo.png", jpeg)
    expect(Result.isSuccess(input) && input.success.data.startsWith("data:image/jpeg;base64,")).toBe(true)
    const empty = TrainingSet.toImageInput("empty.png", new Uint8Array(0), "replace")
    expect(Result.isFailure(empty) && empty.failure.operation).toBe("replace")
  })

  it("bytes that are not an image fail on the request's data field, naming the file, as an add by default", () => {
    const input = TrainingSet.toImageInput("notes.txt", new TextEncoder().encode("hello"))
    assert(Result.isFailure(input))
    expect(input.failure.operation).toBe("add")
    expect(input.failure.issues.map((issue) => issue.path)).toEqual([["data"]])
    expect(input.failure.message).toBe(
      "Invalid add request: data: notes.txt is not a PNG, JPEG, WebP or GIF image (judged by its content, not its name)"
    )
  })

  it.effect("sha256 through Web Crypto", () =>
    Effect.gen(function*() {
      expect(yield* TrainingSet.sha256(new TextEncoder().encode("abc"))).toBe(
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
      )
    }))

  it("pairs naming images outside the set", () => {
    const error = TrainingSet.checkPairs(new Set(["a.png"]), [{ source: "a.png", target: "b.png" }])
    expect(error?.message).toBe("Invalid replacePairs request: pairs.0.target: \"b.png\" is not an image of the set")
    expect(TrainingSet.checkPairs(new Set(["a.png", "b.png"]), [{ source: "a.png", target: "b.png" }])).toBeUndefined()
  })
})

describe("TrainingSet's judgement before reading", () => {
  const SIGNATURES: ReadonlyArray<ReadonlyArray<number>> = [
    PNG,
    [0xff, 0xd8, 0xff, 0xe0],
    [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
    [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]
  ]

  it("the request size judged from an image's size is the size of the body the client builds from its bytes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SIGNATURES),
        fc.nat({ max: 300 }),
        fc.string({ unit: "binary", minLength: 1, maxLength: 20 }),
        (signature, extra, name) => {
          const bytes = new Uint8Array(signature.length + extra)
          bytes.set(signature)
          const input = TrainingSet.toImageInput(name, bytes)
          assert(Result.isSuccess(input))
          const size = requestBodySize("add", { modelId: "model_x", ...input.success })
          const peek = { size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) }
          expect(judge({ name, peek, maxRequestBytes: size })).toBeUndefined()
          expect(judge({ name, peek, maxRequestBytes: size - 1 })).toEqual({
            _tag: "TooLarge",
            bytes: bytes.length,
            requestBytes: size,
            maxRequestBytes: size - 1
          })
        }
      ),
      { numRuns: 300 }
    )
    const text = new TextEncoder().encode("not an image, whatever its size")
    expect(judge({ name: "a.png", peek: { size: 1e12, head: text }, maxRequestBytes: 10 })).toEqual({
      _tag: "Skip",
      reason: "not-an-image"
    })
  })
})

describe("TrainingSet.stateAfter: the state a run leaves, finished or interrupted", () => {
  const plan: TrainingSet.Plan = {
    modelId: "m",
    tracksContent: true,
    items: [
      { _tag: "Add", name: "__proto__", sha256: "a1" },
      { _tag: "Add", name: "b.png", sha256: "b1" },
      { _tag: "Replace", name: "c.png", trainingImageId: "asset_c", sha256: "c2" },
      { _tag: "Keep", name: "d.png", trainingImageId: "asset_d", sha256: "d1" },
      { _tag: "Delete", name: "e.png", trainingImageId: "asset_e", reason: "not-in-set" },
      { _tag: "Delete", name: "f.png", trainingImageId: "asset_f", reason: "not-in-set" }
    ]
  }

  const previous: TrainingSet.State = {
    modelId: "m",
    images: {
      "c.png": { sha256: "c1", trainingImageId: "asset_c" },
      "e.png": { sha256: "e1", trainingImageId: "asset_e" },
      "f.png": { sha256: "f1", trainingImageId: "asset_f" }
    }
  }

  const succeeded = (...ids: Array<string>): TrainingSet.Outcome => ({
    _tag: "Succeeded",
    trainingImageIds: ids,
    reconciled: false
  })

  it("what succeeded and what was kept, over the previous state; what did not finish keeps its entry", () => {
    const state = TrainingSet.stateAfter(plan, previous, [
      succeeded("asset_a"),
      undefined,
      undefined,
      undefined,
      succeeded()
    ])
    expect(state.modelId).toBe("m")
    expect(Object.getPrototypeOf(state.images)).toBe(Object.prototype)
    expect(Object.entries(state.images).sort()).toEqual([
      ["__proto__", { sha256: "a1", trainingImageId: "asset_a" }],
      ["c.png", { sha256: "c1", trainingImageId: "asset_c" }],
      ["d.png", { sha256: "d1", trainingImageId: "asset_d" }],
      ["f.png", { sha256: "f1", trainingImageId: "asset_f" }]
    ])
  })

  it("a state of another model is not carried over", () => {
    const state = TrainingSet.stateAfter(plan, { ...previous, modelId: "other" }, [])
    expect(Object.keys(state.images)).toEqual(["d.png"])
  })
})

import { TrainingSet } from "@effect-scenario/core"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect, Either, Encoding, FastCheck as fc } from "effect"

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

describe("TrainingSet encoding", () => {
  it("the data URL's payload is effect's base64 of the bytes, for any bytes and length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (tail) => {
        const bytes = Uint8Array.from([...PNG, ...tail])
        const input = TrainingSet.toImageInput("x.png", bytes)
        expect(input).toEqual(
          Either.right({ data: `data:image/png;base64,${Encoding.encodeBase64(bytes)}`, name: "x.png" })
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
    assert(Either.isRight(input))
    expect(input.right.data.startsWith("data:image/png;base64,")).toBe(true)
    expect(Buffer.from(input.right.data.slice(22), "base64").equals(bytes)).toBe(true)
  })

  it("the media type is sniffed whatever the name says", () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xdb, 0, 1])
    const input = TrainingSet.toImageInput("photo.png", jpeg)
    expect(Either.isRight(input) && input.right.data.startsWith("data:image/jpeg;base64,")).toBe(true)
    const empty = TrainingSet.toImageInput("empty.png", new Uint8Array(0), "replace")
    expect(Either.isLeft(empty) && empty.left.operation).toBe("replace")
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

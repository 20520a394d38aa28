import { MediaType } from "@effect-scenario/kernel"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const bytes = (...parts: ReadonlyArray<ReadonlyArray<number> | string>) =>
  Uint8Array.from(parts.flatMap((part) => typeof part === "string" ? [...part].map((c) => c.charCodeAt(0)) : part))

describe("MediaType.sniff", () => {
  it("each signature, whatever follows it", () => {
    expect(MediaType.sniff(bytes(PNG, [0, 0, 0, 13]))).toBe("image/png")
    expect(MediaType.sniff(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg")
    expect(MediaType.sniff(bytes("RIFF", [1, 2, 3, 4], "WEBP", "VP8 "))).toBe("image/webp")
    expect(MediaType.sniff(bytes("GIF87a", [1]))).toBe("image/gif")
    expect(MediaType.sniff(bytes("GIF89a"))).toBe("image/gif")
  })

  it("none: text, a RIFF that is not WebP, a truncated signature, nothing", () => {
    expect(MediaType.sniff(bytes("hello"))).toBeUndefined()
    expect(MediaType.sniff(bytes("RIFF", [0, 0, 0, 0], "WAVE"))).toBeUndefined()
    expect(MediaType.sniff(bytes("RIFF", [0, 0, 0, 0], "WEB"))).toBeUndefined()
    expect(MediaType.sniff(bytes(PNG.slice(0, 7)))).toBeUndefined()
    expect(MediaType.sniff(bytes([0xff, 0xd8]))).toBeUndefined()
    expect(MediaType.sniff(bytes("GIF88a"))).toBeUndefined()
    expect(MediaType.sniff(new Uint8Array(0))).toBeUndefined()
  })

  it("the first SIGNATURE_BYTES bytes decide: a file's head is enough", () => {
    const heads = fc.oneof(
      fc.constant(PNG),
      fc.constant([0xff, 0xd8, 0xff]),
      fc.constant([...bytes("RIFF", [9, 9, 9, 9], "WEBP")]),
      fc.constant([...bytes("GIF89a")]),
      fc.constant([])
    )
    fc.assert(
      fc.property(heads, fc.uint8Array({ maxLength: 40 }), (head, tail) => {
        const whole = Uint8Array.from([...head, ...tail])
        expect(MediaType.sniff(whole.subarray(0, MediaType.SIGNATURE_BYTES))).toBe(MediaType.sniff(whole))
      }),
      { numRuns: 2000 }
    )
  })
})

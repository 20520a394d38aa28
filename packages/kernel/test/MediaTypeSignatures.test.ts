/**
 * The media type of an image, from its signature bytes alone: every byte of each signature counts, a
 * signature cut short is no signature, and WebP needs both its RIFF header and its WEBP tag.
 */
import { sniff } from "@effect-scenario/kernel/MediaType"
import { describe, expect, it } from "vitest"

const SIGNATURES = [
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
  { type: "image/webp", bytes: [0x52, 0x49, 0x46, 0x46, 1, 2, 3, 4, 0x57, 0x45, 0x42, 0x50] },
  { type: "image/gif", bytes: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61] },
  { type: "image/gif", bytes: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61] }
] as const

// The bytes of the WebP signature that are its RIFF chunk size, not part of the signature.
const isWebpSize = (type: string, index: number) => type === "image/webp" && index >= 4 && index < 8

describe("sniff", () => {
  it("each signature, alone or followed by data, is its type", () => {
    for (const { bytes, type } of SIGNATURES) {
      expect(sniff(Uint8Array.from(bytes)), type).toBe(type)
      expect(sniff(Uint8Array.from([...bytes, 0, 1, 2])), type).toBe(type)
    }
  })

  it("a signature one byte short is not an image", () => {
    for (const { bytes, type } of SIGNATURES) {
      expect(sniff(Uint8Array.from(bytes.slice(0, -1))), type).toBeUndefined()
    }
    expect(sniff(new Uint8Array(0))).toBeUndefined()
  })

  it("every byte of a signature counts", () => {
    for (const { bytes, type } of SIGNATURES) {
      bytes.forEach((_, index) => {
        if (isWebpSize(type, index)) return
        const changed = Uint8Array.from([...bytes, 0, 0])
        changed[index] = changed[index]! ^ 0x01
        expect(sniff(changed), `${type}, byte ${index}`).not.toBe(type)
      })
    }
  })

  it("WebP needs the RIFF header and the WEBP tag at byte 8; the chunk size may be anything", () => {
    const riff = [0x52, 0x49, 0x46, 0x46]
    const webp = [0x57, 0x45, 0x42, 0x50]
    expect(sniff(Uint8Array.from([...riff, 0xff, 0xff, 0xff, 0xff, ...webp]))).toBe("image/webp")
    expect(sniff(Uint8Array.from([...riff, 0, 0, 0, 0, 0x41, 0x56, 0x49, 0x20]))).toBeUndefined()
    expect(sniff(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, ...webp]))).toBeUndefined()
    expect(sniff(Uint8Array.from([...webp, 0, 0, 0, 0, ...webp]))).toBeUndefined()
    expect(sniff(Uint8Array.from(riff))).toBeUndefined()
  })

  it("text is not an image", () => {
    expect(sniff(new TextEncoder().encode("hello, world"))).toBeUndefined()
    expect(sniff(new TextEncoder().encode("GIF90a...."))).toBeUndefined()
  })
})

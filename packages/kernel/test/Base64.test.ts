import { Base64 } from "@effect-scenario/kernel"
import fc from "fast-check"
import { Buffer } from "node:buffer"
import { describe, expect, it } from "vitest"

describe("Base64", () => {
  it("is RFC 4648 Base64 with padding, for any bytes and length", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Base64.encode(bytes)).toBe(Buffer.from(bytes).toString("base64"))
      }),
      { numRuns: 2000 }
    )
  })

  it("each length's padding, and bytes read past a view's offset", () => {
    expect(Base64.encode(new Uint8Array([]))).toBe("")
    expect(Base64.encode(Uint8Array.from([0xff]))).toBe("/w==")
    expect(Base64.encode(Uint8Array.from([0xff, 0xfe]))).toBe("//4=")
    expect(Base64.encode(Uint8Array.from([0xfb, 0xff, 0xbf]))).toBe("+/+/")
    const view = new Uint8Array(Uint8Array.from([1, 2, 3, 4, 5]).buffer, 1, 3)
    expect(Base64.encode(view)).toBe(Buffer.from([2, 3, 4]).toString("base64"))
  })

  it("encodedLength is the length of the encoding, known before encoding", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(Base64.encodedLength(bytes.length)).toBe(Base64.encode(bytes).length)
      })
    )
    expect(Base64.encodedLength(0)).toBe(0)
    expect(Base64.encodedLength(1)).toBe(4)
    expect(Base64.encodedLength(3)).toBe(4)
    expect(Base64.encodedLength(4)).toBe(8)
    // A file's size, with no file read: 1 GiB.
    expect(Base64.encodedLength(2 ** 30)).toBe(1_431_655_768)
  })

  it("a multi-megabyte image encodes whole", () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 1)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff
    // Compared through Node's decoder: a deep equality of megabyte strings would take the test's time.
    expect(Buffer.from(Base64.encode(bytes), "base64").equals(bytes)).toBe(true)
  })
})

import { inlineImageBodySize, maxInlineImageBytes } from "@effect-scenario/kernel/RequestBody"
import {
  checkFit,
  fitOf,
  fitterFailedReason,
  fitType,
  judge,
  markFits,
  type PlanItem,
  summarize,
  unfittableReason
} from "@effect-scenario/kernel/TrainingSetPlan"
import { describe, expect, it } from "vitest"

const LIMIT = 10_485_760
const TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const

describe("maxInlineImageBytes", () => {
  it("is the largest image whose body fits, whatever its media type", () => {
    for (const name of ["a.png", "a much longer name with \"quotes\" and é.jpg"]) {
      for (const maxRequestBytes of [LIMIT, 1000, 1001, 1002, 1003]) {
        const budget = maxInlineImageBytes({ name, maxRequestBytes })
        for (const mediaType of TYPES) {
          expect(inlineImageBodySize({ bytes: budget, mediaType, name })).toBeLessThanOrEqual(maxRequestBytes)
        }
        // Three bytes more (one more Base64 group) no longer fit as a JPEG.
        expect(inlineImageBodySize({ bytes: budget + 3, mediaType: "image/jpeg", name })).toBeGreaterThan(
          maxRequestBytes
        )
      }
    }
  })

  it("is about 3/4 of the 10 MiB limit", () => {
    const budget = maxInlineImageBytes({ name: "photo.jpg", maxRequestBytes: LIMIT })
    expect(budget).toBeGreaterThan(7_864_000)
    expect(budget).toBeLessThanOrEqual(7_864_320)
  })

  it("is 0 when even an empty image does not fit", () => {
    expect(maxInlineImageBytes({ name: "x".repeat(100), maxRequestBytes: 50 })).toBe(0)
  })
})

const JPEG_HEAD = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])

describe("fitOf and markFits", () => {
  it("an image over the limit is fitted to the budget of its name", () => {
    const refusal = judge({ name: "big.jpg", peek: { size: 24_000_000, head: JPEG_HEAD }, maxRequestBytes: LIMIT })!
    expect(refusal._tag).toBe("TooLarge")
    expect(fitOf("big.jpg", refusal)).toEqual({
      bytes: 24_000_000,
      requestBytes: inlineImageBodySize({ bytes: 24_000_000, mediaType: "image/jpeg", name: "big.jpg" }),
      maxRequestBytes: LIMIT,
      maxImageBytes: maxInlineImageBytes({ name: "big.jpg", maxRequestBytes: LIMIT })
    })
  })

  it("a skip is not fitted, nor an image whose name alone is over the limit", () => {
    expect(fitOf("a.txt", { _tag: "Skip", reason: "not-an-image" })).toBeUndefined()
    const name = "x".repeat(200)
    const refusal = judge({ name, peek: { size: 100, head: JPEG_HEAD }, maxRequestBytes: 100 })!
    expect(refusal._tag).toBe("TooLarge")
    expect(fitOf(name, refusal)).toBeUndefined()
  })

  it("marks the adds and replaces of the names given, and counts them; a keep stays kept", () => {
    const fit = { bytes: 9e6, requestBytes: 12e6, maxRequestBytes: LIMIT, maxImageBytes: 7e6 }
    const items: Array<PlanItem> = [
      { _tag: "Add", name: "a.jpg" },
      { _tag: "Add", name: "b.jpg" },
      { _tag: "Replace", name: "c.jpg", trainingImageId: "ti_c" },
      { _tag: "Keep", name: "d.jpg", trainingImageId: "ti_d" }
    ]
    const fits = new Map([["a.jpg", fit], ["c.jpg", fit], ["d.jpg", fit]])
    const marked = markFits(items, fits)
    expect(marked).toEqual([
      { _tag: "Add", name: "a.jpg", fit },
      { _tag: "Add", name: "b.jpg" },
      { _tag: "Replace", name: "c.jpg", trainingImageId: "ti_c", fit },
      { _tag: "Keep", name: "d.jpg", trainingImageId: "ti_d" }
    ])
    expect(summarize(marked).fit).toBe(2)
    expect(summarize(marked).add).toBe(2)
  })
})

const jpeg = (size: number): Uint8Array => {
  const bytes = new Uint8Array(size)
  bytes.set(JPEG_HEAD.subarray(0, Math.min(size, JPEG_HEAD.length)))
  return bytes
}
const PNG_HEAD = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])

describe("fitType", () => {
  it("is the media type of an image whose body is over the limit, and nothing for one that fits", () => {
    const budget = maxInlineImageBytes({ name: "a.jpg", maxRequestBytes: 1000 })
    expect(fitType({ name: "a.jpg", bytes: jpeg(budget), maxRequestBytes: 1000 })).toBeUndefined()
    expect(fitType({ name: "a.jpg", bytes: jpeg(budget + 3), maxRequestBytes: 1000 })).toBe("image/jpeg")
  })

  it("is nothing for bytes that are no image, however large", () => {
    expect(fitType({ name: "a.txt", bytes: new Uint8Array(5000), maxRequestBytes: 1000 })).toBeUndefined()
  })
})

describe("unfittableReason and fitterFailedReason", () => {
  it("an image has no budget when its name alone is over the limit", () => {
    expect(unfittableReason({ name: "a.jpg", maxRequestBytes: LIMIT })).toBeUndefined()
    expect(unfittableReason({ name: "x".repeat(100), maxRequestBytes: 50 })).toBe(
      "its name alone makes a request over the 50-byte limit"
    )
  })

  it("a failed fitter is named with the first line of its failure", () => {
    expect(fitterFailedReason("Error: boom")).toBe("the fitter failed: Error: boom")
  })
})

describe("checkFit", () => {
  const input = { name: "big.jpg", bytes: jpeg(5000), mediaType: "image/jpeg", maxRequestBytes: 1000 }
  const budget = maxInlineImageBytes({ name: "big.jpg", maxRequestBytes: 1000 })
  const dims = { width: 10, height: 20, sourceWidth: 100, sourceHeight: 200 }

  it("a result of the type it says, within the limit, is what is sent", () => {
    const sent = jpeg(budget)
    expect(checkFit(input, { bytes: sent, mediaType: "image/jpeg", ...dims })).toEqual({
      _tag: "Fitted",
      bytes: sent,
      fitted: {
        bytes: 5000,
        width: 100,
        height: 200,
        mediaType: "image/jpeg",
        sentBytes: budget,
        sentWidth: 10,
        sentHeight: 20,
        sentMediaType: "image/jpeg"
      }
    })
  })

  it("a result of another type than it says, or no image, is refused", () => {
    const png = new Uint8Array(100)
    png.set(PNG_HEAD)
    expect(checkFit(input, { bytes: png, mediaType: "image/jpeg", ...dims })).toEqual({
      _tag: "Unfit",
      reason: "the fitter returned bytes that are not the image/jpeg image it said"
    })
    expect(checkFit(input, { bytes: new Uint8Array(10), mediaType: "image/jpeg", ...dims })._tag).toBe("Unfit")
    const notBytes = { bytes: "jpeg" as unknown as Uint8Array, mediaType: "image/jpeg", ...dims }
    expect(checkFit(input, notBytes)._tag).toBe("Unfit")
  })

  it("a result still over the limit is refused with its sizes", () => {
    const bytes = jpeg(budget + 3)
    const requestBytes = inlineImageBodySize({ bytes: budget + 3, mediaType: "image/jpeg", name: "big.jpg" })
    expect(checkFit(input, { bytes, mediaType: "image/jpeg", ...dims })).toEqual({
      _tag: "Unfit",
      reason: `the fitter returned ${budget + 3} bytes, a ${requestBytes}-byte request, still over the 1000-byte limit`
    })
  })

  it("a result without positive integer dimensions is refused", () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity]) {
      for (const field of ["width", "height", "sourceWidth", "sourceHeight"] as const) {
        const result = { bytes: jpeg(budget), mediaType: "image/jpeg", ...dims, [field]: bad }
        expect(checkFit(input, result)).toEqual({ _tag: "Unfit", reason: "the fitter returned no valid dimensions" })
      }
    }
  })
})

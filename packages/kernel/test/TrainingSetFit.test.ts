import { inlineImageBodySize, maxInlineImageBytes } from "@effect-scenario/kernel/RequestBody"
import { fitOf, judge, markFits, type PlanItem, summarize } from "@effect-scenario/kernel/TrainingSetPlan"
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

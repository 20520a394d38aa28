/**
 * The request and response limits every binding holds calls to, and the request bodies whose size they judge:
 * an image's body (text, or bytes from 64 KiB of data on), the pairs body, a body's size against a limit (its length when that cannot be over, its UTF-8 size
 * otherwise), the refusal's text, a byte limit's check, and which declared body lengths a reader may trust.
 */
import { describe, expect, it } from "vitest"
import { encode } from "../src/Base64.js"
import {
  BYTES_FROM_LENGTH,
  DATA_HEAD,
  dataUrlPrefix,
  DEFAULT_MAX_REQUEST_BYTES,
  imageBody,
  imageBodyTail,
  inlineImageBodySize,
  maxInlineImageBytes,
  pairsBody,
  requestTooLargeProblem,
  textBodySize
} from "../src/RequestBody.js"
import {
  BYTE_LIMIT_PROBLEM,
  declaredLength,
  DEFAULT_MAX_RESPONSE_BYTES,
  isByteLimit,
  isUncompressed,
  MAX_TIMER_MILLIS,
  refusedProblem,
  unbuiltProblem
} from "../src/Transport.js"

describe("request bodies", () => {
  it("the pairs body: a bare array, the instruction only when given, nothing else", () => {
    expect(pairsBody([])).toBe("[]")
    expect(pairsBody([
      { sourceId: "a", targetId: "b", instruction: "make it blue" },
      { sourceId: "b", targetId: "c" },
      { sourceId: "c", targetId: "d", instruction: undefined },
      { sourceId: "d", targetId: "e", extra: "dropped" } as never
    ])).toBe(
      "[{\"sourceId\":\"a\",\"targetId\":\"b\",\"instruction\":\"make it blue\"}," +
        "{\"sourceId\":\"b\",\"targetId\":\"c\"},{\"sourceId\":\"c\",\"targetId\":\"d\"}," +
        "{\"sourceId\":\"d\",\"targetId\":\"e\"}]"
    )
  })

  it("a body's size: its length when three bytes a unit are within the limit, else its UTF-8 size", () => {
    const text = "é".repeat(40) // 40 units, 80 bytes
    expect(textBodySize(text, 120)).toBe(40)
    expect(textBodySize(text, 119)).toBe(80)
    expect(textBodySize(text, 0)).toBe(80)
    expect(textBodySize("🙂", 0)).toBe(4)
    expect(textBodySize("", 0)).toBe(0)
    // Within the limit either way: the two answers agree on the side of the limit they fall.
    for (const limit of [39, 40, 79, 80, 81, 119, 120]) {
      expect(textBodySize(text, limit) <= limit, String(limit)).toBe(80 <= limit)
    }
  })

  it("the refusal names the size, the limit and what to do", () => {
    expect(requestTooLargeProblem(1004, 1000)).toBe(
      "the JSON body is 1004 bytes, over the request limit of 1000 bytes (maxRequestBytes): " +
        "resize or recompress the image (inline data is base64, 4/3 of the image's bytes)"
    )
    expect(DEFAULT_MAX_REQUEST_BYTES).toBe(10_485_760)
  })
})

describe("response limits", () => {
  it("a byte limit is a safe whole number above 0", () => {
    for (const value of [1, 100, DEFAULT_MAX_RESPONSE_BYTES, Number.MAX_SAFE_INTEGER]) {
      expect(isByteLimit(value), String(value)).toBe(true)
    }
    for (const value of [0, -1, 1.5, -1.5, Number.NaN, Infinity, -Infinity, 2 ** 53]) {
      expect(isByteLimit(value), String(value)).toBe(false)
    }
    expect(BYTE_LIMIT_PROBLEM).toBe("Expected a whole number of bytes above 0")
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(33_554_432)
    expect(MAX_TIMER_MILLIS).toBe(2_147_483_647)
  })

  it("a declared length is trusted only as digits", () => {
    expect(declaredLength({ "content-length": "0" })).toBe(0)
    expect(declaredLength({ "content-length": "60" })).toBe(60)
    expect(declaredLength({ "content-length": "007" })).toBe(7)
    for (const declared of ["0x5", "5x", "x5", "1e1", "5.0", "-5", "+5", "", " 5", "5 "]) {
      expect(declaredLength({ "content-length": declared }), JSON.stringify(declared)).toBeUndefined()
    }
    expect(declaredLength({})).toBeUndefined()
  })

  it("uncompressed: no content-encoding, an empty one, or identity in any case", () => {
    for (const encoding of [undefined, "", "identity", "Identity", "IDENTITY"]) {
      const headers = encoding === undefined ? {} : { "content-encoding": encoding }
      expect(isUncompressed(headers), String(encoding)).toBe(true)
    }
    for (const encoding of ["gzip", "br", "deflate", "identity, gzip", " identity"]) {
      expect(isUncompressed({ "content-encoding": encoding }), encoding).toBe(false)
    }
  })
})

describe("an image's body", () => {
  const text = (body: string | Uint8Array) => typeof body === "string" ? body : new TextDecoder().decode(body)

  it("without data: the fields given, as JSON", () => {
    expect(imageBody({ assetId: "a", preset: "style" })).toBe("{\"assetId\":\"a\",\"preset\":\"style\"}")
    expect(imageBody({ assetIds: ["a", "b"], name: undefined })).toBe("{\"assetIds\":[\"a\",\"b\"]}")
    expect(imageBody({})).toBe("{}")
  })

  it("with data: the exact JSON, as text below 64 KiB of data and as bytes from then on", () => {
    for (const length of [1, BYTES_FROM_LENGTH - 1, BYTES_FROM_LENGTH, BYTES_FROM_LENGTH + 1]) {
      const data = "A".repeat(length)
      for (const extra of [{}, { name: "a.png" }, { name: "é.png", preset: "style" }]) {
        const body = imageBody({ data, ...extra })
        expect(typeof body, String(length)).toBe(length < BYTES_FROM_LENGTH ? "string" : "object")
        expect(text(body)).toBe(JSON.stringify({ data, ...extra }))
      }
    }
  })

  it("data that is not ASCII (which validation refuses) is escaped as any text", () => {
    const data = "é\"".repeat(BYTES_FROM_LENGTH)
    const body = imageBody({ data, name: "a.png" })
    expect(body).toBe(JSON.stringify({ data, name: "a.png" }))
  })
})

describe("a transport's refusals", () => {
  it("name the reason or the code, never the transport's message", () => {
    expect(unbuiltProblem("InvalidUrl", new Error("cannot build"))).toBe(
      "the request could not be built (InvalidUrl): Error: cannot build"
    )
    expect(refusedProblem("ERR_INVALID_CHAR")).toBe(
      "the transport refused the request before sending it (ERR_INVALID_CHAR)"
    )
  })
})

describe("an image's body size, computed before the image is read", () => {
  const size = (body: string | Uint8Array) =>
    typeof body === "string" ? new TextEncoder().encode(body).length : body.length

  it("is the size of the body sent, for every length, media type and name", () => {
    for (const bytes of [0, 1, 2, 3, 4, 5, 6, 100]) {
      for (const mediaType of ["image/png", "image/jpeg", "image/webp"]) {
        for (const name of ["a.png", "é \"q\".jpg"]) {
          const data = `${dataUrlPrefix(mediaType)}${encode(new Uint8Array(bytes))}`
          expect(inlineImageBodySize({ bytes, mediaType, name }), `${bytes} ${mediaType} ${name}`).toBe(
            size(imageBody({ data, name }))
          )
        }
      }
    }
    expect(dataUrlPrefix("image/png")).toBe("data:image/png;base64,")
    expect(DATA_HEAD).toBe("{\"data\":\"")
    expect(imageBodyTail({})).toBe("\"}")
    expect(imageBodyTail({ name: "a", preset: "p" })).toBe("\",\"name\":\"a\",\"preset\":\"p\"}")
  })

  it("the largest image that fits is counted for a JPEG, the longest media type, in whole groups of three", () => {
    // The body of an empty JPEG named a.png: {"data":"data:image/jpeg;base64,","name":"a.png"}, 49 bytes.
    expect(inlineImageBodySize({ bytes: 0, mediaType: "image/jpeg", name: "a.png" })).toBe(49)
    expect(maxInlineImageBytes({ name: "a.png", maxRequestBytes: 49 })).toBe(0)
    expect(maxInlineImageBytes({ name: "a.png", maxRequestBytes: 52 })).toBe(0)
    expect(maxInlineImageBytes({ name: "a.png", maxRequestBytes: 53 })).toBe(3)
    expect(maxInlineImageBytes({ name: "a.png", maxRequestBytes: 56 })).toBe(3)
    expect(maxInlineImageBytes({ name: "a.png", maxRequestBytes: 57 })).toBe(6)
    expect(maxInlineImageBytes({ name: "a.png", maxRequestBytes: 40 })).toBe(0)
    expect(maxInlineImageBytes({ name: "a.png", maxRequestBytes: 1 })).toBe(0)
  })
})

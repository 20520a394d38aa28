import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { NamedRecord } from "../src/internal/namedRecord.js"

const Entry = Schema.Struct({ sha256: Schema.String, trainingImageId: Schema.String })
const Images = NamedRecord(Entry)

describe("NamedRecord", () => {
  it("any name round-trips: __proto__ and Object.prototype's other members included", () => {
    const names = ["__proto__", "constructor", "hasOwnProperty", "toString", "a.png"]
    const text = `{${
      names.map((name, i) => `${JSON.stringify(name)}:{"sha256":"sha${i}","trainingImageId":"asset_${i}"}`).join(",")
    }}`
    const decoded = Schema.decodeUnknownSync(Images)(JSON.parse(text))
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype)
    expect(Object.keys(decoded)).toEqual(names)
    expect(Object.getOwnPropertyDescriptor(decoded, "__proto__")?.value).toEqual({
      sha256: "sha0",
      trainingImageId: "asset_0"
    })
    const encoded = Schema.encodeSync(Images)(decoded)
    expect(Object.keys(encoded)).toEqual(names)
    expect(JSON.stringify(encoded)).toBe(text)
  })

  it("a value that fails names its key", () => {
    const bad = Schema.decodeUnknownEither(Images)(
      JSON.parse(`{"a.png":{"sha256":"x","trainingImageId":"y"},"__proto__":{"sha256":1}}`)
    )
    expect(Either.isLeft(bad)).toBe(true)
    if (Either.isRight(bad)) return
    expect(bad.left.message).toContain("__proto__")
  })

  it("anything but an object is refused", () => {
    for (const input of [null, [], "a", 1]) {
      expect(Either.isLeft(Schema.decodeUnknownEither(Images)(input)), JSON.stringify(input)).toBe(true)
    }
  })
})

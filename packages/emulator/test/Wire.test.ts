/**
 * What the server reads of a request before its validators run, and the 400s it answers on its own.
 */
import * as Wire from "@effect-scenario/emulator/Wire"
import { describe, expect, it } from "vitest"

const q = (text: string) => new URLSearchParams(text)

describe("Wire", () => {
  it("reads JSON, or refuses an empty or malformed body", () => {
    expect(Wire.parseJson("{\"a\":1}")).toEqual({ _tag: "Read", value: { a: 1 } })
    expect(Wire.parseJson("  ")).toEqual({
      _tag: "Refused",
      response: { status: 400, body: { message: "The request body is empty: JSON expected" } }
    })
    expect(Wire.parseJson("{")).toMatchObject({ response: { body: { message: "Invalid JSON body" } } })
  })

  it("reads originalAssets as true or false only", () => {
    expect(Wire.originalAssetsOf(q(""))).toEqual({ _tag: "Read", value: {} })
    expect(Wire.originalAssetsOf(q("originalAssets=false"))).toEqual({ _tag: "Read", value: { originalAssets: false } })
    expect(Wire.originalAssetsOf(q("originalAssets=1"))).toMatchObject({
      response: { status: 400, body: { message: "originalAssets must be true or false, got \"1\"" } }
    })
  })

  it("keeps an image body's documented fields, and drops data and name beside a lone assetId", () => {
    expect(Wire.imageInput(q("originalAssets=true"), "{\"assetId\":\"a\",\"data\":\"d\",\"name\":\"n\",\"x\":1}"))
      .toEqual({ _tag: "Read", value: { assetId: "a", originalAssets: true } })
    expect(Wire.imageInput(q(""), "{\"data\":\"d\",\"name\":\"n\",\"preset\":\"style\"}"))
      .toEqual({ _tag: "Read", value: { data: "d", name: "n", preset: "style" } })
    expect(Wire.imageInput(q(""), "[]")).toMatchObject({
      response: { body: { message: "The request body must be a JSON object" } }
    })
    // The query is read first.
    expect(Wire.imageInput(q("originalAssets=yes"), "{")).toMatchObject({
      response: { body: { message: "originalAssets must be true or false, got \"yes\"" } }
    })
  })

  it("keeps the documented fields of each pair object, anything else as it is", () => {
    expect(Wire.pairsInput("[{\"sourceId\":\"a\",\"targetId\":\"b\",\"x\":1},3]"))
      .toEqual({ _tag: "Read", value: [{ sourceId: "a", targetId: "b" }, 3] })
    expect(Wire.pairsInput("{}")).toMatchObject({
      response: { body: { message: "The request body must be a JSON array of pairs" } }
    })
  })

  it("reads projectId, and words a validator's problems as one 400", () => {
    expect(Wire.projectIdOf(q("projectId=p"))).toEqual({ projectId: "p" })
    expect(Wire.projectIdOf(q(""))).toEqual({})
    expect(Wire.rejected([{ path: [], message: "give the image" }, { path: ["assetIds", 0], message: "empty" }]))
      .toEqual({ status: 400, body: { message: "give the image; assetIds.0: empty" } })
  })
})

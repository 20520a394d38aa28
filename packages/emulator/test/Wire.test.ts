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

describe("Wire, exactly", () => {
  it("an image body keeps only the documented fields it has, none set to undefined", () => {
    const read = Wire.imageInput(q(""), "{\"assetIds\":[\"a\"],\"assetId\":\"b\",\"data\":\"d\",\"name\":\"n\"}")
    // Beside assetIds, a lone assetId's rule does not apply: data and name stay.
    expect(read).toStrictEqual({ _tag: "Read", value: { assetId: "b", assetIds: ["a"], data: "d", name: "n" } })
    expect(Wire.imageInput(q(""), "{\"assetIds\":[\"a\"],\"extra\":1}"))
      .toStrictEqual({ _tag: "Read", value: { assetIds: ["a"] } })
    expect(Wire.imageFields({})).toStrictEqual({ _tag: "Read", value: {} })
    expect(Wire.imageFields({ data: "d", name: "n" })).toStrictEqual({ _tag: "Read", value: { data: "d", name: "n" } })
  })

  it("refuses a body that is not an object: null, an array, a string, a number", () => {
    for (const text of ["null", "[1]", "\"a\"", "3"]) {
      expect(Wire.imageInput(q("originalAssets=false"), text), text).toStrictEqual({
        _tag: "Refused",
        response: { status: 400, body: { message: "The request body must be a JSON object" } }
      })
    }
  })

  it("refuses malformed JSON with valid flags, and an empty body of pairs", () => {
    expect(Wire.imageInput(q("originalAssets=true"), "{")).toStrictEqual({
      _tag: "Refused",
      response: { status: 400, body: { message: "Invalid JSON body" } }
    })
    expect(Wire.imageInput(q(""), "")).toStrictEqual({
      _tag: "Refused",
      response: { status: 400, body: { message: "The request body is empty: JSON expected" } }
    })
    expect(Wire.pairsInput(" \n")).toStrictEqual({
      _tag: "Refused",
      response: { status: 400, body: { message: "The request body is empty: JSON expected" } }
    })
    expect(Wire.pairsInput("null")).toStrictEqual({
      _tag: "Refused",
      response: { status: 400, body: { message: "The request body must be a JSON array of pairs" } }
    })
  })

  it("a pair keeps its instruction, only the fields it has; null and arrays stay as they are", () => {
    expect(
      Wire.pairsInput("[{\"sourceId\":\"a\",\"targetId\":\"b\",\"instruction\":\"i\"},{\"targetId\":\"c\"},null,[1]]")
    )
      .toStrictEqual({
        _tag: "Read",
        value: [{ sourceId: "a", targetId: "b", instruction: "i" }, { targetId: "c" }, null, [1]]
      })
    expect(Wire.pairsInput("[]")).toStrictEqual({ _tag: "Read", value: [] })
  })

  it("reads originalAssets=true as true, and refuses any other spelling", () => {
    expect(Wire.originalAssetsOf(q("originalAssets=true"))).toStrictEqual({
      _tag: "Read",
      value: { originalAssets: true }
    })
    expect(Wire.originalAssetsOf(q("originalAssets=TRUE"))).toStrictEqual({
      _tag: "Refused",
      response: { status: 400, body: { message: "originalAssets must be true or false, got \"TRUE\"" } }
    })
    expect(Wire.originalAssetsOf(q("originalAssets="))._tag).toBe("Refused")
  })

  it("words one problem alone, and an empty projectId as given", () => {
    expect(Wire.rejected([{ path: ["pairs", 1, "sourceId"], message: "missing" }]))
      .toStrictEqual({ status: 400, body: { message: "pairs.1.sourceId: missing" } })
    expect(Wire.rejected([{ path: [], message: "a" }, { path: [], message: "b" }]))
      .toStrictEqual({ status: 400, body: { message: "a; b" } })
    expect(Wire.projectIdOf(q("projectId="))).toStrictEqual({ projectId: "" })
    expect(Wire.projectIdOf(q("other=1"))).toStrictEqual({})
  })
})

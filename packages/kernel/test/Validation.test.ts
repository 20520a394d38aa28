import { Validation } from "@effect-scenario/kernel"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

describe("Validation", () => {
  it("a batch holds 1 to MAX_BATCH_ASSETS asset ids", () => {
    expect(Validation.MAX_BATCH_ASSETS).toBe(10)
    expect(Validation.batchSizeProblem(0)).toBe(Validation.EMPTY_BATCH_PROBLEM)
    expect(Validation.batchSizeProblem(1)).toBeUndefined()
    expect(Validation.batchSizeProblem(10)).toBeUndefined()
    expect(Validation.batchSizeProblem(11)).toBe("a batch holds at most 10 asset ids, got 11")
  })

  it("a closed set of values is named as a list with `or`", () => {
    expect(Validation.oneOf([])).toBe("")
    expect(Validation.oneOf(["a"])).toBe("\"a\"")
    expect(Validation.oneOf(["a", "b"])).toBe("\"a\" or \"b\"")
    expect(Validation.oneOf(["a", 1, true, 2n])).toBe("\"a\", 1, true or 2n")
  })

  it("an image's way is picked from the keys present; conflicts and none at all are problems", () => {
    const tags = (params: Record<string, unknown>) => {
      const variant = Validation.imageVariant(params)
      return variant._tag === "Invalid" ? `${variant.path.join(".")}: ${variant.problem}` : variant._tag
    }
    expect(tags({ assetIds: ["a"] })).toBe("AssetIds")
    expect(tags({ assetIds: [], assetId: undefined, name: undefined })).toBe("AssetIds")
    expect(tags({ assetIds: ["a"], name: "x" })).toBe("assetIds: cannot be combined with assetId, data or name")
    expect(tags({ assetIds: ["a"], assetId: "b" })).toBe("assetIds: cannot be combined with assetId, data or name")
    expect(tags({ assetIds: ["a"], data: "d" })).toBe("assetIds: cannot be combined with assetId, data or name")
    expect(tags({ assetId: "a" })).toBe("AssetId")
    expect(tags({ assetId: "a", data: "d" })).toBe(
      "assetId: cannot be combined with data or name (the API would ignore them)"
    )
    expect(tags({ data: "d", name: "x" })).toBe("Data")
    expect(tags({ name: "x" })).toBe(": name goes with data: give the image as a data URL")
    expect(tags({})).toBe(": give the image as assetId, assetIds (1 to 10 asset ids) or data (a data URL)")
  })

  it("params that are not an object, or cannot be read", () => {
    expect(Validation.NOT_AN_OBJECT_PROBLEM).toBe("expected an object of params")
    expect(Validation.unreadableProblem(new Error("boom"))).toBe("the params could not be read: Error: boom")
  })

  it("ids: non-empty, well-formed, neither . nor ..; a training image id is not pairs", () => {
    for (const id of ["a", "model_1", "...", ".a", "a/b", "\uD83D\uDE00", "pairs"]) {
      expect(Validation.idProblem(id), id).toBeUndefined()
    }
    expect(Validation.idProblem("")).toBe("must not be empty")
    expect(Validation.idProblem(".")).toBe("must not be \".\" or \"..\"")
    expect(Validation.idProblem("..")).toBe("must not be \".\" or \"..\"")
    for (const lone of ["\uD800", "a\uDC00", "\uDE00\uD83D"]) {
      expect(Validation.idProblem(lone), JSON.stringify(lone)).toBe(
        "must be well-formed Unicode (it holds a lone surrogate)"
      )
    }
    expect(Validation.trainingImageIdProblem("pairs")).toBe("must not be \"pairs\" (that path replaces the pairs)")
    expect(Validation.trainingImageIdProblem("pair")).toBeUndefined()
  })

  it("text: non-empty and well-formed", () => {
    expect(Validation.isWellFormed("a\uD83D\uDE00")).toBe(true)
    expect(Validation.isWellFormed("a\uD83D")).toBe(false)
    // Each lone half replaced, pairs kept, the same string after as `isWellFormed` accepts.
    expect(Validation.replaceLoneSurrogates("\uDE00a\uD83D\uDE00b\uD83D\uD83Dc\uDE00", "_")).toBe("_a\uD83D\uDE00b__c_")
    expect(Validation.replaceLoneSurrogates("\uD83D", "")).toBe("")
    expect(Validation.isWellFormed(Validation.replaceLoneSurrogates("\uDC00\uD800\uD800\uDC00\uDC00", "?"))).toBe(true)
    expect(Validation.nonEmptyTextProblem("a.png")).toBeUndefined()
    expect(Validation.nonEmptyTextProblem("")).toBe("must be non-empty, well-formed text")
    expect(Validation.nonEmptyTextProblem("\uDC00")).toBe("must be non-empty, well-formed text")
  })

  it("data URLs: an image header, then non-empty, padded base64", () => {
    const header = "must be a data URL of the form data:image/<type>;base64,<payload>"
    const payload = "must carry a non-empty, padded base64 payload after \";base64,\""
    for (
      const url of [
        "data:image/png;base64,iVBORw0KGgo=",
        "data:image/svg+xml;name=a.png;base64,ab==",
        "data:image/gif;base64,abcd"
      ]
    ) {
      expect(Validation.dataUrlProblem(url), url).toBeUndefined()
    }
    for (
      const url of ["iVBORw0KGgo=", "data:text/plain;base64,aGk=", "data:image/png,raw", " data:image/png;base64,abcd"]
    ) {
      expect(Validation.dataUrlProblem(url), url).toBe(header)
    }
    for (const data of ["", "abc", "ab!d", "a===", "ab=c", "abc==", "=abc"]) {
      expect(Validation.dataUrlProblem(`data:image/png;base64,${data}`), data).toBe(payload)
    }
    // What a forgiving decoder lets through: whitespace (skipped), the URL-safe alphabet, other scripts.
    for (
      const data of [
        " AA=   =",
        "A A=   =",
        " AA=  = ",
        "AAA=   =",
        "abc defg",
        "abcd\nefg",
        "\tabcdefg",
        "abcdefg ",
        "ab\r\n",
        "abc\f",
        "ab-d",
        "ab_d",
        "abc\u00a0",
        "abc\u0100"
      ]
    ) {
      expect(Validation.dataUrlProblem(`data:image/png;base64,${data}`), JSON.stringify(data)).toBe(payload)
    }
  })

  it("data URLs: a payload of many chunks is checked to its end, the padding in its last one", () => {
    const payload = "must carry a non-empty, padded base64 payload after \";base64,\""
    const chunk = "abcd".repeat(16_384)
    for (const data of [chunk + "ab==", chunk + "abc=", chunk + chunk + "abcd", chunk]) {
      expect(Validation.dataUrlProblem(`data:image/png;base64,${data}`), data.slice(-8)).toBeUndefined()
    }
    for (
      const data of [chunk + "ab!=", chunk + "a bc", chunk + chunk + "abc\n", chunk + "ab-d", ` ${chunk.slice(1)}abcd`]
    ) {
      expect(Validation.dataUrlProblem(`data:image/png;base64,${data}`), JSON.stringify(data.slice(-8))).toBe(payload)
    }
  })

  // The rule, written plainly: groups of four characters of the alphabet, the last one perhaps padded.
  const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{4}|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}==)$/

  it("data URLs: the payload rule is exactly padded base64, for every payload of up to 12 characters of a letter, \"=\" and a space", () => {
    const characters = ["A", "=", " "]
    const disagreed: Array<string> = []
    for (let length = 0; length <= 12 && disagreed.length < 5; length++) {
      const count = characters.length ** length
      for (let n = 0; n < count; n++) {
        let data = ""
        for (let i = 0, rest = n; i < length; i++, rest = Math.floor(rest / characters.length)) {
          data += characters[rest % characters.length]
        }
        if ((Validation.dataUrlProblem(`data:image/png;base64,${data}`) === undefined) !== PADDED_BASE64.test(data)) {
          disagreed.push(data)
        }
      }
    }
    expect(disagreed).toEqual([])
  })

  it("data URLs: the payload rule is exactly padded base64, whatever the characters", () => {
    const character = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(..."AZaz09+/") },
      { weight: 2, arbitrary: fc.constant("=") },
      {
        weight: 1,
        arbitrary: fc.constantFrom(" ", "\t", "\n", "\r", "\f", "-", "_", "!", "\u00a0", "\u0100", "\uD83D")
      }
    )
    fc.assert(
      fc.property(fc.array(character, { maxLength: 16 }).map((chars) => chars.join("")), (data) => {
        expect(Validation.dataUrlProblem(`data:image/png;base64,${data}`) === undefined).toBe(PADDED_BASE64.test(data))
      }),
      { numRuns: 2_000 }
    )
  })
})

describe("withBatchSizeIssue", () => {
  const tooMany = Array.from({ length: Validation.MAX_BATCH_ASSETS + 2 }, (_, i) => `asset_${i}`)
  const elementIssue = { path: ["assetIds", 3], message: "must not be empty" }

  it("puts the size problem first when the issues miss it", () => {
    expect(Validation.withBatchSizeIssue(tooMany, [elementIssue])).toEqual([
      { path: ["assetIds"], message: Validation.batchSizeProblem(tooMany.length) },
      elementIssue
    ])
    expect(Validation.withBatchSizeIssue([], [])).toEqual([{
      path: ["assetIds"],
      message: Validation.EMPTY_BATCH_PROBLEM
    }])
  })

  it("adds nothing when the size is fine, already reported, or there is no array", () => {
    expect(Validation.withBatchSizeIssue(["a", ""], [elementIssue])).toBeUndefined()
    expect(
      Validation.withBatchSizeIssue(tooMany, [{
        path: ["assetIds"],
        message: Validation.batchSizeProblem(tooMany.length)!
      }])
    )
      .toBeUndefined()
    expect(Validation.withBatchSizeIssue("asset_1", [elementIssue])).toBeUndefined()
  })
})

describe("the API's closed sets", () => {
  it("the model statuses, types and presets the API documents, each once", () => {
    expect(Validation.MODEL_STATUSES).toEqual(["copying", "failed", "new", "trained", "training", "training-canceled"])
    expect(Validation.MODEL_TYPES).toEqual([
      "custom",
      "flux.1",
      "flux.1-composition",
      "flux.1-kontext-dev",
      "flux.1-kontext-lora",
      "flux.1-krea-dev",
      "flux.1-krea-lora",
      "flux.1-lora",
      "flux.1-pro",
      "flux.1.1-pro-ultra",
      "flux1.1-pro",
      "gpt-image-1",
      "sd-1_5",
      "sd-1_5-composition",
      "sd-1_5-lora",
      "sd-xl",
      "sd-xl-composition",
      "sd-xl-lora"
    ])
    expect(Validation.PRESETS).toEqual(["default", "style", "subject"])
    expect(Validation.oneOf(Validation.PRESETS)).toBe("\"default\", \"style\" or \"subject\"")
  })
})

describe("withBatchSizeIssue, beyond the size", () => {
  it("only an array has a size: a string or nothing of any length adds no problem", () => {
    expect(Validation.withBatchSizeIssue("a".repeat(Validation.MAX_BATCH_ASSETS + 1), [])).toBeUndefined()
    expect(Validation.withBatchSizeIssue(undefined, [])).toBeUndefined()
    expect(Validation.withBatchSizeIssue({ length: 0 }, [])).toBeUndefined()
  })

  it("the size problem counts as reported when any one of the issues says it", () => {
    const size = Validation.batchSizeProblem(0)!
    const element = { path: ["assetIds", 0], message: "must not be empty" }
    expect(Validation.withBatchSizeIssue([], [element, { path: ["assetIds"], message: size }])).toBeUndefined()
    expect(Validation.withBatchSizeIssue([], [element])).toEqual([{ path: ["assetIds"], message: size }, element])
  })
})

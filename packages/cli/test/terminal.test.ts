import { describe, expect, it } from "@effect/vitest"
import { colorsWanted, escapeControl, jsonText, stripStyles } from "../src/internal/terminal.js"

describe("escapeControl", () => {
  it("C0, DEL, C1, line separators and bidirectional controls become visible escapes", () => {
    expect(escapeControl("a\u001b[2Jb\u0007c\r\n\td\u007fe\u009bf")).toBe(
      "a\\x1b[2Jb\\x07c\\x0d\\x0a\\x09d\\x7fe\\x9bf"
    )
    expect(escapeControl("\u202egnp.exe \u2066x\u2069 \u2028")).toBe("\\u202egnp.exe \\u2066x\\u2069 \\u2028")
  })

  it("everything else is left as it is", () => {
    const text = "photo é ü 日本 😀 \\x1b <b> 100%"
    expect(escapeControl(text)).toBe(text)
  })
})

describe("jsonText", () => {
  it("no raw control character, and the same value once parsed", () => {
    const value = { name: "a\u001b]0;t\u0007\u007f\u0085\u202e\u2029b", n: 1 }
    const text = jsonText(value)
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/)
    expect(JSON.parse(text)).toEqual(value)
  })
})

describe("colours", () => {
  it("only on a terminal, and not when NO_COLOR is set to anything but the empty string", () => {
    expect(colorsWanted({ isTTY: true }, {})).toBe(true)
    expect(colorsWanted({ isTTY: true }, { NO_COLOR: "" })).toBe(true)
    expect(colorsWanted({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    expect(colorsWanted({ isTTY: false }, {})).toBe(false)
    expect(colorsWanted({}, {})).toBe(false)
  })

  it("stripStyles removes the styles and keeps the text", () => {
    expect(
      stripStyles("\u001b[0;1m\u001b[0;37;1mscenario-training\u001b[0;1m\u001b[0m\n\u001b[0;90;1m<folder>\u001b[0m")
    )
      .toBe("scenario-training\n<folder>")
  })
})

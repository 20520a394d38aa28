import { colorsWanted, escapeControl, jsonText, plainConsole, stripStyles } from "@effect-scenario/kernel/Terminal"
import { describe, expect, it } from "vitest"

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

describe("plainConsole", () => {
  const recording = () => {
    const lines: Array<[string, ReadonlyArray<unknown>]> = []
    const method = (name: string) => (...parts: ReadonlyArray<unknown>) => {
      lines.push([name, parts])
      return name
    }
    return {
      lines,
      console: { log: method("log"), info: method("info"), error: method("error"), warn: method("warn"), other: 1 }
    }
  }
  const styled = "\u001b[0;1m\u001b[0;37;1mUSAGE\u001b[0m plain"

  it("strips styles from the string arguments of the streams that want none, and keeps what the methods return", () => {
    const { console, lines } = recording()
    const plain = plainConsole(console, { stdout: { isTTY: false }, stderr: { isTTY: true }, env: {} })
    expect(plain.log(styled, 3)).toBe("log")
    plain.info(styled)
    plain.error(styled)
    plain.warn(styled)
    expect(plain.other).toBe(1)
    expect(lines).toEqual([
      ["log", ["USAGE plain", 3]],
      ["info", ["USAGE plain"]],
      ["error", [styled]],
      ["warn", [styled]]
    ])
  })

  it("NO_COLOR makes both streams plain; two terminals without it leave the console as it is", () => {
    const { console, lines } = recording()
    const tty = { isTTY: true }
    expect(plainConsole(console, { stdout: tty, stderr: tty, env: {} })).toBe(console)
    const plain = plainConsole(console, { stdout: tty, stderr: tty, env: { NO_COLOR: "1" } })
    plain.log(styled)
    plain.error(styled)
    expect(lines).toEqual([["log", ["USAGE plain"]], ["error", ["USAGE plain"]]])
  })
})

describe("escapeControl: the edges of each range", () => {
  it("each bound is escaped, the character past it is not", () => {
    expect(escapeControl("\u0000\u001f\u007f\u0080\u009f")).toBe("\\x00\\x1f\\x7f\\x80\\x9f")
    expect(escapeControl("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")).toBe(
      "\\u2028\\u2029\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069"
    )
    const kept = " ~\u00a0\u00ff\u0100\u2027\u202f\u2065\u206a\ufeff"
    expect(escapeControl(kept)).toBe(kept)
  })
})

describe("jsonText: the exact text", () => {
  it("indented by two, with what JSON leaves raw written as \\u escapes, C0 as JSON writes it", () => {
    expect(jsonText({ a: ["\u007f\u009f", "\u2028\u2029\u202a\u202e\u2066\u2069", "\u0001\n"], b: 1 })).toBe(
      "{\n  \"a\": [\n    \"\\u007f\\u009f\",\n    \"\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069\",\n    \"\\u0001\\n\"\n  ],\n  \"b\": 1\n}"
    )
    const kept = { text: " ~\u00a0\u00ff\u2027\u202f\u2065\u206aé" }
    expect(jsonText(kept)).toBe(JSON.stringify(kept, null, 2))
  })
})

describe("stripStyles: every CSI sequence", () => {
  it("with no parameters, private ones, and any final letter; other text left", () => {
    expect(stripStyles("\u001b[ma\u001b[?25lb\u001b[2Jc\u001b[10;20Hd\u001b[1Ae")).toBe("abcde")
    expect(stripStyles("\u001b]0;title\u0007x")).toBe("\u001b]0;title\u0007x")
    expect(stripStyles("[1m plain")).toBe("[1m plain")
  })
})

describe("plainConsole: every method of each stream", () => {
  const recording = () => {
    const lines: Array<[string, ReadonlyArray<unknown>]> = []
    const method = (name: string) => (...parts: ReadonlyArray<unknown>) => {
      lines.push([name, parts])
    }
    const names = ["log", "info", "debug", "error", "warn", "trace", "table"]
    return { lines, console: Object.fromEntries(names.map((name) => [name, method(name)])) }
  }
  const styled = "\u001b[1mbold\u001b[0m"

  it("log, info and debug go to stdout; error, warn and trace to stderr; others are left", () => {
    for (
      const [stdout, stderr, plainOnes] of [
        [false, true, ["log", "info", "debug"]],
        [true, false, ["error", "warn", "trace"]],
        [false, false, ["log", "info", "debug", "error", "warn", "trace"]]
      ] as const
    ) {
      const { console, lines } = recording()
      const plain = plainConsole(console, { stdout: { isTTY: stdout }, stderr: { isTTY: stderr }, env: {} })
      for (const name of ["log", "info", "debug", "error", "warn", "trace", "table"]) {
        ;(plain[name] as (...parts: ReadonlyArray<unknown>) => void)(styled)
      }
      expect(lines).toEqual(
        ["log", "info", "debug", "error", "warn", "trace", "table"].map((name) => [
          name,
          [(plainOnes as ReadonlyArray<string>).includes(name) ? "bold" : styled]
        ])
      )
    }
  })

  it("a method the console lacks is not made up", () => {
    const plain = plainConsole({ log: () => "logged" }, { stdout: {}, stderr: {}, env: {} })
    expect(Object.keys(plain)).toEqual(["log"])
  })
})

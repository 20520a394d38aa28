import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { parsePairs } from "../src/internal/pairsFile.js"

describe("pairs files: the rules of each line", () => {
  it("JSON is known by the name's ending in any case; any other name is read as CSV", () => {
    const text = "[{\"source\":\"a.png\",\"target\":\"b.png\",\"instruction\":\"blue\"}]"
    expect(parsePairs("PAIRS.JSON", text)).toEqual(
      Either.right([{ source: "a.png", target: "b.png", instruction: "blue" }])
    )
    // The same text in a file not named .json is CSV: its first cell holds a quote in the middle.
    const asCsv = parsePairs("pairs.txt", text)
    expect(Either.isLeft(asCsv) && asCsv.left.startsWith("pairs.txt: not valid CSV (")).toBe(true)
    // `.json` must end the name.
    expect(parsePairs("p.json.csv", "a.png,b.png\n")).toEqual(Either.right([{ source: "a.png", target: "b.png" }]))
  })

  it("JSON errors: the message of the parser, the path of each issue, (root) for the whole value", () => {
    const broken = parsePairs("p.json", "[{")
    expect(broken).toEqual(Either.left(`p.json: not valid JSON (${messageOf("[{")})`))
    const root = parsePairs("p.json", "{}")
    expect(
      Either.isLeft(root) &&
        root.left.startsWith("p.json: expected an array of { source, target, instruction? }: (root): ")
    )
      .toBe(true)
    const two = parsePairs(
      "p.json",
      "[{\"source\":\"a.png\",\"target\":\"b.png\"},{\"source\":1,\"target\":\"c.png\"}]"
    )
    expect(
      Either.isLeft(two) &&
        two.left.startsWith("p.json: expected an array of { source, target, instruction? }: 1.source: ")
    )
      .toBe(true)
    // The first issue found is the one told.
    const both = parsePairs("p.json", "[{\"target\":\"b.png\"},{\"source\":\"a.png\"}]")
    expect(both).toEqual(
      Either.left("p.json: expected an array of { source, target, instruction? }: 0.source: is missing")
    )
  })

  it("JSON: a new array each time (the decoded one is not handed out)", () => {
    const parsed = parsePairs("p.json", "[]")
    expect(parsed).toEqual(Either.right([]))
    expect(Either.isRight(parsed) && Array.isArray(parsed.right)).toBe(true)
  })

  it("CSV: the header row is skipped in any case, only as the first row, only with both names", () => {
    expect(parsePairs("p.csv", "SOURCE,Target\na.png,b.png\n")).toEqual(
      Either.right([{ source: "a.png", target: "b.png" }])
    )
    // Not first: a pair like any other.
    expect(parsePairs("p.csv", "a.png,b.png\nsource,target\n")).toEqual(Either.right([
      { source: "a.png", target: "b.png" },
      { source: "source", target: "target" }
    ]))
    // Only one of the two names: a pair.
    expect(parsePairs("p.csv", "source,b.png\n")).toEqual(Either.right([{ source: "source", target: "b.png" }]))
    expect(parsePairs("p.csv", "a.png,target\n")).toEqual(Either.right([{ source: "a.png", target: "target" }]))
    // A first row of one field is no header, and no pair.
    expect(parsePairs("p.csv", "source\n")).toEqual(Either.left("p.csv: line 1: expected source,target[,instruction]"))
  })

  it("CSV: a pair without an instruction has no instruction property at all", () => {
    const parsed = parsePairs("p.csv", "a.png,b.png\n")
    expect(Either.isRight(parsed) && parsed.right).toStrictEqual([{ source: "a.png", target: "b.png" }])
    expect(Either.isRight(parsed) && Object.keys(parsed.right[0]!)).toEqual(["source", "target"])
  })

  it("CSV: blank lines and comments are left out, cells are trimmed, an empty instruction is none", () => {
    const text = "\n# a comment\n  a.png ,  b.png  , make it blue \n\nc.png,d.png,\n"
    expect(parsePairs("p.csv", text)).toEqual(Either.right([
      { source: "a.png", target: "b.png", instruction: "make it blue" },
      { source: "c.png", target: "d.png" }
    ]))
  })

  it("CSV: rows of different lengths are read, and each wrong row names its line", () => {
    expect(parsePairs("p.csv", "a.png,b.png\nc.png,d.png,x\n")).toEqual(Either.right([
      { source: "a.png", target: "b.png" },
      { source: "c.png", target: "d.png", instruction: "x" }
    ]))
    const wrong = (line: number) => Either.left(`p.csv: line ${line}: expected source,target[,instruction]`)
    expect(parsePairs("p.csv", "a.png,b.png\nc.png\n")).toEqual(wrong(2))
    expect(parsePairs("p.csv", "a.png,b.png\nc.png,\n")).toEqual(wrong(2))
    expect(parsePairs("p.csv", ",b.png\n")).toEqual(wrong(1))
    expect(parsePairs("p.csv", "a.png,b.png,x,y\n")).toEqual(wrong(1))
  })
})

const messageOf = (text: string): string => {
  try {
    JSON.parse(text)
    return ""
  } catch (error) {
    return (error as Error).message
  }
}

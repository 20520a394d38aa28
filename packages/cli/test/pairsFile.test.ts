import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { parsePairs } from "../src/internal/pairsFile.js"

describe("pairs files", () => {
  it("CSV: an optional header, quoted instructions, an optional instruction, comments", () => {
    const text = "source,target,instruction\n# chained\na.png,b.png,\"make it blue, then red\"\nc.png,d.png\n"
    expect(parsePairs("pairs.csv", text)).toEqual(Either.right([
      { source: "a.png", target: "b.png", instruction: "make it blue, then red" },
      { source: "c.png", target: "d.png" }
    ]))
    expect(parsePairs("p.csv", "a.png,b.png,x,extra\n")).toEqual(
      Either.left("p.csv: line 1: expected source,target[,instruction]")
    )
    expect(Either.isLeft(parsePairs("p.csv", "a.png,\"unterminated\n"))).toBe(true)
  })

  it("JSON: an array of { source, target, instruction? }, errors by path", () => {
    expect(parsePairs("p.json", "[{\"source\":\"a.png\",\"target\":\"b.png\"}]")).toEqual(
      Either.right([{ source: "a.png", target: "b.png" }])
    )
    const wrong = parsePairs("p.json", "[{\"source\":\"a.png\"}]")
    expect(wrong).toEqual(
      Either.left("p.json: expected an array of { source, target, instruction? }: 0.target: is missing")
    )
    const broken = parsePairs("p.json", "[{")
    expect(Either.isLeft(broken) && broken.left.startsWith("p.json: not valid JSON")).toBe(true)
  })
})

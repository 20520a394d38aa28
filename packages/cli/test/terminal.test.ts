import { describe, expect, it } from "@effect/vitest"
import { Console, Effect } from "effect"
import { withStylesWhereWanted } from "../src/internal/terminal.js"

const BOLD = "\u001b[1mbold\u001b[0m"

/** Runs `effect` with a console that keeps what is written to stdout and stderr. */
const captured = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const out: Array<string> = []
    const err: Array<string> = []
    const base = yield* Effect.console
    const console = {
      ...base,
      log: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void out.push(parts.join(" "))),
      error: (...parts: ReadonlyArray<unknown>) => Effect.sync(() => void err.push(parts.join(" ")))
    }
    yield* Effect.withConsole(effect, console)
    return { out, err }
  })

const styled = Effect.zipRight(Console.log(BOLD), Console.error(BOLD))

describe("the command line's console", () => {
  it.effect("styles are dropped on each stream that is no terminal, kept on a terminal", () =>
    Effect.gen(function*() {
      const piped = yield* captured(
        withStylesWhereWanted(styled, { stdout: { isTTY: false }, stderr: { isTTY: true }, env: {} })
      )
      expect(piped).toEqual({ out: ["bold"], err: [BOLD] })
      const terminal = yield* captured(
        withStylesWhereWanted(styled, { stdout: { isTTY: true }, stderr: {}, env: {} })
      )
      expect(terminal).toEqual({ out: [BOLD], err: ["bold"] })
    }))

  it.effect("NO_COLOR drops them on a terminal too", () =>
    Effect.gen(function*() {
      const plain = yield* captured(
        withStylesWhereWanted(styled, { stdout: { isTTY: true }, stderr: { isTTY: true }, env: { NO_COLOR: "1" } })
      )
      expect(plain).toEqual({ out: ["bold"], err: ["bold"] })
    }))

  it.effect("by default, the process's streams and environment decide", () =>
    Effect.gen(function*() {
      const before = process.env.NO_COLOR
      process.env.NO_COLOR = "1"
      const plain = yield* captured(withStylesWhereWanted(styled)).pipe(
        Effect.ensuring(Effect.sync(() => {
          if (before === undefined) delete process.env.NO_COLOR
          else process.env.NO_COLOR = before
        }))
      )
      expect(plain).toEqual({ out: ["bold"], err: ["bold"] })
    }))
})

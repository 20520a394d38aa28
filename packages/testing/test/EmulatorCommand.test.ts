/**
 * `EmulatorCommand`, the `scenario-emulator` command for an `@effect/cli` application: built from the emulator
 * package's flags, it parses as the command line does and serves the same emulator.
 */
import * as EmulatorCommand from "@effect-scenario/emulator/Command"
import * as Wrapper from "@effect-scenario/testing/EmulatorCommand"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Net from "node:net"

const argv = (...args: ReadonlyArray<string>) => ["node", "scenario-emulator", ...args]

describe("EmulatorCommand", () => {
  it.live("refuses a bad value with the emulator's message", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Wrapper.run(argv("--fault-rate", "2")))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(JSON.stringify(exit)).toContain("--fault-rate expects a number from 0 to 1, got 2")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.live("serves the emulator until interrupted, with the arguments parsed as the command line parses them", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const fiber = yield* Effect.fork(
        Wrapper.run(argv("--port", "0", "--model", "model_w", "--list-lag", "2s")).pipe(
          Effect.withConsole({
            ...globalThis.console,
            log: (...args: ReadonlyArray<unknown>) => Effect.sync(() => lines.push(args.join(" ")))
          } as never)
        )
      )
      const baseUrl = yield* Effect.promise(async () => {
        for (let i = 0; i < 200; i++) {
          const match = /listening on (\S+)/.exec(lines.join("\n"))
          if (match !== null) return match[1]!
          await new Promise((resolve) => setTimeout(resolve, 25))
        }
        throw new Error(`no banner in ${lines.join("\n")}`)
      })
      expect(lines.join("\n")).toContain("List lag: an added image is listed 2000 ms after its add")
      const response = yield* Effect.promise(() =>
        fetch(`${baseUrl}/models/model_w`, { headers: { authorization: "Bearer emulator-token" } })
      )
      expect(response.status).toBe(200)
      yield* Fiber.interrupt(fiber)
      expect(lines.at(-1)).toBe("Scenario emulator stopped")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.live("fails with EmulatorStartError, its message one line, when the port is taken", () =>
    Effect.gen(function*() {
      const server = Net.createServer()
      yield* Effect.promise(() => new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve)))
      const port = (server.address() as Net.AddressInfo).port
      const error = yield* Effect.flip(
        Wrapper.run(argv("--port", String(port))).pipe(Effect.withConsole({
          ...globalThis.console,
          error: () => Effect.void
        } as never))
      )
      server.close()
      expect(error).toBeInstanceOf(Wrapper.EmulatorStartError)
      expect((error as Wrapper.EmulatorStartError).message).toBe(`port ${port} is already in use`)
    }).pipe(Effect.provide(NodeContext.layer)))

  it("has the emulator command's flags", () => {
    expect(JSON.stringify(Wrapper.command.descriptor)).toContain("fault-rate")
    for (const flag of EmulatorCommand.FLAGS) expect(JSON.stringify(Wrapper.command.descriptor)).toContain(flag.name)
  })
})

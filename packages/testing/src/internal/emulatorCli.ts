import * as EmulatorCommand from "@effect-scenario/emulator/Command"
import * as Command from "@effect/cli/Command"
import * as HelpDoc from "@effect/cli/HelpDoc"
import * as Options from "@effect/cli/Options"
import * as ValidationError from "@effect/cli/ValidationError"
import * as Console from "effect/Console"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Runtime from "effect/Runtime"
import { withDefaultShown, withPlainTextUnlessColor } from "./cliText.js"
import { VERSION } from "./version.js"

/**
 * The `scenario-emulator` command as an `@effect/cli` command, for embedding as a subcommand: its flags, their
 * defaults and their checks are the emulator package's (`Command.FLAGS`), serving is its `Command.serve`.
 */

/** @internal */
export type Arguments = EmulatorCommand.Arguments

// One flag of the emulator's table as an option of `@effect/cli`: the same name, type, help, default and check.
const option = (flag: EmulatorCommand.Flag): Options.Options<unknown> => {
  const base = flag.type === "integer"
    ? Options.integer(flag.name)
    : flag.type === "float"
    ? Options.float(flag.name)
    : Options.text(flag.name)
  const read = (value: string | number) => {
    const result = flag.read(String(value))
    return result._tag === "Ok"
      ? Effect.succeed(result.value)
      : Effect.fail(ValidationError.invalidValue(HelpDoc.p(result.message)))
  }
  const described = Options.withDescription(base as Options.Options<string | number>, flag.description)
  return flag.repeated
    ? described.pipe(
      Options.repeated,
      // Optional, so that the usage line shows it so: none given is the default.
      Options.optional,
      Options.withDescription(`Default: ${flag.shown}.`),
      Options.mapEffect((values): Effect.Effect<unknown, ValidationError.ValidationError> =>
        values._tag === "Some" && values.value.length > 0
          ? Effect.forEach(values.value, read)
          : Effect.succeed(flag.default)
      )
    )
    : described.pipe(Options.mapEffect(read), withDefaultShown<unknown>(flag.default, flag.shown))
}

// Each field of `Arguments` parsed by its flag's option: the command's config is `Arguments` itself.
const config: Readonly<Record<string, Options.Options<unknown>>> = Object.fromEntries(
  EmulatorCommand.FLAGS.map((flag) => [flag.key, option(flag)])
)

/** @internal */
export class EmulatorStartError extends Data.TaggedError("EmulatorStartError")<{ readonly message: string }> {}

/** @internal */
export const serve = (args: Arguments): Effect.Effect<never, EmulatorStartError> =>
  Effect.gen(function*() {
    const runtime = yield* Effect.runtime<never>()
    const log = (line: string) => Runtime.runSync(runtime)(Console.log(line))
    yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => EmulatorCommand.serve(args, log),
        catch: (error) =>
          new EmulatorStartError({
            message: error instanceof EmulatorCommand.StartError ? error.message : String(error)
          })
      }),
      (running) => Effect.promise(() => running.close()).pipe(Effect.zipRight(Console.log("Scenario emulator stopped")))
    )
    return yield* Effect.never
  }).pipe(Effect.scoped)

/** @internal */
export const command: Command.Command<"scenario-emulator", never, EmulatorStartError, Arguments> = Command.make(
  "scenario-emulator",
  config,
  (args) => serve(args as unknown as Arguments)
).pipe(
  Command.withDescription("A local HTTP emulator of Scenario's training-images API, until Ctrl-C or SIGTERM.")
) as unknown as Command.Command<"scenario-emulator", never, EmulatorStartError, Arguments>

/** @internal */
export const run = (argv: ReadonlyArray<string>) =>
  Command.run(command, { name: EmulatorCommand.NAME, version: VERSION })(argv).pipe(
    Effect.tapErrorTag("EmulatorStartError", (error) => Console.error(error.message)),
    withPlainTextUnlessColor
  )

import * as EmulatorInspector from "@effect-scenario/emulator/Inspector"
import * as Server from "@effect-scenario/emulator/Server"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as HttpServerError from "effect/http/HttpServerError"
import * as Option from "effect/Option"
import * as Result from "effect/Result"
import type * as Scope from "effect/Scope"
import * as Credentials from "../../Credentials.js"
import type * as TrainingImagesError from "../../TrainingImagesError.js"
import * as Validate from "../../Validate.js"
import * as Fault from "../Fault.js"
import type * as ScenarioEmulator from "../ScenarioEmulator.js"
import { statusHeaders } from "./fault.js"
import * as Inspector from "./inspector.js"
import { checkSeed, DEFAULT_MAX_SEED_IMAGES, type InvalidSeedError } from "./seed.js"

// The line's validators (`Validate`), the very ones its client runs, as the server's verdicts.
const verdict = <A>(
  validate: (input: unknown) => Result.Result<A, TrainingImagesError.InvalidRequestError>
) =>
(input: unknown): Server.Validated<A> => {
  const result = validate(input)
  return Result.isSuccess(result)
    ? { _tag: "Valid", params: result.success }
    : { _tag: "Invalid", issues: result.failure.issues }
}

const validators: Server.Validators = {
  add: verdict(Validate.add),
  replace: verdict(Validate.replace),
  replacePairs: verdict(Validate.replacePairs),
  delete: verdict(Validate.delete),
  list: verdict(Validate.list)
}

const answerOf = (fault: Fault.Fault): Server.Answer => {
  switch (fault._tag) {
    case "StatusFault":
      return {
        _tag: "Status",
        status: fault.status,
        body: fault.body,
        headers: statusHeaders(fault),
        afterApply: fault.afterApply
      }
    case "DelayFault":
      return { _tag: "Delay", millis: Duration.toMillis(fault.duration), afterApply: fault.afterApply }
    case "DropFault":
      return { _tag: "Drop", afterApply: fault.afterApply }
  }
}

const controlCall = (action: string, body: string): Server.ControlCall<Fault.Fault> =>
  EmulatorInspector.controlCall(action, body, Inspector.faultOf)

const millisOf = (lag: Duration.Input | undefined): number => lag === undefined ? 0 : Duration.toMillis(lag)

/**
 * The emulator package's server (plain `node:http`) for the scope, its controls as Effects: seeds checked
 * into `InvalidSeedError`, a failure to listen as `ServeError`, the requests validated by `Validate` (the
 * client's own checks), `onRequest` run before each answer.
 *
 * @internal
 */
export const make = (
  options: ScenarioEmulator.Options & {
    readonly apiKey: string
    readonly apiSecret: string
    readonly bearerToken: string
  }
): Effect.Effect<ScenarioEmulator.Control, HttpServerError.ServeError | InvalidSeedError, Scope.Scope> =>
  Effect.gen(function*() {
    const maxSeedImages = options.maxSeedImages ?? DEFAULT_MAX_SEED_IMAGES
    const models = yield* checkSeed(options.models ?? {}, maxSeedImages)
    const context = yield* Effect.context<never>()
    const runPromise = Effect.runPromiseWith(context)
    const runFork = Effect.runForkWith(context)
    const onRequest = options.onRequest
    const running = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () =>
          Server.start<Fault.Fault>({
            host: options.host,
            port: options.port,
            apiKey: options.apiKey,
            apiSecret: options.apiSecret,
            bearerToken: options.bearerToken,
            models,
            faults: options.faults,
            downloadPort: options.downloadPort,
            listLagMillis: millisOf(options.listLag),
            maxBodySize: options.maxBodySize,
            maxSeedBytes: options.maxSeedBytes,
            maxSeedImages,
            maxEventStreams: options.maxEventStreams,
            inspector: options.inspector,
            validators,
            kindOf: Fault.kind,
            answerOf,
            controlCall,
            onRequest: onRequest === undefined ?
              undefined :
              (request) => runPromise(onRequest(request as ScenarioEmulator.RecordedRequest)),
            onError: (error) => {
              runFork(Effect.logError("ScenarioEmulator: a request failed", Cause.die(error)))
            }
          }),
        catch: (cause) => new HttpServerError.ServeError({ cause })
      }),
      (running) => Effect.promise(() => running.close())
    )
    // The server's controls are synchronous, each one atomic between fibers.
    const control = running.control
    return {
      baseUrl: running.url,
      inspectorUrl: running.inspectorUrl,
      host: running.host,
      port: running.port,
      downloadUrl: running.downloadUrl,
      credentials: Credentials.basic(options.apiKey, options.apiSecret),
      bearerCredentials: Credentials.bearer(options.bearerToken),
      snapshot: Effect.sync(() => control.snapshot()),
      model: (modelId) => Effect.sync(() => Option.fromNullishOr(control.model(modelId))),
      seed: (seed) =>
        Effect.flatMap(checkSeed(seed, maxSeedImages), (checked) => Effect.sync(() => control.seed(checked))),
      requests: Effect.sync(() => control.requests() as ReadonlyArray<ScenarioEmulator.RecordedRequest>),
      downloads: Effect.sync(() => control.downloads()),
      failNextDownloads: (count) => Effect.sync(() => control.failNextDownloads(count)),
      failNext: (count, fault, failOptions) =>
        Effect.sync(() => control.failNext(count, fault, failOptions?.operation)),
      setFaults: (faults) => Effect.sync(() => control.setFaults(faults)),
      faultCounts: Effect.sync(() => control.faultCounts()),
      setListLag: (lag) => Effect.sync(() => control.setListLag(millisOf(lag))),
      reset: Effect.sync(() => control.reset())
    }
  })

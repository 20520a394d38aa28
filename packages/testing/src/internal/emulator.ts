import { Credentials } from "@effect-scenario/core"
import * as EmulatorInspector from "@effect-scenario/emulator/Inspector"
import * as Server from "@effect-scenario/emulator/Server"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Runtime from "effect/Runtime"
import type * as Scope from "effect/Scope"
import * as Fault from "../Fault.js"
import type * as ScenarioEmulator from "../ScenarioEmulator.js"
import { statusHeaders } from "./fault.js"
import * as Inspector from "./inspector.js"
import { checkSeed, DEFAULT_MAX_SEED_IMAGES, type InvalidSeedError } from "./seed.js"

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

/**
 * The emulator package's server (plain `node:http`) for the scope, its controls as Effects: seeds checked
 * into `InvalidSeedError`, a failure to listen as `ServeError`, the requests validated by the kernel's checks
 * (whose messages are core's validators', checked by a test), `onRequest` run before each answer.
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
    const runtime = yield* Effect.runtime<never>()
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
            listLagMillis: options.listLag === undefined ? 0 : Duration.toMillis(Duration.decode(options.listLag)),
            maxBodySize: options.maxBodySize,
            maxSeedBytes: options.maxSeedBytes,
            maxSeedImages,
            maxEventStreams: options.maxEventStreams,
            inspector: options.inspector,
            kindOf: Fault.kind,
            answerOf,
            controlCall,
            onRequest: onRequest === undefined ?
              undefined :
              (request) => Runtime.runPromise(runtime)(onRequest(request as ScenarioEmulator.RecordedRequest)),
            onError: (error) =>
              Runtime.runFork(runtime)(Effect.logError("ScenarioEmulator: a request failed", Cause.die(error)))
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
      model: (modelId) => Effect.sync(() => Option.fromNullable(control.model(modelId))),
      seed: (seed) =>
        Effect.flatMap(checkSeed(seed, maxSeedImages), (checked) => Effect.sync(() => control.seed(checked))),
      requests: Effect.sync(() => control.requests() as ReadonlyArray<ScenarioEmulator.RecordedRequest>),
      downloads: Effect.sync(() => control.downloads()),
      failNextDownloads: (count) => Effect.sync(() => control.failNextDownloads(count)),
      failNext: (count, fault, failOptions) =>
        Effect.sync(() => control.failNext(count, fault, failOptions?.operation)),
      setFaults: (faults) => Effect.sync(() => control.setFaults(faults)),
      faultCounts: Effect.sync(() => control.faultCounts()),
      setListLag: (lag) =>
        Effect.sync(() => control.setListLag(lag === undefined ? 0 : Duration.toMillis(Duration.decode(lag)))),
      reset: Effect.sync(() => control.reset())
    }
  })

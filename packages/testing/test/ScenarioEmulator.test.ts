// The Effect 3 line's runner of the emulator's scripts (`contract/emulator.ts`, shared with the Effect 4 line):
// the emulator and core's client over undici behind the plain driver the scripts run on; then the hooks and
// controls the scripts do not reach (onRequest, listLag).
import { Credentials, RetryPolicy, TrainingImages } from "@effect-scenario/core"
import * as RawRequest from "@effect-scenario/test-support/rawRequest"
import type { TrainingImagesTest } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { HttpClient } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, expect, layer } from "@effect/vitest"
import { Cause, Duration, Effect, Layer, Logger } from "effect"
import * as Script from "../../../contract/emulator.js"
import { toFault } from "./contract/runner.js"

const Emulator = ScenarioEmulator.layer({
  ...Script.SHARED,
  models: Script.SHARED.models as TrainingImagesTest.Seed
})

// Core's client over undici to the emulator; a step that asks for a backoff or a timeout sets its own.
const Client = ScenarioEmulator.layerTrainingImages({ retryPolicy: RetryPolicy.none }).pipe(
  Layer.provide(NodeHttpClient.layerUndici)
)

const MODEL = Script.MODEL

// Core's client of `emulator`, over the HttpClient of the test's layer.
const clientOf = (emulator: ScenarioEmulator.Control) =>
  Effect.flatMap(
    HttpClient.HttpClient,
    (httpClient) =>
      TrainingImages.make({
        baseUrl: emulator.baseUrl,
        credentials: emulator.credentials,
        retryPolicy: RetryPolicy.none
      })
        .pipe(Effect.provideService(HttpClient.HttpClient, httpClient))
  )

const credentialsOf = (emulator: ScenarioEmulator.Control, spec: Script.ClientCredentials) =>
  spec === "layer"
    ? emulator.credentials
    : spec === "bearer"
    ? emulator.bearerCredentials
    : "basic" in spec
    ? Credentials.basic(...spec.basic)
    : Credentials.bearer(spec.bearer)

const callOptions = (step: Script.CallStep) =>
  TrainingImages.withRequestOptions({
    ...(step.backoff === undefined ? {} : {
      retryPolicy: RetryPolicy.make({
        initialDelay: Duration.millis(step.backoff.delayMs),
        maxDelay: Duration.millis(step.backoff.delayMs),
        jitter: false
      })
    }),
    ...(step.timeoutMs === undefined ? {} : { timeout: Duration.millis(step.timeoutMs) })
  })

/** The driver of a script: `layerClient` serves the steps with no credentials of their own. */
const driver = (
  emulator: ScenarioEmulator.Control,
  layerClient: TrainingImages.Service | undefined,
  config: Script.EmulatorConfig
) =>
  Effect.map(HttpClient.HttpClient, (httpClient) => {
    const client = (spec: Script.ClientCredentials) =>
      spec === "layer" && layerClient !== undefined
        ? Effect.succeed(layerClient)
        : TrainingImages.make({
          baseUrl: emulator.baseUrl,
          credentials: credentialsOf(emulator, spec),
          retryPolicy: RetryPolicy.none
        }).pipe(Effect.provideService(HttpClient.HttpClient, httpClient))
    return Script.driverOf(emulator, config, {
      run: Effect.runPromise,
      toFault,
      send: RawRequest.send,
      millis: Duration.toMillis,
      defaults: [ScenarioEmulator.DEFAULT_API_KEY, ScenarioEmulator.DEFAULT_API_SECRET],
      call: (step) =>
        Effect.runPromise(Effect.flatMap(client(step.credentials ?? "layer"), (service) => {
          const call = (service[step.operation] as (params: unknown) => Effect.Effect<unknown, unknown>)(step.params)
          return Effect.match(callOptions(step)(call), {
            onSuccess: (ok) => ({ ok }),
            onFailure: (error) => ({ error })
          })
        }))
    })
  })

const equal: Script.Equal = (actual, expected, label) => expect(actual, label).toEqual(expected)

describe("ScenarioEmulator", () => {
  layer(Layer.provideMerge(Client, Layer.merge(Emulator, NodeHttpClient.layerUndici)), { excludeTestServices: true })(
    (it) => {
      for (const script of Script.scripts.filter((script) => script.emulator === undefined)) {
        it.effect(script.name, () =>
          Effect.gen(function*() {
            const emulator = yield* ScenarioEmulator.ScenarioEmulator
            const steps = yield* driver(emulator, yield* TrainingImages.TrainingImages, Script.SHARED)
            yield* Effect.promise(() => Script.runScript(script, steps, equal))
          }))
      }
    }
  )

  describe("lifecycle", () => {
    layer(NodeHttpClient.layerUndici, { excludeTestServices: true })((it) => {
      it.effect("two emulators get two free ports; a closed one refuses connections", () =>
        Effect.gen(function*() {
          const { models } = Script.closedEmulator
          const [first, second] = yield* Effect.all([
            ScenarioEmulator.make({ models }),
            ScenarioEmulator.make({ models })
          ]).pipe(Effect.scoped)
          expect(first.port).not.toBe(second.port)
          const images = yield* clientOf(first)
          const error = yield* Effect.flip(images.list({ modelId: MODEL }))
          assert(error._tag === Script.closedEmulator.tag)
          expect(error.mayHaveReachedServer).toBe(Script.closedEmulator.mayHaveReachedServer)
        }))

      for (const script of Script.scripts.filter((script) => script.emulator !== undefined)) {
        const config = script.emulator!
        it.effect(script.name, () =>
          Effect.gen(function*() {
            const emulator = yield* ScenarioEmulator.make({
              ...config,
              models: config.models as TrainingImagesTest.Seed
            })
            const steps = yield* driver(emulator, undefined, config)
            yield* Effect.promise(() => Script.runScript(script, steps, equal))
          }).pipe(Effect.scoped))
      }

      it.effect("onRequest is given each request as recorded, before the client has its answer", () =>
        Effect.gen(function*() {
          const seen: Array<ScenarioEmulator.RecordedRequest> = []
          const emulator = yield* ScenarioEmulator.make({
            models: Script.onRequestSeen.models,
            onRequest: (request) => Effect.sync(() => seen.push(request))
          })
          const images = yield* clientOf(emulator)
          yield* images.add({ modelId: MODEL, assetId: Script.onRequestSeen.added })
          expect(seen.map((r) => [r.operation, r.status])).toEqual(Script.onRequestSeen.afterAdd)
          yield* Effect.flip(images.list({ modelId: Script.onRequestSeen.missingModel }))
          expect(seen.map((r) => [r.operation, r.status])).toEqual(Script.onRequestSeen.afterList)
          expect(seen).toEqual(yield* emulator.requests)
        }).pipe(Effect.scoped))

      it.effect("a defect in onRequest is logged with its cause, never thrown: the request is answered 500", () =>
        Effect.gen(function*() {
          const logged: Array<{ readonly level: string; readonly message: unknown; readonly cause: string }> = []
          const logger = Logger.make((options) => {
            logged.push({ level: options.logLevel.label, message: options.message, cause: Cause.pretty(options.cause) })
          })
          const emulator = yield* ScenarioEmulator.make({
            models: Script.hookDefect.models,
            onRequest: () => Effect.die(new Error(Script.hookDefect.defect))
          }).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
          const answer = yield* Effect.tryPromise(() =>
            RawRequest.send(emulator, {
              ...Script.hookDefect.request,
              authorization: RawRequest.basic(ScenarioEmulator.DEFAULT_API_KEY, ScenarioEmulator.DEFAULT_API_SECRET)
            })
          )
          expect([answer.status, JSON.parse(answer.body)]).toEqual([Script.hookDefect.status, Script.hookDefect.body])
          expect(logged.length).toBeGreaterThan(0)
          for (const entry of logged) {
            expect(entry.level).toBe("ERROR")
            expect(entry.message).toEqual([Script.hookDefect.logged])
            expect(entry.cause).toContain(Script.hookDefect.defect)
          }
        }).pipe(Effect.scoped))

      it.effect("listLag keeps an added image off the list, not out of the snapshot; setListLag and reset change it", () =>
        Effect.gen(function*() {
          const lag = Script.listLagControls
          const emulator = yield* ScenarioEmulator.make({ models: lag.models, listLag: Duration.millis(lag.lagMs) })
          const images = yield* clientOf(emulator)
          const listedNames = Effect.map(
            images.list({ modelId: MODEL }),
            (model) => model.trainingImages.map((image) => image.name)
          )
          yield* images.add({ modelId: MODEL, assetId: lag.added })
          expect(yield* listedNames).toEqual(lag.listedLagging)
          expect((yield* emulator.snapshot).models[MODEL]?.trainingImages.map((image) => image.name)).toEqual(
            lag.stored
          )
          yield* emulator.setListLag(undefined)
          expect(yield* listedNames).toEqual(lag.listedOff)
          // Back to the lag it started with.
          yield* emulator.reset
          yield* images.add({ modelId: MODEL, assetId: lag.addedAfterReset })
          expect(yield* listedNames).toEqual(lag.listedAfterReset)
        }).pipe(Effect.scoped))
    })
  })
})

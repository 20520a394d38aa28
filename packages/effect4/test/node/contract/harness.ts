/**
 * What the contract cases need from a transport: the `TrainingImages` under test, and a way to seed models,
 * inspect what the server stored and saw, and inject faults, whatever sits behind it (the in-memory fake,
 * or the emulator behind a real HTTP transport).
 */
import { Context, Effect, Layer, Option } from "effect"
import type { HttpClient } from "effect/http"
import * as Credentials from "../../../src/Credentials.js"
import type * as Fault from "../../../src/testing/Fault.js"
import * as ScenarioEmulator from "../../../src/testing/ScenarioEmulator.js"
import * as TrainingImagesTest from "../../../src/testing/TrainingImagesTest.js"
import * as TrainingImages from "../../../src/TrainingImages.js"
import type * as TrainingImagesError from "../../../src/TrainingImagesError.js"

/** One request the server side saw. */
export interface Exchange {
  readonly operation: TrainingImagesError.Operation
  readonly fault: string | undefined
  readonly status: number | undefined
}

export interface Harness {
  /** Forgets every model, request and fault: each case starts from nothing. */
  readonly reset: Effect.Effect<void>
  readonly seed: (models: TrainingImagesTest.Seed) => Effect.Effect<void, TrainingImagesTest.InvalidSeedError>
  readonly model: (modelId: string) => Effect.Effect<Option.Option<TrainingImagesTest.ModelState>>
  readonly failNext: (
    count: number,
    fault: Fault.Fault,
    options?: { readonly operation?: TrainingImagesError.Operation }
  ) => Effect.Effect<void>
  /** The requests that reached the server (authenticated ones, for a server that authenticates). */
  readonly exchanges: Effect.Effect<ReadonlyArray<Exchange>>
  /** The same service with credentials the server refuses, when the transport authenticates at all. */
  readonly withWrongCredentials: Option.Option<TrainingImages.Service>
}

export class ContractHarness extends Context.Service<ContractHarness, Harness>()("contract/ContractHarness") {}

export interface Transport {
  readonly name: string
  /** Whether the server checks credentials, so that refused ones can be tested. */
  readonly authenticates: boolean
  readonly layer: Layer.Layer<TrainingImages.TrainingImages | ContractHarness, unknown>
}

const contextOf = (service: TrainingImages.Service, harness: Harness) =>
  Context.make(TrainingImages.TrainingImages, service).pipe(Context.add(ContractHarness, harness))

/** The in-memory fake, with its default options: the same defaults as the HTTP client. */
export const fake: Transport = {
  name: "in-memory fake (TrainingImagesTest)",
  authenticates: false,
  layer: Layer.effectContext(Effect.gen(function*() {
    const fake = yield* TrainingImagesTest.make()
    return contextOf(fake.service, {
      reset: fake.reset,
      seed: fake.seed,
      model: fake.model,
      failNext: fake.failNext,
      exchanges: Effect.map(
        fake.calls,
        (calls) => calls.map(({ fault, operation, status }) => ({ operation, fault, status }))
      ),
      withWrongCredentials: Option.none()
    })
  }))
}

/** The Effect 4 line's HTTP client, over the `HttpClient` given, to an emulator of its own. */
export const overEmulator = (name: string, httpClient: Layer.Layer<HttpClient.HttpClient>): Transport => ({
  name,
  authenticates: true,
  layer: Layer.effectContext(Effect.gen(function*() {
    const emulator = yield* ScenarioEmulator.make()
    const service = yield* TrainingImages.make({ baseUrl: emulator.baseUrl, credentials: emulator.credentials })
    const refused = yield* TrainingImages.make({
      baseUrl: emulator.baseUrl,
      credentials: Credentials.basic(ScenarioEmulator.DEFAULT_API_KEY, "not-the-secret")
    })
    return contextOf(service, {
      reset: emulator.reset,
      seed: emulator.seed,
      model: emulator.model,
      failNext: emulator.failNext,
      exchanges: Effect.map(
        emulator.requests,
        (requests) =>
          requests.flatMap(({ authenticated, fault, operation, status }) =>
            authenticated && operation !== undefined ? [{ operation, fault, status }] : []
          )
      ),
      withWrongCredentials: Option.some(refused)
    })
  })).pipe(Layer.provide(httpClient))
})

/**
 * The Effect 3 line's runner of the contract table (`contract/cases.ts`, shared with the Effect 4 line): each
 * case against a target, the in-memory fake or core's HTTP client over an `HttpClient` to the emulator.
 * `Contract.test.ts` here runs it over the fake and undici; platform-node's over each of its transports.
 */
import { Credentials, RetryPolicy, TrainingImages, TrainingSet } from "@effect-scenario/core"
import * as Png from "@effect-scenario/test-support/png"
import { Fault, TrainingImagesTest } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import type { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import type { Scope } from "effect"
import { Duration, Effect, Either, Layer, Option } from "effect"
import * as Contract from "../../../../contract/cases.js"

export interface Target {
  readonly service: TrainingImages.Service
  readonly wrongCredentials: Option.Option<TrainingImages.Service>
  readonly reset: Effect.Effect<void>
  readonly seed: (models: TrainingImagesTest.Seed) => Effect.Effect<void, TrainingImagesTest.InvalidSeedError>
  readonly model: (modelId: string) => Effect.Effect<Option.Option<TrainingImagesTest.ModelState>>
  readonly failNext: (
    count: number,
    fault: Fault.Fault,
    options?: { readonly operation?: Contract.Operation | undefined }
  ) => Effect.Effect<void>
  readonly requests: Effect.Effect<ReadonlyArray<Contract.Exchange>>
}

export const fake: Effect.Effect<Target, unknown> = Effect.map(TrainingImagesTest.make(), (fake) => ({
  service: fake.service,
  wrongCredentials: Option.none(),
  reset: fake.reset,
  seed: fake.seed,
  model: fake.model,
  failNext: fake.failNext,
  requests: Effect.map(fake.calls, (calls) => calls.map(Contract.exchange))
}))

export const overEmulator = (
  httpClient: Layer.Layer<HttpClient.HttpClient>
): Effect.Effect<Target, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const emulator = yield* ScenarioEmulator.make()
    const client = Layer.build(httpClient)
    const context = yield* client
    const make = (credentials: Credentials.Credentials) =>
      Effect.provide(TrainingImages.make({ baseUrl: emulator.baseUrl, credentials }), context)
    return {
      service: yield* make(emulator.credentials),
      wrongCredentials: Option.some(yield* make(Credentials.basic(ScenarioEmulator.DEFAULT_API_KEY, "not-the-secret"))),
      reset: emulator.reset,
      seed: emulator.seed,
      model: emulator.model,
      failNext: emulator.failNext,
      requests: Effect.map(emulator.requests, (requests) => requests.map(Contract.exchange))
    }
  })

export const toFault = (spec: Contract.FaultSpec): Fault.Fault => {
  switch (spec._tag) {
    case "Status":
      return Fault.status(spec.status, {
        retryAfter: spec.retryAfterMs === undefined ? undefined : Duration.millis(spec.retryAfterMs),
        retryAfterHeader: spec.retryAfterHeader,
        afterApply: spec.afterApply
      })
    case "Delay":
      return Fault.delay(Duration.millis(spec.ms), { afterApply: spec.afterApply })
    case "Drop":
      return spec.afterApply ? Fault.dropAfterApply : Fault.dropBeforeApply
  }
}

const toPolicy = (spec: Contract.RetrySpec): RetryPolicy.RetryPolicy =>
  spec === "none" ? RetryPolicy.none : RetryPolicy.make({
    initialDelay: "1 millis",
    maxDelay: "1 millis",
    jitter: false,
    ...(spec.maxRetries === undefined ? {} : { maxRetries: spec.maxRetries }),
    ...(spec.maxRetryAfterMs === undefined ? {} : { maxRetryAfter: Duration.millis(spec.maxRetryAfterMs) })
  })

const withOptions = (options: Contract.CallOptions | undefined) =>
  TrainingImages.withRequestOptions({
    retryPolicy: toPolicy(options?.retry ?? {}),
    ...(options?.timeoutMs === undefined ? {} : { timeout: Duration.millis(options.timeoutMs) }),
    ...(options?.maxRequestBytes === undefined ? {} : { maxRequestBytes: options.maxRequestBytes }),
    ...(options?.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes })
  })

const call = (service: TrainingImages.Service, { operation, params }: Contract.Call): Effect.Effect<unknown, unknown> =>
  (service[operation] as (params: unknown) => Effect.Effect<unknown, unknown>)(params)

const runCase = (target: Target, c: Contract.Case) =>
  Effect.gen(function*() {
    yield* target.reset
    yield* target.seed(c.seed as TrainingImagesTest.Seed)
    for (const { count, fault, operation } of c.faults ?? []) {
      yield* target.failNext(count, toFault(fault), operation === undefined ? undefined : { operation })
    }
    const service = c.call.options?.wrongCredentials === true
      ? Option.getOrThrow(target.wrongCredentials)
      : target.service
    const result = yield* Effect.either(withOptions(c.call.options)(call(service, c.call)))
    if ("ok" in c.expect) {
      assertOk(result, c.expect.ok)
    } else {
      expect(Either.isLeft(result), `expected an error, got ${JSON.stringify(result)}`).toBe(true)
      if (Either.isLeft(result)) {
        expect(Contract.errorFacts(result.left, c.expect.error, Duration.toMillis)).toEqual(c.expect.error)
      }
    }
    if (c.requests !== undefined) expect(yield* target.requests).toEqual(c.requests)
    for (const [modelId, stored] of Object.entries(c.stored ?? {})) {
      const model = yield* target.model(modelId)
      expect(Contract.storedFacts(Option.getOrUndefined(model), stored)).toEqual(stored)
    }
  })

const assertOk = (result: Either.Either<unknown, unknown>, expected: unknown) => {
  if (Either.isLeft(result)) expect.fail(`expected success, got ${String(result.left)}`)
  else if (expected === null) expect(result.right).toBeUndefined()
  else expect(result.right).toMatchObject(expected as object)
}

const runSync = (target: Target, c: Contract.SyncCase) =>
  Effect.gen(function*() {
    yield* target.reset
    yield* target.seed(c.seed as TrainingImagesTest.Seed)
    const images = c.folder.map(({ name, png }) => TrainingSet.fromBytes(name, Png.png(png)))
    const provide = Effect.provideService(TrainingImages.TrainingImages, target.service)
    const plan = yield* provide(
      TrainingSet.plan({ modelId: Contract.SYNC_MODEL, images, deleteOthers: c.deleteOthers ?? false })
    )
    expect(plan.items.map((item) => `${item._tag} ${"name" in item ? item.name : ""}`)).toEqual(c.plan)
    for (const { count, fault, operation } of c.faults ?? []) {
      yield* target.failNext(count, toFault(fault), operation === undefined ? undefined : { operation })
    }
    const report = yield* provide(TrainingSet.apply(plan, images, { retryPolicy: toPolicy(c.retry ?? {}) }))
    expect(
      report.results.map(({ item, outcome }) => `${item._tag} ${"name" in item ? item.name : ""}: ${outcome._tag}`)
    )
      .toEqual(c.outcomes)
    const model = Option.getOrThrow(yield* target.model(Contract.SYNC_MODEL))
    expect(model.trainingImages.map((image) => image.name).sort()).toEqual(c.stored)
    expect((yield* target.requests).filter((r) => r.operation === "add").length).toBe(c.addRequests)
  })

/**
 * Every case of the table (and every training-set sync case) against the target `make` builds, one per test;
 * the cases that only HTTP can show are listed as skipped for the fake, with their reason.
 */
export const contractSuite = (name: string, make: Effect.Effect<Target, unknown, Scope.Scope>, http: boolean) =>
  describe(name, () => {
    for (const c of Contract.cases) {
      if (c.httpOnly !== undefined && !http) {
        it.skip(`${c.name} (HTTP only: ${c.httpOnly})`, () => {})
        continue
      }
      it.live(c.name, () => Effect.scoped(Effect.flatMap(make, (target) => runCase(target, c))))
    }
    for (const c of Contract.syncCases) {
      it.live(`training-set sync: ${c.name}`, () => Effect.scoped(Effect.flatMap(make, (target) => runSync(target, c))))
    }
  })

/**
 * The Effect 4 line's runner of the request-limit table (`contract/requestLimit.ts`, shared with the Effect 3
 * line): its `fake` and `emulator` tests, each call on the in-memory fake or through the line's client over
 * undici to the emulator.
 */
import { RetryPolicy, TrainingImagesError } from "@effect-scenario/effect4"
import { TrainingImagesTest } from "@effect-scenario/effect4/testing"
import * as ScenarioEmulator from "@effect-scenario/effect4/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import type * as Errors from "../../../../contract/errors.js"
import * as Limits from "../../../../contract/requestLimit.js"
import * as TrainingImages from "../../src/TrainingImages.js"

const MODEL = Limits.MODEL

const line: Errors.Line = {
  isTrainingImagesError: TrainingImagesError.isTrainingImagesError,
  isStatusError: TrainingImagesError.isStatusError,
  maxKeptBody: TrainingImagesError.MAX_KEPT_BODY,
  millis: Duration.toMillis
}

const compare: Limits.Compare = {
  equal: (actual, expected, label) => expect(actual, label).toEqual(expected),
  matches: (actual, expected, label) => expect(actual, label).toMatchObject(expected as object)
}

const callWith = (images: TrainingImages.Service) => (call: Limits.Call) =>
  Effect.runPromise(Effect.match(
    (images[call.operation] as (params: unknown) => Effect.Effect<unknown, unknown>)(call.params).pipe(
      TrainingImages.withRequestOptions(
        call.maxRequestBytes === undefined ? {} : { maxRequestBytes: call.maxRequestBytes }
      )
    ),
    { onFailure: (error) => ({ error }), onSuccess: (ok) => ({ ok }) }
  ))

const fake = (check: Limits.Check) =>
  Effect.map(
    TrainingImagesTest.make({ models: { [MODEL]: {} }, maxRequestBytes: check.maxRequestBytes }),
    ({ calls, service }): Limits.Driver => ({
      call: callWith(service),
      sent: () => Effect.runPromise(calls),
      stored: () => Promise.resolve(undefined)
    })
  )

const emulator = (check: Limits.Check) =>
  Effect.gen(function*() {
    const emulator = yield* ScenarioEmulator.make({ models: { [MODEL]: {} } })
    const images = yield* TrainingImages.make({
      credentials: emulator.credentials,
      baseUrl: emulator.baseUrl,
      retryPolicy: RetryPolicy.none,
      maxRequestBytes: check.maxRequestBytes
    })
    return {
      call: callWith(images),
      sent: () => Effect.runPromise(emulator.requests),
      stored: () =>
        Effect.runPromise(Effect.map(emulator.snapshot, (snapshot) => snapshot.models[MODEL]?.trainingImages.length))
    } satisfies Limits.Driver
  })

describe("request limit", () => {
  for (const test of Limits.tests.filter((test) => test.target !== "stub")) {
    it.live(test.name, () =>
      Effect.gen(function*() {
        for (const check of test.checks) {
          const target = yield* (test.target === "fake" ? fake(check) : emulator(check))
          yield* Effect.promise(() => Limits.runCheck(check, target, line, compare))
        }
      }).pipe(Effect.provide(NodeHttpClient.layerUndici), Effect.scoped))
  }
})

/**
 * The Effect 4 line's runner of the request-limit table (`contract/requestLimit.ts`, shared with the Effect 3
 * line): its `stub` tests, each call through the line's client over the stub transport.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect } from "effect"
import type * as Errors from "../../../contract/errors.js"
import * as Limits from "../../../contract/requestLimit.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImages from "../src/TrainingImages.js"
import * as TrainingImagesError from "../src/TrainingImagesError.js"
import { withStub } from "./stub.js"

const line: Errors.Line = {
  isTrainingImagesError: TrainingImagesError.isTrainingImagesError,
  isStatusError: TrainingImagesError.isStatusError,
  maxKeptBody: TrainingImagesError.MAX_KEPT_BODY,
  millis: Duration.toMillis
}

const callOf = (images: TrainingImages.Service, operation: Limits.Operation, params: unknown) =>
  (images[operation] as (params: unknown) => Effect.Effect<unknown, unknown>)(params)

const compare: Limits.Compare = {
  equal: (actual, expected, label) => expect(actual, label).toEqual(expected),
  matches: (actual, expected, label) => expect(actual, label).toMatchObject(expected as object)
}

// The check's client over the stub transport.
const driver = (check: Limits.Check) =>
  Effect.map(
    withStub(check.replies ?? [], {
      retryPolicy: RetryPolicy.none,
      ...(check.maxRequestBytes === undefined ? {} : { maxRequestBytes: check.maxRequestBytes })
    }),
    ({ images, recorded }): Limits.Driver => ({
      call: (call) =>
        Effect.runPromise(Effect.match(
          callOf(images, call.operation, call.params).pipe(
            TrainingImages.withRequestOptions(
              call.maxRequestBytes === undefined ? {} : { maxRequestBytes: call.maxRequestBytes }
            )
          ),
          { onFailure: (error) => ({ error }), onSuccess: (ok) => ({ ok }) }
        )),
      sent: () => Effect.runPromise(recorded),
      stored: () => Promise.resolve(undefined)
    })
  )

const stubLine: Limits.LineOf = {
  driver: (check) => Effect.runPromise(driver(check)),
  errors: line,
  defaultLimit: TrainingImages.DEFAULT_MAX_REQUEST_BYTES,
  checkRequestSize: TrainingImages.checkRequestSize
}

describe("request limit", () => {
  for (const test of Limits.tests.filter((test) => test.target === "stub")) {
    it.effect(test.name, () => Effect.promise(() => Limits.runTest(test, stubLine, compare)))
  }

  it.effect(
    "TrainingImages.checkRequestSize counts the bytes the client sends, for every operation",
    () => Effect.promise(() => Limits.runSized(stubLine, compare))
  )
})

/**
 * The Effect 4 line's runner of the `maxResponseBytes` table (`contract/responseLimit.ts`, shared with the
 * Effect 3 line): each check's reply from the stub transport, the call, and its outcome.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Result } from "effect"
import * as Limits from "../../../contract/responseLimit.js"
import { RESPONSE_TOO_LARGE } from "../src/internal/client.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImagesError from "../src/TrainingImagesError.js"
import { type Reply, withStub } from "./stub.js"

const marked = (cause: unknown) => cause === Limits.MARKED_TOO_LARGE ? { [RESPONSE_TOO_LARGE]: true } : cause

const toReply = (reply: Limits.ReplySpec): Reply =>
  "requestFails" in reply
    ? { requestFails: { cause: marked(reply.requestFails.cause) } }
    : {
      ...reply,
      ...(reply.headers === undefined ? {} : { headers: { ...reply.headers } }),
      ...(reply.streamFails === undefined ? {} : { streamFails: { cause: marked(reply.streamFails.cause) } })
    }

const run = (check: Limits.Check) =>
  Effect.gen(function*() {
    const { images } = yield* withStub([toReply(check.reply)], {
      retryPolicy: RetryPolicy.none,
      maxResponseBytes: Limits.LIMIT
    })
    const result = yield* Effect.result(
      check.call === "delete" ? images.delete({ modelId: "m", trainingImageId: "t" }) : images.list({ modelId: "m" })
    )
    const ended = Result.match(result, { onFailure: (error) => ({ error }), onSuccess: (ok) => ({ ok }) })
    expect(Limits.outcome(check, ended), check.label).toBe(check.outcome)
    if (Result.isFailure(result)) {
      const error = result.failure
      expect(error, check.label).toBeInstanceOf(TrainingImagesError[error._tag])
      if (check.error) expect(Limits.errorFacts(error, check.error), check.label).toEqual(check.error)
    }
  })

for (const group of Limits.groups) {
  describe(group.name, () => {
    for (const test of group.tests) {
      it.effect(test.name, () => Effect.forEach(test.checks, run, { discard: true }))
    }
  })
}

/**
 * The soak on the Effect 4 line: the same workload, faults, checks and report as the Effect 3 line's
 * (`packages/testing/soak`, which hold no Effect); only the client, the emulator binding and the reading of
 * each call's `Exit` are this line's.
 */
import * as Cause from "effect/Cause"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import { breaks, type FaultSpec, faultSpecs, type Options } from "../../testing/soak/options.js"
import type { Report } from "../../testing/soak/report.js"
import { type Outcome, type Result, verify } from "../../testing/soak/verify.js"
import { plan, type Planned } from "../../testing/soak/workload.js"
import * as NodeTrainingImages from "../src/node/NodeTrainingImages.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as Fault from "../src/testing/Fault.js"
import * as ScenarioEmulator from "../src/testing/ScenarioEmulator.js"
import type * as TrainingImage from "../src/TrainingImage.js"
import * as TrainingImages from "../src/TrainingImages.js"
import * as TrainingImagesError from "../src/TrainingImagesError.js"

const breakingShouldRetry = (options: Options): RetryPolicy.RetryPolicy["shouldRetry"] | undefined => {
  const rule = options.breakRule
  if (options.blindAddRetries === true) {
    return (error, context) => RetryPolicy.defaultShouldRetry(error, { ...context, idempotent: true })
  }
  if (rule === undefined) return undefined
  return (error, context) =>
    RetryPolicy.defaultShouldRetry(error, context) || (context.operation === "add" && breaks(rule, error))
}

const toFault = (spec: FaultSpec): Fault.Fault => {
  switch (spec._tag) {
    case "RateLimited":
      return Fault.rateLimited({
        retryAfter: Duration.millis(spec.retryAfterMillis),
        retryAfterHeader: spec.retryAfterHeader
      })
    case "ServerError":
      return Fault.serverError(spec.status, { afterApply: spec.afterApply })
    case "Delay":
      return Fault.delay(Duration.millis(spec.millis), { afterApply: spec.afterApply })
    case "Drop":
      return spec.afterApply ? Fault.dropAfterApply : Fault.dropBeforeApply
  }
}

/** The soak's faults as this line's `Fault`s, of the kinds asked for. */
export const faultsFor = (options: Options): ReadonlyArray<Fault.Fault> =>
  faultSpecs(options).map(toFault).filter((fault) => options.faultKinds?.includes(Fault.kind(fault)) ?? true)

/** How one call ended, from its `Exit`. */
export const outcomeOf = (exit: Exit.Exit<unknown, unknown>): Outcome => {
  if (Exit.isSuccess(exit)) return { _tag: "Success", value: exit.value }
  if (Cause.hasDies(exit.cause) || Cause.hasInterrupts(exit.cause)) {
    return { _tag: "Defect", cause: Cause.pretty(exit.cause) }
  }
  const failures = exit.cause.reasons.filter(Cause.isFailReason)
  const error = failures[0]?.error
  return failures.length === 1 && TrainingImagesError.isTrainingImagesError(error)
    ? { _tag: "Failure", error }
    : { _tag: "Untyped", cause: Cause.pretty(exit.cause) }
}

// The workload's params are typed with the Effect 3 line's types (the same shapes): this line's own types here.
const call = (images: TrainingImages.Service, planned: Planned): Effect.Effect<unknown, unknown> => {
  switch (planned.operation) {
    case "add": {
      const params = planned.params as TrainingImage.AddParams
      return planned.retries
        ? images.add(params)
        : TrainingImages.withRequestOptions(images.add(params), { retryPolicy: RetryPolicy.none })
    }
    case "replace":
      return images.replace(planned.params as TrainingImage.ReplaceParams)
    case "replacePairs":
      return images.replacePairs(planned.params as TrainingImage.ReplacePairsParams)
    case "delete":
      return images.delete(planned.params as TrainingImage.DeleteParams)
    case "list":
      return images.list(planned.params as TrainingImage.ListParams)
  }
}

export const run = (options: Options): Effect.Effect<Report, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const workload = plan(options.operations, options.seed)
    const emulator = yield* ScenarioEmulator.make({
      models: workload.seed,
      faults: { rate: options.faultRate, faults: faultsFor(options), seed: options.seed }
    })
    const retryPolicy = RetryPolicy.make({
      initialDelay: "5 millis",
      maxDelay: "50 millis",
      maxRetries: options.maxRetries,
      maxRetryAfter: "5 seconds",
      shouldRetry: breakingShouldRetry(options)
    })
    const images = yield* NodeTrainingImages.make({
      baseUrl: emulator.baseUrl,
      credentials: emulator.credentials,
      timeout: Duration.millis(options.timeoutMillis),
      retryPolicy,
      pool: { connections: options.concurrency }
    })

    const start = Date.now()
    const results = yield* Effect.forEach(
      workload.operations,
      (planned): Effect.Effect<Result> =>
        Effect.map(Effect.exit(call(images, planned)), (exit) => ({ planned, outcome: outcomeOf(exit) })),
      { concurrency: options.concurrency }
    )
    const durationMillis = Date.now() - start

    // A request whose client gave up (its timeout during a delay fault) is logged once the server notices the
    // closed connection: wait for the log to stop growing before reading the final state.
    yield* Effect.gen(function*() {
      let previous = Number.NaN
      for (;;) {
        yield* Effect.sleep("100 millis")
        const now = (yield* emulator.requests).length
        if (now === previous) return
        previous = now
      }
    }).pipe(Effect.timeoutOption(Duration.millis(options.timeoutMillis * 4)))
    const verdict = verify({
      results,
      requests: yield* emulator.requests,
      faults: yield* emulator.faultCounts,
      snapshot: yield* emulator.snapshot,
      maxRetries: options.maxRetries,
      basePath: new URL(emulator.baseUrl).pathname
    })
    return { ...verdict, options, line: "Effect 4", durationMillis }
  })

/**
 * The soak: the emulator on 127.0.0.1 injecting seeded random faults, the client over the Node transport
 * sending a seeded mix of operations with bounded concurrency, then every property checked (see
 * `verify.ts`). Shared by the `pnpm soak` program and the smaller run in the test suite.
 */
import { RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import type * as Scope from "effect/Scope"
import * as NodeTrainingImages from "../../platform-node/src/NodeTrainingImages.js"
import * as Fault from "../src/Fault.js"
import * as ScenarioEmulator from "../src/ScenarioEmulator.js"
import { breaks, type FaultSpec, faultSpecs, type Options } from "./options.js"
import type { Report } from "./report.js"
import { type Outcome, type Result, verify } from "./verify.js"
import { plan, type Planned } from "./workload.js"

export { BROKEN_RULES, type BrokenRule, defaults, type Options } from "./options.js"

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
  if (!Chunk.isEmpty(Cause.defects(exit.cause)) || Cause.isInterrupted(exit.cause)) {
    return { _tag: "Defect", cause: Cause.pretty(exit.cause) }
  }
  const failures = Chunk.toReadonlyArray(Cause.failures(exit.cause))
  const error = failures[0]
  return failures.length === 1 && TrainingImagesError.isTrainingImagesError(error)
    ? { _tag: "Failure", error }
    : { _tag: "Untyped", cause: Cause.pretty(exit.cause) }
}

const call = (images: TrainingImages.Service, planned: Planned): Effect.Effect<unknown, unknown> => {
  switch (planned.operation) {
    case "add":
      return planned.retries
        ? images.add(planned.params)
        : TrainingImages.withRequestOptions(images.add(planned.params), { retryPolicy: RetryPolicy.none })
    case "replace":
      return images.replace(planned.params)
    case "replacePairs":
      return images.replacePairs(planned.params)
    case "delete":
      return images.delete(planned.params)
    case "list":
      return images.list(planned.params)
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

    const start = yield* Effect.clockWith((clock) => clock.currentTimeMillis)
    const results = yield* Effect.forEach(
      workload.operations,
      (planned): Effect.Effect<Result> =>
        Effect.map(Effect.exit(call(images, planned)), (exit) => ({ planned, outcome: outcomeOf(exit) })),
      { concurrency: options.concurrency }
    )
    const end = yield* Effect.clockWith((clock) => clock.currentTimeMillis)

    // A request whose client gave up (its timeout during a delay fault) is logged once the server notices the
    // closed connection: wait for the log to stop growing before reading the final state.
    const stable = -1
    yield* Effect.iterate(Number.NaN, {
      while: (previous) => previous !== stable,
      body: (previous) =>
        Effect.map(Effect.zipRight(Effect.sleep("100 millis"), emulator.requests), (now) =>
          now.length === previous ? stable : now.length)
    }).pipe(Effect.timeout(Duration.millis(options.timeoutMillis * 4)), Effect.ignore)
    const verdict = verify({
      results,
      requests: yield* emulator.requests,
      faults: yield* emulator.faultCounts,
      snapshot: yield* emulator.snapshot,
      maxRetries: options.maxRetries,
      basePath: new URL(emulator.baseUrl).pathname
    })
    return { ...verdict, options, line: "Effect 3", durationMillis: end - start }
  })

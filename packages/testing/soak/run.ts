/**
 * The soak: the emulator on 127.0.0.1 injecting seeded random faults, the client over the Node transport
 * sending a seeded mix of operations with bounded concurrency, then every property checked (see
 * `verify.ts`). Shared by the `pnpm soak` program and the smaller run in the test suite.
 */
import { RetryPolicy, TrainingImages, type TrainingImagesError } from "@effect-scenario/core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import * as NodeTrainingImages from "../../platform-node/src/NodeTrainingImages.js"
import * as Fault from "../src/Fault.js"
import * as ScenarioEmulator from "../src/ScenarioEmulator.js"
import { outcomeOf, type Result, type Verdict, verify } from "./verify.js"
import { plan, type Planned } from "./workload.js"

export interface Options {
  /** How many operations. */
  readonly operations: number
  /** How many run at once. */
  readonly concurrency: number
  /** The share of requests, 0 to 1, that meet a fault. */
  readonly faultRate: number
  /** Seeds both the plan and the faults. */
  readonly seed: number
  /** The client's timeout per attempt; a delay fault holds the response twice as long. */
  readonly timeout: Duration.DurationInput
  /** The retry policy's retries, and so how many consecutive faults an idempotent operation outlasts. */
  readonly maxRetries: number
  /** The waits the 429 faults ask for. */
  readonly retryAfter: ReadonlyArray<Duration.DurationInput>
  /** The kinds of fault to inject (`Fault.kind`); all of them when absent. */
  readonly faultKinds?: ReadonlyArray<string> | undefined
  /**
   * Retries `add` like the idempotent operations, on any failure the default policy would retry for them:
   * what a client without the library's caution would do. For showing that the soak catches the adds it
   * then applies twice; never set in a real run.
   */
  readonly blindAddRetries?: boolean | undefined
  /**
   * Breaks one rule of the retry policy on purpose: `add` is also retried after a timeout, after a 5xx, or
   * after a connection lost once the request was sent. For showing that the soak catches each; never set in
   * a real run.
   */
  readonly breakRule?: BrokenRule | undefined
}

/** The rules `--break` can break, each a failure after which `add` may have been applied. */
export const BROKEN_RULES = [
  "retry-add-after-timeout",
  "retry-add-after-5xx",
  "retry-add-after-lost-connection"
] as const

export type BrokenRule = typeof BROKEN_RULES[number]

const breaks = (rule: BrokenRule, error: TrainingImagesError.TrainingImagesError): boolean => {
  switch (rule) {
    case "retry-add-after-timeout":
      return error._tag === "TimeoutError"
    case "retry-add-after-5xx":
      return error._tag === "InternalServerError"
    case "retry-add-after-lost-connection":
      return error._tag === "ConnectionError" && error.mayHaveReachedServer
  }
}

const shouldRetryFor = (options: Options): RetryPolicy.RetryPolicy["shouldRetry"] | undefined => {
  const rule = options.breakRule
  if (options.blindAddRetries === true) {
    return (error, context) => RetryPolicy.defaultShouldRetry(error, { ...context, idempotent: true })
  }
  if (rule === undefined) return undefined
  return (error, context) =>
    RetryPolicy.defaultShouldRetry(error, context) || (context.operation === "add" && breaks(rule, error))
}

export const defaults: Options = {
  operations: 2000,
  concurrency: 16,
  faultRate: 0.3,
  seed: 1,
  timeout: "1 second",
  maxRetries: 10,
  retryAfter: [0, "20 millis", "1 second"]
}

export interface Report extends Verdict {
  readonly options: Options
  readonly duration: Duration.Duration
}

/**
 * The faults picked from, uniformly: 429 with each wait (as `retry-after` in seconds, `retry-after-ms`, or
 * both), 500, 502, 503, 504, a response slower than the client's timeout, a connection dropped before the
 * change is applied; and the faults that come after the change was applied, as a gateway produces them:
 * the connection dropped, a 500, 502 or 504 instead of the answer, the answer later than the client's
 * timeout.
 */
export const faultsFor = (options: Options): ReadonlyArray<Fault.Fault> =>
  allFaults(options).filter((fault) => options.faultKinds?.includes(Fault.kind(fault)) ?? true)

const allFaults = (options: Options): ReadonlyArray<Fault.Fault> => [
  ...options.retryAfter.map((wait, i) =>
    Fault.rateLimited({
      retryAfter: wait,
      retryAfterHeader: (["retry-after-ms", "both", "retry-after"] as const)[i % 3]!
    })
  ),
  Fault.serverError(500),
  Fault.serverError(502),
  Fault.serverError(503),
  Fault.serverError(504),
  Fault.delay(Duration.times(Duration.decode(options.timeout), 2)),
  Fault.dropBeforeApply,
  Fault.dropAfterApply,
  Fault.serverError(500, { afterApply: true }),
  Fault.serverError(502, { afterApply: true }),
  Fault.serverError(504, { afterApply: true }),
  Fault.delay(Duration.times(Duration.decode(options.timeout), 2), { afterApply: true })
]

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
      shouldRetry: shouldRetryFor(options)
    })
    const images = yield* NodeTrainingImages.make({
      baseUrl: emulator.baseUrl,
      credentials: emulator.credentials,
      timeout: options.timeout,
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
    }).pipe(Effect.timeout(Duration.times(Duration.decode(options.timeout), 4)), Effect.ignore)
    const verdict = verify({
      results,
      requests: yield* emulator.requests,
      faults: yield* emulator.faultCounts,
      snapshot: yield* emulator.snapshot,
      maxRetries: options.maxRetries,
      basePath: new URL(emulator.baseUrl).pathname
    })
    return { ...verdict, options, duration: Duration.millis(end - start) }
  })

/**
 * Which failures are retried, and when. A `RetryPolicy` is a plain value: read it, change a field, give it
 * to a layer (`TrainingImages.layer({ retryPolicy })`) or to one call (`TrainingImages.withRequestOptions`).
 *
 * The default follows the Stainless runtime of the official SDK: 2 retries, backoff from 0.5 s doubling to at
 * most 8 s with jitter; `x-should-retry` decides first; connection errors, timeouts, 408, 409, 429 and 5xx are
 * retried; the wait the server asks for (`retry-after-ms`, `retry-after`) replaces the backoff when it is
 * within `maxRetryAfter` (60 s), and a longer one is not slept through: the error surfaces with it.
 *
 * Unlike that runtime it does not retry a POST blindly: Scenario documents no idempotency key, so `add` is
 * retried only when the request surely did not take effect.
 *
 * @since 0.1.0
 */
import * as Retry from "@effect-scenario/kernel/Retry"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Schedule from "effect/Schedule"
import { currentRetryObserver } from "./internal/retryObserver.js"
import type { Operation, TrainingImagesError } from "./TrainingImagesError.js"

/**
 * What the retry decision knows of the request that failed.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryContext {
  readonly operation: Operation
  readonly method: string
  /** Whether sending the request twice has the same effect as sending it once (all but `add`). */
  readonly idempotent: boolean
}

/**
 * A retry policy: the backoff `schedule`, the `shouldRetry` decision and the longest server-requested wait
 * slept through. Build one with `make`; `defaultPolicy` and `none` are ready-made.
 *
 * @example
 * ```ts
 * import { RetryPolicy } from "@effect-scenario/core"
 *
 * // More retries, and never after a 409.
 * const patient = RetryPolicy.make({
 *   maxRetries: 5,
 *   shouldRetry: (error, context) => error._tag !== "ConflictError" && RetryPolicy.defaultPolicy.shouldRetry(error, context)
 * })
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /**
   * The backoff between attempts and how many there may be, fed with each failure. Its delay is replaced by
   * the server's requested wait when there is one.
   */
  readonly schedule: Schedule.Schedule<unknown, TrainingImagesError>
  /** Whether this failure of this request may be retried at all. */
  readonly shouldRetry: (error: TrainingImagesError, context: RetryContext) => boolean
  /** The longest server-requested wait that is slept through; a longer one ends the retries. */
  readonly maxRetryAfter: Duration.Duration
}

/**
 * The backoff of the Stainless runtime: `min(initialDelay × 2^n, maxDelay) × (1 − up to 25% jitter)`, for at
 * most `maxRetries` retries.
 *
 * @since 0.1.0
 * @category constructors
 */
export const exponentialBackoff = (options?: {
  readonly maxRetries?: number | undefined
  readonly initialDelay?: Duration.DurationInput | undefined
  readonly maxDelay?: Duration.DurationInput | undefined
  readonly jitter?: boolean | undefined
}): Schedule.Schedule<unknown, TrainingImagesError> => {
  const initialMillis = Duration.toMillis(Duration.decode(options?.initialDelay ?? "500 millis"))
  const maxMillis = Duration.toMillis(Duration.decode(options?.maxDelay ?? "8 seconds"))
  // What `Schedule.exponential` is (a delay of its output), the output the kernel's capped arithmetic.
  const capped = Schedule.delayedSchedule(
    Schedule.map(Schedule.forever, (retry) => Duration.millis(Retry.backoffMillis(retry, { initialMillis, maxMillis })))
  )
  const jittered = options?.jitter === false ? capped : Schedule.jitteredWith(capped, { min: 0.75, max: 1 })
  return Schedule.intersect(jittered, Schedule.recurs(options?.maxRetries ?? 2))
}

/**
 * Whether the failure came from a response with a 2xx status (a body that did not decode, or was too large).
 * The server applied the request: nothing is retried after it, whatever the policy or the headers say.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isAnsweredWithSuccess = (error: TrainingImagesError): boolean => Retry.isAnsweredWithSuccess(error)

/**
 * The default decision.
 *
 * - Nothing is retried after a 2xx response (see `isAnsweredWithSuccess`).
 * - `x-should-retry: true | false` on a response with an error status decides first.
 * - Idempotent operations: connection errors, timeouts, 408, 409, 429 and >= 500 are retried.
 * - `add` (a POST): only what surely did not take effect: 429, 503, and a connection that failed before the
 *   request was sent. Never a timeout or a connection lost mid-request.
 * - Invalid params and undecodable responses are never retried.
 *
 * @since 0.1.0
 * @category decisions
 */
export const defaultShouldRetry = (error: TrainingImagesError, context: RetryContext): boolean =>
  Retry.shouldRetry(error, context)

/**
 * Builds a policy; every field defaults to the default policy's.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options?: {
  readonly maxRetries?: number | undefined
  readonly initialDelay?: Duration.DurationInput | undefined
  readonly maxDelay?: Duration.DurationInput | undefined
  readonly jitter?: boolean | undefined
  readonly schedule?: Schedule.Schedule<unknown, TrainingImagesError> | undefined
  readonly shouldRetry?: ((error: TrainingImagesError, context: RetryContext) => boolean) | undefined
  readonly maxRetryAfter?: Duration.DurationInput | undefined
}): RetryPolicy => ({
  schedule: options?.schedule ?? exponentialBackoff(options),
  shouldRetry: options?.shouldRetry ?? defaultShouldRetry,
  maxRetryAfter: Duration.decode(options?.maxRetryAfter ?? "60 seconds")
})

/**
 * 2 retries, 0.5 s doubling to 8 s with jitter, `defaultShouldRetry`, server waits up to 60 s honoured.
 *
 * @since 0.1.0
 * @category policies
 */
export const defaultPolicy: RetryPolicy = make()

/**
 * Never retries.
 *
 * @since 0.1.0
 * @category policies
 */
export const none: RetryPolicy = make({ schedule: Schedule.stop, shouldRetry: () => false })

/**
 * The wait a failure asks for before the next attempt, if the server named one.
 *
 * @since 0.1.0
 * @category getters
 */
export const requestedDelay = (error: TrainingImagesError): Duration.Duration | undefined =>
  "retryAfter" in error ? error.retryAfter : undefined

const schedules = new WeakMap<RetryPolicy, Schedule.Schedule<unknown, TrainingImagesError>>()

// The policy's backoff, with its delay replaced by the wait the server asked for when there is one.
const scheduleOf = (policy: RetryPolicy): Schedule.Schedule<unknown, TrainingImagesError> => {
  let schedule = schedules.get(policy)
  // Stryker disable next-line ConditionalExpression: equivalent, a cache miss only builds the same schedule (a description; its state lives in each run) again
  if (schedule === undefined) {
    schedule = Schedule.intersect(policy.schedule, Schedule.identity<TrainingImagesError>()).pipe(
      Schedule.modifyDelay(([, error], delay) => requestedDelay(error) ?? delay)
    )
    schedules.set(policy, schedule)
  }
  return schedule
}

/**
 * Whether a 404 says that the *training image* is not there (as opposed to the model, or a route): its body,
 * or one of the body's `message`, `apiError`, `error`, `reason`, `detail` fields, reads "training image …
 * not found" within its first 1000 characters (case, and a space, `_` or `-` between the words, aside). A bare
 * "Not Found", as a gateway answers, does not.
 *
 * @since 0.2.0
 * @category predicates
 */
export const isTrainingImageNotFound = (error: TrainingImagesError): boolean => Retry.isTrainingImageNotFound(error)

/**
 * Runs one request's `attempt` under a policy: retried while `shouldRetry` says so and the schedule goes on,
 * waiting what the server asked for (when within `maxRetryAfter`) or else the schedule's backoff. Every
 * implementation of the service (the HTTP client, the in-memory fake) retries through this one loop.
 *
 * - Nothing is retried after a 2xx response, whatever the policy says (`isAnsweredWithSuccess`).
 * - Each retry is logged at debug level, once it is decided, with the attempt it starts and the wait before
 *   it; a failure that is not retried logs nothing.
 * - A `delete` whose earlier attempt may have been applied (its response lost, or a 5xx) and whose retry
 *   answers 404 with "training image not found" (`isTrainingImageNotFound`) has done what was asked: it
 *   succeeds. Any other 404 (an unknown model, a bare "Not Found") stays a `NotFoundError`.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retry = <A, E extends TrainingImagesError, R>(
  attempt: Effect.Effect<A, E, R>,
  policy: RetryPolicy,
  context: RetryContext
): Effect.Effect<A, E, R> =>
  // `Effect.retry` sets its schedule up before the first attempt. Most calls succeed at once, so the loop
  // starts at the first failure instead, replaying that failure as its first input.
  Effect.catchAll(attempt, (firstError) => {
    let replay = true
    let applied = false
    let attempts = 1
    const again = Effect.suspend(() => {
      if (!replay) return attempt
      replay = false
      return Effect.fail(firstError)
    }).pipe(
      Effect.tapError((error) =>
        Effect.sync(() => {
          applied ||= Retry.mayHaveApplied(error)
        })
      )
    )
    const allowed = (error: TrainingImagesError): boolean => {
      const requested = requestedDelay(error)
      return Retry.mayRetry(error, {
        requestedMillis: requested === undefined ? undefined : Duration.toMillis(requested),
        maxRetryAfterMillis: Duration.toMillis(policy.maxRetryAfter),
        decide: (error) => policy.shouldRetry(error, context)
      })
    }
    // The decision first (`whileInput`), the log after it, so that only a retry that happens is logged.
    let lastError: TrainingImagesError = firstError
    const schedule = Schedule.whileInput(
      scheduleOf(policy).pipe(Schedule.tapInput((error: TrainingImagesError) =>
        Effect.sync(() => {
          lastError = error
        })
      )),
      allowed
    ).pipe(
      Schedule.delays,
      Schedule.onDecision((delay, decision) => {
        if (decision._tag !== "Continue") return Effect.void
        attempts++
        const millis = Math.round(Duration.toMillis(delay))
        const error = lastError
        return Effect.logDebug(
          `retrying ${context.operation} after ${error._tag}: attempt ${attempts} in ${millis} ms`
        ).pipe(
          Effect.annotateLogs({
            operation: context.operation,
            method: context.method,
            attempt: attempts,
            delayMillis: millis
          }),
          Effect.zipRight(
            Effect.flatMap(FiberRef.get(currentRetryObserver), (observer) =>
              observer === undefined ? Effect.void : observer(error))
          )
        )
      })
    )
    const retried = Effect.retry(again, schedule)
    if (context.operation !== "delete") {
      return retried
    }
    return Effect.catchIf(
      retried,
      (error) =>
        applied && isTrainingImageNotFound(error),
      () => Effect.void as Effect.Effect<A>
    )
  })

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
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Pull from "effect/Pull"
import * as Random from "effect/Random"
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
 * import { RetryPolicy } from "@effect-scenario/effect4"
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
  readonly initialDelay?: Duration.Input | undefined
  readonly maxDelay?: Duration.Input | undefined
  readonly jitter?: boolean | undefined
}): Schedule.Schedule<unknown, TrainingImagesError> => {
  const initialMillis = Duration.toMillis(Duration.fromInputUnsafe(options?.initialDelay ?? "500 millis"))
  const maxMillis = Duration.toMillis(Duration.fromInputUnsafe(options?.maxDelay ?? "8 seconds"))
  // What `Schedule.exponential` is, its delay the kernel's capped arithmetic of the retry's number.
  const capped = Schedule.forever.pipe(
    Schedule.modifyDelay(({ output }) =>
      Effect.succeed(Duration.millis(Retry.backoffMillis(output, { initialMillis, maxMillis })))
    )
  )
  // Effect 4's `Schedule.jittered` spreads 0.8–1.2: the Stainless range (up to 25% less, never more) is kept.
  const jittered = options?.jitter === false ?
    capped :
    capped.pipe(
      Schedule.modifyDelay(({ duration }) =>
        Effect.map(Random.nextBetween(0.75, 1), (factor) => Duration.millis(Duration.toMillis(duration) * factor))
      )
    )
  return Schedule.max([jittered, Schedule.recurs(options?.maxRetries ?? 2)])
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
  readonly initialDelay?: Duration.Input | undefined
  readonly maxDelay?: Duration.Input | undefined
  readonly jitter?: boolean | undefined
  readonly schedule?: Schedule.Schedule<unknown, TrainingImagesError> | undefined
  readonly shouldRetry?: ((error: TrainingImagesError, context: RetryContext) => boolean) | undefined
  readonly maxRetryAfter?: Duration.Input | undefined
}): RetryPolicy => ({
  schedule: options?.schedule ?? exponentialBackoff(options),
  shouldRetry: options?.shouldRetry ?? defaultShouldRetry,
  maxRetryAfter: Duration.fromInputUnsafe(options?.maxRetryAfter ?? "60 seconds")
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
export const none: RetryPolicy = make({ schedule: Schedule.recurs(0), shouldRetry: () => false })

/**
 * The wait a failure asks for before the next attempt, if the server named one.
 *
 * @since 0.1.0
 * @category getters
 */
export const requestedDelay = (error: TrainingImagesError): Duration.Duration | undefined =>
  "retryAfter" in error ? error.retryAfter : undefined

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
  // The schedule is set up only at the first failure: most calls succeed at once.
  Effect.catch(attempt, (firstError) =>
    Effect.flatMap(Schedule.toStep(policy.schedule), (step) => {
      let applied = Retry.mayHaveApplied(firstError)
      let attempts = 1
      const allowed = (error: TrainingImagesError): boolean => {
        const requested = requestedDelay(error)
        return Retry.mayRetry(error, {
          requestedMillis: requested === undefined ? undefined : Duration.toMillis(requested),
          maxRetryAfterMillis: Duration.toMillis(policy.maxRetryAfter),
          decide: (error) => policy.shouldRetry(error, context)
        })
      }
      // The decision first, then the schedule (fed with the failure), then the log: only a retry that happens
      // is logged and told to the observer. The wait the server asked for replaces the schedule's delay.
      const next = (error: E): Effect.Effect<A, E, R> => {
        if (!allowed(error)) return Effect.fail(error)
        return Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Pull.matchEffect(step(now, error), {
            onSuccess: ([, scheduled]) => {
              attempts++
              const delay = requestedDelay(error) ?? scheduled
              const millis = Math.round(Duration.toMillis(delay))
              return Effect.logDebug(
                `retrying ${context.operation} after ${error._tag}: attempt ${attempts} in ${millis} ms`
              ).pipe(
                Effect.annotateLogs({
                  operation: context.operation,
                  method: context.method,
                  attempt: attempts,
                  delayMillis: millis
                }),
                Effect.andThen(Effect.flatMap(currentRetryObserver, (observer) =>
                  observer === undefined ? Effect.void : observer(error))),
                Effect.andThen(Effect.sleep(delay)),
                Effect.andThen(Effect.catch(attempt, (error) => {
                  applied ||= Retry.mayHaveApplied(error)
                  return next(error)
                }))
              )
            },
            onFailure: Effect.failCause,
            onDone: () =>
              Effect.fail(error)
          }))
      }
      const retried = next(firstError)
      if (context.operation !== "delete") {
        return retried
      }
      return Effect.catchIf(
        retried,
        (error) =>
          applied && isTrainingImageNotFound(error),
        () =>
          Effect.void as Effect.Effect<A>
      )
    }))

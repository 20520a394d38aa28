import * as Retry from "@effect-scenario/kernel/Retry"
import * as Plan from "@effect-scenario/kernel/TrainingSetPlan"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as FiberRef from "effect/FiberRef"
import * as RateLimiter from "effect/RateLimiter"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import type * as ImageFitter from "../ImageFitter.js"
import * as RetryPolicy from "../RetryPolicy.js"
import * as TrainingImages from "../TrainingImages.js"
import { InvalidRequestError, type TrainingImagesError } from "../TrainingImagesError.js"
import type * as TrainingSet from "../TrainingSet.js"
import { ImageSourceError, UnsafePlanError } from "../TrainingSet.js"
import { requestTooLarge } from "./client.js"
import { fitImage } from "./imageFit.js"
import { currentRetryObserver } from "./retryObserver.js"

export { checkPairs } from "@effect-scenario/kernel/TrainingSetPlan"
export { fromBytes, readFiles, readFolder } from "./trainingSetFolder.js"

// ---------------------------------------------------------------------------------------------------------
// sources
// ---------------------------------------------------------------------------------------------------------

const notAnImage = (name: string, operation: "add" | "replace"): InvalidRequestError =>
  new InvalidRequestError({
    operation,
    issues: [{
      path: ["data"],
      message: Plan.notAnImageMessage(name)
    }]
  })

// The limit the client checks a body against: the call's override, else the service's own, else the default.
const requestLimit = (images: TrainingImages.Service): Effect.Effect<number> =>
  Effect.map(
    FiberRef.get(TrainingImages.currentRequestOptions),
    (overrides) => overrides.maxRequestBytes ?? images.maxRequestBytes ?? TrainingImages.DEFAULT_MAX_REQUEST_BYTES
  )

/** @internal */
export const toImageInput = (
  name: string,
  bytes: Uint8Array,
  operation: "add" | "replace" = "add"
): Either.Either<{ readonly data: string; readonly name: string }, InvalidRequestError> => {
  const data = Plan.imageDataUrl(bytes)
  return data === undefined ? Either.left(notAnImage(name, operation)) : Either.right({ data, name })
}

/** @internal */
export const sha256 = (bytes: Uint8Array): Effect.Effect<string> =>
  Effect.map(
    Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>)),
    (digest) => Encoding.encodeHex(new Uint8Array(digest))
  )

// ---------------------------------------------------------------------------------------------------------
// plan
// ---------------------------------------------------------------------------------------------------------

/** @internal */
export const plan = (options: TrainingSet.PlanOptions) =>
  Effect.gen(function*() {
    const images = yield* TrainingImages.TrainingImages
    if (options.pairs !== undefined) {
      const issues = Plan.checkPairs(new Set(options.images.map((source) => source.name)), options.pairs)
      const [first, ...rest] = issues
      if (first !== undefined) {
        return yield* new InvalidRequestError({ operation: "replacePairs", issues: [first, ...rest] })
      }
    }
    const model = yield* images.list({ modelId: options.modelId })
    const state = options.state
    const maxRequestBytes = yield* requestLimit(images)
    // Images that will not be sent, judged from their size and first bytes: never read, never hashed.
    const refused = new Map<string, Plan.Refusal>()
    // Images over the limit that the fitter will fit: planned (and hashed) like the others.
    const fits = new Map<string, Plan.Fit>()
    const refusalOf = (source: TrainingSet.ImageSource): Effect.Effect<Plan.Refusal | undefined> => {
      if (source.skip !== undefined) return Effect.succeed({ _tag: "Skip", reason: source.skip })
      if (source.peek === undefined) return Effect.succeed(undefined)
      // A source that cannot be peeked at now is planned as usual: reading it at apply time fails that item.
      return Effect.match(source.peek, {
        onFailure: () => undefined,
        onSuccess: (peek) => {
          const refusal = Plan.judge({ name: source.name, peek, maxRequestBytes })
          const fit = options.fit === undefined || refusal === undefined ? undefined : Plan.fitOf(source.name, refusal)
          if (fit === undefined) return refusal
          fits.set(source.name, fit)
          return undefined
        }
      })
    }
    const local = yield* Effect.forEach(options.images, (source): Effect.Effect<Plan.LocalImage> => {
      if (source._tag === "AssetSource") return Effect.succeed({ name: source.name, assetId: source.assetId })
      return Effect.flatMap(refusalOf(source), (refusal) => {
        if (refusal !== undefined) refused.set(source.name, refusal)
        if (state === undefined || refusal !== undefined) return Effect.succeed({ name: source.name })
        // An image that cannot be read now is planned without its hash; reading it again at apply time
        // fails that item alone.
        return source.read.pipe(
          Effect.flatMap(sha256),
          Effect.map((hash) => ({ name: source.name, sha256: hash })),
          Effect.orElseSucceed(() => ({ name: source.name }))
        )
      })
    }, { concurrency: 4 })
    const diffed = Plan.diff({
      modelId: options.modelId,
      local,
      remote: model.trainingImages,
      remotePairs: model.trainingImagePairs,
      state,
      pairs: options.pairs,
      deleteOthers: options.deleteOthers
    })
    const items = Plan.markFits(Plan.refine(diffed, refused, state), fits)
    const result: TrainingSet.Plan = {
      modelId: options.modelId,
      items,
      tracksContent: state !== undefined
    }
    return result
  })

/** @internal */
export const stateAfter = (
  plan: TrainingSet.Plan,
  previous: TrainingSet.State | undefined,
  outcomes: ReadonlyArray<TrainingSet.Outcome | undefined>
): TrainingSet.State => Plan.stateAfter(plan.modelId, plan.items, previous, outcomes)

/** @internal */
export const summarize = (plan: TrainingSet.Plan): TrainingSet.Summary => Plan.summarize(plan.items)

// ---------------------------------------------------------------------------------------------------------
// apply
// ---------------------------------------------------------------------------------------------------------

/** @internal */
export const defaultRetryPolicy: RetryPolicy.RetryPolicy = RetryPolicy.make({ maxRetries: 5 })

/** @internal */
export const DEFAULT_SETTLE_WINDOW: Duration.DurationInput = "5 seconds"

/** @internal */
export const checkPlan = (
  plan: TrainingSet.Plan,
  sources: ReadonlyArray<TrainingSet.Source>
): UnsafePlanError | undefined => {
  const [first, ...rest] = Plan.unsafeDeletes(plan.items, sources.map((source) => source.name))
  return first === undefined ? undefined : new UnsafePlanError({ modelId: plan.modelId, issues: [first, ...rest] })
}

const sleepUntil = (millis: number): Effect.Effect<void> =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, a sleep of zero or less ends at once
    (now) => now >= millis ? Effect.void : Effect.sleep(Duration.millis(millis - now))
  )

// A failure after which the add may have taken effect: found out by listing, never by sending again blindly.
const mayHaveApplied = (error: TrainingImagesError): boolean => Retry.addMayHaveApplied(error)

interface Done {
  readonly ids: ReadonlyArray<string>
  readonly reconciled: boolean
  readonly fitted?: ImageFitter.Fitted | undefined
}

type Emit = (event: TrainingSet.Event) => Effect.Effect<void>

/**
 * One pace for a run: a pause every worker honours before its next request (set by a 429's Retry-After
 * within the policy's `maxRetryAfter`), and an optional rate of requests per second shared by every worker,
 * retries included. A longer wait pauses nobody: the policy does not retry it, so the item fails at once with
 * it, and no pause of the run is ever longer than the cap (nor overflows a timer).
 */
const makePace = (rate: number | undefined, base: RetryPolicy.RetryPolicy, emit: Emit) =>
  Effect.gen(function*() {
    const limiter = rate === undefined
      ? undefined
      : yield* RateLimiter.make({ limit: Math.max(1, Math.floor(rate)), interval: Duration.seconds(1) })
    let pausedUntil = 0
    const permit = limiter === undefined ? Effect.void : limiter(Effect.void)
    const remaining = Effect.map(Clock.currentTimeMillis, (now) => Math.max(0, pausedUntil - now))
    const waitForPause: Effect.Effect<void> = Effect.flatMap(
      remaining,
      (millis) => millis === 0 ? Effect.void : Effect.zipRight(Effect.sleep(Duration.millis(millis)), waitForPause)
    )
    const overCap = (retryAfter: Duration.Duration): boolean => Duration.greaterThan(retryAfter, base.maxRetryAfter)
    const note = (index: number, error: TrainingImagesError): Effect.Effect<void> => {
      if (error._tag !== "RateLimitError" || error.retryAfter === undefined || overCap(error.retryAfter)) {
        return Effect.void
      }
      const retryAfter = error.retryAfter
      return Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const until = now + Duration.toMillis(retryAfter)
        if (until <= pausedUntil) return Effect.void
        pausedUntil = until
        return emit({ _tag: "Paused", index, retryAfter })
      })
    }
    const policyFor = (index: number): RetryPolicy.RetryPolicy => {
      return {
        ...base,
        // An add is sent again only when it surely was not applied (a 429, a connection refused): any other
        // failure, a 503 included, is found out by listing the model, so that no name is ever added twice.
        shouldRetry: (error, context) => base.shouldRetry(error, context) && Plan.runMayRetry(error, context.operation),
        schedule: base.schedule.pipe(
          Schedule.tapInput((error: TrainingImagesError) => note(index, error)),
          // A retry waits for the run's pause as well as its own backoff, and takes a permit of the rate.
          Schedule.modifyDelayEffect((_, delay) =>
            Effect.zipRight(permit, Effect.map(remaining, (millis) => Duration.max(delay, Duration.millis(millis))))
          )
        )
      }
    }
    const call = <A, E extends TrainingImagesError>(
      index: number,
      item: TrainingSet.PlanItem,
      effect: Effect.Effect<A, E>
    ): Effect.Effect<A, E> =>
      waitForPause.pipe(
        Effect.zipRight(permit),
        Effect.zipRight(TrainingImages.withRequestOptions(effect, { retryPolicy: policyFor(index) })),
        // Told by the retry loop once a retry is decided: only the retries that are sent become events.
        Effect.locally(currentRetryObserver, (error) => emit({ _tag: "Retried", index, item, error })),
        Effect.tapError((error) => note(index, error))
      )
    return { call }
  })

/** @internal */
export const apply = (
  plan: TrainingSet.Plan,
  sources: ReadonlyArray<TrainingSet.Source>,
  options: TrainingSet.ApplyOptions = {}
): Effect.Effect<TrainingSet.Report, UnsafePlanError, TrainingImages.TrainingImages> =>
  Effect.suspend(() => {
    const refused = checkPlan(plan, sources)
    return refused === undefined ? run(plan, sources, options) : Effect.fail(refused)
  })

// The run of a plan `checkPlan` accepted.
const run = (
  plan: TrainingSet.Plan,
  sources: ReadonlyArray<TrainingSet.Source>,
  options: TrainingSet.ApplyOptions
): Effect.Effect<TrainingSet.Report, never, TrainingImages.TrainingImages> =>
  Effect.scoped(Effect.gen(function*() {
    const images = yield* TrainingImages.TrainingImages
    const emit: Emit = options.onEvent ?? (() => Effect.void)
    const modelId = plan.modelId
    const byName = new Map(sources.map((source) => [source.name, source]))
    const maxResends = options.maxResends ?? 5
    const settleMillis = Duration.toMillis(Duration.decode(options.settleWindow ?? DEFAULT_SETTLE_WINDOW))
    // The ids this run knows for a name (kept, added, replaced): they resolve pairs before any listing does,
    // as a list may not show the latest adds yet.
    const knownIds = new Map<string, string>()
    const { call } = yield* makePace(options.rate, options.retryPolicy ?? defaultRetryPolicy, emit)
    const maxRequestBytes = yield* requestLimit(images)
    const outcomes: Array<TrainingSet.Outcome | undefined> = plan.items.map(() => undefined)

    const fitter = options.fit
    // Fits an image over the limit when there is a fitter; leaves any other as it is (the client refuses one
    // over the limit that had no size to judge before it was read).
    const fitted = (
      name: string,
      bytes: Uint8Array
    ): Effect.Effect<
      { readonly bytes: Uint8Array; readonly fitted?: ImageFitter.Fitted },
      ImageFitter.ImageFitError
    > => {
      if (fitter === undefined) return Effect.succeed({ bytes })
      const type = Plan.fitType({ name, bytes, maxRequestBytes })
      if (type === undefined) return Effect.succeed({ bytes })
      return fitImage(fitter, { name, bytes, mediaType: type, maxRequestBytes })
    }

    // The file as it is now, judged again before it is read (it may have changed since the plan): an image
    // over the limit fails unread (unless there is a fitter), so that a run holds at most `concurrency`
    // bodies within the limit.
    const bytesOf = (
      name: string,
      operation: "add" | "replace"
    ): Effect.Effect<Uint8Array, ImageSourceError | InvalidRequestError> => {
      const source = byName.get(name)
      if (source === undefined || source._tag !== "ImageSource") {
        return Effect.fail(new ImageSourceError({ path: name, reason: "not among the image sources given" }))
      }
      if (source.peek === undefined) return source.read
      return Effect.flatMap(source.peek, (peek): Effect.Effect<Uint8Array, ImageSourceError | InvalidRequestError> => {
        const refusal = Plan.judge({ name, peek, maxRequestBytes })
        if (refusal === undefined) return source.read
        if (refusal._tag === "Skip") return Effect.fail(notAnImage(name, operation))
        return fitter !== undefined && Plan.fitOf(name, refusal) !== undefined
          ? source.read
          : Effect.fail(requestTooLarge(operation, refusal.requestBytes, refusal.maxRequestBytes))
      })
    }
    const inputOf = (name: string, operation: "add" | "replace") =>
      Effect.flatMap(bytesOf(name, operation), (bytes) =>
        Effect.flatMap(fitted(name, bytes), (sent) =>
          Effect.map(
            toImageInput(name, sent.bytes, operation),
            (input) => ({ input, fitted: sent.fitted })
          )))

    const listed = (index: number, item: TrainingSet.PlanItem) =>
      Effect.map(call(index, item, images.list({ modelId })), (model) => model.trainingImages)

    // Sends the add; when its outcome is unknown, lists the model and looks for the names before anything
    // is sent again: at once, then (for the names not found) once the settle window has passed since the
    // failure, as a list may lag behind an add. `names` are what the add creates; `send` sends it for the
    // names still missing.
    const addOnce = (
      index: number,
      item: TrainingSet.PlanItem,
      names: ReadonlyArray<string>,
      send: (missing: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<string>, TrainingImagesError>
    ): Effect.Effect<Done, TrainingImagesError> => {
      const found = new Map<string, string>()
      const round = (missing: ReadonlyArray<string>, resends: number): Effect.Effect<
        Done,
        TrainingImagesError
      > =>
        send(missing).pipe(
          Effect.map((ids) => ({ ids, reconciled: false })),
          Effect.catchAll((error) => {
            if (!mayHaveApplied(error)) return Effect.fail(error)
            const look = Effect.map(Effect.orElseFail(listed(index, item), () => error), (trainingImages) => {
              for (const image of trainingImages) {
                if (missing.includes(image.name) && !found.has(image.name)) found.set(image.name, image.id)
              }
              return missing.filter((name) => !found.has(name))
            })
            const settled = Effect.flatMap(
              Clock.currentTimeMillis,
              (failedAt) =>
                Effect.flatMap(look, (still) =>
                  still.length === 0 || settleMillis <= 0
                    ? Effect.succeed(still)
                    : Effect.zipRight(sleepUntil(failedAt + settleMillis), look))
            )
            return Effect.flatMap(settled, (still) =>
              Effect.zipRight(
                emit({ _tag: "Reconciled", index, item, found: still.length === 0 }),
                still.length === 0
                  ? Effect.succeed({ ids: names.map((name) => found.get(name)!), reconciled: true })
                  : resends > 0
                  ? Effect.map(round(still, resends - 1), (done) => ({
                    ids: [
                      ...names.flatMap((name) => found.has(name) ? [found.get(name)!] : []),
                      ...done.ids
                    ],
                    reconciled: true
                  }))
                  : Effect.fail(error)
              ))
          })
        )
      return round(names, maxResends)
    }

    const run = (index: number, item: Sent): Effect.Effect<Done, TrainingSet.ItemError> => {
      switch (item._tag) {
        case "Add":
          return Effect.flatMap(inputOf(item.name, "add"), ({ fitted, input }) =>
            Effect.map(
              addOnce(
                index,
                item,
                [item.name],
                () => Effect.map(call(index, item, images.add({ modelId, ...input })), (image) => [image.id])
              ),
              (done): Done => {
                // Its id, known to the run for the pairs: an add has one.
                for (const id of done.ids) knownIds.set(item.name, id)
                return { ...done, fitted }
              }
            ))
        case "AddAssets":
          return addOnce(
            index,
            item,
            item.assets.map((asset) => asset.name),
            (missing) => {
              const assetIds = item.assets.filter((asset) => missing.includes(asset.name)).map((asset) => asset.assetId)
              const idsOf = (trainingImages: ReadonlyArray<Plan.RemoteImage>) =>
                missing.flatMap((name) => {
                  const image = trainingImages.find((image) => image.name === name)
                  return image === undefined ? [] : [image.id]
                })
              // A batch answers with one image: the ids of the others come from a list, listed again once
              // the settle window has passed when it does not show them all yet.
              return call(index, item, images.add({ modelId, assetIds })).pipe(
                Effect.zipRight(Clock.currentTimeMillis),
                Effect.flatMap((addedAt) =>
                  Effect.flatMap(listed(index, item), (trainingImages) => {
                    const ids = idsOf(trainingImages)
                    return ids.length === missing.length || settleMillis <= 0
                      ? Effect.succeed(ids)
                      : Effect.zipRight(sleepUntil(addedAt + settleMillis), Effect.map(listed(index, item), idsOf))
                  })
                )
              )
            }
          )
        case "Replace":
          return Effect.flatMap(inputOf(item.name, "replace"), ({ fitted, input }) =>
            Effect.map(
              call(index, item, images.replace({ modelId, trainingImageId: item.trainingImageId, ...input })),
              (image): Done => {
                knownIds.set(item.name, image.id)
                return { ids: [image.id], reconciled: false, fitted }
              }
            ))
        case "Delete":
          return Effect.as(
            call(index, item, images.delete({ modelId, trainingImageId: item.trainingImageId })),
            { ids: [], reconciled: false }
          )
        case "TooLarge":
          // Planned to fail: the file is not read.
          return Effect.fail(
            requestTooLarge(
              item.trainingImageId === undefined ? "add" : "replace",
              item.requestBytes,
              item.maxRequestBytes
            )
          )
        case "SetPairs": {
          const resolved = item.pairs.every((pair) => knownIds.has(pair.source) && knownIds.has(pair.target))
          // Stryker disable next-line ArrayDeclaration: equivalent, every name is known then and a listed image never overrides a known id (a stray entry, nameless, names no pair)
          return Effect.flatMap(resolved ? Effect.succeed([]) : listed(index, item), (trainingImages) => {
            const ids = new Map(knownIds)
            for (const image of trainingImages) if (!ids.has(image.name)) ids.set(image.name, image.id)
            const issues = Plan.checkPairs(new Set(ids.keys()), item.pairs)
            const [first, ...rest] = issues
            if (first !== undefined) {
              return Effect.fail(new InvalidRequestError({ operation: "replacePairs", issues: [first, ...rest] }))
            }
            const pairs = item.pairs.map((pair) => ({
              sourceId: ids.get(pair.source)!,
              targetId: ids.get(pair.target)!,
              ...(pair.instruction === undefined ? {} : { instruction: pair.instruction })
            }))
            return Effect.as(call(index, item, images.replacePairs({ modelId, pairs })), {
              ids: [],
              reconciled: false
            })
          })
        }
      }
    }

    const step = (index: number): Effect.Effect<void> => {
      const item = plan.items[index]!
      if (item._tag === "Keep") {
        outcomes[index] = { _tag: "Unchanged" }
        knownIds.set(item.name, item.trainingImageId)
        return Effect.void
      }
      if (item._tag === "Skip") {
        // Nothing is sent: its outcome is Unchanged, told to listeners as the end of the item.
        const outcome: TrainingSet.Outcome = { _tag: "Unchanged" }
        outcomes[index] = outcome
        return Effect.zipRight(
          emit({ _tag: "Started", index, item }),
          emit({ _tag: "Succeeded", index, item, outcome })
        )
      }
      return emit({ _tag: "Started", index, item }).pipe(
        Effect.zipRight(Effect.either(run(index, item))),
        Effect.flatMap((result) => {
          if (Either.isLeft(result)) {
            const outcome: TrainingSet.Outcome = { _tag: "Failed", error: result.left }
            outcomes[index] = outcome
            return emit({ _tag: "Failed", index, item, error: result.left })
          }
          const outcome: TrainingSet.Outcome = {
            _tag: "Succeeded",
            trainingImageIds: result.right.ids,
            reconciled: result.right.reconciled,
            ...(result.right.fitted === undefined ? {} : { fitted: result.right.fitted })
          }
          outcomes[index] = outcome
          return emit({ _tag: "Succeeded", index, item, outcome })
        })
      )
    }

    yield* emit({ _tag: "Planned", plan })
    const indices = plan.items.map((_, index) => index)
    yield* Effect.forEach(indices.filter((i) => plan.items[i]!._tag !== "SetPairs"), step, {
      concurrency: Math.max(1, Math.floor(options.concurrency ?? 4)),
      // Stryker disable next-line BooleanLiteral: equivalent, nothing reads the results: each step writes its outcome into `outcomes`
      discard: true
    })
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: equivalent, nothing reads the results: each step writes its outcome into `outcomes`
    yield* Effect.forEach(indices.filter((i) => plan.items[i]!._tag === "SetPairs"), step, { discard: true })

    const report: TrainingSet.Report = {
      modelId,
      results: plan.items.map((item, index) => ({
        item,
        // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent, unreachable: every item's step has set its outcome
        outcome: outcomes[index] ?? { _tag: "Unchanged" }
      })),
      ...(plan.tracksContent ? { state: stateAfter(plan, options.state, outcomes) } : {})
    }
    yield* emit({ _tag: "Finished", report })
    return report
  }))

/** @internal */
export const events = (
  plan: TrainingSet.Plan,
  sources: ReadonlyArray<TrainingSet.Source>,
  options: Omit<TrainingSet.ApplyOptions, "onEvent"> = {}
): Stream.Stream<TrainingSet.Event, UnsafePlanError, TrainingImages.TrainingImages> =>
  Stream.suspend(() => {
    const refused = checkPlan(plan, sources)
    if (refused !== undefined) return Stream.fail(refused)
    return Stream.asyncScoped<TrainingSet.Event, never, TrainingImages.TrainingImages>((emit) =>
      Effect.forkScoped(
        run(plan, sources, {
          ...options,
          onEvent: (event) => Effect.promise(() => emit.single(event))
        }).pipe(Effect.ensuring(Effect.promise(() => emit.end())))
      )
    )
  })

// The items `apply` sends requests for (a Keep or a Skip only ends with its outcome).
type Sent = Exclude<TrainingSet.PlanItem, { readonly _tag: "Keep" | "Skip" }>

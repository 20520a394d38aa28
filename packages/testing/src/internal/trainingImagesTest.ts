import {
  Endpoint,
  RetryPolicy,
  TrainingImage,
  TrainingImages,
  TrainingImagesError,
  Validate
} from "@effect-scenario/core"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Fault from "../Fault.js"
import type * as TrainingImagesTest from "../TrainingImagesTest.js"
import { requestedWait, statusHeaders } from "./fault.js"
import { FaultPlan } from "./faultPlan.js"
import { Store, type WireResponse } from "./store.js"

/** @internal */
export const DEFAULT_BASE_URL = "https://api.scenario.test/v1"

type Error = TrainingImagesError.TrainingImagesError

interface RequestLine {
  readonly operation: TrainingImagesError.Operation
  readonly method: string
  readonly url: string
}

/** @internal */
export const kindOf = (injected: TrainingImagesTest.Injected): string =>
  Fault.isFault(injected) ? Fault.kind(injected) : injected._tag

type Decode<A> = (body: unknown) => Either.Either<A, ParseResult.ParseError>

const decodeTrainingImage: Decode<TrainingImage.TrainingImage> = (body) =>
  Either.map(Schema.decodeUnknownEither(TrainingImage.TrainingImageResponse)(body), (r) => r.trainingImage)
const decodePairs: Decode<TrainingImage.ReplacePairsResult> = Schema.decodeUnknownEither(
  TrainingImage.ReplacePairsResponse
)
const decodeModel: Decode<TrainingImage.ModelTrainingImages> = Schema.decodeUnknownEither(TrainingImage.ModelResponse)
const decodeNothing: Decode<void> = () => Either.void

// What the retry of the HTTP client does, over the same policy: the policy's backoff, replaced by the wait
// the server asked for, and no retry when that wait is longer than the policy's `maxRetryAfter`.
/** @internal */
export const make = (options: TrainingImagesTest.Options = {}): Effect.Effect<TrainingImagesTest.Control> =>
  Effect.gen(function*() {
    const store = new Store(options.models ?? {}, yield* Clock.currentTimeMillis)
    const plan = new FaultPlan(kindOf, options.faults)
    const calls: Array<TrainingImagesTest.Call> = []
    let requestCount = 0
    const rawBaseUrl = options.baseUrl ?? DEFAULT_BASE_URL
    const baseUrl = rawBaseUrl.endsWith("/") ? rawBaseUrl.slice(0, -1) : rawBaseUrl
    const defaultTimeout = Duration.decode(options.timeout ?? TrainingImages.DEFAULT_TIMEOUT)
    const defaultPolicy = options.retryPolicy ?? RetryPolicy.defaultPolicy

    // One request, as the server would see it: the injected fault first, then the store.
    const attempt = <A>(
      call: Pick<TrainingImagesTest.Call, "operation" | "params">,
      endpoint: Endpoint.Endpoint,
      apply: (now: number) => WireResponse,
      decode: Decode<A>,
      timeout: Duration.Duration
    ): Effect.Effect<A, Error> =>
      Effect.suspend(() => {
        const requestId = `req_test_${++requestCount}`
        const line: RequestLine = {
          operation: endpoint.operation,
          method: endpoint.method,
          url: Endpoint.url(baseUrl, endpoint)
        }
        const injected = plan.next(endpoint.operation)
        let status: number | undefined = undefined

        const respond = (
          response: WireResponse,
          extraHeaders: Record<string, string> = {},
          retryAfter?: Duration.Duration
        ): Effect.Effect<A, Error> => {
          status = response.status
          const headers = { "content-type": "application/json", "x-request-id": requestId, ...extraHeaders }
          if (response.status < 200 || response.status >= 300) {
            return Effect.fail(TrainingImagesError.fromStatus({
              ...line,
              status: response.status,
              headers,
              body: response.body,
              requestId,
              ...(retryAfter === undefined ? {} : { retryAfter })
            }))
          }
          return Either.match(decode(response.body), {
            onRight: Effect.succeed,
            onLeft: (error) => {
              const text = JSON.stringify(response.body)
              return Effect.fail(
                new TrainingImagesError.ResponseDecodeError({
                  ...line,
                  status: response.status,
                  headers,
                  body: text,
                  bodyLength: text.length,
                  requestId,
                  issue: ParseResult.TreeFormatter.formatErrorSync(error)
                })
              )
            }
          })
        }

        const connectionLost = () =>
          new TrainingImagesError.ConnectionError({
            ...line,
            mayHaveReachedServer: true,
            cause: new globalThis.Error("socket hang up: the connection was dropped by an injected fault")
          })

        const exchange = Effect.gen(function*() {
          if (injected !== undefined && !Fault.isFault(injected)) {
            if ("status" in injected) status = injected.status
            return yield* Effect.fail(injected)
          }
          switch (injected?._tag) {
            case "StatusFault":
              return yield* respond(
                { status: injected.status, body: injected.body },
                statusHeaders(injected),
                requestedWait(injected)
              )
            case "DelayFault":
              yield* Effect.sleep(injected.duration)
              break
            case "DropFault":
              if (!injected.afterApply) return yield* Effect.fail(connectionLost())
          }
          const response = apply(yield* Clock.currentTimeMillis)
          if (injected?._tag === "DropFault") return yield* Effect.fail(connectionLost())
          return yield* respond(response)
        })

        return exchange.pipe(
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () => new TrainingImagesError.TimeoutError({ ...line, timeout, mayHaveReachedServer: true })
          }),
          Effect.ensuring(Effect.sync(() => {
            calls.push({
              ...call,
              requestId,
              method: line.method,
              url: line.url,
              fault: injected === undefined ? undefined : kindOf(injected),
              status
            } as TrainingImagesTest.Call)
          }))
        )
      })

    const send = <A>(
      call: Pick<TrainingImagesTest.Call, "operation" | "params">,
      endpoint: Endpoint.Endpoint,
      apply: (now: number) => WireResponse,
      decode: Decode<A>
    ): Effect.Effect<A, Error> =>
      Effect.flatMap(FiberRef.get(TrainingImages.currentRequestOptions), (overrides) => {
        const timeout = overrides.timeout === undefined ? defaultTimeout : Duration.decode(overrides.timeout)
        const policy = overrides.retryPolicy ?? defaultPolicy
        return RetryPolicy.retry(attempt(call, endpoint, apply, decode, timeout), policy, {
          operation: endpoint.operation,
          method: endpoint.method,
          idempotent: endpoint.idempotent
        })
      })

    const add = (p: TrainingImage.AddParams) =>
      send({ operation: "add", params: p }, Endpoint.add(p), (now) => store.add(p, now), decodeTrainingImage)
    const replace = (p: TrainingImage.ReplaceParams) =>
      send(
        { operation: "replace", params: p },
        Endpoint.replace(p),
        (now) => store.replace(p, now),
        decodeTrainingImage
      )
    const replacePairs = (p: TrainingImage.ReplacePairsParams) =>
      send({ operation: "replacePairs", params: p }, Endpoint.replacePairs(p), () => store.replacePairs(p), decodePairs)
    // An injected error is raised as given, whatever its type; every other error matches `DeleteError`.
    const delete_ = (p: TrainingImage.DeleteParams) =>
      send(
        { operation: "delete", params: p },
        Endpoint.delete(p),
        () => store.delete(p),
        decodeNothing
      ) as Effect.Effect<
        void,
        TrainingImagesError.DeleteError
      >
    const list = (p: TrainingImage.ListParams) =>
      send({ operation: "list", params: p }, Endpoint.list(p), () => store.list(p), decodeModel)

    const service: TrainingImages.Service = {
      add: (params) => Effect.flatMap(Validate.add(params), add),
      replace: (params) => Effect.flatMap(Validate.replace(params), replace),
      replacePairs: (params) => Effect.flatMap(Validate.replacePairs(params), replacePairs),
      delete: (params) => Effect.flatMap(Validate.delete(params), delete_),
      list: (params) => Effect.flatMap(Validate.list(params), list)
    }

    const control: TrainingImagesTest.Control = {
      service,
      snapshot: Effect.sync(() => store.snapshot()),
      model: (modelId) => Effect.sync(() => Option.fromNullable(store.model(modelId))),
      seed: (models) => Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => store.seed(models, now))),
      calls: Effect.sync(() => calls.slice()),
      failNext: (count, fault, options) => Effect.sync(() => plan.failNext(count, fault, options?.operation)),
      setFaults: (faults) => Effect.sync(() => plan.setRandom(faults)),
      faultCounts: Effect.sync(() => plan.countsByKind()),
      reset: Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          store.reset(now)
          plan.reset()
          calls.length = 0
          requestCount = 0
        }))
    }
    return control
  })

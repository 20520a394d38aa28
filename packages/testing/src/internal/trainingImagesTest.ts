import type { TrainingImage } from "@effect-scenario/core"
import {
  ApiResponse,
  Endpoint,
  RetryPolicy,
  Telemetry,
  TrainingImages,
  TrainingImagesError,
  Validate
} from "@effect-scenario/core"
import * as FakeAnswer from "@effect-scenario/emulator/FakeAnswer"
import { Store, type WireResponse } from "@effect-scenario/emulator/Store"
import * as FaultPlan from "@effect-scenario/kernel/FaultPlan"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Fault from "../Fault.js"
import type * as TrainingImagesTest from "../TrainingImagesTest.js"
import { statusHeaders } from "./fault.js"
import { checkSeed, type InvalidSeedError } from "./seed.js"

/** @internal */
export const DEFAULT_BASE_URL: string = FakeAnswer.DEFAULT_BASE_URL

type Error = TrainingImagesError.TrainingImagesError

/** @internal */
export const kindOf = (injected: TrainingImagesTest.Injected): string =>
  Fault.isFault(injected) ? Fault.kind(injected) : injected._tag

/** @internal */
export const make = (
  options: TrainingImagesTest.Options = {}
): Effect.Effect<TrainingImagesTest.Control, InvalidSeedError> =>
  Effect.gen(function*() {
    const store = new Store(
      yield* checkSeed(options.models ?? {}),
      yield* Clock.currentTimeMillis,
      false,
      options.listLag === undefined ? 0 : Duration.toMillis(Duration.decode(options.listLag))
    )
    const plan = FaultPlan.make(kindOf, options.faults)
    const calls: Array<TrainingImagesTest.Call> = []
    let requestCount = 0
    const baseUrl = FakeAnswer.baseUrlOf(options.baseUrl ?? DEFAULT_BASE_URL)
    const defaultTimeout = Duration.decode(options.timeout ?? TrainingImages.DEFAULT_TIMEOUT)
    const defaultPolicy = options.retryPolicy ?? RetryPolicy.defaultPolicy
    // The metrics and spans name the server the errors name.
    const server = URL.canParse(baseUrl) ? new URL(baseUrl) : undefined
    const defaultMaxRequestBytes = options.maxRequestBytes ?? TrainingImages.DEFAULT_MAX_REQUEST_BYTES

    // One request, as the server would see it: the injected fault first, then the store.
    const attempt = <A>(
      call: Pick<TrainingImagesTest.Call, "operation" | "params">,
      endpoint: Endpoint.Endpoint,
      apply: (now: number) => WireResponse,
      decode: ApiResponse.Decoder<A> | undefined,
      timeout: Duration.Duration,
      observe: (status: number) => void
    ): Effect.Effect<A, Error> =>
      Effect.suspend(() => {
        const requestId = FakeAnswer.requestId(++requestCount)
        const line: ApiResponse.RequestLine = {
          operation: endpoint.operation,
          method: endpoint.method,
          url: Endpoint.url(baseUrl, endpoint)
        }
        const injected = plan.next(endpoint.operation)
        let status: number | undefined = undefined

        // Answered as the HTTP client reads a response: the same mapping to values and typed errors.
        const respond = (
          response: WireResponse,
          extraHeaders: Record<string, string> = {}
        ): Effect.Effect<A, Error> => {
          status = response.status
          observe(response.status)
          const headers = FakeAnswer.headers(requestId, extraHeaders)
          return ApiResponse.interpret(
            line,
            { status: response.status, headers, text: JSON.stringify(response.body) },
            decode
          )
        }

        const connectionLost = () =>
          new TrainingImagesError.ConnectionError({
            ...line,
            mayHaveReachedServer: true,
            cause: FakeAnswer.droppedConnection()
          })

        const exchange = Effect.gen(function*() {
          if (injected !== undefined && !Fault.isFault(injected)) {
            if ("status" in injected) status = injected.status
            return yield* Effect.fail(injected)
          }
          if (injected !== undefined && !injected.afterApply) {
            switch (injected._tag) {
              case "StatusFault":
                return yield* respond({ status: injected.status, body: injected.body }, statusHeaders(injected))
              case "DelayFault":
                yield* Effect.sleep(injected.duration)
                break
              case "DropFault":
                return yield* Effect.fail(connectionLost())
            }
          }
          const response = apply(yield* Clock.currentTimeMillis)
          // The faults that come after the change was applied: the answer lost, replaced, or late.
          switch (injected?.afterApply ? injected._tag : undefined) {
            case "DropFault":
              return yield* Effect.fail(connectionLost())
            case "StatusFault": {
              const fault = injected as Fault.StatusFault
              return yield* respond({ status: fault.status, body: fault.body }, statusHeaders(fault))
            }
            case "DelayFault":
              yield* Effect.sleep((injected as Fault.DelayFault).duration)
          }
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
      decode: ApiResponse.Decoder<A> | undefined
    ): Effect.Effect<A, Error> =>
      Effect.flatMap(FiberRef.get(TrainingImages.currentRequestOptions), (overrides) => {
        const timeout = overrides.timeout === undefined ? defaultTimeout : Duration.decode(overrides.timeout)
        const policy = overrides.retryPolicy ?? defaultPolicy
        const tooLarge = TrainingImages.checkRequestSize(
          endpoint.operation,
          call.params,
          overrides.maxRequestBytes ?? defaultMaxRequestBytes
        )
        if (tooLarge !== undefined) return Effect.fail(tooLarge)
        return Telemetry.instrument(
          {
            operation: endpoint.operation,
            method: endpoint.method,
            serverAddress: server?.hostname ?? baseUrl,
            serverPort: server === undefined ? undefined : Telemetry.serverPort(server)
          },
          (observe) => attempt(call, endpoint, apply, decode, timeout, observe),
          (attempt) =>
            RetryPolicy.retry(attempt, policy, {
              operation: endpoint.operation,
              method: endpoint.method,
              idempotent: endpoint.idempotent
            })
        )
      })

    const add = (p: TrainingImage.AddParams) =>
      send(
        { operation: "add", params: p },
        Endpoint.add(p),
        (now) => store.add(p, now),
        ApiResponse.decodeTrainingImage
      )
    const replace = (p: TrainingImage.ReplaceParams) =>
      send(
        { operation: "replace", params: p },
        Endpoint.replace(p),
        (now) => store.replace(p, now),
        ApiResponse.decodeTrainingImage
      )
    const replacePairs = (p: TrainingImage.ReplacePairsParams) =>
      send(
        { operation: "replacePairs", params: p },
        Endpoint.replacePairs(p),
        () => store.replacePairs(p),
        ApiResponse.decodeReplacePairs
      )
    // An injected error is raised as given, whatever its type; every other error matches `DeleteError`.
    const delete_ = (p: TrainingImage.DeleteParams) =>
      send(
        { operation: "delete", params: p },
        Endpoint.delete(p),
        () => store.delete(p),
        undefined
      ) as Effect.Effect<
        void,
        TrainingImagesError.DeleteError
      >
    const list = (p: TrainingImage.ListParams) =>
      send({ operation: "list", params: p }, Endpoint.list(p), (now) => store.list(p, now), ApiResponse.decodeModel)

    const service: TrainingImages.Service = {
      add: (params) => Effect.flatMap(Validate.add(params), add),
      replace: (params) => Effect.flatMap(Validate.replace(params), replace),
      replacePairs: (params) => Effect.flatMap(Validate.replacePairs(params), replacePairs),
      delete: (params) => Effect.flatMap(Validate.delete(params), delete_),
      list: (params) => Effect.flatMap(Validate.list(params), list),
      maxRequestBytes: defaultMaxRequestBytes
    }

    const control: TrainingImagesTest.Control = {
      service,
      snapshot: Effect.sync(() => store.snapshot()),
      model: (modelId) => Effect.sync(() => Option.fromNullable(store.model(modelId))),
      seed: (models) =>
        Effect.flatMap(
          checkSeed(models),
          (checked) => Effect.flatMap(Clock.currentTimeMillis, (now) => Effect.sync(() => store.seed(checked, now)))
        ),
      calls: Effect.sync(() => calls.slice()),
      failNext: (count, fault, options) => Effect.sync(() => plan.failNext(count, fault, options?.operation)),
      setFaults: (faults) => Effect.sync(() => plan.setRandom(faults)),
      faultCounts: Effect.sync(() => plan.countsByKind()),
      setListLag: (lag) =>
        Effect.sync(() => store.setListLag(lag === undefined ? 0 : Duration.toMillis(Duration.decode(lag)))),
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

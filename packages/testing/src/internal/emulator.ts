import { Credentials, type TrainingImagesError } from "@effect-scenario/core"
import * as Auth from "@effect-scenario/emulator/Auth"
import { ChangeFeed } from "@effect-scenario/emulator/ChangeFeed"
import { failure, Store, type WireResponse } from "@effect-scenario/emulator/Store"
import * as FaultPlan from "@effect-scenario/kernel/FaultPlan"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import * as Fault from "../Fault.js"
import type * as ScenarioEmulator from "../ScenarioEmulator.js"
import { readText } from "./body.js"
import { statusHeaders } from "./fault.js"
import * as Inspector from "./inspector.js"
import * as InspectorServer from "./inspectorServer.js"
import { checkSeed, type InvalidSeedError } from "./seed.js"
import * as Wire from "./wire.js"

// API Gateway's limit, which the client also enforces by default.
const DEFAULT_MAX_BODY_SIZE = 10_485_760
// A seed is written by hand or built by a test; these keep one mistake from holding the emulator until reset.
const DEFAULT_MAX_SEED_BYTES = 1_048_576
const DEFAULT_MAX_SEED_IMAGES = 10_000
// A page open in a browser holds one; past the cap a page polls instead.
const DEFAULT_MAX_EVENT_STREAMS = 100
// A burst of requests becomes one event; a comment now and then keeps idle proxies from closing a stream.
const CHANGE_COALESCE_MILLIS = 100
const HEARTBEAT_MILLIS = 15_000

/** What the handlers learn about the request they serve, and fill in for the log. */
interface Exchange {
  readonly requestId: string
  readonly method: string
  readonly path: string
  readonly query: string
  readonly incoming: Http.IncomingMessage
  readonly receivedAt: number
  readonly started: number
  authenticated: boolean
  modelId: string | undefined
  operation: TrainingImagesError.Operation | undefined
  fault: Fault.Fault | undefined
  recorded: boolean
}

class CurrentExchange extends Context.Tag("@effect-scenario/testing/ScenarioEmulator/CurrentExchange")<
  CurrentExchange,
  Exchange
>() {}

const json = (response: WireResponse, headers: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(response.body, { status: response.status, headers })

/** @internal */
export const make = (
  options: ScenarioEmulator.Options & {
    readonly apiKey: string
    readonly apiSecret: string
    readonly bearerToken: string
  }
): Effect.Effect<ScenarioEmulator.Control, HttpServerError.ServeError | InvalidSeedError, Scope.Scope> =>
  Effect.gen(function*() {
    const maxSeedImages = options.maxSeedImages ?? DEFAULT_MAX_SEED_IMAGES
    const initialSeed = yield* checkSeed(options.models ?? {}, maxSeedImages)
    // A real server keeps real time, even when built inside a test that swapped in `TestClock`: its
    // delays must elapse on their own and its dates must be dates.
    const clock = Clock.make()
    const listLagMillis = options.listLag === undefined ? 0 : Duration.toMillis(Duration.decode(options.listLag))
    const store = new Store(initialSeed, clock.unsafeCurrentTimeMillis(), true, listLagMillis)
    const plan = FaultPlan.make(Fault.kind, options.faults)
    const requests: Array<ScenarioEmulator.RecordedRequest> = []
    let requestCount = 0
    // Bumped on every change the inspector shows: a request logged, a control call.
    const changes = new ChangeFeed(
      options.maxEventStreams ?? DEFAULT_MAX_EVENT_STREAMS,
      CHANGE_COALESCE_MILLIS,
      HEARTBEAT_MILLIS
    )
    const maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE

    const authenticates = Auth.authenticator(options)

    const record = (exchange: Exchange, status: number | undefined): Effect.Effect<void> =>
      Effect.suspend(() => {
        if (exchange.recorded) return Effect.void
        exchange.recorded = true
        const recorded: ScenarioEmulator.RecordedRequest = {
          requestId: exchange.requestId,
          method: exchange.method,
          path: exchange.path,
          query: exchange.query,
          receivedAt: new Date(exchange.receivedAt).toISOString(),
          durationMillis: Math.round((performance.now() - exchange.started) * 10) / 10,
          authenticated: exchange.authenticated,
          operation: exchange.operation,
          modelId: exchange.modelId,
          status,
          fault: exchange.fault === undefined ? undefined : Fault.kind(exchange.fault)
        }
        requests.push(recorded)
        changes.bump()
        return options.onRequest === undefined ? Effect.void : options.onRequest(recorded)
      })

    // Cuts the connection without a response. The server then interrupts this handler, as it does for any
    // client that goes away, so nothing is written afterwards.
    const drop = (exchange: Exchange): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
      Effect.zipRight(
        record(exchange, undefined),
        Effect.zipRight(Effect.sync(() => exchange.incoming.socket.destroy()), Effect.never)
      )

    // Every route: the fault first (as a gateway would inject it, before the service reads the request),
    // then the request parsed and validated, then the store.
    const handle = <P>(
      operation: TrainingImagesError.Operation,
      parse: (
        path: Readonly<Record<string, string | undefined>>,
        query: URLSearchParams,
        body: string
      ) => Either.Either<P, WireResponse>,
      apply: (params: P, now: number) => WireResponse,
      options: { readonly readsBody: boolean }
    ) =>
      Effect.gen(function*() {
        const exchange = yield* CurrentExchange
        exchange.operation = operation
        // The request's identity keys the random faults, so that they do not depend on the order of arrival.
        // Read once, whole or not at all: a body over the limit is drained, so that the 413 reaches the client.
        const body = options.readsBody
          ? yield* readText(exchange.incoming, maxBodySize)
          : { _tag: "Text" as const, text: "" }
        const keyBody = body._tag === "Text" ? body.text : ""
        const fault = plan.next(operation, `${exchange.method} ${exchange.path}?${exchange.query}\n${keyBody}`)
        exchange.fault = fault
        if (fault?._tag === "StatusFault" && !fault.afterApply) {
          return json({ status: fault.status, body: fault.body }, statusHeaders(fault))
        }
        if (fault?._tag === "DelayFault" && !fault.afterApply) yield* Effect.sleep(fault.duration)
        if (fault?._tag === "DropFault" && !fault.afterApply) return yield* drop(exchange)
        const path = yield* HttpRouter.params
        exchange.modelId = path.modelId
        if (body._tag === "TooLarge") return json(failure(413, "Request Too Long"))
        if (body._tag === "Unreadable") return json(failure(400, "The request body could not be read"))
        const response = Either.match(parse(path, new URLSearchParams(exchange.query), body.text), {
          onLeft: (rejected) => rejected,
          onRight: (params) => apply(params, clock.unsafeCurrentTimeMillis())
        })
        // The faults that come after the change was applied: the answer lost, replaced, or late.
        if (fault?._tag === "DropFault") return yield* drop(exchange)
        if (fault?._tag === "StatusFault") {
          return json({ status: fault.status, body: fault.body }, statusHeaders(fault))
        }
        if (fault?._tag === "DelayFault") yield* Effect.sleep(fault.duration)
        return json(response)
      })

    const router = HttpRouter.empty.pipe(
      HttpRouter.post(
        "/v1/models/:modelId/training-images",
        handle(
          "add",
          (path, query, body) => Wire.addParams(path.modelId ?? "", query, body),
          (params, now) => store.add(params, now),
          { readsBody: true }
        )
      ),
      HttpRouter.put(
        "/v1/models/:modelId/training-images/pairs",
        handle(
          "replacePairs",
          (path, _, body) => Wire.replacePairsParams(path.modelId ?? "", body),
          (params) => store.replacePairs(params),
          { readsBody: true }
        )
      ),
      HttpRouter.put(
        "/v1/models/:modelId/training-images/:trainingImageId",
        handle(
          "replace",
          (path, query, body) => Wire.replaceParams(path.modelId ?? "", path.trainingImageId ?? "", query, body),
          (params, now) => store.replace(params, now),
          { readsBody: true }
        )
      ),
      HttpRouter.del(
        "/v1/models/:modelId/training-images/:trainingImageId",
        handle(
          "delete",
          (path, query) => Wire.deleteParams(path.modelId ?? "", path.trainingImageId ?? "", query),
          (params) => store.delete(params),
          { readsBody: false }
        )
      ),
      HttpRouter.get(
        "/v1/models/:modelId",
        handle(
          "list",
          (path, query) => Wire.listParams(path.modelId ?? "", query),
          (params, now) => store.list(params, now),
          { readsBody: false }
        )
      )
    )

    // The router's defaults forgive what the API does not: another case, a trailing or doubled slash, long ids.
    const routes = yield* HttpRouter.toHttpApp(router).pipe(
      HttpRouter.withRouterConfig({
        caseSensitive: true,
        ignoreTrailingSlash: false,
        ignoreDuplicateSlashes: false,
        maxParamLength: 64 * 1024
      })
    )

    const app = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const incoming = NodeHttpServerRequest.toIncomingMessage(request)
      // The request target exactly as it came on the wire: the request's own `url` may be rewritten.
      const target = incoming.url ?? "/"
      const queryStart = target.indexOf("?")
      const path = queryStart === -1 ? target : target.slice(0, queryStart)
      // On loopback, a host name that is not loopback's is a page elsewhere reaching in through DNS
      // rebinding (a name of its own resolving to 127.0.0.1): neither the API nor the inspector answer it.
      const hostRefused = loopback && !Inspector.isLoopbackHostHeader(request.headers.host, control.port)
      if (inspector !== undefined && Inspector.isInspectorPath(path)) {
        return yield* InspectorServer.handle(request, path, inspector)
      }
      const requestId = `req_emulator_${++requestCount}`
      const exchange: Exchange = {
        requestId,
        method: request.method,
        path,
        query: queryStart === -1 ? "" : target.slice(queryStart + 1),
        incoming,
        receivedAt: clock.unsafeCurrentTimeMillis(),
        started: performance.now(),
        authenticated: !hostRefused && authenticates(request.headers.authorization),
        modelId: undefined,
        operation: undefined,
        fault: undefined,
        recorded: false
      }
      const response = hostRefused
        ? HttpServerResponse.unsafeJson(Inspector.hostRefusal(request.headers.host), { status: 403 })
        : !exchange.authenticated
        ? json(failure(401, "Unauthorized"), { "www-authenticate": "Basic realm=\"scenario\", Bearer" })
        : yield* routes.pipe(
          Effect.provideService(CurrentExchange, exchange),
          // A client that leaves (its timeout during a delay fault) interrupts the handler: log it unanswered.
          Effect.onInterrupt(() => record(exchange, undefined)),
          Effect.catchTag("RouteNotFound", () => Effect.succeed(json(failure(404, "Not Found")))),
          Effect.catchAllCause((cause) =>
            // An interruption is the client leaving (or the server stopping): nobody is left to answer.
            Cause.isInterruptedOnly(cause) ? Effect.failCause(cause) : Effect.as(
              Effect.logError("ScenarioEmulator: a request failed", cause),
              json(failure(500, "The emulator failed to handle the request"))
            )
          )
        )
      yield* record(exchange, response.status)
      return HttpServerResponse.setHeader(response, "x-request-id", requestId)
    }).pipe(
      HttpIncomingMessage.withMaxBodySize(Option.some(maxBodySize)),
      Effect.withClock(clock)
    )

    const nodeServer = Http.createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, {
      host: options.host ?? "127.0.0.1",
      port: options.port ?? 0
    })
    // Idle keep-alive connections, and requests held by a delay fault, would keep the server from closing.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))

    const address = server.address
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("the emulator listens on TCP only")
    const loopback = Inspector.isLoopbackAddress(address.hostname)
    const urlHost = address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname
    const changed = <A>(effect: Effect.Effect<A>): Effect.Effect<A> =>
      Effect.ensuring(effect, Effect.sync(() => changes.bump()))
    const control: ScenarioEmulator.Control = {
      baseUrl: `http://${urlHost}:${address.port}/v1`,
      inspectorUrl: options.inspector === false ? undefined : `http://${urlHost}:${address.port}/`,
      host: address.hostname,
      port: address.port,
      credentials: Credentials.basic(options.apiKey, options.apiSecret),
      bearerCredentials: Credentials.bearer(options.bearerToken),
      snapshot: Effect.sync(() => store.snapshot()),
      model: (modelId) => Effect.sync(() => Option.fromNullable(store.model(modelId))),
      seed: (models) =>
        Effect.flatMap(
          checkSeed(models, maxSeedImages),
          (checked) => changed(Effect.sync(() => store.seed(checked, clock.unsafeCurrentTimeMillis())))
        ),
      requests: Effect.sync(() => requests.slice()),
      failNext: (count, fault, options) => changed(Effect.sync(() => plan.failNext(count, fault, options?.operation))),
      setFaults: (faults) => changed(Effect.sync(() => plan.setRandom(faults))),
      faultCounts: Effect.sync(() => plan.countsByKind()),
      setListLag: (lag) =>
        changed(Effect.sync(() => store.setListLag(lag === undefined ? 0 : Duration.toMillis(Duration.decode(lag))))),
      reset: changed(Effect.sync(() => {
        store.reset(clock.unsafeCurrentTimeMillis())
        plan.reset()
        requests.length = 0
        requestCount = 0
      }))
    }
    const inspector: InspectorServer.Deps | undefined = options.inspector === false ? undefined : {
      control,
      changes,
      pendingFaults: () => plan.pending(),
      dataUrl: (modelId, trainingImageId) => store.dataUrl(modelId, trainingImageId),
      loopback,
      maxControlBytes: options.maxSeedBytes ?? DEFAULT_MAX_SEED_BYTES,
      authenticates
    }
    yield* server.serve(app)
    return control
  })

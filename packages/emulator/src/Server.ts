/**
 * The emulator itself: a plain `node:http` server of the training-images API (`/v1`) and of its inspector,
 * over the store, the fault plan and the rules of this package. Usable from any test as it is; each Effect
 * line's `ScenarioEmulator.layer` wraps it in a scope. What it cannot know without a runtime library is given:
 * faults of its own (`FaultKind`'s plain ones otherwise) and validators of its own (the kernel's `ParamsCheck`
 * otherwise, whose messages are the Schemas'); with neither, `start({ apiKey, apiSecret, bearerToken })` is the
 * whole emulator, the one the `scenario-emulator` command serves.
 *
 * @since 0.1.0
 */
import type { Operation } from "@effect-scenario/kernel/Endpoint"
import * as FaultPlan from "@effect-scenario/kernel/FaultPlan"
import * as ParamsCheck from "@effect-scenario/kernel/ParamsCheck"
import * as Http from "node:http"
import * as Auth from "./Auth.js"
import * as Body from "./Body.js"
import { ChangeFeed } from "./ChangeFeed.js"
import * as FaultKind from "./FaultKind.js"
import * as Host from "./Host.js"
import * as Inspector from "./Inspector.js"
import * as InspectorPage from "./InspectorPage.js"
import * as InspectorScript from "./InspectorScript.js"
import * as Seed from "./Seed.js"
import * as Store from "./Store.js"
import * as Wire from "./Wire.js"

/**
 * How a fault is answered: a status (with its headers) instead of the answer, a wait, or a connection cut;
 * before the change is applied, or after it.
 *
 * @since 0.1.0
 * @category models
 */
export type Answer =
  | {
    readonly _tag: "Status"
    readonly status: number
    readonly body: unknown
    readonly headers: Readonly<Record<string, string>>
    readonly afterApply: boolean
  }
  | { readonly _tag: "Delay"; readonly millis: number; readonly afterApply: boolean }
  | { readonly _tag: "Drop"; readonly afterApply: boolean }

/**
 * A validator's verdict on unknown params.
 *
 * @since 0.1.0
 * @category models
 */
export type Validated<A> =
  | { readonly _tag: "Valid"; readonly params: A }
  | {
    readonly _tag: "Invalid"
    readonly issues: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>
  }

/**
 * The validators of each operation's params.
 *
 * @since 0.1.0
 * @category models
 */
export interface Validators {
  readonly add: (input: unknown) => Validated<Store.ImageParams>
  readonly replace: (input: unknown) => Validated<Store.ReplaceParams>
  readonly replacePairs: (
    input: unknown
  ) => Validated<{ readonly modelId: string; readonly pairs: ReadonlyArray<Store.PairParams> }>
  readonly delete: (input: unknown) => Validated<{ readonly modelId: string; readonly trainingImageId: string }>
  readonly list: (input: unknown) => Validated<{ readonly modelId: string }>
}

/**
 * A request as the emulator logs it.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordedRequest {
  /** Also sent back in the `x-request-id` header. */
  readonly requestId: string
  readonly method: string
  /** The path exactly as it came on the wire: percent-encoding untouched, nothing normalised. */
  readonly path: string
  /** The query string as it came, without the `?` (`""` when there is none). */
  readonly query: string
  /**
   * When the request arrived, as an ISO date.
   *
   * @since 0.2.0
   */
  readonly receivedAt: string
  /**
   * Milliseconds from its arrival to its answer (or to the connection's end), to a tenth.
   *
   * @since 0.2.0
   */
  readonly durationMillis: number
  /** Whether the credentials were accepted. */
  readonly authenticated: boolean
  /** The operation the route serves; `undefined` when authentication failed or no route matched. */
  readonly operation: Operation | undefined
  /**
   * The model the path names, decoded; `undefined` when authentication failed or no route matched.
   *
   * @since 0.2.0
   */
  readonly modelId: string | undefined
  /** The status answered; `undefined` when no response was sent (a dropped connection, a client that left). */
  readonly status: number | undefined
  /** The kind of the fault injected (`Fault.kind`), if any. */
  readonly fault: string | undefined
}

/**
 * A request to the download origin as the emulator logs it, its headers included: so that a test can prove
 * what reached the download host (no `Authorization`, say).
 *
 * @since 0.4.0
 * @category models
 */
export interface RecordedDownload {
  readonly method: string
  /** The path exactly as it came on the wire. */
  readonly path: string
  /** Every header as received (names in lower case; a repeated header's values joined by `, `). */
  readonly headers: Readonly<Record<string, string>>
  /** The status answered. */
  readonly status: number
}

/**
 * A control request of the inspector, read, or the message of the 400 that refuses it.
 *
 * @since 0.1.0
 * @category models
 */
export type ControlCall<F> =
  | { readonly _tag: "FailNext"; readonly count: number; readonly fault: F; readonly operation: Operation | undefined }
  | { readonly _tag: "Seed"; readonly models: Store.Seed }
  | { readonly _tag: "Reset" }
  | { readonly _tag: "Refused"; readonly message: string }

/**
 * How the faults of a binding are named and answered, and how the inspector's control requests build them. A
 * binding with faults of its own gives all three; without them, the faults are the plain `Answer`s
 * (`FaultKind`), and these default to `FaultKind.kindOf`, the answer itself and `Inspector.controlCall` over
 * `FaultKind.answerOf`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultBinding<F> {
  readonly kindOf: (fault: F) => string
  readonly answerOf: (fault: F) => Answer
  readonly controlCall: (action: string, body: string) => ControlCall<F>
}

/**
 * What `start` needs: the credentials it accepts, and optionally the rest. Faults are plain `Answer`s unless a
 * `FaultBinding` is given (it then must be, whole).
 *
 * @since 0.1.0
 * @category models
 */
export type Options<F = Answer> = CommonOptions<F> & ([F] extends [Answer] ? Partial<FaultBinding<F>> : FaultBinding<F>)

/**
 * The options of `start` whatever its faults are.
 *
 * @since 0.1.0
 * @category models
 */
export interface CommonOptions<F> {
  readonly host?: string | undefined
  readonly port?: number | undefined
  readonly apiKey: string
  readonly apiSecret: string
  readonly bearerToken: string
  readonly models?: Store.Seed | undefined
  readonly faults?: FaultPlan.RandomFaults<F> | undefined
  readonly listLagMillis?: number | undefined
  /**
   * The port of the download origin, which serves each stored image at its `downloadUrl` (on `host`, a
   * listener of its own, so that the API's credentials are never its business). Default: a free port.
   *
   * @since 0.4.0
   */
  readonly downloadPort?: number | undefined
  readonly maxBodySize?: number | undefined
  readonly maxSeedBytes?: number | undefined
  readonly maxSeedImages?: number | undefined
  readonly maxEventStreams?: number | undefined
  readonly inspector?: boolean | undefined
  /** The checks of each operation's params; by default the kernel's (`ParamsCheck`), which give the Schemas' messages. */
  readonly validators?: Validators | undefined
  /** Awaited before the answer is sent. */
  readonly onRequest?: ((request: RecordedRequest) => void | Promise<void>) | undefined
  /** A request whose handling failed (answered 500). */
  readonly onError?: ((error: unknown) => void) | undefined
}

/**
 * A running emulator.
 *
 * @since 0.1.0
 * @category models
 */
export interface Running<F> {
  readonly url: string
  readonly inspectorUrl: string | undefined
  readonly host: string
  readonly port: number
  /**
   * Where the stored images are served: each image's `downloadUrl` is this and its id. Another origin than
   * `url` (another port).
   *
   * @since 0.4.0
   */
  readonly downloadUrl: string
  readonly control: {
    readonly snapshot: () => Store.Snapshot
    readonly model: (modelId: string) => Store.ModelState | undefined
    /** Throws `SeedError` for an invalid seed, leaving the store as it was. */
    readonly seed: (models: unknown) => void
    readonly requests: () => ReadonlyArray<RecordedRequest>
    /** The requests the download origin received, in order (since 0.4.0). */
    readonly downloads: () => ReadonlyArray<RecordedDownload>
    /** The next `count` downloads are answered 503, nothing served (since 0.4.0). */
    readonly failNextDownloads: (count: number) => void
    readonly failNext: (count: number, fault: F, operation: Operation | undefined) => void
    readonly setFaults: (faults: FaultPlan.RandomFaults<F> | undefined) => void
    readonly faultCounts: () => Readonly<Record<string, number>>
    readonly setListLag: (millis: number) => void
    readonly reset: () => void
  }
  /** Stops listening, cuts every connection and ends the requests under way. */
  readonly close: () => Promise<void>
}

/**
 * A seed with problems (thrown by `start` and `control.seed`).
 *
 * @since 0.1.0
 * @category errors
 */
export class SeedError extends Error {
  constructor(readonly issues: readonly [Seed.Issue, ...Array<Seed.Issue>]) {
    super(`Invalid seed: ${Seed.format(issues)}`)
    this.name = "SeedError"
  }
}

/**
 * The kernel's checks of each operation's params (`ParamsCheck`), the validators `start` uses unless given others.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultValidators: Validators = {
  add: ParamsCheck.add,
  replace: ParamsCheck.replace,
  replacePairs: ParamsCheck.replacePairs,
  delete: ParamsCheck.delete,
  list: ParamsCheck.list
}

const plainFaults: FaultBinding<Answer> = {
  kindOf: FaultKind.kindOf,
  answerOf: (fault) => fault,
  controlCall: (action, body) => Inspector.controlCall(action, body, FaultKind.answerOf)
}

/**
 * The API key of the Basic credentials the `scenario-emulator` command accepts unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_API_KEY = "emulator-key"

/**
 * The API secret of the Basic credentials the `scenario-emulator` command accepts unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_API_SECRET = "emulator-secret"

/**
 * The Bearer token the `scenario-emulator` command accepts unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BEARER_TOKEN = "emulator-token"

const DEFAULT_MAX_BODY_SIZE = 10_485_760
const DEFAULT_MAX_SEED_BYTES = 1_048_576
const DEFAULT_MAX_SEED_IMAGES = Seed.DEFAULT_MAX_IMAGES
const DEFAULT_MAX_EVENT_STREAMS = 100
const CHANGE_COALESCE_MILLIS = 100
const HEARTBEAT_MILLIS = 15_000

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY"
}

const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const ASSETS: Readonly<Record<string, { readonly body: string; readonly contentType: string }>> = {
  "/": { body: InspectorPage.HTML, contentType: "text/html; charset=utf-8" },
  "/inspector/inspector.css": { body: InspectorPage.CSS, contentType: "text/css; charset=utf-8" },
  "/inspector/view.js": { body: InspectorScript.VIEW, contentType: "text/javascript; charset=utf-8" },
  "/inspector/app.js": { body: InspectorScript.APP, contentType: "text/javascript; charset=utf-8" }
}

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

type Route =
  | { readonly operation: "add"; readonly modelId: string }
  | { readonly operation: "replacePairs"; readonly modelId: string }
  | { readonly operation: "replace"; readonly modelId: string; readonly trainingImageId: string }
  | { readonly operation: "delete"; readonly modelId: string; readonly trainingImageId: string }
  | { readonly operation: "list"; readonly modelId: string }

const MAX_PARAM_LENGTH = 64 * 1024

// The API's routes, matched as the API matches them: case-sensitive, no trailing or doubled slash forgiven, ids
// percent-decoded within their own segment.
const route = (method: string, path: string): Route | undefined => {
  const segments = path.split("/")
  // Stryker disable next-line ConditionalExpression: equivalent, node:http hands a handler no target but one that starts with a slash, or a scheme then an empty segment (refused by the next check as well)
  if (segments[0] !== "") return undefined
  if (segments[1] !== "v1" || segments[2] !== "models") return undefined
  const raw = segments.slice(3)
  if (raw.length === 0 || raw.some((segment) => segment === "")) return undefined
  // Stryker disable next-line all: equivalent under node:http's header limit (16 KiB unless the process is started with a larger one), which refuses a longer request target (431) before any handler runs
  if (raw.some((segment) => segment.length > MAX_PARAM_LENGTH)) return undefined
  if (raw.length > 3 || (raw.length > 1 && raw[1] !== "training-images")) return undefined
  const modelId = decodeSegment(raw[0]!)
  if (modelId === undefined) return undefined
  if (raw.length === 1) return method === "GET" ? { operation: "list", modelId } : undefined
  if (raw.length === 2) return method === "POST" ? { operation: "add", modelId } : undefined
  const trainingImageId = decodeSegment(raw[2]!)
  if (trainingImageId === undefined) return undefined
  // The static segment wins over an image id, as in the API's router.
  if (raw[2] === "pairs" && method === "PUT") return { operation: "replacePairs", modelId }
  if (method === "PUT") return { operation: "replace", modelId, trainingImageId }
  if (method === "DELETE") return { operation: "delete", modelId, trainingImageId }
  return undefined
}

// What a list or a delete reads: no body, its text (and its part of a fault's key) empty.
// Stryker disable next-line ObjectLiteral: equivalent, a body of no tag reads as no text for the key, and list and delete use no body
const NO_BODY: Body.BodyRead = {
  // Stryker disable next-line StringLiteral: equivalent, a body of another tag reads as no text for the key, and list and delete use no body
  _tag: "Text",
  text: ""
}

const sleep = (millis: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    // Stryker disable next-line ConditionalExpression: equivalent, each sleep directly follows a check that the signal is not aborted, with no wait between
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, Math.min(millis, 2_147_483_647))
    function done() {
      clearTimeout(timer)
      // Stryker disable next-line StringLiteral: equivalent, removing no listener or this one: the signal is the request's own: a later abort calls done again, whose resolve is then a no-op
      signal.removeEventListener("abort", done)
      resolve()
    }
    signal.addEventListener("abort", done)
  })

/**
 * Starts an emulator (127.0.0.1 and a free port unless told otherwise). Rejects with `SeedError` for an
 * invalid seed, or with the listening error (a port taken, say).
 *
 * @since 0.1.0
 * @category constructors
 */
export const start = async <F = Answer>(options: Options<F>): Promise<Running<F>> => {
  // What the options leave out is only ever left out when `F` is `Answer` (the type of `Options` says so): the
  // plain faults' own.
  const plain = plainFaults as unknown as FaultBinding<F>
  const binding: FaultBinding<F> = {
    kindOf: options.kindOf ?? plain.kindOf,
    answerOf: options.answerOf ?? plain.answerOf,
    controlCall: options.controlCall ?? plain.controlCall
  }
  const validators = options.validators ?? defaultValidators
  const maxSeedImages = options.maxSeedImages ?? DEFAULT_MAX_SEED_IMAGES
  const checkSeed = (models: unknown): Store.Seed => {
    const checked = Seed.check(models, maxSeedImages)
    if (checked._tag === "Invalid") throw new SeedError(checked.issues)
    return checked.seed
  }
  const initialSeed = checkSeed(options.models ?? {})
  const downloads = await startDownloads(options.host ?? "127.0.0.1", options.downloadPort ?? 0)
  const store = new Store.Store(initialSeed, Date.now(), true, options.listLagMillis ?? 0, downloads.url)
  downloads.serve((id) => store.download(id))
  const plan = FaultPlan.make(binding.kindOf, options.faults)
  const requests: Array<RecordedRequest> = []
  let requestCount = 0
  const changes = new ChangeFeed(
    options.maxEventStreams ?? DEFAULT_MAX_EVENT_STREAMS,
    CHANGE_COALESCE_MILLIS,
    HEARTBEAT_MILLIS
  )
  const authenticates = Auth.authenticator(options)
  const maxBodySize = options.maxBodySize ?? DEFAULT_MAX_BODY_SIZE
  const maxControlBytes = options.maxSeedBytes ?? DEFAULT_MAX_SEED_BYTES
  const inspectorOn = options.inspector !== false
  const active = new Set<AbortController>()

  const changed = <A>(f: () => A): A => {
    try {
      return f()
    } finally {
      changes.bump()
    }
  }

  const control: Running<F>["control"] = {
    snapshot: () => store.snapshot(),
    model: (modelId) => store.model(modelId),
    seed: (models) => {
      const checked = checkSeed(models)
      changed(() => store.seed(checked, Date.now()))
    },
    requests: () => requests.slice(),
    downloads: () => downloads.recorded.slice(),
    failNextDownloads: (count) => {
      downloads.failNext(count)
    },
    failNext: (count, fault, operation) => changed(() => plan.failNext(count, fault, operation)),
    setFaults: (faults) => changed(() => plan.setRandom(faults)),
    faultCounts: () => plan.countsByKind(),
    setListLag: (millis) => changed(() => store.setListLag(millis)),
    reset: () =>
      changed(() => {
        store.reset(Date.now())
        plan.reset()
        requests.length = 0
        requestCount = 0
        downloads.reset()
      })
  }

  const send = (
    response: Http.ServerResponse,
    status: number,
    body: string | Uint8Array | undefined,
    headers: Record<string, string>
  ): void => {
    if (response.destroyed || response.writableEnded) return
    const all: Record<string, string | number> = { ...headers }
    if (body !== undefined) all["content-length"] = Buffer.byteLength(body)
    response.writeHead(status, all)
    response.end(body)
  }
  const sendJson = (response: Http.ServerResponse, status: number, body: unknown, headers = {}) =>
    send(response, status, JSON.stringify(body), { "content-type": "application/json", ...headers })

  let port = 0

  const inspectorJson = (response: Http.ServerResponse, status: number, body: unknown, extra = {}) =>
    sendJson(response, status, body, { ...SECURITY_HEADERS, "cache-control": "no-store", ...extra })

  const serveInspector = async (
    request: Http.IncomingMessage,
    response: Http.ServerResponse,
    path: string,
    loopback: boolean
  ): Promise<void> => {
    const headers = request.headers
    const host = headers.host
    if (loopback) {
      if (!Host.isLoopbackHostHeader(host, port)) return inspectorJson(response, 403, Host.hostRefusal(host))
    } else if (!authenticates(headers.authorization)) {
      return inspectorJson(response, 401, { message: "Unauthorized" }, {
        "www-authenticate": "Basic realm=\"scenario emulator\""
      })
    }
    // Stryker disable next-line StringLiteral: equivalent, node:http gives every request its method
    const method = request.method ?? "GET"
    if (path === "/favicon.ico") return send(response, 204, undefined, SECURITY_HEADERS)
    const asset = ASSETS[path]
    if (asset !== undefined) {
      if (method !== "GET" && method !== "HEAD") return inspectorJson(response, 405, { message: "Method Not Allowed" })
      return send(response, 200, asset.body, {
        "content-type": asset.contentType,
        ...SECURITY_HEADERS,
        "cache-control": "no-store",
        ...(path === "/" ? { "content-security-policy": PAGE_POLICY } : {})
      })
    }
    if (path === "/inspector/api/state" && method === "GET") {
      return inspectorJson(
        response,
        200,
        Inspector.stateOf({
          version: changes.version,
          baseUrl: url,
          snapshot: store.snapshot(),
          // Stryker disable next-line MethodExpression: equivalent, the state is written out as JSON at once
          requests: requests.slice(),
          pendingFaults: plan.pending(),
          faultCounts: plan.countsByKind(),
          revisionOf: (modelId, id) => store.dataUrl(modelId, id)?.revision
        })
      )
    }
    if (path === "/inspector/api/events" && method === "GET") {
      let last = -1
      const push = (version: number) => {
        // Stryker disable next-line ConditionalExpression: equivalent, a write to a destroyed answer is dropped (node:http reports it to no one)
        if (response.destroyed) return
        response.write(version === last ? ": keep-alive\n\n" : `event: change\ndata: ${version}\n\n`)
        last = version
      }
      const unsubscribe = changes.subscribe(push)
      if (unsubscribe === undefined) {
        return inspectorJson(response, 503, {
          message: `Too many open event streams (${changes.maxListeners}, maxEventStreams): ` +
            "poll GET /inspector/api/state instead"
        })
      }
      response.on("close", unsubscribe)
      response.writeHead(200, {
        "content-type": "text/event-stream",
        ...SECURITY_HEADERS,
        "cache-control": "no-store",
        "x-accel-buffering": "no"
      })
      response.write("retry: 1000\n\n")
      push(changes.version)
      return
    }
    const image = /^\/inspector\/images\/([^/]+)\/([^/]+)$/.exec(path)
    if (image !== null && method === "GET") {
      const modelId = decodeSegment(image[1]!)
      const imageId = decodeSegment(image[2]!)
      // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, the store holds no image under an undefined id
      const stored = modelId === undefined || imageId === undefined ? undefined : store.dataUrl(modelId, imageId)
      const content = stored === undefined ? undefined : Inspector.imageOf(stored.dataUrl)
      if (content === undefined) return inspectorJson(response, 404, { message: "No inline image here" })
      return send(response, 200, Buffer.from(content.base64, "base64"), {
        "content-type": content.contentType,
        ...SECURITY_HEADERS,
        "cache-control": "private, max-age=3600",
        "content-security-policy": "default-src 'none'; sandbox"
      })
    }
    const action = /^\/inspector\/api\/(fail-next|seed|reset)$/.exec(path)?.[1]
    if (action !== undefined) {
      if (method !== "POST") return inspectorJson(response, 405, { message: "Method Not Allowed" }, { allow: "POST" })
      const write = { host, origin: headers.origin, "content-type": headers["content-type"] }
      if (!Host.isSameOriginWrite(write)) {
        return inspectorJson(response, 403, {
          message: "Control requests must be JSON from the inspector's own origin"
        })
      }
      const body = await Body.read(request, maxControlBytes)
      if (body._tag === "TooLarge") {
        const what = action === "seed" ? "The seed is" : "The request body is"
        return inspectorJson(response, 413, {
          message: `${what} over ${maxControlBytes} bytes (maxSeedBytes): seed fewer models or images, or from code`
        })
      }
      if (body._tag === "Unreadable") {
        // Stryker disable next-line ObjectLiteral,StringLiteral: equivalent, a body is unreadable only once its client has left: this answer reaches no one
        return inspectorJson(response, 400, { message: "The request body could not be read" })
      }
      const call = binding.controlCall(action, body.text)
      switch (call._tag) {
        case "Refused":
          return inspectorJson(response, 400, { message: call.message })
        case "FailNext":
          control.failNext(call.count, call.fault, call.operation)
          break
        case "Seed":
          try {
            control.seed(call.models)
          } catch (error) {
            if (error instanceof SeedError) return inspectorJson(response, 400, { message: error.message })
            throw error
          }
          break
        case "Reset":
          control.reset()
      }
      return inspectorJson(response, 200, { ok: true, pendingFaults: plan.pending() })
    }
    return inspectorJson(response, 404, { message: "Not Found" })
  }

  const serveApi = async (
    request: Http.IncomingMessage,
    response: Http.ServerResponse,
    target: { readonly path: string; readonly query: string },
    hostRefused: boolean
  ): Promise<void> => {
    const requestId = `req_emulator_${++requestCount}`
    const started = performance.now()
    const receivedAt = Date.now()
    // Stryker disable next-line StringLiteral: equivalent, node:http gives every request its method
    const method = request.method ?? "GET"
    const abort = new AbortController()
    active.add(abort)
    const authenticated = !hostRefused && authenticates(request.headers.authorization)
    let operation: Operation | undefined
    let modelId: string | undefined
    let fault: F | undefined
    let recorded = false
    const record = async (status: number | undefined) => {
      if (recorded) return
      recorded = true
      const entry: RecordedRequest = {
        requestId,
        method,
        path: target.path,
        query: target.query,
        receivedAt: new Date(receivedAt).toISOString(),
        durationMillis: Math.round((performance.now() - started) * 10) / 10,
        authenticated,
        operation,
        modelId,
        status,
        fault: fault === undefined ? undefined : binding.kindOf(fault)
      }
      requests.push(entry)
      changes.bump()
      await options.onRequest?.(entry)
    }
    // A client that leaves before its answer (its timeout during a delay) ends the handling: logged unanswered.
    response.on("close", () => {
      // Stryker disable next-line ConditionalExpression: equivalent, once the answer is finished the request is recorded and aborting its own signal ends nothing
      if (!response.writableFinished) {
        abort.abort()
        void record(undefined)
      }
    })
    const answer = async (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (abort.signal.aborted) return
      await record(status)
      sendJson(response, status, body, { ...headers, "x-request-id": requestId })
    }
    const drop = async () => {
      await record(undefined)
      abort.abort()
      request.socket.destroy()
    }
    try {
      if (hostRefused) return await answer(403, Host.hostRefusal(request.headers.host))
      if (!authenticated) {
        return await answer(401, { message: "Unauthorized" }, {
          "www-authenticate": "Basic realm=\"scenario\", Bearer"
        })
      }
      const matched = route(method, target.path)
      if (matched === undefined) return await answer(404, { message: "Not Found" })
      operation = matched.operation
      const readsBody = matched.operation === "add" || matched.operation === "replace" ||
        matched.operation === "replacePairs"
      const body: Body.BodyRead = readsBody ? await Body.read(request, maxBodySize) : NO_BODY
      if (abort.signal.aborted) return
      const keyBody = body._tag === "Text" ? body.text : ""
      fault = plan.next(matched.operation, `${method} ${target.path}?${target.query}\n${keyBody}`)
      const faultAnswer = fault === undefined ? undefined : binding.answerOf(fault)
      if (faultAnswer?._tag === "Status" && !faultAnswer.afterApply) {
        return await answer(faultAnswer.status, faultAnswer.body, { ...faultAnswer.headers })
      }
      if (faultAnswer?._tag === "Delay" && !faultAnswer.afterApply) await sleep(faultAnswer.millis, abort.signal)
      if (abort.signal.aborted) return
      if (faultAnswer?._tag === "Drop" && !faultAnswer.afterApply) return await drop()
      modelId = matched.modelId
      if (body._tag === "TooLarge") return await answer(413, { message: "Request Too Long" })
      // Stryker disable next-line ConditionalExpression,ObjectLiteral,StringLiteral: equivalent, a body is unreadable only once its client has left, which the check of the signal above already answered (a client that leaves mid-body takes no fault): this line is reached by no body of that tag
      if (body._tag === "Unreadable") return await answer(400, { message: "The request body could not be read" })
      const result = apply(matched, new URLSearchParams(target.query), body.text)
      if (faultAnswer?._tag === "Drop") return await drop()
      if (faultAnswer?._tag === "Status") {
        return await answer(faultAnswer.status, faultAnswer.body, { ...faultAnswer.headers })
      }
      // A client that left meanwhile gets no answer: `answer` sends none once aborted.
      if (faultAnswer?._tag === "Delay") await sleep(faultAnswer.millis, abort.signal)
      return await answer(result.status, result.body)
    } catch (error) {
      options.onError?.(error)
      return await answer(500, { message: "The emulator failed to handle the request" })
    } finally {
      active.delete(abort)
    }
  }

  const validated = <A>(verdict: Validated<A>, use: (params: A) => Store.WireResponse): Store.WireResponse =>
    verdict._tag === "Valid" ? use(verdict.params) : Wire.rejected(verdict.issues)

  const apply = (matched: Route, query: URLSearchParams, bodyText: string): Store.WireResponse => {
    const now = Date.now()
    switch (matched.operation) {
      case "add": {
        const input = Wire.imageInput(query, bodyText)
        if (input._tag === "Refused") return input.response
        return validated(
          validators.add({ ...input.value, modelId: matched.modelId }),
          (params) => store.add(params, now)
        )
      }
      case "replace": {
        const input = Wire.imageInput(query, bodyText)
        if (input._tag === "Refused") return input.response
        return validated(
          validators.replace({
            ...input.value,
            modelId: matched.modelId,
            trainingImageId: matched.trainingImageId
          }),
          (params) => store.replace(params, now)
        )
      }
      case "replacePairs": {
        const input = Wire.pairsInput(bodyText)
        if (input._tag === "Refused") return input.response
        return validated(
          validators.replacePairs({ modelId: matched.modelId, pairs: input.value }),
          (params) => store.replacePairs(params)
        )
      }
      case "delete":
        return validated(
          validators.delete({
            modelId: matched.modelId,
            trainingImageId: matched.trainingImageId,
            ...Wire.projectIdOf(query)
          }),
          (params) => store.delete(params)
        )
      case "list": {
        const flags = Wire.originalAssetsOf(query)
        if (flags._tag === "Refused") return flags.response
        return validated(
          validators.list({ ...flags.value, modelId: matched.modelId }),
          (params) => store.list(params, now)
        )
      }
    }
  }

  // Stryker disable next-line BooleanLiteral: equivalent, set from the address the server listens on before any request can arrive
  let loopback = false
  const server = Http.createServer((request, response) => {
    // The request target exactly as it came on the wire.
    // Stryker disable next-line StringLiteral: equivalent, node:http gives every request its target
    const target = request.url ?? "/"
    const queryStart = target.indexOf("?")
    const path = queryStart === -1 ? target : target.slice(0, queryStart)
    const query = queryStart === -1 ? "" : target.slice(queryStart + 1)
    const hostRefused = loopback && !Host.isLoopbackHostHeader(request.headers.host, port)
    const handled = inspectorOn && Inspector.isInspectorPath(path)
      ? serveInspector(request, response, path, loopback)
      : serveApi(request, response, { path, query }, hostRefused)
    handled.catch((error: unknown) => {
      options.onError?.(error)
      // Stryker disable next-line ConditionalExpression: equivalent, no handler fails once its headers are sent (the event stream's are written last)
      if (!response.headersSent) sendJson(response, 500, { message: "The emulator failed to handle the request" })
    })
  })

  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject)
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
        // Stryker disable next-line StringLiteral: equivalent, the promise is settled once listening: a listener left behind rejects nothing, and a listening server emits no error
        server.off("error", reject)
        resolve()
      })
    })
  } catch (error) {
    await downloads.close()
    throw error
  }
  const address = server.address()
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: equivalent where it passes, a server listening on a TCP port always has an address object
  if (address === null || typeof address === "string") throw new Error("the emulator listens on TCP only")
  port = address.port
  loopback = Host.isLoopbackAddress(address.address)
  const urlHost = address.address.includes(":") ? `[${address.address}]` : address.address
  const url = `http://${urlHost}:${address.port}/v1`

  return {
    url,
    inspectorUrl: inspectorOn ? `http://${urlHost}:${address.port}/` : undefined,
    host: address.address,
    port: address.port,
    downloadUrl: downloads.url,
    control,
    close: () =>
      Promise.all([
        new Promise<void>((resolve) => {
          for (const abort of active) abort.abort()
          server.close(() => resolve())
          server.closeAllConnections()
        }),
        downloads.close()
      ]).then(() => undefined)
  }
}

const DOWNLOAD_PREFIX = "/assets/"

const headersOf = (request: Http.IncomingMessage): Record<string, string> => {
  const headers = new Map<string, string>()
  // node:http hands the raw headers as name, value, name, value…: an even count.
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!.toLowerCase()
    const value = request.rawHeaders[i + 1]!
    const before = headers.get(name)
    headers.set(name, before === undefined ? value : `${before}, ${value}`)
  }
  return Object.fromEntries(headers)
}

// The download origin: a listener of its own that serves each stored image's bytes at `/assets/<id>`, asks
// for no credentials, and records every request with its headers.
const startDownloads = async (host: string, port: number) => {
  const recorded: Array<RecordedDownload> = []
  let failing = 0
  let content: (trainingImageId: string) => Store.Download | undefined = () => undefined
  const server = Http.createServer((request, response) => {
    // Stryker disable next-line StringLiteral: equivalent, node:http gives every request its method
    const method = request.method ?? "GET"
    // Stryker disable next-line StringLiteral: equivalent, node:http gives every request its target
    const target = request.url ?? "/"
    const path = target.split("?")[0]!
    const answer = (status: number, body: Uint8Array | string, headers: Record<string, string>) => {
      recorded.push({ method, path: target, headers: headersOf(request), status })
      response.writeHead(status, {
        ...headers,
        ...SECURITY_HEADERS,
        "cache-control": "no-store",
        "content-length": String(Buffer.byteLength(body))
      })
      // node:http sends no body in answer to a HEAD (it drops what is written).
      response.end(body)
    }
    if (method !== "GET" && method !== "HEAD") {
      return answer(405, "Method Not Allowed", { "content-type": "text/plain", allow: "GET, HEAD" })
    }
    if (failing > 0) {
      failing--
      return answer(503, "Service Unavailable", { "content-type": "text/plain" })
    }
    // One path segment, percent-decoded: an id holding a slash is served at its URL, where the slash is `%2F`.
    const segment = path.startsWith(DOWNLOAD_PREFIX) ? path.slice(DOWNLOAD_PREFIX.length) : undefined
    const id = segment === undefined || segment.includes("/") ? undefined : decodeSegment(segment)
    // Stryker disable next-line ConditionalExpression: equivalent, the store holds no image under an undefined id
    const found = id === undefined ? undefined : content(id)
    if (found === undefined) return answer(404, "Not Found", { "content-type": "text/plain" })
    return answer(200, found.bytes, { "content-type": found.contentType })
  })
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(port, host, () => {
      // Stryker disable next-line StringLiteral: equivalent, the promise is settled once listening: a listener left behind rejects nothing, and a listening server emits no error
      server.off("error", reject)
      resolve()
    })
  })
  const address = server.address()
  // Stryker disable next-line ConditionalExpression,LogicalOperator,StringLiteral: equivalent where it passes, a server listening on a TCP port always has an address object
  if (address === null || typeof address === "string") throw new Error("the emulator listens on TCP only")
  const urlHost = address.address.includes(":") ? `[${address.address}]` : address.address
  return {
    url: `http://${urlHost}:${address.port}${DOWNLOAD_PREFIX.slice(0, -1)}`,
    recorded,
    serve: (lookup: typeof content) => {
      content = lookup
    },
    failNext: (count: number) => {
      failing = Math.max(0, Math.floor(count))
    },
    reset: () => {
      recorded.length = 0
      failing = 0
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
}

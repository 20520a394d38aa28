import type { ChangeFeed } from "@effect-scenario/emulator/ChangeFeed"
import * as Page from "@effect-scenario/emulator/InspectorPage"
import * as Script from "@effect-scenario/emulator/InspectorScript"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Stream from "effect/Stream"
import type * as ScenarioEmulator from "../ScenarioEmulator.js"
import { readText } from "./body.js"
import * as Inspector from "./inspector.js"

/** What the inspector reads of the emulator beyond its `Control`. */
export interface Deps {
  readonly control: ScenarioEmulator.Control
  /** The version bumped on every change of state or log, and the event streams that follow it. */
  readonly changes: ChangeFeed
  readonly pendingFaults: () => number
  readonly dataUrl: (modelId: string, trainingImageId: string) => {
    readonly dataUrl: string
    readonly revision: number
  } | undefined
  /** Whether the emulator listens on a loopback address only. */
  readonly loopback: boolean
  /** The largest body of a control request (`maxSeedBytes`). */
  readonly maxControlBytes: number
  readonly authenticates: (authorization: string | undefined) => boolean
}

const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY"
}

const PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

const text = (body: string, contentType: string, extra: Record<string, string> = {}) =>
  HttpServerResponse.text(body, {
    contentType,
    headers: { ...SECURITY_HEADERS, "cache-control": "no-store", ...extra }
  })

const json = (status: number, body: unknown, extra: Record<string, string> = {}) =>
  HttpServerResponse.unsafeJson(body, {
    status,
    headers: { ...SECURITY_HEADERS, "cache-control": "no-store", ...extra }
  })

const ASSETS: Readonly<Record<string, { readonly body: string; readonly contentType: string }>> = {
  "/": { body: Page.HTML, contentType: "text/html; charset=utf-8" },
  "/inspector/inspector.css": { body: Page.CSS, contentType: "text/css; charset=utf-8" },
  "/inspector/view.js": { body: Script.VIEW, contentType: "text/javascript; charset=utf-8" },
  "/inspector/app.js": { body: Script.APP, contentType: "text/javascript; charset=utf-8" }
}

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/**
 * Serves the inspector: its page, its read-only JSON and event stream, the thumbnails, and the control
 * API, which calls the very `Control` functions tests use.
 *
 * @internal
 */
export const handle = (
  request: HttpServerRequest.HttpServerRequest,
  path: string,
  deps: Deps
): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
  Effect.gen(function*() {
    const headers = request.headers
    if (deps.loopback) {
      // The emulator checked the host name already; checked again so that this handler is safe on its own.
      if (!Inspector.isLoopbackHostHeader(headers.host, deps.control.port)) {
        return json(403, Inspector.hostRefusal(headers.host))
      }
    } else if (!deps.authenticates(headers.authorization)) {
      // Reachable from other machines: the inspector asks for the API's credentials.
      return json(401, { message: "Unauthorized" }, { "www-authenticate": "Basic realm=\"scenario emulator\"" })
    }

    // A browser asks for it; the page has none, and it must not end in the API's log as a 401.
    if (path === "/favicon.ico") return HttpServerResponse.empty({ status: 204, headers: SECURITY_HEADERS })

    const asset = ASSETS[path]
    if (asset !== undefined) {
      if (request.method !== "GET" && request.method !== "HEAD") return json(405, { message: "Method Not Allowed" })
      return text(asset.body, asset.contentType, path === "/" ? { "content-security-policy": PAGE_POLICY } : {})
    }

    if (path === "/inspector/api/state" && request.method === "GET") {
      const [snapshot, requests, faultCounts] = yield* Effect.all([
        deps.control.snapshot,
        deps.control.requests,
        deps.control.faultCounts
      ])
      return json(
        200,
        Inspector.stateOf({
          version: deps.changes.version,
          baseUrl: deps.control.baseUrl,
          snapshot,
          requests,
          pendingFaults: deps.pendingFaults(),
          faultCounts,
          revisionOf: (modelId, id) => deps.dataUrl(modelId, id)?.revision
        })
      )
    }

    if (path === "/inspector/api/events" && request.method === "GET") {
      // The place is taken now, so that a page over the cap learns it from the status and polls instead.
      let push: ((version: number) => void) | undefined
      const unsubscribe = deps.changes.subscribe((version) => push?.(version))
      if (unsubscribe === undefined) {
        return json(503, {
          message: `Too many open event streams (${deps.changes.maxListeners}, maxEventStreams): ` +
            "poll GET /inspector/api/state instead"
        })
      }
      // Nothing runs for a stream between changes: the feed pushes the version (sliding, so a slow reader gets
      // the latest); the same version again is the shared heartbeat, sent as a comment.
      const versions = Stream.asyncPush<number>((emit) =>
        Effect.sync(() => {
          push = (version) => emit.single(version)
          emit.single(deps.changes.version)
        }), { bufferSize: 1, strategy: "sliding" })
      const events = Stream.mapAccum(versions, -1, (last, version): [number, string] => [
        version,
        version === last ? ": keep-alive\n\n" : `event: change\ndata: ${version}\n\n`
      ])
      return HttpServerResponse.stream(
        Stream.concat(Stream.make("retry: 1000\n\n"), events).pipe(
          Stream.encodeText,
          Stream.ensuring(Effect.sync(unsubscribe))
        ),
        {
          contentType: "text/event-stream",
          headers: { ...SECURITY_HEADERS, "cache-control": "no-store", "x-accel-buffering": "no" }
        }
      )
    }

    const image = /^\/inspector\/images\/([^/]+)\/([^/]+)$/.exec(path)
    if (image !== null && request.method === "GET") {
      const modelId = decodeSegment(image[1]!)
      const imageId = decodeSegment(image[2]!)
      const stored = modelId === undefined || imageId === undefined ? undefined : deps.dataUrl(modelId, imageId)
      const content = stored === undefined ? undefined : Inspector.imageOf(stored.dataUrl)
      if (content === undefined) return json(404, { message: "No inline image here" })
      return HttpServerResponse.uint8Array(Buffer.from(content.base64, "base64"), {
        contentType: content.contentType,
        headers: {
          ...SECURITY_HEADERS,
          // The URL names the revision, so a changed image gets a new URL.
          "cache-control": "private, max-age=3600",
          "content-security-policy": "default-src 'none'; sandbox"
        }
      })
    }

    const action = /^\/inspector\/api\/(fail-next|seed|reset)$/.exec(path)?.[1]
    if (action !== undefined) {
      if (request.method !== "POST") return json(405, { message: "Method Not Allowed" }, { allow: "POST" })
      const write = { host: headers.host, origin: headers.origin, "content-type": headers["content-type"] }
      if (!Inspector.isSameOriginWrite(write)) {
        return json(403, { message: "Control requests must be JSON from the inspector's own origin" })
      }
      const body = yield* readText(NodeHttpServerRequest.toIncomingMessage(request), deps.maxControlBytes)
      if (body._tag === "TooLarge") {
        const what = action === "seed" ? "The seed is" : "The request body is"
        return json(413, {
          message: `${what} over ${deps.maxControlBytes} bytes (maxSeedBytes): seed fewer models or images, ` +
            "or from code"
        })
      }
      if (body._tag === "Unreadable") return json(400, { message: "The request body could not be read" })
      const call = Inspector.controlCall(action, body.text)
      if (Either.isLeft(call)) return json(400, { message: call.left })
      switch (call.right._tag) {
        case "FailNext":
          yield* deps.control.failNext(call.right.count, call.right.fault, { operation: call.right.operation })
          break
        case "Seed": {
          const seeded = yield* Effect.either(deps.control.seed(call.right.models))
          if (Either.isLeft(seeded)) return json(400, { message: seeded.left.message })
          break
        }
        case "Reset":
          yield* deps.control.reset
      }
      return json(200, { ok: true, pendingFaults: deps.pendingFaults() })
    }

    return json(404, { message: "Not Found" })
  })

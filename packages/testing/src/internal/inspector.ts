import type { TrainingImagesError } from "@effect-scenario/core"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Fault from "../Fault.js"
import type * as ScenarioEmulator from "../ScenarioEmulator.js"
import type * as TrainingImagesTest from "../TrainingImagesTest.js"

/**
 * The inspector's rules, apart from the server that applies them: which requests it accepts, what its JSON
 * says, how a control request becomes a call on `ScenarioEmulator.Control`, how a stored data URL becomes a
 * thumbnail.
 */

/** @internal */
export const PATH_PREFIX = "/inspector/"

/** The request log entries the state carries, newest first. */
export const REQUEST_LIMIT = 500

/** @internal */
export const isInspectorPath = (path: string): boolean =>
  path === "/" || path === "/favicon.ico" || path.startsWith(PATH_PREFIX)

/** @internal */
export const isLoopbackAddress = (host: string): boolean =>
  host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host)

const LOOPBACK_HOST = /^(localhost|127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})|\[::1\])(?::(\d{1,5}))?$/i

/**
 * A server bound to loopback answers only to the names of loopback (`localhost`, `127.x.x.x`, `[::1]`, with
 * its own port or none), so that a page on another site cannot reach it through a host name of its own that
 * resolves to 127.0.0.1 (DNS rebinding). The one rule for the API and the inspector alike.
 *
 * @internal
 */
export const isLoopbackHostHeader = (hostHeader: string | undefined, port: number): boolean => {
  const match = hostHeader === undefined ? null : LOOPBACK_HOST.exec(hostHeader)
  if (match === null) return false
  if (match.slice(2, 5).some((octet) => octet !== undefined && Number(octet) > 255)) return false
  return match[5] === undefined || Number(match[5]) === port
}

/**
 * The body of the 403 that answers another host name on a loopback bind.
 *
 * @internal
 */
export const hostRefusal = (hostHeader: string | undefined): { readonly message: string } => ({
  message: "The emulator listens on loopback and answers loopback host names only (localhost, 127.x.x.x, [::1]), " +
    `not ${hostHeader === undefined ? "a request without a Host header" : hostHeader.slice(0, 256)}`
})

/**
 * A control request changes state: it must come from the page itself. A JSON body cannot be sent across
 * sites without a CORS preflight (which the emulator never grants), and a browser's `Origin`, when sent,
 * must be the page's own.
 *
 * @internal
 */
export const isSameOriginWrite = (headers: {
  readonly host?: string | undefined
  readonly origin?: string | undefined
  readonly "content-type"?: string | undefined
}): boolean =>
  /^application\/json\b/i.test(headers["content-type"] ?? "") &&
  (headers.origin === undefined || headers.origin === `http://${headers.host ?? ""}`)

// Only the raster types a browser shows safely as an image: the content came from a test, not a trusted source.
const IMAGE_TYPES = new Set(["png", "jpeg", "jpg", "gif", "webp", "avif", "bmp"])

/**
 * The bytes of a stored data URL and their content type, when it is an image a browser may show.
 *
 * @internal
 */
export const imageOf = (dataUrl: string): { readonly contentType: string; readonly base64: string } | undefined => {
  const match = /^data:image\/([A-Za-z0-9.+-]+)(?:;[^,;]*)*;base64,/.exec(dataUrl)
  if (match === null) return undefined
  const type = match[1]!.toLowerCase()
  if (!IMAGE_TYPES.has(type)) return undefined
  return { contentType: `image/${type === "jpg" ? "jpeg" : type}`, base64: dataUrl.slice(match[0].length) }
}

/** @internal */
export const thumbnailPath = (modelId: string, trainingImageId: string, revision: number): string =>
  `${PATH_PREFIX}images/${encodeURIComponent(modelId)}/${encodeURIComponent(trainingImageId)}?revision=${revision}`

/** @internal */
export interface InspectorImage extends TrainingImagesTest.StoredImage {
  /** Where the page finds the image's content; `null` for an image added by asset id (a placeholder). */
  readonly thumbnail: string | null
}

/** @internal */
export interface InspectorModel extends Omit<TrainingImagesTest.ModelState, "trainingImages"> {
  readonly trainingImages: ReadonlyArray<InspectorImage>
}

/** @internal */
export interface InspectorState {
  readonly version: number
  readonly baseUrl: string
  readonly models: ReadonlyArray<InspectorModel>
  /** Newest first, at most `REQUEST_LIMIT`. */
  readonly requests: ReadonlyArray<ScenarioEmulator.RecordedRequest>
  readonly requestCount: number
  readonly pendingFaults: number
  readonly faultCounts: Readonly<Record<string, number>>
}

/** @internal */
export const stateOf = (input: {
  readonly version: number
  readonly baseUrl: string
  readonly snapshot: TrainingImagesTest.Snapshot
  readonly requests: ReadonlyArray<ScenarioEmulator.RecordedRequest>
  readonly pendingFaults: number
  readonly faultCounts: Readonly<Record<string, number>>
  readonly revisionOf: (modelId: string, trainingImageId: string) => number | undefined
}): InspectorState => ({
  version: input.version,
  baseUrl: input.baseUrl,
  models: Object.values(input.snapshot.models).map((model) => ({
    ...model,
    trainingImages: model.trainingImages.map((image) => {
      const revision = input.revisionOf(model.id, image.id)
      return { ...image, thumbnail: revision === undefined ? null : thumbnailPath(model.id, image.id, revision) }
    })
  })),
  requests: input.requests.slice(-REQUEST_LIMIT).reverse(),
  requestCount: input.requests.length,
  pendingFaults: input.pendingFaults,
  faultCounts: input.faultCounts
})

const Operation = Schema.Literal("add", "replace", "replacePairs", "delete", "list")

/**
 * `POST /inspector/api/fail-next`: the arguments of `Control.failNext`, the fault named by its kind.
 *
 * @internal
 */
export const FailNextBody = Schema.Struct({
  count: Schema.Int.pipe(Schema.between(1, 10_000)),
  kind: Schema.String,
  retryAfterSeconds: Schema.optional(Schema.Number.pipe(Schema.between(0, 86_400))),
  delayMillis: Schema.optional(Schema.Int.pipe(Schema.between(0, 3_600_000))),
  operation: Schema.optional(Operation)
})

const isObjectOfModels = (json: unknown): json is TrainingImagesTest.Seed =>
  typeof json === "object" && json !== null && !Array.isArray(json)

/** A control request the page sent, ready for `Control`, or the message of the 400 that refuses it. */
export type ControlCall =
  | {
    readonly _tag: "FailNext"
    readonly count: number
    readonly fault: Fault.Fault
    readonly operation: TrainingImagesError.Operation | undefined
  }
  | { readonly _tag: "Seed"; readonly models: TrainingImagesTest.Seed }
  | { readonly _tag: "Reset" }

const parseJson = (text: string): Either.Either<unknown, string> => {
  try {
    return Either.right(JSON.parse(text))
  } catch {
    return Either.left("Invalid JSON body")
  }
}

const decodeJson = <A, I>(schema: Schema.Schema<A, I>, text: string): Either.Either<A, string> =>
  Either.flatMap(parseJson(text), (json) =>
    Either.mapLeft(
      Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(json),
      (error) => ParseResult.TreeFormatter.formatErrorSync(error)
    ))

/**
 * The control call a `POST /inspector/api/<action>` asks for.
 *
 * @internal
 */
export const controlCall = (action: string, body: string): Either.Either<ControlCall, string> => {
  switch (action) {
    case "fail-next":
      return Either.flatMap(decodeJson(FailNextBody, body), (input) => {
        const fault = Fault.fromKind(input.kind, {
          retryAfter: input.retryAfterSeconds === undefined ? undefined : `${input.retryAfterSeconds} seconds`,
          delay: input.delayMillis === undefined ? undefined : `${input.delayMillis} millis`
        })
        return fault === undefined
          ? Either.left(`Unknown fault kind ${JSON.stringify(input.kind)}`)
          : Either.right({ _tag: "FailNext", count: input.count, fault, operation: input.operation })
      })
    case "seed":
      // The object as parsed, never rebuilt: a model id such as `__proto__` stays an own property. Its models
      // are checked by `seed` itself (`InvalidSeedError`, answered 400), as for a seed given in code.
      return Either.flatMap(parseJson(body), (json) =>
        isObjectOfModels(json)
          ? Either.right<ControlCall>({ _tag: "Seed", models: json })
          : Either.left("The seed must be a JSON object of models by id"))
    case "reset":
      return Either.right({ _tag: "Reset" })
    default:
      return Either.left(`Unknown control action ${JSON.stringify(action)}`)
  }
}

/**
 * The service's wire format, as plain data for both lines: each case is the calls made over a stub transport
 * scripted with `replies`, the requests the stub must record (one per call) and what each call must give
 * back. Each line's `test/TrainingImages.test.ts` runs them through its own service over its own stub
 * `HttpClient`, and also runs the ids of `hostileIds` and `stepIds` through its path encoding.
 */
import { trainingImageJson } from "./errors.js"

export type Operation = "add" | "replace" | "replacePairs" | "delete" | "list"

/** The default base URL, and the `Basic` header of the stubs' credentials (`key_123:secret_456`). */
export const BASE = "https://api.cloud.scenario.com/v1"
export const BASIC = `Basic ${btoa("key_123:secret_456")}`

/** A 1×1 PNG as a data URL. */
export const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVQYV2NgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII="

/** A request as the stub must have recorded it; absent fields are not compared. */
export interface ExpectedRequest {
  readonly method?: string
  readonly url?: string
  /** The body as sent (`undefined`: none). */
  readonly body?: string | undefined
  /** These headers among those sent. */
  readonly headers?: Readonly<Record<string, string>>
  /** The headers every call sends: the credentials (`BASIC` unless `headers` say otherwise), accept JSON, the line's user agent. */
  readonly standardHeaders?: true
  /** The content type sent (`undefined`: none). */
  readonly contentType?: string | undefined
  /** The user agent starts with `effect-scenario/` and a version. */
  readonly versionedUserAgent?: true
}

/** What a call gives back; absent fields are not compared. */
export interface ExpectedResult {
  /** The class of the value, or `undefined` for none. */
  readonly kind?: "TrainingImage" | "ModelTrainingImages" | "undefined"
  readonly id?: string
  readonly count?: number
  readonly pairSourceIds?: ReadonlyArray<string>
  readonly modelId?: string
  readonly status?: string
  readonly trainingImagesNumber?: number
  readonly imageIds?: ReadonlyArray<string>
  /** Keys that no training image of the list has (fields of the API the schema does not keep). */
  readonly imageKeysLack?: ReadonlyArray<string>
  readonly pairCount?: number
}

export interface Case {
  readonly name: string
  readonly replies: ReadonlyArray<{ readonly status: number; readonly body?: unknown }>
  /** The service's credentials instead of the stubs' `Basic` ones. */
  readonly bearer?: string
  readonly baseUrl?: string
  readonly calls: ReadonlyArray<{ readonly operation: Operation; readonly params: unknown }>
  /** One per call. */
  readonly requests: ReadonlyArray<ExpectedRequest>
  /** One per call, when compared. */
  readonly results?: ReadonlyArray<ExpectedResult>
}

/** A training image as the API answers it, with this id. */
export const imageJson = (id = "asset_1") => ({
  ...trainingImageJson(),
  id,
  downloadUrl: `https://cdn.example/${id}.png`
})

const image = (id?: string) => ({ status: 200, body: { trainingImage: imageJson(id) } })
const pairs = [{ sourceId: "a", targetId: "b", instruction: "make it blue" }, { sourceId: "b", targetId: "c" }]
const emptyModel = { status: 200, body: { model: { id: "model_1", status: "new", trainingImagesNumber: 0 } } }

export const cases: ReadonlyArray<Case> = [
  {
    name: "add with an asset id: POST, path, query, headers and exact body",
    replies: [image()],
    calls: [{
      operation: "add",
      params: { modelId: "model_1", assetId: "asset_9", preset: "style", originalAssets: true }
    }],
    requests: [{
      method: "POST",
      url: `${BASE}/models/model_1/training-images?originalAssets=true`,
      standardHeaders: true,
      contentType: "application/json",
      versionedUserAgent: true,
      body: JSON.stringify({ assetId: "asset_9", preset: "style" })
    }],
    results: [{ kind: "TrainingImage", id: "asset_1" }]
  },
  {
    name: "add with a batch of asset ids",
    replies: [image()],
    calls: [{ operation: "add", params: { modelId: "model_1", assetIds: ["asset_1", "asset_2"] } }],
    requests: [{
      url: `${BASE}/models/model_1/training-images`,
      body: JSON.stringify({ assetIds: ["asset_1", "asset_2"] })
    }]
  },
  {
    name: "add with inline data and a name, originalAssets=false",
    replies: [image()],
    calls: [{ operation: "add", params: { modelId: "model_1", data: PNG, name: "cat.png", originalAssets: false } }],
    requests: [{
      url: `${BASE}/models/model_1/training-images?originalAssets=false`,
      body: JSON.stringify({ data: PNG, name: "cat.png" })
    }]
  },
  {
    name: "replace: PUT on the training image",
    replies: [image("asset_7")],
    calls: [{
      operation: "replace",
      params: { modelId: "model_1", trainingImageId: "asset_7", data: PNG, preset: "subject" }
    }],
    requests: [{
      method: "PUT",
      url: `${BASE}/models/model_1/training-images/asset_7`,
      body: JSON.stringify({ data: PNG, preset: "subject" })
    }],
    results: [{ kind: "TrainingImage", id: "asset_7" }]
  },
  {
    name: "replacePairs: PUT with a bare JSON array",
    replies: [{ status: 200, body: { count: 2, pairs } }],
    calls: [{ operation: "replacePairs", params: { modelId: "model_1", pairs } }],
    requests: [{ method: "PUT", url: `${BASE}/models/model_1/training-images/pairs`, body: JSON.stringify(pairs) }],
    results: [{ count: 2, pairSourceIds: ["a", "b"] }]
  },
  {
    name: "replacePairs with no pairs sends an empty array",
    replies: [{ status: 200, body: { count: 0, pairs: [] } }],
    calls: [{ operation: "replacePairs", params: { modelId: "model_1", pairs: [] } }],
    requests: [{ body: "[]" }]
  },
  {
    name: "delete: DELETE with projectId, no body, an empty object back",
    replies: [{ status: 200, body: {} }],
    calls: [{ operation: "delete", params: { modelId: "model_1", trainingImageId: "asset_7", projectId: "proj_1" } }],
    requests: [{
      method: "DELETE",
      url: `${BASE}/models/model_1/training-images/asset_7?projectId=proj_1`,
      body: undefined
    }],
    results: [{ kind: "undefined" }]
  },
  {
    // The stub transport adds the trace propagation headers (traceparent, b3) itself: they are not compared.
    name: "list and delete (no body) send the same headers as the calls with one, content-type aside",
    replies: [{ status: 200, body: {} }, emptyModel],
    calls: [
      { operation: "delete", params: { modelId: "model_1", trainingImageId: "asset_7" } },
      { operation: "list", params: { modelId: "model_1" } }
    ],
    requests: [
      { method: "DELETE", standardHeaders: true, contentType: undefined },
      { method: "GET", standardHeaders: true, contentType: undefined }
    ]
  },
  {
    name: "replace and replacePairs (PUT) send the same headers as add, with the JSON content type",
    replies: [image("asset_7"), { status: 200, body: { count: 0, pairs: [] } }],
    calls: [
      { operation: "replace", params: { modelId: "model_1", trainingImageId: "asset_7", assetId: "asset_9" } },
      { operation: "replacePairs", params: { modelId: "model_1", pairs: [] } }
    ],
    requests: [
      { method: "PUT", standardHeaders: true, contentType: "application/json" },
      { method: "PUT", standardHeaders: true, contentType: "application/json" }
    ]
  },
  {
    name: "delete accepts any 2xx body, even none",
    replies: [{ status: 204 }],
    calls: [{ operation: "delete", params: { modelId: "model_1", trainingImageId: "asset_7" } }],
    requests: [{ method: "DELETE" }],
    results: [{ kind: "undefined" }]
  },
  {
    name: "list: GET the model, decode only its training-image fields",
    replies: [{
      status: 200,
      body: {
        model: {
          id: "model_1",
          name: "Cinematic Realism",
          type: "flux.1-lora",
          status: "trained",
          trainingImagesNumber: 1,
          trainingImages: [{ ...imageJson("asset_3"), somethingNew: true }],
          trainingImagePairs: [{ sourceId: "asset_3", targetId: "asset_3" }],
          extra: { nested: 1 }
        }
      }
    }],
    calls: [{ operation: "list", params: { modelId: "model_1", originalAssets: true } }],
    requests: [{ method: "GET", url: `${BASE}/models/model_1?originalAssets=true` }],
    results: [{
      kind: "ModelTrainingImages",
      modelId: "model_1",
      status: "trained",
      trainingImagesNumber: 1,
      imageIds: ["asset_3"],
      imageKeysLack: ["somethingNew"],
      pairCount: 1
    }]
  },
  {
    name: "list: a model without training images decodes to empty lists",
    replies: [{
      status: 200,
      body: { model: { id: "model_1", status: "new", type: "sd-xl", trainingImagesNumber: 0 } }
    }],
    calls: [{ operation: "list", params: { modelId: "model_1" } }],
    requests: [{}],
    results: [{ imageIds: [], pairCount: 0 }]
  },
  {
    name: "Bearer credentials",
    replies: [{ status: 200, body: {} }],
    bearer: "jwt.token.value",
    calls: [{ operation: "delete", params: { modelId: "m", trainingImageId: "t" } }],
    requests: [{ headers: { authorization: "Bearer jwt.token.value" } }]
  },
  ...["http://127.0.0.1:4010/v1", "http://127.0.0.1:4010/v1/"].map((baseUrl): Case => ({
    name: `a custom base URL, with or without a trailing slash: ${baseUrl}`,
    replies: [{ status: 200, body: {} }],
    baseUrl,
    calls: [{ operation: "delete", params: { modelId: "m", trainingImageId: "t" } }],
    requests: [{ url: "http://127.0.0.1:4010/v1/models/m/training-images/t" }]
  }))
]

/** What a line lends the facts: its user agent and its classes of results. */
export interface Line {
  readonly userAgent: string
  readonly isTrainingImage: (u: unknown) => boolean
  readonly isModelTrainingImages: (u: unknown) => boolean
}

/** A request the stub recorded. */
export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

/** The facts of `request` in the shape of `expected`: equal to it when they hold. */
export const requestFacts = (request: Recorded | undefined, expected: ExpectedRequest, line: Line): ExpectedRequest => {
  if (request === undefined) return { method: "(no request)" }
  const facts: Record<string, unknown> = {}
  if ("method" in expected) facts.method = request.method
  if ("url" in expected) facts.url = request.url
  if ("body" in expected) facts.body = request.body
  if (expected.headers !== undefined) {
    facts.headers = Object.fromEntries(Object.keys(expected.headers).map((name) => [name, request.headers[name]]))
  }
  if (expected.standardHeaders) {
    const authorization = expected.headers?.authorization ?? BASIC
    const { accept, authorization: sent, "user-agent": userAgent } = request.headers
    facts.standardHeaders = sent === authorization && accept === "application/json" && userAgent === line.userAgent
      ? true
      : { authorization: sent, accept, "user-agent": userAgent }
  }
  if ("contentType" in expected) facts.contentType = request.headers["content-type"]
  if (expected.versionedUserAgent) {
    const userAgent = request.headers["user-agent"] ?? ""
    facts.versionedUserAgent = /^effect-scenario\/\d+\.\d+\.\d+/.test(userAgent) ? true : userAgent
  }
  return facts as ExpectedRequest
}

/** The facts of `result` in the shape of `expected`: equal to it when they hold. */
export const resultFacts = (result: unknown, expected: ExpectedResult, line: Line): ExpectedResult => {
  const r = (result ?? {}) as Record<string, unknown>
  const facts: Record<string, unknown> = {}
  if ("kind" in expected) {
    facts.kind = result === undefined
      ? "undefined"
      : line.isTrainingImage(result)
      ? "TrainingImage"
      : line.isModelTrainingImages(result)
      ? "ModelTrainingImages"
      : typeof result
  }
  for (const key of ["id", "count", "modelId", "status", "trainingImagesNumber"] as const) {
    if (key in expected) facts[key] = r[key]
  }
  const images = (r.trainingImages ?? []) as ReadonlyArray<Record<string, unknown>>
  const pairs = (r.pairs ?? []) as ReadonlyArray<Record<string, unknown>>
  if ("pairSourceIds" in expected) facts.pairSourceIds = pairs.map((pair) => pair.sourceId)
  if ("imageIds" in expected) {
    facts.imageIds = Array.isArray(r.trainingImages) ? images.map((image) => image.id) : r.trainingImages
  }
  if (expected.imageKeysLack !== undefined) {
    facts.imageKeysLack = expected.imageKeysLack.filter((key) => images.every((image) => !(key in image)))
  }
  if ("pairCount" in expected) {
    facts.pairCount = Array.isArray(r.trainingImagePairs) ? r.trainingImagePairs.length : r.trainingImagePairs
  }
  return facts as ExpectedResult
}

/** Ids with characters that mean something in a URL, and the path segment each must become. */
export const hostileIds = [
  ["a/b", "a%2Fb"],
  ["../../admin", "..%2F..%2Fadmin"],
  ["x?y=1", "x%3Fy%3D1"],
  ["x#frag", "x%23frag"],
  ["100%", "100%25"],
  ["%2F", "%252F"],
  ["a\nb\u0000", "a%0Ab%00"],
  ["bild-ä-🖼", "bild-%C3%A4-%F0%9F%96%BC"],
  ["...", "..."],
  [" ", "%20"]
] as const

/** Ids that URL parsers would resolve as steps: refused before sending. */
export const stepIds = [".", ".."] as const

/**
 * The client's properties over a recording stub transport, as plain data and checks for both lines: each
 * property's name and number of runs, the request each valid call must send, the reply each call is given, how
 * a decoded response is wrapped back into its wire body, and the outcome each hostile response must end in.
 * The generators are test-support's (`property.ts`). The runners: `packages/core/test/Property.test.ts`
 * (Effect 3) and `packages/effect4/test/Property.test.ts` (Effect 4), which bind these to their line's service,
 * Schemas and `Exit`.
 */

import { trainingImageJson } from "./errors.js"

export type Operation = "add" | "replace" | "replacePairs" | "delete" | "list"

/** The runs a property makes unless its test says otherwise. */
export const DEFAULT_RUNS = 100

/** What the stub answers with when a test gives no headers of its own. */
export const DEFAULT_CONTENT_TYPE = "application/json"

/** The statuses a `Response` holds no body under: the stub answers them with none. */
export const NULL_BODY_STATUSES: ReadonlyArray<number> = [204, 205, 304]

// ---------------------------------------------------------------------------------------------------------
// Valid params encode to the documented request
// ---------------------------------------------------------------------------------------------------------

export const ENCODE_DESCRIBE = "valid params encode to the documented request"

/** The ids a property draws besides its operation's params: hostile ones weighted in. */
export interface DrawnIds {
  readonly modelId: string
  readonly trainingImageId: string
  /** Ids each pair's source and target are drawn from (a pair holds one at each end, in reverse). */
  readonly pairIds: ReadonlyArray<string>
}

/** The request a valid call of one operation must send, and what the stub answers it with. */
export interface EncodeCase {
  readonly name: string
  /** The params the call is made with: the generated ones, the drawn ids put in. */
  readonly params: (generated: Readonly<Record<string, unknown>>, ids: DrawnIds) => Readonly<Record<string, unknown>>
  readonly reply: (params: Readonly<Record<string, unknown>>) => unknown
  /** Fields of the call's result, each exactly this value. */
  readonly resultFields?: (params: Readonly<Record<string, unknown>>) => Readonly<Record<string, unknown>>
  readonly method: string
  /** The decoded segments of the URL's path below the base URL. */
  readonly segments: (params: Readonly<Record<string, unknown>>) => ReadonlyArray<unknown>
  readonly query: (params: Readonly<Record<string, unknown>>) => Readonly<Record<string, string>>
  /** The request's content type, where the test checks it. */
  readonly contentType?: string
  /** The JSON the body parses to; absent: no body. */
  readonly body?: (params: Readonly<Record<string, unknown>>) => unknown
}

const IMAGE_KEYS = ["assetId", "assetIds", "data", "name", "preset"] as const

/** The JSON body `add` and `replace` must send for these params: the image fields, nothing undefined. */
export const expectedImageBody = (params: Readonly<Record<string, unknown>>) => {
  const body: Record<string, unknown> = {}
  for (const key of IMAGE_KEYS) if (params[key] !== undefined) body[key] = params[key]
  return body
}

/** `originalAssets` in the query when it is given. */
export const flagQuery = (value: unknown) => value === undefined ? {} : { originalAssets: String(value) }

interface Pair {
  readonly sourceId: string
  readonly targetId: string
  readonly instruction?: string | undefined
}

/** The generated pairs, then one pair per drawn id: that id as the source, the id at the mirrored place as target. */
const pairsOf = (generated: ReadonlyArray<Pair>, ids: ReadonlyArray<string>): ReadonlyArray<Pair> => [
  ...generated,
  ...ids.map((id, i) => ({ sourceId: id, targetId: ids[ids.length - 1 - i]! }))
]

/** A pair on the wire: its instruction only when it has one. */
const pairJsonOf = (pair: Pair) =>
  pair.instruction === undefined ? { sourceId: pair.sourceId, targetId: pair.targetId } : pair

/** The reply `add` and `replace` are given: a training image. */
export const okImage = { trainingImage: trainingImageJson() }

/** A reply any operation can read. */
export const anyReply = { trainingImage: trainingImageJson(), count: 0, pairs: [] }

export const encodes: ReadonlyArray<readonly [Operation, EncodeCase]> = [
  ["add", {
    name: "add: POST /models/{modelId}/training-images, the image fields as the JSON body",
    params: (generated, { modelId }) => ({ ...generated, modelId }),
    reply: () => okImage,
    method: "POST",
    segments: (params) => ["models", params.modelId, "training-images"],
    query: (params) => flagQuery(params.originalAssets),
    contentType: "application/json",
    body: expectedImageBody
  }],
  ["replace", {
    name: "replace: PUT /models/{modelId}/training-images/{trainingImageId}",
    params: (generated, { modelId, trainingImageId }) => ({ ...generated, modelId, trainingImageId }),
    reply: () => okImage,
    method: "PUT",
    segments: (params) => ["models", params.modelId, "training-images", params.trainingImageId],
    query: (params) => flagQuery(params.originalAssets),
    body: expectedImageBody
  }],
  ["replacePairs", {
    name: "replacePairs: PUT .../pairs with the pairs as a bare JSON array",
    params: (generated, { modelId, pairIds }) => ({
      modelId,
      pairs: pairsOf(generated.pairs as ReadonlyArray<Pair>, pairIds)
    }),
    reply: () => ({ count: 0, pairs: [] }),
    method: "PUT",
    segments: (params) => ["models", params.modelId, "training-images", "pairs"],
    query: () => ({}),
    body: (params) => (params.pairs as ReadonlyArray<Pair>).map(pairJsonOf)
  }],
  ["delete", {
    name: "delete: DELETE .../{trainingImageId}, projectId in the query, no body",
    params: (generated, { modelId, trainingImageId }) => ({ ...generated, modelId, trainingImageId }),
    reply: () => ({}),
    method: "DELETE",
    segments: (params) => ["models", params.modelId, "training-images", params.trainingImageId],
    query: (params) => params.projectId === undefined ? {} : { projectId: String(params.projectId) }
  }],
  ["list", {
    name: "list: GET /models/{modelId}",
    params: (generated, { modelId }) => ({ ...generated, modelId }),
    reply: (params) => ({ model: { id: params.modelId, status: "new", trainingImagesNumber: 0 } }),
    resultFields: (params) => ({ modelId: params.modelId }),
    method: "GET",
    segments: (params) => ["models", params.modelId],
    query: (params) => flagQuery(params.originalAssets)
  }]
]

// ---------------------------------------------------------------------------------------------------------
// Responses decode back to the values they were encoded from
// ---------------------------------------------------------------------------------------------------------

export const DECODE_DESCRIBE = "responses decode back to equal values"

/**
 * The classes of a value, down to each pair and image: an object's prototype and its defined fields' classes.
 * Decoded equals generated when the fields are equal (an optional field generated as `undefined` travels as an
 * absent key, which is the same value) and so are the classes.
 */
export const classesOf = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(classesOf)
    : typeof value === "object" && value !== null
    ? [Object.getPrototypeOf(value), Object.values(value).filter((field) => field !== undefined).map(classesOf)]
    : null

type Json = Readonly<Record<string, unknown>>

export const decodes = {
  trainingImage: {
    name: "TrainingImage, through add and replace, unknown fields ignored",
    /** The operations whose response is decoded, each called with test-support's `validParams`. */
    through: ["add", "replace"],
    /** The keys the extra fields of the outer object and of the image may not take. */
    outerKeys: ["trainingImage"],
    /** The encoded response with extra fields put in, outside and inside the image. */
    wire: (encoded: Json, outerExtra: Json, innerExtra: Json) => ({
      ...outerExtra,
      trainingImage: { ...innerExtra, ...(encoded.trainingImage as Json) }
    })
  },
  replacePairsResult: {
    name: "ReplacePairsResult, through replacePairs",
    through: ["replacePairs"],
    keys: ["count", "pairs"],
    wire: (encoded: Json, extra: Json) => ({ ...extra, ...encoded })
  },
  modelTrainingImages: {
    name: "ModelTrainingImages, through list (GET /models/{modelId}, the model's other fields ignored)",
    through: ["list"],
    /** The keys of the model on the wire. */
    keys: ["id", "status", "trainingImages", "trainingImagePairs", "trainingImagesNumber"],
    wire: (encoded: Json, extra: Json) => ({ model: { ...extra, ...(encoded.model as Json) } })
  }
} as const

// ---------------------------------------------------------------------------------------------------------
// Invalid params
// ---------------------------------------------------------------------------------------------------------

export const INVALID_DESCRIBE = "invalid params are refused before anything is sent"

/** What invalid params end in: refused with an InvalidRequestError of their operation, nothing sent. */
export const refused = { tag: "InvalidRequestError", sent: 0 } as const

/**
 * Random junk: either the params are what the schema describes and they are sent (once), ending in neither a
 * refusal nor anything unexpected, or they are refused and nothing is sent.
 */
export const junk = {
  name: "random junk, whole or in one field",
  runs: 500,
  accepted: { notTag: /InvalidRequestError|Unexpected/, sent: 1 }
} as const

/** Any string as data: a valid data URL succeeds, sent exactly as the one field of the body; any other is refused. */
export const dataLike = {
  name: "any string as data: refused, or carried exactly in valid JSON",
  runs: 500,
  operation: (isAdd: boolean): Operation => isAdd ? "add" : "replace",
  params: (data: string, isAdd: boolean) =>
    isAdd ? { modelId: "m", data } : { modelId: "m", trainingImageId: "t", data },
  accepted: { tag: "Success", body: (data: string) => ({ data }) }
} as const

// ---------------------------------------------------------------------------------------------------------
// Hostile responses
// ---------------------------------------------------------------------------------------------------------

export const HOSTILE_DESCRIBE = "hostile responses become typed errors, never defects"

/** What a body that does not fit (or is no JSON) ends in under a 2xx status; `delete` reads no body. */
export const undecodableTag = (operation: Operation) => operation === "delete" ? "Success" : "ResponseDecodeError"

/** What a 200 with a JSON body ends in: decoded when it fits (delete reads no body), a ResponseDecodeError when not. */
export const jsonTag = (operation: Operation, fits: boolean) =>
  operation === "delete" || fits ? "Success" : "ResponseDecodeError"

export const randomJson = {
  name: "random JSON with 200: decoded when it fits, a ResponseDecodeError when not",
  runs: 300,
  status: 200
} as const

export const wrongShape = {
  name: "valid JSON of the wrong shape: one value of another type, or missing",
  runs: 300,
  status: 200
} as const

/** A truncated body: a ResponseDecodeError keeping the whole text and its length. */
export const truncated = { name: "a truncated body", runs: 200, status: 200, tag: "ResponseDecodeError" } as const

/** An HTML page: under 200 as a decode failure, under each error status a status error naming its body kind. */
export const html = {
  headers: { "content-type": "text/html; charset=utf-8" },
  okStatus: 200,
  /** The message of a status error names the body so, and keeps none of the markup. */
  named: "(HTML body)",
  markup: "<html>"
} as const

/** A huge body: under 200 for `add` a ResponseDecodeError; under 500 for `replace` an InternalServerError. */
export const huge = {
  decode: { operation: "add", status: 200, tag: "ResponseDecodeError" },
  status: { operation: "replace", status: 500, tag: "InternalServerError" }
} as const

/** Bytes that are not text: 0xFF first (it never occurs in UTF-8), then random ones, under each content type. */
export const notText = {
  name: "bytes that are not text, under any content type",
  lead: 0xff,
  minLength: 1,
  maxLength: 256,
  contentTypes: ["application/json", "image/png", "application/octet-stream", "text/plain"],
  status: 200,
  tag: "ResponseDecodeError"
} as const

/** A valid body read as JSON whatever its content type. */
export const wrongContentType = {
  name: "a valid body under a wrong content type is still read as JSON",
  runs: 20,
  contentTypes: ["text/html", "text/plain", "application/xml", "application/octet-stream", "image/png"],
  status: 200,
  tag: "Success"
} as const

/** Any status and body: a 2xx a success or a ResponseDecodeError, any other a status error. */
export const anyStatus = {
  name: "any status, any body, any retry headers: a success or ResponseDecodeError for 2xx, else a status error",
  runs: 300,
  min: 200,
  max: 599,
  /** The first status that is not a success. */
  firstError: 300,
  successTags: /^(Success|ResponseDecodeError)$/
} as const

/**
 * The generators and plain facts both lines' property suites (`test/Property.test.ts`) share, without Effect:
 * hostile ids, the invalid params of each validation rule, random junk, any string as data, hostile response
 * bodies and headers. What a line draws from its own Schemas (valid
 * params, data URLs) it passes in as `Drawn`; running the properties through its service stays in its suite.
 * The properties' names, replies and expected requests and outcomes are `contract/property.ts`'s.
 */
import * as fc from "fast-check"
import { trainingImageJson } from "./stub.js"

export type Operation = "add" | "replace" | "replacePairs" | "delete" | "list"

export const operations: ReadonlyArray<Operation> = ["add", "replace", "replacePairs", "delete", "list"]

export const BASE = "https://api.cloud.scenario.com/v1"

/** Ids drawn from the whole of Unicode, path-hostile characters weighted in: `/`, `?`, `#`, `%`, dots. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  fc.string({ minLength: 1, unit: "binary" }),
  fc.string({
    minLength: 1,
    unit: fc.constantFrom(
      "/",
      "?",
      "#",
      "%",
      "%2F",
      "%2e",
      ".",
      "..",
      "\\",
      "&",
      "=",
      "+",
      " ",
      "\t",
      "\n",
      "\u0000",
      "é",
      "名",
      "🙂",
      "a"
    )
  })
).filter((s) => s !== "." && s !== "..")

/** Ids a `replacePairs` property makes pairs of, hostile ones weighted in. */
export const pairIds = fc.array(hostileId, { maxLength: 4 })

export const finite = (n: number) => Number.isFinite(n) && !Object.is(n, -0)

/** Text from the whole of Unicode (well-formed), for responses. */
export const unicodeText = fc.string({ unit: "binary", maxLength: 40 })

/** The fields of a training image, any Unicode text in each. */
export const unicodeImageFields = fc.record({
  id: unicodeText,
  automaticCaptioning: unicodeText,
  createdAt: unicodeText,
  description: unicodeText,
  downloadUrl: unicodeText,
  name: unicodeText
})

/** The fields of a pair, each optional, any Unicode text in each. */
export const unicodePairFields = fc.record(
  { sourceId: unicodeText, targetId: unicodeText, instruction: unicodeText },
  { requiredKeys: [] }
)

/** The fields of a `replacePairs` result, its pairs made by the line (from `unicodePairFields`). */
export const unicodeReplacePairsFields = <P>(pair: fc.Arbitrary<P>) =>
  fc.record({ count: fc.nat(), pairs: fc.array(pair, { maxLength: 5 }) })

/**
 * The fields of a model's training images, any Unicode text in each: its images and pairs made by the line (from
 * `unicodeImageFields` and `unicodePairFields`), its status one the line knows or any text.
 */
export const unicodeModelFields = <I, P, S>(
  { image, knownStatus, pair }: {
    readonly image: fc.Arbitrary<I>
    readonly pair: fc.Arbitrary<P>
    readonly knownStatus: fc.Arbitrary<S>
  }
) =>
  fc.record({
    modelId: unicodeText,
    status: fc.oneof(knownStatus, unicodeText),
    trainingImages: fc.array(image, { maxLength: 4 }),
    trainingImagePairs: fc.array(pair, { maxLength: 4 }),
    trainingImagesNumber: fc.nat()
  })

/** Keys the API does not document, with any JSON value: a response may grow fields at any time. */
export const extraFields = (known: ReadonlyArray<string>) =>
  fc.dictionary(fc.string().filter((key) => !known.includes(key)), fc.jsonValue(), { maxKeys: 4 })

/** The base URL a recorded URL starts with, and the decoded segments of its path below it. */
export const pathOf = (url: string): { readonly base: string; readonly segments: ReadonlyArray<string> } => {
  const parsed = new URL(url)
  return {
    base: parsed.origin + parsed.pathname.slice(0, 3),
    segments: parsed.pathname.slice(4).split("/").map(decodeURIComponent)
  }
}

export const queryOf = (url: string) => Object.fromEntries(new URL(url).searchParams)

// ---------------------------------------------------------------------------------------------------------
// Invalid params
// ---------------------------------------------------------------------------------------------------------

/** What a line draws from its own Schemas: valid data URLs and valid params of each operation. */
export interface Drawn {
  readonly dataUrl: fc.Arbitrary<string>
  readonly valid: {
    readonly add: fc.Arbitrary<{ readonly modelId: string }>
    readonly replace: fc.Arbitrary<object>
    readonly replacePairs: fc.Arbitrary<{ readonly modelId: string; readonly pairs: ReadonlyArray<unknown> }>
    readonly delete: fc.Arbitrary<object>
    readonly list: fc.Arbitrary<object>
  }
}

const id = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== "." && s !== "..")

/** A string holding one unpaired UTF-16 surrogate. */
const loneSurrogate = fc.tuple(fc.string(), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string()).map(
  ([before, unit, after]) => before + String.fromCharCode(unit) + after
)

/** Ids the `Id` schema refuses. */
const badId = fc.oneof(fc.constant(""), fc.constant("."), fc.constant(".."), loneSurrogate)

/** Image fields that the API forbids together, or no image at all. */
const forbiddenImage = (dataUrl: fc.Arbitrary<string>) =>
  fc.record({
    assetId: id,
    assetIds: fc.array(id, { minLength: 1, maxLength: 10 }),
    data: dataUrl,
    name: id
  }, { requiredKeys: [] }).filter((image) => {
    const has = (key: keyof typeof image) => image[key] !== undefined
    if (has("assetIds")) return has("assetId") || has("data") || has("name")
    if (has("assetId")) return has("data") || has("name")
    return !has("data")
  })

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** A data URL that is not `data:image/<type>;base64,<non-empty padded base64>`. */
const malformedDataUrl = (dataUrl: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ unit: "binary" }),
    dataUrl.map((url) => url.slice("data:".length)),
    dataUrl.map((url) => url.replace("data:image/", "data:text/")),
    dataUrl.map((url) => url.replace(";base64,", ",")),
    dataUrl.map((url) => url.replace(";base64,", ";charset=\"utf-8\";base64,")),
    dataUrl.map((url) => url.slice(0, url.indexOf(",") + 1)),
    // Bad padding: the payload's length no longer a multiple of 4.
    fc.tuple(dataUrl, fc.integer({ min: 1, max: 3 })).map(([url, cut]) => url.slice(0, -cut)),
    fc.tuple(dataUrl, fc.integer({ min: 1, max: 3 })).map(([url, extra]) => url + "A".repeat(extra)),
    // A character outside base64 (or padding before the end) in place of one of the payload, the length kept.
    fc.tuple(
      fc.string({ minLength: 1, maxLength: 4, unit: fc.constantFrom(...BASE64) }).map((s) => s.repeat(4)),
      fc.nat(),
      fc.constantFrom(" ", "\n", "-", "_", "*", "\"", "\\", "é", "\u0000", "=", "%")
    ).map(([payload, at, bad]) => {
      const i = at % (payload.length - 1)
      return `data:image/png;base64,${payload.slice(0, i)}${bad}${payload.slice(i + 1)}`
    })
  )

export interface InvalidCase {
  readonly operation: Operation
  readonly params: unknown
}

const on = (operation: Operation) => (params: unknown): InvalidCase => ({ operation, params })

/** Each validation rule, for each operation and field it applies to. */
export const invalidCases = ({ dataUrl, valid }: Drawn): Record<string, fc.Arbitrary<InvalidCase>> => ({
  "forbidden combinations of image fields": fc.oneof(
    fc.tuple(id, forbiddenImage(dataUrl)).map(([modelId, image]) => on("add")({ modelId, ...image })),
    fc.tuple(id, id, forbiddenImage(dataUrl)).map(([modelId, trainingImageId, image]) =>
      on("replace")({ modelId, trainingImageId, ...image })
    )
  ),
  "more than 10 asset ids": fc.tuple(id, id, fc.array(id, { minLength: 11, maxLength: 40 }), fc.boolean()).map(
    ([modelId, trainingImageId, assetIds, isAdd]) =>
      isAdd ? on("add")({ modelId, assetIds }) : on("replace")({ modelId, trainingImageId, assetIds })
  ),
  "an empty batch": fc.tuple(id, id, fc.boolean()).map(([modelId, trainingImageId, isAdd]) =>
    isAdd ? on("add")({ modelId, assetIds: [] }) : on("replace")({ modelId, trainingImageId, assetIds: [] })
  ),
  "a malformed data URL": fc.tuple(id, id, malformedDataUrl(dataUrl), fc.boolean()).map(
    ([modelId, trainingImageId, data, isAdd]) =>
      isAdd ? on("add")({ modelId, data }) : on("replace")({ modelId, trainingImageId, data })
  ),
  "an empty, \".\", \"..\" or ill-formed id, wherever an id goes": fc.oneof(
    fc.tuple(valid.add, badId).map(([p, bad]) => on("add")({ ...p, modelId: bad })),
    fc.tuple(valid.add, badId).map(([p, bad]) => on("add")({ modelId: p.modelId, assetId: bad })),
    fc.tuple(valid.add, badId, fc.array(id, { maxLength: 9 }), fc.nat()).map(([p, bad, ids, at]) => {
      const assetIds = [...ids]
      assetIds.splice(at % (ids.length + 1), 0, bad)
      return on("add")({ modelId: p.modelId, assetIds })
    }),
    fc.tuple(valid.replace, badId).map(([p, bad]) => on("replace")({ ...p, modelId: bad })),
    fc.tuple(valid.replace, badId).map(([p, bad]) => on("replace")({ ...p, trainingImageId: bad })),
    fc.tuple(valid.replacePairs, badId).map(([p, bad]) => on("replacePairs")({ ...p, modelId: bad })),
    fc.tuple(valid.replacePairs, badId, fc.constantFrom("sourceId", "targetId")).map(([p, bad, field]) =>
      on("replacePairs")({ modelId: p.modelId, pairs: [...p.pairs, { sourceId: "a", targetId: "b", [field]: bad }] })
    ),
    fc.tuple(valid.delete, badId).map(([p, bad]) => on("delete")({ ...p, modelId: bad })),
    fc.tuple(valid.delete, badId).map(([p, bad]) => on("delete")({ ...p, trainingImageId: bad })),
    fc.tuple(valid.delete, badId).map(([p, bad]) => on("delete")({ ...p, projectId: bad })),
    fc.tuple(valid.list, badId).map(([p, bad]) => on("list")({ ...p, modelId: bad }))
  ),
  "an empty or ill-formed file name": fc.tuple(id, dataUrl, fc.oneof(fc.constant(""), loneSurrogate)).map(
    ([modelId, data, name]) => on("add")({ modelId, data, name })
  )
})

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true
})

/** Random junk, or valid params with one field replaced by junk or one unknown field added. */
export const junk = ({ valid }: Drawn): fc.Arbitrary<InvalidCase> =>
  fc.constantFrom(...operations).chain((operation) =>
    fc.oneof(
      anything,
      fc.tuple(valid[operation], fc.string(), anything).map(([params, key, value]) => {
        const keys = Object.keys(params)
        const field = keys.length > 0 && key.length % 2 === 0 ? keys[key.length % keys.length]! : key
        return { ...params, [field]: value }
      })
    ).map((params) => ({ operation, params }))
  )

const spliceChar = fc.oneof(
  fc.constantFrom(...BASE64, ..."=\"\\\n\r\t\u0000\u2028é🙂,;:{}[]"),
  fc.string({ minLength: 1, maxLength: 1, unit: "binary" })
)

/**
 * Whatever string is offered as `data`: valid data URLs, valid ones with one character inserted or replaced
 * (JSON-special characters weighted in), and free text after a data URL header. The data URL is spliced into
 * the JSON body unescaped, so anything the validation lets through must not need escaping.
 */
export const dataLike = ({ dataUrl }: Drawn): fc.Arbitrary<string> =>
  fc.oneof(
    dataUrl,
    fc.tuple(dataUrl, fc.nat(), spliceChar, fc.boolean()).map(([url, at, char, replace]) => {
      const i = at % (url.length + 1)
      return url.slice(0, i) + char + url.slice(replace ? i + 1 : i)
    }),
    fc.tuple(
      fc.constantFrom("data:image/png;base64,", "data:image/svg+xml;charset=utf-8;base64,", "data:image/", ""),
      fc.string({ unit: spliceChar, maxLength: 24 })
    ).map(([header, rest]) => header + rest)
  )

// ---------------------------------------------------------------------------------------------------------
// Hostile responses
// ---------------------------------------------------------------------------------------------------------

export type Decoding = Exclude<Operation, "delete">

export const decoding: ReadonlyArray<Decoding> = ["add", "replace", "replacePairs", "list"]

export const validParams: Record<Operation, unknown> = {
  add: { modelId: "m", assetId: "a" },
  replace: { modelId: "m", trainingImageId: "t", assetId: "a" },
  replacePairs: { modelId: "m", pairs: [] },
  delete: { modelId: "m", trainingImageId: "t" },
  list: { modelId: "m" }
}

export const validBodies: Record<Decoding, unknown> = {
  add: { trainingImage: trainingImageJson() },
  replace: { trainingImage: trainingImageJson() },
  replacePairs: { count: 1, pairs: [{ sourceId: "a", targetId: "b", instruction: "c" }] },
  list: {
    model: {
      id: "m",
      status: "trained",
      trainingImagesNumber: 1,
      trainingImages: [trainingImageJson()],
      trainingImagePairs: [{ sourceId: "a", targetId: "b" }]
    }
  }
}

const REMOVE = Symbol("remove")

/** A valid body with one value somewhere inside it replaced by one of another JSON type, or removed. */
export const wrongShape = (body: unknown): fc.Arbitrary<unknown> => {
  const paths: Array<ReadonlyArray<string>> = []
  const walk = (value: unknown, path: ReadonlyArray<string>) => {
    paths.push(path)
    // An object or an array (a JSON body holds nothing else that is an object).
    if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) walk(child, [...path, key])
    }
  }
  walk(body, [])
  const at = (path: ReadonlyArray<string>): unknown =>
    path.reduce<unknown>((value, key) => (value as Record<string, unknown>)[key], body)
  const replaceAt = (value: unknown, path: ReadonlyArray<string>, replacement: unknown): unknown => {
    if (path.length === 0) return replacement
    const [head, ...rest] = path as [string, ...Array<string>]
    if (Array.isArray(value)) {
      const copy = [...value]
      if (rest.length === 0 && replacement === REMOVE) copy.splice(Number(head), 1)
      else copy[Number(head)] = replaceAt(copy[Number(head)], rest, replacement)
      return copy
    }
    const copy = { ...(value as Record<string, unknown>) }
    if (rest.length === 0 && replacement === REMOVE) delete copy[head]
    else copy[head] = replaceAt(copy[head], rest, replacement)
    return copy
  }
  const typeOf = (value: unknown) => Array.isArray(value) ? "array" : value === null ? "null" : typeof value
  return fc.tuple(fc.constantFrom(...paths), fc.oneof(fc.jsonValue(), fc.constant(REMOVE)))
    .filter(([path, replacement]) =>
      replacement === REMOVE ? path.length > 0 : typeOf(replacement) !== typeOf(at(path))
    )
    .map(([path, replacement]) => replaceAt(body, path, replacement))
}

/** An operation and a valid body of its, one value inside it of another type or removed. */
export const wrongShapes = fc.constantFrom(...decoding).chain((operation) =>
  wrongShape(validBodies[operation]).map((body) => ({ operation, body }))
)

/** An operation and a valid body of its cut short. */
export const truncatedBodies = fc.constantFrom(...decoding).chain((operation) => {
  const text = JSON.stringify(validBodies[operation])
  return fc.integer({ min: 0, max: text.length - 1 }).map((length) => ({
    operation,
    text: text.slice(0, length)
  }))
})

/** The statuses an HTML error page is tried under (besides 200), each a status error naming "(HTML body)". */
export const HTML_ERROR_STATUSES = [400, 403, 404, 429, 500, 502, 503, 504] as const

/** The statuses an empty body is tried under: a success for delete only. */
export const EMPTY_BODY_STATUSES = [200, 204] as const

/** Bodies of many megabytes: text, JSON holding it, and JSON cut inside it (as `add` answers). */
export const hugeBodies = () => {
  const huge = "x".repeat(16 * 1024 * 1024)
  return { huge, bodies: [huge, JSON.stringify({ trainingImage: { id: huge } }), `{"trainingImage":{"id":"${huge}`] }
}

/** The longest message an error of a huge body may have. */
export const MESSAGE_LIMIT = 2_000

export const HTML_PAGE = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>" +
  "<body><h1>Bad Gateway</h1><p>The server returned an invalid response.</p></body></html>"

/** Any body: JSON, or any text. */
export const anyBody = fc.oneof(fc.jsonValue().map((json) => JSON.stringify(json)), fc.string({ unit: "binary" }))

/** Retry and request-id headers of any value, each present or not. */
export const retryHeaders = fc.record({
  "retry-after": fc.oneof(
    fc.string(),
    fc.integer().map(String),
    fc.double().map(String),
    fc.date({ noInvalidDate: true }).map((date) => date.toUTCString())
  ),
  "retry-after-ms": fc.oneof(fc.string(), fc.double().map(String)),
  "x-should-retry": fc.constantFrom("true", "false", "maybe"),
  "x-request-id": fc.string()
}, { requiredKeys: [] })

/**
 * Properties of the client over a recording stub transport: generated valid params encode to the request
 * the API documents, generated responses decode back to the values they were encoded from, every kind of
 * invalid params is refused before anything is sent, and hostile responses become typed errors. No property
 * may ever end in a defect.
 *
 * Effect 4 has no fast-check inside (its `effect/Arbitrary` is a generator of its own): the hand-written
 * generators are fast-check's, as on the Effect 3 line, and the values of a Schema are drawn by Effect's
 * generator from the Schema (a seeded sample) for fast-check to pick from.
 */
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Effect, Exit, Layer, Predicate, Result, Schema } from "effect"
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "effect/http"
import * as fc from "fast-check"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImage from "../src/TrainingImage.js"
import * as TrainingImages from "../src/TrainingImages.js"
import * as TrainingImagesError from "../src/TrainingImagesError.js"
import { credentials, type Recorded, trainingImageJson } from "./stub.js"

type Operation = TrainingImagesError.Operation

const BASE = "https://api.cloud.scenario.com/v1"

const call = (
  images: TrainingImages.Service,
  operation: Operation,
  params: unknown
): Effect.Effect<unknown, unknown> => {
  switch (operation) {
    case "add":
      return images.add(params as TrainingImage.AddParams)
    case "replace":
      return images.replace(params as TrainingImage.ReplaceParams)
    case "replacePairs":
      return images.replacePairs(params as TrainingImage.ReplacePairsParams)
    case "delete":
      return images.delete(params as TrainingImage.DeleteParams)
    case "list":
      return images.list(params as TrainingImage.ListParams)
  }
}

/** What a call ended in: a value, one of the library's errors, or anything else (which fails the test). */
type Outcome =
  | { readonly _tag: "Success"; readonly value: unknown }
  | { readonly _tag: "Failure"; readonly error: TrainingImagesError.TrainingImagesError }
  | { readonly _tag: "Unexpected"; readonly cause: Cause.Cause<unknown> }

const outcomeOf = (exit: Exit.Exit<unknown, unknown>): Outcome => {
  if (Exit.isSuccess(exit)) return { _tag: "Success", value: exit.value }
  const failures = exit.cause.reasons.filter(Cause.isFailReason).map((reason) => reason.error)
  const error = failures[0]
  if (
    failures.length === 1 && !Cause.hasDies(exit.cause) && !Cause.hasInterrupts(exit.cause) &&
    TrainingImagesError.isTrainingImagesError(error)
  ) {
    return { _tag: "Failure", error }
  }
  return { _tag: "Unexpected", cause: exit.cause }
}

const describeOutcome = (outcome: Outcome): string =>
  outcome._tag === "Unexpected"
    ? Cause.pretty(outcome.cause)
    : outcome._tag === "Failure"
    ? outcome.error._tag
    : "Success"

/** The error a call failed with; anything but one of the library's errors fails the test. */
const errorOf = (exit: Exit.Exit<unknown, unknown>): TrainingImagesError.TrainingImagesError => {
  const outcome = outcomeOf(exit)
  if (outcome._tag !== "Failure") throw new Error(`expected a typed failure, got ${describeOutcome(outcome)}`)
  return outcome.error
}

const expectRefused = (exit: Exit.Exit<unknown, unknown>, operation: Operation, sent: ReadonlyArray<Recorded>) => {
  const error = errorOf(exit)
  expect(error).toBeInstanceOf(TrainingImagesError.InvalidRequestError)
  expect(error._tag === "InvalidRequestError" && error.operation).toBe(operation)
  expect(sent).toHaveLength(0)
}

/** A response exactly as given: any status, any bytes, any headers. */
interface RawReply {
  readonly status: number
  readonly body: string | Uint8Array<ArrayBuffer> | null
  readonly headers?: Record<string, string>
}

const NULL_BODY_STATUSES = new Set([204, 205, 304])

const bodyText = (request: HttpClientRequest.HttpClientRequest): string | undefined => {
  const body = request.body
  switch (body._tag) {
    case "Raw":
      return body.body instanceof Uint8Array ? new TextDecoder().decode(body.body) : String(body.body)
    case "Uint8Array":
      return new TextDecoder().decode(body.body)
    default:
      return undefined
  }
}

/**
 * One service over one recording stub, built once per property: each run sets the reply, runs its calls and
 * reads what was sent. (Building a service per run would cost more than the run itself.) Runs of a property
 * are sequential, so they never share the reply or the record.
 */
const makeHarness = () => {
  let reply: RawReply = { status: 200, body: "{}" }
  let recorded: Array<Recorded> = []
  const client = HttpClient.make((request, url) =>
    Effect.sync(() => {
      recorded.push({
        method: request.method,
        url: url.toString(),
        headers: { ...request.headers },
        body: bodyText(request)
      })
      return HttpClientResponse.fromWeb(
        request,
        new Response(NULL_BODY_STATUSES.has(reply.status) ? null : reply.body, {
          status: reply.status,
          headers: { "content-type": "application/json", ...reply.headers }
        })
      )
    })
  )
  const images = Effect.runSync(
    TrainingImages.make({ credentials, retryPolicy: RetryPolicy.none }).pipe(
      Effect.provide(Layer.succeed(HttpClient.HttpClient, client))
    )
  )
  return {
    images,
    /** Answers every request with `next` from now on, and forgets what was sent. */
    reply: (next: RawReply | unknown) => {
      reply = Predicate.hasProperty(next, "status") && Predicate.hasProperty(next, "body")
        ? next as RawReply
        : { status: 200, body: JSON.stringify(next) }
      recorded = []
    },
    sent: (): ReadonlyArray<Recorded> => recorded
  }
}

const harness = makeHarness()

type Arbitraries<Ts extends ReadonlyArray<unknown>> = { readonly [K in keyof Ts]: fc.Arbitrary<Ts[K]> }

/** A property whose body is an effect; a failed expectation or any failure of the effect fails the run. */
const property = <const Ts extends ReadonlyArray<unknown>>(
  name: string,
  arbitraries: Arbitraries<Ts>,
  body: (...values: Ts) => Effect.Effect<void, unknown>,
  numRuns = 100
) =>
  it(name, () =>
    fc.assert(
      fc.asyncProperty(
        ...(arbitraries as unknown as [fc.Arbitrary<unknown>]),
        (...values: Array<unknown>) => Effect.runPromise(body(...(values as unknown as Ts)))
      ),
      { numRuns }
    ))

// ---------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------

/** Ids drawn from the whole of Unicode, path-hostile characters weighted in: `/`, `?`, `#`, `%`, dots. */
const hostileId: fc.Arbitrary<string> = fc.oneof(
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

const idArbitrary = (schema: Schema.Codec<string, string>) => fc.oneof(arbitrary(schema), hostileId)

const finite = (n: number) => Number.isFinite(n) && !Object.is(n, -0)

/** Text from the whole of Unicode (well-formed), for responses. */
const unicodeText = fc.string({ unit: "binary", maxLength: 40 })

const unicodeImage = fc.record({
  id: unicodeText,
  automaticCaptioning: unicodeText,
  createdAt: unicodeText,
  description: unicodeText,
  downloadUrl: unicodeText,
  name: unicodeText
}).map((fields) => new TrainingImage.TrainingImage(fields))

const unicodePair = fc.record(
  { sourceId: unicodeText, targetId: unicodeText, instruction: unicodeText },
  { requiredKeys: [] }
).map((fields) => new TrainingImage.Pair(fields))

/** Keys the API does not document, with any JSON value: a response may grow fields at any time. */
const extraFields = (known: ReadonlyArray<string>) =>
  fc.dictionary(fc.string().filter((key) => !known.includes(key)), fc.jsonValue(), { maxKeys: 4 })

const IMAGE_KEYS = ["assetId", "assetIds", "data", "name", "preset"] as const

/** The JSON body `add` and `replace` must send for these params: the image fields, nothing undefined. */
const expectedImageBody = (params: TrainingImage.AddParams | TrainingImage.ReplaceParams) => {
  const body: Record<string, unknown> = {}
  for (const key of IMAGE_KEYS) if (params[key] !== undefined) body[key] = params[key]
  return body
}

/** The decoded segments of a recorded URL's path below the base URL. */
const segmentsOf = (request: Recorded): ReadonlyArray<string> => {
  const url = new URL(request.url)
  expect(url.origin + url.pathname.slice(0, 3)).toBe(BASE)
  return url.pathname.slice(4).split("/").map(decodeURIComponent)
}

const queryOf = (request: Recorded) => Object.fromEntries(new URL(request.url).searchParams)

const flagQuery = (value: boolean | undefined) => value === undefined ? {} : { originalAssets: String(value) }

const okImage = { trainingImage: trainingImageJson() }

/**
 * The values of a schema: a sample drawn once by Effect's generator from the schema (seeded, so every run draws
 * the same), picked from by fast-check.
 */
function arbitrary<S extends Schema.Constraint>(schema: S, count = 200): fc.Arbitrary<S["Type"]> {
  const samples = Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(schema), { count, seed: 20_261_203 }))
  return fc.constantFrom(...samples)
}

// ---------------------------------------------------------------------------------------------------------
// Valid params encode to the documented request
// ---------------------------------------------------------------------------------------------------------

describe("valid params encode to the documented request", () => {
  property(
    "add: POST /models/{modelId}/training-images, the image fields as the JSON body",
    [arbitrary(TrainingImage.AddParams), idArbitrary(TrainingImage.ModelId)],
    (generated, modelId) =>
      Effect.gen(function*() {
        const params = { ...generated, modelId }
        harness.reply(okImage)
        yield* harness.images.add(params)
        const [request, ...more] = harness.sent()
        expect(more).toHaveLength(0)
        expect(request!.method).toBe("POST")
        expect(segmentsOf(request!)).toEqual(["models", modelId, "training-images"])
        expect(queryOf(request!)).toEqual(flagQuery(params.originalAssets))
        expect(request!.headers["content-type"]).toBe("application/json")
        expect(JSON.parse(request!.body!)).toEqual(expectedImageBody(params))
      })
  )

  property(
    "replace: PUT /models/{modelId}/training-images/{trainingImageId}",
    [arbitrary(TrainingImage.ReplaceParams), idArbitrary(TrainingImage.ModelId), idArbitrary(TrainingImage.AssetId)],
    (generated, modelId, trainingImageId) =>
      Effect.gen(function*() {
        const params = { ...generated, modelId, trainingImageId }
        harness.reply(okImage)
        yield* harness.images.replace(params)
        const [request, ...more] = harness.sent()
        expect(more).toHaveLength(0)
        expect(request!.method).toBe("PUT")
        expect(segmentsOf(request!)).toEqual(["models", modelId, "training-images", trainingImageId])
        expect(queryOf(request!)).toEqual(flagQuery(params.originalAssets))
        expect(JSON.parse(request!.body!)).toEqual(expectedImageBody(params))
      })
  )

  property(
    "replacePairs: PUT .../pairs with the pairs as a bare JSON array",
    [
      arbitrary(TrainingImage.ReplacePairsParams),
      idArbitrary(TrainingImage.ModelId),
      fc.array(hostileId, { maxLength: 4 })
    ],
    (generated, modelId, ids) =>
      Effect.gen(function*() {
        const pairs: ReadonlyArray<TrainingImage.PairInput> = [
          ...generated.pairs,
          ...ids.map((id, i) => ({ sourceId: id, targetId: ids[ids.length - 1 - i]! }))
        ]
        harness.reply({ count: 0, pairs: [] })
        yield* harness.images.replacePairs({ modelId, pairs })
        const [request, ...more] = harness.sent()
        expect(more).toHaveLength(0)
        expect(request!.method).toBe("PUT")
        expect(segmentsOf(request!)).toEqual(["models", modelId, "training-images", "pairs"])
        expect(queryOf(request!)).toEqual({})
        expect(JSON.parse(request!.body!)).toEqual(pairs.map((pair) =>
          pair.instruction === undefined ? { sourceId: pair.sourceId, targetId: pair.targetId } : pair
        ))
      })
  )

  property(
    "delete: DELETE .../{trainingImageId}, projectId in the query, no body",
    [arbitrary(TrainingImage.DeleteParams), idArbitrary(TrainingImage.ModelId), idArbitrary(TrainingImage.AssetId)],
    (generated, modelId, trainingImageId) =>
      Effect.gen(function*() {
        harness.reply({})
        yield* harness.images.delete({ ...generated, modelId, trainingImageId })
        const [request, ...more] = harness.sent()
        expect(more).toHaveLength(0)
        expect(request!.method).toBe("DELETE")
        expect(segmentsOf(request!)).toEqual(["models", modelId, "training-images", trainingImageId])
        expect(queryOf(request!)).toEqual(generated.projectId === undefined ? {} : { projectId: generated.projectId })
        expect(request!.body).toBeUndefined()
      })
  )

  property(
    "list: GET /models/{modelId}",
    [arbitrary(TrainingImage.ListParams), idArbitrary(TrainingImage.ModelId)],
    (generated, modelId) =>
      Effect.gen(function*() {
        harness.reply({ model: { id: modelId, status: "new", trainingImagesNumber: 0 } })
        const result = yield* harness.images.list({ ...generated, modelId })
        expect(result.modelId).toBe(modelId)
        const [request, ...more] = harness.sent()
        expect(more).toHaveLength(0)
        expect(request!.method).toBe("GET")
        expect(segmentsOf(request!)).toEqual(["models", modelId])
        expect(queryOf(request!)).toEqual(flagQuery(generated.originalAssets))
        expect(request!.body).toBeUndefined()
      })
  )
})

// ---------------------------------------------------------------------------------------------------------
// Responses decode back to the values they were encoded from
// ---------------------------------------------------------------------------------------------------------

/**
 * Decoded equals generated: the same fields (an optional field generated as `undefined` travels as an absent
 * key, which is the same value) and the same classes, down to each pair and image.
 */
const expectSameValue = (decoded: unknown, generated: unknown) => {
  expect(decoded).toEqual(generated)
  const classes = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(classes)
      : Predicate.isObject(value)
      ? [Object.getPrototypeOf(value), Object.values(value).filter((field) => field !== undefined).map(classes)]
      : null
  expect(classes(decoded)).toEqual(classes(generated))
}

describe("responses decode back to equal values", () => {
  property(
    "TrainingImage, through add and replace, unknown fields ignored",
    [
      fc.oneof(arbitrary(TrainingImage.TrainingImage), unicodeImage),
      extraFields(["trainingImage"]),
      extraFields(Object.keys(TrainingImage.TrainingImage.fields))
    ],
    (image, outerExtra, innerExtra) =>
      Effect.gen(function*() {
        const wire = Schema.encodeSync(TrainingImage.TrainingImageResponse)({ trainingImage: image })
        harness.reply({ ...outerExtra, trainingImage: { ...innerExtra, ...wire.trainingImage } })
        expectSameValue(yield* harness.images.add({ modelId: "m", assetId: "a" }), image)
        expectSameValue(yield* harness.images.replace({ modelId: "m", trainingImageId: "t", assetId: "a" }), image)
      })
  )

  property(
    "ReplacePairsResult, through replacePairs",
    [
      fc.oneof(
        arbitrary(TrainingImage.ReplacePairsResult),
        fc.record({ count: fc.nat(), pairs: fc.array(unicodePair, { maxLength: 5 }) }).map((fields) =>
          new TrainingImage.ReplacePairsResult(fields)
        )
      ).filter((result) => finite(result.count)),
      extraFields(["count", "pairs"])
    ],
    (result, extra) =>
      Effect.gen(function*() {
        harness.reply({ ...extra, ...Schema.encodeSync(TrainingImage.ReplacePairsResponse)(result) })
        expectSameValue(yield* harness.images.replacePairs({ modelId: "m", pairs: [] }), result)
      })
  )

  property(
    "ModelTrainingImages, through list (GET /models/{modelId}, the model's other fields ignored)",
    [
      fc.oneof(
        arbitrary(TrainingImage.ModelTrainingImages),
        fc.record({
          modelId: unicodeText,
          status: fc.oneof(arbitrary(TrainingImage.KnownModelStatus), unicodeText),
          trainingImages: fc.array(unicodeImage, { maxLength: 4 }),
          trainingImagePairs: fc.array(unicodePair, { maxLength: 4 }),
          trainingImagesNumber: fc.nat()
        }).map((fields) => new TrainingImage.ModelTrainingImages(fields))
      ).filter((model) => finite(model.trainingImagesNumber)),
      extraFields(["id", "status", "trainingImages", "trainingImagePairs", "trainingImagesNumber"])
    ],
    (model, extra) =>
      Effect.gen(function*() {
        const wire = Schema.encodeSync(TrainingImage.ModelResponse)(model)
        harness.reply({ model: { ...extra, ...wire.model } })
        expectSameValue(yield* harness.images.list({ modelId: "m" }), model)
      })
  )
})

// ---------------------------------------------------------------------------------------------------------
// Invalid params: refused with InvalidRequestError, nothing sent, never a defect
// ---------------------------------------------------------------------------------------------------------

const id = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s !== "." && s !== "..")
const dataUrl = arbitrary(TrainingImage.DataUrl)
const validAdd = arbitrary(TrainingImage.AddParams)
const validReplace = arbitrary(TrainingImage.ReplaceParams)
const validPairs = arbitrary(TrainingImage.ReplacePairsParams)
const validDelete = arbitrary(TrainingImage.DeleteParams)
const validList = arbitrary(TrainingImage.ListParams)

/** A string holding one unpaired UTF-16 surrogate. */
const loneSurrogate = fc.tuple(fc.string(), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string()).map(
  ([before, unit, after]) => before + String.fromCharCode(unit) + after
)

/** Ids the `Id` schema refuses. */
const badId = fc.oneof(fc.constant(""), fc.constant("."), fc.constant(".."), loneSurrogate)

/** Image fields that the API forbids together, or no image at all. */
const forbiddenImage = fc.record({
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
const malformedDataUrl: fc.Arbitrary<string> = fc.oneof(
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

interface InvalidCase {
  readonly operation: Operation
  readonly params: unknown
}

const on = (operation: Operation) => (params: unknown): InvalidCase => ({ operation, params })

/** Each validation rule, for each operation and field it applies to. */
const invalidCases: Record<string, fc.Arbitrary<InvalidCase>> = {
  "forbidden combinations of image fields": fc.oneof(
    fc.tuple(id, forbiddenImage).map(([modelId, image]) => on("add")({ modelId, ...image })),
    fc.tuple(id, id, forbiddenImage).map(([modelId, trainingImageId, image]) =>
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
  "a malformed data URL": fc.tuple(id, id, malformedDataUrl, fc.boolean()).map(
    ([modelId, trainingImageId, data, isAdd]) =>
      isAdd ? on("add")({ modelId, data }) : on("replace")({ modelId, trainingImageId, data })
  ),
  "an empty, \".\", \"..\" or ill-formed id, wherever an id goes": fc.oneof(
    fc.tuple(validAdd, badId).map(([p, bad]) => on("add")({ ...p, modelId: bad })),
    fc.tuple(validAdd, badId).map(([p, bad]) => on("add")({ modelId: p.modelId, assetId: bad })),
    fc.tuple(validAdd, badId, fc.array(id, { maxLength: 9 }), fc.nat()).map(([p, bad, ids, at]) => {
      const assetIds = [...ids]
      assetIds.splice(at % (ids.length + 1), 0, bad)
      return on("add")({ modelId: p.modelId, assetIds })
    }),
    fc.tuple(validReplace, badId).map(([p, bad]) => on("replace")({ ...p, modelId: bad })),
    fc.tuple(validReplace, badId).map(([p, bad]) => on("replace")({ ...p, trainingImageId: bad })),
    fc.tuple(validPairs, badId).map(([p, bad]) => on("replacePairs")({ ...p, modelId: bad })),
    fc.tuple(validPairs, badId, fc.constantFrom("sourceId", "targetId")).map(([p, bad, field]) =>
      on("replacePairs")({ modelId: p.modelId, pairs: [...p.pairs, { sourceId: "a", targetId: "b", [field]: bad }] })
    ),
    fc.tuple(validDelete, badId).map(([p, bad]) => on("delete")({ ...p, modelId: bad })),
    fc.tuple(validDelete, badId).map(([p, bad]) => on("delete")({ ...p, trainingImageId: bad })),
    fc.tuple(validDelete, badId).map(([p, bad]) => on("delete")({ ...p, projectId: bad })),
    fc.tuple(validList, badId).map(([p, bad]) => on("list")({ ...p, modelId: bad }))
  ),
  "an empty or ill-formed file name": fc.tuple(id, dataUrl, fc.oneof(fc.constant(""), loneSurrogate)).map(
    ([modelId, data, name]) => on("add")({ modelId, data, name })
  )
}

const paramsSchemas = {
  add: TrainingImage.AddParams,
  replace: TrainingImage.ReplaceParams,
  replacePairs: TrainingImage.ReplacePairsParams,
  delete: TrainingImage.DeleteParams,
  list: TrainingImage.ListParams
} as const satisfies Record<Operation, Schema.Top>

const validParamsOf: Record<Operation, fc.Arbitrary<object>> = {
  add: validAdd,
  replace: validReplace,
  replacePairs: validPairs,
  delete: validDelete,
  list: validList
}

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

const operations: ReadonlyArray<Operation> = ["add", "replace", "replacePairs", "delete", "list"]

/** Random junk, or valid params with one field replaced by junk or one unknown field added. */
const junk = fc.constantFrom(...operations).chain((operation) =>
  fc.oneof(
    anything,
    fc.tuple(validParamsOf[operation], fc.string(), anything).map(([params, key, value]) => {
      const keys = Object.keys(params) as Array<keyof typeof params>
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
const dataLike = fc.oneof(
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

const anyReply = { trainingImage: trainingImageJson(), count: 0, pairs: [] }

describe("invalid params are refused before anything is sent", () => {
  for (const [rule, cases] of Object.entries(invalidCases)) {
    property(rule, [cases], ({ operation, params }) =>
      Effect.gen(function*() {
        harness.reply(anyReply)
        const exit = yield* Effect.exit(call(harness.images, operation, params))
        expectRefused(exit, operation, harness.sent())
      }))
  }

  // Either the params are what the schema describes and they are sent (once), or they are refused and
  // nothing is sent.
  property("random junk, whole or in one field", [junk], ({ operation, params }) =>
    Effect.gen(function*() {
      harness.reply(anyReply)
      const exit = yield* Effect.exit(call(harness.images, operation, params))
      const schema = Schema.toType(paramsSchemas[operation] as Schema.Top)
      if (Result.isSuccess(Schema.decodeUnknownResult(schema, { onExcessProperty: "error" })(params))) {
        const outcome = outcomeOf(exit)
        expect(outcome._tag === "Failure" ? outcome.error._tag : outcome._tag).not.toMatch(
          /InvalidRequestError|Unexpected/
        )
        expect(harness.sent()).toHaveLength(1)
      } else {
        expectRefused(exit, operation, harness.sent())
      }
    }), 500)

  property(
    "any string as data: refused, or carried exactly in valid JSON",
    [dataLike, fc.boolean()],
    (data, isAdd) =>
      Effect.gen(function*() {
        harness.reply(okImage)
        const operation = isAdd ? "add" : "replace"
        const params = isAdd ? { modelId: "m", data } : { modelId: "m", trainingImageId: "t", data }
        const exit = yield* Effect.exit(call(harness.images, operation, params))
        if (Schema.is(TrainingImage.DataUrl)(data)) {
          expect(outcomeOf(exit)._tag).toBe("Success")
          expect(JSON.parse(harness.sent()[0]!.body!)).toEqual({ data })
        } else {
          expectRefused(exit, operation, harness.sent())
        }
      }),
    500
  )
})

// ---------------------------------------------------------------------------------------------------------
// Hostile responses become typed errors
// ---------------------------------------------------------------------------------------------------------

const decoding: ReadonlyArray<Exclude<Operation, "delete">> = ["add", "replace", "replacePairs", "list"]

const validParams: Record<Operation, unknown> = {
  add: { modelId: "m", assetId: "a" },
  replace: { modelId: "m", trainingImageId: "t", assetId: "a" },
  replacePairs: { modelId: "m", pairs: [] },
  delete: { modelId: "m", trainingImageId: "t" },
  list: { modelId: "m" }
}

const responseSchemas = {
  add: TrainingImage.TrainingImageResponse,
  replace: TrainingImage.TrainingImageResponse,
  replacePairs: TrainingImage.ReplacePairsResponse,
  list: TrainingImage.ModelResponse
} as const

const fitsResponse = (operation: Exclude<Operation, "delete">, json: unknown) =>
  Result.isSuccess(
    Schema.decodeUnknownResult(responseSchemas[operation] as Schema.Codec<unknown, unknown>, {
      onExcessProperty: "ignore"
    })(json)
  )

const validBodies: Record<Exclude<Operation, "delete">, unknown> = {
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
const wrongShape = (body: unknown): fc.Arbitrary<unknown> => {
  const paths: Array<ReadonlyArray<string>> = []
  const walk = (value: unknown, path: ReadonlyArray<string>) => {
    paths.push(path)
    if (Predicate.isObject(value) || Array.isArray(value)) {
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

const HTML_PAGE = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>" +
  "<body><h1>Bad Gateway</h1><p>The server returned an invalid response.</p></body></html>"

/** Runs an operation against one raw reply: it must end in a success or one of the library's errors. */
const against = (operation: Operation, reply: RawReply) =>
  Effect.gen(function*() {
    harness.reply(reply)
    const outcome = outcomeOf(yield* Effect.exit(call(harness.images, operation, validParams[operation])))
    if (outcome._tag === "Unexpected") {
      throw new Error(`${operation} against ${reply.status}: ${describeOutcome(outcome)}`)
    }
    expect(harness.sent()).toHaveLength(1)
    return outcome
  })

const tagOf = (outcome: Outcome) => outcome._tag === "Failure" ? outcome.error._tag : outcome._tag

describe("hostile responses become typed errors, never defects", () => {
  property(
    "random JSON with 200: decoded when it fits, a ResponseDecodeError when not",
    [fc.constantFrom(...operations), fc.jsonValue()],
    (operation, json) =>
      Effect.gen(function*() {
        const outcome = yield* against(operation, { status: 200, body: JSON.stringify(json) })
        if (operation === "delete") expect(tagOf(outcome)).toBe("Success")
        else expect(tagOf(outcome)).toBe(fitsResponse(operation, json) ? "Success" : "ResponseDecodeError")
      }),
    300
  )

  property(
    "valid JSON of the wrong shape: one value of another type, or missing",
    [
      fc.constantFrom(...decoding).chain((operation) =>
        wrongShape(validBodies[operation]).map((body) => ({ operation, body }))
      )
    ],
    ({ body, operation }) =>
      Effect.gen(function*() {
        const outcome = yield* against(operation, { status: 200, body: JSON.stringify(body) })
        expect(tagOf(outcome)).toBe(fitsResponse(operation, body) ? "Success" : "ResponseDecodeError")
      }),
    300
  )

  property(
    "a truncated body",
    [
      fc.constantFrom(...decoding).chain((operation) => {
        const text = JSON.stringify(validBodies[operation])
        return fc.integer({ min: 0, max: text.length - 1 }).map((length) => ({
          operation,
          text: text.slice(0, length)
        }))
      })
    ],
    ({ operation, text }) =>
      Effect.gen(function*() {
        const outcome = yield* against(operation, { status: 200, body: text })
        expect(tagOf(outcome)).toBe("ResponseDecodeError")
        if (outcome._tag === "Failure" && outcome.error._tag === "ResponseDecodeError") {
          expect(outcome.error.body).toBe(text)
          expect(outcome.error.bodyLength).toBe(text.length)
        }
      }),
    200
  )

  it.effect("HTML error pages, with 200 and with error statuses", () =>
    Effect.gen(function*() {
      for (const operation of operations) {
        const headers = { "content-type": "text/html; charset=utf-8" }
        const ok = yield* against(operation, { status: 200, body: HTML_PAGE, headers })
        expect(tagOf(ok)).toBe(operation === "delete" ? "Success" : "ResponseDecodeError")
        for (const status of [400, 403, 404, 429, 500, 502, 503, 504]) {
          const outcome = yield* against(operation, { status, body: HTML_PAGE, headers })
          const error = outcome._tag === "Failure" ? outcome.error : undefined
          expect(error !== undefined && TrainingImagesError.isStatusError(error)).toBe(true)
          expect(error !== undefined && "status" in error && error.status).toBe(status)
          expect(error?.message).toContain("(HTML body)")
          expect(error?.message).not.toContain("<html>")
        }
      }
    }))

  it.effect("an empty body with 200 (and with 204)", () =>
    Effect.gen(function*() {
      for (const operation of operations) {
        for (const status of [200, 204]) {
          const outcome = yield* against(operation, { status, body: "" })
          expect(tagOf(outcome)).toBe(operation === "delete" ? "Success" : "ResponseDecodeError")
        }
      }
    }))

  it.effect("a body of many megabytes: an error that keeps a bounded part of it", () =>
    Effect.gen(function*() {
      const huge = "x".repeat(16 * 1024 * 1024)
      const bodies = [huge, JSON.stringify({ trainingImage: { id: huge } }), `{"trainingImage":{"id":"${huge}`]
      for (const body of bodies) {
        const outcome = yield* against("add", { status: 200, body })
        expect(tagOf(outcome)).toBe("ResponseDecodeError")
        if (outcome._tag === "Failure" && outcome.error._tag === "ResponseDecodeError") {
          expect(outcome.error.body.length).toBe(TrainingImagesError.MAX_KEPT_BODY)
          expect(outcome.error.bodyLength).toBe(body.length)
          expect(outcome.error.message.length).toBeLessThan(2_000)
        }
      }
      const outcome = yield* against("replace", { status: 500, body: huge })
      expect(tagOf(outcome)).toBe("InternalServerError")
      if (outcome._tag === "Failure" && outcome.error._tag === "InternalServerError") {
        expect(String(outcome.error.body).length).toBe(TrainingImagesError.MAX_KEPT_BODY)
        expect(outcome.error.message.length).toBeLessThan(2_000)
      }
    }), 60_000)

  property(
    "bytes that are not text, under any content type",
    [
      fc.constantFrom(...decoding),
      fc.uint8Array({ minLength: 1, maxLength: 256 }),
      fc.constantFrom("application/json", "image/png", "application/octet-stream", "text/plain")
    ],
    (operation, bytes, contentType) =>
      Effect.gen(function*() {
        // 0xFF never occurs in UTF-8: the text holds a replacement character, which no JSON body starts with.
        const body = new Uint8Array([0xff, ...bytes])
        const outcome = yield* against(operation, { status: 200, body, headers: { "content-type": contentType } })
        expect(tagOf(outcome)).toBe("ResponseDecodeError")
      })
  )

  property(
    "a valid body under a wrong content type is still read as JSON",
    [
      fc.constantFrom(...decoding),
      fc.constantFrom("text/html", "text/plain", "application/xml", "application/octet-stream", "image/png")
    ],
    (operation, contentType) =>
      Effect.gen(function*() {
        const body = JSON.stringify(validBodies[operation])
        const outcome = yield* against(operation, { status: 200, body, headers: { "content-type": contentType } })
        expect(tagOf(outcome)).toBe("Success")
      }),
    20
  )

  property(
    "any status, any body, any retry headers: a success or ResponseDecodeError for 2xx, else a status error",
    [
      fc.constantFrom(...operations),
      fc.integer({ min: 200, max: 599 }),
      fc.oneof(fc.jsonValue().map((json) => JSON.stringify(json)), fc.string({ unit: "binary" })),
      fc.record({
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
    ],
    (operation, status, body, headers) =>
      Effect.gen(function*() {
        const outcome = yield* against(operation, { status, body, headers })
        if (status >= 300) {
          expect(outcome._tag === "Failure" && TrainingImagesError.isStatusError(outcome.error)).toBe(true)
          if (outcome._tag === "Failure") {
            expect(typeof outcome.error.message).toBe("string")
            expect(() => JSON.stringify(outcome.error)).not.toThrow()
          }
        } else {
          expect(tagOf(outcome)).toMatch(/^(Success|ResponseDecodeError)$/)
        }
      }),
    300
  )
})

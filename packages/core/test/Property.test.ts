/**
 * Properties of the client over a recording stub transport: generated valid params encode to the request
 * the API documents, generated responses decode back to the values they were encoded from, every kind of
 * invalid params is refused before anything is sent, and hostile responses become typed errors. No property
 * may ever end in a defect.
 */
import { RetryPolicy, TrainingImage, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import * as Gen from "@effect-scenario/test-support/property"
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Chunk, Effect, Either, Exit, FastCheck as fc, Layer, Predicate, Schema } from "effect"
import { credentials, type Recorded } from "./stub.js"

type Operation = TrainingImagesError.Operation

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
  const failures = Chunk.toReadonlyArray(Cause.failures(exit.cause))
  const error = failures[0]
  if (
    failures.length === 1 && Chunk.isEmpty(Cause.defects(exit.cause)) && !Cause.isInterrupted(exit.cause) &&
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

const idArbitrary = (schema: Schema.Schema<string>) => fc.oneof(Arbitrary.make(schema), Gen.hostileId)

const unicodeImage = Gen.unicodeImageFields.map((fields) => new TrainingImage.TrainingImage(fields))

const unicodePair = Gen.unicodePairFields.map((fields) => new TrainingImage.Pair(fields))

/** The decoded segments of a recorded URL's path below the base URL. */
const segmentsOf = (request: Recorded): ReadonlyArray<string> => {
  const { base, segments } = Gen.pathOf(request.url)
  expect(base).toBe(Gen.BASE)
  return segments
}

/** The model of a `list` response, generated from the schema with its JSON-faithful numbers. */
const arbitrary = <A, I>(schema: Schema.Schema<A, I>) => Arbitrary.make(schema)

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
        harness.reply(Gen.okImage)
        yield* harness.images.add(params)
        const [request, ...more] = harness.sent()
        expect(more).toHaveLength(0)
        expect(request!.method).toBe("POST")
        expect(segmentsOf(request!)).toEqual(["models", modelId, "training-images"])
        expect(Gen.queryOf(request!.url)).toEqual(Gen.flagQuery(params.originalAssets))
        expect(request!.headers["content-type"]).toBe("application/json")
        expect(JSON.parse(request!.body!)).toEqual(Gen.expectedImageBody(params))
      })
  )

  property(
    "replace: PUT /models/{modelId}/training-images/{trainingImageId}",
    [arbitrary(TrainingImage.ReplaceParams), idArbitrary(TrainingImage.ModelId), idArbitrary(TrainingImage.AssetId)],
    (generated, modelId, trainingImageId) =>
      Effect.gen(function*() {
        const params = { ...generated, modelId, trainingImageId }
        harness.reply(Gen.okImage)
        yield* harness.images.replace(params)
        const [request, ...more] = harness.sent()
        expect(more).toHaveLength(0)
        expect(request!.method).toBe("PUT")
        expect(segmentsOf(request!)).toEqual(["models", modelId, "training-images", trainingImageId])
        expect(Gen.queryOf(request!.url)).toEqual(Gen.flagQuery(params.originalAssets))
        expect(JSON.parse(request!.body!)).toEqual(Gen.expectedImageBody(params))
      })
  )

  property(
    "replacePairs: PUT .../pairs with the pairs as a bare JSON array",
    [
      arbitrary(TrainingImage.ReplacePairsParams),
      idArbitrary(TrainingImage.ModelId),
      fc.array(Gen.hostileId, { maxLength: 4 })
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
        expect(Gen.queryOf(request!.url)).toEqual({})
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
        expect(Gen.queryOf(request!.url)).toEqual(
          generated.projectId === undefined ? {} : { projectId: generated.projectId }
        )
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
        expect(Gen.queryOf(request!.url)).toEqual(Gen.flagQuery(generated.originalAssets))
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
      : Predicate.isRecord(value)
      ? [Object.getPrototypeOf(value), Object.values(value).filter((field) => field !== undefined).map(classes)]
      : null
  expect(classes(decoded)).toEqual(classes(generated))
}

describe("responses decode back to equal values", () => {
  property(
    "TrainingImage, through add and replace, unknown fields ignored",
    [
      fc.oneof(arbitrary(TrainingImage.TrainingImage), unicodeImage),
      Gen.extraFields(["trainingImage"]),
      Gen.extraFields(Object.keys(TrainingImage.TrainingImage.fields))
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
      ).filter((result) => Gen.finite(result.count)),
      Gen.extraFields(["count", "pairs"])
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
          modelId: Gen.unicodeText,
          status: fc.oneof(arbitrary(TrainingImage.KnownModelStatus), Gen.unicodeText),
          trainingImages: fc.array(unicodeImage, { maxLength: 4 }),
          trainingImagePairs: fc.array(unicodePair, { maxLength: 4 }),
          trainingImagesNumber: fc.nat()
        }).map((fields) => new TrainingImage.ModelTrainingImages(fields))
      ).filter((model) => Gen.finite(model.trainingImagesNumber)),
      Gen.extraFields(["id", "status", "trainingImages", "trainingImagePairs", "trainingImagesNumber"])
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

/** What the shared generators draw from this line's Schemas. */
const drawn = {
  dataUrl: arbitrary(TrainingImage.DataUrl),
  valid: {
    add: arbitrary(TrainingImage.AddParams),
    replace: arbitrary(TrainingImage.ReplaceParams),
    replacePairs: arbitrary(TrainingImage.ReplacePairsParams),
    delete: arbitrary(TrainingImage.DeleteParams),
    list: arbitrary(TrainingImage.ListParams)
  }
} satisfies Gen.Drawn

const paramsSchemas = {
  add: TrainingImage.AddParams,
  replace: TrainingImage.ReplaceParams,
  replacePairs: TrainingImage.ReplacePairsParams,
  delete: TrainingImage.DeleteParams,
  list: TrainingImage.ListParams
} as const satisfies Record<Operation, Schema.Schema.AnyNoContext>

describe("invalid params are refused before anything is sent", () => {
  for (const [rule, cases] of Object.entries(Gen.invalidCases(drawn))) {
    property(rule, [cases], ({ operation, params }) =>
      Effect.gen(function*() {
        harness.reply(Gen.anyReply)
        const exit = yield* Effect.exit(call(harness.images, operation, params))
        expectRefused(exit, operation, harness.sent())
      }))
  }

  // Either the params are what the schema describes and they are sent (once), or they are refused and
  // nothing is sent.
  property("random junk, whole or in one field", [Gen.junk(drawn)], ({ operation, params }) =>
    Effect.gen(function*() {
      harness.reply(Gen.anyReply)
      const exit = yield* Effect.exit(call(harness.images, operation, params))
      const schema = paramsSchemas[operation] as Schema.Schema<unknown>
      if (Schema.is(schema, { onExcessProperty: "error" })(params)) {
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
    [Gen.dataLike(drawn), fc.boolean()],
    (data, isAdd) =>
      Effect.gen(function*() {
        harness.reply(Gen.okImage)
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

const responseSchemas = {
  add: TrainingImage.TrainingImageResponse,
  replace: TrainingImage.TrainingImageResponse,
  replacePairs: TrainingImage.ReplacePairsResponse,
  list: TrainingImage.ModelResponse
} as const

const fitsResponse = (operation: Gen.Decoding, json: unknown) =>
  Either.isRight(
    Schema.decodeUnknownEither(responseSchemas[operation] as Schema.Schema<unknown, unknown>, {
      onExcessProperty: "ignore"
    })(json)
  )

/** Runs an operation against one raw reply: it must end in a success or one of the library's errors. */
const against = (operation: Operation, reply: RawReply) =>
  Effect.gen(function*() {
    harness.reply(reply)
    const outcome = outcomeOf(yield* Effect.exit(call(harness.images, operation, Gen.validParams[operation])))
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
    [fc.constantFrom(...Gen.operations), fc.jsonValue()],
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
      Gen.wrongShapes
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
      Gen.truncatedBodies
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
      for (const operation of Gen.operations) {
        const headers = { "content-type": "text/html; charset=utf-8" }
        const ok = yield* against(operation, { status: 200, body: Gen.HTML_PAGE, headers })
        expect(tagOf(ok)).toBe(operation === "delete" ? "Success" : "ResponseDecodeError")
        for (const status of Gen.HTML_ERROR_STATUSES) {
          const outcome = yield* against(operation, { status, body: Gen.HTML_PAGE, headers })
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
      for (const operation of Gen.operations) {
        for (const status of Gen.EMPTY_BODY_STATUSES) {
          const outcome = yield* against(operation, { status, body: "" })
          expect(tagOf(outcome)).toBe(operation === "delete" ? "Success" : "ResponseDecodeError")
        }
      }
    }))

  it.effect("a body of many megabytes: an error that keeps a bounded part of it", () =>
    Effect.gen(function*() {
      const { bodies, huge } = Gen.hugeBodies()
      for (const body of bodies) {
        const outcome = yield* against("add", { status: 200, body })
        expect(tagOf(outcome)).toBe("ResponseDecodeError")
        if (outcome._tag === "Failure" && outcome.error._tag === "ResponseDecodeError") {
          expect(outcome.error.body.length).toBe(TrainingImagesError.MAX_KEPT_BODY)
          expect(outcome.error.bodyLength).toBe(body.length)
          expect(outcome.error.message.length).toBeLessThan(Gen.MESSAGE_LIMIT)
        }
      }
      const outcome = yield* against("replace", { status: 500, body: huge })
      expect(tagOf(outcome)).toBe("InternalServerError")
      if (outcome._tag === "Failure" && outcome.error._tag === "InternalServerError") {
        expect(String(outcome.error.body).length).toBe(TrainingImagesError.MAX_KEPT_BODY)
        expect(outcome.error.message.length).toBeLessThan(Gen.MESSAGE_LIMIT)
      }
    }), 60_000)

  property(
    "bytes that are not text, under any content type",
    [
      fc.constantFrom(...Gen.decoding),
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
      fc.constantFrom(...Gen.decoding),
      fc.constantFrom("text/html", "text/plain", "application/xml", "application/octet-stream", "image/png")
    ],
    (operation, contentType) =>
      Effect.gen(function*() {
        const body = JSON.stringify(Gen.validBodies[operation])
        const outcome = yield* against(operation, { status: 200, body, headers: { "content-type": contentType } })
        expect(tagOf(outcome)).toBe("Success")
      }),
    20
  )

  property(
    "any status, any body, any retry headers: a success or ResponseDecodeError for 2xx, else a status error",
    [
      fc.constantFrom(...Gen.operations),
      fc.integer({ min: 200, max: 599 }),
      Gen.anyBody,
      Gen.retryHeaders
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

/**
 * Properties of the client over a recording stub transport: generated valid params encode to the request
 * the API documents, generated responses decode back to the values they were encoded from, every kind of
 * invalid params is refused before anything is sent, and hostile responses become typed errors. No property
 * may ever end in a defect. The properties' names, replies and expected requests and outcomes are
 * `contract/property.ts`'s (shared with the Effect 3 line), the generators test-support's.
 *
 * Effect 4 has no fast-check inside (its `effect/Arbitrary` is a generator of its own): the hand-written
 * generators are fast-check's, as on the Effect 3 line, and the values of a Schema are drawn by Effect's
 * generator from the Schema (a seeded sample) for fast-check to pick from.
 */
import * as Gen from "@effect-scenario/test-support/property"
import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Cause, Effect, Exit, Layer, Predicate, Result, Schema } from "effect"
import { HttpClient, type HttpClientRequest, HttpClientResponse } from "effect/http"
import * as fc from "fast-check"
import * as P from "../../../contract/property.js"
import * as RetryPolicy from "../src/RetryPolicy.js"
import * as TrainingImage from "../src/TrainingImage.js"
import * as TrainingImages from "../src/TrainingImages.js"
import * as TrainingImagesError from "../src/TrainingImagesError.js"
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
  expect(error._tag).toBe(P.refused.tag)
  expect(error._tag === "InvalidRequestError" && error.operation).toBe(operation)
  expect(sent).toHaveLength(P.refused.sent)
}

/** A response exactly as given: any status, any bytes, any headers. */
interface RawReply {
  readonly status: number
  readonly body: string | Uint8Array<ArrayBuffer> | null
  readonly headers?: Record<string, string>
}

const NULL_BODY_STATUSES = new Set(P.NULL_BODY_STATUSES)

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
          headers: { "content-type": P.DEFAULT_CONTENT_TYPE, ...reply.headers }
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
  numRuns = P.DEFAULT_RUNS
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

const idArbitrary = (schema: Schema.Codec<string, string>) => fc.oneof(arbitrary(schema), Gen.hostileId)

const unicodeImage = Gen.unicodeImageFields.map((fields) => new TrainingImage.TrainingImage(fields))

const unicodePair = Gen.unicodePairFields.map((fields) => new TrainingImage.Pair(fields))

/** The decoded segments of a recorded URL's path below the base URL. */
const segmentsOf = (request: Recorded): ReadonlyArray<string> => {
  const { base, segments } = Gen.pathOf(request.url)
  expect(base).toBe(Gen.BASE)
  return segments
}

/**
 * The values of a schema: a sample drawn once by Effect's generator from the schema (seeded, so every run draws
 * the same), picked from by fast-check.
 */
function arbitrary<S extends Schema.Constraint>(schema: S, count = 200): fc.Arbitrary<S["Type"]> {
  const samples = Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(schema), { count, seed: 20_261_203 }))
  return fc.constantFrom(...samples)
}

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

// ---------------------------------------------------------------------------------------------------------
// Valid params encode to the documented request
// ---------------------------------------------------------------------------------------------------------

describe(P.ENCODE_DESCRIBE, () => {
  for (const [operation, test] of P.encodes) {
    property(
      test.name,
      [drawn.valid[operation], idArbitrary(TrainingImage.ModelId), idArbitrary(TrainingImage.AssetId), Gen.pairIds],
      (generated, modelId, trainingImageId, pairIds) =>
        Effect.gen(function*() {
          const params = test.params(generated, { modelId, trainingImageId, pairIds })
          harness.reply(test.reply(params))
          const result = yield* call(harness.images, operation, params)
          for (const [field, value] of Object.entries(test.resultFields?.(params) ?? {})) {
            expect((result as Record<string, unknown>)[field]).toBe(value)
          }
          const [request, ...more] = harness.sent()
          expect(more).toHaveLength(0)
          expect(request!.method).toBe(test.method)
          expect(segmentsOf(request!)).toEqual(test.segments(params))
          expect(Gen.queryOf(request!.url)).toEqual(test.query(params))
          if (test.contentType !== undefined) expect(request!.headers["content-type"]).toBe(test.contentType)
          if (test.body === undefined) expect(request!.body).toBeUndefined()
          else expect(JSON.parse(request!.body!)).toEqual(test.body(params))
        })
    )
  }
})

// ---------------------------------------------------------------------------------------------------------
// Responses decode back to the values they were encoded from
// ---------------------------------------------------------------------------------------------------------

/** Decoded equals generated: the same fields and the same classes, down to each pair and image. */
const expectSameValue = (decoded: unknown, generated: unknown) => {
  expect(decoded).toEqual(generated)
  expect(P.classesOf(decoded)).toEqual(P.classesOf(generated))
}

/** Each operation's response decodes to the generated value. */
const decodesThrough = (operations: ReadonlyArray<Operation>, generated: unknown) =>
  Effect.gen(function*() {
    for (const operation of operations) {
      expectSameValue(yield* call(harness.images, operation, Gen.validParams[operation]), generated)
    }
  })

describe(P.DECODE_DESCRIBE, () => {
  const { modelTrainingImages, replacePairsResult, trainingImage } = P.decodes

  property(
    trainingImage.name,
    [
      fc.oneof(arbitrary(TrainingImage.TrainingImage), unicodeImage),
      Gen.extraFields(trainingImage.outerKeys),
      Gen.extraFields(Object.keys(TrainingImage.TrainingImage.fields))
    ],
    (image, outerExtra, innerExtra) =>
      Effect.gen(function*() {
        const wire = Schema.encodeSync(TrainingImage.TrainingImageResponse)({ trainingImage: image })
        harness.reply(trainingImage.wire(wire, outerExtra, innerExtra))
        yield* decodesThrough(trainingImage.through, image)
      })
  )

  property(
    replacePairsResult.name,
    [
      fc.oneof(
        arbitrary(TrainingImage.ReplacePairsResult),
        Gen.unicodeReplacePairsFields(unicodePair).map((fields) => new TrainingImage.ReplacePairsResult(fields))
      ).filter((result) => Gen.finite(result.count)),
      Gen.extraFields(replacePairsResult.keys)
    ],
    (result, extra) =>
      Effect.gen(function*() {
        harness.reply(replacePairsResult.wire(Schema.encodeSync(TrainingImage.ReplacePairsResponse)(result), extra))
        yield* decodesThrough(replacePairsResult.through, result)
      })
  )

  property(
    modelTrainingImages.name,
    [
      fc.oneof(
        arbitrary(TrainingImage.ModelTrainingImages),
        Gen.unicodeModelFields({
          image: unicodeImage,
          pair: unicodePair,
          knownStatus: arbitrary(TrainingImage.KnownModelStatus)
        }).map((fields) => new TrainingImage.ModelTrainingImages(fields))
      ).filter((model) => Gen.finite(model.trainingImagesNumber)),
      Gen.extraFields(modelTrainingImages.keys)
    ],
    (model, extra) =>
      Effect.gen(function*() {
        harness.reply(modelTrainingImages.wire(Schema.encodeSync(TrainingImage.ModelResponse)(model), extra))
        yield* decodesThrough(modelTrainingImages.through, model)
      })
  )
})

// ---------------------------------------------------------------------------------------------------------
// Invalid params: refused with InvalidRequestError, nothing sent, never a defect
// ---------------------------------------------------------------------------------------------------------

const paramsSchemas = {
  add: TrainingImage.AddParams,
  replace: TrainingImage.ReplaceParams,
  replacePairs: TrainingImage.ReplacePairsParams,
  delete: TrainingImage.DeleteParams,
  list: TrainingImage.ListParams
} as const satisfies Record<Operation, Schema.Top>

describe(P.INVALID_DESCRIBE, () => {
  for (const [rule, cases] of Object.entries(Gen.invalidCases(drawn))) {
    property(rule, [cases], ({ operation, params }) =>
      Effect.gen(function*() {
        harness.reply(P.anyReply)
        const exit = yield* Effect.exit(call(harness.images, operation, params))
        expectRefused(exit, operation, harness.sent())
      }))
  }

  property(P.junk.name, [Gen.junk(drawn)], ({ operation, params }) =>
    Effect.gen(function*() {
      harness.reply(P.anyReply)
      const exit = yield* Effect.exit(call(harness.images, operation, params))
      const schema = Schema.toType(paramsSchemas[operation] as Schema.Top)
      if (Result.isSuccess(Schema.decodeUnknownResult(schema, { onExcessProperty: "error" })(params))) {
        const outcome = outcomeOf(exit)
        expect(outcome._tag === "Failure" ? outcome.error._tag : outcome._tag).not.toMatch(P.junk.accepted.notTag)
        expect(harness.sent()).toHaveLength(P.junk.accepted.sent)
      } else {
        expectRefused(exit, operation, harness.sent())
      }
    }), P.junk.runs)

  property(
    P.dataLike.name,
    [Gen.dataLike(drawn), fc.boolean()],
    (data, isAdd) =>
      Effect.gen(function*() {
        harness.reply(P.okImage)
        const operation = P.dataLike.operation(isAdd)
        const exit = yield* Effect.exit(call(harness.images, operation, P.dataLike.params(data, isAdd)))
        if (Schema.is(TrainingImage.DataUrl)(data)) {
          expect(outcomeOf(exit)._tag).toBe(P.dataLike.accepted.tag)
          expect(JSON.parse(harness.sent()[0]!.body!)).toEqual(P.dataLike.accepted.body(data))
        } else {
          expectRefused(exit, operation, harness.sent())
        }
      }),
    P.dataLike.runs
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
  Result.isSuccess(
    Schema.decodeUnknownResult(responseSchemas[operation] as Schema.Codec<unknown, unknown>, {
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

describe(P.HOSTILE_DESCRIBE, () => {
  property(
    P.randomJson.name,
    [fc.constantFrom(...Gen.operations), fc.jsonValue()],
    (operation, json) =>
      Effect.gen(function*() {
        const outcome = yield* against(operation, { status: P.randomJson.status, body: JSON.stringify(json) })
        expect(tagOf(outcome)).toBe(P.jsonTag(operation, operation !== "delete" && fitsResponse(operation, json)))
      }),
    P.randomJson.runs
  )

  property(
    P.wrongShape.name,
    [
      Gen.wrongShapes
    ],
    ({ body, operation }) =>
      Effect.gen(function*() {
        const outcome = yield* against(operation, { status: P.wrongShape.status, body: JSON.stringify(body) })
        expect(tagOf(outcome)).toBe(P.jsonTag(operation, fitsResponse(operation, body)))
      }),
    P.wrongShape.runs
  )

  property(
    P.truncated.name,
    [
      Gen.truncatedBodies
    ],
    ({ operation, text }) =>
      Effect.gen(function*() {
        const outcome = yield* against(operation, { status: P.truncated.status, body: text })
        expect(tagOf(outcome)).toBe(P.truncated.tag)
        if (outcome._tag === "Failure" && outcome.error._tag === "ResponseDecodeError") {
          expect(outcome.error.body).toBe(text)
          expect(outcome.error.bodyLength).toBe(text.length)
        }
      }),
    P.truncated.runs
  )

  it.effect("HTML error pages, with 200 and with error statuses", () =>
    Effect.gen(function*() {
      for (const operation of Gen.operations) {
        const headers = P.html.headers
        const ok = yield* against(operation, { status: P.html.okStatus, body: Gen.HTML_PAGE, headers })
        expect(tagOf(ok)).toBe(P.undecodableTag(operation))
        for (const status of Gen.HTML_ERROR_STATUSES) {
          const outcome = yield* against(operation, { status, body: Gen.HTML_PAGE, headers })
          const error = outcome._tag === "Failure" ? outcome.error : undefined
          expect(error !== undefined && TrainingImagesError.isStatusError(error)).toBe(true)
          expect(error !== undefined && "status" in error && error.status).toBe(status)
          expect(error?.message).toContain(P.html.named)
          expect(error?.message).not.toContain(P.html.markup)
        }
      }
    }))

  it.effect("an empty body with 200 (and with 204)", () =>
    Effect.gen(function*() {
      for (const operation of Gen.operations) {
        for (const status of Gen.EMPTY_BODY_STATUSES) {
          const outcome = yield* against(operation, { status, body: "" })
          expect(tagOf(outcome)).toBe(P.undecodableTag(operation))
        }
      }
    }))

  it.effect("a body of many megabytes: an error that keeps a bounded part of it", () =>
    Effect.gen(function*() {
      const { bodies, huge } = Gen.hugeBodies()
      for (const body of bodies) {
        const outcome = yield* against(P.huge.decode.operation, { status: P.huge.decode.status, body })
        expect(tagOf(outcome)).toBe(P.huge.decode.tag)
        if (outcome._tag === "Failure" && outcome.error._tag === "ResponseDecodeError") {
          expect(outcome.error.body.length).toBe(TrainingImagesError.MAX_KEPT_BODY)
          expect(outcome.error.bodyLength).toBe(body.length)
          expect(outcome.error.message.length).toBeLessThan(Gen.MESSAGE_LIMIT)
        }
      }
      const outcome = yield* against(P.huge.status.operation, { status: P.huge.status.status, body: huge })
      expect(tagOf(outcome)).toBe(P.huge.status.tag)
      if (outcome._tag === "Failure" && outcome.error._tag === "InternalServerError") {
        expect(String(outcome.error.body).length).toBe(TrainingImagesError.MAX_KEPT_BODY)
        expect(outcome.error.message.length).toBeLessThan(Gen.MESSAGE_LIMIT)
      }
    }), 60_000)

  const { anyStatus, notText, wrongContentType } = P

  property(
    notText.name,
    [
      fc.constantFrom(...Gen.decoding),
      fc.uint8Array({ minLength: notText.minLength, maxLength: notText.maxLength }),
      fc.constantFrom(...notText.contentTypes)
    ],
    (operation, bytes, contentType) =>
      Effect.gen(function*() {
        // The lead byte never occurs in UTF-8: the text holds a replacement character, which no JSON body starts with.
        const body = new Uint8Array([notText.lead, ...bytes])
        const headers = { "content-type": contentType }
        const outcome = yield* against(operation, { status: notText.status, body, headers })
        expect(tagOf(outcome)).toBe(notText.tag)
      })
  )

  property(
    wrongContentType.name,
    [
      fc.constantFrom(...Gen.decoding),
      fc.constantFrom(...wrongContentType.contentTypes)
    ],
    (operation, contentType) =>
      Effect.gen(function*() {
        const body = JSON.stringify(Gen.validBodies[operation])
        const headers = { "content-type": contentType }
        const outcome = yield* against(operation, { status: wrongContentType.status, body, headers })
        expect(tagOf(outcome)).toBe(wrongContentType.tag)
      }),
    wrongContentType.runs
  )

  property(
    anyStatus.name,
    [
      fc.constantFrom(...Gen.operations),
      fc.integer({ min: anyStatus.min, max: anyStatus.max }),
      Gen.anyBody,
      Gen.retryHeaders
    ],
    (operation, status, body, headers) =>
      Effect.gen(function*() {
        const outcome = yield* against(operation, { status, body, headers })
        if (status >= anyStatus.firstError) {
          expect(outcome._tag === "Failure" && TrainingImagesError.isStatusError(outcome.error)).toBe(true)
          if (outcome._tag === "Failure") {
            expect(typeof outcome.error.message).toBe("string")
            expect(() => JSON.stringify(outcome.error)).not.toThrow()
          }
        } else {
          expect(tagOf(outcome)).toMatch(anyStatus.successTags)
        }
      }),
    anyStatus.runs
  )
})

import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Cases from "../../../contract/client.js"
import * as Wire from "../../../contract/wire.js"
import * as Credentials from "../src/Credentials.js"
import * as TrainingImage from "../src/TrainingImage.js"
import * as TrainingImages from "../src/TrainingImages.js"
import type { TrainingImagesError } from "../src/TrainingImagesError.js"
import { trainingImageJson, withStub } from "./stub.js"

// The cases of `contract/wire.ts`, shared with the Effect 3 line, through the service over the stub transport;
// then the request options, which each line keeps in its own kind of fiber-local value.

const line: Wire.Line = {
  userAgent: TrainingImages.USER_AGENT,
  isTrainingImage: (u) => u instanceof TrainingImage.TrainingImage,
  isModelTrainingImages: (u) => u instanceof TrainingImage.ModelTrainingImages
}

// The calls of a case through the service over the stub transport, then what the stub recorded and what each
// call gave back, against the case.
const run = (check: Wire.Case) =>
  Effect.gen(function*() {
    const { images, recorded } = yield* withStub(check.replies, {
      ...(check.bearer === undefined ? {} : { credentials: Credentials.bearer(check.bearer) }),
      ...(check.baseUrl === undefined ? {} : { baseUrl: check.baseUrl })
    })
    const results: Array<unknown> = []
    for (const { operation, params } of check.calls) {
      const call = images[operation] as (params: unknown) => Effect.Effect<unknown, TrainingImagesError>
      results.push(yield* call(params))
    }
    const requests = yield* recorded
    expect(requests).toHaveLength(check.requests.length)
    check.requests.forEach((expected, i) => {
      expect(Wire.requestFacts(requests[i], expected, line), `request ${i}`).toEqual(expected)
    })
    check.results?.forEach((expected, i) => {
      expect(Wire.resultFacts(results[i], expected, line), `result ${i}`).toEqual(expected)
    })
  })

describe("TrainingImages wire format", () => {
  for (const check of Wire.cases) it.effect(check.name, () => run(check))
})

describe("path encoding", () => {
  it.effect("ids never leave their own segment", () =>
    Effect.gen(function*() {
      for (const [id, encoded] of Wire.hostileIds) {
        const { images, recorded } = yield* withStub([{ status: 200, body: { trainingImage: trainingImageJson() } }])
        yield* images.replace({ modelId: id, trainingImageId: id, assetId: "asset_1" })
        const [request] = yield* recorded
        const url = new URL(request!.url)
        expect(url.pathname).toBe(`/v1/models/${encoded}/training-images/${encoded}`)
        expect(url.search).toBe("")
        expect(url.hash).toBe("")
      }
    }))

  it.effect("ids that URL parsers would resolve as steps are rejected before sending", () =>
    Effect.gen(function*() {
      for (const id of Wire.stepIds) {
        const { images, recorded } = yield* withStub([{ status: 200, body: {} }])
        const error = yield* Effect.flip(images.delete({ modelId: "m", trainingImageId: id }))
        expect(error._tag).toBe("InvalidRequestError")
        expect(yield* recorded).toHaveLength(0)
      }
    }))
})

describe("per-call options (a Context.Reference on Effect 4)", () => {
  const Layered = Cases.layeredOptions
  const add = (images: TrainingImages.Service, size: number) =>
    Effect.exit(images.add(Layered.bodyOfSize(size))).pipe(Effect.map((exit) => exit._tag))

  it.effect("set for a whole program by a Layer, and nested overrides merge, the innermost winning", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* withStub([{ status: 200, body: { trainingImage: trainingImageJson() } }])
      const layer = Layer.succeed(TrainingImages.currentRequestOptions, Layered.layer)
      for (const [size, outcome] of Layered.sizes) {
        expect(yield* add(images, size).pipe(Effect.provide(layer)), String(size)).toBe(outcome)
      }
      const [outer, inner] = Layered.nested
      const merged = yield* Effect.gen(function*() {
        const options = yield* TrainingImages.currentRequestOptions
        return { options, outcome: yield* add(images, Layered.mergedSize) }
      }).pipe(
        TrainingImages.withRequestOptions(inner),
        TrainingImages.withRequestOptions(outer),
        Effect.provide(layer)
      )
      expect(merged.options).toEqual(Layered.merged)
      expect(merged.outcome).toBe("Success")
      expect(yield* TrainingImages.currentRequestOptions).toEqual({})
      expect(yield* recorded).toHaveLength(Layered.sent)
    }))
})

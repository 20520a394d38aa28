/**
 * One contract, every transport: the contract table (the repository's `contract/cases.ts`, shared by both
 * lines) runs over the Effect 4 line's HTTP client on each Node transport of `@effect/platform-node` against
 * the emulator (`../Contract.test.ts` runs it over the fake and UndiciHttpClient). Then one script runs on the
 * fake and on all of them and their transcripts must be identical: any difference between the fake and HTTP
 * is a bug.
 */
import { UndiciHttpClient } from "@effect-scenario/effect4/node"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Result } from "effect"
import { FetchHttpClient } from "effect/http"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import * as Fault from "../../src/testing/Fault.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import type * as TrainingImagesError from "../../src/TrainingImagesError.js"
import * as Table from "../contract/runner.js"
import { ContractHarness, fake, overEmulator, type Transport } from "./contract/harness.js"

/** Retries without waiting (the real backoff is tested elsewhere). */
const promptRetries = TrainingImages.withRequestOptions({
  retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "1 millis", jitter: false })
})

/**
 * What an error shows that must not depend on the transport: its tag, status and body, and whether the
 * request may have reached the server. The URL, headers and request id do (the fake names its own base URL).
 */
const essence = (error: TrainingImagesError.TrainingImagesError) => ({
  _tag: error._tag,
  ...("status" in error ? { status: error.status } : {}),
  ...("body" in error && error._tag !== "ResponseDecodeError" ? { body: error.body } : {}),
  ...("mayHaveReachedServer" in error ? { mayHaveReachedServer: error.mayHaveReachedServer } : {}),
  ...("retryAfter" in error && error.retryAfter !== undefined
    ? { retryAfter: Duration.toMillis(error.retryAfter) }
    : {})
})

const transports: ReadonlyArray<Transport> = [
  fake,
  overEmulator("HTTP client over this package's UndiciHttpClient to the emulator", UndiciHttpClient.layer()),
  overEmulator("HTTP client over undici (NodeHttpClient.layerUndici) to the emulator", NodeHttpClient.layerUndici),
  overEmulator("HTTP client over fetch (FetchHttpClient.layer) to the emulator", FetchHttpClient.layer)
]

const httpClients = [
  ["undici (NodeHttpClient.layerUndici)", NodeHttpClient.layerUndici],
  ["fetch (FetchHttpClient.layer)", FetchHttpClient.layer]
] as const

for (const [name, layer] of httpClients) {
  Table.contractSuite(`contract table: HTTP client over ${name} to the emulator`, Table.overEmulator(layer), true)
}

// Dates differ from run to run, and so does the origin of a `downloadUrl` (the emulator's download port, the
// fake's host that nothing serves); the path below it (`/assets/<id>`) and everything else must not.
const normalise = (value: unknown): unknown =>
  value === undefined
    ? value
    : JSON.parse(JSON.stringify(value), (key, v) =>
      key === "createdAt" && typeof v === "string"
        ? "<date>"
        : key === "downloadUrl" && typeof v === "string"
        ? `<origin>${new URL(v).pathname}`
        : v)

// A script that touches every operation, success and failure, with faults: its transcript is what the
// transports are compared on.
const transcript = Effect.gen(function*() {
  const harness = yield* ContractHarness
  const images = yield* TrainingImages.TrainingImages
  yield* harness.reset
  yield* harness.seed({
    model_t: { status: "trained", trainingImages: [{ id: "asset_seeded", name: "seeded.png" }] },
    "model/odd id": {}
  })
  const steps: Array<unknown> = []
  const step = <A, E extends Parameters<typeof essence>[0]>(name: string, effect: Effect.Effect<A, E>) =>
    Effect.map(Effect.result(effect), (result) => {
      steps.push([
        name,
        Result.isSuccess(result) ? { ok: normalise(result.success) } : { error: essence(result.failure) }
      ])
    })
  yield* step("add asset", images.add({ modelId: "model_t", assetId: "asset_a", preset: "style" }))
  yield* step("add batch", images.add({ modelId: "model_t", assetIds: ["asset_b", "asset_c", "asset_d"] }))
  yield* step("add data", images.add({ modelId: "model_t", data: "data:image/webp;base64,UklGRg==", name: "w.webp" }))
  yield* step("add odd model", images.add({ modelId: "model/odd id", assetId: "asset_e" }))
  yield* step("replace", images.replace({ modelId: "model_t", trainingImageId: "asset_test_000002", assetId: "x" }))
  yield* step(
    "replace batch",
    images.replace({ modelId: "model_t", trainingImageId: "asset_seeded", assetIds: ["p", "q"] })
  )
  yield* step("replace missing", images.replace({ modelId: "model_t", trainingImageId: "asset_none", assetId: "x" }))
  yield* step(
    "pairs",
    images.replacePairs({
      modelId: "model_t",
      pairs: [{ sourceId: "asset_seeded", targetId: "asset_test_000001", instruction: "i" }]
    })
  )
  yield* step(
    "pairs unknown",
    images.replacePairs({ modelId: "model_t", pairs: [{ sourceId: "asset_x", targetId: "asset_seeded" }] })
  )
  yield* harness.failNext(1, Fault.rateLimited({ retryAfter: 0 }))
  yield* step("list after 429", images.list({ modelId: "model_t", originalAssets: true }))
  yield* harness.failNext(1, Fault.serverError(503))
  yield* step("add after 503", promptRetries(images.add({ modelId: "model_t", assetId: "asset_f" })))
  yield* harness.failNext(1, Fault.serverError(502))
  yield* step("add after 502", promptRetries(images.add({ modelId: "model_t", assetId: "asset_g" })))
  yield* harness.failNext(1, Fault.dropAfterApply)
  yield* step(
    "delete dropped after apply",
    promptRetries(images.delete({ modelId: "model_t", trainingImageId: "asset_test_000001" }))
  )
  yield* step("delete again", images.delete({ modelId: "model_t", trainingImageId: "asset_test_000001" }))
  yield* step("list missing", images.list({ modelId: "model_none" }))
  yield* step("invalid", images.add({ modelId: "model_t", assetIds: [] }))
  yield* step("list", images.list({ modelId: "model_t" }))
  yield* step("list odd", images.list({ modelId: "model/odd id" }))
  return { steps, exchanges: yield* harness.exchanges, stored: normalise(yield* harness.model("model_t")) }
})

describe("every transport behaves as the in-memory fake", () => {
  it.live("the same script gives the same transcript: values, errors, stored state, requests seen", () =>
    Effect.gen(function*() {
      const [reference, ...others] = yield* Effect.forEach(
        transports,
        (transport) =>
          Effect.map(Effect.provide(transcript, transport.layer), (result) => ({ name: transport.name, result }))
      )
      expect(reference!.result.steps.length).toBe(18)
      expect(reference!.result.exchanges.length).toBeGreaterThan(18)
      for (const other of others) {
        expect({ transport: other.name, ...other.result }).toEqual({ transport: other.name, ...reference!.result })
      }
    }))
})

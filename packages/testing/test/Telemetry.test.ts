import { RetryPolicy, Telemetry, TrainingImages } from "@effect-scenario/core"
import { Fault, TrainingImagesTest } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeHttpClient } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Metric, MetricState, TestClock, Tracer } from "effect"
import * as Expected from "../../../contract/telemetry.js"

const { MODEL } = Expected

// The metrics of the calls to one server, out of Effect's global registry, which every test shares.
const metricsOf = (serverAddress: string, serverPort: string | undefined) =>
  Effect.map(Metric.snapshot, (pairs) => {
    const mine = pairs.filter((pair) =>
      pair.metricKey.tags.some((tag) =>
        tag.key === Telemetry.Attributes.serverAddress && tag.value === serverAddress
      ) &&
      (serverPort === undefined ||
        pair.metricKey.tags.some((tag) => tag.key === Telemetry.Attributes.serverPort && tag.value === serverPort))
    )
    const labelsOf = (pair: (typeof mine)[number]) =>
      Object.fromEntries(
        pair.metricKey.tags
          .filter((tag) =>
            tag.key !== Telemetry.Attributes.serverAddress && tag.key !== Telemetry.Attributes.serverPort &&
            tag.key !== Telemetry.Attributes.method
          )
          .map((tag) => [tag.key, tag.value])
      )
    const rows = (name: string) =>
      mine.filter((pair) => pair.metricKey.name === name).map((pair) => {
        const state = pair.metricState
        const value = MetricState.isCounterState(state)
          ? Number(state.count)
          : MetricState.isHistogramState(state)
          ? state.count
          : undefined
        return { ...labelsOf(pair), value }
      }).filter((row) => row.value !== 0).sort(Expected.byLabels)
    return {
      requests: rows(Expected.METRIC_NAMES.requests),
      retries: rows(Expected.METRIC_NAMES.retries),
      durations: rows(Expected.METRIC_NAMES.durations),
      active: rows(Expected.METRIC_NAMES.active)
    }
  })

// A small run: an add, a list that meets a 429 and is retried, a delete of an image that is not there.
const run = (failNext: (count: number, fault: Fault.Fault) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    const images = yield* TrainingImages.TrainingImages
    yield* images.add({ modelId: MODEL, assetId: "asset_1" })
    yield* failNext(1, Fault.rateLimited({ retryAfter: 0 }))
    yield* images.list({ modelId: MODEL })
    yield* Effect.flip(images.delete({ modelId: MODEL, trainingImageId: "missing" }))
  }).pipe(TrainingImages.withRequestOptions({ retryPolicy: RetryPolicy.make({ initialDelay: "1 millis" }) }))

describe("metrics of a small run", () => {
  it.effect("against the in-memory fake", () =>
    Effect.gen(function*() {
      const fake = yield* TrainingImagesTest.make({
        baseUrl: "https://fake-metrics.scenario.test/v1",
        models: { [MODEL]: {} }
      })
      yield* run((count, fault) => fake.failNext(count, fault)).pipe(
        Effect.provideService(TrainingImages.TrainingImages, fake.service)
      )
      expect(yield* metricsOf("fake-metrics.scenario.test", "443")).toEqual(Expected.smallRun)
    }))

  it.effect("against the in-memory fake with the metrics off: none", () =>
    Effect.gen(function*() {
      const fake = yield* TrainingImagesTest.make({
        baseUrl: "https://fake-metrics-off.scenario.test/v1",
        models: { [MODEL]: {} }
      })
      yield* run((count, fault) => fake.failNext(count, fault)).pipe(
        Effect.provideService(TrainingImages.TrainingImages, fake.service),
        Telemetry.withMetricsEnabled(false)
      )
      expect((yield* fake.calls).length).toBe(4)
      expect(yield* metricsOf("fake-metrics-off.scenario.test", "443")).toEqual(Expected.none)
    }))

  it.live("against the emulator, over HTTP", () =>
    Effect.gen(function*() {
      const emulator = yield* ScenarioEmulator.ScenarioEmulator
      yield* run((count, fault) => emulator.failNext(count, fault))
      expect(yield* metricsOf("127.0.0.1", String(emulator.port))).toEqual(Expected.smallRun)
    }).pipe(
      Effect.provide(
        ScenarioEmulator.layerTrainingImages().pipe(
          Layer.provide(NodeHttpClient.layerUndici),
          Layer.provideMerge(ScenarioEmulator.layer({ models: { [MODEL]: {} } }))
        )
      )
    ))
})

describe("spans", () => {
  it.effect("one per call and one per attempt below it, with the attempt number and the retry's reason", () =>
    Effect.gen(function*() {
      const spans: Array<Tracer.Span> = []
      const native = yield* Effect.tracer
      const tracer = Tracer.make({
        span: (...args) => {
          const span = native.span(...args)
          spans.push(span)
          return span
        },
        context: (f) => f()
      })
      const fake = yield* TrainingImagesTest.make({ models: { [MODEL]: {} } })
      yield* fake.failNext(Expected.retriedList.failures, Fault.serverError(Expected.retriedList.status))
      yield* fake.service.list({ modelId: MODEL }).pipe(
        TrainingImages.withRequestOptions({
          retryPolicy: RetryPolicy.make({ initialDelay: "1 millis", jitter: false })
        }),
        Effect.withTracer(tracer),
        Effect.fork,
        Effect.tap(() => TestClock.adjust("1 second")),
        Effect.flatMap(Fiber.join)
      )
      const { attempts: attempt, call: expected } = Expected.retriedList
      const call = spans.find((span) => span.name === expected.name)!
      expect(call.kind).toBe(expected.kind)
      expect(Object.fromEntries(call.attributes)).toMatchObject(expected.attributes)
      const attempts = spans.filter((span) => span.name === attempt.name)
      expect(attempts.map((span) => span.parent._tag === "Some" && span.parent.value.spanId)).toEqual(
        Array(3).fill(call.spanId)
      )
      expect(attempts.map((span) => span.kind)).toEqual(Array(3).fill(attempt.kind))
      expect(attempts.map((span) => Object.fromEntries(span.attributes))).toEqual(attempt.attributes)
    }))
})

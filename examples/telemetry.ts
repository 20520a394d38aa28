/**
 * Metrics and spans of every call, exported through OpenTelemetry (`@effect/opentelemetry`) to the console.
 * It starts the emulator on a free loopback port, makes it answer one call with 429 and another with 503,
 * runs a few calls over the Node transport, and prints:
 *
 * - a span per call (`TrainingImages.add`, ...) and one per attempt below it (`POST add`, ...), with
 *   `scenario.attempt` and, on a retry, `scenario.retry.reason`;
 * - the metrics when the program ends: `scenario.client.requests`, `scenario.client.retries`,
 *   `http.client.request.duration`, `http.client.active_requests`.
 *
 *   pnpm telemetry
 *
 * To send them to a collector instead, swap the console exporters for OTLP ones
 * (`@opentelemetry/exporter-trace-otlp-http`, `@opentelemetry/exporter-metrics-otlp-http`), or use
 * `@effect/opentelemetry/Otlp`.
 */
import { RetryPolicy, TrainingImages } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import { Fault } from "@effect-scenario/testing"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { NodeSdk } from "@effect/opentelemetry"
import { NodeRuntime } from "@effect/platform-node"
import {
  ConsoleMetricExporter,
  PeriodicExportingMetricReader,
  type PushMetricExporter
} from "@opentelemetry/sdk-metrics"
import { ConsoleSpanExporter, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base"
import { Console, Effect, Layer } from "effect"
import { pathToFileURL } from "node:url"

const MODEL = "model_telemetry"

// A tiny PNG (1×1 pixel), given inline as a data URL.
const RED =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="

/**
 * The OpenTelemetry SDK as a layer: spans exported as each ends, metrics read every `intervalMillis` and
 * once more when the layer closes.
 */
export const telemetryLayer = (exporters: {
  readonly spans: SpanExporter
  readonly metrics: PushMetricExporter
  readonly intervalMillis?: number
}) =>
  NodeSdk.layer(() => ({
    resource: { serviceName: "effect-scenario-example" },
    spanProcessor: new SimpleSpanProcessor(exporters.spans),
    metricReader: new PeriodicExportingMetricReader({
      exporter: exporters.metrics,
      exportIntervalMillis: exporters.intervalMillis ?? 60_000
    })
  }))

/** A few calls against the emulator, two of which meet a fault and are retried. */
export const program = Effect.gen(function*() {
  const emulator = yield* ScenarioEmulator.ScenarioEmulator
  const images = yield* TrainingImages.TrainingImages
  const added = yield* images.add({ modelId: MODEL, data: RED, name: "red.png" })
  yield* emulator.failNext(1, Fault.rateLimited({ retryAfter: "10 millis" }), { operation: "list" })
  yield* images.list({ modelId: MODEL })
  yield* emulator.failNext(1, Fault.serverError(503), { operation: "replacePairs" })
  yield* images.replacePairs({ modelId: MODEL, pairs: [{ sourceId: added.id, targetId: added.id }] })
  yield* images.delete({ modelId: MODEL, trainingImageId: added.id })
  return (yield* emulator.requests).length
}).pipe(
  Effect.withSpan("example"),
  TrainingImages.withRequestOptions({ retryPolicy: RetryPolicy.make({ initialDelay: "10 millis" }) })
)

/** The emulator and the Node client pointed at it. */
export const EmulatorLive = Layer.unwrapEffect(
  Effect.map(
    ScenarioEmulator.ScenarioEmulator,
    (emulator) => NodeTrainingImages.layer({ baseUrl: emulator.baseUrl, credentials: emulator.credentials })
  )
).pipe(Layer.provideMerge(ScenarioEmulator.layer({ models: { [MODEL]: {} } })))

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  program.pipe(
    Effect.tap((count) => Console.log(`\n${count} requests reached the emulator; the metrics follow.\n`)),
    Effect.provide(EmulatorLive),
    // Outermost, so that the SDK closes (and exports the metrics) after everything else.
    Effect.provide(telemetryLayer({ spans: new ConsoleSpanExporter(), metrics: new ConsoleMetricExporter() })),
    NodeRuntime.runMain
  )
}

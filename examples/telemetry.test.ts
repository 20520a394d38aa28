/**
 * The telemetry example's program, exported through OpenTelemetry into memory instead of the console: the
 * spans and metrics an OpenTelemetry backend would receive.
 */
import { describe, expect, it } from "@effect/vitest"
import { AggregationTemporality, InMemoryMetricExporter } from "@opentelemetry/sdk-metrics"
import { InMemorySpanExporter } from "@opentelemetry/sdk-trace-base"
import { Effect } from "effect"
import { EmulatorLive, program, telemetryLayer } from "./telemetry.js"

describe("telemetry example", () => {
  it.live("exports a span per call and per attempt, and the client's metrics, through @effect/opentelemetry", () =>
    Effect.gen(function*() {
      const spans = new InMemorySpanExporter()
      const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE)
      // The spans are read before the SDK closes (closing empties the in-memory exporter); the metrics after,
      // from the export made on closing.
      const [requests, finished] = yield* program.pipe(
        Effect.provide(EmulatorLive),
        Effect.map((requests) => [requests, [...spans.getFinishedSpans()]] as const),
        Effect.provide(telemetryLayer({ spans, metrics }))
      )
      expect(requests).toBe(6)

      const names = finished.map((span) => span.name)
      expect(names).toEqual(expect.arrayContaining([
        "TrainingImages.add",
        "POST add",
        "TrainingImages.list",
        "GET list",
        "TrainingImages.replacePairs",
        "PUT replacePairs",
        "TrainingImages.delete",
        "DELETE delete",
        "example"
      ]))
      const listAttempts = finished.filter((span) => span.name === "GET list")
      expect(listAttempts.map((span) => span.attributes["scenario.attempt"])).toEqual([1, 2])
      expect(listAttempts.map((span) => span.attributes["http.response.status_code"])).toEqual([429, 200])
      expect(listAttempts[1]!.attributes["scenario.retry.reason"]).toBe("429")
      expect(listAttempts[0]!.attributes["error.type"]).toBe("429")
      expect(listAttempts[0]!.attributes["server.address"]).toBe("127.0.0.1")
      const call = finished.find((span) => span.name === "TrainingImages.list")!
      expect(listAttempts.every((span) => span.parentSpanContext?.spanId === call.spanContext().spanId)).toBe(true)

      // The last export, made when the SDK closed.
      const exported = metrics.getMetrics().at(-1)!.scopeMetrics.flatMap((scope) => scope.metrics)
      const byName = new Map(exported.map((metric) => [metric.descriptor.name, metric]))
      const points = (name: string) =>
        (byName.get(name)?.dataPoints ?? []).map((point) => ({ attributes: point.attributes, value: point.value }))
      expect(points("scenario.client.retries")).toEqual(expect.arrayContaining([
        {
          attributes: expect.objectContaining({ "scenario.operation": "list", "scenario.retry.reason": "429" }),
          value: 1
        },
        {
          attributes: expect.objectContaining({ "scenario.operation": "replacePairs", "scenario.retry.reason": "503" }),
          value: 1
        }
      ]))
      expect(points("scenario.client.requests")).toEqual(expect.arrayContaining([
        {
          attributes: expect.objectContaining({
            "scenario.operation": "list",
            "http.request.method": "GET",
            "server.address": "127.0.0.1",
            "scenario.status_class": "4xx",
            "error.type": "429"
          }),
          value: 1
        }
      ]))
      expect(byName.has("http.client.request.duration")).toBe(true)
      expect(byName.has("http.client.active_requests")).toBe(true)
    }))
})

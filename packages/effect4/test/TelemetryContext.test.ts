/**
 * Where a call's metrics are recorded: in the metric registry and with the attributes of the call's own fiber
 * (`Metric.MetricRegistry`, `Metric.CurrentMetricAttributes`), whatever the calls before it were made with.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Metric } from "effect"
import * as Telemetry from "../src/Telemetry.js"
import { withStub } from "./stub.js"

const ok = { status: 200, body: { model: { id: "model_1", status: "new", trainingImagesNumber: 0 } } }

// The values of each metric of the calls to `host` in `registry`, by the `tenant` attribute ("" when none).
const valuesIn = (registry: Metric.MetricRegistry | undefined, host: string) => {
  const snapshot = Effect.map(Metric.snapshot, (snapshots) => {
    const values: Record<string, Record<string, number>> = {}
    for (const snapshot of snapshots) {
      const tags = snapshot.attributes ?? {}
      if (tags[Telemetry.Attributes.serverAddress] !== host) continue
      const value = snapshot.type === "Counter"
        ? Number(snapshot.state.count)
        : snapshot.type === "Histogram"
        ? snapshot.state.count
        : -1
      const byTenant = (values[snapshot.id] ??= {})
      byTenant[tags.tenant ?? ""] = (byTenant[tags.tenant ?? ""] ?? 0) + value
    }
    return values
  })
  return registry === undefined ? snapshot : Effect.provideService(snapshot, Metric.MetricRegistry, registry)
}

const counted = (byTenant: Record<string, number>) => ({
  "scenario.client.requests": byTenant,
  "http.client.request.duration": byTenant,
  "http.client.active_requests": Object.fromEntries(Object.keys(byTenant).map((tenant) => [tenant, 0]))
})

describe("a call's metrics", () => {
  it.effect("go to its fiber's registry, with its fiber's attributes, as they change from call to call", () =>
    Effect.gen(function*() {
      const host = "registries.scenario.test"
      const { images } = yield* withStub([ok], { baseUrl: `https://${host}/v1` })
      const mine: Metric.MetricRegistry = new Map()
      const theirs: Metric.MetricRegistry = new Map()
      const list = images.list({ modelId: "model_1" })
      const inRegistry = (registry: Metric.MetricRegistry) => Effect.provideService(Metric.MetricRegistry, registry)
      const asTenant = (tenant: string) => Effect.provideService(Metric.CurrentMetricAttributes, { tenant })

      yield* list.pipe(inRegistry(mine))
      yield* list.pipe(inRegistry(theirs), asTenant("b"))
      yield* list.pipe(inRegistry(mine))
      yield* list.pipe(asTenant("a"), inRegistry(mine))
      yield* list
      yield* list.pipe(inRegistry(theirs))
      yield* list.pipe(asTenant("a"))

      expect(yield* valuesIn(mine, host)).toEqual(counted({ "": 2, a: 1 }))
      expect(yield* valuesIn(theirs, host)).toEqual(counted({ "": 1, b: 1 }))
      expect(yield* valuesIn(undefined, host)).toEqual(counted({ "": 1, a: 1 }))
    }))

  it.effect("with the metrics off, go nowhere, and the next call's go where it says", () =>
    Effect.gen(function*() {
      const host = "off-then-on.scenario.test"
      const { images } = yield* withStub([ok], { baseUrl: `https://${host}/v1` })
      const mine: Metric.MetricRegistry = new Map()
      const list = images.list({ modelId: "model_1" })

      yield* list.pipe(Telemetry.withMetricsEnabled(false), Effect.provideService(Metric.MetricRegistry, mine))
      expect(yield* valuesIn(mine, host)).toEqual({})
      yield* list.pipe(Effect.provideService(Metric.MetricRegistry, mine))
      expect(yield* valuesIn(mine, host)).toEqual(counted({ "": 1 }))
    }))
})

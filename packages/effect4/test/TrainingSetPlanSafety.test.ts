import * as Plan from "@effect-scenario/kernel/TrainingSetPlan"
import { assert, describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Schema } from "effect"
import type { Issue } from "../src/TrainingImagesError.js"
import * as TrainingSet from "../src/TrainingSet.js"

// Any name in the state, through the State Schema (the plan rules that keep a user's images safe are the kernel's,
// tested there); and the plan's Schema types and the kernel's plain types, the same both ways.

describe("TrainingSet plan rules", () => {
  it("any name round-trips through the state: __proto__ and Object.prototype's other members included", () => {
    const names = ["__proto__", "constructor", "hasOwnProperty", "a.png"]
    const state = Plan.nextState(
      "m",
      undefined,
      names.map((name, i) => ({
        item: { _tag: "Add", name, sha256: `sha${i}` },
        trainingImageIds: [`asset_${i}`]
      }))
    )
    expect(Object.keys(state.images)).toEqual(names)
    expect(Object.getPrototypeOf(state.images)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(state.images, "__proto__")?.value).toEqual({
      sha256: "sha0",
      trainingImageId: "asset_0"
    })
    const json = JSON.stringify(Schema.encodeSync(TrainingSet.State)(state))
    expect(json).toContain(`"__proto__":{"sha256":"sha0","trainingImageId":"asset_0"}`)
    const decoded = Schema.decodeUnknownSync(Schema.fromJsonString(TrainingSet.State))(json)
    expect(Object.keys(decoded.images)).toEqual(names)
    expect(Object.getPrototypeOf(decoded.images)).toBe(Object.prototype)
    // The next state keeps them, and a deleted one leaves.
    const after = Plan.nextState("m", decoded, [{
      item: { _tag: "Delete", name: "__proto__", trainingImageId: "asset_0", reason: "not-in-set" },
      trainingImageIds: []
    }])
    expect(Object.keys(after.images)).toEqual(names.slice(1))
    // A value that is not a state is refused, with the name at fault in the path.
    const bad = Schema.decodeUnknownResult(Schema.fromJsonString(TrainingSet.State))(
      `{"modelId":"m","images":{"a.png":{"sha256":"x","trainingImageId":"y"},"__proto__":{"sha256":1}}}`
    )
    assert(bad._tag === "Failure")
    expect(bad.failure.message).toContain("__proto__")
  })
  it("the State schema still gives a JSON Schema, an arbitrary and a pretty printer", () => {
    const root = Schema.toJsonSchemaDocument(TrainingSet.State).schema as {
      readonly properties: Record<string, unknown>
    }
    const images = root.properties.images
    expect(images).toMatchObject({
      type: "object",
      additionalProperties: { type: "object", required: ["sha256", "trainingImageId"] }
    })
    const states = Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(TrainingSet.State), { count: 20, seed: 3 }))
    expect(states.every(Schema.is(TrainingSet.State))).toBe(true)
    const state = { modelId: "m", images: Object.fromEntries([["__proto__", { sha256: "s", trainingImageId: "i" }]]) }
    expect(Schema.toFormatter(TrainingSet.State)(state)).toContain(`"__proto__"`)
  })
})

// Each is assignable to the other: the kernel's plain types cannot drift from the Schemas' types.
type Same<A, B> = [A] extends [B] ? [B] extends [A] ? true : false : false
const same: {
  readonly planItem: Same<TrainingSet.PlanItem, Plan.PlanItem>
  readonly plannedPair: Same<TrainingSet.PlannedPair, Plan.PlannedPair>
  readonly skipReason: Same<TrainingSet.SkipReason, Plan.SkipReason>
  readonly state: Same<TrainingSet.State, Plan.State>
  readonly imagePeek: Same<TrainingSet.ImagePeek, Plan.ImagePeek>
  readonly issue: Same<Issue, Plan.Issue>
  readonly unsafeDelete: Same<TrainingSet.UnsafePlanError["issues"][number], Plan.UnsafeDelete>
} = {
  planItem: true,
  plannedPair: true,
  skipReason: true,
  state: true,
  imagePeek: true,
  issue: true,
  unsafeDelete: true
}

describe("the plan's types", () => {
  it("are the kernel's, both ways", () => {
    expect(Object.values(same).every((value) => value)).toBe(true)
  })
})

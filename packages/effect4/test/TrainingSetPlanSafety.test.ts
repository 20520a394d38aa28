// Any name in the state, through the State Schema (the plan rules that keep a user's images safe are the kernel's,
// tested there); and the plan's Schema types and the kernel's plain types, the same both ways.
//
// The Effect 4 line's runner of the table `contract/trainingSetPlanSafety.ts`, shared with the Effect 3 line.
import * as Plan from "@effect-scenario/kernel/TrainingSetPlan"
import { assert, describe, expect, it } from "@effect/vitest"
import { Arbitrary, Effect, Schema } from "effect"
import * as Names from "../../../contract/trainingSetPlanSafety.js"
import type { Issue } from "../src/TrainingImagesError.js"
import * as TrainingSet from "../src/TrainingSet.js"

describe("TrainingSet plan rules", () => {
  it("any name round-trips through the state: __proto__ and Object.prototype's other members included", () => {
    const { after, bad, badName, deleted, json: fragment, proto } = Names.ROUND_TRIP
    const state = Plan.nextState(Names.MODEL, undefined, Names.added)
    expect(Object.keys(state.images)).toEqual(Names.NAMES)
    expect(Object.getPrototypeOf(state.images)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(state.images, proto.name)?.value).toEqual(proto.entry)
    const json = JSON.stringify(Schema.encodeSync(TrainingSet.State)(state))
    expect(json).toContain(fragment)
    const decoded = Schema.decodeUnknownSync(Schema.fromJsonString(TrainingSet.State))(json)
    expect(Object.keys(decoded.images)).toEqual(Names.NAMES)
    expect(Object.getPrototypeOf(decoded.images)).toBe(Object.prototype)
    // The next state keeps them, and a deleted one leaves.
    const next = Plan.nextState(Names.MODEL, decoded, deleted)
    expect(Object.keys(next.images)).toEqual(after)
    // A value that is not a state is refused, with the name at fault in the path.
    const refused = Schema.decodeUnknownResult(Schema.fromJsonString(TrainingSet.State))(bad)
    assert(refused._tag === "Failure")
    expect(refused.failure.message).toContain(badName)
  })
  it("the State schema still gives a JSON Schema, an arbitrary and a pretty printer", () => {
    const { images: expected, printed, sample: { count, seed } } = Names.SCHEMA
    const root = Schema.toJsonSchemaDocument(TrainingSet.State).schema as {
      readonly properties: Record<string, unknown>
    }
    const images = root.properties.images
    expect(images).toMatchObject(expected)
    const states = Effect.runSync(Arbitrary.sampleEffect(Arbitrary.schema(TrainingSet.State), { count, seed }))
    expect(states).toHaveLength(count)
    expect(states.every(Schema.is(TrainingSet.State))).toBe(true)
    expect(Schema.toFormatter(TrainingSet.State)(printed.state)).toContain(printed.contains)
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

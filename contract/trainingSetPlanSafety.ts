/**
 * Any name in a training set's state, as plain data for both lines: the names of `Object.prototype`'s members
 * (`__proto__` among them) are a state's names like any other, through the kernel's `nextState`, the line's
 * State Schema (encoded to JSON and decoded back, a value that is not a state refused with the name at fault)
 * and the Schema's JSON Schema, arbitrary and printer. The runners: `packages/core/test/TrainingSetPlanSafety.test.ts`
 * (Effect 3) and `packages/effect4/test/TrainingSetPlanSafety.test.ts`.
 */

export const MODEL = "m"

/** The names: `names[i]` is added with sha256 `sha<i>` as training image `asset_<i>`. */
export const NAMES = ["__proto__", "constructor", "hasOwnProperty", "a.png"] as const

/** The state's entry of `names[i]`. */
export const entry = (i: number) => ({ sha256: `sha${i}`, trainingImageId: `asset_${i}` })

/** The outcomes that add every name: the kernel's `nextState` input. */
export const added = NAMES.map((name, i) => ({
  item: { _tag: "Add" as const, name, sha256: entry(i).sha256 },
  trainingImageIds: [entry(i).trainingImageId]
}))

export const ROUND_TRIP = {
  /** The entry of `__proto__`, an own property of the state's images. */
  proto: { name: "__proto__", entry: entry(0) },
  /** The state's JSON holds it as a name. */
  json: `"__proto__":{"sha256":"sha0","trainingImageId":"asset_0"}`,
  /** A delete of `__proto__` over the decoded state: every other name stays. */
  deleted: [{
    item: { _tag: "Delete" as const, name: "__proto__", trainingImageId: "asset_0", reason: "not-in-set" as const },
    trainingImageIds: []
  }],
  after: NAMES.slice(1),
  /** A value that is not a state: refused, the name at fault in the message. */
  bad: `{"modelId":"m","images":{"a.png":{"sha256":"x","trainingImageId":"y"},"__proto__":{"sha256":1}}}`,
  badName: "__proto__"
} as const

/** The State Schema's JSON Schema, arbitrary and printer. */
export const SCHEMA = {
  /** The JSON Schema's `images` property matches this. */
  images: {
    type: "object",
    additionalProperties: { type: "object", required: ["sha256", "trainingImageId"] }
  },
  /** The arbitrary's sample: this many states, from this seed, each one a State. */
  sample: { count: 20, seed: 3 },
  /** A state of `__proto__` alone: its printing names it. */
  printed: {
    state: { modelId: "m", images: Object.fromEntries([["__proto__", { sha256: "s", trainingImageId: "i" }]]) },
    contains: `"__proto__"`
  }
} as const

/**
 * What a sync must never do, whatever the server answers, as plain data for both lines: delete the folder's
 * own images, add a name twice, stall on a wait it will not honour, or lose a name from its state. Each case
 * gives the folder (the image of `names[i]` is test-support's `png(i)`), the model's seed, the faults and
 * options, and what the plan, the report, the calls and the model must end with. The runners, against their
 * line's in-memory fake under the TestClock: `packages/testing/test/TrainingSetSafety.test.ts` (Effect 3) and
 * `packages/effect4/test/testing/TrainingSetSafety.test.ts`.
 */
import type { FaultSpec, Operation } from "./cases.js"

export const MODEL = "model_safety"

/** A model's training images, as the fake is seeded with them. */
export type Seeded = ReadonlyArray<{ readonly id: string; readonly name: string }>

export interface Keep {
  readonly _tag: "Keep"
  readonly name: string
  readonly trainingImageId: string
}

export interface Delete {
  readonly _tag: "Delete"
  readonly name: string
  readonly trainingImageId: string
  readonly reason: "not-in-set" | "duplicate"
}

/** A plan made by hand, of keeps and deletes, for the model (content not tracked). */
export const handPlan = (items: ReadonlyArray<Keep | Delete>) => ({ modelId: MODEL, tracksContent: false, items })

export interface UnsafeIssue {
  readonly name: string
  readonly trainingImageId: string
  readonly reason: "deletes-kept-image" | "leaves-name-empty"
}

/**
 * `--delete` with a list that shows each image twice (same id, same name), after a first sync of the folder:
 * one id listed twice is one image, so the plan keeps them all, deletes and adds nothing, and the model is
 * left as it was, no delete sent.
 */
export const LISTED_TWICE = {
  names: ["a.png", "b.png", "c.png"],
  summary: { keep: 3, delete: 0, add: 0 },
  deletes: [] as ReadonlyArray<unknown>
} as const

/**
 * Copies under one name with different ids, each listed twice: `--delete` deletes the extra copy as a
 * duplicate and keeps one.
 */
export const DUPLICATES = {
  seed: [{ id: "asset_a1", name: "a.png" }, { id: "asset_a2", name: "a.png" }, { id: "asset_b", name: "b.png" }],
  names: ["a.png", "b.png"],
  deletes: [{ _tag: "Delete", name: "a.png", trainingImageId: "asset_a2", reason: "duplicate" }],
  remaining: ["asset_a1", "asset_b"]
} as const

/**
 * Plans `apply` refuses with an `UnsafePlanError`, sending nothing: one that deletes an id it keeps (and so
 * empties a name of the folder), one that empties a name of the folder. The same refusal ends the stream of
 * events, and `checkPlan` tells it before any run. A delete by id, with no folder, is no such plan.
 */
export const UNSAFE = {
  seed: [{ id: "asset_a", name: "a.png" }, { id: "asset_b", name: "b.png" }],
  names: ["a.png", "b.png"],
  error: "UnsafePlanError",
  keepsAndDeletes: {
    items: [
      { _tag: "Keep", name: "a.png", trainingImageId: "asset_a" },
      { _tag: "Delete", name: "a.png", trainingImageId: "asset_a", reason: "duplicate" }
    ] as ReadonlyArray<Keep | Delete>,
    issues: [
      { name: "a.png", trainingImageId: "asset_a", reason: "deletes-kept-image" },
      { name: "a.png", trainingImageId: "asset_a", reason: "leaves-name-empty" }
    ] as ReadonlyArray<UnsafeIssue>
  },
  emptiesName: {
    items: [{ _tag: "Delete", name: "b.png", trainingImageId: "asset_b", reason: "not-in-set" }] as ReadonlyArray<
      Keep | Delete
    >,
    issues: [{ name: "b.png", trainingImageId: "asset_b", reason: "leaves-name-empty" }] as ReadonlyArray<
      UnsafeIssue
    >,
    /** What the error's message names. */
    message: "b.png"
  },
  /** The model's images after the refusals: all still there. */
  stored: 2,
  byId: {
    items: [{ _tag: "Delete", name: "asset_b", trainingImageId: "asset_b", reason: "not-in-set" }] as ReadonlyArray<
      Keep | Delete
    >
  }
} as const

/**
 * Every add answered 503 after being applied, while the list lags: with a settle window longer than the lag,
 * each name is added once, every result a reconciled success. The clock moves `step` at a time, at most
 * `maxSteps` times, until the run ends.
 */
export const LAGGING_ADDS = {
  names: ["a.png", "b.png", "c.png"],
  listLag: "4 seconds",
  faults: {
    rate: 1,
    faults: [{ _tag: "Status", status: 503, afterApply: true }] as ReadonlyArray<FaultSpec>,
    operations: ["add"] as ReadonlyArray<Operation>
  },
  settleWindow: "10 seconds",
  concurrency: 3,
  step: "1 second",
  maxSteps: 30,
  stored: ["a.png", "b.png", "c.png"],
  outcome: { _tag: "Succeeded", reconciled: true },
  adds: 3
} as const

/**
 * An add answered 500 before being applied: listed at once, not sent again inside the settle window, sent
 * again once it has passed without the image on the list.
 */
export const UNAPPLIED_ADD = {
  names: ["a.png"],
  fault: { count: 1, fault: { _tag: "Status", status: 500 } as FaultSpec, operation: "add" as Operation },
  settleWindow: "5 seconds",
  /** The clock moved this far, still inside the window, and the calls by then. */
  inside: { after: "4 seconds", calls: ["list", "add", "list"] as ReadonlyArray<Operation> },
  /** Then moved to the window's end, and the calls once the run has ended. */
  past: { after: "1 second", calls: ["list", "add", "list", "list", "add"] as ReadonlyArray<Operation> },
  outcome: { _tag: "Succeeded", reconciled: true },
  stored: ["a.png"]
} as const

/**
 * The fake's list lag: an image added (`png(seed)`) is listed only once the lag has passed, while inspection
 * sees it at once; with the lag turned off, the next add is listed at once.
 */
export const LIST_LAG = {
  listLag: "2 seconds",
  first: { name: "a.png", seed: 1 },
  listedAfter: "2 seconds",
  second: { name: "b.png", seed: 2 },
  listedAtLast: 2
} as const

/**
 * A 429 whose Retry-After is over the policy's cap (`capMs`), on one add of `images` images run `concurrency`
 * at a time: that item fails at once with the wait (in milliseconds), nobody pauses longer than the cap, the
 * 429 is not retried, and the others are stored.
 */
export const RETRY_AFTER_OVER_CAP = {
  images: 8,
  name: (index: number): string => `img-${index}.png`,
  concurrency: 4,
  operation: "add" as Operation,
  capMs: 60_000,
  cases: [
    { retryAfter: "120 seconds", millis: 120_000 },
    { retryAfter: "1 day", millis: 86_400_000 },
    { retryAfter: "1095 days", millis: 94_608_000_000 }
  ],
  failure: "RateLimitError",
  stored: 7,
  paused: "Paused",
  retried: "Retried"
} as const

/**
 * Names that are also `Object.prototype`'s: synced with an empty state, each is in the next state, which
 * round-trips through its Schema and JSON (and the report's); planned again with that state, or with an empty
 * one, every image is kept.
 */
export const PROTOTYPE_NAMES = {
  names: ["__proto__", "a.png", "constructor", "toString"],
  again: ["Keep", "Keep", "Keep", "Keep"],
  untracked: ["Keep", "Keep", "Keep", "Keep"]
} as const

/**
 * How `TrainingSet.plan` reads the set, as plain data for both lines: a source marked `skip` is never touched,
 * a source refused from its `peek` is never read, an image that cannot be read now is still planned, a state
 * makes the plan hash the images (at most 4 read at once), and without one the plan and the report track no
 * content. Each line's `TrainingSet.test.ts` (`packages/testing/test/` and `packages/effect4/test/testing/`)
 * builds the sources with its line's `TrainingSet.fromReader`, plans (and applies) against its in-memory fake,
 * and checks what the table says.
 */

export const MODEL = "model_set"

/** A source's bytes: test-support's `png(seed, size)`, or the UTF-8 of a text. */
export type Bytes = { readonly png: number; readonly size?: number } | { readonly text: string }

export interface Source {
  readonly name: string
  readonly bytes: Bytes
  /** With a `peek`: the bytes' size and their first 16 bytes. */
  readonly peek?: boolean
  /** The source's `skip` reason (one of the line's `SkipReason`s). */
  readonly skip?: string
  /** Reading fails with an `ImageSourceError` of this path and reason. */
  readonly unreadable?: { readonly path: string; readonly reason: string }
  /** A read takes this long (under the TestClock) before it gives the bytes. */
  readonly readTakes?: string
}

/**
 * An expected plan item, in full; `sha256Of` names the source whose bytes' sha256 (the line's
 * `TrainingSet.sha256`) is the item's `sha256`.
 */
export type Item = { readonly _tag: string; readonly sha256Of?: string } & Readonly<Record<string, unknown>>

export interface Case {
  readonly name: string
  /** The fake's `maxRequestBytes`; absent: its default. */
  readonly maxRequestBytes?: number
  /** Plan with the model's empty state (content tracked by sha256), or with none. */
  readonly state: boolean
  readonly sources: ReadonlyArray<Source>
  readonly plan: {
    /** The items' tags, in order. */
    readonly kinds: ReadonlyArray<string>
    /** Items checked in full, by their index in the plan. */
    readonly items?: Readonly<Record<number, Item>>
    readonly tracksContent: boolean
  }
  /** The names of the sources read while planning, in the order of the reads. */
  readonly reads?: ReadonlyArray<string>
  /** The names of the sources peeked at while planning, sorted. */
  readonly peeks?: ReadonlyArray<string>
  /** The most sources being read at one time while planning. */
  readonly mostReadingAtOnce?: number
  /** The plan applied (with the same state as it was planned with). */
  readonly apply?: {
    /** Each result's outcome tag, in the order of the plan's items. */
    readonly outcomes: ReadonlyArray<string>
    readonly success: boolean
    /** The names in the report's next state, or `"none"`: the report has no `state` field at all. */
    readonly stateImages: ReadonlyArray<string> | "none"
  }
}

export const cases: ReadonlyArray<Case> = [
  {
    name: "a source marked skip is planned as a Skip with its reason, never peeked at nor read",
    state: true,
    sources: [{ name: "link.png", bytes: { png: 1 }, peek: true, skip: "dangling-link" }],
    plan: {
      kinds: ["Skip"],
      items: { 0: { _tag: "Skip", name: "link.png", reason: "dangling-link" } },
      tracksContent: true
    },
    reads: [],
    peeks: []
  },
  {
    name: "with a state, an image refused from its peek is never read nor hashed",
    maxRequestBytes: 1000,
    state: true,
    sources: [
      { name: "notes.txt", bytes: { text: "hello" }, peek: true },
      { name: "big.png", bytes: { png: 2, size: 2000 }, peek: true },
      { name: "a.png", bytes: { png: 1 }, peek: true }
    ],
    plan: {
      kinds: ["Add", "TooLarge", "Skip"],
      items: {
        0: { _tag: "Add", name: "a.png", sha256Of: "a.png" },
        2: { _tag: "Skip", name: "notes.txt", reason: "not-an-image" }
      },
      tracksContent: true
    },
    reads: ["a.png"],
    peeks: ["a.png", "big.png", "notes.txt"]
  },
  {
    name: "with a state, an image that cannot be read now is planned as an add of its name, unhashed",
    state: true,
    sources: [
      { name: "gone.png", bytes: { png: 3 }, unreadable: { path: "/x/gone.png", reason: "no such file or folder" } },
      { name: "a.png", bytes: { png: 1 }, peek: true }
    ],
    plan: {
      kinds: ["Add", "Add"],
      items: {
        0: { _tag: "Add", name: "a.png", sha256Of: "a.png" },
        1: { _tag: "Add", name: "gone.png" }
      },
      tracksContent: true
    },
    // Applied, the image that still cannot be read fails alone.
    apply: { outcomes: ["Succeeded", "Failed"], success: false, stateImages: ["a.png"] }
  },
  {
    name: "without a state, the plan does not track content and the report carries no state",
    state: false,
    sources: [{ name: "a.png", bytes: { png: 1 }, peek: true }],
    plan: { kinds: ["Add"], items: { 0: { _tag: "Add", name: "a.png" } }, tracksContent: false },
    reads: [],
    apply: { outcomes: ["Succeeded"], success: true, stateImages: "none" }
  },
  {
    name: "with a state, up to 4 images are read and hashed at once",
    state: true,
    sources: Array.from({ length: 6 }, (_, i) => ({ name: `img-${i}.png`, bytes: { png: i }, readTakes: "1 second" })),
    plan: { kinds: ["Add", "Add", "Add", "Add", "Add", "Add"], tracksContent: true },
    mostReadingAtOnce: 4
  }
]

/**
 * What `TrainingSet` does with a set, as plain data for both lines: how an image's type is read from its
 * bytes, what a plan holds (adds, keeps, replaces, deletes, duplicates, refused pairs), and how a run goes
 * (pairs, lost responses, 5xx and 429 answers, a client-side rate, images too large or unreadable, batches
 * of assets, events, a missing model) and how it ends under faults. Each entry gives the sources, the
 * model's seed, the faults and options, and what the plan, the report, the calls, the events and the model
 * must end with. The runners build the sources with their line's `TrainingSet` and run them against their
 * line's in-memory fake under the TestClock: `packages/testing/test/TrainingSet.test.ts` (Effect 3) and
 * `packages/effect4/test/testing/TrainingSet.test.ts`. How a plan reads its sources is the table
 * `trainingSetPlan.ts`, run by the same suites.
 */
import type { FaultSpec, Operation } from "./cases.js"
import type { Bytes as PlanBytes } from "./trainingSetPlan.js"

export const MODEL = "model_set"

/** A source's bytes: test-support's `png(seed, size)`, the UTF-8 of a text, or the bytes themselves. */
export type Bytes = PlanBytes | { readonly octets: ReadonlyArray<number> }

/** The UTF-8 of `text`. */
export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

/** The bytes a `Bytes` stands for, with the line's `png`. */
export const bytesOf = (bytes: Bytes, png: (seed: number, size?: number) => Uint8Array): Uint8Array =>
  "png" in bytes ? png(bytes.png, bytes.size) : "text" in bytes ? utf8(bytes.text) : new Uint8Array(bytes.octets)

/**
 * An image source: `fromBytes` (`Bytes`), `fromReader` whose read gives the bytes (`Reader`) or fails with
 * an `ImageSourceError` of this path and reason (`Unreadable`), or `fromAsset` (`Asset`).
 */
export type Source =
  | { readonly _tag: "Bytes"; readonly name: string; readonly bytes: Bytes }
  | { readonly _tag: "Reader"; readonly name: string; readonly bytes: Bytes }
  | {
    readonly _tag: "Unreadable"
    readonly name: string
    readonly error: { readonly path: string; readonly reason: string }
  }
  | { readonly _tag: "Asset"; readonly assetId: string }

/** The name of the `index`th image of a folder: `img-0000.png`, `img-0001.png`, ... */
export const folderName = (index: number, prefix = "img"): string => `${prefix}-${String(index).padStart(4, "0")}.png`

/** A folder of `count` images: the `index`th is named `folderName(index)`, its bytes `png(index)`. */
export const folder = (count: number): ReadonlyArray<Source> =>
  Array.from({ length: count }, (_, i) => ({ _tag: "Bytes", name: folderName(i), bytes: { png: i } }))

/** The names of a folder of `count` images, in order. */
export const folderNames = (count: number): ReadonlyArray<string> =>
  Array.from({ length: count }, (_, i) => folderName(i))

/** `failNext(count, fault, { operation })` with a fault of the table (each runner makes its line's `Fault`). */
export interface Injection {
  readonly count: number
  readonly fault: FaultSpec
  readonly operation: Operation
}

/** A 429 asking to wait `ms` milliseconds. */
const rateLimited = (ms: number): FaultSpec => ({ _tag: "Status", status: 429, retryAfterMs: ms })

/** The media type read from each source's bytes; `undefined`: not an image the service takes. */
export const SNIFF = {
  cases: [
    { bytes: { png: 1 }, mediaType: "image/png" },
    { bytes: { octets: [0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4] }, mediaType: "image/jpeg" },
    { bytes: { octets: [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, 1, 2] }, mediaType: "image/webp" },
    { bytes: { text: "GIF89a...." }, mediaType: "image/gif" },
    { bytes: { text: "hello" }, mediaType: undefined },
    // RIFF, but not WebP.
    { bytes: { octets: [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x41] }, mediaType: undefined }
  ] as ReadonlyArray<{ readonly bytes: Bytes; readonly mediaType: string | undefined }>,
  /** JPEG bytes under a PNG's name: the data URL says JPEG. */
  input: {
    name: "photo.png",
    bytes: { octets: [0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4] } as Bytes,
    data: "data:image/jpeg;base64,/9j/4AECAwQ="
  },
  /** Not an image: refused, the error naming the file. */
  refused: {
    name: "notes.png",
    bytes: { text: "not an image" } as Bytes,
    error: "InvalidRequestError",
    message: "notes.png"
  }
} as const

/**
 * A model holding `a.png` and `x.png`, a set of `b.png` and `a.png`: `a.png` is kept, `b.png` added, and
 * `x.png` deleted only with `deleteOthers`. The plan round-trips through its Schema and JSON; each plan
 * lists the model once.
 */
export const PLAN_ADDS_KEEPS_DELETES = {
  seed: [{ id: "asset_a", name: "a.png" }, { id: "asset_x", name: "x.png" }],
  images: [{ _tag: "Bytes", name: "b.png", bytes: { png: 2 } }, {
    _tag: "Bytes",
    name: "a.png",
    bytes: { png: 1 }
  }] as ReadonlyArray<Source>,
  kinds: ["Keep", "Add"],
  withDelete: { kinds: ["Keep", "Add", "Delete"], summary: { add: 1, keep: 1, delete: 1, changes: 2 } },
  calls: ["list", "list"] as ReadonlyArray<Operation>
} as const

/** One name held twice on the model: with `deleteOthers`, the first copy is kept and the other deleted. */
export const NAME_HELD_TWICE = {
  seed: [{ id: "asset_a", name: "a.png" }, { id: "asset_a2", name: "a.png" }],
  images: [{ _tag: "Bytes", name: "a.png", bytes: { png: 1 } }] as ReadonlyArray<Source>,
  items: [
    { _tag: "Keep", name: "a.png", trainingImageId: "asset_a" },
    { _tag: "Delete", name: "a.png", trainingImageId: "asset_a2", reason: "duplicate" }
  ]
} as const

/**
 * Synced with an empty state, then again with the state it left and `b.png`'s content changed: `b.png` is
 * replaced, and the next state holds the new content's sha256. Planned without a state, a present name with
 * other content is kept.
 */
export const REPLACED_WITH_STATE = {
  first: [{ _tag: "Bytes", name: "a.png", bytes: { png: 1 } }, {
    _tag: "Bytes",
    name: "b.png",
    bytes: { png: 2 }
  }] as ReadonlyArray<Source>,
  stateImages: ["a.png", "b.png"],
  changed: [
    { _tag: "Bytes", name: "a.png", bytes: { png: 1 } },
    { _tag: "Bytes", name: "b.png", bytes: { png: 99 } }
  ] as ReadonlyArray<Source>,
  kinds: ["Keep", "Replace"],
  /** The name replaced, and the bytes whose sha256 the next state holds for it. */
  replaced: { name: "b.png", bytes: { png: 99 } as Bytes },
  untracked: {
    images: [{ _tag: "Bytes", name: "b.png", bytes: { png: 5 } }] as ReadonlyArray<Source>,
    kinds: ["Keep"]
  },
  stored: ["a.png", "b.png"]
} as const

/** A pair naming an image outside the set: refused, naming it, before any request. */
export const PAIR_OUTSIDE_SET = {
  images: [{ _tag: "Bytes", name: "a.png", bytes: { png: 1 } }] as ReadonlyArray<Source>,
  pairs: [{ source: "a.png", target: "missing.png" }],
  error: "InvalidRequestError",
  message: "missing.png",
  calls: [] as ReadonlyArray<Operation>
} as const

/**
 * A folder synced with a pair (by the folder's indexes), `concurrency` at a time: every image added, the
 * pair set between the model's images of those indexes, and a rerun plans nothing to change.
 */
export const SYNC_WITH_PAIRS = {
  images: 25,
  pairs: [{ source: 0, target: 1, instruction: "make it blue" }],
  concurrency: 4,
  summary: { add: 25, setPairs: true },
  rerunChanges: 0
} as const

/**
 * An add applied whose response was lost: found by listing (one result reconciled, one `Reconciled` event
 * that found it), never sent twice.
 */
export const LOST_ADD_RESPONSE = {
  images: 3,
  fault: { count: 1, fault: { _tag: "Drop", afterApply: true }, operation: "add" } as Injection,
  reconciled: 1,
  /** The events of this tag, and what they hold. */
  event: "Reconciled",
  reconciledEvents: [{ found: true }],
  adds: 3
} as const

/**
 * An add answered 500 or 503 (outcome unknown): listed at once, and again once the settle window has
 * passed (a list may lag), then sent again; the result is a reconciled success.
 */
export const UNKNOWN_ADD = {
  images: 1,
  faults: {
    500: { count: 1, fault: { _tag: "Status", status: 500 }, operation: "add" } as Injection,
    503: { count: 1, fault: { _tag: "Status", status: 503 }, operation: "add" } as Injection
  },
  outcome: { _tag: "Succeeded", reconciled: true },
  calls: ["list", "add", "list", "list", "add"] as ReadonlyArray<Operation>,
  stored: [folderName(0)]
} as const

/**
 * A 429 asking for 10 seconds on one add, `concurrency` at a time: at first the 429 and at most one request
 * per worker; no add more once the clock is 1 second short of the wait; once it is over, the run ends, all
 * images stored.
 */
export const RETRY_AFTER_PAUSES_ALL = {
  images: 8,
  fault: { count: 1, fault: rateLimited(10_000), operation: "add" } as Injection,
  concurrency: 4,
  first: { after: "1 milli", status: 429, mostAdds: 4 },
  during: "9 seconds",
  over: "1 second",
  stored: 8
} as const

/**
 * Three 429s with a policy of one retry: one `Retried` event, the item failed with the 429's error, two adds
 * sent.
 */
export const RETRIED_EVENTS = {
  images: 1,
  fault: { count: 3, fault: rateLimited(1_000), operation: "add" } as Injection,
  retryPolicy: { maxRetries: 1, jitter: false },
  /** The events of this tag, and how many. */
  event: "Retried",
  retried: 1,
  failures: ["RateLimitError"],
  adds: 2
} as const

/** A client-side rate of 2 a second, 6 workers: the adds sent once the clock has moved each step. */
export const CLIENT_RATE = {
  images: 6,
  concurrency: 6,
  rate: 2,
  steps: [{ after: "10 millis", adds: 2 }, { after: "1 second", adds: 4 }],
  end: "1 second"
} as const

/**
 * With the service's limit at 1000 bytes: a non-image is skipped, an image over the limit planned to fail,
 * an unreadable source and a reader of a non-image (no `peek`: judged when sent) fail alone. The report
 * round-trips through its Schema and JSON, typed failures included.
 */
export const REFUSED_IMAGES = {
  maxRequestBytes: 1000,
  images: [
    { _tag: "Bytes", name: "a.png", bytes: { png: 1 } },
    { _tag: "Bytes", name: "big.png", bytes: { png: 2, size: 2000 } },
    { _tag: "Bytes", name: "notes.txt", bytes: { text: "hello" } },
    { _tag: "Unreadable", name: "gone.png", error: { path: "/x/gone.png", reason: "no such file or folder" } },
    { _tag: "Reader", name: "read.txt", bytes: { text: "hello" } }
  ] as ReadonlyArray<Source>,
  kinds: ["Add", "TooLarge", "Add", "Skip", "Add"],
  tooLarge: { index: 1, item: { name: "big.png", bytes: 2000, maxRequestBytes: 1000 } },
  success: false,
  /** Each failure's item name and error tag, in order. */
  failures: [
    ["big.png", "InvalidRequestError"],
    ["gone.png", "ImageSourceError"],
    ["read.txt", "InvalidRequestError"]
  ],
  /** What a failure's message says, by its index among the failures. */
  messages: [
    { failure: 0, contains: "over the request limit of 1000 bytes" },
    { failure: 2, contains: "read.txt is not a PNG" }
  ],
  /** The result of the skipped item, by its index in the plan. */
  unchanged: { index: 3, outcome: { _tag: "Unchanged" } },
  adds: 1
} as const

/**
 * An image of 600 bytes: under the service's limit it is an add; under `withRequestOptions`' limit of 500
 * bytes it is planned too large, with the size of the request it would make, and fails.
 */
export const REQUEST_OPTIONS_LIMIT = {
  images: [{ _tag: "Bytes", name: "a.png", bytes: { png: 1, size: 600 } }] as ReadonlyArray<Source>,
  loose: ["Add"],
  maxRequestBytes: 500,
  items: [{
    _tag: "TooLarge",
    name: "a.png",
    bytes: 600,
    // {"data":"data:image/png;base64,<800 characters>","name":"a.png"}
    requestBytes: 9 + 22 + 800 + 17,
    maxRequestBytes: 500
  }],
  failures: ["InvalidRequestError"]
} as const

/** 23 assets: added in batches of at most 10, each asset a training image of its own id. */
export const ASSET_BATCHES = {
  images: Array.from({ length: 23 }, (_, i): Source => ({ _tag: "Asset", assetId: `asset_${i}` })),
  batches: [10, 10, 3],
  ids: 23,
  adds: 3
} as const

/** The stream of events of a folder: `Planned` first, `Finished` last, one end per item that changes. */
export const EVENTS = {
  images: 5,
  first: "Planned",
  last: "Finished",
  ends: ["Succeeded", "Failed"],
  /** The indexes of the items that ended, sorted. */
  indexes: [0, 1, 2, 3, 4]
} as const

/** A model that is not there: the plan fails. */
export const MISSING_MODEL = {
  modelId: "model_none",
  images: 2,
  error: "NotFoundError"
} as const

/**
 * A folder of 120 images with 20 pairs (image `i` with image `i + offset`), over a model holding an image
 * not in the set and one of the set's, under 30% random faults and a burst of 429s: reruns (at most
 * `attempts`, each planned again) until one succeeds, the clock moved `step` at a time. The model then holds
 * each name of the set once, the listed kinds of fault were met, and a final plan changes nothing.
 */
export const UNDER_FAULTS = {
  images: 120,
  pairs: { count: 20, offset: 20 },
  seed: [{ id: "asset_old", name: "old.png" }, { id: "asset_keep", name: folderName(5) }],
  faults: {
    rate: 0.3,
    seed: 7,
    faults: [
      { _tag: "Drop", afterApply: true },
      { _tag: "Drop", afterApply: false },
      { _tag: "Status", status: 500 },
      { _tag: "Status", status: 502 },
      { _tag: "Status", status: 503 },
      { _tag: "Status", status: 500, afterApply: true },
      { _tag: "Status", status: 503, afterApply: true },
      { _tag: "Delay", ms: 90_000, afterApply: true },
      rateLimited(2_000)
    ] as ReadonlyArray<FaultSpec>
  },
  burst: { count: 6, fault: rateLimited(3_000), operation: "add" } as Injection,
  deleteOthers: true,
  concurrency: 8,
  attempts: 5,
  step: "4 seconds",
  /** Kinds of fault (as `faultCounts` names them) met at least once. */
  met: ["drop-after-apply", "503-after-apply"],
  finalChanges: 0
} as const

/**
 * Every add held 1 second, 4 at a time, the run interrupted at 2.5 seconds: some images but not all are
 * stored; a rerun without faults adds the rest, keeps those, and the model holds each name once.
 */
export const INTERRUPTED = {
  images: 20,
  faults: {
    rate: 1,
    faults: [{ _tag: "Delay", ms: 1_000 }] as ReadonlyArray<FaultSpec>,
    operations: ["add"] as ReadonlyArray<Operation>
  },
  concurrency: 4,
  interruptAfter: "2500 millis"
} as const

/**
 * Adds cut before being applied, then connection errors that may have reached the server, with one resend
 * and no retries: the add fails with the last error, kept in the report, and nothing is stored.
 */
export const NO_RESENDS_LEFT = {
  images: 1,
  drops: { count: 10, fault: { _tag: "Drop", afterApply: false }, operation: "add" } as Injection,
  connectionErrors: {
    count: 10,
    error: { operation: "add", method: "POST", url: "u", mayHaveReachedServer: true },
    operation: "add" as Operation
  },
  maxResends: 1,
  failure: "ConnectionError",
  stored: [] as ReadonlyArray<string>
} as const

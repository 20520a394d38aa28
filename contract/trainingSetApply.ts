/**
 * How `TrainingSet.apply` runs a plan over the in-memory fake, as plain data for both lines: what an add of
 * unknown outcome does (found by listing, sent again only for what is missing, never past `maxResends`), which
 * failures are retried, how the run's pause works, when the pairs are set, what the report, the events and the
 * state say, and how `readFolder` and `readFiles` read a folder. Each line's `TrainingSetApply.test.ts`
 * (`packages/testing/test/` and `packages/effect4/test/testing/`) keeps its tests by name; each test builds its
 * sources, faults and options from the entry of the same name here with its line's API, and checks what the
 * entry says.
 *
 * An image named by its name alone is test-support's `png(name.length)`; faults are `contract/cases.ts`'s
 * `Injection`s, which each line's contract runner turns into its `Fault`.
 */
import type { FaultSpec, Injection, Operation, Seed } from "./cases.js"

export const MODEL = "model_apply"

/**
 * An image source: its name (the bytes `png(name.length)`), a name and the seed (and size) of its PNG, or a name
 * and the UTF-8 of a text.
 */
export type Image =
  | string
  | { readonly name: string; readonly seed: number; readonly size?: number }
  | { readonly name: string; readonly text: string }

/** The images `img-0.png` … of a folder of `count` images, each of the seed of its index. */
export const folder = (count: number): ReadonlyArray<Image> =>
  Array.from({ length: count }, (_, i) => ({ name: `img-${i}.png`, seed: i }))

export const imageName = (image: Image): string => typeof image === "string" ? image : image.name

/** The fake's seed of the model holding these images (`[id, name]`). */
export const holding = (...images: ReadonlyArray<readonly [id: string, name: string]>): Seed => ({
  [MODEL]: { trainingImages: images.map(([id, name]) => ({ id, name })) }
})

/** A state that tracks `a.png` (or `name`) with a sha256 that no content has: the image is to be replaced. */
export const staleState = (name = "a.png", trainingImageId = "id_a") => ({
  modelId: MODEL,
  images: { [name]: { sha256: "old", trainingImageId } }
})

/** `failNext(1, fault, { operation })`. */
const once = (fault: FaultSpec, operation: Operation): Injection => ({ count: 1, fault, operation })
const status = (code: number, more: { readonly retryAfterMs?: number; readonly afterApply?: boolean } = {}) =>
  ({ _tag: "Status", status: code, ...more }) as const
const dropAfterApply: FaultSpec = { _tag: "Drop", afterApply: true }
const dropBeforeApply: FaultSpec = { _tag: "Drop", afterApply: false }

/** The add's request line, as the errors injected below carry it. */
export const addLine = { method: "POST", path: `/models/${MODEL}/training-images` } as const

/**
 * An error of the client's, injected as an add's answer: its tag and its fields but for the request line
 * (`addLine`) and the operation (`add`); `timeoutMs` is the `TimeoutError`'s `timeout`.
 */
export type InjectedError =
  | {
    readonly _tag: "ResponseDecodeError"
    readonly status: number
    readonly body: string
    readonly bodyLength: number
    readonly issue: string
  }
  | { readonly _tag: "ResponseTooLargeError"; readonly status: number; readonly maxResponseBytes: number }
  | { readonly _tag: "TimeoutError"; readonly timeoutMs: number; readonly mayHaveReachedServer: boolean }
  | { readonly _tag: "ConnectionError"; readonly mayHaveReachedServer: boolean }
  | { readonly _tag: "RateLimitError"; readonly status: number; readonly body: string; readonly retryAfterMs: number }

const succeededReconciled = { _tag: "Succeeded", reconciled: true } as const
const succeededNoIds = { _tag: "Succeeded", trainingImageIds: [], reconciled: false } as const

/** `describe("an add of unknown outcome")`. */
export const unknownOutcome = {
  partialFind: {
    assets: ["asset_0", "asset_1", "asset_2"],
    kinds: ["AddAssets"],
    /** Added by another writer before the batch's add, which fails with a 500. */
    addedBefore: ["asset_1"],
    faults: [once(status(500), "add")],
    success: true,
    adds: [["asset_1"], ["asset_0", "asset_1", "asset_2"], ["asset_0", "asset_2"]],
    names: ["asset_0", "asset_1", "asset_2"],
    outcomeTag: "Succeeded",
    reconciled: true
  },
  foundByListing: {
    images: ["a.png"],
    faults: [once(dropAfterApply, "add")],
    reconciled: true,
    operations: ["list", "add", "list"]
  },
  maxResends: {
    images: ["a.png"],
    fault: { count: 10, fault: dropBeforeApply, operation: "add" } satisfies Injection,
    maxResends: [0, 1, 2],
    failures: ["ConnectionError"],
    /** The adds sent for a `maxResends` of n. */
    adds: (maxResends: number) => 1 + maxResends,
    names: [],
    /** The adds sent with the default `maxResends` (5). */
    addsByDefault: 6
  },
  lookedFor: {
    images: ["a.png"],
    injected: [
      { _tag: "ResponseDecodeError", status: 200, body: "{", bodyLength: 1, issue: "not JSON" },
      { _tag: "ResponseTooLargeError", status: 200, maxResponseBytes: 10 },
      { _tag: "TimeoutError", timeoutMs: 60_000, mayHaveReachedServer: true }
    ] satisfies ReadonlyArray<InjectedError>,
    outcome: succeededReconciled,
    /** Listed at once, and again a settle window later (a list may lag), before it is sent again. */
    operations: ["list", "add", "list", "list", "add"],
    names: ["a.png"],
    /** A real timeout whose add was applied in the meantime is found, and not sent again. */
    late: {
      faults: [once({ _tag: "Delay", ms: 90_000, afterApply: true }, "add")],
      settleStep: "30 seconds",
      outcome: succeededReconciled,
      operations: ["list", "add", "list"],
      names: ["a.png"]
    }
  },
  refused: {
    images: ["a.png"],
    injected: { _tag: "ConnectionError", mayHaveReachedServer: false } satisfies InjectedError,
    outcome: { _tag: "Succeeded", reconciled: false },
    operations: ["list", "add", "add"],
    names: ["a.png"]
  },
  lostMidRequest: {
    images: ["a.png"],
    faults: [once(dropAfterApply, "add")],
    maxResends: 0,
    success: true,
    operations: ["list", "add", "list"]
  },
  whateverThePolicy: {
    images: ["a.png"],
    faults: [dropAfterApply, status(503, { afterApply: true })],
    outcome: succeededReconciled,
    operations: ["list", "add", "list"],
    names: ["a.png"]
  }
} as const

/** `describe("retries")`. */
export const retries = {
  replaceAndDelete: {
    seed: holding(["id_a", "a.png"], ["id_x", "x.png"]),
    state: staleState(),
    images: ["a.png", "b.png"],
    pairs: [{ source: "a.png", target: "b.png" }],
    kinds: ["Replace", "Add", "Delete", "SetPairs"],
    faults: [once(status(500), "replace"), once(status(502), "delete")],
    concurrency: 1,
    outcomes: ["Succeeded", "Succeeded", "Succeeded", "Succeeded"],
    /** The requests after the first listing: operation and status. */
    statuses: [
      ["replace", 500],
      ["replace", 200],
      ["add", 200],
      ["delete", 502],
      ["delete", 200],
      ["replacePairs", 200]
    ],
    names: ["a.png", "b.png"]
  },
  fiveTimes: {
    seed: holding(["id_x", "x.png"]),
    faults: [{ count: 10, fault: status(500), operation: "delete" }] satisfies ReadonlyArray<Injection>,
    failures: ["InternalServerError"],
    deletes: 6
  },
  listingRetried: {
    images: ["a.png"],
    /** The add is applied, then answered 500; the listing that looks for it fails once too. */
    faults: [once(status(500, { afterApply: true }), "add"), once(status(500), "list")],
    outcome: succeededReconciled,
    statuses: [["add", 500], ["list", 500], ["list", 200]],
    names: ["a.png"]
  }
} as const

/** `describe("Retried events")`. */
export const retriedEvents = {
  seed: holding(["id_r", "r.png"]),
  images: ["bad.png", "lost.png", "r.png"],
  state: staleState("r.png", "id_r"),
  kinds: ["Add", "Add", "Replace"],
  faults: [once(status(400), "add"), once(status(503), "add"), once(status(503), "replace")],
  concurrency: 1,
  outcomes: ["Failed", "Succeeded", "Succeeded"],
  /** Each `Retried` event: its item's tag, its error's tag and its index. */
  retried: [["Replace", "InternalServerError", 2]],
  replaces: [["replace", 503], ["replace", 200]]
} as const

/** `describe("the run's pause")`. */
export const pause = {
  notShortened: {
    images: folder(4),
    faults: [once(status(429, { retryAfterMs: 10_000 }), "add"), once(status(429, { retryAfterMs: 2_000 }), "add")],
    concurrency: 2,
    /** The adds' statuses at once. */
    first: [429, 429],
    /** The images not added while the longer pause lasts, in whole seconds, then added. */
    others: ["img-2.png", "img-3.png"],
    pausedSeconds: 10
  },
  serviceUnavailable: {
    images: folder(4),
    faults: [once(status(503, { retryAfterMs: 30_000 }), "add")],
    concurrency: 2,
    failing: "img-0.png",
    /** The other images' adds, sent at once. */
    others: [200, 200, 200],
    names: 4,
    /** The failing image's adds: looked for, then sent again. */
    failingAdds: [503, 200]
  }
} as const

/** `describe("pairs")`. */
export const pairs = {
  images: folder(3),
  pairs: [{ source: "img-0.png", target: "img-2.png", instruction: "swap" }],
  /** Every add is delayed this long. */
  addDelay: { _tag: "Delay", ms: 1_000 } satisfies FaultSpec,
  concurrency: 8,
  settleStep: "500 millis",
  /** The last requests: the ids come from the adds themselves, no listing is needed. */
  last: ["add", "replacePairs"]
} as const

/** `describe("pairs and the ids this run knows")`. */
export const knownIds = {
  kept: {
    seed: holding(["id_a", "a.png"], ["id_b", "b.png"]),
    images: ["a.png", "b.png"],
    pairs: [{ source: "a.png", target: "b.png" }],
    kinds: ["Keep", "Keep", "SetPairs"],
    operations: ["list", "replacePairs"],
    stored: [{ sourceId: "id_a", targetId: "id_b" }]
  },
  heldTwice: {
    /** The ids of the two copies of `a.png`, in the order the model holds them. */
    copies: [["id_1", "id_2"], ["id_2", "id_1"]],
    name: "a.png",
    asset: "asset_0",
    pairs: [{ source: "asset_0", target: "a.png" }]
  }
} as const

/** `describe("the report")`. */
export const report = {
  kept: {
    seed: holding(["id_a", "a.png"]),
    images: ["a.png", "b.png"],
    kinds: ["Keep", "Add"],
    outcomes: ["Unchanged", "Succeeded"],
    started: [1],
    /** The kept image's entry in the state: the sha256 of its bytes and its id on the model. */
    keptName: "a.png",
    keptId: "id_a",
    stateImages: ["a.png", "b.png"]
  },
  failedReplace: {
    name: "a.png",
    seed: 1,
    changedSeed: 2,
    faults: [once(status(422), "replace")],
    kinds: ["Replace"],
    failures: ["UnprocessableEntityError"],
    again: ["Replace"]
  }
} as const

/** What an add of an image that is no image is refused with, as a replace or an add. */
const notAnImage = (operation: "add" | "replace", name: string) =>
  `Invalid ${operation} request: data: ${name} is not a PNG, JPEG, WebP or GIF image (judged by its content, not its name)`

/** Words of the refusal of an image over the fake's `maxRequestBytes` of 1000. */
export const OVER_THE_LIMIT = "over the request limit of 1000 bytes"

/** `describe("TrainingSet.apply, item by item")`. */
export const itemByItem = {
  grownOverLimit: {
    maxRequestBytes: 1000,
    seed: holding(["id_a", "a.png"]),
    state: staleState(),
    images: [{ name: "a.png", seed: 2, size: 2000 }, { name: "b.png", seed: 3, size: 2000 }],
    /** Each item's `trainingImageId`, each a `TooLarge`. */
    tooLarge: ["id_a", undefined],
    /** Each failure's operation, each an `InvalidRequestError`. */
    failedAs: ["replace", "add"],
    operations: ["list"]
  },
  deleteAndPairs: {
    seed: holding(["id_a", "a.png"], ["id_b", "b.png"], ["id_x", "x.png"]),
    images: ["a.png", "b.png"],
    pairs: [{ source: "a.png", target: "b.png" }],
    kinds: ["Keep", "Keep", "Delete", "SetPairs"],
    outcomes: [{ _tag: "Unchanged" }, { _tag: "Unchanged" }, succeededNoIds, succeededNoIds],
    pairsParams: { modelId: MODEL, pairs: [{ sourceId: "id_a", targetId: "id_b" }] }
  },
  pairsListing: {
    seed: holding(["id_a", "a.png"], ["id_b", "b.png"]),
    images: ["a.png", "b.png"],
    asset: "asset_0",
    pairs: [{ source: "a.png", target: "b.png" }, { source: "asset_0", target: "a.png" }],
    kinds: ["Keep", "Keep", "AddAssets", "SetPairs"],
    pairsOutcome: succeededNoIds,
    /** The pairs stored; `asset`: the id the asset got. */
    stored: [["id_a", "id_b"], ["asset", "id_a"]],
    operations: ["list", "add", "list", "list", "replacePairs"]
  },
  pairsOfAFailedAdd: {
    faults: [once(status(400), "add")],
    images: ["a.png", "b.png"],
    pairs: [{ source: "a.png", target: "b.png" }],
    concurrency: 1,
    kinds: ["Add", "Add", "SetPairs"],
    failedItems: ["Add", "SetPairs"],
    error: {
      _tag: "InvalidRequestError",
      operation: "replacePairs",
      message: "Invalid replacePairs request: pairs.0.source: \"a.png\" is not an image of the set"
    },
    operations: ["list", "add", "add", "list"]
  },
  events: {
    seed: holding(["id_k", "k.png"]),
    faults: [once(status(400), "add")],
    images: ["bad.png", "k.png", "ok.png", { name: "notes.txt", text: "hello" }],
    concurrency: 1,
    kept: "k.png",
    skipped: "notes.txt",
    failed: "bad.png",
    failedWith: "BadRequestError",
    /** The add that succeeds, with the id it got, not reconciled. */
    succeeded: "ok.png",
    reconciled: false,
    skippedOutcome: { _tag: "Unchanged" }
  },
  stream: {
    images: folder(3),
    concurrency: 1,
    /** With one worker, each item ends before the next starts. */
    tags: ["Started", "Succeeded", "Started", "Succeeded", "Started", "Succeeded"],
    stateImages: ["img-0.png", "img-1.png", "img-2.png"]
  },
  noSource: {
    asset: "asset_0",
    /** The names the plan's adds give, neither among the sources. */
    adds: ["ghost.png", "asset_0"],
    errors: [
      { path: "ghost.png", reason: "not among the image sources given" },
      { path: "asset_0", reason: "not among the image sources given" }
    ],
    operations: []
  },
  changedSincePlan: {
    maxRequestBytes: 1000,
    name: "a.png",
    seed: 1,
    kinds: ["Add"],
    text: "now some text",
    notAnImage: notAnImage("add", "a.png"),
    grown: { seed: 1, size: 2000 },
    tooLarge: OVER_THE_LIMIT,
    reads: [],
    operations: ["list"]
  },
  replace: {
    seed: holding(["id_a", "a.png"]),
    state: staleState(),
    name: "a.png",
    bytesSeed: 2,
    kinds: ["Replace"],
    reconciled: false,
    text: "now some text",
    failedAs: "replace",
    notAnImage: notAnImage("replace", "a.png"),
    operations: ["list", "replace"]
  },
  settleWindowZero: {
    faults: [once(dropBeforeApply, "add")],
    images: ["a.png"],
    settleWindow: 0,
    outcome: succeededReconciled,
    operations: ["list", "add", "list", "add"]
  },
  reconciled: {
    faults: [once(dropAfterApply, "add"), once(dropBeforeApply, "add")],
    images: ["a.png", "b.png"],
    concurrency: 1,
    /** Each `Reconciled` event: its index and whether the listing found the add. */
    found: [[0, true], [1, false]]
  },
  pausedOnce: {
    /** Two workers meet the same wait at the same instant: one pause. */
    faults: [{ count: 2, fault: status(429, { retryAfterMs: 3_000 }), operation: "add" }] satisfies ReadonlyArray<
      Injection
    >,
    images: folder(2),
    concurrency: 2,
    success: true,
    /** Each `Paused` event: its index and its wait. */
    paused: [{ index: 0, retryAfterMs: 3_000 }]
  },
  outsideTheRetryLoop: {
    images: folder(3),
    concurrency: 1,
    /** The first add's answer, not retried by the service. */
    first: { _tag: "RateLimitError", status: 429, body: "", retryAfterMs: 10_000 } satisfies InjectedError,
    /** Before the pause is over, no add is sent. */
    before: "9 seconds",
    rest: "1 second",
    failures: ["RateLimitError"],
    adds: 2
  },
  noRetryAfter: {
    faults: [once(status(429), "add")],
    images: folder(2),
    success: true,
    paused: [],
    statuses: [429, 200, 200]
  },
  retryWaitsForPause: {
    seed: holding(["id_a", "a.png"], ["id_x", "x.png"]),
    state: staleState(),
    images: ["a.png"],
    kinds: ["Replace", "Delete"],
    /** The replace pauses the run for 10 s; the delete, failed at the same instant, is retried only after it. */
    faults: [once(status(429, { retryAfterMs: 10_000 }), "replace"), once(status(500), "delete")],
    concurrency: 2,
    pausedSeconds: 10,
    deletesDuring: 1,
    deletesAfter: 2
  },
  noSizeToJudge: {
    maxRequestBytes: 1000,
    image: { name: "big.png", seed: 2, size: 2000 },
    kinds: ["Add"],
    failedWith: "InvalidRequestError",
    message: OVER_THE_LIMIT,
    adds: []
  },
  listingFails: {
    images: ["a.png"],
    faults: [once(dropAfterApply, "add"), once(status(400), "list")],
    failures: ["ConnectionError"]
  },
  listedTwice: {
    images: ["a.png"],
    /** Another writer adds the same name, these bytes, before this run's add, whose response is then lost. */
    other: { name: "a.png", seed: 7 },
    faults: [once(dropAfterApply, "add")],
    listed: 2,
    /** The add succeeds, reconciled, with the first copy's id. */
    reconciled: true
  }
} as const

/** `describe("a batch of assets")`. */
export const batch = {
  assets: ["asset_0", "asset_1", "asset_2"],
  oneListing: { operations: ["list", "add", "list"] },
  lagging: { listLag: "2 seconds", ids: 3, operations: ["list", "add", "list", "list"] },
  settleWindowZero: {
    listLag: "2 seconds",
    settleWindow: 0,
    success: true,
    ids: [],
    operations: ["list", "add", "list"]
  }
} as const

/**
 * `describe("TrainingSet.readFolder")`: the files of a folder made for the test, each `png(name.length)` but
 * where a seed is given; paths are relative to the folder (`""`: none).
 */
export const readFolder = {
  sorted: { files: ["m.png", "b.png", "z.png", "a.png", "B.png", "a-1.png", "y.png", "c.png"] },
  denied: {
    files: ["a.png", "b.png"],
    /** The file that may not be read, and the folder that may not be looked at. */
    secret: "b.png",
    locked: "locked",
    reason: "permission denied"
  },
  deniedInside: {
    files: ["a.png", "b.png"],
    sub: { folder: "sub", file: "c.png", seed: 3 },
    /** The path refused to each method, whether the folder is read recursively, and the path the error names. */
    denials: [
      { stat: "b.png", readDirectory: "", realPath: "", recursive: false, path: "b.png" },
      { stat: "", readDirectory: "sub", realPath: "", recursive: true, path: "sub" },
      { stat: "", readDirectory: "", realPath: "sub", recursive: true, path: "sub" }
    ],
    errorTag: "ImageSourceError",
    reason: "permission denied",
    /** Without those denials the same folder lists whole. */
    whole: ["a.png", "b.png", "sub/c.png"]
  },
  readFiles: { files: ["a.png"], reason: "not a file" }
} as const

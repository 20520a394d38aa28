/**
 * `TrainingSet.pull`, `fromModel` and `copy` over real HTTP, as plain data for both lines: the images and pairs
 * a folder holds, the models each test works on, the options each run is given, the faults met, and what each
 * run must end with (outcomes, files, requests, downloads, errors). The emulator on 127.0.0.1 serves the API on
 * one port and the images on another (its download origin, which records the headers it gets). The runners:
 * `packages/testing/test/TrainingSetPull.test.ts` (Effect 3) and
 * `packages/effect4/test/testing/TrainingSetPull.test.ts`; each builds the bytes with test-support's `png`.
 */
import type { FaultSpec, Operation } from "./cases.js"

/** Real HTTP and files on a machine that may be busy: room beyond vitest's default, never a timing asserted. */
export const TIMEOUT = 120_000

/** The models the emulator starts with, empty. */
export const MODELS = { a: "model_a", b: "model_b", c: "model_c" } as const

/**
 * An image of the folder: test-support's `png(seed, size)`, its first bytes then replaced by `head` (another
 * format's signature, or nothing).
 */
export interface Image {
  readonly name: string
  readonly seed: number
  readonly size: number
  readonly head: ReadonlyArray<number>
}

// Mixed formats and sizes: PNG, JPEG, WebP and GIF signatures, 40 bytes to 40 KB.
const image = (index: number): Image => {
  const size = 40 + ((index * 7919) % 40_000)
  switch (index % 4) {
    case 1:
      return { name: `photo ${index}.jpg`, seed: index, size, head: [0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0] }
    case 2:
      return {
        name: `frame_${index}.webp`,
        seed: index,
        size,
        head: [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]
      }
    case 3:
      return { name: `anim-${index}.gif`, seed: index, size, head: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61] }
    default:
      return { name: `image ${index} é.png`, seed: index, size, head: [] }
  }
}

/** The 50 images of the folder synced first. */
export const IMAGES: ReadonlyArray<Image> = Array.from({ length: 50 }, (_, index) => image(index))

/** An image's bytes, made with the `png` given (test-support's). */
export const imageBytes = (image: Image, png: (seed: number, size: number) => Uint8Array): Uint8Array => {
  const bytes = png(image.seed, image.size)
  bytes.set(image.head)
  return bytes
}

/** The images' names, sorted: what a folder holding them all lists. */
export const NAMES: ReadonlyArray<string> = IMAGES.map((entry) => entry.name).sort()

export interface Pair {
  readonly source: string
  readonly target: string
  readonly instruction?: string | undefined
}

/** The folder's pairs, by file name: ten, some with an instruction (quotes and non-Latin text). */
export const PAIRS: ReadonlyArray<Pair> = Array.from({ length: 10 }, (_, index) => ({
  source: IMAGES[index * 2]!.name,
  target: IMAGES[index * 2 + 1]!.name,
  ...(index % 3 === 0 ? {} : { instruction: `make it "brighter", step ${index}; 日本` })
}))

/** Pairs compared whatever their order. */
export const sortedPairs = (pairs: ReadonlyArray<Pair>): Array<string> =>
  pairs.map((pair) => JSON.stringify([pair.source, pair.target, pair.instruction])).sort()

/** A run interrupted once this many events of this tag have been seen. */
export interface Interrupt {
  readonly event: string
  readonly count: number
}

/**
 * Sync → pull → sync back → pull again. The pull writes every image; no download carries the API's
 * credentials (every API request does); the sync back of the pulled folder with its pairs and state changes
 * nothing and sends only lists; the rerun finds every file unchanged and downloads nothing.
 */
export const ROUND_TRIP = {
  modelId: MODELS.a,
  folders: { source: "source", pulled: "pulled" },
  concurrency: 8,
  outcome: "Written",
  credentialHeader: "authorization",
  syncBack: { changes: 0, operations: ["list"] as ReadonlyArray<Operation> },
  rerun: { outcome: "Unchanged", downloads: 0 }
} as const

/**
 * A copy A → B gives B the same names and pairs (the first `bytesChecked` images read back whole); a rerun
 * finds everything unchanged, sends only lists and downloads nothing.
 */
export const COPY = {
  from: MODELS.a,
  to: MODELS.b,
  concurrency: 8,
  bytesChecked: 5,
  rerun: { outcome: "Unchanged", operations: ["list"] as ReadonlyArray<Operation>, downloads: 0 }
} as const

/**
 * A pull interrupted after `interrupt.count` images pulled: its state knows at least that many and fewer than
 * all; the rerun writes or keeps every image, downloads only those the state lacked, and leaves no file with
 * the `partialSuffix`.
 */
export const INTERRUPTED_PULL = {
  modelId: MODELS.a,
  folder: "pulled",
  concurrency: 4,
  interrupt: { event: "Pulled", count: 20 } as Interrupt,
  written: "Written",
  unchanged: "Unchanged",
  partialSuffix: ".partial"
} as const

/** A copy interrupted after `interrupt.count` adds: the target holds fewer than all; a rerun completes it. */
export const INTERRUPTED_COPY = {
  from: MODELS.a,
  to: MODELS.c,
  concurrency: 4,
  interrupt: { event: "Succeeded", count: 20 } as Interrupt
} as const

/** A copy into an empty model whose adds and pair replacements are dropped or answered 503 at random. */
export const FAULTY_COPY = {
  from: MODELS.a,
  to: "model_d",
  concurrency: 8,
  settleWindow: 0,
  faults: {
    rate: 0.3,
    faults: [{ _tag: "Drop", afterApply: true }, { _tag: "Status", status: 503 }] as ReadonlyArray<FaultSpec>,
    seed: 7,
    operations: ["add", "replacePairs"] as ReadonlyArray<Operation>
  }
} as const

/**
 * Downloads that fail. Every attempt of every image (`attempts` each) answered 503: each image fails with a
 * `DownloadError` naming it, nothing is written. One more 503 is retried, then served. Over `maxImageBytes`,
 * each larger image fails as `too-large` and the others are written.
 */
export const DOWNLOAD_FAILURES = {
  modelId: "model_faults",
  folder: "pulled",
  attempts: 3,
  concurrency: 10,
  failure: { _tag: "DownloadError", reason: "status", status: 503 },
  thenFailing: 1,
  outcome: "Written",
  capped: {
    folder: "capped",
    maxImageBytes: 100,
    reason: "too-large",
    // Every image but the first (40 bytes) is over 100 bytes.
    tooLarge: 49,
    written: 1
  }
} as const

/**
 * Files already in the folder: one of other content (`mine`) fails as `differs` and is kept; one of the same
 * bytes (`same`) is unchanged; one the pull wrote, then edited (`edited`), fails as `changed`. With `force`,
 * nothing fails and both are written over with the images' bytes.
 */
export const EXISTING = {
  modelId: "model_existing",
  folder: "pulled",
  error: "FileExistsError",
  mine: { image: 0, content: "mine", reason: "differs" },
  same: { image: 1, outcome: "Unchanged" },
  edited: { image: 2, content: "edited", reason: "changed" }
} as const

/**
 * A model of hostile names (and one image with no data, only an asset): each is written inside the folder,
 * under the file its documented rename gives; the asset's is a placeholder PNG.
 */
export const HOSTILE = {
  modelId: "model_hostile",
  /** The folder, below the test's temporary root. */
  folder: ["inner", "pulled"],
  /** The image of `names[i]` is `png(seedBase + i)`, its id `img_<i>`. */
  seedBase: 100,
  names: [
    "../../escaped.png",
    "/absolute.png",
    "a\u0000b.png",
    "CON.png",
    "trailing.png. ",
    "dup.png",
    "dup.png",
    "DUP.png",
    ".hidden",
    "..",
    "sub/dir.png",
    "C:\\windows.png"
  ],
  asset: { id: "img_asset", name: "from-asset.png" },
  /** The file each image goes to, in the listing's order, the asset's last. */
  files: [
    "_.._.._escaped.png",
    "_absolute.png",
    "a_b.png",
    "CON_.png",
    "trailing.png__",
    "dup.png",
    "dup~img_6.png",
    "DUP~img_7.png",
    "_.hidden",
    "___",
    "sub_dir.png",
    "C__windows.png",
    "from-asset.png"
  ],
  outcome: "Written",
  placeholderHead: [0x89, 0x50, 0x4e, 0x47]
} as const

/** A hostile name's id. */
export const hostileId = (index: number): string => `img_${index}`

/**
 * A link in the folder where an image goes (to a file outside it): refused as `FileExistsError`, and with
 * `force` replaced by the image's file, the outside file untouched. Options that are not whole numbers above 0
 * are refused with an `InvalidRequestError` naming the option, before any request or folder.
 */
export const LINKS = {
  modelId: "model_links",
  folder: "pulled",
  outside: { file: "outside.png", content: "outside" },
  linked: 0,
  error: "FileExistsError",
  fresh: "fresh",
  badOptions: [{ concurrency: 0 }, { concurrency: 1.5 }, { maxImageBytes: Number.NaN }] as ReadonlyArray<
    { readonly concurrency: number } | { readonly maxImageBytes: number }
  >,
  refusal: "InvalidRequestError"
} as const

/**
 * `TrainingSet` with an image fitter, as plain data for both lines: an image over the request limit is planned
 * as an add to fit, to its budget (without a fitter it is TooLarge); the fitted bytes are sent and reported,
 * the source left as it was; a fitter that fails, dies, throws, misses the budget or lies fails its item alone,
 * nothing sent; an image whose name alone is over the limit is never given to the fitter. An image is
 * test-support's `png(seed, size)`; a budget is the kernel's `maxInlineImageBytes` for the image's name under
 * a request limit (the runners compute it: it is the kernel's rule, not the lines'). The runners, against their
 * line's in-memory fake: `packages/testing/test/TrainingSetFit.test.ts` (Effect 3) and
 * `packages/effect4/test/testing/TrainingSetFit.test.ts`.
 */

export const MODEL = "model_fit"

/** The fake's `maxRequestBytes`. */
export const LIMIT = 1000

/** An image of the set: its name and the seed and size of its PNG. */
export interface Image {
  readonly name: string
  readonly png: number
  readonly size: number
}

/** The image over the limit. */
export const BIG: Image = { name: "big.png", png: 1, size: 2000 }

/** The image under it. */
export const SMALL: Image = { name: "small.png", png: 2, size: 100 }

/**
 * The fitter the suites use: it keeps the first `maxBytes` bytes (the PNG signature with them), says the image
 * went from 400x300 to 200x150 and records what it was given: the hook's contract, without a codec.
 */
export const TRUNCATING = { width: 200, height: 150, sourceWidth: 400, sourceHeight: 300 } as const

/** What the fitter was given for an image: its name, type, budget and size. */
export interface Given {
  readonly name: string
  readonly mediaType: string
  readonly maxBytes: number
  readonly size: number
}

/** A fitter's answer made by hand: the first `keep` bytes (or all of them), a type and dimensions. */
export interface Answer {
  readonly keep?: number
  /** The type it says; absent: the type it was given. */
  readonly mediaType?: "image/jpeg"
  readonly width: number
  readonly height: number
  readonly sourceWidth: number
  readonly sourceHeight: number
}

/** A fitter that does not give a fitting image. */
export type BadFitter =
  | { readonly _tag: "Fails"; readonly reason: string }
  | { readonly _tag: "Dies"; readonly message: string }
  /** Throws an `Error` of `message` followed by a space and the image's name. */
  | { readonly _tag: "Throws"; readonly message: string }
  | { readonly _tag: "Answers"; readonly answer: Answer }

/** An error message, whole or in part. */
export type Message = { readonly is: string } | { readonly contains: string } | { readonly matches: RegExp }

/** Plan with and without the fitter: the image over the limit is to fit, or TooLarge. */
export const PLAN = {
  images: [BIG, SMALL],
  /** Planned without a fitter. */
  plain: ["TooLarge", "Add"],
  /**
   * Planned with the fitter: the items in full, given the plain plan's `requestBytes` for the big image and
   * the budgets.
   */
  fitted: (facts: { readonly requestBytes: number; readonly budget: (name: string) => number }) => [
    {
      _tag: "Add",
      name: BIG.name,
      fit: {
        bytes: BIG.size,
        requestBytes: facts.requestBytes,
        maxRequestBytes: LIMIT,
        maxImageBytes: facts.budget(BIG.name)
      }
    },
    { _tag: "Add", name: SMALL.name }
  ],
  summary: { add: 2, fit: 1, tooLarge: 0 }
} as const

/** Applied with the fitter: the fitted bytes are sent, the small image as it is. */
export const SEND = {
  images: [BIG, SMALL],
  /** Only the image over the limit is given to the fitter, with its type and budget. */
  given: (budget: (name: string) => number): ReadonlyArray<Given> => [
    { name: BIG.name, mediaType: "image/png", maxBytes: budget(BIG.name), size: BIG.size }
  ],
  /** The big image's outcome's `fitted`; the small one has none. */
  fitted: (budget: (name: string) => number) => ({
    bytes: BIG.size,
    width: TRUNCATING.sourceWidth,
    height: TRUNCATING.sourceHeight,
    mediaType: "image/png",
    sentBytes: budget(BIG.name),
    sentWidth: TRUNCATING.width,
    sentHeight: TRUNCATING.height,
    sentMediaType: "image/png"
  }),
  /** The adds sent; the first one's data is the data URL of the big image's first `budget` bytes. */
  adds: 2,
  dataUrlPrefix: "data:image/png;base64,"
} as const

/** A tracked image is hashed as it is on disk; changed on disk, it is replaced and fitted again. */
export const TRACKED = {
  image: { name: "big.png", png: 3, size: 2000 },
  again: ["Keep"],
  changed: { name: "big.png", png: 4, size: 2000 },
  replaced: "Replace",
  /** The fitter was given the first image and the changed one. */
  given: 2
} as const

/** Fitters that do not give a fitting image, each failing the big image alone with this message. */
export const BAD_FITTERS: ReadonlyArray<{ readonly fitter: BadFitter; readonly message: Message }> = [
  {
    fitter: { _tag: "Fails", reason: "no codec" },
    message: { is: "big.png could not be fitted under the request limit: no codec" }
  },
  { fitter: { _tag: "Dies", message: "boom" }, message: { contains: "boom" } },
  { fitter: { _tag: "Throws", message: "thrown for" }, message: { contains: "thrown for big.png" } },
  {
    fitter: { _tag: "Answers", answer: { width: 1, height: 1, sourceWidth: 2, sourceHeight: 2 } },
    message: { contains: "still over" }
  },
  {
    fitter: {
      _tag: "Answers",
      answer: { keep: 100, mediaType: "image/jpeg", width: 1, height: 1, sourceWidth: 2, sourceHeight: 2 }
    },
    message: { contains: "not the image/jpeg image it said" }
  },
  {
    fitter: { _tag: "Answers", answer: { keep: 100, width: 0, height: Number.NaN, sourceWidth: 2, sourceHeight: 2 } },
    message: { contains: "no valid dimensions" }
  }
]

/** The error's tag of an item a fitter failed, and the failed image. */
export const FIT_ERROR = { _tag: "ImageFitError", name: "big.png" } as const

/**
 * A fitter's defect is kept as the error's cause, with this reason; a result refused by the check (`refused`)
 * has no cause, in the error nor in the encoded report.
 */
export const DEFECT = {
  dies: "boom",
  reason: "the fitter failed: Error: boom",
  refused: { width: 1, height: 1, sourceWidth: 2, sourceHeight: 2 } satisfies Answer
} as const

/** A name that alone makes a request over the limit. */
export const LONG_NAME = `${"n".repeat(LIMIT)}.png`

/** Met at planning time: planned as an add, failed as unfittable, the fitter never called, nothing sent. */
export const NAME_OVER = {
  image: { name: LONG_NAME, png: 6, size: 3000 },
  kinds: ["Add"],
  error: { _tag: "ImageFitError", reason: `its name alone makes a request over the ${LIMIT}-byte limit` },
  given: [] as ReadonlyArray<Given>,
  sent: [] as ReadonlyArray<string>
} as const

/**
 * Planned under a limit it fits (`planLimit`), applied under the fake's, which its name alone is over: failed
 * unread, the fitter never called.
 */
export const NAME_OVER_AT_APPLY = {
  image: { name: LONG_NAME, png: 6, size: 3000 },
  planLimit: 100 * LIMIT,
  kinds: ["Add"],
  error: {
    _tag: "InvalidRequestError",
    message: { matches: /over the request limit of 1000 bytes/ } satisfies Message
  },
  reads: 0,
  given: [] as ReadonlyArray<Given>
} as const

/** A plan to fit applied without a fitter: failed at the request limit, unread. */
export const WITHOUT_FITTER = {
  image: BIG,
  error: { _tag: "InvalidRequestError", message: { contains: "over the request limit" } satisfies Message },
  reads: 0
} as const

/** A source without a size to judge: planned as a plain add, fitted once read, to the budget under the call's limit. */
export const UNSIZED = {
  image: { name: "big.png", png: 5, size: 3000 },
  items: [{ _tag: "Add", name: "big.png" }],
  callLimit: 2000,
  success: true
} as const

/**
 * `TrainingSet`'s pure parts, as plain data for both lines: an image's bytes as the add's data URL (the media
 * type sniffed from the bytes, a non-image refused on the data field naming the file), sha256, pairs naming
 * images outside the set, the request size judged from an image's peek (the size of the body the client
 * builds) and the state a run leaves, finished or interrupted. The runners: `packages/core/test/TrainingSet.test.ts`
 * (Effect 3, `Either`) and `packages/effect4/test/TrainingSet.test.ts` (Effect 4, `Result`); each draws the
 * properties' inputs with its line's fast-check.
 */

/** The PNG signature. */
export const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const

/** The data URL's prefix for each media type the tests meet. */
export const DATA_URL = { png: "data:image/png;base64,", jpeg: "data:image/jpeg;base64," } as const

/**
 * For any bytes after the PNG signature (up to `maxTail` of them), the image input is the data URL of the
 * line's base64 of the bytes, under the name.
 */
export const ANY_BYTES = { name: "x.png", maxTail: 200, numRuns: 300 } as const

/** The image input of `bytes` under `name`, as a PNG: what the line's success holds. */
export const pngInput = (name: string, base64: string) => ({ data: `${DATA_URL.png}${base64}`, name })

/** A large image encodes whole: the signature, then `(i * 131) & 0xff` at each index `i`. */
export const LARGE = { name: "big.png", size: 3 * 1024 * 1024 + 2 } as const

/** The large image's bytes. */
export const largeImage = (): Uint8Array => {
  const bytes = new Uint8Array(LARGE.size)
  bytes.set(PNG)
  for (let i = PNG.length; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff
  return bytes
}

/** The media type is sniffed whatever the name says; empty bytes are refused, as the operation asked. */
export const SNIFFED = {
  jpeg: { name: "photo.png", bytes: [0xff, 0xd8, 0xff, 0xdb, 0, 1], prefix: DATA_URL.jpeg },
  empty: { name: "empty.png", operation: "replace" }
} as const

/** Bytes that are not an image: refused on the request's data field, naming the file, as an add by default. */
export const NOT_AN_IMAGE = {
  name: "notes.txt",
  text: "hello",
  operation: "add",
  paths: [["data"]],
  message:
    "Invalid add request: data: notes.txt is not a PNG, JPEG, WebP or GIF image (judged by its content, not its name)"
} as const

/** sha256 through Web Crypto. */
export const SHA256 = {
  text: "abc",
  digest: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
} as const

/** Pairs naming an image outside the set are refused with this message; inside it, accepted. */
export const PAIRS = {
  pairs: [{ source: "a.png", target: "b.png" }],
  outside: {
    set: ["a.png"],
    message: "Invalid replacePairs request: pairs.0.target: \"b.png\" is not an image of the set"
  },
  inside: { set: ["a.png", "b.png"] }
} as const

/**
 * The request size judged from an image's peek is the size of the add's body the client builds from its bytes
 * (for any of the signatures followed by up to `maxExtra` bytes, under any name of 1 to `maxName` binary
 * characters, for `modelId`): under that size it fits, a byte under it it is `tooLarge`. Bytes that are not an
 * image are skipped whatever their size (`notAnImage`).
 */
export const JUDGE = {
  signatures: [
    PNG,
    [0xff, 0xd8, 0xff, 0xe0],
    [0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50],
    [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]
  ] as ReadonlyArray<ReadonlyArray<number>>,
  maxExtra: 300,
  maxName: 20,
  modelId: "model_x",
  numRuns: 300,
  tooLarge: (bytes: number, requestBytes: number) => ({
    _tag: "TooLarge",
    bytes,
    requestBytes,
    maxRequestBytes: requestBytes - 1
  }),
  notAnImage: {
    name: "a.png",
    text: "not an image, whatever its size",
    size: 1e12,
    maxRequestBytes: 10,
    judged: { _tag: "Skip", reason: "not-an-image" }
  }
} as const

/** An outcome that succeeded with these training image ids. */
export const succeeded = (...ids: Array<string>) => ({
  _tag: "Succeeded" as const,
  trainingImageIds: ids,
  reconciled: false
})

/**
 * The state a run leaves, finished or interrupted: what succeeded and what was kept, over the previous state;
 * what did not finish (no outcome) keeps its entry; a state of another model is not carried over.
 */
export const STATE_AFTER = {
  plan: {
    modelId: "m",
    tracksContent: true,
    items: [
      { _tag: "Add", name: "__proto__", sha256: "a1" },
      { _tag: "Add", name: "b.png", sha256: "b1" },
      { _tag: "Replace", name: "c.png", trainingImageId: "asset_c", sha256: "c2" },
      { _tag: "Keep", name: "d.png", trainingImageId: "asset_d", sha256: "d1" },
      { _tag: "Delete", name: "e.png", trainingImageId: "asset_e", reason: "not-in-set" },
      { _tag: "Delete", name: "f.png", trainingImageId: "asset_f", reason: "not-in-set" }
    ]
  },
  previous: {
    modelId: "m",
    images: {
      "c.png": { sha256: "c1", trainingImageId: "asset_c" },
      "e.png": { sha256: "e1", trainingImageId: "asset_e" },
      "f.png": { sha256: "f1", trainingImageId: "asset_f" }
    }
  },
  /** The items' outcomes, in the plan's order; `undefined`: the item did not finish. */
  outcomes: [succeeded("asset_a"), undefined, undefined, undefined, succeeded()],
  modelId: "m",
  /** The next state's entries, sorted. */
  entries: [
    ["__proto__", { sha256: "a1", trainingImageId: "asset_a" }],
    ["c.png", { sha256: "c1", trainingImageId: "asset_c" }],
    ["d.png", { sha256: "d1", trainingImageId: "asset_d" }],
    ["f.png", { sha256: "f1", trainingImageId: "asset_f" }]
  ],
  /** With the previous state of this other model and no outcomes, only the kept image is in the next state. */
  otherModel: { modelId: "other", names: ["d.png"] }
} as const

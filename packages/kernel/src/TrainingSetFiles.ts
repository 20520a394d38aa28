/**
 * The file a pulled training image is written to: its `name` when that is a portable file name, else a stable
 * rename. Plain functions, the same on every platform, so that a set pulled on Linux lands under the same
 * names on Windows or macOS, and a rerun of a pull writes each image where the last one did.
 *
 * @since 0.1.0
 */
import * as Validation from "./Validation.js"

/**
 * Where a pull keeps the pairs of the set, in its folder: a JSON array of `{ source, target, instruction? }`
 * by file name (what `sync --pairs` reads). Hidden, so that reading the folder's images never meets it.
 *
 * @since 0.1.0
 * @category constants
 */
export const PAIRS_FILE = ".scenario-pairs.json"

/**
 * Where a pull keeps the state of the set, in its folder (what `sync --state` reads). Hidden, like the pairs.
 *
 * @since 0.1.0
 * @category constants
 */
export const STATE_FILE = ".scenario-state.json"

/**
 * The most bytes (UTF-8) of a file name: the limit of the common file systems (ext4, APFS, NTFS counts 255
 * UTF-16 units, which 255 bytes never exceed).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_FILE_NAME_BYTES = 255

// Windows' device names, which no file may carry as its stem (`CON`, `con.png`, `COM1.tar.gz`), the
// superscript digits included.
const RESERVED = /^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i

// C0 controls, DEL, the characters Windows refuses in a name, and both path separators.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f<>:"/\\|?*]/g

const utf8Length = (text: string): number => {
  let bytes = 0
  for (const char of text) {
    const code = char.codePointAt(0)!
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
  }
  return bytes
}

// The longest start of `text` (whole code points) within `bytes` UTF-8 bytes.
const truncate = (text: string, bytes: number): string => {
  let kept = ""
  let used = 0
  for (const char of text) {
    const size = utf8Length(char)
    if (used + size > bytes) break
    kept += char
    used += size
  }
  return kept
}

// The extension kept through a truncation or a suffix: a short last `.part` of letters and digits.
const splitExtension = (name: string): { readonly stem: string; readonly extension: string } => {
  // Without `^` the match still starts at 0: `.+?` takes any first character but a line break, and a portable
  // name has none (control characters are replaced first).
  // Stryker disable next-line Regex: equivalent, see above
  const match = /^(.+?)(\.[A-Za-z0-9]{1,10})$/.exec(name)
  return match === null ? { stem: name, extension: "" } : { stem: match[1]!, extension: match[2]! }
}

// A stem and an extension within the byte limit, the stem shortened first.
const fit = (stem: string, extension: string, suffix: string): string => {
  const room = MAX_FILE_NAME_BYTES - utf8Length(extension) - utf8Length(suffix)
  // Stryker disable next-line ConditionalExpression,EqualityOperator: `truncate` gives a stem within `room` whole
  return `${utf8Length(stem) > room ? truncate(stem, room) : stem}${suffix}${extension}`
}

/**
 * A single portable file name for a training image's name, by these rules in order:
 *
 * 1. a control character (U+0000–U+001F, U+007F), `< > : " / \ | ? *` and a lone surrogate each become `_`;
 * 2. a name starting with `.` (hidden, or `.`/`..`) gets `_` in front; the empty name becomes `_`;
 * 3. a stem (the name up to its first `.`) that is a Windows device name (`CON`, `prn`, `COM1`, `LPT9`, ...)
 *    gets `_` after it: `CON_.png`;
 * 4. a name over 255 UTF-8 bytes is cut to fit, its extension kept;
 * 5. each trailing `.` or space becomes `_` (Windows drops them).
 *
 * A name these rules leave as it is is already portable. The result never holds a separator, so it never
 * leaves the folder it is written to.
 *
 * @since 0.1.0
 * @category rules
 */
export const portableFileName = (name: string): string => {
  // A surrogate without its other half: no file system stores it (UTF-8 has no encoding for it).
  let safe = Validation.replaceLoneSurrogates(name, "_").replace(FORBIDDEN, "_")
  if (safe.startsWith(".")) safe = `_${safe}`
  if (safe === "") safe = "_"
  const dot = safe.indexOf(".")
  const stem = dot === -1 ? safe : safe.slice(0, dot)
  if (RESERVED.test(stem.replace(/[. ]+$/, ""))) safe = `${stem}_${safe.slice(stem.length)}`
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a name within the limit comes out of a cut whole
  if (utf8Length(safe) > MAX_FILE_NAME_BYTES) {
    const { extension, stem: long } = splitExtension(safe)
    safe = fit(long, extension, "")
  }
  // Last, as a cut may end the name in a space: each is one byte, and so is its `_`.
  return safe.replace(/[. ]+$/, (tail) => "_".repeat(tail.length))
}

/**
 * Whether a name is written to a file of the same name (the rules of `portableFileName` leave it as it is).
 *
 * @since 0.1.0
 * @category rules
 */
export const isPortableFileName = (name: string): boolean => portableFileName(name) === name

// Two names one file system may take for one file: case and Unicode composition aside.
const collisionKey = (fileName: string): string => fileName.normalize("NFC").toLowerCase()

/**
 * The file each training image is written to, in the order given (the model's listing order): its
 * `portableFileName`, unless another image of the list holds that file already, compared without case and
 * Unicode composition (macOS and Windows would take them for one file). Images whose name is portable choose
 * first, in list order; then the others. An image whose file is taken gets `~` and its id (made portable)
 * before the extension, `photo~asset_123.png`, then `~2`, `~3`, ... while that is taken too. The result
 * depends only on the list (names, ids, order), so a rerun over the same listing gives the same files, and
 * no two images share one.
 *
 * @since 0.1.0
 * @category rules
 */
export const fileNames = (
  images: ReadonlyArray<{ readonly id: string; readonly name: string }>
): Array<string> => {
  const taken = new Set<string>()
  // Stryker disable next-line ArrowFunction,StringLiteral: a placeholder, every index is claimed in a pass below
  const result: Array<string> = images.map(() => "")
  const portable = images.map((image) => portableFileName(image.name))
  const claim = (index: number): void => {
    const first = portable[index]!
    if (!taken.has(collisionKey(first))) {
      taken.add(collisionKey(first))
      result[index] = first
      return
    }
    const { extension, stem } = splitExtension(first)
    // An id of any length leaves room for the stem: at most 64 bytes of it.
    const id = truncate(portableFileName(images[index]!.id), 64)
    for (let attempt = 1;; attempt++) {
      const candidate = portableFileName(fit(stem, extension, attempt === 1 ? `~${id}` : `~${id}~${attempt}`))
      if (!taken.has(collisionKey(candidate))) {
        taken.add(collisionKey(candidate))
        result[index] = candidate
        return
      }
    }
  }
  images.forEach((image, index) => {
    if (portable[index] === image.name) claim(index)
  })
  images.forEach((image, index) => {
    if (portable[index] !== image.name) claim(index)
  })
  return result
}

/**
 * Where a download error points: the URL without its query and fragment, which a download host may sign
 * with a token; `"(not a URL)"` for text that is none.
 *
 * @since 0.1.0
 * @category rules
 */
export const shownUrl = (url: string): string => {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}`
  } catch {
    return "(not a URL)"
  }
}

/**
 * Why a download failed: the download host answered outside 2xx (`status`), the connection failed
 * (`transport`), the body was over the limit (`too-large`), no answer came in time (`timeout`), or the URL is
 * not an `http:` or `https:` one (`invalid-url`).
 *
 * @since 0.1.0
 * @category models
 */
export type DownloadFailure = "status" | "transport" | "too-large" | "timeout" | "invalid-url"

/**
 * Whether a failed download is tried again: a connection that failed, a 429 or a 5xx.
 *
 * @since 0.1.0
 * @category rules
 */
export const downloadMayRetry = (failure: {
  readonly reason: DownloadFailure
  readonly status?: number | undefined
}): boolean =>
  failure.reason === "transport" ||
  (failure.reason === "status" &&
    // Stryker disable next-line ConditionalExpression: for the types only, `undefined` is neither 429 nor `>= 500`
    failure.status !== undefined &&
    (failure.status === 429 || failure.status >= 500))

/**
 * What a download error tells: the image, the URL as shown (`shownUrl`) and why.
 *
 * @since 0.1.0
 * @category rules
 */
export const downloadMessage = (error: {
  readonly name: string
  readonly trainingImageId: string
  readonly url: string
  readonly reason: DownloadFailure
  readonly status?: number | undefined
  readonly maxBytes: number
}): string => {
  const why = error.reason === "status"
    ? `the download host answered ${error.status}`
    : error.reason === "transport"
    ? "the connection to the download host failed"
    : error.reason === "too-large"
    ? `the image is over ${error.maxBytes} bytes (maxImageBytes)`
    : error.reason === "timeout"
    ? "the download host did not answer in time"
    : "its downloadUrl is not an http or https URL"
  return `${error.name} (${error.trainingImageId}) could not be downloaded from ${error.url}: ${why}`
}

/**
 * What a file in the way of a pulled image tells: it holds other bytes (`differs`), was changed since the
 * last pull wrote it (`changed`), or is not a file (`not-a-file`).
 *
 * @since 0.1.0
 * @category rules
 */
export const fileExistsMessage = (error: {
  readonly path: string
  readonly name: string
  readonly reason: "differs" | "changed" | "not-a-file"
}): string =>
  error.reason === "not-a-file"
    ? `${error.path} is in the way of ${error.name}: not a file`
    : `${error.path} exists and ${
      error.reason === "changed" ? "was changed since it was pulled" : "holds other bytes"
    }: left as it is (force to overwrite)`

/**
 * The problems of a pull's (or a copy's) options, checked before anything is listed, downloaded or written:
 * a `concurrency` that is not a whole number of at least 1, a `maxImageBytes` that is not one above 0. Empty
 * when both are fine (or absent).
 *
 * @since 0.1.0
 * @category rules
 */
export const pullOptionIssues = (options: {
  readonly concurrency?: number | undefined
  readonly maxImageBytes?: number | undefined
}): Array<{ readonly path: ReadonlyArray<string>; readonly message: string }> => {
  const issues: Array<{ readonly path: ReadonlyArray<string>; readonly message: string }> = []
  if (options.concurrency !== undefined && !(Number.isSafeInteger(options.concurrency) && options.concurrency >= 1)) {
    issues.push({ path: ["concurrency"], message: "Expected a whole number of at least 1" })
  }
  if (
    options.maxImageBytes !== undefined && !(Number.isSafeInteger(options.maxImageBytes) && options.maxImageBytes > 0)
  ) {
    issues.push({ path: ["maxImageBytes"], message: "Expected a whole number of bytes above 0" })
  }
  return issues
}

/**
 * A model's pairs by the names `nameOf` gives their images' ids (file names for a pull, image names for a
 * copy); a pair naming an id `nameOf` lacks is left out and counted (`dropped`).
 *
 * @since 0.1.0
 * @category rules
 */
export const pairsByName = (
  pairs: ReadonlyArray<{
    readonly sourceId?: string | undefined
    readonly targetId?: string | undefined
    readonly instruction?: string | undefined
  }>,
  nameOf: ReadonlyMap<string, string>
): {
  readonly pairs: Array<{ readonly source: string; readonly target: string; readonly instruction?: string }>
  readonly dropped: number
} => {
  const named: Array<{ readonly source: string; readonly target: string; readonly instruction?: string }> = []
  let dropped = 0
  for (const pair of pairs) {
    // Stryker disable next-line ConditionalExpression: `nameOf` is keyed by strings, its `get(undefined)` is undefined
    const source = pair.sourceId === undefined ? undefined : nameOf.get(pair.sourceId)
    // Stryker disable next-line ConditionalExpression: `nameOf` is keyed by strings, its `get(undefined)` is undefined
    const target = pair.targetId === undefined ? undefined : nameOf.get(pair.targetId)
    if (source === undefined || target === undefined) {
      dropped++
      continue
    }
    named.push(pair.instruction === undefined ? { source, target } : { source, target, instruction: pair.instruction })
  }
  return { pairs: named, dropped }
}

/**
 * What a pull knows of its folder before it downloads: the previous state's entries (by file) that still
 * name the image the listing puts in that file; an entry of another model's state, or of another image, is
 * not kept.
 *
 * @since 0.1.0
 * @category rules
 */
export const knownFiles = <E extends { readonly trainingImageId: string }>(input: {
  readonly listed: ReadonlyArray<{ readonly id: string }>
  readonly files: ReadonlyArray<string>
  readonly previous: { readonly images: Readonly<Record<string, E>> } | undefined
}): Map<string, E> => {
  const known = new Map(input.previous === undefined ? [] : Object.entries(input.previous.images))
  const entries = new Map<string, E>()
  for (const [index, image] of input.listed.entries()) {
    const file = input.files[index]
    // Stryker disable next-line ConditionalExpression: `known` is keyed by strings, its `get(undefined)` is undefined
    if (file === undefined) continue
    const entry = known.get(file)
    if (entry !== undefined && entry.trainingImageId === image.id) entries.set(file, entry)
  }
  return entries
}

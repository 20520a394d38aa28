/**
 * Folders on disk for `TrainingSet.readFolder`'s suites of both lines: each builder makes a temporary folder
 * (files, links, odd names) and gives, next to it, what a listing of it is expected to be, and what a plan
 * and a run against the in-memory fake are expected to make of it. The runners bind them to their line's
 * `readFolder`, `plan` and `apply`; nothing here knows Effect.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { png, PNG_SIGNATURE } from "./png.js"

/** The eight bytes a PNG starts with. */
export const PNG_HEADER: ReadonlyArray<number> = PNG_SIGNATURE

/** A new empty folder under the system's temporary one. */
export const tempFolder = (prefix = "training-set-"): string => Fs.mkdtempSync(Path.join(Os.tmpdir(), prefix))

/** A new temporary folder holding a PNG under each name, made from the seed of the name's length (`png`). */
export const pngFolder = (names: ReadonlyArray<string>, prefix = "training-set-apply-"): string => {
  const root = tempFolder(prefix)
  for (const name of names) Fs.writeFileSync(Path.join(root, name), png(name.length))
  return root
}

/** Removes the folders given, and all they hold. */
export const removeFolders = (...roots: ReadonlyArray<string>): void => {
  for (const root of roots) Fs.rmSync(root, { recursive: true, force: true })
}

/**
 * A PNG of `size` bytes at `path` (its folders made): the PNG header, 1, 2, 3, then zeros, sparse past the
 * header, so that a file of any size costs no disk.
 */
export const pngFile = (path: string, size = 64): void => {
  Fs.mkdirSync(Path.dirname(path), { recursive: true })
  Fs.writeFileSync(path, new Uint8Array([...PNG_HEADER, 1, 2, 3]))
  Fs.truncateSync(path, size)
}

/** The first bytes of a `pngFile` of 16 bytes or more, as a peek sees them. */
export const PNG_FILE_HEAD = (
  bytes: number
): Array<number> => [...PNG_HEADER, 1, 2, 3, ...new Array<number>(Math.max(0, bytes - PNG_HEADER.length - 3)).fill(0)]

/**
 * A folder of a few files at three levels: two images and a text at the top, images in `sub` and
 * `sub/deeper`, and a hidden image (never listed).
 */
export const mixedFolder = (): string => {
  const root = tempFolder()
  const write = (name: string, bytes: Uint8Array) => {
    Fs.mkdirSync(Path.dirname(Path.join(root, name)), { recursive: true })
    Fs.writeFileSync(Path.join(root, name), bytes)
  }
  const png = new Uint8Array([...PNG_HEADER, 1])
  write("b.png", png)
  write("a.jpg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))
  write("sub/c.png", png)
  write("sub/deeper/d.png", png)
  write(".hidden.png", png)
  write("notes.txt", new TextEncoder().encode("hello"))
  return root
}

/** Every file of `mixedFolder` that a recursive listing gives, hidden ones left out, in name order. */
export const MIXED_FOLDER_RECURSIVE: ReadonlyArray<string> = [
  "a.jpg",
  "b.png",
  "notes.txt",
  "sub/c.png",
  "sub/deeper/d.png"
]

/** The options a listing is given, as both lines' `FolderOptions` take them. */
export interface ListingOptions {
  readonly recursive?: boolean
  readonly include?: ReadonlyArray<string>
  readonly exclude?: ReadonlyArray<string>
}

/** A listing's options and the names it gives. */
export interface ListingCase {
  readonly options: ListingOptions
  readonly names: ReadonlyArray<string>
}

/** Empty include and exclude lists filter nothing out. */
export const EMPTY_FILTERS: ListingCase = {
  options: { recursive: true, include: [], exclude: [] },
  names: MIXED_FOLDER_RECURSIVE
}

/**
 * A file whose name holds a backslash (`a\b.png`, a name, not a folder `a`) next to `c.png`; the globs match
 * the backslash as a character of the name.
 */
export const backslashFolder = (): { readonly root: string; readonly cases: ReadonlyArray<ListingCase> } => {
  const root = tempFolder()
  pngFile(Path.join(root, "a\\b.png"))
  pngFile(Path.join(root, "c.png"))
  return {
    root,
    cases: [
      { options: { include: ["*.png"] }, names: ["a\\b.png", "c.png"] },
      { options: { exclude: ["a*"] }, names: ["c.png"] }
    ]
  }
}

/** Makes `process.platform` say Windows; gives back what puts the real one back. */
export const pretendWindows = (): () => string => {
  const platform = Object.getOwnPropertyDescriptor(process, "platform")!
  Object.defineProperty(process, "platform", { ...platform, value: "win32" })
  return () => {
    Object.defineProperty(process, "platform", platform)
    return process.platform
  }
}

/**
 * Names that sort apart from the walk's order: `-` < `.` < `/`, so the walk meets folder `a` before
 * `a-b.png` and `a.png`, whose names sort before `a/z.png`; and code units, not a locale, order the rest.
 */
export const orderFolder = (): { readonly root: string; readonly names: ReadonlyArray<string> } => {
  const root = tempFolder()
  for (const name of ["a/z.png", "a.png", "a-b.png", "B.png", "é.png", "z.png", "10.png", "9.png"]) {
    pngFile(Path.join(root, name))
  }
  return { root, names: ["10.png", "9.png", "B.png", "a-b.png", "a.png", "a/z.png", "z.png", "é.png"] }
}

/**
 * Links `a` and `b` to one folder elsewhere holding `o.png`: the first by name is followed, the other skipped
 * as already listed; reading it fails with `reason` on `skippedPath`.
 */
export const twoLinksFolder = () => {
  const root = tempFolder()
  const other = tempFolder()
  pngFile(Path.join(other, "o.png"))
  Fs.symlinkSync(other, Path.join(root, "a"))
  Fs.symlinkSync(other, Path.join(root, "b"))
  return {
    root,
    other,
    listed: [["a/o.png", undefined], ["b", "already-listed"]] as ReadonlyArray<readonly [string, string | undefined]>,
    skippedIndex: 1,
    skippedPath: Path.join(root, "b"),
    reason: "a symbolic link to a folder already listed"
  }
}

/**
 * `a.png` next to a link to nothing (`gone.png`) and a link to itself (`self.png`): the listing, what reading
 * each link fails with, and what each include or exclude leaves.
 */
export const brokenLinksFolder = () => {
  const root = tempFolder()
  pngFile(Path.join(root, "a.png"))
  Fs.symlinkSync(Path.join(root, "nowhere.png"), Path.join(root, "gone.png"))
  Fs.symlinkSync("self.png", Path.join(root, "self.png"))
  return {
    root,
    names: ["a.png", "gone.png", "self.png"],
    reads: [
      { index: 1, path: Path.join(root, "gone.png"), reason: "a symbolic link to nothing" },
      { index: 2, path: Path.join(root, "self.png"), reason: "a symbolic link that loops" }
    ],
    cases: [
      { options: { include: ["a*"] }, names: ["a.png"] },
      { options: { include: ["g*", "a*"] }, names: ["a.png", "gone.png"] },
      { options: { exclude: ["gone*"] }, names: ["a.png", "self.png"] },
      { options: { include: ["*.png"], exclude: ["s*"] }, names: ["a.png", "gone.png"] }
    ] as ReadonlyArray<ListingCase>
  }
}

/** `a.png` next to a link to a device (`/dev/null`), which a listing leaves out, recursive or not. */
export const deviceLinkFolder = () => {
  const root = tempFolder()
  pngFile(Path.join(root, "a.png"))
  Fs.symlinkSync("/dev/null", Path.join(root, "device"))
  return {
    root,
    names: ["a.png"],
    options: [{ recursive: false }, { recursive: true }] as ReadonlyArray<ListingOptions>
  }
}

/** An empty `empty.png`: peeked at as no bytes, planned as a skip. */
export const emptyFileFolder = () => {
  const root = tempFolder()
  Fs.writeFileSync(Path.join(root, "empty.png"), new Uint8Array(0))
  return { root, name: "empty.png" }
}

/**
 * `a.png` and `b.png` (100 bytes); `removeFirst` removes `a.png` after the listing, whose peek then fails with
 * `message`; `b.png`'s peek gives its size and first bytes.
 */
export const peekFolder = () => {
  const root = tempFolder()
  pngFile(Path.join(root, "a.png"))
  pngFile(Path.join(root, "b.png"), 100)
  return {
    root,
    removeFirst: () => Fs.rmSync(Path.join(root, "a.png")),
    message: `${Path.join(root, "a.png")}: no such file or folder`,
    second: { size: 100, head: PNG_FILE_HEAD(16) }
  }
}

/**
 * What `mixedFolder` lists: flat (no options), and with recursion and globs; `removed` is the file removed
 * after the flat listing, whose read then fails naming it, while the first file still reads its bytes.
 */
export const MIXED_FOLDER_LISTINGS = {
  flat: ["a.jpg", "b.png", "notes.txt"],
  cases: [
    { options: { recursive: true, include: ["**/*.png"] }, names: ["b.png", "sub/c.png", "sub/deeper/d.png"] },
    { options: { recursive: true, exclude: ["sub/deeper/**", "*.txt"] }, names: ["a.jpg", "b.png", "sub/c.png"] }
  ] as ReadonlyArray<ListingCase>,
  removed: { index: 1, name: "b.png", error: "ImageSourceError" },
  first: { index: 0, bytes: [0xff, 0xd8, 0xff, 0xe0] as ReadonlyArray<number> }
} as const

/**
 * In a `mixedFolder` at `root`: a folder that is not there and a file given as a folder, each an
 * `ImageSourceError` naming it; and the files `readFiles` is given, listed by their base names.
 */
export const mixedFolderErrors = (root: string) => ({
  missing: {
    path: Path.join(root, "nope"),
    error: "ImageSourceError",
    message: `${Path.join(root, "nope")}: no such file or folder`
  },
  notFolder: { path: Path.join(root, "b.png"), reason: "not a folder" },
  files: { paths: [Path.join(root, "sub", "c.png")], names: ["c.png"] }
})

/** A listing: each source's name and its `skip` reason (`undefined`: not skipped). */
export type Listed = ReadonlyArray<readonly [string, string | undefined]>

/** A plan's item, as both lines' `TrainingSet.Plan` holds them. */
export type PlanItem = { readonly _tag: string; readonly name: string } & Readonly<Record<string, unknown>>

/**
 * `a.png` and `sub/c.png`, with links to the folder itself (`x`, `y`) and from `sub` to its parent (`up`):
 * listed recursively, each folder once and the links skipped as loops, planned as skips (with
 * `deleteOthers`). `linkElsewhere` then links `sub/more` and `z` to a new folder elsewhere holding `o.png`
 * (and gives that folder): listed `again`, it is followed once, however many links lead there.
 */
export const selfLinksFolder = () => {
  const root = tempFolder()
  pngFile(Path.join(root, "a.png"))
  pngFile(Path.join(root, "sub", "c.png"))
  Fs.symlinkSync(".", Path.join(root, "x"))
  Fs.symlinkSync(".", Path.join(root, "y"))
  Fs.symlinkSync("..", Path.join(root, "sub", "up"))
  return {
    root,
    options: { recursive: true } as ListingOptions,
    listed: [
      ["a.png", undefined],
      ["sub/c.png", undefined],
      ["sub/up", "link-loop"],
      ["x", "link-loop"],
      ["y", "link-loop"]
    ] as Listed,
    items: [
      { _tag: "Add", name: "a.png" },
      { _tag: "Add", name: "sub/c.png" },
      { _tag: "Skip", name: "sub/up", reason: "link-loop" },
      { _tag: "Skip", name: "x", reason: "link-loop" },
      { _tag: "Skip", name: "y", reason: "link-loop" }
    ] as ReadonlyArray<PlanItem>,
    linkElsewhere: (): string => {
      const other = tempFolder("training-set-other-")
      pngFile(Path.join(other, "o.png"))
      Fs.symlinkSync(other, Path.join(root, "sub", "more"))
      Fs.symlinkSync(other, Path.join(root, "z"))
      return other
    },
    again: {
      options: { recursive: true, exclude: ["x/**", "y"] } as ListingOptions,
      listed: [
        ["a.png", undefined],
        ["sub/c.png", undefined],
        ["sub/more/o.png", undefined],
        ["sub/up", "link-loop"],
        ["z", "already-listed"]
      ] as Listed
    }
  }
}

/**
 * `brokenLinksFolder` synced, without recursion and with `deleteOthers`, to a model holding a training image
 * named like the dangling link: the rest is synced, each link skipped with its reason, and that image stays
 * (its file is not gone, only unreachable).
 */
export const BROKEN_LINKS_SYNC = {
  seed: [{ id: "asset_gone", name: "gone.png" }],
  listed: [["a.png", undefined], ["gone.png", "dangling-link"], ["self.png", "link-loop"]] as Listed,
  items: [
    { _tag: "Add", name: "a.png" },
    { _tag: "Skip", name: "gone.png", reason: "dangling-link" },
    { _tag: "Skip", name: "self.png", reason: "link-loop" }
  ] as ReadonlyArray<PlanItem>,
  summary: { add: 1, skip: 2, changes: 1 },
  /** Each result's item tag and outcome tag. */
  results: [["Add", "Succeeded"], ["Skip", "Unchanged"], ["Skip", "Unchanged"]],
  /** The model's training images' names, sorted. */
  stored: ["a.png", "gone.png"]
} as const

/** The limit on a request's body both lines' clients apply by default: 10 MiB. */
export const DEFAULT_MAX_REQUEST_BYTES = 10 * 1024 * 1024

/**
 * `a.png`, `big.png` (12 MB), `huge.png` (1 GiB, sparse) and `notes.txt`, planned with `deleteOthers` against
 * a model holding `notes.txt`: the text is a skip (and not deleted), the large images planned to fail (with
 * the size of the request each would make), judged from first bytes and size; applied, only `a.png` is read
 * and sent, the large ones fail unread.
 */
export const tooLargeFolder = () => {
  const root = tempFolder()
  pngFile(Path.join(root, "a.png"))
  pngFile(Path.join(root, "big.png"), 12 * 1000 * 1000)
  pngFile(Path.join(root, "huge.png"), 1024 * 1024 * 1024)
  Fs.writeFileSync(Path.join(root, "notes.txt"), "hello")
  return { root }
}

/** What `tooLargeFolder` is planned and applied to. */
export const TOO_LARGE = {
  seed: [{ id: "asset_notes", name: "notes.txt" }],
  maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES,
  items: [
    { _tag: "Add", name: "a.png" },
    {
      _tag: "TooLarge",
      name: "big.png",
      bytes: 12_000_000,
      requestBytes: 16_000_050,
      maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES
    },
    {
      _tag: "TooLarge",
      name: "huge.png",
      bytes: 1024 * 1024 * 1024,
      requestBytes: 4 * Math.ceil(1024 * 1024 * 1024 / 3) + 51,
      maxRequestBytes: DEFAULT_MAX_REQUEST_BYTES
    },
    { _tag: "Skip", name: "notes.txt", reason: "not-an-image" }
  ] as ReadonlyArray<PlanItem>,
  summary: { add: 1, skip: 1, tooLarge: 2, delete: 0, changes: 1 },
  /** The names of the sources read at apply, in order. */
  reads: ["a.png"],
  /** Each failure's item tag and error tag. */
  failures: [["TooLarge", "InvalidRequestError"], ["TooLarge", "InvalidRequestError"]],
  /** What the first failure's message says. */
  message: "the JSON body is 16000050 bytes, over the request limit of 10485760 bytes",
  skipOutcome: { _tag: "Unchanged" },
  adds: 1,
  /** The model's training images' names, in order. */
  stored: ["notes.txt", "a.png"]
} as const

/**
 * `a.png`, planned as an add; `grow` then makes it 64 MiB (sparse), over the limit: its add fails at apply,
 * unread, with `message` in the error's.
 */
export const grownFileFolder = () => {
  const root = tempFolder()
  pngFile(Path.join(root, "a.png"))
  return {
    root,
    items: [{ _tag: "Add", name: "a.png" }] as ReadonlyArray<PlanItem>,
    grow: () => Fs.truncateSync(Path.join(root, "a.png"), 64 * 1024 * 1024),
    reads: 0,
    error: "InvalidRequestError",
    message: "over the request limit of 10485760 bytes"
  }
}

/** The model the folder suites plan and sync against, on the in-memory fake. */
export const FOLDER_MODEL = "model_folder"

/**
 * `a.png` alone, for a file system that denies the folder's real path or its listing: either fails with
 * `denied`, naming the folder; `readFiles` of it and a `b.png` that is not there fails with `missing`, naming
 * that file.
 */
export const deniedFolder = () => {
  const root = tempFolder()
  pngFile(Path.join(root, "a.png"))
  return {
    root,
    denied: `${root}: permission denied`,
    files: [Path.join(root, "a.png"), Path.join(root, "b.png")],
    missing: `${Path.join(root, "b.png")}: no such file or folder`
  }
}

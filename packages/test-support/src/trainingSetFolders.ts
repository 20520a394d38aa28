/**
 * Folders on disk for `TrainingSet.readFolder`'s suites of both lines: each builder makes a temporary folder
 * (files, links, odd names) and gives, next to it, what a listing of it is expected to be. The runners bind
 * them to their line's `readFolder`; nothing here knows Effect.
 */
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

/** The eight bytes a PNG starts with. */
export const PNG_HEADER: ReadonlyArray<number> = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** A new empty folder under the system's temporary one. */
export const tempFolder = (prefix = "training-set-"): string => Fs.mkdtempSync(Path.join(Os.tmpdir(), prefix))

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

// The image sources of a folder or of single files, through `@effect/platform`'s `FileSystem`: listed with
// their size and first bytes at hand, read only when sent.
import {
  brokenLinkReason,
  HEAD_BYTES,
  SKIPPED_LINK_REASONS,
  unreadableReason
} from "@effect-scenario/kernel/TrainingSetPlan"
import type { PlatformError } from "@effect/platform/Error"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import picomatch from "picomatch"
import type * as TrainingSet from "../TrainingSet.js"
import { ImageSourceError } from "../TrainingSet.js"

/** @internal */
export const fromBytes = (name: string, bytes: Uint8Array): TrainingSet.ImageSource => ({
  _tag: "ImageSource",
  name,
  path: name,
  read: Effect.succeed(bytes),
  peek: Effect.succeed({ size: bytes.length, head: bytes.subarray(0, HEAD_BYTES) })
})

// The system's reason for a failure (`NotFound`, `PermissionDenied`...); a `BadArgument` has none.
const reasonOf = (error: PlatformError): string | undefined =>
  // Stryker disable next-line ConditionalExpression: a `BadArgument` has no `reason` field: read, it is undefined too
  error._tag === "SystemError" ? error.reason : undefined

const sourceError = (path: string, error: PlatformError): ImageSourceError => {
  return new ImageSourceError({ path, reason: unreadableReason(reasonOf(error)), cause: error })
}

const readerOf = (fs: FileSystem.FileSystem, path: string) =>
  Effect.mapError(fs.readFile(path), (error) => sourceError(path, error))

// One open file for both: its size from the handle, so that both describe the same file.
const peekOf = (fs: FileSystem.FileSystem, path: string): Effect.Effect<TrainingSet.ImagePeek, ImageSourceError> =>
  Effect.scoped(Effect.gen(function*() {
    const file = yield* fs.open(path)
    const info = yield* file.stat
    const head = yield* file.readAlloc(HEAD_BYTES)
    return { size: Number(info.size), head: Option.getOrElse(head, () => new Uint8Array(0)) }
  })).pipe(Effect.mapError((error) => sourceError(path, error)))

const fileSource = (fs: FileSystem.FileSystem, name: string, path: string): TrainingSet.ImageSource => ({
  _tag: "ImageSource",
  name,
  path,
  read: readerOf(fs, path),
  peek: peekOf(fs, path)
})

const skippedSource = (
  name: string,
  path: string,
  skip: Exclude<TrainingSet.SkipReason, "not-an-image">
): TrainingSet.ImageSource => ({
  _tag: "ImageSource",
  name,
  path,
  skip,
  read: Effect.fail(new ImageSourceError({ path, reason: SKIPPED_LINK_REASONS[skip] }))
})

// The names of one listing are unique (each is the path of its entry through the walk): never equal.
const byName = (a: { readonly name: string }, b: { readonly name: string }) =>
  // Stryker disable next-line EqualityOperator: names are never equal, so `<=` orders as `<` does
  a.name < b.name ? -1 : 1

type Entry =
  | { readonly _tag: "File" }
  | { readonly _tag: "Folder"; readonly realPath: string }
  | { readonly _tag: "BrokenLink"; readonly reason: "dangling-link" | "link-loop" }
  | { readonly _tag: "Other" }

// Neither a file nor a folder to enter (a device, a socket, a folder without `recursive`): left out.
// Stryker disable next-line ObjectLiteral,StringLiteral: the walk has no case for "Other": any other tag is left out alike
const OTHER: Entry = { _tag: "Other" }

/**
 * The folder walked by hand rather than by `readDirectory({ recursive })`, which follows links into loops:
 * each folder is visited once, by its real path; a link to a folder above it (a loop) or to one already
 * visited, and a link to nothing or to itself, becomes a skipped source rather than a failure of the whole
 * folder.
 *
 * @internal
 */
export const readFolder = (
  folder: string,
  options: TrainingSet.FolderOptions = {}
): Effect.Effect<Array<TrainingSet.ImageSource>, ImageSourceError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const info = yield* Effect.mapError(fs.stat(folder), (error) => sourceError(folder, error))
    if (info.type !== "Directory") return yield* new ImageSourceError({ path: folder, reason: "not a folder" })
    const recursive = options.recursive === true
    // Hidden entries never reach the globs (the walk leaves them out), so picomatch's `dot` does not matter.
    const included = options.include === undefined || options.include.length === 0
      ? () => true
      : picomatch([...options.include], { windows: false })
    // An empty list excludes nothing, as no list does: picomatch of no pattern matches nothing.
    // Stryker disable ArrowFunction: equivalent, `excluded` is only read negated, where `undefined` is false too
    const excluded = options.exclude === undefined
      ? () => false
      : picomatch([...options.exclude], { windows: false })
    // Stryker restore ArrowFunction

    // A stat follows links: one that fails on an entry that is a link means a link to nothing (NotFound)
    // or a loop of links (ELOOP); on anything else it is a failure of the folder, as before.
    const entryOf = (full: string): Effect.Effect<Entry, ImageSourceError> =>
      Effect.matchEffect(fs.stat(full), {
        onFailure: (error) =>
          Effect.matchEffect(fs.readLink(full), {
            onFailure: () => Effect.fail(sourceError(full, error)),
            onSuccess: () =>
              Effect.succeed<Entry>({
                _tag: "BrokenLink",
                reason: brokenLinkReason(reasonOf(error))
              })
          }),
        onSuccess: (stat) =>
          stat.type === "File"
            ? Effect.succeed<Entry>({ _tag: "File" })
            : stat.type === "Directory" && recursive
            ? Effect.map(
              Effect.mapError(fs.realPath(full), (error) => sourceError(full, error)),
              (realPath): Entry => ({ _tag: "Folder", realPath })
            )
            : Effect.succeed(OTHER)
      })

    const sources: Array<TrainingSet.ImageSource> = []
    const visited = new Set<string>()
    const walk = (
      dir: string,
      prefix: string,
      ancestors: ReadonlySet<string>
    ): Effect.Effect<void, ImageSourceError> =>
      Effect.gen(function*() {
        const names = yield* Effect.mapError(fs.readDirectory(dir), (error) => sourceError(dir, error))
        const entries = yield* Effect.forEach(
          // Hidden entries are always left out, and hidden folders not entered.
          names.filter((entry) => !entry.startsWith(".")).sort(),
          (entry) => {
            const full = path.join(dir, entry)
            return Effect.map(entryOf(full), (kind) => ({ name: `${prefix}${entry}`, full, kind }))
          },
          // Stryker disable next-line ObjectLiteral: how many stats run at once; `forEach` keeps the order either way
          { concurrency: 16 }
        )
        for (const { full, kind, name } of entries) {
          switch (kind._tag) {
            case "File":
              if (included(name) && !excluded(name)) sources.push(fileSource(fs, name, full))
              break
            case "BrokenLink":
              if (included(name) && !excluded(name)) sources.push(skippedSource(name, full, kind.reason))
              break
            case "Folder":
              // Every ancestor has been visited: a loop is also a folder already visited.
              if (visited.has(kind.realPath)) {
                // `exclude` names files; a folder left out by it (`x/**` matches `x`) is not worth a warning.
                if (!excluded(name)) {
                  sources.push(
                    skippedSource(name, full, ancestors.has(kind.realPath) ? "link-loop" : "already-listed")
                  )
                }
                break
              }
              visited.add(kind.realPath)
              yield* walk(full, `${name}/`, new Set([...ancestors, kind.realPath]))
              break
          }
        }
      })
    const root = yield* Effect.mapError(fs.realPath(folder), (error) => sourceError(folder, error))
    visited.add(root)
    yield* walk(folder, "", new Set([root]))
    return sources.sort(byName)
  })

/** @internal */
export const readFiles = (
  paths: ReadonlyArray<string>
): Effect.Effect<Array<TrainingSet.ImageSource>, ImageSourceError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    return yield* Effect.forEach(paths, (file) =>
      Effect.gen(function*() {
        const info = yield* Effect.mapError(fs.stat(file), (error) => sourceError(file, error))
        if (info.type !== "File") return yield* new ImageSourceError({ path: file, reason: "not a file" })
        return fileSource(fs, path.basename(file), file)
      }))
  })

/**
 * The files of a pulled training set, on disk, for the pull suites of both lines: a temporary root, a folder
 * written from named images, its files listed, its pairs and state files read back, and an image as the data
 * URL a seeded model holds. The runners bind them to their line's `TrainingSet` (its types and the names of
 * the pairs and state files); nothing here knows Effect.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import { tempFolder } from "./trainingSetFolders.js"

/** A new empty folder under the system's temporary one. */
export const tempRoot = (prefix = "training-pull-"): string => tempFolder(prefix)

/** `folder` (made if missing) holding each image under its name. */
export const writeFolder = (
  folder: string,
  images: ReadonlyArray<{ readonly name: string; readonly bytes: Uint8Array }>
): void => {
  Fs.mkdirSync(folder, { recursive: true })
  for (const { bytes, name } of images) Fs.writeFileSync(Path.join(folder, name), bytes)
}

/** The names in `folder`, hidden files left out, sorted. */
export const filesOf = (folder: string): Array<string> =>
  Fs.readdirSync(folder).filter((name) => !name.startsWith(".")).sort()

/** The JSON file `file` in `folder` (a pull's pairs or state file), parsed. */
export const readJson = <A>(folder: string, file: string): A =>
  JSON.parse(Fs.readFileSync(Path.join(folder, file), "utf8"))

/** A PNG's bytes as a data URL. */
export const dataUrl = (bytes: Uint8Array): string => `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`

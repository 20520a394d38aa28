import { TrainingSet } from "@effect-scenario/core"
import { NodeContext } from "@effect/platform-node"
import { assert, describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"

const makeFolder = () => {
  const root = Fs.mkdtempSync(Path.join(Os.tmpdir(), "training-set-"))
  const write = (name: string, bytes: Uint8Array) => {
    Fs.mkdirSync(Path.dirname(Path.join(root, name)), { recursive: true })
    Fs.writeFileSync(Path.join(root, name), bytes)
  }
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1])
  write("b.png", png)
  write("a.jpg", new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))
  write("sub/c.png", png)
  write("sub/deeper/d.png", png)
  write(".hidden.png", png)
  write("notes.txt", new TextEncoder().encode("hello"))
  return root
}

describe("TrainingSet.readFolder", () => {
  it.effect("lists files sorted by name, without reading them; recursion and globs on demand", () =>
    Effect.gen(function*() {
      const root = makeFolder()
      const flat = yield* TrainingSet.readFolder(root)
      expect(flat.map((source) => source.name)).toEqual(["a.jpg", "b.png", "notes.txt"])
      const deep = yield* TrainingSet.readFolder(root, { recursive: true, include: ["**/*.png"] })
      expect(deep.map((source) => source.name)).toEqual(["b.png", "sub/c.png", "sub/deeper/d.png"])
      const pruned = yield* TrainingSet.readFolder(root, { recursive: true, exclude: ["sub/deeper/**", "*.txt"] })
      expect(pruned.map((source) => source.name)).toEqual(["a.jpg", "b.png", "sub/c.png"])
      // Read when asked: a file removed after the listing fails its own read.
      Fs.rmSync(Path.join(root, "b.png"))
      const error = yield* Effect.flip(flat[1]!.read)
      expect(error._tag).toBe("ImageSourceError")
      expect(error.message).toContain("b.png")
      expect([...(yield* flat[0]!.read)]).toEqual([0xff, 0xd8, 0xff, 0xe0])
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("a missing folder, or a file given as folder, is an ImageSourceError naming it", () =>
    Effect.gen(function*() {
      const root = makeFolder()
      const missing = yield* Effect.flip(TrainingSet.readFolder(Path.join(root, "nope")))
      assert(missing._tag === "ImageSourceError")
      expect(missing.message).toBe(`${Path.join(root, "nope")}: no such file or folder`)
      const notFolder = yield* Effect.flip(TrainingSet.readFolder(Path.join(root, "b.png")))
      expect(notFolder.reason).toBe("not a folder")
      const files = yield* TrainingSet.readFiles([Path.join(root, "sub", "c.png")])
      expect(files.map((source) => source.name)).toEqual(["c.png"])
      Fs.rmSync(root, { recursive: true })
    }).pipe(Effect.provide(NodeContext.layer)))
})

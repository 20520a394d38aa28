/**
 * Generated folders of images for the soak, the cost measurement and the demo: PNG signatures followed by
 * seeded pseudo-random bytes (the media type is sniffed from the signature; the API never decodes pixels
 * here), so that a run is reproducible.
 */
import * as Fs from "node:fs"
import * as Path from "node:path"

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** A small xorshift generator: the same seed gives the same bytes. */
export const random = (seed: number) => {
  let state = (seed | 0) || 0x9e3779b9
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 0x1_0000_0000
  }
}

export const imageBytes = (size: number, next: () => number): Uint8Array => {
  const bytes = new Uint8Array(Math.max(size, PNG_SIGNATURE.length))
  bytes.set(PNG_SIGNATURE)
  for (let i = PNG_SIGNATURE.length; i < bytes.length; i++) bytes[i] = (next() * 256) | 0
  return bytes
}

export const imageName = (index: number) => `image-${String(index).padStart(5, "0")}.png`

/** Writes `count` images of `size(i)` bytes into `folder` (created if need be) and returns their names. */
export const writeFolder = (
  folder: string,
  count: number,
  options: { readonly seed?: number; readonly size?: (index: number) => number } = {}
): Array<string> => {
  Fs.mkdirSync(folder, { recursive: true })
  const next = random(options.seed ?? 1)
  const names: Array<string> = []
  for (let i = 0; i < count; i++) {
    const name = imageName(i)
    Fs.writeFileSync(Path.join(folder, name), imageBytes(options.size?.(i) ?? 256 + ((next() * 1792) | 0), next))
    names.push(name)
  }
  return names
}

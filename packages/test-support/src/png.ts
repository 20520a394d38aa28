/** PNG images built in memory, for the inspector and training-set tests of both lines. */
import * as Zlib from "node:zlib"

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

const crc32 = (bytes: Buffer): number => {
  let crc = 0xffffffff
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

const chunk = (type: string, data: Buffer): Buffer => {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, "ascii"), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/**
 * A `size`×`size` RGB PNG as a data URL: a diagonal gradient between two colours, with a square in the
 * middle, so that two test images are told apart at a glance in a screenshot.
 */
export const pngDataUrl = (
  size: number,
  from: readonly [number, number, number],
  to: readonly [number, number, number]
): string => {
  const rows: Array<Buffer> = []
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3)
    for (let x = 0; x < size; x++) {
      const t = (x + y) / (2 * (size - 1))
      const inner = Math.abs(x - size / 2) < size / 6 && Math.abs(y - size / 2) < size / 6
      for (let c = 0; c < 3; c++) row[1 + x * 3 + c] = inner ? 255 : Math.round(from[c]! + (to[c]! - from[c]!) * t)
    }
    rows.push(row)
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // RGB
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", Zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0))
  ])
  return `data:image/png;base64,${png.toString("base64")}`
}

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/** A PNG signature followed by `size - 8` bytes derived from `seed`: a distinct image for each seed. */
export const png = (seed: number, size = 32): Uint8Array => {
  const bytes = new Uint8Array(size)
  bytes.set(PNG_SIGNATURE)
  for (let i = PNG_SIGNATURE.length; i < size; i++) bytes[i] = (seed * 31 + i * 7) & 0xff
  return bytes
}

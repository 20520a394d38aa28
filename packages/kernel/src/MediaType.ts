/**
 * An image's media type from its first bytes (its signature), whatever its file name says.
 *
 * @since 0.1.0
 */

/**
 * The media types recognised: PNG, JPEG, WebP and GIF.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageMediaType = "image/png" | "image/jpeg" | "image/webp" | "image/gif"

// Past the end a byte reads `undefined`, which equals no byte of a signature: a short head needs no length check.
const startsWith = (bytes: Uint8Array, signature: ReadonlyArray<number>, offset = 0): boolean => {
  for (let i = 0; i < signature.length; i++) if (bytes[offset + i] !== signature[i]) return false
  return true
}

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const JPEG = [0xff, 0xd8, 0xff]
const RIFF = [0x52, 0x49, 0x46, 0x46]
const WEBP = [0x57, 0x45, 0x42, 0x50]
const GIF87A = [0x47, 0x49, 0x46, 0x38, 0x37, 0x61]
const GIF89A = [0x47, 0x49, 0x46, 0x38, 0x39, 0x61]

/**
 * How many first bytes `sniff` reads at most: a caller that reads a file's head to sniff it needs no more.
 *
 * @since 0.1.0
 * @category constants
 */
export const SIGNATURE_BYTES = 12

/**
 * The media type from the signature bytes, or `undefined` when they are none of PNG, JPEG, WebP or GIF.
 *
 * @since 0.1.0
 * @category sniffing
 */
export const sniff = (bytes: Uint8Array): ImageMediaType | undefined => {
  if (startsWith(bytes, PNG)) return "image/png"
  if (startsWith(bytes, JPEG)) return "image/jpeg"
  if (startsWith(bytes, RIFF) && startsWith(bytes, WEBP, 8)) return "image/webp"
  if (startsWith(bytes, GIF87A) || startsWith(bytes, GIF89A)) return "image/gif"
  return undefined
}

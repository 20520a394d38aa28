import { base64Length } from "./requestBody.js"

// Base64 of image bytes, platform-neutral (no Buffer). `Encoding.encodeBase64` from effect builds its result
// one character at a time: about 0.4 s per MB, and a string of as many pieces as characters until it is
// flattened. Images are megabytes, so this one writes the ASCII into bytes, two characters per table lookup,
// and decodes them once; its output is `Encoding.encodeBase64`'s (a test checks it).

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const CODES = Uint8Array.from(ALPHABET, (char) => char.charCodeAt(0))
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

// Every 12-bit value → its two characters, laid out so that one 16-bit store writes them in order.
const PAIRS = new Uint16Array(4096)
for (let i = 0; i < 4096; i++) {
  const first = CODES[i >> 6]!
  const second = CODES[i & 63]!
  PAIRS[i] = LITTLE_ENDIAN ? first | (second << 8) : (first << 8) | second
}

const ascii = new TextDecoder("latin1")

const EQUALS = 61

/** @internal */
export const encodeBase64 = (bytes: Uint8Array): string => {
  const length = bytes.length
  const whole = length - (length % 3)
  const out = new Uint8Array(base64Length(length))
  const pairs = new Uint16Array(out.buffer, 0, out.length >> 1)
  let o = 0
  for (let i = 0; i < whole; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    pairs[o++] = PAIRS[triple >> 12]!
    pairs[o++] = PAIRS[triple & 4095]!
  }
  let j = o * 2
  if (length - whole === 1) {
    const byte = bytes[whole]!
    out[j++] = CODES[byte >> 2]!
    out[j++] = CODES[(byte & 3) << 4]!
    out[j++] = EQUALS
    out[j++] = EQUALS
  } else if (length - whole === 2) {
    const double = (bytes[whole]! << 8) | bytes[whole + 1]!
    out[j++] = CODES[double >> 10]!
    out[j++] = CODES[(double >> 4) & 63]!
    out[j++] = CODES[(double & 15) << 2]!
    out[j++] = EQUALS
  }
  return ascii.decode(out)
}

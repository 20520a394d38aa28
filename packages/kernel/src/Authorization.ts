/**
 * The value of the `Authorization` header, from plain strings: `Basic` with the Base64 of `apiKey:apiSecret`
 * (its UTF-8 bytes), or `Bearer` with a token. A binding keeps the secrets wrapped (redacted) and unwraps them
 * only to call these, at the last moment.
 *
 * @since 0.1.0
 */
import { encode } from "./Base64.js"

const utf8 = new TextEncoder()

/**
 * `Basic base64(apiKey:apiSecret)`, the Base64 (RFC 4648, with padding) of the pair's UTF-8 bytes.
 *
 * @since 0.1.0
 * @category headers
 */
export const basic = (apiKey: string, apiSecret: string): string =>
  `Basic ${encode(utf8.encode(`${apiKey}:${apiSecret}`))}`

/**
 * `Bearer <token>`.
 *
 * @since 0.1.0
 * @category headers
 */
export const bearer = (token: string): string => `Bearer ${token}`

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

// RFC 7235 token68: what a bearer token may hold to travel in a header unaltered.
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/

// Control characters (CR and LF among them) in an API key or secret: a copy-paste or file-read mistake that
// the server would answer with 401, and that no header may hold.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/

/**
 * The problem with a bearer token that cannot travel in the header unaltered (not an RFC 7235 token68), if any;
 * the message never quotes the value.
 *
 * @since 0.1.0
 * @category rules
 */
export const bearerTokenProblem = (token: string): string | undefined =>
  TOKEN68.test(token)
    ? undefined
    : "The bearer token must be a token68 (letters, digits, - . _ ~ + / then optional =): it holds another " +
      "character (a space, a line break, a non-ASCII character?)"

/**
 * The problem with an API key or secret holding a control character (a line break, say), if any; the message
 * names the field, never the value.
 *
 * @since 0.1.0
 * @category rules
 */
export const basicFieldProblem = (field: string, value: string): string | undefined =>
  CONTROL.test(value) ? `The ${field} holds a control character (a line break?): check how it was read` : undefined

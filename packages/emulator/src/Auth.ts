/**
 * Which `Authorization` headers an emulator accepts: HTTP Basic with its API key and secret, or a Bearer token,
 * compared in time independent of where they differ.
 *
 * @since 0.1.0
 */

/**
 * The credentials an emulator accepts.
 *
 * @since 0.1.0
 * @category models
 */
export interface Accepted {
  readonly apiKey: string
  readonly apiSecret: string
  readonly bearerToken: string
}

/**
 * Whether two strings are equal, every character compared whatever the first difference: a habit worth
 * keeping even in an emulator.
 *
 * @since 0.1.0
 * @category rules
 */
export const timingSafeEqual = (a: string, b: string): boolean => {
  let difference = a.length ^ b.length
  // Stryker disable next-line EqualityOperator,MethodExpression: equivalent, past the end charCodeAt gives NaN, read as 0 on both sides; and strings of different lengths already differ by their lengths
  for (let i = 0; i < Math.max(a.length, b.length); i++) difference |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0)
  return difference === 0
}

/**
 * The check of a request's `Authorization` header (schemes in any case, Basic decoded as UTF-8).
 *
 * @example
 * ```ts
 * import { Auth } from "@effect-scenario/emulator"
 *
 * const authenticates = Auth.authenticator({ apiKey: "key", apiSecret: "secret", bearerToken: "token" })
 * authenticates("Bearer token") // true
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const authenticator = (accepted: Accepted): (header: string | undefined) => boolean => {
  const basic = `${accepted.apiKey}:${accepted.apiSecret}`
  return (header) => {
    // Stryker disable next-line ConditionalExpression: equivalent, undefined read as text by the pattern below has no space: no match, false either way
    if (header === undefined) return false
    const match = /^(\S+) +(\S+)\s*$/.exec(header)
    if (match === null) return false
    const scheme = match[1]!.toLowerCase()
    if (scheme === "bearer") return timingSafeEqual(match[2]!, accepted.bearerToken)
    if (scheme !== "basic") return false
    return timingSafeEqual(Buffer.from(match[2]!, "base64").toString("utf8"), basic)
  }
}

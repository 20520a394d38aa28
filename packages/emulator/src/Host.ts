/**
 * Which requests an emulator on loopback answers: only those sent to a loopback name (`localhost`,
 * `127.x.x.x`, `[::1]`, with its own port or none), so that a page on another site cannot reach it through a
 * host name of its own that resolves to 127.0.0.1 (DNS rebinding); and which control requests come from the
 * inspector's own page. One rule for the API and the inspector alike.
 *
 * @since 0.1.0
 */

/**
 * Whether an address to listen on is loopback only.
 *
 * @since 0.1.0
 * @category rules
 */
export const isLoopbackAddress = (host: string): boolean =>
  host === "localhost" || host === "::1" || /^127(?:\.\d{1,3}){3}$/.test(host)

const LOOPBACK_HOST = /^(localhost|127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})|\[::1\])(?::(\d{1,5}))?$/i

/**
 * Whether a `Host` header names loopback, with the server's `port` or none.
 *
 * @since 0.1.0
 * @category rules
 */
export const isLoopbackHostHeader = (hostHeader: string | undefined, port: number): boolean => {
  // Stryker disable next-line ConditionalExpression: equivalent, undefined read as text by the pattern is "undefined": no match either way
  const match = hostHeader === undefined ? null : LOOPBACK_HOST.exec(hostHeader)
  if (match === null) return false
  // Stryker disable next-line ConditionalExpression: equivalent, the octets are undefined only for localhost and [::1], and Number(undefined) is NaN, never over 255
  if (match.slice(2, 5).some((octet) => octet !== undefined && Number(octet) > 255)) return false
  return match[5] === undefined || Number(match[5]) === port
}

/**
 * The body of the 403 that answers another host name on a loopback bind.
 *
 * @since 0.1.0
 * @category answers
 */
export const hostRefusal = (hostHeader: string | undefined): { readonly message: string } => ({
  message: "The emulator listens on loopback and answers loopback host names only (localhost, 127.x.x.x, [::1]), " +
    `not ${hostHeader === undefined ? "a request without a Host header" : hostHeader.slice(0, 256)}`
})

/**
 * A control request changes state: it must come from the page itself. A JSON body cannot be sent across sites
 * without a CORS preflight (which the emulator never grants), and a browser's `Origin`, when sent, must be the
 * page's own (which a request without a `Host` header has none of).
 *
 * @since 0.1.0
 * @category rules
 */
export const isSameOriginWrite = (headers: {
  readonly host?: string | undefined
  readonly origin?: string | undefined
  readonly "content-type"?: string | undefined
}): boolean =>
  // Stryker disable next-line StringLiteral: equivalent, a request without a content type is refused whatever text stands for it
  /^application\/json\b/i.test(headers["content-type"] ?? "") &&
  (headers.origin === undefined || (headers.host !== undefined && headers.origin === `http://${headers.host}`))

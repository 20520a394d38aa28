/**
 * Where an HTTP transport sends a request: the origin and the path (with its query) of its URL. Parsing a URL
 * costs about as much as a tenth of a small request's whole client path, and the URLs the clients build have a
 * plain form whose parts can be read off the string: for those the parse is skipped. Anything else (a query, a
 * fragment, a character the URL parser would escape or drop, a dot segment it would resolve, an unusual
 * scheme) is left to the URL parser. Shared by the Node transports of both Effect lines.
 *
 * @since 0.1.0
 */

/**
 * What the transport is given.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly origin: string
  readonly path: string
}

// The scheme and the authority, up to the path, of characters that mean the same alone as within the URL (a
// URL parser would strip a control character or a space at the end of the head alone, not in the middle of
// the URL). Whatever follows must then be a plain path.
const HEAD = /^https?:\/\/[A-Za-z0-9\-._~!$&'()*+,;=:@%[\]]*/

// Characters a URL parser leaves as they are in a path (`%` included: it does not check escapes). Tabs and
// newlines (which it drops), spaces, quotes, `^`, `|`, braces, backslashes and non-ASCII (which it escapes
// or changes) are not among them, nor "?" and "#", which end the path.
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/

// A segment starting with "." or its escape may be a dot segment, which a URL parser resolves.
const DOT_SEGMENT = /\/(?:\.|%2e)/i

// The origins of the heads seen, parsed once each: `null` for a head that does not parse. The number of
// servers a client talks to is small; the bound keeps a caller with endless hosts from growing it.
const MAX_ORIGINS = 64
const origins = new Map<string, string | null>()

const originOf = (head: string): string | null => {
  let origin = origins.get(head)
  if (origin === undefined) {
    try {
      origin = new URL(head).origin
    } catch {
      origin = null
    }
    if (origins.size >= MAX_ORIGINS) origins.clear()
    origins.set(head, origin)
  }
  return origin
}

/**
 * The target of `url` read off the string, or `undefined` when it is not of the plain form.
 *
 * @since 0.1.0
 * @category constructors
 */
export const plainTarget = (url: string): Target | undefined => {
  const head = HEAD.exec(url)
  if (head === null) return undefined
  const path = url.slice(head[0].length)
  // The head took every character of its class, and all but "/" of a plain path's are in it: a plain path is
  // empty or starts with "/".
  if (!PLAIN_PATH.test(path) || DOT_SEGMENT.test(path)) return undefined
  // An http(s) URL's origin is never opaque ("null"): `null` is a head that does not parse.
  const origin = originOf(head[0])
  if (origin === null) return undefined
  // "http://h" and "http://h/" both ask for "/".
  return { origin, path: path === "" ? "/" : path }
}

/**
 * The target of a parsed URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const targetOf = (url: URL): Target => ({ origin: url.origin, path: url.pathname + url.search })

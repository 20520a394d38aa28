/**
 * How each Effect line's in-memory fake words the wire it does not have, so that both answer alike: the base
 * URL its errors name, the request id of its n-th request, the headers of its answers, and the cause of a
 * connection an injected drop cut.
 *
 * @since 0.1.0
 */

/**
 * The base URL the fake's errors and spans name unless told otherwise.
 *
 * @since 0.1.0
 * @category constants
 */
export const DEFAULT_BASE_URL = "https://api.scenario.test/v1"

/**
 * A base URL as the fake names it: without its trailing `/` (the fake checks nothing else: it sends nothing).
 *
 * @since 0.1.0
 * @category encoding
 */
export const baseUrlOf = (raw: string): string => raw.endsWith("/") ? raw.slice(0, -1) : raw

/**
 * The request id of the fake's `count`-th request (from 1): `req_test_1`, `req_test_2`, ...
 *
 * @since 0.1.0
 * @category encoding
 */
export const requestId = (count: number): string => `req_test_${count}`

/**
 * The headers of an answer of the fake: a JSON body, its request id, and those a fault adds (its wait).
 *
 * @since 0.1.0
 * @category encoding
 */
export const headers = (
  requestId: string,
  extra: Readonly<Record<string, string>> = {}
): Record<string, string> => ({ "content-type": "application/json", "x-request-id": requestId, ...extra })

/**
 * The cause of a connection an injected drop fault cut, as a transport would report it.
 *
 * @since 0.1.0
 * @category constructors
 */
export const droppedConnection = (): Error =>
  new Error("socket hang up: the connection was dropped by an injected fault")

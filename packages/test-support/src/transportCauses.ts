/**
 * The causes a transport fails with, as Node, undici and fetch raise them, for both lines' client suites
 * (`test/ClientBoundaries.test.ts`): the refusals of a request before it is sent (each with the code the
 * client must name), the failures that may have reached the server, and the refusals of a response header.
 */
import * as Http from "node:http"

/** An Error with a system error code, and a cause if given. */
export const coded = (code: string, cause?: unknown): Error =>
  Object.assign(new Error(`${code} on purpose`), { code }, cause === undefined ? {} : { cause })

/** What `f` throws. */
export const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (error) {
    return error
  }
  throw new Error("nothing thrown")
}

/** Each refusal of undici, node:http and fetch (its header values hold `s3cr3t`), and the code it must be named by. */
export const refusals = (): ReadonlyArray<readonly [unknown, string]> => [
  // undici's InvalidArgumentError is an Error, not a TypeError.
  [
    Object.assign(new Error("invalid authorization header"), {
      name: "InvalidArgumentError",
      code: "UND_ERR_INVALID_ARG"
    }),
    "UND_ERR_INVALID_ARG"
  ],
  // "Header name must be a valid HTTP token": also the wording fetch's refusals are recognised by.
  [thrown(() => Http.validateHeaderName("x y")), "ERR_INVALID_HTTP_TOKEN"],
  // A header given as undefined.
  [thrown(() => Http.validateHeaderValue("x", undefined as unknown as string)), "ERR_HTTP_INVALID_HEADER_VALUE"],
  [thrown(() => Http.validateHeaderValue("x", "s3cr3t\r\n")), "ERR_INVALID_CHAR"],
  [
    Object.assign(new TypeError("The argument 'headers' is invalid. Received [ 's3cr3t' ]"), {
      code: "ERR_INVALID_ARG_VALUE"
    }),
    "ERR_INVALID_ARG_VALUE"
  ],
  [thrown(() => new Headers({ x: "s3\ncr3t" })), "TypeError"],
  [thrown(() => new Headers({ "s3cr3t x": "y" })), "TypeError"]
]

/** Failures that may have reached the server. */
export const mayHaveBeenSent = (): ReadonlyArray<unknown> => {
  // The response's head did not parse: the request was written.
  const parseError = Object.assign(new Error("Parse Error: Invalid header value char"), {
    code: "HPE_INVALID_HEADER_TOKEN"
  })
  return [
    undefined,
    null,
    "socket hang up",
    parseError,
    // A TypeError with a cause is fetch's network failure, whatever its message says.
    new TypeError("fetch failed: invalid header value in the response", { cause: parseError }),
    // A browser's fetch fails a network error with a bare TypeError.
    new TypeError("Failed to fetch")
  ]
}

/** Refusals of a response header fetch (or node:http) will not take: raised while reading the response. */
export const responseRefusals = (): ReadonlyArray<unknown> => [
  thrown(() => new Headers({ x: "a\nb" })),
  thrown(() => Http.validateHeaderValue("x", "a\nb"))
]

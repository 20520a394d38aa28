/**
 * The HTTP client at its boundaries, as plain data for both lines: the base URLs refused and kept, the system
 * error codes that mean "surely not sent", the per-call `maxResponseBytes` refused and accepted, and the image
 * bodies around the 64 KiB switch from text to bytes, and what a transport that keeps the time itself is
 * handed. Each line's `test/ClientBoundaries.test.ts` runs these
 * through its own service over its own `HttpClient`; the causes a transport fails with (Node's and fetch's
 * own errors) are in test-support's `transportCauses.ts`.
 */

/** Credentials in any part of the userinfo: refused, and not echoed (`secrets`). */
export const baseUrlsWithCredentials = [
  "https://token@api.example.test/v1",
  "https://:s3cret@api.example.test/v1",
  "https://user:s3cret@api.example.test/v1",
  "http://token@127.0.0.1:8080/v1"
] as const
export const secrets = ["s3cret", "token"] as const

/** A query or a fragment, even empty (every path appended would go into it): refused. */
export const baseUrlsWithQueryOrFragment = [
  "https://api.example.test/v1#fragment",
  "https://api.example.test/v1?key=value",
  "https://api.example.test/v1?#",
  "https://api.example.test/v1#",
  "https://api.example.test/v1?",
  "https://api.example.test/#"
] as const

/** Not an http(s) URL: refused. */
export const baseUrlsNotHttp = ["not a url", "ftp://api.example.test/v1", "file:///v1"] as const

/** `?` and `#` escaped: they belong to the path. */
export const baseUrlEscaped = "https://api.example.test/v1%3F%23"

/** Hosts that only start or end like a loopback one; `loopbackItself` is 127.0.0.1 (the URL drops the dot). */
export const lookalikeHosts = ["127.0.0.1.example.test", "127.0.0.1.", "localhost.example.test", "127.0.0.1x.test"]
export const loopbackItself = "127.0.0.1."

/** No host can end in 127.0.0.1 without being it: a last label of digits makes the whole host an IPv4. */
export const notIpv4Hosts = ["a127.0.0.1", "a.127.0.0.1", "x-127.0.0.1"] as const

/** A base URL with and without its final slash, and the URL of a delete under it. */
export const baseUrlsWithAndWithoutSlash = ["https://api.example.test/v1/", "https://api.example.test/v1"] as const
export const deleteUrl = "https://api.example.test/v1/models/m/training-images/t"

/** The system error codes of a failure that sent nothing: `add` is retried after them. */
export const notSentCodes = [
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EADDRNOTAVAIL",
  "UND_ERR_CONNECT_TIMEOUT",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE"
] as const

/** A per-call `maxResponseBytes` that is not a whole number of bytes above 0, and its one issue. */
export const badMaxResponseBytes = [0, -1, 1.5, -1.5, Number.NaN, Infinity, 2 ** 53] as const
export const badMaxResponseBytesIssues = [{
  path: ["maxResponseBytes"],
  message: "Expected a whole number of bytes above 0"
}]
/** The smallest and the largest accepted. */
export const goodMaxResponseBytes = [1, Number.MAX_SAFE_INTEGER] as const

/** The one issue of a request the transport refused before sending it. */
export const refusedIssues = (code: string) => [{
  path: [],
  message: `the transport refused the request before sending it (${code})`
}]

/** Where an image body turns from text (`Raw`) to bytes (`Uint8Array`). */
export const BYTES_FROM = 64 * 1024

/** The lengths of data URL tried around the switch, and the other fields sent beside it. */
export const bodyLengths = [BYTES_FROM - 2, BYTES_FROM - 1, BYTES_FROM, BYTES_FROM + 1, 256 * 1024] as const
export const bodyExtras = [{}, { name: "a.png" }, { name: "a.png", preset: "style" as const }] as const

/** A data URL of exactly `length` characters: the media type's length makes up for the payload's multiple of 4. */
export const dataUrlOfLength = (length: number) => {
  const header = `data:image/${"x".repeat(((length - 19) % 4) || 4)};base64,`
  return header + "A".repeat(length - header.length - 4) + "AA=="
}

/**
 * A transport that keeps the time and counts the body itself (the `executeWithTimeout` entry point): the
 * model it answers `list` with, the layer's own and a call's response limit it must be handed, and a body
 * padded past the limit it was given, which it delivered anyway (and so is taken as read, not counted again).
 */
export const timedTransport = {
  model: JSON.stringify({ model: { id: "m", status: "new", trainingImagesNumber: 0 } }),
  modelId: "m",
  layerLimit: 5000,
  callLimit: 77,
  trusted: { limit: 100, padding: 200 },
  /** The credentials of the stubs (`key_123:secret_456`), as written on the wire. */
  secretHeaders: { authorization: `Basic ${btoa("key_123:secret_456")}` },
  /** The headers the request errors and spans keep carries (and `authorization` not among them). */
  keptHeaders: { accept: "application/json" }
} as const

/**
 * Request options set for a whole program by a Layer (`layer`), then overridden twice (`nested`, outermost
 * first): they merge, the innermost winning. `bodyOfSize` gives an `add` of inline data whose JSON body has
 * exactly `size` bytes; `sizes` are tried under the layer alone, `mergedSize` under the merged options.
 */
export const layeredOptions = {
  layer: { maxRequestBytes: 1000 },
  sizes: [[1001, "Failure"], [1000, "Success"]],
  nested: [{ timeout: "5 seconds", maxRequestBytes: 1 }, { maxRequestBytes: 2000 }],
  merged: { timeout: "5 seconds", maxRequestBytes: 2000 },
  mergedSize: 1500,
  /** Every call made: one per `Success`. */
  sent: 2,
  bodyOfSize: (size: number) => ({
    modelId: "m",
    data: `data:image/png;base64,${
      "A".repeat(size - "{\"data\":\"data:image/png;base64,\",\"name\":\"a.png\"}".length)
    }`,
    name: "a.png"
  })
} as const

/**
 * The client's configuration, as plain data for both lines: the environment `layerConfig` reads, the base URLs
 * and credentials `make` refuses or accepts, and the path and message of each refusal. Each line's
 * `test/layerConfig.test.ts` builds its own layer over its stub; the ConfigError's shape differs between the
 * lines and stays in the runners.
 */

/** A full environment: key, secret and a base URL on loopback; the URL of a delete under it and the header. */
export const fullEnv = {
  SCENARIO_SDK_API_KEY: "env_key",
  SCENARIO_SDK_API_SECRET: "env_secret",
  SCENARIO_SDK_BASE_URL: "http://127.0.0.1:4010/v1"
}
export const fullEnvDeleteUrl = "http://127.0.0.1:4010/v1/models/m/training-images/t"
export const fullEnvAuthorization = `Basic ${btoa("env_key:env_secret")}`

/** Plain http to another host: refused unless opted in, naming the variable. */
export const insecureEnv = {
  SCENARIO_SDK_API_KEY: "k",
  SCENARIO_SDK_API_SECRET: "s",
  SCENARIO_SDK_BASE_URL: "http://api.example/v1"
}
export const insecureDeleteUrl = "http://api.example/v1/models/m/training-images/t"

/** Base URLs `make` refuses (never quoting the userinfo, `pass@`), and those it accepts. */
export const refusedBaseUrls = [
  "not a url",
  "ftp://api.example/v1",
  "https://user:pass@api.example/v1",
  "https://api.example/v1?x=1",
  "http://10.0.0.1/v1"
] as const
export const acceptedBaseUrls = [
  "https://api.example/v1",
  "http://127.0.0.1:1234",
  "http://localhost:80/v1",
  "http://[::1]:9/v1"
] as const
export const optedInBaseUrl = "http://api.example/v1"

/** A refusal never quotes the value: every refused secret below holds this. */
export const SECRET_MARK = "zq9A"

/** Bearer tokens that are not a token68, their message, and one that is. */
export const badTokens = ["zq9A B", "zq9A\n", "zq9Aé", "=zq9A"] as const
export const BAD_TOKEN_MESSAGE = "The bearer token must be a token68 (letters, digits, - . _ ~ + / then optional =): " +
  "it holds another character (a space, a line break, a non-ASCII character?)"
export const goodToken = "zq9A-._~+/=="

/** An API key or secret holding a control character: the key, the secret, the field named; and a pair accepted. */
export const controlCharacters = [
  ["zq9A\n", "s", "apiKey"],
  ["k", "zq9A\u007f", "apiSecret"],
  ["zq9A\u0000", "zq9A\r", "apiKey"]
] as const
export const controlCharacterMessage = (field: string) =>
  `The ${field} holds a control character (a line break?): check how it was read`
export const acceptedBasic = ["k é", "s\u0080"] as const

/** A maxResponseBytes that is not a whole number of bytes above 0, its refusal, and the smallest accepted. */
export const badMaxResponseBytes = [0, -1, 1.5, Number.NaN, Infinity, 2 ** 53] as const
export const badMaxResponseBytesRefusal = {
  path: ["maxResponseBytes"],
  message: "Expected a whole number of bytes above 0"
}

/**
 * The Node transport's exchanges with a node:http server, as plain data for both lines: the requests the
 * service sends and the answers it decodes, the errors its failures become, the spans it makes, the layers'
 * environment. The server's answers are test-support's (`recordingServer.ts`, `httpAnswers.ts`). The
 * runners: `packages/platform-node/test/NodeTrainingImages.test.ts` (Effect 3) and
 * `packages/effect4/test/node/NodeTrainingImages.test.ts`.
 */

export const API_KEY = "key_1"
export const API_SECRET = "secret_1"
export const BASIC = `Basic ${btoa(`${API_KEY}:${API_SECRET}`)}`
export const BEARER = "token_1"

export const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVQYV2NgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII="

export const MODEL = { model: { id: "model_1", status: "new", trainingImagesNumber: 0 } }

/** A replace as the API documents it: the params, and the request they make. */
export const REPLACE = {
  params: { modelId: "model_1", trainingImageId: "asset_2", data: PNG, name: "cat.png", originalAssets: true },
  method: "PUT",
  url: "/v1/models/model_1/training-images/asset_2?originalAssets=true",
  contentType: "application/json",
  body: { data: PNG, name: "cat.png" }
}

/** An add of several megabytes: its params, but for the data. */
export const BIG_ADD = { size: 3 * 1024 * 1024, name: "big.jpg", preset: "style" } as const

/** A 404 and what its error keeps. */
export const NOT_FOUND = {
  body: { message: "Model not found" },
  headers: { "x-request-id": "req_404" },
  error: { _tag: "NotFoundError", status: 404, body: { message: "Model not found" }, requestId: "req_404" }
}

/** The path of a replace of image `a` of `model_1`, as an aborted request shows it. */
export const REPLACE_A_URL = "/v1/models/model_1/training-images/a"

/** A body that stops halfway: its declared length and the part sent. */
export const HALF = { declared: 500, partial: "{\"trainingImage\":" }

/** The spans of one list: the call's, its attempt's, and the transport's own HTTP span inside that attempt. */
export const LIST_SPANS = {
  effect3: ["TrainingImages.list", "GET list", "http.client GET"],
  /** Effect 4's `HttpClient.make` names the HTTP span by the method alone. */
  effect4: ["TrainingImages.list", "GET list", "GET"]
}

/** A W3C trace context header. */
export const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/

/** The environment of the layers that read their options from `Config`, at a base URL on 127.0.0.1. */
export const env = (port: number, entries: Record<string, string>): Record<string, string> => ({
  SCENARIO_SDK_BASE_URL: `http://127.0.0.1:${port}/v1`,
  ...entries
})

export const CREDENTIALS_ENV = { SCENARIO_SDK_API_KEY: API_KEY, SCENARIO_SDK_API_SECRET: API_SECRET }
export const WITHOUT_KEY_ENV = { SCENARIO_SDK_API_SECRET: API_SECRET }
export const MISSING = "SCENARIO_SDK_API_KEY"

/**
 * The transport's own per-attempt timer under the live clock (`LiveTimeout.test.ts` of both lines): an add
 * times out once, its request aborted; a replace times out on every attempt, each retried and aborted.
 */
export const LIVE_TIMER = {
  maxRetries: 2,
  add: { timeoutMillis: 150, method: "POST", requests: 1 },
  replace: { timeoutMillis: 100, method: "PUT", requests: 3 }
}

/** The names of the transports the Node suites run over (in their test names), where the lines differ too. */
export const TRANSPORTS = {
  library: "NodeTrainingImages (undici dispatcher)",
  undici: "NodeHttpClient.layerUndici",
  nodeHttp: { effect3: "NodeHttpClient.layer (node:http)", effect4: "NodeHttpClient.layerNodeHttp (node:http)" },
  fetch: "FetchHttpClient.layer"
}

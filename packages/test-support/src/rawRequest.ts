/**
 * One HTTP request sent exactly as written, for the emulator's suites: node:http keeps the path as given (no
 * normalisation, no re-encoding) and sends the Host header the caller names. Each line's tests wrap `send` in
 * an Effect of their own.
 */
import * as Http from "node:http"

export interface RawRequest {
  readonly method: string
  readonly path: string
  readonly body?: string | undefined
  readonly authorization?: string | undefined
  /** The Host header as sent; by default the server's own address. */
  readonly host?: string | undefined
  /** Sent with `transfer-encoding: chunked`, its length not announced. */
  readonly chunked?: boolean | undefined
  /** Other headers, sent last (so they may replace those above). */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

export interface RawResponse {
  readonly status: number
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/** Sends `request` to `host:port` on a connection of its own; the whole answer, or the request's error. */
export const send = (server: { readonly host: string; readonly port: number }, request: RawRequest) =>
  new Promise<RawResponse>((resolve, reject) => {
    const outgoing = Http.request(
      {
        host: server.host,
        port: server.port,
        method: request.method,
        path: request.path,
        agent: false,
        headers: {
          ...(request.host === undefined ? {} : { host: request.host }),
          ...(request.chunked === true ? { "transfer-encoding": "chunked" } : {}),
          ...(request.authorization === undefined ? {} : { authorization: request.authorization }),
          ...(request.body === undefined ? {} : { "content-type": "application/json" }),
          ...request.headers
        }
      },
      (response) => {
        let body = ""
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => body += chunk)
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }))
        response.on("error", reject)
      }
    )
    outgoing.on("error", reject)
    outgoing.end(request.body)
  })

/** The Basic authorization header for a key and a secret. */
export const basic = (key: string, secret: string): string =>
  `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`

/**
 * A request body read with a cap, on Node's `http` server. A larger one is refused without being kept:
 * announced by its `content-length`, it is not read at all (Node discards it once the answer is sent); sent in
 * chunks, it is read to its end and thrown away. Either way the connection stays whole, so the client reads the
 * 413 instead of a reset (which stopping at the limit gives it).
 *
 * @since 0.1.0
 */
import type * as Http from "node:http"

/**
 * A request body as read: its text, or too large, or cut off before its end.
 *
 * @since 0.1.0
 * @category models
 */
export type BodyRead =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "TooLarge" }
  | { readonly _tag: "Unreadable" }

/**
 * Reads a body of at most `maxBytes` and calls `done` once with what was read. The function returned stops
 * listening (`done` is then never called): for a caller that gives up first.
 *
 * @since 0.1.0
 * @category reading
 */
export const readText = (
  incoming: Http.IncomingMessage,
  maxBytes: number,
  done: (read: BodyRead) => void
): () => void => {
  if (Number(incoming.headers["content-length"] ?? 0) > maxBytes) {
    done({ _tag: "TooLarge" })
    return () => {}
  }
  const chunks: Array<Buffer> = []
  let bytes = 0
  const onData = (chunk: Buffer) => {
    bytes += chunk.length
    // Stryker disable next-line ConditionalExpression: equivalent in every result, past the cap the read ends TooLarge whatever was kept; dropping the chunks only bounds the memory held
    if (bytes <= maxBytes) chunks.push(chunk)
    else chunks.length = 0
  }
  const onEnd = () => {
    cleanup()
    done(bytes > maxBytes ? { _tag: "TooLarge" } : { _tag: "Text", text: Buffer.concat(chunks).toString("utf8") })
  }
  const onError = () => {
    cleanup()
    done({ _tag: "Unreadable" })
  }
  const cleanup = () => {
    incoming.off("data", onData)
    incoming.off("end", onEnd)
    incoming.off("error", onError)
    incoming.off("aborted", onError)
  }
  incoming.on("data", onData)
  incoming.once("end", onEnd)
  incoming.once("error", onError)
  incoming.once("aborted", onError)
  return cleanup
}

/**
 * `readText` as a promise, for a caller that always waits for the end.
 *
 * @since 0.1.0
 * @category reading
 */
export const read = (incoming: Http.IncomingMessage, maxBytes: number): Promise<BodyRead> =>
  new Promise((resolve) => readText(incoming, maxBytes, resolve))

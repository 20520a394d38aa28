import * as Effect from "effect/Effect"
import type * as Http from "node:http"

/** A request body as read: its text, or too large, or cut off before its end. */
export type BodyRead =
  | { readonly _tag: "Text"; readonly text: string }
  | { readonly _tag: "TooLarge" }
  | { readonly _tag: "Unreadable" }

/**
 * Reads a request body of at most `maxBytes`. A larger one is refused without being kept: announced by its
 * `content-length`, it is not read at all (Node discards it once the answer is sent); sent in chunks, it is
 * read to its end and thrown away. Either way the connection stays whole, so the client reads the 413 instead
 * of a reset (which is what stopping at the limit, as `@effect/platform`'s reader does, gives it).
 *
 * @internal
 */
export const readText = (incoming: Http.IncomingMessage, maxBytes: number): Effect.Effect<BodyRead> => {
  if (Number(incoming.headers["content-length"] ?? 0) > maxBytes) return Effect.succeed({ _tag: "TooLarge" })
  return Effect.async<BodyRead>((resume) => {
    const chunks: Array<Buffer> = []
    let bytes = 0
    const onData = (chunk: Buffer) => {
      bytes += chunk.length
      if (bytes <= maxBytes) chunks.push(chunk)
      else chunks.length = 0
    }
    const onEnd = () => {
      cleanup()
      resume(Effect.succeed(
        bytes > maxBytes ? { _tag: "TooLarge" } : { _tag: "Text", text: Buffer.concat(chunks).toString("utf8") }
      ))
    }
    const onError = () => {
      cleanup()
      resume(Effect.succeed({ _tag: "Unreadable" }))
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
    return Effect.sync(cleanup)
  })
}

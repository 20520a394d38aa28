/**
 * What both lines' stub `HttpClient`s share without Effect: the request each records, the replies it is
 * scripted with, and how a reply becomes the body and headers of a web `Response`. Each line's `test/stub.ts`
 * builds its own `HttpClient` over these.
 */

/** A request as the stub transport saw it. */
export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

/** What the stub answers one attempt with. */
export type Reply =
  | {
    readonly status: number
    readonly body?: unknown
    readonly headers?: Record<string, string>
    /** The body as these chunks instead, each read on its own (no `content-length` unless in `headers`). */
    readonly chunks?: ReadonlyArray<string | Uint8Array>
    /** After the chunks, the body's stream fails with this cause rather than ending. */
    readonly streamFails?: { readonly cause: unknown }
  }
  | { readonly refuse: true }
  | { readonly reset: true }
  | { readonly hang: true }
  /** The request fails before any response, with this cause. */
  | { readonly requestFails: { readonly cause: unknown } }

/** A reply that is a response (not a refusal, reset, hang or failure). */
export type ResponseReply = Extract<Reply, { readonly status: number }>

export const trainingImageJson = (id = "asset_1") => ({
  id,
  automaticCaptioning: "a caption",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "a description",
  downloadUrl: `https://cdn.example/${id}.png`,
  name: "my-training-image.jpg"
})

/** The reply to the `count`-th attempt (from 1): `replies[count - 1]`, the last one repeating. */
export const replyTo = (replies: ReadonlyArray<Reply>, count: number): Reply =>
  replies[Math.min(count - 1, replies.length - 1)]!

/** The cause of a transport failure with this system error code, as Node gives it. */
export const systemError = (code: string): Error => Object.assign(new Error(`${code} on purpose`), { code })

// The chunks, one per read, then the end or the failure.
const chunkedBody = (chunks: ReadonlyArray<string | Uint8Array>, fails: { readonly cause: unknown } | undefined) => {
  const encoder = new TextEncoder()
  let next = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < chunks.length) {
        const chunk = chunks[next++]!
        controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk)
      } else if (fails === undefined) controller.close()
      else controller.error(fails.cause)
    }
  })
}

/** The web `Response` a reply stands for: its body (chunked, text or JSON), its status, JSON by default. */
export const webResponse = (reply: ResponseReply): Response => {
  const body = reply.chunks !== undefined || reply.streamFails !== undefined
    ? chunkedBody(reply.chunks ?? [], reply.streamFails)
    : reply.body === undefined
    ? null
    : typeof reply.body === "string"
    ? reply.body
    : JSON.stringify(reply.body)
  return new Response(body, {
    status: reply.status,
    headers: { "content-type": "application/json", ...reply.headers }
  })
}

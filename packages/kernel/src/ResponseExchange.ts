/**
 * The bookkeeping of one request in flight as a dispatch handler sees it (undici's `DispatchHandler` shape:
 * a controller, then the response's status and headers, its body chunks, its end or its error): the state
 * machine each line's transport runs under its own effect types. It keeps the status and headers, the body
 * chunks for whoever reads them (whole, or one at a time with backpressure: past `READ_AHEAD` unread bytes
 * the connection is paused), counts the body's bytes against a limit (past it the chunks are dropped and the
 * request aborted), runs the timer of a whole response and aborts on the first failure. The head is handed over
 * at the end of the turn of the event loop it arrived in, or as soon as the body ends or the exchange fails in
 * that turn: a small response, which arrives whole in one read, is read with one wait, not two.
 *
 * A binding extends it with how the waiting fiber is told (the head, or the failure before it), the errors it
 * fails with, and what it does once nothing is pending (dropping a registration for collection, say).
 *
 * @since 0.1.0
 */

/**
 * How much of a body is read ahead while nobody asked for it; past this the connection is paused.
 *
 * @since 0.1.0
 * @category constants
 */
export const READ_AHEAD = 64 * 1024

/**
 * Who reads the body: nobody yet, the whole of it at once, or a stream of its chunks.
 *
 * @since 0.1.0
 * @category models
 */
export const Consumer = { None: 0, Whole: 1, Stream: 2 } as const

/**
 * @since 0.1.0
 * @category models
 */
export type Consumer = typeof Consumer[keyof typeof Consumer]

/**
 * What the exchange needs of the dispatcher's controller of the request.
 *
 * @since 0.1.0
 * @category models
 */
export interface Controller {
  readonly paused: boolean
  abort(reason: Error): void
  pause(): void
  resume(): void
}

/**
 * A response's headers as a dispatcher hands them over: a repeated header as an array.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

/**
 * One request in flight. `Chunk` is the type of the body chunks the dispatcher hands over.
 *
 * @since 0.1.0
 * @category models
 */
export abstract class ResponseExchange<Chunk extends Uint8Array = Uint8Array> {
  controller: Controller | null = null
  timer: ReturnType<typeof setTimeout> | undefined = undefined

  /** The final status (1xx heads are skipped); 0 until the head has arrived. */
  statusCode = 0
  headers: ResponseHeaders = {}
  /** Body chunks received and not yet taken. */
  chunks: Array<Chunk> = []
  /** The bytes in `chunks`. */
  buffered = 0
  done = false
  failure: Error | null = null
  consumer: Consumer = Consumer.None
  /** Called once when a chunk arrives, the body ends or the exchange fails. */
  wake: (() => void) | null = null

  /** Body bytes received so far, against `limit`. */
  received = 0

  /** Whether the head has arrived and waits to be handed over (`handOver`). */
  private headPending = false

  constructor(readonly limit: number) {}

  // The head is handed over at the end of the turn it arrived in, or sooner when the body ends or the exchange
  // fails in that turn. A small response arrives in one read, head, body and end in one turn: its reader then
  // finds the whole body, with no second wait (a wait costs its fiber a suspension and a resumption).
  private readonly handOver = (): void => {
    if (!this.headPending) return
    this.headPending = false
    this.deliverHead()
  }

  /** Hands the head over to whoever waits for it, if anyone still does. */
  protected abstract deliverHead(): void

  /** Fails whoever waits for the head with `reason`: false when nobody waits for it (any more). */
  protected abstract failHead(reason: Error): boolean

  /** Forgets whoever waits for the head (the waiting fiber was interrupted). */
  protected abstract dropHead(): void

  /** Called when the body has ended or the exchange has failed, once the head had arrived. */
  protected abstract settled(): void

  /** The failure of a response not complete within `millis`. */
  protected abstract timeoutError(millis: number): Error

  /** The failure of an exchange whose waiting fiber was interrupted. */
  protected abstract interruptedError(): Error

  /** The failure of a body past `limit` bytes (declared or received). */
  protected abstract tooLargeError(limit: number): Error

  /** Ends the exchange with `reason`: whoever waits (for the head, or for the body) fails with it. */
  abort(reason: Error): void {
    if (this.done || this.failure !== null) return
    this.fail(reason)
    // Before the dispatcher hands the request to a connection there is no controller yet: `onRequestStart`
    // aborts.
    if (this.controller !== null) this.controller.abort(reason)
  }

  /** The fiber waiting on this exchange was interrupted: nobody is left to tell. */
  interrupt(): void {
    this.dropHead()
    this.wake = null
    this.abort(this.interruptedError())
  }

  /** Aborts the exchange unless it has ended within `millis`. */
  startTimer(millis: number): void {
    if (this.done || this.failure !== null) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.abort(this.timeoutError(millis))
    }, millis)
  }

  private fail(reason: Error): void {
    this.failure = reason
    clearTimeout(this.timer) // Of `undefined` (no timer, or one that has run), it does nothing.
    // A head that has arrived is handed over first: the failure is then the body's, as when it came later.
    this.handOver()
    if (this.statusCode !== 0) this.settled()
    if (!this.failHead(reason)) this.notify()
  }

  onRequestStart(controller: Controller): void {
    if (this.failure !== null) controller.abort(this.failure)
    else this.controller = controller
  }

  onResponseStart(_controller: Controller, statusCode: number, headers: ResponseHeaders): void {
    if (statusCode < 200) return
    this.statusCode = statusCode
    this.headers = headers
    const declared = headers["content-length"]
    this.headPending = true
    if (typeof declared === "string" && Number(declared) > this.limit) {
      // The head is handed over first (by `fail`), so that the failure of the body read carries the response.
      this.abort(this.tooLargeError(this.limit))
      return
    }
    queueMicrotask(this.handOver)
  }

  onResponseData(controller: Controller, chunk: Chunk): void {
    if (this.failure !== null) return
    this.received += chunk.length
    if (this.received > this.limit) {
      this.chunks = []
      this.buffered = 0
      this.abort(this.tooLargeError(this.limit))
      return
    }
    this.chunks.push(chunk)
    this.buffered += chunk.length
    if (this.consumer === Consumer.Whole) return
    if (this.buffered >= READ_AHEAD) controller.pause()
    this.notify()
  }

  onResponseEnd(): void {
    this.done = true
    clearTimeout(this.timer)
    this.handOver()
    this.settled()
    this.notify()
  }

  onResponseError(_controller: Controller, error: Error): void {
    if (this.failure === null && !this.done) this.fail(error)
  }

  /** Calls (and clears) `wake`, if set. */
  notify(): void {
    const wake = this.wake
    if (wake !== null) {
      this.wake = null
      wake()
    }
  }

  /** Resumes the connection, if paused. */
  resume(): void {
    if (this.controller !== null && this.controller.paused) this.controller.resume()
  }

  /** The next chunk received (resuming the connection once less than `READ_AHEAD` is left), if any. */
  takeChunk(): Chunk | undefined {
    const next = this.chunks.shift()
    if (next !== undefined) {
      this.buffered -= next.length
      if (this.buffered < READ_AHEAD) this.resume()
    }
    return next
  }
}

/**
 * The part of an HTTP/1.1 parser `skipContinue` touches: the callback it runs on a complete head, whose
 * answer tells the parser how to go on.
 *
 * @since 0.1.0
 * @category models
 */
export interface HeadParser {
  onHeadersComplete?: (statusCode: number, upgrade: boolean, shouldKeepAlive: boolean) => number
}

/**
 * Has the parser kept on `socket` under `parserKey` read an interim `100 Continue` as it reads any other 1xx
 * (undici's parser treats a 100 as a broken response and closes the connection, although RFC 9110 §15.2 has
 * a client skip any 1xx it did not ask for): each parser set there later gets its head callback wrapped, a
 * 100 handed to it as a 103. Nothing else changes: other statuses, a parser without the callback, no parser.
 *
 * @since 0.1.0
 * @category transport
 */
export const skipContinue = (socket: object, parserKey: symbol): void => {
  let parser: HeadParser | null = null
  Object.defineProperty(socket, parserKey, {
    configurable: true,
    enumerable: false,
    get: () => parser,
    set: (value: HeadParser | null) => {
      if (value !== null) {
        const original = value.onHeadersComplete
        if (typeof original === "function") {
          value.onHeadersComplete = function(this: HeadParser, statusCode, upgrade, shouldKeepAlive) {
            return original.call(this, statusCode === 100 ? 103 : statusCode, upgrade, shouldKeepAlive)
          }
        }
      }
      parser = value
    }
  })
}

import { afterEach, describe, expect, it, vi } from "vitest"
import * as ResponseExchange from "../src/ResponseExchange.js"

class FakeController implements ResponseExchange.Controller {
  paused = false
  aborted: Error | null = null
  pauses = 0
  resumes = 0
  abort(reason: Error): void {
    this.aborted = reason
  }
  pause(): void {
    this.pauses++
    this.paused = true
  }
  resume(): void {
    this.resumes++
    this.paused = false
  }
}

type Event =
  | { readonly _tag: "head"; readonly status: number }
  | { readonly _tag: "headFailed"; readonly reason: Error }
  | { readonly _tag: "settled" }

class TestExchange extends ResponseExchange.ResponseExchange {
  waiting = true
  readonly events: Array<Event> = []
  /** What the reader of the head finds of the body, each time the head is handed over. */
  readonly bodyAtHead: Array<{ readonly done: boolean; readonly buffered: number }> = []
  protected deliverHead(): void {
    this.bodyAtHead.push({ done: this.done, buffered: this.buffered })
    if (!this.waiting) return
    this.waiting = false
    this.events.push({ _tag: "head", status: this.statusCode })
  }
  protected failHead(reason: Error): boolean {
    if (!this.waiting) return false
    this.waiting = false
    this.events.push({ _tag: "headFailed", reason })
    return true
  }
  protected dropHead(): void {
    this.waiting = false
  }
  protected settled(): void {
    this.events.push({ _tag: "settled" })
  }
  protected timeoutError(millis: number): Error {
    return new Error(`timeout ${millis}`)
  }
  protected interruptedError(): Error {
    return new Error("interrupted")
  }
  protected tooLargeError(limit: number): Error {
    return new Error(`too large ${limit}`)
  }
}

const started = (limit = Number.POSITIVE_INFINITY) => {
  const exchange = new TestExchange(limit)
  const controller = new FakeController()
  exchange.onRequestStart(controller)
  return { exchange, controller }
}

const bytes = (length: number) => new Uint8Array(length)

afterEach(() => {
  vi.useRealTimers()
})

describe("ResponseExchange", () => {
  // A turn of the event loop's microtasks: what `queueMicrotask` queued has run.
  const endOfTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

  it("hands the final head over once, at the end of the turn it arrived in, skipping informational ones", async () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 100, {})
    expect(exchange.events).toEqual([])
    expect(exchange.statusCode).toBe(0)
    exchange.onResponseStart(controller, 201, { "x-a": "1", "set-cookie": ["a=1", "b=2"] })
    expect(exchange.statusCode).toBe(201)
    expect(exchange.events).toEqual([])
    await endOfTurn()
    expect(exchange.events).toEqual([{ _tag: "head", status: 201 }])
    expect(exchange.headers).toEqual({ "x-a": "1", "set-cookie": ["a=1", "b=2"] })
    // The body's end hands nothing over again.
    exchange.onResponseEnd()
    await endOfTurn()
    expect(exchange.events).toEqual([{ _tag: "head", status: 201 }, { _tag: "settled" }])
  })

  it("hands the head over at once when the body ends in the turn it arrived in: the reader finds it whole", async () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 200, {})
    exchange.onResponseData(controller, Uint8Array.of(1, 2, 3))
    expect(exchange.events).toEqual([])
    exchange.onResponseEnd()
    expect(exchange.events).toEqual([{ _tag: "head", status: 200 }, { _tag: "settled" }])
    expect(exchange.bodyAtHead).toEqual([{ done: true, buffered: 3 }])
    await endOfTurn()
    expect(exchange.events).toEqual([{ _tag: "head", status: 200 }, { _tag: "settled" }])
    expect(exchange.bodyAtHead).toEqual([{ done: true, buffered: 3 }])
  })

  it("hands the head over before a failure in the turn it arrived in: the failure is the body's", async () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 200, {})
    let wakes = 0
    exchange.wake = () => wakes++
    const reset = new Error("reset")
    exchange.onResponseError(controller, reset)
    expect(exchange.events).toEqual([{ _tag: "head", status: 200 }, { _tag: "settled" }])
    expect(exchange.failure).toBe(reset)
    expect(wakes).toBe(1)
    await endOfTurn()
    expect(exchange.events).toEqual([{ _tag: "head", status: 200 }, { _tag: "settled" }])
  })

  it("hands nothing over when the waiting fiber was interrupted before the turn ended", async () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 200, {})
    exchange.interrupt()
    await endOfTurn()
    expect(exchange.events).toEqual([{ _tag: "settled" }])
    expect(exchange.failure?.message).toBe("interrupted")
    expect(controller.aborted).toBe(exchange.failure)
  })

  it("keeps the chunks in order and ends once, telling the reader each time", () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 200, {})
    let wakes = 0
    exchange.wake = () => wakes++
    exchange.onResponseData(controller, Uint8Array.of(1, 2))
    expect(wakes).toBe(1)
    expect(exchange.wake).toBeNull()
    exchange.onResponseData(controller, Uint8Array.of(3))
    expect(wakes).toBe(1)
    exchange.wake = () => wakes++
    exchange.onResponseEnd()
    expect(wakes).toBe(2)
    expect(exchange.done).toBe(true)
    expect(exchange.buffered).toBe(3)
    expect(exchange.received).toBe(3)
    expect(exchange.takeChunk()).toEqual(Uint8Array.of(1, 2))
    expect(exchange.takeChunk()).toEqual(Uint8Array.of(3))
    expect(exchange.takeChunk()).toBeUndefined()
    expect(exchange.buffered).toBe(0)
    expect(exchange.events).toEqual([{ _tag: "head", status: 200 }, { _tag: "settled" }])
    // An error after the end changes nothing.
    exchange.onResponseError(controller, new Error("late"))
    expect(exchange.failure).toBeNull()
  })

  it("pauses the connection past READ_AHEAD unread bytes and resumes once less is left", () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 200, {})
    const half = ResponseExchange.READ_AHEAD / 2
    exchange.onResponseData(controller, bytes(half))
    expect(controller.pauses).toBe(0)
    exchange.onResponseData(controller, bytes(half))
    expect(controller.pauses).toBe(1)
    expect(controller.paused).toBe(true)
    expect(exchange.takeChunk()?.length).toBe(half)
    expect(controller.resumes).toBe(1)
    expect(controller.paused).toBe(false)
    // resume() resumes only a paused connection.
    exchange.resume()
    expect(controller.resumes).toBe(1)
  })

  it("keeps the connection paused while READ_AHEAD or more bytes are still unread", () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 200, {})
    const half = ResponseExchange.READ_AHEAD / 2
    // A paused connection may still hand over what it had already read.
    exchange.onResponseData(controller, bytes(half))
    exchange.onResponseData(controller, bytes(half))
    exchange.onResponseData(controller, bytes(half))
    expect(controller.paused).toBe(true)
    exchange.takeChunk()
    expect(exchange.buffered).toBe(ResponseExchange.READ_AHEAD)
    expect(controller.resumes).toBe(0)
    expect(controller.paused).toBe(true)
    exchange.takeChunk()
    expect(controller.resumes).toBe(1)
    expect(controller.paused).toBe(false)
  })

  it("resumes nothing before the request has a connection", () => {
    const exchange = new TestExchange(Number.POSITIVE_INFINITY)
    expect(() => exchange.resume()).not.toThrow()
    expect(exchange.controller).toBeNull()
  })

  it("does not pause for a reader of the whole body, and does not wake it per chunk", () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 200, {})
    exchange.consumer = ResponseExchange.Consumer.Whole
    let wakes = 0
    exchange.wake = () => wakes++
    exchange.onResponseData(controller, bytes(ResponseExchange.READ_AHEAD * 2))
    expect(controller.pauses).toBe(0)
    expect(wakes).toBe(0)
    exchange.onResponseEnd()
    expect(wakes).toBe(1)
  })

  it("fails a declared length past the limit after handing the head over, and aborts the request", () => {
    const { exchange, controller } = started(10)
    exchange.onResponseStart(controller, 200, { "content-length": "11" })
    expect(exchange.events).toEqual([{ _tag: "head", status: 200 }, { _tag: "settled" }])
    expect(exchange.failure?.message).toBe("too large 10")
    expect(controller.aborted).toBe(exchange.failure)
  })

  it("takes a declared length at the limit", () => {
    const { exchange, controller } = started(10)
    exchange.onResponseStart(controller, 200, { "content-length": "10" })
    expect(exchange.failure).toBeNull()
  })

  it("checks only a length declared once up front, and counts the bytes of a repeated one", async () => {
    const { exchange, controller } = started(10)
    exchange.onResponseStart(controller, 200, { "content-length": ["11"] })
    expect(exchange.failure).toBeNull()
    await endOfTurn()
    expect(exchange.events).toEqual([{ _tag: "head", status: 200 }])
    exchange.onResponseData(controller, bytes(11))
    expect(exchange.failure?.message).toBe("too large 10")
  })

  it("drops the chunks and aborts once the bytes received pass the limit", () => {
    const { exchange, controller } = started(4)
    exchange.onResponseStart(controller, 200, {})
    exchange.onResponseData(controller, bytes(4))
    expect(exchange.failure).toBeNull()
    let wakes = 0
    exchange.wake = () => wakes++
    exchange.onResponseData(controller, bytes(1))
    expect(exchange.failure?.message).toBe("too large 4")
    expect(controller.aborted).toBe(exchange.failure)
    expect(exchange.chunks).toEqual([])
    expect(exchange.buffered).toBe(0)
    expect(wakes).toBe(1)
    // Later chunks are ignored.
    exchange.onResponseData(controller, bytes(1))
    expect(exchange.received).toBe(5)
  })

  it("fails whoever waits for the head with a transport error, without settling", () => {
    const { exchange, controller } = started()
    const reason = new Error("reset")
    exchange.onResponseError(controller, reason)
    expect(exchange.events).toEqual([{ _tag: "headFailed", reason }])
    expect(exchange.failure).toBe(reason)
    // The dispatcher's own error is not aborted back to it.
    expect(controller.aborted).toBeNull()
  })

  it("keeps the first failure when the dispatcher reports its error after an abort", () => {
    const { exchange, controller } = started()
    exchange.onResponseStart(controller, 200, {})
    const reason = new Error("cancelled")
    exchange.abort(reason)
    let wakes = 0
    exchange.wake = () => wakes++
    exchange.onResponseError(controller, new Error("aborted"))
    expect(exchange.failure).toBe(reason)
    expect(exchange.events).toEqual([{ _tag: "head", status: 200 }, { _tag: "settled" }])
    expect(wakes).toBe(0)
  })

  it("aborts before the request starts, and aborts the controller it is given later", () => {
    const exchange = new TestExchange(Number.POSITIVE_INFINITY)
    const reason = new Error("cancelled")
    exchange.abort(reason)
    expect(exchange.events).toEqual([{ _tag: "headFailed", reason }])
    const controller = new FakeController()
    exchange.onRequestStart(controller)
    expect(controller.aborted).toBe(reason)
    expect(exchange.controller).toBeNull()
    // A second abort keeps the first failure.
    exchange.abort(new Error("again"))
    expect(exchange.failure).toBe(reason)
  })

  it("on interrupt, tells nobody and aborts with the interruption", () => {
    const { exchange, controller } = started()
    let wakes = 0
    exchange.wake = () => wakes++
    exchange.interrupt()
    expect(exchange.events).toEqual([])
    expect(wakes).toBe(0)
    expect(exchange.failure?.message).toBe("interrupted")
    expect(controller.aborted).toBe(exchange.failure)
  })

  it("aborts a response not complete within the timer's time, and not one that is", () => {
    vi.useFakeTimers()
    const slow = started()
    slow.exchange.startTimer(50)
    slow.exchange.onResponseStart(slow.controller, 200, {})
    vi.advanceTimersByTime(50)
    expect(slow.exchange.failure?.message).toBe("timeout 50")
    expect(slow.controller.aborted).toBe(slow.exchange.failure)
    expect(slow.exchange.timer).toBeUndefined()

    const quick = started()
    quick.exchange.startTimer(50)
    quick.exchange.onResponseStart(quick.controller, 200, {})
    quick.exchange.onResponseEnd()
    vi.advanceTimersByTime(100)
    expect(quick.exchange.failure).toBeNull()
    expect(vi.getTimerCount()).toBe(0)

    // No timer once the exchange has ended.
    quick.exchange.startTimer(50)
    expect(vi.getTimerCount()).toBe(0)
  })

  it("stops the timer on a failure, and starts none once the exchange has failed", () => {
    vi.useFakeTimers()
    const { exchange, controller } = started()
    exchange.startTimer(50)
    expect(vi.getTimerCount()).toBe(1)
    const reason = new Error("reset")
    exchange.onResponseError(controller, reason)
    expect(vi.getTimerCount()).toBe(0)

    const aborted = started()
    aborted.exchange.abort(reason)
    aborted.exchange.startTimer(50)
    expect(vi.getTimerCount()).toBe(0)
    expect(aborted.exchange.timer).toBeUndefined()
  })
})

describe("skipContinue", () => {
  const key = Symbol("parser")
  const parserSeeing = (seen: Array<number>) => ({
    onHeadersComplete(statusCode: number, _upgrade: boolean, _keepAlive: boolean) {
      seen.push(statusCode)
      return statusCode === 100 ? -1 : 0
    }
  })

  it("hands a 100 to the parser set on the socket as a 103, every other status as it is", () => {
    const socket: Record<symbol, unknown> = {}
    ResponseExchange.skipContinue(socket, key)
    const seen: Array<number> = []
    const parser = parserSeeing(seen)
    socket[key] = parser
    expect(socket[key]).toBe(parser)
    expect(parser.onHeadersComplete(100, false, true)).toBe(0)
    expect(parser.onHeadersComplete(200, false, true)).toBe(0)
    expect(parser.onHeadersComplete(101, true, true)).toBe(0)
    expect(seen).toEqual([103, 200, 101])
  })

  it("passes the other arguments and the parser itself through", () => {
    const socket: Record<symbol, unknown> = {}
    ResponseExchange.skipContinue(socket, key)
    const calls: Array<unknown> = []
    const parser = {
      name: "p",
      onHeadersComplete(this: { name: string }, statusCode: number, upgrade: boolean, keepAlive: boolean) {
        calls.push([this.name, statusCode, upgrade, keepAlive])
        return 7
      }
    }
    socket[key] = parser
    expect(parser.onHeadersComplete(204, true, false)).toBe(7)
    expect(calls).toEqual([["p", 204, true, false]])
  })

  it("wraps each parser set later, and keeps null and parsers without the callback as they are", () => {
    const socket: Record<symbol, unknown> = {}
    ResponseExchange.skipContinue(socket, key)
    expect(socket[key]).toBeNull()
    const bare = {}
    socket[key] = bare
    expect(socket[key]).toBe(bare)
    expect(bare).toEqual({})
    socket[key] = null
    expect(socket[key]).toBeNull()
    const seen: Array<number> = []
    const second = parserSeeing(seen)
    socket[key] = second
    second.onHeadersComplete(100, false, true)
    expect(seen).toEqual([103])
    expect(Object.keys(socket)).toEqual([])
  })

  it("adds nothing a copy of the socket would carry, and can be taken off again", () => {
    const socket: Record<symbol, unknown> = {}
    ResponseExchange.skipContinue(socket, key)
    socket[key] = parserSeeing([])
    expect(Object.getOwnPropertySymbols({ ...socket })).toEqual([])
    expect(Object.prototype.propertyIsEnumerable.call(socket, key)).toBe(false)
    delete socket[key]
    expect(key in socket).toBe(false)
    const seen: Array<number> = []
    const parser = parserSeeing(seen)
    socket[key] = parser
    parser.onHeadersComplete(100, false, true)
    expect(seen).toEqual([100])
  })
})

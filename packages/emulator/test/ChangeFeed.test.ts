import { ChangeFeed } from "@effect-scenario/emulator/ChangeFeed"
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"

describe("the inspector's change feed", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance"] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it("takes listeners up to its cap; one that leaves frees its place", () => {
    const feed = new ChangeFeed(2, 100, 15_000)
    const first = feed.subscribe(() => {})
    const second = feed.subscribe(() => {})
    expect([first, second].every((unsubscribe) => typeof unsubscribe === "function")).toBe(true)
    expect(feed.subscribe(() => {})).toBeUndefined()
    first!()
    expect(feed.listenerCount).toBe(1)
    expect(feed.subscribe(() => {})).toBeTypeOf("function")
  })

  it("pushes a change at once, a burst after it as one, and nothing while nothing changes", () => {
    const feed = new ChangeFeed(10, 100, 15_000)
    const seen: Array<number> = []
    feed.subscribe((version) => seen.push(version))
    feed.bump()
    expect(seen).toEqual([1])
    feed.bump()
    feed.bump()
    feed.bump()
    expect(seen).toEqual([1])
    vi.advanceTimersByTime(100)
    expect(seen).toEqual([1, 4])
    vi.advanceTimersByTime(10_000)
    expect(seen).toEqual([1, 4])
    // The shared heartbeat: the same version again.
    vi.advanceTimersByTime(5_000)
    expect(seen).toEqual([1, 4, 4])
  })

  it("keeps no timer once the last listener has left, and counts changes without any", () => {
    const feed = new ChangeFeed(10, 100, 15_000)
    const unsubscribe = feed.subscribe(() => {})!
    feed.bump()
    feed.bump()
    expect(vi.getTimerCount()).toBe(2)
    unsubscribe()
    expect(vi.getTimerCount()).toBe(0)
    feed.bump()
    expect(vi.getTimerCount()).toBe(0)
    expect(feed.version).toBe(3)
  })
})

describe("the change feed, exactly", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "performance"] })
  })
  afterEach(() => {
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  it("a change once the coalescing time has passed, to the millisecond, is pushed at once", () => {
    const feed = new ChangeFeed(10, 100, 15_000)
    const seen: Array<number> = []
    feed.subscribe((version) => seen.push(version))
    feed.bump()
    vi.advanceTimersByTime(100)
    feed.bump()
    expect(seen).toEqual([1, 2])
  })

  it("a burst waits only for the rest of the coalescing time", () => {
    const feed = new ChangeFeed(10, 100, 15_000)
    const seen: Array<number> = []
    feed.subscribe((version) => seen.push(version))
    feed.bump()
    vi.advanceTimersByTime(60)
    feed.bump()
    vi.advanceTimersByTime(39)
    expect(seen).toEqual([1])
    vi.advanceTimersByTime(1)
    expect(seen).toEqual([1, 2])
  })

  it("every listener gets each change; one leaving keeps the others' heartbeat", () => {
    const feed = new ChangeFeed(10, 100, 1000)
    const a: Array<number> = []
    const b: Array<number> = []
    const leave = feed.subscribe((version) => a.push(version))!
    feed.subscribe((version) => b.push(version))
    feed.bump()
    leave()
    vi.advanceTimersByTime(1000)
    expect([a, b]).toEqual([[1], [1, 1]])
    expect(feed.listenerCount).toBe(1)
  })

  it("after the last listener has left, a new one gets a heartbeat and changes again, a pending burst forgotten", () => {
    const feed = new ChangeFeed(10, 100, 1000)
    const first = feed.subscribe(() => {})!
    feed.bump()
    feed.bump()
    first()
    const seen: Array<number> = []
    feed.subscribe((version) => seen.push(version))
    vi.advanceTimersByTime(100)
    feed.bump()
    expect(seen).toEqual([3])
    vi.advanceTimersByTime(900)
    expect(seen).toEqual([3, 3])
  })

  it("its timers do not keep the process alive", () => {
    const intervals = vi.spyOn(globalThis, "setInterval")
    const timeouts = vi.spyOn(globalThis, "setTimeout")
    const feed = new ChangeFeed(10, 100, 1000)
    feed.subscribe(() => {})
    feed.bump()
    feed.bump()
    const timers = [...intervals.mock.results, ...timeouts.mock.results].map((result) =>
      (result.value as { hasRef(): boolean }).hasRef()
    )
    expect(timers).toEqual([false, false])
  })
})

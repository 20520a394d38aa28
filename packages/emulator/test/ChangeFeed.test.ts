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

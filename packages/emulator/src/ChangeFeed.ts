/**
 * An emulator's change counter and the event streams that follow it. A change is pushed to every stream, at
 * most once per `coalesceMillis` (a burst of requests becomes one event), and nothing runs while nothing
 * changes but one heartbeat shared by all streams, and only while one is open. The number of streams is capped:
 * each one holds a socket for as long as its page is open.
 *
 * @since 0.1.0
 */

/**
 * The change counter and its listeners.
 *
 * @since 0.1.0
 * @category models
 */
export class ChangeFeed {
  private current = 0
  private readonly listeners = new Set<(version: number) => void>()
  private lastBroadcast = -Infinity
  private pending: ReturnType<typeof setTimeout> | undefined
  private heartbeat: ReturnType<typeof setInterval> | undefined

  constructor(
    readonly maxListeners: number,
    private readonly coalesceMillis: number,
    private readonly heartbeatMillis: number
  ) {}

  /** Bumped on every change of state or log. */
  get version(): number {
    return this.current
  }

  get listenerCount(): number {
    return this.listeners.size
  }

  bump(): void {
    this.current++
    if (this.listeners.size === 0 || this.pending !== undefined) return
    const wait = this.lastBroadcast + this.coalesceMillis - performance.now()
    if (wait <= 0) return this.broadcast()
    this.pending = setTimeout(() => {
      this.pending = undefined
      this.broadcast()
    }, wait)
    this.pending.unref()
  }

  /**
   * Adds a listener, called with the version after each change and at each heartbeat; `undefined` when
   * `maxListeners` are already there. The function returned removes it.
   */
  subscribe(listener: (version: number) => void): (() => void) | undefined {
    if (this.listeners.size >= this.maxListeners) return undefined
    this.listeners.add(listener)
    if (this.heartbeat === undefined) {
      this.heartbeat = setInterval(() => this.broadcast(), this.heartbeatMillis)
      this.heartbeat.unref()
    }
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size > 0) return
      clearInterval(this.heartbeat)
      clearTimeout(this.pending)
      this.heartbeat = undefined
      this.pending = undefined
    }
  }

  private broadcast(): void {
    this.lastBroadcast = performance.now()
    for (const listener of this.listeners) listener(this.current)
  }
}

/**
 * Which fault, if any, meets each request: scripted faults first, in the order they were given, then seeded
 * random ones. Shared by every in-memory fake and emulator, so that all count and pick faults the same way.
 * Generic over the fault (each binding has its own) and plain: every method is synchronous, so each decision
 * is atomic wherever it runs.
 *
 * @since 0.1.0
 */
import type { Operation } from "./Endpoint.js"
import * as Prng from "./Prng.js"

/**
 * Random faults: each request (of the listed operations, all by default) fails with probability `rate`, with
 * a fault picked uniformly from `faults`; the draws come from a generator seeded with `seed` (default 0).
 *
 * @since 0.1.0
 * @category models
 */
export interface RandomFaults<F> {
  readonly rate: number
  readonly faults: ReadonlyArray<F>
  readonly seed?: number | undefined
  readonly operations?: ReadonlyArray<Operation> | undefined
}

/**
 * Throws a `RangeError` for a rate outside 0 to 1, or a rate above 0 with no fault to pick from.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkRandomFaults = <F>(config: RandomFaults<F>): void => {
  if (!(config.rate >= 0 && config.rate <= 1)) {
    throw new RangeError(`the fault rate must be from 0 to 1, got ${config.rate}`)
  }
  if (config.rate > 0 && config.faults.length === 0) {
    throw new RangeError("a fault rate above 0 needs at least one fault to pick from")
  }
}

interface Scripted<F> {
  readonly fault: F
  readonly operation: Operation | undefined
  remaining: number
}

/**
 * A plan of faults and what it has handed out. Build it with `make`.
 *
 * @since 0.1.0
 * @category models
 */
export interface FaultPlan<F> {
  /** The next `count` requests (of `operation` only, when given) meet `fault`; a RangeError for a bad count. */
  readonly failNext: (count: number, fault: F, operation: Operation | undefined) => void
  /** Replaces the random faults (`undefined`: none), the generator reseeded. */
  readonly setRandom: (config: RandomFaults<F> | undefined) => void
  /**
   * The fault for the next request of this operation, counted, or `undefined`. With a `key` (what identifies
   * the request: method, path, query, body) the random draw depends on the key and on how many times it was
   * seen, not on the order requests arrive in: concurrent clients meet the same faults on every run.
   */
  readonly next: (operation: Operation, key?: string) => F | undefined
  /** How many faults of each kind were handed out. */
  readonly countsByKind: () => Readonly<Record<string, number>>
  /** Scripted faults not used yet. */
  readonly pending: () => number
  /** Back to the state it was built in: no scripted faults, no counts, the initial random faults reseeded. */
  readonly reset: () => void
}

/**
 * FNV-1a, 32 bits: a stable number for a request's key.
 *
 * @since 0.1.0
 * @category utils
 */
export const hash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * A plan with no scripted faults and the random faults given (checked: see `checkRandomFaults`); `kindOf`
 * names the kind each fault is counted under.
 *
 * @example
 * ```ts
 * import { FaultPlan } from "@effect-scenario/kernel"
 *
 * const plan = FaultPlan.make((fault: string) => fault, { rate: 0.1, faults: ["503", "429"], seed: 7 })
 * plan.failNext(1, "500", "add")
 * plan.next("add") // "500", then the seeded draws
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <F>(kindOf: (fault: F) => string, initialRandom: RandomFaults<F> | undefined): FaultPlan<F> => {
  let scripted: Array<Scripted<F>> = []
  let random: { readonly config: RandomFaults<F>; readonly prng: Prng.Prng } | undefined
  const counts = new Map<string, number>()
  const seen = new Map<string, number>()

  const setRandom = (config: RandomFaults<F> | undefined): void => {
    if (config === undefined) {
      random = undefined
      return
    }
    checkRandomFaults(config)
    random = { config, prng: Prng.make(config.seed ?? 0) }
  }

  const scripts = (operation: Operation): F | undefined => {
    const index = scripted.findIndex((entry) => entry.operation === undefined || entry.operation === operation)
    if (index === -1) return undefined
    const entry = scripted[index]!
    entry.remaining--
    if (entry.remaining === 0) scripted.splice(index, 1)
    return entry.fault
  }

  const draw = (operation: Operation, key: string | undefined): F | undefined => {
    if (random === undefined) return undefined
    const { config } = random
    if (config.operations !== undefined && !config.operations.includes(operation)) return undefined
    let prng = random.prng
    if (key !== undefined) {
      const occurrence = (seen.get(key) ?? 0) + 1
      seen.set(key, occurrence)
      prng = Prng.make64(hash(`${config.seed ?? 0}\u0000${key}`), occurrence)
    }
    // Two draws per request whatever the outcome, so that one request's fault does not shift the sequence
    // the following requests meet.
    const roll = prng.number()
    const pick = prng.integer(Math.max(1, config.faults.length))
    return roll < config.rate ? config.faults[pick] : undefined
  }

  setRandom(initialRandom)
  return {
    failNext: (count, fault, operation) => {
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`failNext expects a count >= 0, got ${count}`)
      if (count > 0) scripted.push({ fault, operation, remaining: count })
    },
    setRandom,
    next: (operation, key) => {
      const fault = scripts(operation) ?? draw(operation, key)
      if (fault !== undefined) {
        const kind = kindOf(fault)
        counts.set(kind, (counts.get(kind) ?? 0) + 1)
      }
      return fault
    },
    countsByKind: () => Object.fromEntries(counts),
    pending: () => scripted.reduce((sum, entry) => sum + entry.remaining, 0),
    reset: () => {
      scripted = []
      counts.clear()
      seen.clear()
      setRandom(initialRandom)
    }
  }
}

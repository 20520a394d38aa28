import type { TrainingImagesError } from "@effect-scenario/core"
import { PCGRandom } from "effect/Utils"
import type * as Fault from "../Fault.js"

interface Scripted<F> {
  readonly fault: F
  readonly operation: TrainingImagesError.Operation | undefined
  remaining: number
}

/** @internal */
export const checkRandomFaults = <F>(config: Fault.RandomFaults<F>): void => {
  if (!(config.rate >= 0 && config.rate <= 1)) {
    throw new RangeError(`the fault rate must be from 0 to 1, got ${config.rate}`)
  }
  if (config.rate > 0 && config.faults.length === 0) {
    throw new RangeError("a fault rate above 0 needs at least one fault to pick from")
  }
}

/**
 * Decides which fault, if any, meets each request: scripted faults first, in the order they were given,
 * then the seeded random ones. Shared by the in-memory fake and the emulator so that both count and pick
 * faults the same way. Every method is synchronous, so each decision is atomic between fibers.
 *
 * @internal
 */
export class FaultPlan<F> {
  private scripted: Array<Scripted<F>> = []
  private random: { readonly config: Fault.RandomFaults<F>; readonly prng: PCGRandom } | undefined
  private counts = new Map<string, number>()
  private seen = new Map<string, number>()

  constructor(
    private readonly kindOf: (fault: F) => string,
    private readonly initialRandom: Fault.RandomFaults<F> | undefined
  ) {
    this.setRandom(initialRandom)
  }

  failNext(count: number, fault: F, operation: TrainingImagesError.Operation | undefined): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`failNext expects a count >= 0, got ${count}`)
    if (count > 0) this.scripted.push({ fault, operation, remaining: count })
  }

  setRandom(config: Fault.RandomFaults<F> | undefined): void {
    if (config === undefined) {
      this.random = undefined
      return
    }
    checkRandomFaults(config)
    this.random = { config, prng: new PCGRandom(config.seed ?? 0) }
  }

  /**
   * The fault for the next request of this operation, counted, or `undefined`. With a `key` (what
   * identifies the request: method, path, query, body) the random draw depends on the key and on how many
   * times it was seen, not on the order requests arrive in: concurrent clients meet the same faults on every
   * run.
   */
  next(operation: TrainingImagesError.Operation, key?: string): F | undefined {
    const fault = this.scripts(operation) ?? this.draw(operation, key)
    if (fault !== undefined) {
      const kind = this.kindOf(fault)
      this.counts.set(kind, (this.counts.get(kind) ?? 0) + 1)
    }
    return fault
  }

  countsByKind(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.counts)
  }

  /** Scripted faults not used yet. */
  pending(): number {
    return this.scripted.reduce((sum, entry) => sum + entry.remaining, 0)
  }

  /** Back to the state it was built in: no scripted faults, no counts, the initial random faults reseeded. */
  reset(): void {
    this.scripted = []
    this.counts.clear()
    this.seen.clear()
    this.setRandom(this.initialRandom)
  }

  private scripts(operation: TrainingImagesError.Operation): F | undefined {
    const index = this.scripted.findIndex((entry) => entry.operation === undefined || entry.operation === operation)
    if (index === -1) return undefined
    const entry = this.scripted[index]!
    entry.remaining--
    if (entry.remaining === 0) this.scripted.splice(index, 1)
    return entry.fault
  }

  private draw(operation: TrainingImagesError.Operation, key: string | undefined): F | undefined {
    if (this.random === undefined) return undefined
    const { config } = this.random
    if (config.operations !== undefined && !config.operations.includes(operation)) return undefined
    let prng = this.random.prng
    if (key !== undefined) {
      const occurrence = (this.seen.get(key) ?? 0) + 1
      this.seen.set(key, occurrence)
      prng = new PCGRandom(hash(`${config.seed ?? 0}\u0000${key}`), occurrence)
    }
    // Two draws per request whatever the outcome, so that one request's fault does not shift the sequence
    // the following requests meet.
    const roll = prng.number()
    const pick = prng.integer(Math.max(1, config.faults.length))
    return roll < config.rate ? config.faults[pick] : undefined
  }
}

// FNV-1a, 32 bits: a stable number for a request's key.
const hash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/**
 * A small seeded pseudo-random generator (PCG, 64-bit state, 32-bit output, XSH RR), for decisions that must
 * come out the same on every run: which request meets a random fault, which workload a soak replays. It yields
 * exactly the sequence of Effect 3's `PCGRandom` (`effect/Utils`) for the same seed, so that seeded faults and
 * the figures computed from them do not change with the runtime that draws them.
 *
 * @since 0.1.0
 */

const DEFAULT_INC_HI = 0x14057b7e
const DEFAULT_INC_LO = 0xf767814f
const MUL_HI = 0x5851f42d >>> 0
const MUL_LO = 0x4c957f2d >>> 0
const BIT_53 = 9007199254740992.0
const BIT_27 = 134217728.0

/**
 * A generator and its state: each call moves the state on.
 *
 * @since 0.1.0
 * @category models
 */
export interface Prng {
  /** A double from 0 (included) to 1 (excluded), with 53 random bits. */
  readonly number: () => number
  /** An integer from 0 (included) to `max` (excluded), from one `number()`. */
  readonly integer: (max: number) => number
}

// 64-bit arithmetic on two 32-bit halves, as the state is kept (signed, in an Int32Array) by the original.
const mul64 = (out: Int32Array, aHi: number, aLo: number, bHi: number, bLo: number): void => {
  let c1 = ((aLo >>> 16) * (bLo & 0xffff)) >>> 0
  let c0 = ((aLo & 0xffff) * (bLo >>> 16)) >>> 0
  let lo = ((aLo & 0xffff) * (bLo & 0xffff)) >>> 0
  let hi = ((aLo >>> 16) * (bLo >>> 16) + ((c0 >>> 16) + (c1 >>> 16))) >>> 0
  c0 = (c0 << 16) >>> 0
  lo = (lo + c0) >>> 0
  if ((lo >>> 0) < (c0 >>> 0)) hi = (hi + 1) >>> 0
  c1 = (c1 << 16) >>> 0
  lo = (lo + c1) >>> 0
  if ((lo >>> 0) < (c1 >>> 0)) hi = (hi + 1) >>> 0
  hi = (hi + Math.imul(aLo, bHi)) >>> 0
  hi = (hi + Math.imul(aHi, bLo)) >>> 0
  out[0] = hi
  out[1] = lo
}

const add64 = (out: Int32Array, aHi: number, aLo: number, bHi: number, bLo: number): void => {
  let hi = (aHi + bHi) >>> 0
  const lo = (aLo + bLo) >>> 0
  if ((lo >>> 0) < (aLo >>> 0)) hi = (hi + 1) | 0
  out[0] = hi
  out[1] = lo
}

const next = (state: Int32Array): number => {
  const oldHi = state[0]! >>> 0
  const oldLo = state[1]! >>> 0
  mul64(state, oldHi, oldLo, MUL_HI, MUL_LO)
  add64(state, state[0]!, state[1]!, state[2]!, state[3]!)
  let xsHi = oldHi >>> 18
  let xsLo = ((oldLo >>> 18) | (oldHi << 14)) >>> 0
  xsHi = (xsHi ^ oldHi) >>> 0
  xsLo = (xsLo ^ oldLo) >>> 0
  const xorshifted = ((xsLo >>> 27) | (xsHi << 5)) >>> 0
  const rot = oldHi >>> 27
  const rot2 = ((-rot >>> 0) & 31) >>> 0
  return ((xorshifted >>> rot) | (xorshifted << rot2)) >>> 0
}

/**
 * A generator seeded with 64 bits given as two 32-bit halves: `new PCGRandom(seedHi, seedLo)` of Effect 3.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make64 = (seedHi: number, seedLo: number): Prng => {
  const state = new Int32Array([0, 0, DEFAULT_INC_HI >>> 0, (DEFAULT_INC_LO | 1) >>> 0])
  next(state)
  add64(state, state[0]!, state[1]!, seedHi >>> 0, seedLo >>> 0)
  next(state)
  const number = (): number => {
    const hi = next(state) & 0x03ffffff
    const lo = next(state) & 0x07ffffff
    return (hi * BIT_27 + lo) / BIT_53
  }
  return { number, integer: (max) => Math.round(number() * Number.MAX_SAFE_INTEGER) % max }
}

/**
 * A generator seeded with a 32-bit number (the high half of the seed 0): `new PCGRandom(seed)` of Effect 3.
 *
 * @example
 * ```ts
 * import { Prng } from "@effect-scenario/kernel"
 *
 * const prng = Prng.make(42)
 * const roll = prng.number() // the same on every run, and the same as Effect's PCGRandom(42)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (seed: number): Prng => make64(0, seed)

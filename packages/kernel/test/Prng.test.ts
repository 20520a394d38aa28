/**
 * The generator reproduces Effect 3's `PCGRandom` (`effect/Utils`) draw for draw: the sequences below were
 * recorded from `PCGRandom` (effect 3.22) for the same seeds, five `number()` then five `integer(12)` each, so
 * that a seeded fault plan or soak workload stays the same whichever of the two draws it.
 */
import * as Prng from "@effect-scenario/kernel/Prng"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

interface Recorded {
  readonly numbers: ReadonlyArray<number>
  readonly integers: ReadonlyArray<number>
}

// new PCGRandom(seed)
const SEEDED: ReadonlyArray<readonly [number, Recorded]> = [
  [0, {
    numbers: [0.03479883539545903, 0.4974824011181527, 0.30954464155874495, 0.38722809029349226, 0.4776972908117685],
    integers: [10, 0, 1, 7, 9]
  }],
  [1, {
    numbers: [0.05193137146131366, 0.8524066905232036, 0.09944275337972996, 0.34744985514490767, 0.5725550050061745],
    integers: [5, 9, 7, 2, 5]
  }],
  [42, {
    numbers: [0.7397302147566239, 0.679392270986327, 0.42125959833146553, 0.9445235243749676, 0.7304993999658423],
    integers: [9, 5, 11, 3, 7]
  }],
  [0xffffffff, {
    numbers: [0.194977324596044, 0.9662344730137524, 0.6221944811514744, 0.37909449427579933, 0.6948546398844697],
    integers: [1, 8, 4, 7, 2]
  }],
  [123456789, {
    numbers: [0.8919858141985728, 0.9757211476974218, 0.5100154185566079, 0.3239867417846989, 0.9390924596325111],
    integers: [4, 9, 3, 2, 1]
  }]
]

// new PCGRandom(seedHi, seedLo)
const SEEDED_64: ReadonlyArray<readonly [number, number, Recorded]> = [
  [0x811c9dc5, 1, {
    numbers: [0.6479973929995247, 0.1916796720598647, 0.0014761732450555565, 0.9716897995853175, 0.16004687855441935],
    integers: [3, 9, 5, 10, 10]
  }],
  [3735928559, 7, {
    numbers: [0.1325405770753375, 0.6475802191414284, 0.22381452796190082, 0.20679125611717109, 0.27215178058089406],
    integers: [0, 3, 6, 3, 5]
  }],
  [1, 0, {
    numbers: [0.5598026749981413, 0.6595967935563947, 0.7153932363728759, 0.5769247748704038, 0.6485539248646739],
    integers: [9, 6, 8, 5, 4]
  }]
]

const drawn = (prng: Prng.Prng): Recorded => ({
  numbers: Array.from({ length: 5 }, () => prng.number()),
  integers: Array.from({ length: 5 }, () => prng.integer(12))
})

describe("Prng", () => {
  it.each(SEEDED)("make(%d) draws what PCGRandom draws for that seed", (seed, recorded) => {
    expect(drawn(Prng.make(seed))).toEqual(recorded)
  })

  it.each(SEEDED_64)("make64(%d, %d) draws what PCGRandom draws for those halves", (hi, lo, recorded) => {
    expect(drawn(Prng.make64(hi, lo))).toEqual(recorded)
  })

  it("make(seed) is make64(0, seed), and a seed is read as its low 32 bits", () => {
    expect(drawn(Prng.make(99))).toEqual(drawn(Prng.make64(0, 99)))
    expect(drawn(Prng.make(-1))).toEqual(SEEDED[3]![1])
    expect(drawn(Prng.make(2 ** 32 + 42))).toEqual(SEEDED[2]![1])
  })

  it("two generators of one seed are independent of each other", () => {
    const a = Prng.make(5)
    const b = Prng.make(5)
    const first = a.number()
    a.number()
    expect(b.number()).toBe(first)
  })

  it("stays in range", () => {
    const prng = Prng.make(3)
    for (let i = 0; i < 2000; i++) {
      const x = prng.number()
      expect(x >= 0 && x < 1).toBe(true)
      const n = prng.integer(7)
      expect(Number.isInteger(n) && n >= 0 && n < 7).toBe(true)
    }
  })
})

// PCG XSH RR 64/32 written from its definition with 64-bit integers (BigInt): the state moves to
// `state · MUL + INC` mod 2^64, the output is the rotated xorshift of the old state. Any seed, not only the
// recorded ones, must draw as 64-bit arithmetic does.
const MASK = (1n << 64n) - 1n
const MUL = 0x5851f42d4c957f2dn
const INC = 0x14057b7ef767814fn
const reference = (seedHi: number, seedLo: number) => {
  let state = 0n
  const step = (): number => {
    const old = state
    state = (old * MUL + INC) & MASK
    const xorshifted = Number((((old >> 18n) ^ old) >> 27n) & 0xffffffffn)
    const rot = Number(old >> 59n)
    return ((xorshifted >>> rot) | (xorshifted << (-rot & 31))) >>> 0
  }
  step()
  state = (state + ((BigInt(seedHi >>> 0) << 32n) | BigInt(seedLo >>> 0))) & MASK
  step()
  return () => {
    const hi = step() & 0x03ffffff
    const lo = step() & 0x07ffffff
    return (hi * 2 ** 27 + lo) / 2 ** 53
  }
}

describe("Prng, against PCG's definition", () => {
  it("draws what 64-bit arithmetic draws, for any seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), (hi, lo) => {
        const prng = Prng.make64(hi, lo)
        const expected = reference(hi, lo)
        for (let i = 0; i < 20; i++) expect(prng.number()).toBe(expected())
      }),
      { numRuns: 300 }
    )
  })
})

/**
 * The part of vitest the shared suites use, as a shape: each line hands its own vitest (3 for the Effect 3
 * line, 5 for the Effect 4 line), so test-support depends on neither.
 */

/** The matchers the shared suites use. */
export interface Matchers {
  readonly toBe: (expected: unknown) => void
  readonly toEqual: (expected: unknown) => void
  readonly toContain: (expected: string) => void
  readonly toBeUndefined: () => void
  readonly toBeLessThan: (n: number) => void
  readonly toBeLessThanOrEqual: (n: number) => void
  readonly toBeGreaterThan: (n: number) => void
  readonly toBeGreaterThanOrEqual: (n: number) => void
}

/** The matchers of `expect.poll`. */
export interface PollMatchers {
  readonly toBe: (expected: unknown) => Promise<void>
  readonly toContain: (expected: string) => Promise<void>
  readonly toBeGreaterThan: (n: number) => Promise<void>
}

/** The runner's vitest (its `@effect/vitest` module will do). */
export interface Vitest {
  readonly describe: (name: string, body: () => void) => void
  readonly it: {
    (name: string, body: () => Promise<void>, timeout?: number): void
    readonly skip: (name: string, body: () => void) => void
    readonly runIf: (condition: boolean) => (name: string, body: () => void) => void
  }
  readonly beforeAll: (body: () => Promise<void>, timeout?: number) => void
  readonly afterAll: (body: () => Promise<void>) => void
  readonly expect: {
    (actual: unknown): Matchers
    readonly poll: (actual: () => unknown, options?: { readonly timeout?: number }) => PollMatchers
  }
}

/**
 * What an error keeps of a response, as plain data for both lines: JSON nested to the depth limit and past it,
 * scalar bodies, bodies around the kept length, the headers left out, and the statuses whose errors carry a
 * request id and a wait. Each line's `test/ResponseBoundaries.test.ts` gives these to its own
 * `ApiResponse.interpret`; the limits themselves come from the kernel.
 */

/** `levels` arrays, one inside the other, the innermost holding `leaf`. */
export const nestedArrays = (levels: number, leaf: unknown = 1): unknown => {
  let value: unknown = leaf
  for (let i = 0; i < levels; i++) value = [value]
  return value
}

/** `levels` objects `{ a, n }`, one inside the other under `a`, the innermost holding `leaf`. */
export const nestedObjects = (levels: number, leaf: unknown = 1): unknown => {
  let value: unknown = leaf
  for (let i = 0; i < levels; i++) value = { a: value, n: i }
  return value
}

/** The value `levels` containers down (through the first child of each). */
export const descend = (value: unknown, levels: number): unknown => {
  let node = value
  for (let i = 0; i < levels; i++) {
    node = Array.isArray(node) ? node[0] : (node as Record<string, unknown>).a
  }
  return node
}

/** Leaves that are not containers: they never count as a level. */
export const leaves: ReadonlyArray<unknown> = [1, "text", null, true]

/** One deep branch among shallow ones. */
export const branches = (deep: unknown) => ({ shallow: [1, { b: 2 }], deep, after: "x" })

/** What the marker of a cut container says. */
export const MARKER_TEXT = "\"[nested deeper than 32 levels]\""

/** JSON that is not a container, and the value kept of it. */
export const scalars: ReadonlyArray<readonly [string, unknown]> = [
  ["null", null],
  ["0", 0],
  ["false", false],
  ["\"\"", ""],
  ["\"ab\"", "ab"]
]

/** Bodies kept as they are: empty, text and JSON (as parsed). */
export const keptBodies: ReadonlyArray<readonly [string, unknown]> = [
  ["", ""],
  ["not json", "not json"],
  ["{\"message\":\"no\"}", { message: "no" }]
]

/** A body that is too wide, and the issue of a small body of the wrong shape names the field. */
export const wideBody = JSON.stringify({
  model: { id: 5, trainingImages: Array.from({ length: 5000 }, (_, i) => i) }
})
export const smallWrongBody = JSON.stringify({ model: { id: 5 } })

export const NESTS_TOO_DEEP = "the body nests deeper than 32 levels and does not match the expected shape"
export const UNFORMATTABLE_ISSUE = "the body does not match the expected shape"
export const SHORT_ISSUE = "the id is missing"

/** The statuses (and body) whose errors carry a request id and a wait only when given; a 2xx keeps no wait. */
export const carriers = [[429, "{}"], [500, "{}"], [200, "{}"]] as const
export const carriedHeaders = { "x-request-id": "req_1", "retry-after": "3" }

/** Headers that can carry session material are left out, the others kept. */
export const sessionHeaders = {
  "set-cookie": "s=1",
  "cookie": "s=1",
  "authorization": "Bearer t",
  "proxy-authorization": "Basic u",
  "content-type": "application/json",
  "x-request-id": "req_1"
}
export const keptHeaders = { "content-type": "application/json", "x-request-id": "req_1" }

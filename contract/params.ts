/**
 * Params of every operation, bad and good, as plain data for both lines: the kernel's plain checks
 * (`ParamsCheck`, what the emulator answers a bad request with) and each line's `Validate` (what the client
 * refuses before sending) must give the same verdict and the same issues for each. The runners:
 * `packages/core/test/ParamsCheck.test.ts` (Effect 3) and `packages/effect4/test/ParamsCheck.test.ts` (Effect 4).
 */

export const operations = ["add", "replace", "replacePairs", "delete", "list"] as const
export type Operation = typeof operations[number]

export const png = "data:image/png;base64,iVBORw0KGgo="

export const bad: ReadonlyArray<readonly [Operation, unknown]> = [
  ["add", {}],
  ["add", null],
  ["add", []],
  ["add", 5],
  ["add", { modelId: "m" }],
  ["add", { modelId: "m", assetId: 5 }],
  ["add", { modelId: 5, assetId: "a" }],
  ["add", { assetId: "a" }],
  ["add", { modelId: "", assetId: "" }],
  ["add", { modelId: ".", assetId: "\uD800" }],
  ["add", { modelId: "m", assetId: "a", preset: "x" }],
  ["add", { modelId: "m", assetId: "a", preset: 1 }],
  ["add", { modelId: "m", assetId: "a", extra: 1 }],
  ["add", { modelId: "m", assetIds: [] }],
  ["add", { modelId: "m", assetIds: "x" }],
  ["add", { modelId: "m", assetIds: null }],
  ["add", { assetIds: null, preset: "x" }],
  ["add", { modelId: "m", assetIds: { 0: "a" } }],
  ["add", { modelId: "m", assetIds: [1, "", null, [], {}] }],
  ["add", { modelId: "m", assetIds: Array(12).fill("") }],
  ["add", { modelId: "m", assetIds: Array(11).fill("a") }],
  ["add", { modelId: "m", assetIds: ["a"], name: "n" }],
  ["add", { modelId: "m", assetId: "a", data: png }],
  ["add", { modelId: "m", name: "n" }],
  ["add", { modelId: "m", data: "x" }],
  ["add", { modelId: "m", data: "data:image/png;base64,AAA" }],
  ["add", { modelId: "m", data: "data:image/png;base64,A=AA" }],
  ["add", { modelId: "m", data: "data:image/png;base64," }],
  ["add", { modelId: "m", data: 5 }],
  ["add", { modelId: "m", data: png, name: "" }],
  ["add", { modelId: "m", data: png, name: 5 }],
  ["add", { modelId: "m", data: png, name: null }],
  ["add", { modelId: "m", assetId: "a", originalAssets: "yes" }],
  ["add", { modelId: "..", assetId: "a", preset: 5, extra: 1, more: { a: [1, "b"] } }],
  ["add", { modelId: null, assetId: "a", originalAssets: null }],
  ["replace", { modelId: "m", trainingImageId: "pairs", assetId: "a" }],
  ["replace", { modelId: "m", assetId: "a" }],
  ["replace", { modelId: "m", trainingImageId: "", assetId: "a" }],
  ["replace", { modelId: "m", trainingImageId: 7, data: "x", extra: true }],
  ["replace", { modelId: "m", trainingImageId: "t", assetIds: [""] }],
  ["replace", []],
  ["replacePairs", {}],
  ["replacePairs", { modelId: "m" }],
  ["replacePairs", { modelId: "m", pairs: {} }],
  ["replacePairs", { modelId: "m", pairs: "x" }],
  ["replacePairs", { modelId: "m", pairs: [{}] }],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: 5, instruction: 1, x: 1 }] }],
  ["replacePairs", { modelId: "m", pairs: [null, 1, "a", []] }],
  ["replacePairs", { modelId: "", pairs: [{ sourceId: "", targetId: "..", instruction: null }], extra: 1 }],
  ["replacePairs", null],
  ["replacePairs", []],
  ["replacePairs", [1]],
  ["delete", {}],
  ["delete", { modelId: "m" }],
  ["delete", { modelId: "m", trainingImageId: "t", projectId: "" }],
  ["delete", { modelId: "m", trainingImageId: "t", projectId: 5 }],
  ["delete", { modelId: "m", trainingImageId: "pairs", projectId: "p", x: 1 }],
  ["delete", "m"],
  ["list", { modelId: "m", originalAssets: "true" }],
  ["list", { modelId: "m", x: 1 }],
  ["list", { modelId: "m", originalAssets: null }],
  ["list", 5],
  ["list", null],
  ["list", undefined]
]

export const good: ReadonlyArray<readonly [Operation, unknown]> = [
  ["add", { modelId: "m", assetId: "a", preset: "subject", originalAssets: true }],
  ["add", { modelId: "m", assetIds: ["a", "b"] }],
  ["add", { modelId: "m", data: png, name: "a.png" }],
  ["replace", { modelId: "m", trainingImageId: "t", data: png }],
  ["replacePairs", { modelId: "m", pairs: [{ sourceId: "a", targetId: "b", instruction: "night" }] }],
  ["replacePairs", { modelId: "m", pairs: [] }],
  ["delete", { modelId: "m", trainingImageId: "t", projectId: "p" }],
  ["list", { modelId: "m" }]
]

/** The values and keys arbitrary params are made of (each runner builds them with its fast-check). */
export const arbitrary = {
  values: ["", ".", "..", "pairs", "a", png, "data:image/png;base64,AA", "\uD800", "default", "x"],
  pairKeys: ["sourceId", "targetId", "x"],
  keys: [
    "modelId",
    "trainingImageId",
    "assetId",
    "assetIds",
    "data",
    "name",
    "preset",
    "originalAssets",
    "pairs",
    "projectId",
    "extra"
  ],
  maxArray: 12,
  runs: 5000
} as const

/**
 * An issue's message with the type it names left out. "Expected <type>, actual <value>" names the type as the
 * line's Schema prints it: the Effect 3 line's (which the kernel's checks print too) `ReadonlyArray<AssetId>`,
 * the Effect 4 line's `array`. That is the one difference between the Effect 4 line's issues and the kernel's:
 * its runner compares the messages without it.
 */
export const withoutTypeName = (message: string): string =>
  message.replace(/^Expected .+?, actual /s, "Expected <type>, actual ")

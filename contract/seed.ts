/**
 * The seed checks both lines' fake and emulator share (`seedIssues`), as plain data: a seed and the issues it
 * must give, each as `path: message` (a `matches` entry: a regular expression the line must match). The
 * runners: `packages/testing/test/seed.test.ts` (Effect 3) and `packages/effect4/test/testing/seed.test.ts`.
 */

export interface SeedCase {
  readonly seed: unknown
  readonly issues: ReadonlyArray<string | { readonly matches: string }>
}

export const seedCases: ReadonlyArray<SeedCase> = [
  {
    seed: {
      model_1: { status: "queued", type: "sdxl", trainingImages: [{ id: "a" }, { id: "a", createdAt: "yesterday" }] },
      model_2: { pairs: [{ sourceId: "", targetId: "b" }], name: 3 }
    },
    issues: [
      "models.model_1.status: must be \"copying\", \"failed\", \"new\", \"trained\", \"training\" or \"training-canceled\", got \"queued\"",
      {
        matches:
          "^models\\.model_1\\.type: must be one of the documented model types \\(.*\"flux\\.1-lora\".*\\), got \"sdxl\"$"
      },
      "models.model_1.trainingImages.1.id: a is given twice",
      "models.model_1.trainingImages.1.createdAt: must be an ISO date",
      "models.model_2.name: must be a string",
      "models.model_2.pairs.0: must have a non-empty sourceId and targetId"
    ]
  },
  { seed: { model_1: { status: "trained", type: "sd-xl-lora", trainingImages: [{}, { id: "x" }] } }, issues: [] }
]

/** Issues as `path: message`, each entry matched by its `matches` pattern reported as the pattern when it holds. */
export const issueFacts = (
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<string | number>; readonly message: string }>,
  expected: SeedCase["issues"]
): SeedCase["issues"] =>
  issues.map((issue, i) => {
    const text = `${issue.path.join(".")}: ${issue.message}`
    const want = expected[i]
    return typeof want === "object" && new RegExp(want.matches).test(text) ? want : text
  })

/**
 * The emulator's own limit on a seed's images (`Seed.DEFAULT_MAX_IMAGES` of the emulator package), which each
 * line's `ScenarioEmulator` keeps when `maxSeedImages` is not given: at start and for later seeds.
 */
export const defaultImageLimit = {
  maxImages: 10_000,
  /** A seed of `count` images for `model_1`. */
  seed: (count: number) => ({ model_1: { trainingImages: Array.from({ length: count }, () => ({})) } }),
  /** The refusal of a seed one image over. */
  overMessage: "Invalid seed: models: 10001 training images, over the limit of 10000 (maxSeedImages)"
} as const

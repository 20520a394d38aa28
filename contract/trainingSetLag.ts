/**
 * A sync over real HTTP while the emulator's list lags (eventual consistency), as plain data for both lines:
 * every add is answered with a 5xx after it was applied, and reconciliation must wait out the lag, not resend.
 * The runners, against their line's emulator and Node HTTP client: `packages/testing/test/TrainingSetLag.test.ts`
 * (Effect 3) and `packages/effect4/test/testing/TrainingSetLag.test.ts`.
 */

export const MODEL = "model_lag"

/** The folder: the image of `names[i]` is test-support's `png(i, size)`. */
export const FOLDER = { names: ["a.png", "b.png", "c.png"], size: 64 } as const

/**
 * Every add answered with `status` after it was applied, the list lagging `listLag`, the run's settle window
 * longer than the lag: a listing made that long after the 5xx sees the add. The model ends with the folder's
 * names, once each, one add per image, and the fault counted once per add under its `faultCount` key.
 */
export const AFTER_APPLY = {
  statuses: [500, 503] as const,
  listLag: "1500 millis",
  concurrency: 3,
  settleWindow: "2500 millis",
  stored: ["a.png", "b.png", "c.png"],
  adds: 3,
  faultCount: (status: number) => `${status}-after-apply`,
  faults: 3
} as const

/**
 * The lag itself: one image added, the snapshot shows it at once, a plan made at once would add it again
 * (`early`), and once the lag is lifted the plan keeps it (`settled`).
 */
export const LAG = {
  listLag: "1 minute",
  image: { name: "a.png", png: 1, size: 64 },
  snapshotImages: 1,
  early: ["Add"],
  settled: ["Keep"]
} as const

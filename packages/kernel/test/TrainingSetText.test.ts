import type { PlanItem, Summary } from "@effect-scenario/kernel/TrainingSetPlan"
import {
  describeItem,
  doneText,
  failureLine,
  fittedLine,
  interruptedLine,
  itemText,
  leftLines,
  makeSpeed,
  pastTense,
  pausedLine,
  reconciledLine,
  retryLine,
  summaryLine
} from "@effect-scenario/kernel/TrainingSetText"
import { describe, expect, it } from "vitest"

const MiB = 1024 * 1024
const pair = { source: "a.png", target: "b.png" }

const items: ReadonlyArray<readonly [PlanItem, string, string]> = [
  [{ _tag: "Add", name: "a.png" }, "add a.png", "added a.png (ti_1)"],
  [
    { _tag: "AddAssets", assets: [{ assetId: "asset_1", name: "a1" }, { assetId: "asset_2", name: "a2" }] } as PlanItem,
    "add assets asset_1, asset_2",
    "added 2 assets (ti_1)"
  ],
  [
    { _tag: "Replace", name: "b.png", trainingImageId: "ti_2" } as PlanItem,
    "replace b.png (ti_2)",
    "replaced b.png (ti_1)"
  ],
  [
    { _tag: "Delete", name: "c.png", trainingImageId: "ti_3", reason: "duplicate" } as PlanItem,
    "delete c.png (ti_3, a duplicate)",
    "deleted c.png (ti_3)"
  ],
  [
    { _tag: "Delete", name: "c.png", trainingImageId: "ti_3", reason: "not-in-set" } as PlanItem,
    "delete c.png (ti_3)",
    "deleted c.png (ti_3)"
  ],
  [{ _tag: "Keep", name: "d.png", trainingImageId: "ti_4" } as PlanItem, "keep d.png", "kept d.png"],
  [{ _tag: "SetPairs", pairs: [pair] } as PlanItem, "set 1 pair", "set 1 pair"],
  [{ _tag: "SetPairs", pairs: [pair, pair] } as PlanItem, "set 2 pairs", "set 2 pairs"],
  [
    { _tag: "Skip", name: "e.txt", reason: "not-an-image" } as PlanItem,
    "skip e.txt: not a PNG, JPEG, WebP or GIF image (judged by its first bytes)",
    "skipped e.txt: not a PNG, JPEG, WebP or GIF image (judged by its first bytes)"
  ],
  [
    { _tag: "Skip", name: "f", reason: "link-loop" } as PlanItem,
    "skip f: a symbolic link that loops",
    "skipped f: a symbolic link that loops"
  ],
  [
    { _tag: "TooLarge", name: "g.png", bytes: 8 * MiB, requestBytes: 11 * MiB, maxRequestBytes: 10 * MiB } as PlanItem,
    "add g.png will fail: 8.0 MiB, a 11.0 MiB request, over the 10.0 MiB request limit: downscale it (--fit does) or exclude it",
    "not sent g.png"
  ],
  [
    {
      _tag: "TooLarge",
      name: "g.png",
      trainingImageId: "ti_5",
      bytes: 8 * MiB,
      requestBytes: 11 * MiB,
      maxRequestBytes: 10 * MiB
    } as PlanItem,
    "replace g.png will fail: 8.0 MiB, a 11.0 MiB request, over the 10.0 MiB request limit: downscale it (--fit does) or exclude it",
    "not sent g.png"
  ]
]

describe("an item's text", () => {
  it("what each kind is, and what was done to it", () => {
    for (const [item, described, done] of items) {
      expect(describeItem(item)).toBe(described)
      expect(pastTense(item, ["ti_1"])).toBe(done)
    }
    expect(pastTense({ _tag: "Add", name: "a.png" }, [])).toBe("added a.png")
    expect(pastTense({ _tag: "Add", name: "a.png" }, ["ti_1", "ti_2"])).toBe("added a.png (ti_1, ti_2)")
  })

  it("text from outside is escaped in every line, the command's own words are not", () => {
    const item: PlanItem = { _tag: "Add", name: "x\u001b[2J\n.png" }
    expect(itemText(item)).toBe("add x\\x1b[2J\\x0a.png")
    expect(doneText(item, ["ti\u0007"])).toBe("added x\\x1b[2J\\x0a.png (ti\\x07)")
    expect(failureLine(item, { message: "bad\r\nFAILED other" })).toBe(
      "FAILED add x\\x1b[2J\\x0a.png: bad\\x0d\\x0aFAILED other"
    )
    expect(retryLine(item, { _tag: "TimeoutError" })).toBe("retrying add x\\x1b[2J\\x0a.png after TimeoutError")
    expect(reconciledLine(item, true)).toBe("add x\\x1b[2J\\x0a.png: outcome unknown, found on the model")
    expect(reconciledLine(item, false)).toBe("add x\\x1b[2J\\x0a.png: outcome unknown, not on the model, sending again")
  })
})

describe("an image fitted under the request limit", () => {
  const fit = { bytes: 24 * MiB, requestBytes: 32 * MiB, maxRequestBytes: 10 * MiB, maxImageBytes: 7.5 * MiB }

  it("the plan says it will be fitted, and to what size", () => {
    expect(describeItem({ _tag: "Add", name: "big.jpg", fit })).toBe(
      "add big.jpg, fitted: 24.0 MiB is over the 10.0 MiB request limit, sent as at most 7.5 MiB"
    )
    expect(describeItem({ _tag: "Replace", name: "big.jpg", trainingImageId: "ti_1", fit })).toBe(
      "replace big.jpg (ti_1), fitted: 24.0 MiB is over the 10.0 MiB request limit, sent as at most 7.5 MiB"
    )
  })

  it("the report says what was sent, the name escaped", () => {
    expect(fittedLine("big\u001b.jpg", {
      bytes: 24 * MiB,
      width: 6000,
      height: 4000,
      mediaType: "image/jpeg",
      sentBytes: 7 * MiB,
      sentWidth: 3000,
      sentHeight: 2000,
      sentMediaType: "image/jpeg"
    })).toBe("fitted big\\x1b.jpg: 24.0 MiB 6000x4000 JPEG sent as 7.0 MiB 3000x2000 JPEG")
  })
})

describe("summaryLine", () => {
  const summary: Summary = {
    add: 1,
    replace: 2,
    delete: 3,
    keep: 4,
    skip: 0,
    tooLarge: 0,
    fit: 0,
    setPairs: false,
    changes: 6
  }

  it("the counts, and only the extras there are", () => {
    expect(summaryLine(summary, "model_1")).toBe(
      "Plan for model_1: 1 to add, 2 to replace, 3 to delete, 4 unchanged"
    )
    expect(summaryLine({ ...summary, skip: 2, tooLarge: 1, setPairs: true }, "model\u001b_1")).toBe(
      "Plan for model\\x1b_1: 1 to add, 2 to replace, 3 to delete, 4 unchanged, 2 skipped, 1 over the request limit (will fail), pairs to set"
    )
    expect(summaryLine({ ...summary, fit: 2 }, "model_1")).toBe(
      "Plan for model_1: 1 to add, 2 to replace, 3 to delete, 4 unchanged, 2 to fit under the request limit"
    )
  })
})

describe("the run's lines", () => {
  it("a pause, what a sync leaves, an interrupted run", () => {
    expect(pausedLine("2s 500ms")).toBe("rate limited: every worker pauses 2s 500ms")
    expect(leftLines({ notInFolder: 0, duplicates: 0 })).toEqual([])
    expect(leftLines({ notInFolder: 1, duplicates: 1 })).toEqual([
      "1 training image on the model is not in the folder: left as it is (--delete removes it)",
      "1 training image holds a name another one holds too: left as it is (--delete removes it)"
    ])
    expect(leftLines({ notInFolder: 3, duplicates: 2 })).toEqual([
      "3 training images on the model are not in the folder: left as they are (--delete removes them)",
      "2 training images hold a name another one holds too: left as they are (--delete removes them)"
    ])
    expect(interruptedLine({ succeeded: 3, failed: 1, total: 10 })).toBe(
      "Interrupted: 3 succeeded, 1 failed, 6 not done of 10; a rerun resumes where this one stopped."
    )
  })
})

describe("makeSpeed", () => {
  it("nothing in the first second: a burst is no speed", () => {
    let now = 1_000_000
    const speed = makeSpeed(() => now)
    now += 310
    for (let i = 0; i < 4; i++) speed.record({ _tag: "Succeeded" })
    expect(speed.text()).toBe("- items/s")
    now += 690
    expect(speed.text()).toBe("4.0 items/s")
  })

  it("answered items over the wall time; failures refused before sending, retries and pauses do not count", () => {
    let now = 0
    const speed = makeSpeed(() => now)
    now += 2_000
    speed.record({ _tag: "Failed", error: { _tag: "InvalidRequestError" } })
    speed.record({ _tag: "Failed", error: { _tag: "ImageSourceError" } })
    speed.record({ _tag: "Retried", error: { _tag: "TimeoutError" } })
    speed.record({ _tag: "Paused" })
    speed.record({ _tag: "Failed", error: { _tag: "ServerError" } })
    for (let i = 0; i < 4; i++) speed.record({ _tag: "Succeeded" })
    expect(speed.text()).toBe("2.5 items/s")
  })
})

describe("an item's text: the rest of each kind", () => {
  it("every skip reason is told", () => {
    const skip = (reason: "dangling-link" | "already-listed"): PlanItem => ({ _tag: "Skip", name: "l", reason })
    expect(describeItem(skip("dangling-link"))).toBe("skip l: a symbolic link to nothing")
    expect(pastTense(skip("already-listed"), [])).toBe("skipped l: a symbolic link to a folder already listed")
  })

  it("one asset is told in the singular; ids are listed after what was done", () => {
    const one: PlanItem = { _tag: "AddAssets", assets: [{ assetId: "asset_1", name: "a1" }] }
    expect(describeItem(one)).toBe("add assets asset_1")
    expect(pastTense(one, [])).toBe("added 1 asset")
    expect(pastTense({ _tag: "Replace", name: "b.png", trainingImageId: "ti_2" }, [])).toBe("replaced b.png")
    expect(pastTense({ _tag: "SetPairs", pairs: [] }, [])).toBe("set 0 pairs")
  })

  it("a size is in MiB with one decimal", () => {
    const item: PlanItem = {
      _tag: "TooLarge",
      name: "g.png",
      bytes: 1536 * 1024,
      requestBytes: 2 * MiB + 1,
      maxRequestBytes: 104_858
    }
    expect(describeItem(item)).toBe(
      "add g.png will fail: 1.5 MiB, a 2.0 MiB request, over the 0.1 MiB request limit: downscale it (--fit does) or exclude it"
    )
  })

  it("a fitted image of a type outside image/ is shown by its whole type", () => {
    expect(fittedLine("x", {
      bytes: MiB,
      width: 2,
      height: 3,
      mediaType: "application/octet-stream",
      sentBytes: MiB / 2,
      sentWidth: 1,
      sentHeight: 1,
      sentMediaType: "image/webp"
    })).toBe("fitted x: 1.0 MiB 2x3 application/octet-stream sent as 0.5 MiB 1x1 WEBP")
  })

  it("each extra of a summary is told on its own", () => {
    const none: Summary = {
      add: 0,
      replace: 0,
      delete: 0,
      keep: 0,
      skip: 0,
      tooLarge: 0,
      fit: 0,
      setPairs: false,
      changes: 0
    }
    expect(summaryLine({ ...none, skip: 1 }, "m")).toBe(
      "Plan for m: 0 to add, 0 to replace, 0 to delete, 0 unchanged, 1 skipped"
    )
    expect(summaryLine({ ...none, tooLarge: 1 }, "m")).toBe(
      "Plan for m: 0 to add, 0 to replace, 0 to delete, 0 unchanged, 1 over the request limit (will fail)"
    )
    expect(summaryLine({ ...none, setPairs: true }, "m")).toBe(
      "Plan for m: 0 to add, 0 to replace, 0 to delete, 0 unchanged, pairs to set"
    )
  })

  it("what a sync leaves: each count alone", () => {
    expect(leftLines({ notInFolder: 2, duplicates: 0 })).toEqual([
      "2 training images on the model are not in the folder: left as they are (--delete removes them)"
    ])
    expect(leftLines({ notInFolder: 0, duplicates: 1 })).toEqual([
      "1 training image holds a name another one holds too: left as it is (--delete removes it)"
    ])
  })
})

describe("makeSpeed: what counts", () => {
  it("a failure the server answered counts, with or without its error; one refused before sending does not", () => {
    let now = 0
    const speed = makeSpeed(() => now)
    now = 1_000
    speed.record({ _tag: "Failed" })
    expect(speed.text()).toBe("1.0 items/s")
    speed.record({ _tag: "Failed", error: { _tag: "ImageFitError" } })
    speed.record({ _tag: "Failed", error: { _tag: "ImageSourceError" } })
    speed.record({ _tag: "Failed", error: { _tag: "InvalidRequestError" } })
    expect(speed.text()).toBe("1.0 items/s")
    speed.record({ _tag: "Failed", error: { _tag: "RateLimitError" } })
    now = 4_000
    expect(speed.text()).toBe("0.5 items/s")
  })

  it("the speed is shown from the first whole second on", () => {
    let now = 5_000
    const speed = makeSpeed(() => now)
    speed.record({ _tag: "Succeeded" })
    now = 5_999
    expect(speed.text()).toBe("- items/s")
    now = 6_000
    expect(speed.text()).toBe("1.0 items/s")
  })
})

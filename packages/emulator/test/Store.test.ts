/**
 * The fake's store, operation by operation: what a seed keeps, what each change leaves of the rest, and the
 * answers it gives for unknown models and images.
 */
import { DEFAULT_MODEL_TYPE, DOWNLOAD_BASE_URL, Store } from "@effect-scenario/emulator/Store"
import { describe, expect, it } from "vitest"

const NOW = Date.parse("2024-05-01T10:00:00.000Z")
const LATER = Date.parse("2024-06-01T00:00:00.000Z")
const PNG = "data:image/png;base64,iVBORw0KGgo="

const seeded = () =>
  new Store({
    m: {
      trainingImages: [
        {
          id: "asset_a",
          name: "a.png",
          createdAt: "2023-02-03T11:19:41.579Z",
          description: "a lighthouse",
          automaticCaptioning: "a lighthouse on a cliff",
          downloadUrl: "https://cdn.example/a.png"
        },
        { id: "asset_b" },
        { id: "asset_c" },
        { id: "x/y ?" }
      ],
      pairs: [
        { sourceId: "asset_a", targetId: "asset_b", instruction: "colourise" },
        { sourceId: "asset_b", targetId: "asset_c" },
        { sourceId: "asset_c", targetId: "asset_a" }
      ]
    },
    bare: {}
  }, NOW)

describe("the fake's store", () => {
  it("a seeded image keeps every field given; the others get defaults from its id and the seed's time", () => {
    const model = seeded().model("m")!
    expect(model.trainingImages[0]).toEqual({
      id: "asset_a",
      name: "a.png",
      createdAt: "2023-02-03T11:19:41.579Z",
      description: "a lighthouse",
      automaticCaptioning: "a lighthouse on a cliff",
      downloadUrl: "https://cdn.example/a.png"
    })
    expect(model.trainingImages[1]).toEqual({
      id: "asset_b",
      name: "asset_b.png",
      createdAt: "2024-05-01T10:00:00.000Z",
      description: "",
      automaticCaptioning: "",
      downloadUrl: `${DOWNLOAD_BASE_URL}/asset_b`
    })
    expect(model.trainingImages[3]!.downloadUrl).toBe(`${DOWNLOAD_BASE_URL}/x%2Fy%20%3F`)
    expect(model.trainingImages[2]!.downloadUrl).toBe("https://cdn.scenario.test/assets/asset_c")
    // A pair without instruction has no instruction key at all, as on the wire.
    expect(Object.keys(model.pairs[1]!)).toEqual(["sourceId", "targetId"])
    expect(Object.keys(model.pairs[0]!)).toEqual(["sourceId", "targetId", "instruction"])
  })

  it("a model seeded without images or pairs has none, and the documented defaults", () => {
    const store = seeded()
    expect(store.model("bare")).toEqual({
      id: "bare",
      status: "new",
      type: DEFAULT_MODEL_TYPE,
      name: "bare",
      trainingImages: [],
      pairs: []
    })
    expect(store.list({ modelId: "bare" })).toEqual({
      status: 200,
      body: {
        model: {
          id: "bare",
          status: "new",
          type: DEFAULT_MODEL_TYPE,
          name: "bare",
          trainingImages: [],
          trainingImagePairs: [],
          trainingImagesNumber: 0
        }
      }
    })
    const custom = new Store({ c: { status: "trained", type: "sd-xl", name: "Custom" } }, NOW).model("c")!
    expect([custom.status, custom.type, custom.name]).toEqual(["trained", "sd-xl", "Custom"])
  })

  it("deleting an image removes only the pairs that name it", () => {
    const store = seeded()
    expect(store.delete({ modelId: "m", trainingImageId: "asset_c" })).toEqual({ status: 200, body: {} })
    const model = store.model("m")!
    expect(model.trainingImages.map((image) => image.id)).toEqual(["asset_a", "asset_b", "x/y ?"])
    expect(model.pairs).toEqual([{ sourceId: "asset_a", targetId: "asset_b", instruction: "colourise" }])
    expect(store.delete({ modelId: "m", trainingImageId: "asset_a" }).status).toBe(200)
    expect(store.model("m")!.pairs).toEqual([])
    expect(store.model("m")!.trainingImages.map((image) => image.id)).toEqual(["asset_b", "x/y ?"])
  })

  it("unknown models and images: 404 naming them, nothing changed", () => {
    const store = seeded()
    const before = store.snapshot()
    for (
      const response of [
        store.add({ modelId: "nope", assetId: "a" }, NOW),
        store.replace({ modelId: "nope", trainingImageId: "asset_a", assetId: "a" }, NOW),
        store.replacePairs({ modelId: "nope", pairs: [] }),
        store.delete({ modelId: "nope", trainingImageId: "asset_a" }),
        store.list({ modelId: "nope" })
      ]
    ) {
      expect(response).toEqual({ status: 404, body: { message: "Model nope not found" } })
    }
    for (
      const response of [
        store.replace({ modelId: "m", trainingImageId: "asset_z", assetId: "a" }, NOW),
        store.delete({ modelId: "m", trainingImageId: "asset_z" })
      ]
    ) {
      expect(response).toEqual({ status: 404, body: { message: "Training image asset_z not found in model m" } })
    }
    expect(store.snapshot()).toEqual(before)
  })

  it("add: every asset of a batch, named by its asset id; inline data named as given or by its type", () => {
    const store = seeded()
    const batch = store.add({ modelId: "bare", assetIds: ["asset_1", "asset_2", "asset_3"] }, LATER)
    expect(batch.status).toBe(200)
    expect(batch.body).toEqual({
      trainingImage: {
        id: "asset_test_000001",
        name: "asset_1",
        createdAt: "2024-06-01T00:00:00.000Z",
        description: "",
        automaticCaptioning: "",
        downloadUrl: `${DOWNLOAD_BASE_URL}/asset_test_000001`
      }
    })
    store.add({ modelId: "bare", data: PNG, name: "cat.png" }, LATER)
    store.add({ modelId: "bare", data: "data:image/svg+xml;base64,PHN2Zz4=" }, LATER)
    store.add({ modelId: "bare", data: "data:image/jpeg;name=a.jpg;base64,/9j/" }, LATER)
    expect(store.model("bare")!.trainingImages.map((image) => [image.id, image.name])).toEqual([
      ["asset_test_000001", "asset_1"],
      ["asset_test_000002", "asset_2"],
      ["asset_test_000003", "asset_3"],
      ["asset_test_000004", "cat.png"],
      ["asset_test_000005", "asset_test_000005.svg"],
      ["asset_test_000006", "asset_test_000006.jpeg"]
    ])
  })

  it("replace keeps the id and position; a batch puts its other assets right after it", () => {
    const store = seeded()
    const response = store.replace(
      { modelId: "m", trainingImageId: "asset_b", assetIds: ["asset_n1", "asset_n2"] },
      LATER
    )
    expect(response).toEqual({
      status: 200,
      body: {
        trainingImage: {
          id: "asset_b",
          name: "asset_n1",
          createdAt: "2024-06-01T00:00:00.000Z",
          description: "",
          automaticCaptioning: "",
          downloadUrl: `${DOWNLOAD_BASE_URL}/asset_b`
        }
      }
    })
    expect(store.model("m")!.trainingImages.map((image) => [image.id, image.name])).toEqual([
      ["asset_a", "a.png"],
      ["asset_b", "asset_n1"],
      ["asset_test_000001", "asset_n2"],
      ["asset_c", "asset_c.png"],
      ["x/y ?", "x/y ?.png"]
    ])
    store.replace({ modelId: "m", trainingImageId: "asset_a", data: PNG }, LATER)
    expect(store.model("m")!.trainingImages[0]!.name).toBe("asset_a.png")
    // The pairs stay: the image kept its id.
    expect(store.model("m")!.pairs).toHaveLength(3)
  })

  it("replacePairs: both ends must be images of the model; then the pairs replace all others", () => {
    const store = seeded()
    expect(store.replacePairs({ modelId: "m", pairs: [{ sourceId: "asset_a", targetId: "asset_zz" }] })).toEqual({
      status: 400,
      body: { message: "pairs[0].targetId: asset_zz is not a training image of model m" }
    })
    expect(
      store.replacePairs({
        modelId: "m",
        pairs: [{ sourceId: "asset_a", targetId: "asset_b" }, { sourceId: "asset_zz", targetId: "asset_a" }]
      })
    ).toEqual({ status: 400, body: { message: "pairs[1].sourceId: asset_zz is not a training image of model m" } })
    expect(store.model("m")!.pairs).toHaveLength(3)
    const pairs = [{ sourceId: "asset_c", targetId: "asset_b", instruction: "flip" }, {
      sourceId: "asset_a",
      targetId: "asset_a"
    }]
    expect(store.replacePairs({ modelId: "m", pairs })).toEqual({ status: 200, body: { count: 2, pairs } })
    expect(store.model("m")!.pairs).toEqual(pairs)
    expect(store.replacePairs({ modelId: "m", pairs: [] })).toEqual({ status: 200, body: { count: 0, pairs: [] } })
    expect(store.model("m")!.pairs).toEqual([])
  })

  it("generated ids skip every id seeded or given out, and reset restarts the counter from the seed", () => {
    const store = new Store({ m: { trainingImages: [{ id: "asset_test_000002" }, {}] } }, NOW)
    expect(store.model("m")!.trainingImages.map((image) => image.id)).toEqual([
      "asset_test_000002",
      "asset_test_000001"
    ])
    store.add({ modelId: "m", assetId: "a" }, NOW)
    store.delete({ modelId: "m", trainingImageId: "asset_test_000003" })
    store.add({ modelId: "m", assetId: "b" }, NOW)
    expect(store.model("m")!.trainingImages.map((image) => image.id)).toEqual([
      "asset_test_000002",
      "asset_test_000001",
      "asset_test_000004"
    ])
    store.seed({ other: {} }, NOW)
    store.reset(LATER)
    expect(store.snapshot()).toEqual(
      new Store({ m: { trainingImages: [{ id: "asset_test_000002" }, {}] } }, LATER).snapshot()
    )
    expect(store.model("other")).toBeUndefined()
    store.add({ modelId: "m", assetId: "a" }, NOW)
    expect(store.model("m")!.trainingImages.map((image) => image.id).at(-1)).toBe("asset_test_000003")
  })

  it("snapshots and models are copies", () => {
    const store = seeded()
    const model = store.model("m")!
    const snapshot = store.snapshot()
    ;(model.trainingImages as Array<unknown>).length = 0
    ;(model.pairs[0] as { sourceId: string }).sourceId = "changed"
    ;(snapshot.models.m!.trainingImages[0] as { name: string }).name = "changed"
    expect(store.model("m")).toEqual(seeded().model("m"))
    const listed = store.list({ modelId: "m" }).body as { model: { trainingImages: Array<{ name: string }> } }
    listed.model.trainingImages[0]!.name = "changed"
    expect(store.model("m")).toEqual(seeded().model("m"))
  })
})

describe("inline data, kept for the inspector's thumbnails", () => {
  const GIF = "data:image/gif;base64,R0lGODlhAQABAAAAACw="

  it("is kept only by a store made to keep it", () => {
    const plain = new Store({ m: { trainingImages: [{ id: "asset_s", data: PNG }] } }, NOW)
    plain.add({ modelId: "m", data: GIF }, NOW)
    expect(plain.dataUrl("m", "asset_s")).toBeUndefined()
    expect(plain.snapshot().models.m!.trainingImages.map((image) => plain.dataUrl("m", image.id))).toEqual([
      undefined,
      undefined
    ])
  })

  it("by model and image: the same id in two models keeps two contents", () => {
    const store = new Store(
      {
        m: { trainingImages: [{ id: "asset_s", data: PNG }] },
        m2: { trainingImages: [{ id: "asset_s", data: GIF }] }
      },
      NOW,
      true
    )
    expect(store.dataUrl("m", "asset_s")?.dataUrl).toBe(PNG)
    expect(store.dataUrl("m2", "asset_s")?.dataUrl).toBe(GIF)
    expect(store.dataUrl("m", "asset_unknown")).toBeUndefined()
  })

  it("seeding a model again drops its old contents, and only its own (not those of a model whose id it begins)", () => {
    const store = new Store(
      {
        m: { trainingImages: [{ id: "asset_s", data: PNG }, { id: "asset_t", data: PNG }] },
        m2: { trainingImages: [{ id: "asset_s", data: GIF }] }
      },
      NOW,
      true
    )
    const before = store.dataUrl("m", "asset_s")!.revision
    store.seed({ m: { trainingImages: [{ id: "asset_s", data: GIF }] } }, LATER)
    expect(store.dataUrl("m", "asset_s")).toEqual({ dataUrl: GIF, revision: expect.any(Number) })
    expect(store.dataUrl("m", "asset_s")!.revision).toBeGreaterThan(before)
    expect(store.dataUrl("m", "asset_t")).toBeUndefined()
    expect(store.dataUrl("m2", "asset_s")?.dataUrl).toBe(GIF)
  })

  it("an image seeded without data, or added by asset id (one or a batch), has none", () => {
    const store = new Store({ m: { trainingImages: [{ id: "asset_s" }] } }, NOW, true)
    expect(store.dataUrl("m", "asset_s")).toBeUndefined()
    store.add({ modelId: "m", assetId: "asset_x" }, NOW)
    store.add({ modelId: "m", assetIds: ["asset_y", "asset_z"] }, NOW)
    const ids = store.snapshot().models.m!.trainingImages.map((image) => image.id)
    expect(ids).toHaveLength(4)
    for (const id of ids) expect(store.dataUrl("m", id), id).toBeUndefined()
    store.add({ modelId: "m", data: PNG }, NOW)
    const added = store.snapshot().models.m!.trainingImages.at(-1)!.id
    expect(store.dataUrl("m", added)?.dataUrl).toBe(PNG)
  })
})

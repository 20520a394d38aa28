/**
 * The fake's store, operation by operation: what a seed keeps, what each change leaves of the rest, and the
 * answers it gives for unknown models and images.
 */
import {
  DEFAULT_MODEL_TYPE,
  type Download,
  DOWNLOAD_BASE_URL,
  PLACEHOLDER,
  Store
} from "@effect-scenario/emulator/Store"
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

  it("one asset id names its image, added or replacing one; a model seeded without a type is a flux.1-lora", () => {
    const store = seeded()
    store.add({ modelId: "bare", assetId: "asset_one" }, LATER)
    store.replace({ modelId: "m", trainingImageId: "asset_b", assetId: "asset_two" }, LATER)
    expect(store.model("bare")!.trainingImages.map((image) => image.name)).toEqual(["asset_one"])
    expect(store.model("m")!.trainingImages[1]).toMatchObject({ id: "asset_b", name: "asset_two" })
    expect(store.model("bare")!.type).toBe("flux.1-lora")
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

describe("the list lag: an added image stays out of list for a while", () => {
  const listed = (store: Store, modelId: string, now?: number) => {
    const body = store.list({ modelId }, now).body as {
      model: { trainingImages: ReadonlyArray<{ id: string }>; trainingImagesNumber: number }
    }
    return [body.model.trainingImages.map((image) => image.id), body.model.trainingImagesNumber]
  }

  it("hides an added image until the lag has passed (its last millisecond included); inspection sees it", () => {
    const store = new Store({ m: { trainingImages: [{ id: "asset_s" }] } }, NOW, false, 1000)
    store.add({ modelId: "m", assetId: "a" }, NOW)
    // The seeded image was never added: it shows at once.
    expect(listed(store, "m", NOW)).toEqual([["asset_s"], 1])
    expect(listed(store, "m", NOW + 999)).toEqual([["asset_s"], 1])
    expect(listed(store, "m", NOW + 1000)).toEqual([["asset_s", "asset_test_000001"], 2])
    // Without a time, list sees what the end of time would.
    expect(listed(store, "m")).toEqual([["asset_s", "asset_test_000001"], 2])
    expect(store.model("m")!.trainingImages.map((image) => image.id)).toEqual(["asset_s", "asset_test_000001"])
  })

  it("a lag of 0 shows every image at once, even one added after the time listed", () => {
    const store = new Store({ m: {} }, NOW)
    store.add({ modelId: "m", assetId: "a" }, LATER)
    expect(listed(store, "m", NOW)).toEqual([["asset_test_000001"], 1])
  })

  it("setListLag changes it, a negative lag counts as 0, and reset brings back the initial one", () => {
    const store = new Store({ m: {} }, NOW, false, 500)
    store.add({ modelId: "m", assetId: "a" }, NOW)
    expect(listed(store, "m", NOW)).toEqual([[], 0])
    store.setListLag(-100)
    expect(listed(store, "m", NOW - 1)).toEqual([["asset_test_000001"], 1])
    store.setListLag(2000)
    expect(listed(store, "m", NOW + 1999)).toEqual([[], 0])
    expect(listed(store, "m", NOW + 2000)).toEqual([["asset_test_000001"], 1])
    store.reset(NOW)
    store.add({ modelId: "m", assetId: "a" }, NOW)
    expect(listed(store, "m", NOW + 499)).toEqual([[], 0])
    expect(listed(store, "m", NOW + 500)).toEqual([["asset_test_000001"], 1])
  })

  it("a negative initial lag counts as 0, at the start and after a reset", () => {
    const store = new Store({ m: {} }, NOW, false, -1000)
    store.add({ modelId: "m", assetId: "a" }, NOW)
    expect(listed(store, "m", NOW - 1)).toEqual([["asset_test_000001"], 1])
    store.reset(NOW)
    store.add({ modelId: "m", assetId: "a" }, NOW)
    expect(listed(store, "m", NOW - 1)).toEqual([["asset_test_000001"], 1])
  })

  it("seeding a model again forgets when its images were added, and only its own", () => {
    const store = new Store({ m: {}, m2: {} }, NOW, false, 1000)
    store.add({ modelId: "m", assetId: "a" }, NOW)
    store.add({ modelId: "m2", assetId: "b" }, NOW)
    store.seed({ m: { trainingImages: [{ id: "asset_test_000001" }] } }, NOW)
    expect(listed(store, "m", NOW)).toEqual([["asset_test_000001"], 1])
    expect(listed(store, "m2", NOW)).toEqual([[], 0])
  })

  it("reset forgets the contents kept, those of a model seeded later included", () => {
    const store = new Store({ m: {} }, NOW, true)
    store.seed({ other: { trainingImages: [{ id: "asset_s", data: PNG }] } }, NOW)
    expect(store.dataUrl("other", "asset_s")?.dataUrl).toBe(PNG)
    store.reset(NOW)
    expect(store.dataUrl("other", "asset_s")).toBeUndefined()
  })
})

describe("download: what an image's downloadUrl serves", () => {
  const bytesOf = (download: Download | undefined) =>
    download === undefined ? undefined : [download.contentType, [...download.bytes], download.placeholder]

  it("the bytes of its inline data as given, its media type in lower case; undefined for an id no model holds", () => {
    const store = new Store({ m: {}, m2: { trainingImages: [{ id: "asset_s", data: PNG }] } }, NOW, true)
    store.add({ modelId: "m", data: "DATA:Image/GIF;name=x.gif;BASE64,AAEC/w==" }, NOW)
    expect(bytesOf(store.download("asset_test_000001"))).toEqual(["image/gif", [0, 1, 2, 255], false])
    expect(bytesOf(store.download("asset_s"))).toEqual([
      "image/png",
      [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
      false
    ])
    expect(store.download("asset_none")).toBeUndefined()
  })

  it("the placeholder for an image without content: added by asset id, seeded without data, or not kept", () => {
    const store = new Store({ m: { trainingImages: [{ id: "asset_s" }] } }, NOW, true)
    store.add({ modelId: "m", assetId: "a" }, NOW)
    expect(store.download("asset_s")).toBe(PLACEHOLDER)
    expect(store.download("asset_test_000001")).toBe(PLACEHOLDER)
    const plain = new Store({ m: { trainingImages: [{ id: "asset_s", data: PNG }] } }, NOW)
    expect(plain.download("asset_s")).toBe(PLACEHOLDER)
    expect(bytesOf(PLACEHOLDER)?.slice(0, 1)).toEqual(["image/png"])
    expect([...PLACEHOLDER.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    expect(PLACEHOLDER.placeholder).toBe(true)
  })

  it("the placeholder for data that is not base64 or does not decode", () => {
    const store = new Store(
      {
        m: {
          trainingImages: [
            { id: "plain", data: "data:image/svg+xml,<svg/>" },
            { id: "nocomma", data: "data:image/png;base64" },
            { id: "broken", data: "data:image/png;base64,!!!!" },
            { id: "notype", data: "data:;base64,AAEC" },
            { id: "suffix", data: "data:image/png;base64x,AAEC" },
            { id: "prefix", data: "xdata:image/png;base64,AAEC" },
            { id: "params", data: "data:image/png;a=b;c=d;base64,AAEC" }
          ]
        }
      },
      NOW,
      true
    )
    for (const id of ["plain", "nocomma", "broken", "notype", "suffix", "prefix"]) {
      expect(store.download(id), id).toBe(PLACEHOLDER)
    }
    expect(bytesOf(store.download("params"))).toEqual(["image/png", [0, 1, 2], false])
  })

  it("an id held by two models: the content of the first that holds it", () => {
    const GIF = "data:image/gif;base64,AAEC"
    const store = new Store(
      {
        a: { trainingImages: [{ id: "asset_other", data: PNG }] },
        m: { trainingImages: [{ id: "asset_s", data: GIF }] },
        m2: { trainingImages: [{ id: "asset_s", data: PNG }] }
      },
      NOW,
      true
    )
    expect(bytesOf(store.download("asset_s"))).toEqual(["image/gif", [0, 1, 2], false])
  })

  it("replace drops the old content: an asset id leaves the placeholder, inline data a new revision", () => {
    const store = new Store(
      {
        m: { trainingImages: [{ id: "asset_s", data: PNG }, { id: "asset_t", data: PNG }] }
      },
      NOW,
      true
    )
    const before = store.dataUrl("m", "asset_t")!.revision
    store.replace({ modelId: "m", trainingImageId: "asset_s", assetId: "a" }, NOW)
    expect(store.dataUrl("m", "asset_s")).toBeUndefined()
    expect(store.download("asset_s")).toBe(PLACEHOLDER)
    store.replace({ modelId: "m", trainingImageId: "asset_t", data: "data:image/gif;base64,AAEC" }, NOW)
    expect(store.dataUrl("m", "asset_t")!.dataUrl).toBe("data:image/gif;base64,AAEC")
    expect(store.dataUrl("m", "asset_t")!.revision).toBeGreaterThan(before)
    expect(bytesOf(store.download("asset_t"))).toEqual(["image/gif", [0, 1, 2], false])
  })

  it("delete drops the content", () => {
    const store = new Store({ m: { trainingImages: [{ id: "asset_s", data: PNG }] } }, NOW, true)
    store.delete({ modelId: "m", trainingImageId: "asset_s" })
    expect(store.dataUrl("m", "asset_s")).toBeUndefined()
    store.seed({ m2: { trainingImages: [{ id: "asset_s" }] } }, NOW)
    expect(store.download("asset_s")).toBe(PLACEHOLDER)
  })

  it("a store made with another download origin points its images there", () => {
    const store = new Store({ m: { trainingImages: [{ id: "asset_s" }] } }, NOW, false, 0, "http://127.0.0.1:9/assets")
    store.add({ modelId: "m", assetId: "a" }, NOW)
    expect(store.model("m")!.trainingImages.map((image) => image.downloadUrl)).toEqual([
      "http://127.0.0.1:9/assets/asset_s",
      "http://127.0.0.1:9/assets/asset_test_000001"
    ])
  })

  it("a model id of __proto__ is kept as an own entry of the snapshot", () => {
    const store = new Store(JSON.parse(`{"__proto__": {"name": "proto"}}`) as Record<string, object>, NOW)
    const snapshot = store.snapshot()
    expect(Object.hasOwn(snapshot.models, "__proto__")).toBe(true)
    expect(snapshot.models["__proto__"]!.name).toBe("proto")
    expect(store.model("__proto__")!.name).toBe("proto")
  })
})

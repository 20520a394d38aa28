import { TrainingImage } from "@effect-scenario/effect4"
import { describe, expect, it } from "@effect/vitest"
import { Result, Schema } from "effect"

const image = {
  id: "asset_1",
  automaticCaptioning: "a caption",
  createdAt: "2023-02-03T11:19:41.579Z",
  description: "a description",
  downloadUrl: "https://cdn.example/asset_1.png",
  name: "a.png"
}

describe("ModelResponse", () => {
  const decode = Schema.decodeUnknownResult(TrainingImage.ModelResponse)

  it("a model without training images or pairs has empty lists", () => {
    const result = decode({ model: { id: "m", status: "new", trainingImagesNumber: 0, type: "flux.1-lora" } })
    if (Result.isFailure(result)) throw new Error(String(result.failure))
    expect(result.success).toBeInstanceOf(TrainingImage.ModelTrainingImages)
    expect({ ...result.success }).toEqual({
      modelId: "m",
      status: "new",
      trainingImages: [],
      trainingImagePairs: [],
      trainingImagesNumber: 0
    })
  })

  it("the model's fields become ModelTrainingImages, and encode back to the wire's shape", () => {
    const wire = {
      model: {
        id: "m",
        status: "trained",
        trainingImages: [image],
        trainingImagePairs: [{ sourceId: "asset_1", targetId: "asset_1" }],
        trainingImagesNumber: 1
      }
    }
    const result = decode(wire)
    if (Result.isFailure(result)) throw new Error(String(result.failure))
    expect(result.success.modelId).toBe("m")
    expect(result.success.trainingImages[0]).toBeInstanceOf(TrainingImage.TrainingImage)
    expect(JSON.parse(JSON.stringify(Schema.encodeSync(TrainingImage.ModelResponse)(result.success)))).toEqual(wire)
  })

  it("a required field missing, or of another type, is a decode error", () => {
    expect(Result.isFailure(decode({ model: { status: "new", trainingImagesNumber: 0 } }))).toBe(true)
    expect(Result.isFailure(decode({ model: { id: "m", status: "new", trainingImagesNumber: "0" } }))).toBe(true)
    expect(Result.isFailure(decode({ model: { id: "m", status: "new", trainingImagesNumber: 0, trainingImages: {} } })))
      .toBe(true)
    expect(Result.isFailure(decode({}))).toBe(true)
  })
})

describe("TrainingImageResponse", () => {
  it("unknown fields are dropped; every documented one is required", () => {
    const decode = Schema.decodeUnknownResult(TrainingImage.TrainingImageResponse, { onExcessProperty: "ignore" })
    const result = decode({ trainingImage: { ...image, extra: 1 }, other: true })
    if (Result.isFailure(result)) throw new Error(String(result.failure))
    expect({ ...result.success.trainingImage }).toEqual(image)
    for (const key of Object.keys(image)) {
      const { [key as keyof typeof image]: _, ...missing } = image
      expect(Result.isFailure(decode({ trainingImage: missing })), key).toBe(true)
    }
  })
})

describe("ImageInput", () => {
  it("the three ways exclude each other", () => {
    const is = Schema.is(TrainingImage.ImageInput)
    expect(is({ assetId: "a" })).toBe(true)
    expect(is({ assetIds: ["a", "b"], preset: "style" })).toBe(true)
    expect(is({ data: "data:image/png;base64,iVBORw0KGgo=", name: "a.png" })).toBe(true)
    expect(is({ assetId: "a", data: "data:image/png;base64,iVBORw0KGgo=" })).toBe(false)
    expect(is({ assetIds: [] })).toBe(false)
    expect(is({ assetIds: Array.from({ length: 11 }, (_, i) => `a${i}`) })).toBe(false)
    expect(is({ name: "a.png" })).toBe(false)
  })
})

/**
 * Schemas for everything that crosses the wire: the training images and pairs the API returns, and the
 * params of each `TrainingImages` operation.
 *
 * Responses decode tolerantly (unknown fields are dropped) but strictly where the types promise something: a
 * missing required field is a decode error. Params are checked before any request is sent.
 *
 * @since 0.1.0
 */
import * as rules from "@effect-scenario/kernel/Validation"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as SchemaTransformation from "effect/SchemaTransformation"

/**
 * An identifier that goes into a URL path segment: non-empty, well-formed Unicode, and neither `.` nor `..`
 * (which URL parsers resolve as directory steps, so no encoding could keep them inside their segment).
 * Every other character is allowed and percent-encoded on the way out.
 *
 * @since 0.1.0
 * @category models
 */
export const Id = Schema.String.check(
  Schema.makeFilter(
    rules.idProblem,
    // Stryker disable next-line StringLiteral,ObjectLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
    { description: "a non-empty identifier" }
  )
).annotate({ identifier: "Id", description: "a non-empty identifier" })

/**
 * A model id as the API takes it in a path: non-empty, well-formed text, not `.` or `..`.
 *
 * @since 0.1.0
 * @category models
 */
// Stryker disable next-line ObjectLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
export const ModelId = Id.annotate({
  // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
  identifier: "ModelId",
  // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
  description: "a model id, e.g. model_eyVcnFJcR92BxBkz7N6g5w"
})

/**
 * An asset or training-image id: non-empty, well-formed text, not `.` or `..`.
 *
 * @since 0.1.0
 * @category models
 */
// Stryker disable next-line ObjectLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
export const AssetId = Id.annotate({
  // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
  identifier: "AssetId",
  // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
  description: "an asset id, e.g. asset_GTrL3mq4SXWyMxkOHRxlpw"
})

/**
 * The preset applied to a training image.
 *
 * @since 0.1.0
 * @category models
 */
export const Preset = Schema.Literals(["default", "style", "subject"])

/**
 * @since 0.1.0
 * @category models
 */
export type Preset = typeof Preset.Type

/**
 * At most this many asset ids go in one batch `add` or `replace`.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_BATCH_ASSETS: number = rules.MAX_BATCH_ASSETS

// 0 to 15 groups of 3 bytes, then a last group of 1, 2 or 3 bytes, its padding bits zero (canonical base64).
const ARBITRARY_DATA_URL = "^data:image\\/(?:png|jpeg|webp|gif);base64," +
  "(?:[A-Za-z0-9+/]{4}){0,15}(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=|[A-Za-z0-9+/]{4})$"

/**
 * An image given inline as a base64 data URL: `data:image/<type>;base64,<payload>`, the payload non-empty
 * and correctly padded. Such a URL holds no character that JSON escapes.
 *
 * @since 0.1.0
 * @category models
 */
export const DataUrl = Schema.String.check(
  Schema.makeFilter(rules.dataUrlProblem, {
    // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
    description: "a data URL such as data:image/png;base64,iVBORw0KGgo...",
    // What the property tests generate: a png, jpeg, webp or gif of 1 to 48 bytes, in canonical base64.
    arbitraryConstraint: { patterns: [{ source: ARBITRARY_DATA_URL, flags: "" }] }
  })
).annotate({
  // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
  identifier: "DataUrl",
  // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
  description: "a data URL such as data:image/png;base64,iVBORw0KGgo..."
})

/**
 * A non-empty text field such as a file name.
 *
 * @since 0.1.0
 * @category models
 */
export const NonEmptyText = Schema.String.check(
  Schema.makeFilter(rules.nonEmptyTextProblem)
  // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
).annotate({ identifier: "NonEmptyText" })

// A key of another image variant: present in the type as `?: undefined` so that TypeScript rejects the
// combinations the API forbids, and absent on the wire.
const Absent = Schema.optional(Schema.Never)

const preset = Schema.optional(Preset)

/**
 * The fields of an image given as one existing asset.
 *
 * @since 0.1.0
 * @category models
 */
export const AssetImageFields = {
  assetId: AssetId,
  assetIds: Absent,
  data: Absent,
  name: Absent,
  preset
}

/**
 * The fields of a batch of 1 to 10 existing assets.
 *
 * @since 0.1.0
 * @category models
 */
export const AssetBatchFields = {
  assetIds: Schema.Array(AssetId).check(
    // One rule for both bounds, the kernel's: its message names the count.
    Schema.makeFilter((ids: ReadonlyArray<string>) => rules.batchSizeProblem(ids.length))
  ),
  assetId: Absent,
  data: Absent,
  name: Absent,
  preset
}

/**
 * The fields of an image given inline as a data URL, with an optional original file name.
 *
 * @since 0.1.0
 * @category models
 */
export const InlineImageFields = {
  data: DataUrl,
  name: Schema.optional(NonEmptyText),
  assetId: Absent,
  assetIds: Absent,
  preset
}

/**
 * What `add` and `replace` accept as the image: one existing asset (`assetId`), a batch of 1 to 10 existing
 * assets (`assetIds`), or inline image data (`data`, with an optional file `name`). Each may carry a
 * `preset`. The variants exclude each other, in the types and at run time.
 *
 * @since 0.1.0
 * @category models
 */
export const ImageInput = Schema.Union([
  Schema.Struct(AssetImageFields),
  Schema.Struct(AssetBatchFields),
  Schema.Struct(InlineImageFields)
])

/**
 * @since 0.1.0
 * @category models
 */
export type ImageInput = typeof ImageInput.Type

const withImage = <Fields extends Schema.Struct.Fields>(fields: Fields) =>
  Schema.Union([
    Schema.Struct({ ...fields, ...AssetImageFields }),
    Schema.Struct({ ...fields, ...AssetBatchFields }),
    Schema.Struct({ ...fields, ...InlineImageFields })
  ])

/**
 * Params of `add`: the model, the image, and `originalAssets` (return the original asset without
 * transformation).
 *
 * @since 0.1.0
 * @category params
 */
export const AddParams = withImage({
  modelId: ModelId,
  originalAssets: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category params
 */
export type AddParams = typeof AddParams.Type

/**
 * The id of a training image to replace. `pairs` is refused: `PUT …/training-images/pairs` is the route that
 * replaces all pairs, so no encoding could address an image of that name.
 *
 * @since 0.1.0
 * @category models
 */
export const TrainingImageId = AssetId.check(
  Schema.makeFilter(rules.trainingImageIdProblem)
  // Stryker disable next-line StringLiteral: cosmetic, annotations only name and describe the schema (messages, JSON Schema)
).annotate({ identifier: "TrainingImageId" })

/**
 * Params of `replace`: as `add`, plus the training image to replace.
 *
 * @since 0.1.0
 * @category params
 */
export const ReplaceParams = withImage({
  modelId: ModelId,
  trainingImageId: TrainingImageId,
  originalAssets: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category params
 */
export type ReplaceParams = typeof ReplaceParams.Type

/**
 * A pair as sent to `replacePairs`: both training images named, the instruction optional.
 *
 * @since 0.1.0
 * @category models
 */
export const PairInput = Schema.Struct({
  sourceId: AssetId,
  targetId: AssetId,
  instruction: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type PairInput = typeof PairInput.Type

/**
 * Params of `replacePairs`: the model and the complete new list of pairs (it replaces all of them; an
 * empty list removes every pair).
 *
 * @since 0.1.0
 * @category params
 */
export const ReplacePairsParams = Schema.Struct({
  modelId: ModelId,
  pairs: Schema.Array(PairInput)
})

/**
 * @since 0.1.0
 * @category params
 */
export type ReplacePairsParams = typeof ReplacePairsParams.Type

/**
 * Params of `delete`.
 *
 * @since 0.1.0
 * @category params
 */
export const DeleteParams = Schema.Struct({
  modelId: ModelId,
  trainingImageId: AssetId,
  projectId: Schema.optional(Id)
})

/**
 * @since 0.1.0
 * @category params
 */
export type DeleteParams = typeof DeleteParams.Type

/**
 * Params of `list`.
 *
 * @since 0.1.0
 * @category params
 */
export const ListParams = Schema.Struct({
  modelId: ModelId,
  originalAssets: Schema.optional(Schema.Boolean)
})

/**
 * @since 0.1.0
 * @category params
 */
export type ListParams = typeof ListParams.Type

/**
 * A training image as the API returns it. Every field is required on the wire.
 *
 * @since 0.1.0
 * @category models
 */
export class TrainingImage extends Schema.Class<TrainingImage>("TrainingImage")({
  /** The training image id, e.g. `asset_GTrL3mq4SXWyMxkOHRxlpw`. */
  id: Schema.String,
  /** The automatic caption of the image. */
  automaticCaptioning: Schema.String,
  /** The upload date as an ISO string, e.g. `2023-02-03T11:19:41.579Z`. */
  createdAt: Schema.String,
  description: Schema.String,
  /** Where the image can be downloaded. */
  downloadUrl: Schema.String,
  /** The original file name, e.g. `my-training-image.jpg`. */
  name: Schema.String
}) {}

/**
 * A pair as the API returns it: every field optional on the wire.
 *
 * @since 0.1.0
 * @category models
 */
export class Pair extends Schema.Class<Pair>("Pair")({
  sourceId: Schema.optional(Schema.String),
  targetId: Schema.optional(Schema.String),
  instruction: Schema.optional(Schema.String)
}) {}

/**
 * What `replacePairs` returns: the number of pairs and the pairs now stored.
 *
 * @since 0.1.0
 * @category models
 */
export class ReplacePairsResult extends Schema.Class<ReplacePairsResult>("ReplacePairsResult")({
  count: Schema.Number,
  pairs: Schema.Array(Pair)
}) {}

/**
 * The model statuses the API documents. `ModelTrainingImages.status` stays a string so that a status added
 * later does not break decoding.
 *
 * @since 0.1.0
 * @category models
 */
export const KnownModelStatus = Schema.Literals([
  "copying",
  "failed",
  "new",
  "trained",
  "training",
  "training-canceled"
])

/**
 * What `list` returns: the training-image fields of the model.
 *
 * @since 0.1.0
 * @category models
 */
export class ModelTrainingImages extends Schema.Class<ModelTrainingImages>("ModelTrainingImages")({
  modelId: Schema.String,
  status: Schema.String,
  trainingImages: Schema.Array(TrainingImage),
  trainingImagePairs: Schema.Array(Pair),
  trainingImagesNumber: Schema.Number
}) {}

/**
 * Response bodies, as the API sends them.
 *
 * @since 0.1.0
 * @category wire
 */
export const TrainingImageResponse = Schema.Struct({ trainingImage: TrainingImage })

/**
 * The body of a `replacePairs` response: `{ count, pairs }`.
 *
 * @since 0.1.0
 * @category wire
 */
export const ReplacePairsResponse = ReplacePairsResult

/**
 * The training-image fields of `GET /models/{modelId}`, decoded into `ModelTrainingImages`.
 *
 * @since 0.1.0
 * @category wire
 */
export const ModelResponse = Schema.Struct({
  model: Schema.Struct({
    id: Schema.String,
    status: Schema.String,
    trainingImages: Schema.Array(TrainingImage).pipe(Schema.withDecodingDefaultType(Effect.succeed([]))),
    trainingImagePairs: Schema.Array(Pair).pipe(Schema.withDecodingDefaultType(Effect.succeed([]))),
    trainingImagesNumber: Schema.Number
  })
}).pipe(Schema.decodeTo(
  Schema.toType(ModelTrainingImages),
  SchemaTransformation.transform({
    decode: ({ model }) =>
      new ModelTrainingImages({
        modelId: model.id,
        status: model.status,
        trainingImages: model.trainingImages,
        trainingImagePairs: model.trainingImagePairs,
        trainingImagesNumber: model.trainingImagesNumber
      }),
    encode: (m) => ({
      model: {
        id: m.modelId,
        status: m.status,
        trainingImages: m.trainingImages,
        trainingImagePairs: m.trainingImagePairs,
        trainingImagesNumber: m.trainingImagesNumber
      }
    })
  })
))

/**
 * The statuses the API documents for a model (`GET /models/{modelId}`). Responses are decoded with a plain
 * string, so a status added by Scenario later does not break a client; test doubles accept only these.
 *
 * @example
 * ```ts
 * import { TrainingImage } from "@effect-scenario/effect4"
 * import { Schema } from "effect"
 *
 * Schema.is(TrainingImage.ModelStatus)("trained") // true
 * Schema.is(TrainingImage.ModelStatus)("queued") // false
 * ```
 *
 * @since 0.1.0
 * @category models
 */
export const ModelStatus = Schema.Literals(rules.MODEL_STATUSES)

/**
 * @since 0.1.0
 * @category models
 */
export type ModelStatus = typeof ModelStatus.Type

/**
 * The model types the API documents (`GET /models/{modelId}`), e.g. `"flux.1-lora"`.
 *
 * @since 0.1.0
 * @category models
 */
export const ModelType = Schema.Literals(rules.MODEL_TYPES)

/**
 * @since 0.1.0
 * @category models
 */
export type ModelType = typeof ModelType.Type

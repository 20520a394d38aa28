/**
 * The checks of each operation's params, as plain functions: the params, or every problem with its path. The
 * messages are those of the Effect lines' Schemas (`Expected string, actual 5`, `is missing`, `is unexpected,
 * expected: ...`, and the rules of `Validation`), so that a server without a runtime library answers a bad
 * request as a binding's client refuses it; a test runs the same bad params through both.
 *
 * @since 0.1.0
 */
import * as Validation from "./Validation.js"

/**
 * One problem: where (the keys from the params down) and what.
 *
 * @since 0.1.0
 * @category models
 */
export interface Issue {
  readonly path: ReadonlyArray<string | number>
  readonly message: string
}

/**
 * A check's verdict.
 *
 * @since 0.1.0
 * @category models
 */
export type Checked<A> =
  | { readonly _tag: "Valid"; readonly params: A }
  | { readonly _tag: "Invalid"; readonly issues: readonly [Issue, ...Array<Issue>] }

/**
 * The image of an add or a replace: one asset, a batch of assets, or a data URL; keys of the other ways absent.
 *
 * @since 0.1.0
 * @category models
 */
export type ImageFields =
  & { readonly preset?: typeof Validation.PRESETS[number] | undefined }
  & (
    | {
      readonly assetId: string
      readonly assetIds?: undefined
      readonly data?: undefined
      readonly name?: undefined
    }
    | {
      readonly assetIds: ReadonlyArray<string>
      readonly assetId?: undefined
      readonly data?: undefined
      readonly name?: undefined
    }
    | {
      readonly data: string
      readonly name?: string | undefined
      readonly assetId?: undefined
      readonly assetIds?: undefined
    }
  )

/**
 * The params of `add`: the model, and the image one way.
 *
 * @since 0.1.0
 * @category models
 */
export type AddParams = { readonly modelId: string; readonly originalAssets?: boolean | undefined } & ImageFields

/**
 * The params of `replace`: the image that replaces the training image `trainingImageId`.
 *
 * @since 0.1.0
 * @category models
 */
export type ReplaceParams = AddParams & { readonly trainingImageId: string }

/**
 * One pair of `replacePairs`: two training images of the model, and what turns one into the other.
 *
 * @since 0.1.0
 * @category models
 */
export interface PairParams {
  readonly sourceId: string
  readonly targetId: string
  readonly instruction?: string | undefined
}

/**
 * The params of `replacePairs`: every pair of the model.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReplacePairsParams {
  readonly modelId: string
  readonly pairs: ReadonlyArray<PairParams>
}

/**
 * The params of `delete`.
 *
 * @since 0.1.0
 * @category models
 */
export interface DeleteParams {
  readonly modelId: string
  readonly trainingImageId: string
  readonly projectId?: string | undefined
}

/**
 * The params of `list`.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListParams {
  readonly modelId: string
  readonly originalAssets?: boolean | undefined
}

type Path = ReadonlyArray<string | number>

// A value's check: its problems, none when it is valid.
type Check = (value: unknown, path: Path) => Array<Issue>

/**
 * A value as a message shows it (the way Effect's Schema shows it): text quoted, arrays and objects spelled out.
 *
 * @since 0.1.0
 * @category messages
 */
export const show = (value: unknown): string => {
  if (typeof value === "string") return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(show).join(",")}]`
  if (typeof value === "bigint") return `${value}n`
  if (typeof value === "object" && value !== null) {
    return `{${Object.keys(value).map((key) => `${JSON.stringify(key)}:${show((value as never)[key])}`).join(",")}}`
  }
  return String(value)
}

const expected = (type: string, value: unknown, path: Path): Array<Issue> => [
  { path, message: `Expected ${type}, actual ${show(value)}` }
]

const text = (problem: (s: string) => string | undefined = () => undefined): Check => (value, path) => {
  if (typeof value !== "string") return expected("string", value, path)
  const found = problem(value)
  return found === undefined ? [] : [{ path, message: found }]
}

const id = text(Validation.idProblem)

const boolean: Check = (value, path) => typeof value === "boolean" ? [] : expected("boolean", value, path)

const preset: Check = (value, path) =>
  (Validation.PRESETS as ReadonlyArray<unknown>).includes(value)
    ? []
    : [{ path, message: `must be ${Validation.oneOf(Validation.PRESETS)}` }]

// A key of another image variant: allowed (named in the message of an unexpected key), never present here, as
// the variant is picked from the keys present.
// Stryker disable next-line ArrowFunction,ArrayDeclaration: equivalent, never called: here such a key holds `undefined`, which an optional field skips
const absent: Check = () => []

interface Field {
  readonly key: string
  readonly check: Check
  readonly optional: boolean
}

const required = (key: string, check: Check): Field => ({ key, check, optional: false })
const optional = (key: string, check: Check): Field => ({ key, check, optional: true })

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

// An object of these fields and no other key: the unexpected keys first, then each field in order.
const struct = (type: string, fields: ReadonlyArray<Field>): Check => {
  const keys = fields.map((field) => field.key)
  const unexpected = `is unexpected, expected: ${keys.map((key) => JSON.stringify(key)).join(" | ")}`
  return (value, path) => {
    if (!isRecord(value)) return expected(type, value, path)
    const issues: Array<Issue> = Object.keys(value)
      .filter((key) => !keys.includes(key))
      .map((key) => ({ path: [...path, key], message: unexpected }))
    for (const field of fields) {
      if (!Object.prototype.hasOwnProperty.call(value, field.key)) {
        if (!field.optional) issues.push({ path: [...path, field.key], message: "is missing" })
        continue
      }
      const member = value[field.key]
      if (field.optional && member === undefined) continue
      issues.push(...field.check(member, [...path, field.key]))
    }
    return issues
  }
}

const array = (type: string, element: Check): Check => (value, path) =>
  Array.isArray(value)
    ? value.flatMap((member, index) => element(member, [...path, index]))
    : expected(`ReadonlyArray<${type}>`, value, path)

// A batch's size is told before its elements' problems, whatever they are.
const batch: Check = (value, path) => {
  const elements = array("AssetId", id)(value, path)
  const size = Array.isArray(value) ? Validation.batchSizeProblem(value.length) : undefined
  return size === undefined ? elements : [{ path, message: size }, ...elements]
}

const PAIR_TYPE =
  "{ readonly sourceId: AssetId; readonly targetId: AssetId; readonly instruction?: string | undefined }"

const pair = struct(PAIR_TYPE, [
  required("sourceId", id),
  required("targetId", id),
  optional("instruction", text())
])

const assetFields: ReadonlyArray<Field> = [
  required("assetId", id),
  optional("assetIds", absent),
  optional("data", absent),
  optional("name", absent),
  optional("preset", preset)
]

const batchFields: ReadonlyArray<Field> = [
  required("assetIds", batch),
  optional("assetId", absent),
  optional("data", absent),
  optional("name", absent),
  optional("preset", preset)
]

const inlineFields: ReadonlyArray<Field> = [
  required("data", text(Validation.dataUrlProblem)),
  optional("name", text(Validation.nonEmptyTextProblem)),
  optional("assetId", absent),
  optional("assetIds", absent),
  optional("preset", preset)
]

const verdict = <A>(value: unknown, issues: ReadonlyArray<Issue>): Checked<A> =>
  issues.length === 0
    ? { _tag: "Valid", params: value as A }
    : { _tag: "Invalid", issues: issues as readonly [Issue, ...Array<Issue>] }

// Params are user data: a getter that throws, or a proxy, ends as a problem, never escapes as a throw.
const guarded = <A>(check: (input: unknown) => Checked<A>) => (input: unknown): Checked<A> => {
  try {
    return check(input)
  } catch (error) {
    return { _tag: "Invalid", issues: [{ path: [], message: Validation.unreadableProblem(error) }] }
  }
}

// The image variants exclude each other: the one picked from the keys present is checked, so that a message
// names the conflict instead of three failed variants.
const image = <A>(head: ReadonlyArray<Field>) => {
  // Stryker disable next-line StringLiteral: equivalent, never shown: the input is known to be an object before a variant checks it
  const variant = (fields: ReadonlyArray<Field>) => struct("", [...head, ...fields])
  const variants = { AssetId: variant(assetFields), AssetIds: variant(batchFields), Data: variant(inlineFields) }
  return guarded((input): Checked<A> => {
    if (!isRecord(input)) return verdict(input, [{ path: [], message: Validation.NOT_AN_OBJECT_PROBLEM }])
    const variant = Validation.imageVariant(input)
    if (variant._tag === "Invalid") return verdict(input, [{ path: variant.path, message: variant.problem }])
    return verdict(input, variants[variant._tag](input, []))
  })
}

const plain = <A>(type: string, fields: ReadonlyArray<Field>) => {
  const check = struct(type, fields)
  return guarded((input): Checked<A> => verdict(input, check(input, [])))
}

/**
 * The params of `add`.
 *
 * @example
 * ```ts
 * import { ParamsCheck } from "@effect-scenario/kernel"
 *
 * ParamsCheck.add({ modelId: "model_1", assetId: 5 })
 * // { _tag: "Invalid", issues: [{ path: ["assetId"], message: "Expected string, actual 5" }] }
 * ```
 *
 * @since 0.1.0
 * @category checks
 */
export const add: (input: unknown) => Checked<AddParams> = image([
  required("modelId", id),
  optional("originalAssets", boolean)
])

/**
 * The params of `replace`.
 *
 * @since 0.1.0
 * @category checks
 */
export const replace: (input: unknown) => Checked<ReplaceParams> = image([
  required("modelId", id),
  required("trainingImageId", text((s) => Validation.idProblem(s) ?? Validation.trainingImageIdProblem(s))),
  optional("originalAssets", boolean)
])

/**
 * The params of `replacePairs`.
 *
 * @since 0.1.0
 * @category checks
 */
export const replacePairs: (input: unknown) => Checked<ReplacePairsParams> = plain(
  `{ readonly modelId: ModelId; readonly pairs: ReadonlyArray<${PAIR_TYPE}> }`,
  [required("modelId", id), required("pairs", array(PAIR_TYPE, pair))]
)

const delete_: (input: unknown) => Checked<DeleteParams> = plain(
  "{ readonly modelId: ModelId; readonly trainingImageId: AssetId; readonly projectId?: Id | undefined }",
  [required("modelId", id), required("trainingImageId", id), optional("projectId", id)]
)

export {
  /**
   * The params of `delete`.
   *
   * @since 0.1.0
   * @category checks
   */
  delete_ as delete
}

/**
 * The params of `list`.
 *
 * @since 0.1.0
 * @category checks
 */
export const list: (input: unknown) => Checked<ListParams> = plain(
  "{ readonly modelId: ModelId; readonly originalAssets?: boolean | undefined }",
  [required("modelId", id), optional("originalAssets", boolean)]
)

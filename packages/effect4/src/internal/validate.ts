import * as rules from "@effect-scenario/kernel/Validation"
import * as Cause from "effect/Cause"
import * as Exit from "effect/Exit"
import * as Formatter from "effect/Formatter"
import * as Predicate from "effect/Predicate"
import * as Result from "effect/Result"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import * as SchemaIssue from "effect/SchemaIssue"
import * as TrainingImage from "../TrainingImage.js"
import { InvalidRequestError, type Issue, type Operation } from "../TrainingImagesError.js"

// `reportInput` keeps the rejected value in each issue, for the "actual …" of a message.
const decodeOptions = { errors: "all", onExcessProperty: "error", reportInput: true } as const

type Validator<A> = (input: unknown) => Result.Result<A, InvalidRequestError>

const invalid = (operation: Operation, issues: readonly [Issue, ...Array<Issue>]) =>
  Result.fail(new InvalidRequestError({ operation, issues }))

const keyOf = (key: PropertyKey): string | number => typeof key === "number" ? key : String(key)

// The members of a union, nested unions flattened, `undefined` (the optional field's "absent") left out.
const membersOf = (ast: SchemaAST.AST): ReadonlyArray<SchemaAST.AST> =>
  SchemaAST.isUnion(ast) ? ast.types.flatMap(membersOf) : SchemaAST.isUndefined(ast) ? [] : [ast]

const isUndefinedType = (issue: SchemaIssue.Issue): boolean =>
  issue._tag === "InvalidType" && SchemaAST.isUndefined(issue.ast)

const actual = (issue: SchemaIssue.Issue): string =>
  SchemaIssue.hasInput(issue) ? `, actual ${Formatter.format(issue.input)}` : ""

// A refined string (an id, a data URL) of the wrong type is expected as its base type, as on the Effect 3 line.
const baseTypes: Partial<Record<SchemaAST.AST["_tag"], string>> = {
  String: "Expected string",
  Number: "Expected number",
  Boolean: "Expected boolean"
}

// The message of a value of the wrong type, as the Effect 3 line words it: `Expected <type>, actual <value>`.
const expected = (ast: SchemaAST.AST, issue: SchemaIssue.Issue): string =>
  `${baseTypes[ast._tag] ?? SchemaIssue.defaultLeafHook(new SchemaIssue.InvalidType(ast))}${actual(issue)}`

// An unexpected key names the keys the params may have, as on the Effect 3 line.
const unexpected = (issue: SchemaIssue.UnexpectedKey): string =>
  SchemaAST.isObjects(issue.ast) && issue.ast.propertySignatures.length > 0
    ? `is unexpected, expected: ${issue.ast.propertySignatures.map((ps) => JSON.stringify(ps.name)).join(" | ")}`
    : "is unexpected"

const formatLeaf = SchemaIssue.makeFormatterStandardSchemaV1({
  leafHook: (issue) => {
    switch (issue._tag) {
      case "MissingKey":
        return "is missing"
      case "UnexpectedKey":
        return unexpected(issue)
      case "InvalidType":
        return expected(issue.ast, issue)
      default:
        return SchemaIssue.defaultLeafHook(issue)
    }
  }
})

/**
 * One line per real problem. A value that fits no member of a union is said once: for an optional field given
 * a wrong value (the `undefined` member says nothing useful) the one other member's expectation, and for a
 * closed set of values one line naming them all.
 */
const issuesOf = (issue: SchemaIssue.Issue, path: ReadonlyArray<string | number>): Array<Issue> => {
  switch (issue._tag) {
    case "Pointer":
      return issuesOf(issue.issue, [...path, ...issue.path.map(keyOf)])
    case "Composite":
      return issue.issues.flatMap((member) => issuesOf(member, path))
    case "Encoding":
      return issuesOf(issue.issue, path)
    case "AnyOf": {
      const failed = issue.issues.filter((member) => !isUndefinedType(member))
      if (failed.length > 0) return failed.flatMap((member) => issuesOf(member, path))
      const members = membersOf(issue.ast)
      const literals = members.flatMap((member) => SchemaAST.isLiteral(member) ? [member.literal] : [])
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, `members.length > 0` always holds (no union of these schemas has only `undefined` members): the guard only keeps an impossible empty list from reading "must be "
      if (members.length > 0 && literals.length === members.length) {
        return [{ path, message: `must be ${rules.oneOf(literals)}` }]
      }
      if (members.length === 1) return [{ path, message: expected(members[0]!, issue) }]
      return formatAt(issue, path)
    }
    default:
      return formatAt(issue, path)
  }
}

const formatAt = (issue: SchemaIssue.Issue, path: ReadonlyArray<string | number>): Array<Issue> =>
  formatLeaf(issue).issues.map((formatted): Issue => ({
    path: [...path, ...(formatted.path ?? []).map((key) => keyOf(typeof key === "object" ? key.key : key))],
    message: formatted.message
  }))

const toIssues = (error: Schema.SchemaError): [Issue, ...Array<Issue>] => {
  const issues = issuesOf(error.issue, [])
  // Stryker disable next-line all: equivalent, the fallback is unreachable: every issue yields at least one line (a composite has at least one member, and only a union's `undefined` member is dropped)
  return issues.length > 0 ? issues as [Issue, ...Array<Issue>] : [{ path: [], message: error.message }]
}

// Params are user data: a getter that throws, or a proxy, must end as a typed error, never escape as a throw.
const guarded = <A>(operation: Operation, validate: Validator<A>): Validator<A> => (input) => {
  try {
    return validate(input)
  } catch (error) {
    return invalid(operation, [{ path: [], message: rules.unreadableProblem(error) }])
  }
}

const compile = <S extends Schema.Decoder<unknown>>(operation: Operation, schema: S): Validator<S["Type"]> => {
  const decode = Schema.decodeUnknownExit(schema, decodeOptions)
  return (input) => {
    const exit = decode(input)
    if (Exit.isSuccess(exit)) return Result.succeed(exit.value)
    const error = Cause.findError(exit.cause)
    // A getter that threw while decoding is a defect of the exit: thrown again as itself, for `guarded`.
    if (Result.isFailure(error)) throw Cause.squash(exit.cause)
    return invalid(operation, toIssues(error.success))
  }
}

type ImageParams = Schema.Decoder<unknown> & {
  readonly members: readonly [Schema.Decoder<unknown>, Schema.Decoder<unknown>, Schema.Decoder<unknown>]
}

/**
 * The image variants exclude each other. Picking the variant from the keys present, before decoding, gives a
 * message that names the conflict instead of three failed union members.
 */
const compileImage = <S extends ImageParams>(operation: Operation, schema: S): Validator<S["Type"]> => {
  const [asset, batch, inline] = schema.members.map((member) => compile(operation, member))
  return (input) => {
    if (!Predicate.isObject(input)) return invalid(operation, [{ path: [], message: rules.NOT_AN_OBJECT_PROBLEM }])
    const params = input as { readonly [key: string]: unknown }
    const variant = rules.imageVariant(params)
    switch (variant._tag) {
      case "Invalid":
        return invalid(operation, [{ path: variant.path, message: variant.problem }])
      case "AssetId":
        return asset!(input)
      case "Data":
        return inline!(input)
      case "AssetIds": {
        // Schema checks the size of an array only once its elements are valid: the rule runs here as well, so
        // that twelve ids with one empty get both problems (`Validation.withBatchSizeIssue`).
        const result = batch!(input)
        if (Result.isSuccess(result)) return result
        const issues = rules.withBatchSizeIssue(params.assetIds, result.failure.issues)
        return issues === undefined ? result : invalid(operation, issues)
      }
    }
  }
}

/** @internal */
export const add = guarded("add", compileImage("add", TrainingImage.AddParams))
/** @internal */
export const replace = guarded("replace", compileImage("replace", TrainingImage.ReplaceParams))
/** @internal */
export const replacePairs = guarded("replacePairs", compile("replacePairs", TrainingImage.ReplacePairsParams))
/** @internal */
export const delete_ = guarded("delete", compile("delete", TrainingImage.DeleteParams))
/** @internal */
export const list = guarded("list", compile("list", TrainingImage.ListParams))

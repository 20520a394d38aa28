import * as rules from "@effect-scenario/kernel/Validation"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import * as SchemaAST from "effect/SchemaAST"
import * as TrainingImage from "../TrainingImage.js"
import { InvalidRequestError, type Issue, type Operation } from "../TrainingImagesError.js"

const decodeOptions = { errors: "all", onExcessProperty: "error" } as const

type Validator<A> = (input: unknown) => Either.Either<A, InvalidRequestError>

const invalid = (operation: Operation, issues: readonly [Issue, ...Array<Issue>]) =>
  Either.left(new InvalidRequestError({ operation, issues }))

const keyOf = (key: PropertyKey): string | number => typeof key === "number" ? key : String(key)

// A pointer's path is one key, or several (a filter that reports a path): flattened one level, either way a list.
const keysOf = (path: ParseResult.Path): ReadonlyArray<PropertyKey> => [path].flat()

// A composite holds one issue or several: flattened one level, either way a list.
const membersOf = (issue: ParseResult.Composite): ReadonlyArray<ParseResult.ParseIssue> => [issue.issues].flat()

/**
 * One line per real problem. Schema reports a value that fits no member of a union once per member; for the
 * user only two cases matter: an optional field given a wrong value (the `undefined` member says nothing
 * useful) and a closed set of values (one line naming them all). Both rules look only at `Type` issues of the
 * `undefined` keyword or of a literal, which only a union's members are: the members of any other composite
 * (a struct, a tuple) are pointers to its keys, so the same code serves every composite.
 */
const issuesOf = (issue: ParseResult.ParseIssue, path: ReadonlyArray<string | number>): Array<Issue> => {
  switch (issue._tag) {
    case "Pointer":
      return issuesOf(issue.issue, [...path, ...keysOf(issue.path).map(keyOf)])
    case "Composite": {
      const members = membersOf(issue).filter((member) =>
        !(member._tag === "Type" && SchemaAST.isUndefinedKeyword(member.ast))
      )
      const literals = members.flatMap((member) =>
        member._tag === "Type" && SchemaAST.isLiteral(member.ast) ? [member.ast.literal] : []
      )
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, `members.length > 0` always holds (no union of these schemas has only `undefined` members): the guard only keeps an impossible empty list from reading "must be "
      if (members.length > 0 && literals.length === members.length) {
        return [{ path, message: `must be ${rules.oneOf(literals)}` }]
      }
      return members.flatMap((member) => issuesOf(member, path))
    }
    default:
      return ParseResult.ArrayFormatter.formatIssueSync(issue).map((formatted): Issue => ({
        path: [...path, ...formatted.path.map(keyOf)],
        message: formatted.message
      }))
  }
}

const toIssues = (error: ParseResult.ParseError): [Issue, ...Array<Issue>] => {
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

const compile = <A, I>(operation: Operation, schema: Schema.Schema<A, I>): Validator<A> => {
  const decode = Schema.decodeUnknownEither(schema, decodeOptions)
  return (input) => {
    const result = decode(input)
    return Either.isRight(result) ? result as Either.Either<A, never> : invalid(operation, toIssues(result.left))
  }
}

type ImageParams = Schema.Schema.AnyNoContext & {
  readonly members: readonly [Schema.Schema.AnyNoContext, Schema.Schema.AnyNoContext, Schema.Schema.AnyNoContext]
}

/**
 * The image variants exclude each other. Picking the variant from the keys present, before decoding, gives a
 * message that names the conflict instead of three failed union members.
 */
const compileImage = <S extends ImageParams>(operation: Operation, schema: S): Validator<Schema.Schema.Type<S>> => {
  const [asset, batch, inline] = schema.members.map((member) => compile(operation, member))
  return (input) => {
    if (!Predicate.isRecord(input)) return invalid(operation, [{ path: [], message: rules.NOT_AN_OBJECT_PROBLEM }])
    const variant = rules.imageVariant(input)
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
        if (Either.isRight(result)) return result
        const issues = rules.withBatchSizeIssue(input.assetIds, result.left.issues)
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

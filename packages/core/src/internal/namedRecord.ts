import * as Effect from "effect/Effect"
import * as JSONSchema from "effect/JSONSchema"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as AST from "effect/SchemaAST"

/**
 * An object from names (any string: file names) to values, as a Schema. Effect's `Schema.Record` builds its
 * result by assignment, which turns a `__proto__` key into the result's prototype and drops the name; this
 * one reads own properties (`Object.entries`) and builds its result with `Object.fromEntries`, which defines
 * them, so that every name round-trips through decoding, encoding and `JSON`. A value that fails names its
 * key in the issue's path.
 *
 * @internal
 */
export const NamedRecord = <A, I>(value: Schema.Schema<A, I>) =>
  Schema.declare<{ readonly [name: string]: A }, { readonly [name: string]: I }, readonly [Schema.Schema<A, I>]>(
    [value],
    {
      decode: (value) => entriesThrough(ParseResult.decodeUnknown(value)),
      encode: (value) => entriesThrough(ParseResult.encodeUnknown(value))
    },
    {
      description: "an object from names to values",
      // What `Schema.Record` gives, so that a JSON Schema, an arbitrary or a pretty printer is still at hand.
      jsonSchema: { type: "object", required: [], properties: {}, additionalProperties: valueJsonSchema(value) },
      arbitrary: (value) => (fc) =>
        fc.dictionary(fc.string(), value(fc)).map((record) => Object.fromEntries(Object.entries(record))),
      pretty: (value) => (record) =>
        `{ ${Object.entries(record).map(([name, entry]) => `${JSON.stringify(name)}: ${value(entry)}`).join(", ")} }`
    }
  )

const valueJsonSchema = <A, I>(value: Schema.Schema<A, I>): object => {
  const { $schema: _, ...schema } = JSONSchema.make(Schema.encodedSchema(value))
  return schema
}

const entriesThrough = <B>(
  parse: (input: unknown, options?: AST.ParseOptions) => Effect.Effect<B, ParseResult.ParseIssue>
) =>
(
  input: unknown,
  options: AST.ParseOptions,
  ast: AST.Declaration
): Effect.Effect<{ readonly [name: string]: B }, ParseResult.ParseIssue> => {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return Effect.fail(new ParseResult.Type(ast, input))
  }
  return Effect.map(
    Effect.forEach(Object.entries(input), ([name, entry]) =>
      Effect.mapBoth(parse(entry, options), {
        onFailure: (issue) => new ParseResult.Pointer(name, input, issue),
        onSuccess: (parsed) => [name, parsed] as const
      })),
    (entries) => Object.fromEntries(entries)
  )
}

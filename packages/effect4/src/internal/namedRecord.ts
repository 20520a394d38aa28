import * as Schema from "effect/Schema"

/**
 * An object from names (any string: file names) to values, as a Schema. Effect 3's `Schema.Record` built its
 * result by assignment, which turned a `__proto__` key into the result's prototype and dropped the name (the
 * Effect 3 line declares a schema of its own for it). Effect 4's `Schema.Record` defines each key as an own
 * property, on decoding and on encoding, so that every name round-trips through decoding, encoding and `JSON`;
 * a value that fails names its key in the path. The tests hold it to that.
 *
 * @internal
 */
export const NamedRecord = <S extends Schema.Top>(value: S): Schema.$Record<Schema.String, S> =>
  Schema.Record(Schema.String, value)

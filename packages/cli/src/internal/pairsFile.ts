import { TrainingSet } from "@effect-scenario/core"
import { parse } from "csv-parse/sync"
import * as Either from "effect/Either"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

const decodePairs = Schema.decodeUnknownEither(Schema.Array(TrainingSet.PlannedPair))

/**
 * Pairs from a file's text: JSON (an array of `{ source, target, instruction? }`) when the name ends in
 * `.json`, else CSV with the columns `source,target,instruction` (a header row with those names is skipped).
 * Names are image names of the set. Fails with one line saying what is wrong and where.
 *
 * @internal
 */
export const parsePairs = (fileName: string, text: string): Either.Either<Array<TrainingSet.PlannedPair>, string> => {
  if (fileName.toLowerCase().endsWith(".json")) {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return Either.left(`${fileName}: not valid JSON (${(error as Error).message})`)
    }
    return Either.mapBoth(decodePairs(json), {
      onLeft: (error) => {
        const issues = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
          `${issue.path.join(".") || "(root)"}: ${issue.message}`
        )
        // Stryker disable next-line StringLiteral: decoding stops at the first issue, so there is one to join
        const joined = issues.join("; ")
        return `${fileName}: expected an array of { source, target, instruction? }: ${joined}`
      },
      onRight: (pairs) => [...pairs]
    })
  }
  let rows: Array<Array<string>>
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true, comment: "#" })
  } catch (error) {
    return Either.left(`${fileName}: not valid CSV (${(error as Error).message})`)
  }
  const pairs: Array<TrainingSet.PlannedPair> = []
  for (const [index, row] of rows.entries()) {
    // csv-parse gives every record at least one field (a blank line is no record): the source is always there.
    const [source, target, instruction] = row as [string, string?, string?]
    if (index === 0 && source.toLowerCase() === "source" && target?.toLowerCase() === "target") continue
    if (source === "" || target === undefined || target === "" || row.length > 3) {
      return Either.left(`${fileName}: line ${index + 1}: expected source,target[,instruction]`)
    }
    pairs.push(instruction === undefined || instruction === "" ? { source, target } : { source, target, instruction })
  }
  return Either.right(pairs)
}

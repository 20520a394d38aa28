/**
 * What must hold after a soak, checked from the outcome of each operation, the requests the emulator
 * recorded and the state it ends in; and the figures that show it.
 */
import type * as Server from "@effect-scenario/emulator/Server"
import type * as Store from "@effect-scenario/emulator/Store"
import { ADD_MODELS, DELETE_MODEL, type Planned, type PlannedAdd, REPLACE_MODEL, requestKey } from "./workload.js"

/**
 * One of the library's typed errors, as the checks read it: the same tags and fields on both lines (each line's
 * run turns its own `Exit` into an `Outcome`, so that nothing here depends on Effect).
 */
export interface SoakError {
  readonly _tag: string
  readonly message: string
  readonly status?: number | undefined
  readonly mayHaveReachedServer?: boolean | undefined
}

/** How one call ended. Only the first two are allowed. */
export type Outcome =
  | { readonly _tag: "Success"; readonly value: unknown }
  | { readonly _tag: "Failure"; readonly error: SoakError }
  /** A failure that is not one of the library's errors; `cause` is the line's `Cause`, pretty-printed. */
  | { readonly _tag: "Untyped"; readonly cause: string }
  | { readonly _tag: "Defect"; readonly cause: string }

export interface Result {
  readonly planned: Planned
  readonly outcome: Outcome
}

/**
 * What a failed `add` says about whether it took effect. Not applied: refused before sending, a connection
 * that surely never carried the request, a rejection (4xx), a 429 or a 503 (answered before the service
 * acts, which is why the retry policy retries them). May have been applied: anything else, in particular a
 * timeout or a connection lost after sending, a 500 or a 502.
 */
export const addFailureSays = (error: SoakError): "not applied" | "may be applied" => {
  switch (error._tag) {
    case "InvalidRequestError":
      return "not applied"
    case "ConnectionError":
    case "TimeoutError":
      return error.mayHaveReachedServer ? "may be applied" : "not applied"
    case "ResponseDecodeError":
      return "may be applied"
    default:
      // The errors of a non-2xx answer carry its status; a 2xx answer's (ResponseTooLargeError) never reads as
      // "not applied" below.
      if (error.status === undefined) return "may be applied"
      return error.status === 503 || (error.status >= 400 && error.status < 500) ? "not applied" : "may be applied"
  }
}

export interface Figures {
  readonly operations: number
  readonly operationsByKind: Readonly<Record<string, number>>
  /** Operations refused before sending (`InvalidRequestError`): they make no request. */
  readonly refusedBeforeSending: number
  readonly requests: number
  /** Requests beyond the first of each operation that sent one. */
  readonly retries: number
  readonly faults: Readonly<Record<string, number>>
  readonly faultsTotal: number
  readonly successes: Readonly<Record<string, number>>
  readonly failures: Readonly<Record<string, Readonly<Record<string, number>>>>
  readonly addsSucceeded: number
  readonly addsNotApplied: number
  readonly ambiguousAdds: number
  /** Of the ambiguous adds, how many had in fact been applied. */
  readonly ambiguousAddsApplied: number
  readonly addsAppliedTwice: number
  /** Idempotent operations whose every attempt met a fault, more than the retry policy allows. */
  readonly beyondRetryPolicy: number
  /**
   * Deletes that failed with `NotFoundError` because an earlier attempt of theirs was applied and its
   * response lost (a policy that does not converge; the library's reports these as successes).
   */
  readonly deletesConverged: number
  /**
   * Deletes that succeeded although their last attempt was answered 404: an earlier attempt was applied,
   * its answer lost or replaced by a fault, and the 404 said the training image is not found.
   */
  readonly deletesFoundGone: number
  readonly defects: number
  readonly untyped: number
  readonly stateMismatches: number
}

/**
 * A property that did not hold. Safety: a defect, an untyped failure, an add applied twice, a final state the
 * outcomes do not explain. Liveness: an idempotent operation that failed although fewer consecutive faults
 * than the retry policy allows were injected into it (which also happens when the server, not a fault, is
 * slower than the client's timeout).
 */
export interface Violation {
  readonly kind: "safety" | "liveness"
  readonly message: string
}

export interface Verdict {
  readonly figures: Figures
  /** Every property that did not hold; empty when the soak passed. */
  readonly violations: ReadonlyArray<Violation>
}

const count = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1
}

const samePairs = (
  a: ReadonlyArray<
    {
      readonly sourceId?: string | undefined
      readonly targetId?: string | undefined
      readonly instruction?: string | undefined
    }
  >,
  b: ReadonlyArray<{ readonly sourceId: string; readonly targetId: string; readonly instruction?: string | undefined }>
) =>
  a.length === b.length &&
  a.every((pair, i) =>
    pair.sourceId === b[i]!.sourceId && pair.targetId === b[i]!.targetId && pair.instruction === b[i]!.instruction
  )

/**
 * Checks every property of the soak.
 *
 * `maxRetries` is the retry policy's: an idempotent operation may fail only when each of its
 * `maxRetries + 1` attempts met a fault, as the emulator's log shows.
 */
export const verify = (input: {
  readonly results: ReadonlyArray<Result>
  readonly requests: ReadonlyArray<Server.RecordedRequest>
  readonly faults: Readonly<Record<string, number>>
  readonly snapshot: Store.Snapshot
  readonly maxRetries: number
  /** The path of the base URL, which the emulator's recorded paths start with. */
  readonly basePath: string
}): Verdict => {
  const { maxRetries, results, snapshot } = input
  const violations: Array<Violation> = []
  const safety = (message: string) => violations.push({ kind: "safety", message })
  const operationsByKind: Record<string, number> = {}
  const successes: Record<string, number> = {}
  const failures: Record<string, Record<string, number>> = {}
  let refusedBeforeSending = 0
  let addsSucceeded = 0
  let addsNotApplied = 0
  let ambiguousAdds = 0
  let ambiguousAddsApplied = 0
  let addsAppliedTwice = 0
  let beyondRetryPolicy = 0
  let deletesConverged = 0
  let deletesFoundGone = 0
  let defects = 0
  let untyped = 0
  let stateMismatches = 0

  const mismatch = (planned: Planned, what: string) => {
    stateMismatches++
    safety(`${planned.operation} #${planned.index}: ${what}`)
  }

  // The attempts of each idempotent operation, by its own method and path.
  const attempts = new Map<string, Array<Server.RecordedRequest>>()
  for (const request of input.requests) {
    const key = `${request.method} ${request.path.slice(input.basePath.length)}`
    const list = attempts.get(key)
    if (list === undefined) attempts.set(key, [request])
    else list.push(request)
  }

  // Every image in the models that adds go to, by name: each add's images are traced by the names it gave.
  const addedByName = new Map<string, Array<Store.StoredImage>>()
  let addedImages = 0
  for (const modelId of ADD_MODELS) {
    for (const image of snapshot.models[modelId]?.trainingImages ?? []) {
      addedImages++
      const list = addedByName.get(image.name)
      if (list === undefined) addedByName.set(image.name, [image])
      else list.push(image)
    }
  }
  const imagesOf = (model: string) => new Map((snapshot.models[model]?.trainingImages ?? []).map((i) => [i.id, i]))
  const replaceImages = imagesOf(REPLACE_MODEL)
  const deleteImages = imagesOf(DELETE_MODEL)
  let tracedAddImages = 0

  const checkAdd = (planned: PlannedAdd, outcome: Outcome) => {
    const found = planned.names.map((name) => addedByName.get(name) ?? [])
    const counts = found.map((images) => images.length)
    tracedAddImages += counts.reduce((a, b) => a + b, 0)
    if (counts.some((n) => n > 1)) {
      addsAppliedTwice++
      mismatch(planned, `applied more than once (${counts.join(", ")} images per asset)`)
    }
    if (outcome._tag === "Success") {
      addsSucceeded++
      const returned = outcome.value as { readonly id: string; readonly name: string }
      if (counts.some((n) => n !== 1)) {
        mismatch(planned, `succeeded but the store holds ${counts.join(", ")} images`)
      } else if (found[0]![0]!.id !== returned.id || returned.name !== planned.names[0]) {
        mismatch(planned, `returned ${returned.id} (${returned.name}), which is not the image it stored`)
      }
    } else if (outcome._tag === "Failure") {
      if (addFailureSays(outcome.error) === "not applied") {
        addsNotApplied++
        if (counts.some((n) => n !== 0)) {
          mismatch(planned, `failed with ${outcome.error._tag}, which says it was not applied, but it was`)
        }
      } else {
        ambiguousAdds++
        if (counts.every((n) => n === 1)) ambiguousAddsApplied++
        else if (counts.some((n) => n !== 0)) mismatch(planned, `partly applied: ${counts.join(", ")}`)
      }
    }
  }

  /** Whether an idempotent operation's failure is allowed: every one of its attempts met a fault. */
  const excused = (planned: Planned, error: SoakError): boolean => {
    const seen = attempts.get(requestKey(planned)) ?? []
    if (seen.length === maxRetries + 1 && seen.every((request) => request.fault !== undefined)) {
      beyondRetryPolicy++
      return true
    }
    // An earlier attempt that the server applied (it answered 200, or dropped the connection after applying)
    // but whose response the client never got: the retry finds the image gone.
    if (
      planned.operation === "delete" && error._tag === "NotFoundError" &&
      seen.slice(0, -1).some((request) => request.fault?.endsWith("after-apply") === true || request.status === 200)
    ) {
      deletesConverged++
      return true
    }
    violations.push({
      kind: "liveness",
      message:
        `${planned.operation} #${planned.index} failed with ${error._tag} (${error.message}) although its faults fit ` +
        `the retry policy: ${seen.length} attempts, faults ${seen.map((r) => r.fault ?? "none").join(", ")}`
    })
    return false
  }

  for (const { outcome, planned } of results) {
    count(operationsByKind, planned.operation)
    if (outcome._tag === "Defect" || outcome._tag === "Untyped") {
      if (outcome._tag === "Defect") defects++
      else untyped++
      safety(`${planned.operation} #${planned.index} ended in a ${outcome._tag}: ${outcome.cause}`)
      continue
    }
    if (outcome._tag === "Success") count(successes, planned.operation)
    else count(failures[planned.operation] ??= {}, outcome.error._tag)
    if (outcome._tag === "Failure" && outcome.error._tag === "InvalidRequestError") refusedBeforeSending++
    if (planned.operation === "add") {
      checkAdd(planned, outcome)
      continue
    }
    const failed = outcome._tag === "Failure"
    if (failed) excused(planned, outcome.error)
    switch (planned.operation) {
      case "replace": {
        const name = replaceImages.get(planned.params.trainingImageId)?.name
        if (!failed) {
          const returned = outcome.value as { readonly id: string; readonly name: string }
          if (name !== planned.after) mismatch(planned, `succeeded but the image is named ${name}`)
          if (returned.id !== planned.params.trainingImageId || returned.name !== planned.after) {
            mismatch(planned, `returned ${returned.id} (${returned.name})`)
          }
        } else if (name !== planned.after && name !== planned.before) {
          mismatch(planned, `failed and left the image named ${name}`)
        }
        break
      }
      case "delete": {
        const present = deleteImages.has(planned.params.trainingImageId)
        const converged = failed && outcome.error._tag === "NotFoundError"
        if ((!failed || converged) && present) mismatch(planned, "reported the image deleted, but it is still there")
        // A success whose last attempt was answered 404: an earlier attempt was applied, its answer lost or
        // replaced by a fault, and the library counted the "training image not found" as done.
        const seen = attempts.get(requestKey(planned)) ?? []
        if (!failed && seen.length > 1 && seen.at(-1)!.status === 404) deletesFoundGone++
        break
      }
      case "replacePairs": {
        const pairs = snapshot.models[planned.params.modelId]?.pairs ?? []
        if (!failed) {
          const returned = outcome.value as { readonly count: number; readonly pairs: ReadonlyArray<object> }
          if (!samePairs(pairs, planned.params.pairs)) mismatch(planned, "succeeded but the model holds other pairs")
          if (returned.count !== planned.params.pairs.length || !samePairs(returned.pairs, planned.params.pairs)) {
            mismatch(planned, "returned other pairs than it set")
          }
        } else if (!samePairs(pairs, planned.params.pairs) && !samePairs(pairs, planned.before)) {
          mismatch(planned, "failed and left pairs that are neither the old nor the new")
        }
        break
      }
      case "list": {
        if (failed) break
        const listed = outcome.value as {
          readonly trainingImages: ReadonlyArray<{ readonly id: string; readonly name: string }>
          readonly trainingImagePairs: ReadonlyArray<{ readonly sourceId?: string | undefined }>
          readonly trainingImagesNumber: number
        }
        const images = listed.trainingImages.map((image) => `${image.id}:${image.name}`).join(",")
        const expected = planned.expected.images.map((image) => `${image.id}:${image.name}`).join(",")
        if (
          images !== expected || listed.trainingImagesNumber !== planned.expected.images.length ||
          !samePairs(listed.trainingImagePairs, planned.expected.pairs)
        ) {
          mismatch(planned, "listed something other than its model")
        }
        break
      }
    }
  }

  if (tracedAddImages !== addedImages) {
    stateMismatches++
    safety(`the add models hold ${addedImages - tracedAddImages} images that no add put there`)
  }
  const expectedReplaceImages = results.filter((r) => r.planned.operation === "replace").length
  if (replaceImages.size !== expectedReplaceImages) {
    stateMismatches++
    safety(`the replace model holds ${replaceImages.size} images, not ${expectedReplaceImages}`)
  }

  const operations = results.length
  const faultsTotal = Object.values(input.faults).reduce((a, b) => a + b, 0)
  return {
    figures: {
      operations,
      operationsByKind,
      refusedBeforeSending,
      requests: input.requests.length,
      retries: input.requests.length - (operations - refusedBeforeSending),
      faults: input.faults,
      faultsTotal,
      successes,
      failures,
      addsSucceeded,
      addsNotApplied,
      ambiguousAdds,
      ambiguousAddsApplied,
      addsAppliedTwice,
      beyondRetryPolicy,
      deletesConverged,
      deletesFoundGone,
      defects,
      untyped,
      stateMismatches
    },
    violations
  }
}

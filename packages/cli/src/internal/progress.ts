// What a run has done so far, from its events: the counts an interrupted run reports, and the state it
// leaves for `--state` (a finished run's report carries its own).
import type { TrainingSet } from "@effect-scenario/core"

/**
 * The state after the items that succeeded so far, as `TrainingSet.apply` computes it for a finished run:
 * an image added, replaced or kept is recorded with the content it was planned with, a name deleted as not
 * in the set leaves it, anything else keeps its previous entry. It lives here because the library only
 * gives the state of a finished run.
 *
 * @internal
 */
export const stateSoFar = (
  plan: TrainingSet.Plan,
  previous: TrainingSet.State | undefined,
  outcomes: ReadonlyMap<number, TrainingSet.Outcome>
): TrainingSet.State => {
  // A Map, so that no name (`__proto__` included) is mistaken for a property of the record.
  const images = new Map(previous?.modelId === plan.modelId ? Object.entries(previous.images) : [])
  plan.items.forEach((item, index) => {
    const outcome = outcomes.get(index)
    switch (item._tag) {
      case "Keep":
        if (item.sha256 !== undefined) {
          images.set(item.name, { sha256: item.sha256, trainingImageId: item.trainingImageId })
        }
        break
      case "Add":
      case "Replace": {
        const id = outcome?._tag === "Succeeded" ? outcome.trainingImageIds[0] : undefined
        if (item.sha256 !== undefined && id !== undefined) {
          images.set(item.name, { sha256: item.sha256, trainingImageId: id })
        }
        break
      }
      case "Delete":
        if (outcome?._tag === "Succeeded" && item.reason === "not-in-set") images.delete(item.name)
        break
    }
  })
  return { modelId: plan.modelId, images: Object.fromEntries(images) }
}

/**
 * Follows a run's events: how many items succeeded and failed of those that send requests, and the state
 * so far.
 *
 * @internal
 */
export const makeProgress = (plan: TrainingSet.Plan) => {
  const outcomes = new Map<number, TrainingSet.Outcome>()
  const total = plan.items.filter((item) => item._tag !== "Keep").length
  return {
    onEvent: (event: TrainingSet.Event): void => {
      if (event._tag === "Succeeded") outcomes.set(event.index, event.outcome)
      else if (event._tag === "Failed") outcomes.set(event.index, { _tag: "Failed", error: event.error })
    },
    counts: () => {
      let succeeded = 0
      let failed = 0
      for (const outcome of outcomes.values()) {
        if (outcome._tag === "Succeeded") succeeded++
        else if (outcome._tag === "Failed") failed++
      }
      return { succeeded, failed, total }
    },
    state: (previous: TrainingSet.State | undefined) => stateSoFar(plan, previous, outcomes)
  }
}

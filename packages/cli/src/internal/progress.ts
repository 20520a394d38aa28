// What a run has done so far, from its events: the counts an interrupted run reports, and the state it
// leaves for `--state` (a finished run's report carries its own).
import { TrainingSet } from "@effect-scenario/core"

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
    state: (previous: TrainingSet.State | undefined) =>
      TrainingSet.stateAfter(plan, previous, plan.items.map((_, index) => outcomes.get(index)))
  }
}

/**
 * @since 0.1.0
 */
export * as ScenarioTraining from "./ScenarioTraining.js"

/**
 * The `scenario-training` command line: a thin shell over `TrainingSet` (parse with `@effect/cli`, build
 * the layers, run, render).
 *
 * ```sh
 * scenario-training sync ./images --model model_123 --delete --pairs pairs.csv
 * scenario-training sync ./images --model model_demo --emulator
 * ```
 *
 * @since 0.2.0
 */
export * as ScenarioTraining from "./ScenarioTraining.js"

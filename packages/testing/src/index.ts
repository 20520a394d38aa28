/**
 * @since 0.1.0
 */
export * as Fault from "./Fault.js"

/**
 * @since 0.1.0
 */
export * as TrainingImagesTest from "./TrainingImagesTest.js"

/**
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"

/**
 * @since 0.1.0
 */
export * as Endpoint from "./Endpoint.js"

/**
 * @since 0.1.0
 */
export * as RetryPolicy from "./RetryPolicy.js"

/**
 * @since 0.1.0
 */
export * as TrainingImage from "./TrainingImage.js"

/**
 * @since 0.1.0
 */
export * as TrainingImages from "./TrainingImages.js"

/**
 * @since 0.1.0
 */
export * as TrainingImagesError from "./TrainingImagesError.js"

/**
 * @since 0.1.0
 */
export * as Validate from "./Validate.js"

/**
 * @since 0.1.0
 */
export * as ApiResponse from "./ApiResponse.js"

/**
 * @since 0.2.0
 */
export * as TrainingSet from "./TrainingSet.js"

/**
 * Schemas for everything that crosses the wire: the training images and pairs the API returns, and the
 * params of each `TrainingImages` operation.
 *
 * @since 0.1.0
 */
export * as TrainingImage from "./TrainingImage.js"

/**
 * The typed errors of the `TrainingImages` service. Each names the operation, method and URL (never
 * credentials); the errors that come from a response also carry its status, headers, body (opaque JSON, or
 * text) and request id. The status errors keep the names of the Stainless runtime the official SDK uses.
 *
 * @since 0.1.0
 */
export * as TrainingImagesError from "./TrainingImagesError.js"

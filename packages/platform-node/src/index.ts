/**
 * @since 0.1.0
 */
export * as NodeTrainingImages from "./NodeTrainingImages.js"

/**
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * The environment variables a binding reads its settings from (the names the official SDKs read), and what
 * a missing one's error says. A missing variable holds no secret: its message names it, and nothing else.
 *
 * @since 0.1.0
 */

/**
 * The environment variable the API key is read from by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const API_KEY_VARIABLE = "SCENARIO_SDK_API_KEY"

/**
 * The environment variable the API secret is read from by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const API_SECRET_VARIABLE = "SCENARIO_SDK_API_SECRET"

/**
 * The environment variable the API's base URL is read from by default.
 *
 * @since 0.1.0
 * @category constants
 */
export const BASE_URL_VARIABLE = "SCENARIO_SDK_BASE_URL"

/**
 * The message of a variable that is not set: `NAME is not set`.
 *
 * @since 0.1.0
 * @category messages
 */
export const notSetMessage = (name: string): string => `${name} is not set`

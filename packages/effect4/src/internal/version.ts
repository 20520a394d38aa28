/** The library version, sent in the user agent. Kept in step with package.json by a test. @internal */
export const VERSION = "0.1.0"

/**
 * How requests authenticate: Basic from an API key and secret, or a Bearer token. Every secret is
 * `Redacted` from the moment it is read, so it never shows in logs, errors, spans or inspected objects.
 *
 * @since 0.1.0
 */
import * as Authorization from "@effect-scenario/kernel/Authorization"
import * as Environment from "@effect-scenario/kernel/Environment"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Data from "effect/Data"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/**
 * How a request authenticates: `Basic` (API key and secret) or `Bearer` (a token), secrets `Redacted`.
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials = Basic | Bearer

/**
 * `Authorization: Basic base64(apiKey:apiSecret)`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Basic {
  readonly _tag: "Basic"
  readonly apiKey: Redacted.Redacted<string>
  readonly apiSecret: Redacted.Redacted<string>
}

/**
 * `Authorization: Bearer <token>`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Bearer {
  readonly _tag: "Bearer"
  readonly token: Redacted.Redacted<string>
}

const redact = (value: string | Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.isRedacted(value) ? value : Redacted.make(value)

/**
 * Basic credentials from a Scenario API key and secret: `Authorization: Basic base64(key:secret)`. Plain
 * strings are wrapped in `Redacted` at once.
 *
 * @example
 * ```ts
 * import { Credentials, TrainingImages } from "@effect-scenario/core"
 * import { Redacted } from "effect"
 *
 * const credentials = Credentials.basic(Redacted.make("my-key"), Redacted.make("my-secret"))
 * const ScenarioLive = TrainingImages.layer({ credentials }) // needs an HttpClient
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const basic = (
  apiKey: string | Redacted.Redacted<string>,
  apiSecret: string | Redacted.Redacted<string>
): Credentials => Data.struct({ _tag: "Basic", apiKey: redact(apiKey), apiSecret: redact(apiSecret) })

/**
 * Bearer credentials from a token: `Authorization: Bearer <token>`. A plain string is wrapped in `Redacted`
 * at once.
 *
 * @example
 * ```ts
 * import { Credentials } from "@effect-scenario/core"
 * import { Redacted } from "effect"
 *
 * const credentials = Credentials.bearer(Redacted.make("my-token"))
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const bearer = (token: string | Redacted.Redacted<string>): Credentials =>
  Data.struct({ _tag: "Bearer", token: redact(token) })

/**
 * The environment variables the official SDKs read.
 *
 * @since 0.1.0
 * @category config
 */
export const API_KEY_VARIABLE = Environment.API_KEY_VARIABLE

/**
 * The environment variable the API secret is read from by default: `SCENARIO_SDK_API_SECRET`.
 *
 * @since 0.1.0
 * @category config
 */
export const API_SECRET_VARIABLE = Environment.API_SECRET_VARIABLE

// `Config.redacted` redacts the message of every error it fails with, a missing variable's included, which
// then reads `Missing data at SCENARIO_SDK_API_KEY: "<redacted>"`. A missing variable holds no secret: the
// text is read as it is, redacted at once, and a missing one says so.
const secret = (name: string): Config.Config<Redacted.Redacted<string>> =>
  Config.option(Config.string(name)).pipe(Config.mapOrFail(Option.match({
    onNone: () => Either.left(ConfigError.MissingData([name], Environment.notSetMessage(name))),
    onSome: (value) => Either.right(Redacted.make(value))
  })))

/**
 * Basic credentials from `SCENARIO_SDK_API_KEY` and `SCENARIO_SDK_API_SECRET` (or the names given). A
 * missing variable fails with a `ConfigError` (`MissingData`) at its name whose message says it is not set.
 *
 * @since 0.1.0
 * @category config
 */
export const basicConfig = (names?: {
  readonly apiKey?: string | undefined
  readonly apiSecret?: string | undefined
}): Config.Config<Credentials> =>
  Config.map(
    Config.all([
      secret(names?.apiKey ?? API_KEY_VARIABLE),
      secret(names?.apiSecret ?? API_SECRET_VARIABLE)
    ]),
    ([apiKey, apiSecret]) => basic(apiKey, apiSecret)
  )

/**
 * A Bearer token from the variable named. A missing variable fails as in `basicConfig`.
 *
 * @since 0.1.0
 * @category config
 */
export const bearerConfig = (name: string): Config.Config<Credentials> => Config.map(secret(name), bearer)

/**
 * The value of the `Authorization` header.
 *
 * @since 0.1.0
 * @category encoding
 */
export const authorization = (credentials: Credentials): Redacted.Redacted<string> =>
  Redacted.make(
    credentials._tag === "Bearer"
      ? Authorization.bearer(Redacted.value(credentials.token))
      : Authorization.basic(Redacted.value(credentials.apiKey), Redacted.value(credentials.apiSecret))
  )

import { Credentials } from "@effect-scenario/core"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Redacted } from "effect"
import { inspect } from "node:util"

const provider = (env: Record<string, string>) => ConfigProvider.fromMap(new Map(Object.entries(env)))

describe("Credentials", () => {
  it.effect("basicConfig reads the key and the secret, redacted at once", () =>
    Effect.gen(function*() {
      const credentials = yield* Effect.withConfigProvider(
        Credentials.basicConfig(),
        provider({ SCENARIO_SDK_API_KEY: "env_key", SCENARIO_SDK_API_SECRET: "env_secret" })
      )
      expect(credentials._tag).toBe("Basic")
      expect(Redacted.value(Credentials.authorization(credentials))).toBe(`Basic ${btoa("env_key:env_secret")}`)
      expect(inspect(credentials, { depth: 5 })).not.toContain("env_secret")
      expect(JSON.stringify(credentials)).not.toContain("env_secret")
    }))

  it.effect("a missing variable's ConfigError says it is not set, without a redacted placeholder", () =>
    Effect.gen(function*() {
      const direct = yield* Effect.flip(
        Effect.withConfigProvider(Credentials.basicConfig(), provider({ SCENARIO_SDK_API_KEY: "k" }))
      )
      expect(String(direct)).toContain("SCENARIO_SDK_API_SECRET is not set")
      expect(String(direct)).not.toContain("SCENARIO_SDK_API_KEY")
      expect(String(direct)).not.toContain("redacted")
      const token = yield* Effect.flip(
        Effect.withConfigProvider(Credentials.bearerConfig("MY_SCENARIO_TOKEN"), provider({}))
      )
      expect(String(token)).toContain("MY_SCENARIO_TOKEN is not set")
    }))

  it.effect("a Bearer token from a variable of the user's choice", () =>
    Effect.gen(function*() {
      const credentials = yield* Effect.withConfigProvider(
        Credentials.bearerConfig("MY_SCENARIO_TOKEN"),
        provider({ MY_SCENARIO_TOKEN: "jwt" })
      )
      expect(Redacted.value(Credentials.authorization(credentials))).toBe("Bearer jwt")
      expect(inspect(credentials, { depth: 5 })).not.toContain("jwt")
    }))

  it("plain strings are wrapped in Redacted; Redacted values are kept", () => {
    const secret = Redacted.make("s")
    const basic = Credentials.basic("k", secret)
    expect(basic._tag === "Basic" && basic.apiSecret).toBe(secret)
    expect(basic._tag === "Basic" && Redacted.isRedacted(basic.apiKey)).toBe(true)
    expect(String(Credentials.bearer("t"))).not.toContain("\"t\"")
  })
})

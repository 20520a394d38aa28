import { Credentials, TrainingImages } from "@effect-scenario/core"
import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Config, ConfigError, ConfigProvider, Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import * as Cases from "../../../contract/layerConfig.js"
import { makeStub } from "./stub.js"

const build = (env: Record<string, string>, layer = TrainingImages.layerConfig()) =>
  Effect.gen(function*() {
    const stub = yield* makeStub([{ status: 200, body: {} }])
    const images = yield* TrainingImages.TrainingImages.pipe(
      Effect.provide(layer.pipe(Layer.provide(Layer.succeed(HttpClient.HttpClient, stub.client)))),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
    )
    return { images, recorded: stub.recorded }
  })

describe("layerConfig", () => {
  it.effect("reads the key, the secret and the base URL from the environment", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* build(Cases.fullEnv)
      yield* images.delete({ modelId: "m", trainingImageId: "t" })
      const [request] = yield* recorded
      expect(request!.url).toBe(Cases.fullEnvDeleteUrl)
      expect(request!.headers["authorization"]).toBe(Cases.fullEnvAuthorization)
    }))

  it.effect("defaults to the public API", () =>
    Effect.gen(function*() {
      const { images, recorded } = yield* build({ SCENARIO_SDK_API_KEY: "k", SCENARIO_SDK_API_SECRET: "s" })
      yield* images.delete({ modelId: "m", trainingImageId: "t" })
      expect((yield* recorded)[0]!.url).toBe(`${TrainingImages.DEFAULT_BASE_URL}/models/m/training-images/t`)
    }))

  it.effect("missing credentials fail the layer with a ConfigError that names the variables", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(build({}))
      expect(error._op).toBe("And")
      expect(String(error)).toContain("SCENARIO_SDK_API_KEY")
      expect(String(error)).toContain("SCENARIO_SDK_API_SECRET")
      const one = yield* Effect.flip(build({ SCENARIO_SDK_API_KEY: "k" }))
      expect(String(one)).toContain("SCENARIO_SDK_API_SECRET")
      expect(String(one)).not.toContain("SCENARIO_SDK_API_KEY")
    }))

  it.effect("a missing variable's ConfigError says it is not set, without a redacted placeholder", () =>
    Effect.gen(function*() {
      const both = yield* Effect.flip(build({}))
      expect(String(both)).toBe(
        "(Missing data at SCENARIO_SDK_API_KEY: \"SCENARIO_SDK_API_KEY is not set\") and " +
          "(Missing data at SCENARIO_SDK_API_SECRET: \"SCENARIO_SDK_API_SECRET is not set\")"
      )
      expect(ConfigError.isMissingDataOnly(both)).toBe(true)
      const token = yield* Effect.flip(
        build({}, TrainingImages.layerConfig({ credentials: Credentials.bearerConfig("MY_SCENARIO_TOKEN") }))
      )
      expect(String(token)).toBe("(Missing data at MY_SCENARIO_TOKEN: \"MY_SCENARIO_TOKEN is not set\")")
      const direct = yield* Effect.flip(
        Effect.withConfigProvider(
          Credentials.basicConfig(),
          ConfigProvider.fromMap(new Map([["SCENARIO_SDK_API_KEY", "k"]]))
        )
      )
      expect(String(direct)).toBe("(Missing data at SCENARIO_SDK_API_SECRET: \"SCENARIO_SDK_API_SECRET is not set\")")
    }))

  it.effect("a Bearer token from a variable of the user's choice", () =>
    Effect.gen(function*() {
      const layer = TrainingImages.layerConfig({ credentials: Credentials.bearerConfig("MY_SCENARIO_TOKEN") })
      const { images, recorded } = yield* build({ MY_SCENARIO_TOKEN: "jwt" }, layer)
      yield* images.delete({ modelId: "m", trainingImageId: "t" })
      expect((yield* recorded)[0]!.headers["authorization"]).toBe("Bearer jwt")
    }))

  it.effect("plain http to another host is refused unless opted in", () =>
    Effect.gen(function*() {
      const env = Cases.insecureEnv
      const error = yield* Effect.flip(build(env))
      expect(String(error)).toContain("SCENARIO_SDK_BASE_URL")
      expect(String(error)).toContain("plain http")
      const optedIn = TrainingImages.layerConfig({ allowInsecureHttp: Config.succeed(true) })
      const { images, recorded } = yield* build(env, optedIn)
      yield* images.delete({ modelId: "m", trainingImageId: "t" })
      expect((yield* recorded)[0]!.url).toBe(Cases.insecureDeleteUrl)
    }))
})

describe("make: base URL checks", () => {
  const make = (baseUrl: string, allowInsecureHttp?: boolean) =>
    Effect.gen(function*() {
      const stub = yield* makeStub([{ status: 200, body: {} }])
      return yield* TrainingImages.make({ credentials: Credentials.basic("k", "s"), baseUrl, allowInsecureHttp }).pipe(
        Effect.provide(Layer.succeed(HttpClient.HttpClient, stub.client))
      )
    })

  it.effect("refuses what cannot be right", () =>
    Effect.gen(function*() {
      for (const baseUrl of Cases.refusedBaseUrls) {
        const error = yield* Effect.flip(make(baseUrl))
        expect(error._op, baseUrl).toBe("InvalidData")
        expect(String(error)).not.toContain("pass@")
      }
    }))

  it.effect("accepts https anywhere, plain http on loopback, and plain http elsewhere when opted in", () =>
    Effect.gen(function*() {
      for (const baseUrl of Cases.acceptedBaseUrls) yield* make(baseUrl)
      yield* make(Cases.optedInBaseUrl, true)
    }))
})

describe("make: credentials and maxResponseBytes checks", () => {
  const make = (options: Partial<TrainingImages.Options>) =>
    Effect.gen(function*() {
      const stub = yield* makeStub([{ status: 200, body: {} }])
      return yield* TrainingImages.make({ credentials: Credentials.basic("k", "s"), ...options }).pipe(
        Effect.provide(Layer.succeed(HttpClient.HttpClient, stub.client))
      )
    })

  // The ConfigError: its path names the field, its message says what is wrong, and it never quotes the value.
  const refusal = (options: Partial<TrainingImages.Options>) =>
    Effect.map(Effect.flip(make(options)), (error) => {
      if (error._op !== "InvalidData") throw new Error(`expected InvalidData, got ${error._op}`)
      expect(String(error)).not.toContain(Cases.SECRET_MARK)
      return { path: error.path, message: error.message }
    })

  it.effect("a bearer token that is not a token68", () =>
    Effect.gen(function*() {
      for (const token of Cases.badTokens) {
        const { message, path } = yield* refusal({ credentials: Credentials.bearer(token) })
        expect(path, token).toEqual(["credentials", "token"])
        expect(message).toBe(Cases.BAD_TOKEN_MESSAGE)
      }
      yield* make({ credentials: Credentials.bearer(Cases.goodToken) })
    }))

  it.effect("an API key or secret holding a control character", () =>
    Effect.gen(function*() {
      for (const [apiKey, apiSecret, field] of Cases.controlCharacters) {
        const { message, path } = yield* refusal({ credentials: Credentials.basic(apiKey, apiSecret) })
        expect(path, field).toEqual(["credentials", field])
        expect(message).toBe(Cases.controlCharacterMessage(field))
      }
      yield* make({ credentials: Credentials.basic(...Cases.acceptedBasic) })
    }))

  it.effect("a maxResponseBytes that is not a whole number of bytes above 0", () =>
    Effect.gen(function*() {
      for (const maxResponseBytes of Cases.badMaxResponseBytes) {
        expect(yield* refusal({ maxResponseBytes }), String(maxResponseBytes)).toEqual(Cases.badMaxResponseBytesRefusal)
      }
      yield* make({ maxResponseBytes: 1 })
    }))
})

describe("the user agent", () => {
  it("names the version in package.json", () => {
    const packageJson = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"))
    expect(TrainingImages.USER_AGENT).toBe(`effect-scenario/${packageJson.version}`)
  })
})

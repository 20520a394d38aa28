/**
 * Credentials never leak: not into errors (message, `toString`, inspection, JSON, encoded form, pretty
 * causes), not into the service object or the layer's context, not into logs at any level (retry logs
 * included), not into span attributes, events or exits (the call's and each attempt's spans, and the HTTP
 * client's own). Every rendering is searched for the key, the secret, the token and the base64 of `key:secret`.
 *
 * And plain http to a host other than loopback is refused unless the user opts in.
 *
 * The Effect 3 line's runner of the table `contract/security.ts`, shared with the Effect 4 line.
 */
import { Credentials, RetryPolicy, TrainingImages, TrainingImagesError } from "@effect-scenario/core"
import { plainRenderings, safely } from "@effect-scenario/test-support/secrets"
import { HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import {
  Cause,
  ConfigError,
  ConfigProvider,
  Context,
  Duration,
  Effect,
  Exit,
  FastCheck as fc,
  Inspectable,
  Layer,
  Logger,
  LogLevel,
  Option,
  Schema,
  Tracer
} from "effect"
import * as util from "node:util"
import * as Security from "../../../contract/security.js"
import * as Calls from "../../../contract/securityCalls.js"
import { makeStub, type Reply, trainingImageJson } from "./stub.js"

const KEYS = Security.CLIENT
const { apiKey: API_KEY, apiSecret: API_SECRET, token: TOKEN } = KEYS
const BASIC = Security.basicOf(KEYS)
const SECRETS = Security.secretsOf(KEYS)

const basic = Credentials.basic(API_KEY, API_SECRET)
const bearer = Credentials.bearer(TOKEN)

/** Every way a value ends up as text in a log line, a report or a terminal. */
const renderings = (value: unknown): ReadonlyArray<readonly [string, string]> => {
  const all = plainRenderings(value)
  all.push(
    ["Inspectable.format", safely(() => Inspectable.format(value))],
    ["Inspectable.toStringUnknown", safely(() => Inspectable.toStringUnknown(value))],
    ["Cause.pretty(fail)", safely(() => Cause.pretty(Cause.fail(value)))],
    ["Cause.pretty(die)", safely(() => Cause.pretty(Cause.die(value)))]
  )
  if (TrainingImagesError.isTrainingImagesError(value)) {
    all.push([
      "Schema.encode",
      safely(() => JSON.stringify(Schema.encodeUnknownSync(TrainingImagesError.TrainingImagesError)(value)))
    ])
  }
  return all
}

const expectNoSecret = (what: string, text: string) => {
  const name = Security.secretIn(text, SECRETS)
  if (name !== undefined) expect.fail(`${what} holds ${name}`)
}

const expectNoSecretIn = (what: string, value: unknown) => {
  for (const [how, text] of renderings(value)) expectNoSecret(`${what} (${how})`, text)
}

const ok: Reply = { status: 200, body: { trainingImage: trainingImageJson() } }

const echoing = (status: number, body?: unknown): Reply => Security.echoing(KEYS, status, body) as Reply

/** One failure of each kind the service can raise. */
const failingReplies = Security.failingReplies(KEYS) as ReadonlyArray<readonly [string, Reply]>

/** The same failures from a server that does not echo credentials. */
const plainFailingReplies = Security.plainFailingReplies(KEYS) as ReadonlyArray<readonly [string, Reply]>

const serviceOver = (replies: ReadonlyArray<Reply>, credentials: Credentials.Credentials, options?: {
  readonly retryPolicy?: RetryPolicy.RetryPolicy
}) =>
  Effect.gen(function*() {
    const stub = yield* makeStub(replies)
    const images = yield* TrainingImages.make({
      credentials,
      timeout: Duration.millis(Calls.CLIENT_TIMEOUT_MS),
      retryPolicy: options?.retryPolicy ?? RetryPolicy.none
    }).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, stub.client)))
    return { images, recorded: stub.recorded }
  })

/** Calls the service as the table's call says. */
const callOf = (
  images: TrainingImages.Service,
  call: Calls.Call
): Effect.Effect<unknown, TrainingImagesError.TrainingImagesError> => {
  switch (call.operation) {
    case "add":
      return images.add(call.params)
    case "replace":
      return images.replace(call.params)
    case "replacePairs":
      return images.replacePairs(call.params)
    case "delete":
      return images.delete(call.params)
    case "list":
      return images.list(call.params)
  }
}

const retryPolicyOf = (limits: Calls.RetryLimits) =>
  RetryPolicy.make({
    initialDelay: Duration.millis(limits.initialDelayMs),
    maxDelay: Duration.millis(limits.maxDelayMs),
    maxRetries: limits.maxRetries
  })

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) return expect.fail("expected a failure")
  const failure = Cause.failureOption(exit.cause)
  if (Option.isNone(failure)) return expect.fail(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return failure.value
}

describe("credentials never appear in errors", () => {
  for (const [label, credentials] of [["Basic", basic], ["Bearer", bearer]] as const) {
    it.live(`${label}: every kind of error, every operation, every rendering`, () =>
      Effect.gen(function*() {
        const tags = new Set<string>()
        for (const [what, reply] of failingReplies) {
          const { images, recorded } = yield* serviceOver([reply], credentials)
          for (const call of Calls.CLIENT_CALLS) {
            const exit = yield* Effect.exit(callOf(images, call))
            if (Exit.isSuccess(exit)) continue // delete accepts any 2xx body
            const error = failureOf(exit)
            tags.add(error._tag)
            expectNoSecretIn(`${error._tag} after ${what}`, error)
            expectNoSecretIn(`the exit after ${what}`, exit)
          }
          // The credentials did go out, in the one place they belong.
          const sent = yield* recorded
          expect(sent.length).toBeGreaterThan(0)
          for (const request of sent) {
            expect(request.headers["authorization"]).toBe(label === "Basic" ? `Basic ${BASIC}` : `Bearer ${TOKEN}`)
          }
        }
        const invalid = yield* serviceOver([ok], credentials)
        const refused = failureOf(yield* Effect.exit(callOf(invalid.images, Calls.refusedAdd(KEYS))))
        tags.add(refused._tag)
        expect(refused._tag).toBe(Calls.REFUSED_TAG)
        expectNoSecretIn(Calls.REFUSED_TAG, refused)
        expect([...tags].sort()).toEqual(Security.FAILING_TAGS)
      }))
  }

  it.effect("headers that may carry credentials are dropped from the errors' response headers", () =>
    Effect.gen(function*() {
      const { images } = yield* serviceOver([echoing(Calls.ECHOED_401.status, Calls.ECHOED_401.body)], basic)
      const error = failureOf(yield* Effect.exit(callOf(images, Calls.ECHOED_401.call)))
      expect(error._tag).toBe(Calls.ECHOED_401.tag)
      const headers = "headers" in error ? error.headers : {}
      for (const name of Security.CREDENTIAL_HEADERS) {
        expect(headers).not.toHaveProperty(name)
      }
    }))
})

describe("credentials never appear in the service, its layer or its options", () => {
  it.scoped("the service object, the layer's context, the credentials and the options", () =>
    Effect.gen(function*() {
      const stub = yield* makeStub([ok])
      const transport = Layer.succeed(HttpClient.HttpClient, stub.client)
      for (const credentials of [basic, bearer]) {
        const options: TrainingImages.Options = { credentials, baseUrl: Calls.OPTIONS.baseUrl }
        expectNoSecretIn("the credentials", credentials)
        expectNoSecretIn("the options", options)
        const context = yield* Layer.build(TrainingImages.layer(options).pipe(Layer.provide(transport)))
        expectNoSecretIn("the layer's context", context)
        const images = Context.get(context, TrainingImages.TrainingImages)
        expectNoSecretIn("the service", images)
        yield* callOf(images, Calls.OPTIONS.call)
        expectNoSecretIn("the service after a call", images)
      }
      expect((yield* stub.recorded).map((request) => request.headers["authorization"])).toEqual([
        `Basic ${BASIC}`,
        `Bearer ${TOKEN}`
      ])
    }))

  it.scoped("layerConfig: the context, and every ConfigError", () =>
    Effect.gen(function*() {
      const stub = yield* makeStub([ok])
      const transport = Layer.succeed(HttpClient.HttpClient, stub.client)
      const build = (env: Record<string, string>) =>
        Layer.build(TrainingImages.layerConfig().pipe(Layer.provide(transport))).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
        )
      const context = yield* build(Security.envOf(KEYS))
      expectNoSecretIn("the context built by layerConfig", context)
      for (const env of Security.refusedEnvs(KEYS)) {
        const exit = yield* Effect.exit(build(env))
        expect(Exit.isFailure(exit)).toBe(true)
        expectNoSecretIn(`the ConfigError for ${Object.keys(env).join(", ")}`, failureOf(exit))
        expectNoSecretIn("its exit", exit)
      }
    }))
})

// ---------------------------------------------------------------------------------------------------------
// Logs and spans
// ---------------------------------------------------------------------------------------------------------

/** Every log record, rendered by each of Effect's loggers. */
const makeLogCapture = () => {
  const lines: Array<string> = []
  const levels = new Set<string>()
  const logger = Logger.make<unknown, void>((options) => {
    levels.add(options.logLevel.label)
    lines.push(
      Logger.stringLogger.log(options),
      Logger.logfmtLogger.log(options),
      Logger.jsonLogger.log(options),
      util.inspect(Logger.structuredLogger.log(options), { depth: Infinity }),
      util.inspect(options.message, { depth: Infinity, showHidden: true }),
      Cause.pretty(options.cause)
    )
  })
  return { logger, lines, levels }
}

interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  readonly events: Array<readonly [string, Record<string, unknown> | undefined]>
  exit: Exit.Exit<unknown, unknown> | undefined
}

/** A tracer that keeps every span: its attributes, its events and how it ended. */
const makeRecordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  let ids = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const recorded: RecordedSpan = { name, attributes: new Map(), events: [], exit: undefined }
      spans.push(recorded)
      const spanId = `span${++ids}`
      let status: Tracer.SpanStatus = { _tag: "Started", startTime }
      const span: Tracer.Span = {
        _tag: "Span",
        name,
        spanId,
        traceId: "trace1",
        parent,
        context,
        get status() {
          return status
        },
        attributes: recorded.attributes,
        links: [...links, ...(options?.links ?? [])],
        sampled: true,
        kind,
        end: (endTime, exit) => {
          status = { _tag: "Ended", startTime, endTime, exit }
          recorded.exit = exit
        },
        attribute: (key, value) => {
          recorded.attributes.set(key, value)
        },
        event: (eventName, _time, attributes) => {
          recorded.events.push([eventName, attributes])
        },
        addLinks: () => {}
      }
      for (const [key, value] of Object.entries(options?.attributes ?? {})) recorded.attributes.set(key, value)
      return span
    },
    context: (f) => f()
  })
  return { tracer, spans }
}

describe("credentials never appear in logs or spans", () => {
  for (const [label, credentials] of [["Basic", basic], ["Bearer", bearer]] as const) {
    it.live(`${label}: calls that fail, retry and succeed, logged at every level and traced`, () =>
      Effect.gen(function*() {
        const logs = makeLogCapture()
        const { spans, tracer } = makeRecordingTracer()
        const retryPolicy = retryPolicyOf(Calls.TRACED.retryPolicy)
        const program = Effect.gen(function*() {
          // A replace that meets a 503, a reset connection and a 429, then succeeds.
          const retried = yield* serviceOver(
            [...Security.RETRIED as ReadonlyArray<Reply>, ok],
            credentials,
            { retryPolicy }
          )
          yield* callOf(retried.images, Calls.TRACED.retried)
          expect(yield* retried.recorded).toHaveLength(Calls.TRACED.retriedRequests)
          // Calls that fail for good, each error and exit logged at every level by the caller.
          for (const [, reply] of plainFailingReplies) {
            const { images } = yield* serviceOver([reply], credentials, { retryPolicy })
            const exit = yield* Effect.exit(callOf(images, Calls.TRACED.failing))
            for (const level of LogLevel.allLevels) {
              yield* Effect.logWithLevel(
                level,
                Calls.TRACED.failedMessage,
                exit,
                Exit.isFailure(exit) ? exit.cause : Cause.empty
              )
            }
          }
          // The layer itself built and used inside the traced and logged region.
          const stub = yield* makeStub([...Calls.TRACED.layerReplies as ReadonlyArray<Reply>, ok])
          yield* Effect.flatMap(TrainingImages.TrainingImages, (images) => callOf(images, Calls.TRACED.layerCall)).pipe(
            Effect.provide(
              TrainingImages.layer({ credentials, retryPolicy }).pipe(
                Layer.provide(Layer.succeed(HttpClient.HttpClient, stub.client))
              )
            ),
            Effect.exit,
            Effect.tap((exit) => Effect.logDebug(Calls.TRACED.layerMessage, exit))
          )
        })
        yield* program.pipe(
          Effect.withSpan("caller"),
          Effect.withTracer(tracer),
          Effect.provide(Logger.replace(Logger.defaultLogger, logs.logger)),
          Logger.withMinimumLogLevel(LogLevel.All)
        )

        // Enough was captured for the search to mean something: the retry logs at debug level, every level,
        // the client's spans and the HTTP client's own spans with their (redacted) request headers.
        expect(logs.lines.some((line) => line.includes(Calls.TRACED.retryLog))).toBe(true)
        expect([...logs.levels]).toEqual(
          expect.arrayContaining(Calls.LOG_LEVELS.map((level) => level.toUpperCase()))
        )
        expect(spans.filter((span) => span.name === Calls.TRACED.callSpan)).toHaveLength(1)
        // The HTTP client's own spans; the library's carry `scenario.operation`.
        const httpSpans = spans.filter((span) =>
          span.attributes.has("http.request.method") && !span.attributes.has("scenario.operation")
        )
        expect(httpSpans.length).toBeGreaterThanOrEqual(
          Calls.TRACED.httpSpansBeyondFailures + plainFailingReplies.length
        )
        expect(httpSpans.every((span) => span.attributes.has("http.request.header.authorization"))).toBe(true)
        expect(spans.some((span) => span.events.some(([name]) => name.includes(Calls.TRACED.retryEvent)))).toBe(true)
        // A span per attempt, with the reason of each retry, and only attributes from a known list: no header,
        // body, query or credential can be among them.
        const attempts = spans.filter((span) => span.name === Calls.TRACED.attemptSpan)
        expect(
          attempts.map((
            span
          ) => [span.attributes.get("scenario.attempt"), span.attributes.get("scenario.retry.reason")])
        )
          .toEqual(Security.RETRIED_ATTEMPTS)
        const known = new Set(Security.KNOWN_SPAN_ATTRIBUTES)
        const librarySpans = spans.filter((span) => span.attributes.has("scenario.operation"))
        expect(librarySpans.length).toBeGreaterThan(attempts.length)
        for (const span of librarySpans) {
          for (const key of span.attributes.keys()) expect(known, `span ${span.name}`).toContain(key)
        }

        for (const line of logs.lines) expectNoSecret("a log line", line)
        for (const span of spans) {
          expectNoSecret(`the name of span ${span.name}`, span.name)
          for (const [key, value] of span.attributes) {
            expectNoSecret(`span ${span.name} attribute ${key}`, key)
            expectNoSecretIn(`span ${span.name} attribute ${key}`, value)
          }
          for (const [name, attributes] of span.events) {
            expectNoSecret(`span ${span.name} event`, name)
            expectNoSecretIn(`span ${span.name} event ${name}`, attributes)
          }
          // How a tracer exports a span's end: the pretty failure (OpenTelemetry records it as an exception).
          if (span.exit !== undefined && Exit.isFailure(span.exit)) {
            expectNoSecret(`the failure of span ${span.name}`, Cause.pretty(span.exit.cause))
            for (const error of Cause.prettyErrors(span.exit.cause)) {
              expectNoSecret(`the failure of span ${span.name}`, `${error.name} ${error.message} ${error.stack}`)
            }
          }
          // The service's own spans end with its own values and errors, safe under any rendering.
          if (span.attributes.has("scenario.operation")) expectNoSecretIn(`the exit of span ${span.name}`, span.exit)
        }

        // The HTTP client's spans end with its requests and responses, whose headers Effect redacts when it
        // renders them itself: logged, they hold no secret either.
        const exitLogs = makeLogCapture()
        yield* Effect.forEach(httpSpans, (span) => Effect.logDebug(span.name, span.exit)).pipe(
          Effect.provide(Logger.replace(Logger.defaultLogger, exitLogs.logger)),
          Logger.withMinimumLogLevel(LogLevel.All)
        )
        expect(exitLogs.lines.some((line) => line.includes(Calls.TRACED.redacted))).toBe(true)
        for (const line of exitLogs.lines) expectNoSecret("a logged HTTP span exit", line)
      }))
  }
})

// ---------------------------------------------------------------------------------------------------------
// Plain http only to loopback, unless opted in
// ---------------------------------------------------------------------------------------------------------

const label = fc.stringMatching(Security.HOST_LABEL).filter(Security.isPlainLabel)

/** Hosts that are not loopback, including some that look like it. */
const remoteHost = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 3 }).map((labels) => [...labels, "example"].join(".")),
  fc.tuple(fc.integer({ min: 1, max: 223 }), fc.nat(255), fc.nat(255), fc.nat(255))
    .filter(([a]) => a !== 127)
    .map((parts) => parts.join(".")),
  fc.constantFrom(...Security.REMOTE_LOOKALIKES)
)

const loopbackHost = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => ["127", ...parts].join(".")),
  fc.constantFrom(...Security.LOOPBACK_SPELLINGS)
)

const buildOver = (baseUrl: string, allowInsecureHttp?: boolean) =>
  Effect.gen(function*() {
    const stub = yield* makeStub([ok])
    return yield* Effect.exit(
      TrainingImages.make({
        credentials: basic,
        baseUrl,
        ...(allowInsecureHttp === undefined ? {} : { allowInsecureHttp })
      }).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, stub.client)))
    )
  })

describe("credentials never go over plain http to another host, unless opted in", () => {
  it.effect.prop("a non-loopback host over http: a ConfigError, unless allowInsecureHttp", [
    remoteHost,
    fc.option(fc.integer({ min: Calls.PORTS.min, max: Calls.PORTS.max }), { nil: undefined })
  ], ([host, port]) =>
    Effect.gen(function*() {
      const baseUrl = `http://${host}${port === undefined ? "" : `:${port}`}/v1`
      for (const allow of [undefined, false]) {
        const exit = yield* buildOver(baseUrl, allow)
        expect(Exit.isFailure(exit)).toBe(true)
        const error = failureOf(exit)
        expect(ConfigError.isInvalidData(error)).toBe(true)
        expect(String(error)).toContain(Security.OPT_IN)
      }
      expect(Exit.isSuccess(yield* buildOver(baseUrl, true))).toBe(true)
      expect(Exit.isSuccess(yield* buildOver(baseUrl.replace("http:", "https:")))).toBe(true)
    }), { fastCheck: { numRuns: Calls.INSECURE_RUNS.remote } })

  it.effect.prop("loopback over http is allowed", [loopbackHost], ([host]) =>
    Effect.gen(function*() {
      expect(Exit.isSuccess(yield* buildOver(`http://${host}:${Calls.PORTS.loopback}/v1`))).toBe(true)
    }), { fastCheck: { numRuns: Calls.INSECURE_RUNS.loopback } })

  it.effect("the refusal holds through layer and layerConfig too", () =>
    Effect.gen(function*() {
      const stub = yield* makeStub([ok])
      const transport = Layer.succeed(HttpClient.HttpClient, stub.client)
      const viaLayer = yield* Layer.build(
        TrainingImages.layer({ credentials: basic, baseUrl: Security.REMOTE_BASE_URLS[0]! }).pipe(
          Layer.provide(transport)
        )
      ).pipe(Effect.scoped, Effect.exit)
      expect(ConfigError.isInvalidData(failureOf(viaLayer))).toBe(true)
      const env = Security.envOf(KEYS, Security.REMOTE_BASE_URLS[0])
      const viaConfig = yield* Layer.build(TrainingImages.layerConfig().pipe(Layer.provide(transport))).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
        Effect.scoped,
        Effect.exit
      )
      expect(ConfigError.isInvalidData(failureOf(viaConfig))).toBe(true)
      expect(yield* stub.recorded).toHaveLength(0)
    }))
})

/**
 * Security over the Node transports, against the emulator and small servers on 127.0.0.1:
 *
 * - credentials never appear in errors, logs (every level, retry logs included) or spans (the transport's
 *   own included), through calls that fail, retry and succeed;
 * - ids holding `/`, `..`, `?`, `#`, `%2F`, control characters or non-ASCII never change the request's path
 *   beyond their own segment, as the emulator saw the path on the wire;
 * - credentials are never sent over plain http to a host other than loopback unless the user opts in, and
 *   never follow a redirect to another origin.
 *
 * The Effect 3 line's runner of the table `contract/security.ts`, shared with the Effect 4 line.
 */
import type { TrainingImagesError } from "@effect-scenario/core"
import { Credentials, RetryPolicy, TrainingImages } from "@effect-scenario/core"
import { NodeTrainingImages } from "@effect-scenario/platform-node"
import { plainRenderings, safely } from "@effect-scenario/test-support/secrets"
import * as ScenarioEmulator from "@effect-scenario/testing/ScenarioEmulator"
import { FetchHttpClient } from "@effect/platform"
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
  Tracer
} from "effect"
import * as util from "node:util"
import * as Security from "../../../contract/security.js"
import * as Calls from "../../../contract/securityCalls.js"
import { toFault } from "../../testing/test/contract/runner.js"
import * as RecordingServer from "./recordingServer.js"
import { type Build, nodeTransports, over } from "./transports.js"

const KEYS = Security.NODE
const { apiKey: API_KEY, apiSecret: API_SECRET, token: TOKEN } = KEYS
const WRONG_SECRET = KEYS.rejected!
const BASIC = Security.basicOf(KEYS)
const SECRETS = Security.secretsOf(KEYS)

const renderings = (value: unknown): ReadonlyArray<readonly [string, string]> => [
  ...plainRenderings(value),
  ["Inspectable.format", safely(() => Inspectable.format(value))],
  ["Cause.pretty", safely(() => Cause.pretty(Cause.fail(value)))]
]

const expectNoSecret = (what: string, text: string) => {
  const name = Security.secretIn(text, SECRETS)
  if (name !== undefined) expect.fail(`${what} holds ${name}`)
}

const expectNoSecretIn = (what: string, value: unknown) => {
  for (const [how, text] of renderings(value)) expectNoSecret(`${what} (${how})`, text)
}

const emulatorFor = (models: ScenarioEmulator.Options["models"] = Calls.NODE_MODELS) =>
  ScenarioEmulator.make({ apiKey: API_KEY, apiSecret: API_SECRET, bearerToken: TOKEN, models })

// ---------------------------------------------------------------------------------------------------------
// Errors, logs and spans
// ---------------------------------------------------------------------------------------------------------

interface RecordedSpan {
  readonly name: string
  readonly attributes: Map<string, unknown>
  readonly events: Array<readonly [string, Record<string, unknown> | undefined]>
  exit: Exit.Exit<unknown, unknown> | undefined
}

const makeRecordingTracer = () => {
  const spans: Array<RecordedSpan> = []
  let ids = 0
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      const recorded: RecordedSpan = { name, attributes: new Map(), events: [], exit: undefined }
      for (const [key, value] of Object.entries(options?.attributes ?? {})) recorded.attributes.set(key, value)
      spans.push(recorded)
      let status: Tracer.SpanStatus = { _tag: "Started", startTime }
      return {
        _tag: "Span",
        name,
        spanId: `span${++ids}`,
        traceId: "trace1",
        parent,
        context,
        get status() {
          return status
        },
        attributes: recorded.attributes,
        links,
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
      } satisfies Tracer.Span
    },
    context: (f) => f()
  })
  return { tracer, spans }
}

const makeLogCapture = () => {
  const lines: Array<string> = []
  const logger = Logger.make<unknown, void>((options) => {
    lines.push(
      Logger.logfmtLogger.log(options),
      Logger.jsonLogger.log(options),
      util.inspect(Logger.structuredLogger.log(options), { depth: Infinity }),
      Cause.pretty(options.cause)
    )
  })
  return { lines, logger }
}

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

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) return expect.fail("expected a failure")
  const failure = Cause.failureOption(exit.cause)
  return Option.isSome(failure) ? failure.value : expect.fail(`expected a typed failure: ${Cause.pretty(exit.cause)}`)
}

describe("credentials never appear in errors, logs or spans over the Node transport", () => {
  for (const auth of ["basic", "bearer"] as const) {
    it.scopedLive(`${auth}: calls that fail, retry and succeed`, () =>
      Effect.gen(function*() {
        const emulator = yield* emulatorFor()
        const credentials = auth === "basic" ? Credentials.basic(API_KEY, API_SECRET) : Credentials.bearer(TOKEN)
        const logs = makeLogCapture()
        const { spans, tracer } = makeRecordingTracer()
        const retryPolicy = RetryPolicy.make({
          initialDelay: Duration.millis(Calls.NODE_TRACED.retryPolicy.initialDelayMs),
          maxDelay: Duration.millis(Calls.NODE_TRACED.retryPolicy.maxDelayMs),
          maxRetries: Calls.NODE_TRACED.retryPolicy.maxRetries
        })
        const errors: Array<TrainingImagesError.TrainingImagesError> = []

        const program = Effect.gen(function*() {
          const images = yield* NodeTrainingImages.make({
            baseUrl: emulator.baseUrl,
            credentials,
            retryPolicy,
            timeout: Duration.millis(Calls.NODE_TRACED.timeoutMs)
          })
          expectNoSecretIn("the service", images)
          // Retried through a 503, a dropped connection and a 429, then applied.
          for (const fault of Calls.NODE_TRACED.retriedFaults) yield* emulator.failNext(1, toFault(fault))
          yield* callOf(images, Calls.NODE_TRACED.retried)
          // Failures that reach the caller: an add that may have been applied, a timeout, a 404, a 500.
          for (const fault of Calls.NODE_TRACED.failingFaults) yield* emulator.failNext(1, toFault(fault))
          for (const call of Calls.NODE_TRACED.failing) {
            const exit = yield* Effect.exit(callOf(images, call))
            errors.push(failureOf(exit) as TrainingImagesError.TrainingImagesError)
            for (const level of LogLevel.allLevels) {
              yield* Effect.logWithLevel(level, Calls.NODE_TRACED.failedMessage, exit)
            }
          }
          // Credentials the emulator rejects: a 401, which is no excuse to show them.
          const rejected = yield* NodeTrainingImages.make({
            baseUrl: emulator.baseUrl,
            credentials: auth === "basic" ? Credentials.basic(API_KEY, WRONG_SECRET) : Credentials.bearer(WRONG_SECRET),
            retryPolicy
          })
          const exit = yield* Effect.exit(callOf(rejected, Calls.NODE_TRACED.rejected))
          errors.push(failureOf(exit))
          yield* Effect.logError(Calls.NODE_TRACED.rejectedMessage, exit)
        })
        yield* program.pipe(
          Effect.withSpan("caller"),
          Effect.withTracer(tracer),
          Effect.provide(Logger.replace(Logger.defaultLogger, logs.logger)),
          Logger.withMinimumLogLevel(LogLevel.All)
        )

        // What was exercised: each kind of failure, the retry logs, the transport's spans.
        expect(errors.map((error) => error._tag)).toEqual(Calls.NODE_TRACED.tags)
        expect(logs.lines.some((line) => line.includes(Calls.NODE_TRACED.retryLog))).toBe(true)
        const httpSpans = spans.filter((span) => span.attributes.has("http.request.method"))
        expect(httpSpans.length).toBeGreaterThanOrEqual(Calls.NODE_TRACED.httpSpans)

        for (const error of errors) expectNoSecretIn(error._tag, error)
        for (const line of logs.lines) expectNoSecret("a log line", line)
        for (const span of spans) {
          expectNoSecret("a span name", span.name)
          for (const [key, value] of span.attributes) expectNoSecretIn(`span ${span.name} attribute ${key}`, value)
          for (const [name, attributes] of span.events) expectNoSecretIn(`span ${span.name} event ${name}`, attributes)
          if (span.exit !== undefined && Exit.isFailure(span.exit)) {
            expectNoSecret(`the failure of span ${span.name}`, Cause.pretty(span.exit.cause))
          }
          // Every span's exit, the transport's `http.client` spans included: their exit holds the response,
          // and through it the request, which on this transport never holds the credentials.
          expectNoSecretIn(`the exit of span ${span.name}`, span.exit)
        }
        // The emulator never records the Authorization header either.
        expectNoSecretIn("the emulator's request log", yield* emulator.requests)
      }), 30_000)
  }

  it.scoped("the layers' contexts", () =>
    Effect.gen(function*() {
      const emulator = yield* emulatorFor()
      const built = yield* Layer.build(
        NodeTrainingImages.layer({ baseUrl: emulator.baseUrl, credentials: Credentials.basic(API_KEY, API_SECRET) })
      )
      expectNoSecretIn("the context of NodeTrainingImages.layer", built)
      const env = new Map(Object.entries(Security.envOf(KEYS, emulator.baseUrl)))
      const fromConfig = yield* Layer.build(NodeTrainingImages.layerConfig()).pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(env))
      )
      expectNoSecretIn("the context of NodeTrainingImages.layerConfig", fromConfig)
      const listed = yield* Context.get(fromConfig, TrainingImages.TrainingImages).list(Calls.NODE_CONTEXT_CALL.params)
      expect(listed.modelId).toBe(Calls.NODE_CONTEXT_CALL.params.modelId)
    }))
})

// ---------------------------------------------------------------------------------------------------------
// Ids stay in their own path segment
// ---------------------------------------------------------------------------------------------------------

/** Ids from the whole of Unicode, the characters that matter in a URL weighted in. */
const generatedId = fc.oneof(
  fc.string({ minLength: 1, maxLength: Calls.GENERATED_ID.unicodeMax, unit: "binary" }),
  fc.string({
    minLength: 1,
    maxLength: Calls.GENERATED_ID.piecesMax,
    unit: fc.constantFrom(...Security.URL_PIECES)
  })
).filter((s) => s !== "." && s !== "..")

/** The checks on one raw path as the emulator recorded it, against the ids that went into it. */
const expectSegments = (path: string, expected: ReadonlyArray<string>) =>
  expect([path, Security.pathFacts(path)]).toEqual([path, Security.expectedPathFacts(expected)])

describe("ids never leave their own path segment", () => {
  it.scopedLive(
    "named hostile ids and generated ones, in every operation, as the emulator saw them",
    () =>
      Effect.gen(function*() {
        const emulator = yield* emulatorFor({})
        const images = yield* NodeTrainingImages.make({
          baseUrl: emulator.baseUrl,
          credentials: Credentials.basic(API_KEY, API_SECRET),
          retryPolicy: RetryPolicy.none
        })
        const check = (modelId: string, imageId: string, projectId: string) =>
          Effect.gen(function*() {
            yield* emulator.reset
            yield* emulator.seed({ [modelId]: { trainingImages: [{ id: imageId }] } })
            for (const call of Calls.hostileCalls(modelId, imageId, projectId)) yield* callOf(images, call)
            const requests = yield* emulator.requests
            const routes = Security.routes(modelId, imageId)
            expect(requests.map((r) => [r.operation, r.status])).toEqual(
              routes.map(([operation]) => [operation, Calls.HOSTILE_STATUS])
            )
            routes.forEach(([, segments], i) => expectSegments(requests[i]!.path, segments))
            const [add, replace, , , del] = requests
            // The query holds only what was meant, the project id within its own value.
            expect(add!.query).toBe(Calls.HOSTILE_QUERIES.add)
            expect(replace!.query).toBe(Calls.HOSTILE_QUERIES.replace)
            expect([...new URLSearchParams(del!.query)]).toEqual([[Calls.HOSTILE_QUERIES.deleteParam, projectId]])
          })
        for (const id of Security.HOSTILE_IDS) yield* check(id, id, id)
        yield* Effect.promise(() =>
          fc.assert(
            fc.asyncProperty(
              generatedId,
              generatedId,
              generatedId,
              (modelId, imageId, projectId) => Effect.runPromise(check(modelId, imageId, projectId))
            ),
            { numRuns: Security.GENERATED_RUNS }
          )
        )
      }),
    60_000
  )
})

// ---------------------------------------------------------------------------------------------------------
// No credentials over plain http to another host; none across a redirect
// ---------------------------------------------------------------------------------------------------------

const basic = Credentials.basic(API_KEY, API_SECRET)

const expectInsecureRefused = (exit: Exit.Exit<unknown, unknown>) => {
  const error = failureOf(exit)
  expect(ConfigError.isConfigError(error) && ConfigError.isInvalidData(error)).toBe(true)
  expect(String(error)).toContain(Security.OPT_IN)
  expectNoSecretIn("the ConfigError", error)
}

describe("credentials over plain http only to loopback, unless opted in", () => {
  it.scoped("NodeTrainingImages.make, layer and layerConfig refuse, with a ConfigError", () =>
    Effect.gen(function*() {
      for (const baseUrl of Security.REMOTE_BASE_URLS) {
        expectInsecureRefused(yield* Effect.exit(NodeTrainingImages.make({ baseUrl, credentials: basic })))
        expectInsecureRefused(
          yield* Effect.exit(Layer.build(NodeTrainingImages.layer({ baseUrl, credentials: basic })))
        )
        expectInsecureRefused(
          yield* Effect.exit(
            Layer.build(NodeTrainingImages.layer({ baseUrl, credentials: basic, allowInsecureHttp: false }))
          )
        )
        const env = new Map(Object.entries(Security.envOf(KEYS, baseUrl)))
        expectInsecureRefused(
          yield* Effect.exit(
            Layer.build(NodeTrainingImages.layerConfig()).pipe(Effect.withConfigProvider(ConfigProvider.fromMap(env)))
          )
        )
        // Opting in builds the service (and sends nothing while doing so).
        const optedIn = yield* Effect.exit(
          NodeTrainingImages.make({ baseUrl, credentials: basic, allowInsecureHttp: true })
        )
        expect(Exit.isSuccess(optedIn)).toBe(true)
      }
      // Loopback over http needs no opt-in.
      for (const baseUrl of Security.LOOPBACK_BASE_URLS) {
        expect(Exit.isSuccess(yield* Effect.exit(NodeTrainingImages.make({ baseUrl, credentials: basic })))).toBe(true)
      }
    }))
})

/** The Authorization header of each request the server has read. */
const authorizations = (server: RecordingServer.RecordingServer) =>
  server.received.map((request) => request.headers.authorization)

const transports: ReadonlyArray<readonly [string, Build]> = [...nodeTransports, [
  "FetchHttpClient.layer",
  over(FetchHttpClient.layer)
]]

describe("credentials never follow a redirect to another origin", () => {
  for (const [transport, build] of transports) {
    it.scopedLive(`${transport}: 301, 302, 307 and 308 to another origin`, () =>
      Effect.gen(function*() {
        const elsewhere = yield* RecordingServer.make((_, response) => {
          response.writeHead(200, { "content-type": "application/json" })
          response.end(Security.REDIRECTED_BODY)
        })
        for (const status of Security.REDIRECT.statuses) {
          for (const host of Security.REDIRECT.hosts) {
            const origin = yield* RecordingServer.make((_, response) => {
              response.writeHead(status, { location: `http://${host}:${elsewhere.port}/v1/models/m` })
              response.end()
            })
            const images = yield* build({
              baseUrl: `http://127.0.0.1:${origin.port}/v1`,
              credentials: basic,
              retryPolicy: RetryPolicy.none
            })
            const exit = yield* Effect.exit(images.list({ modelId: "m" }))
            expect(authorizations(origin)).toEqual([`Basic ${BASIC}`])
            // Either the redirect is not followed (and surfaces as an error), or the request that follows it
            // carries no credentials.
            for (const authorization of authorizations(elsewhere)) expect(authorization).toBeUndefined()
            if (Exit.isFailure(exit)) {
              const error = failureOf(exit)
              expect(error._tag).toBe(Calls.REDIRECT_TAG)
              expectNoSecretIn("the redirect's error", error)
            }
          }
        }
      }), 30_000)
  }
})

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
 * The Effect 4 line's runner of the table `contract/security.ts`, shared with the Effect 3 line.
 */
import { NodeTrainingImages } from "@effect-scenario/effect4/node"
import { plainRenderings, safely } from "@effect-scenario/test-support/secrets"
import { describe, expect, it } from "@effect/vitest"
import {
  Arbitrary,
  Cause,
  Config,
  ConfigProvider,
  Context,
  Duration,
  Effect,
  Exit,
  Inspectable,
  Layer,
  Logger,
  LogLevel,
  References,
  Schema,
  Tracer
} from "effect"
import { FetchHttpClient, HttpClient } from "effect/http"
import * as util from "node:util"
import * as Security from "../../../../contract/security.js"
import * as Calls from "../../../../contract/securityCalls.js"
import * as Credentials from "../../src/Credentials.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import * as ScenarioEmulator from "../../src/testing/ScenarioEmulator.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import type * as TrainingImagesError from "../../src/TrainingImagesError.js"
import { toFault } from "../contract/runner.js"
import * as RecordingServer from "./recordingServer.js"
import { type Build, nodeTransports, over } from "./transports.js"

const KEYS = Security.NODE
const { apiKey: API_KEY, apiSecret: API_SECRET, token: TOKEN } = KEYS
const WRONG_SECRET = KEYS.rejected!
const BASIC = Security.basicOf(KEYS)
const SECRETS = Security.secretsOf(KEYS)

const renderings = (value: unknown): ReadonlyArray<readonly [string, string]> => [
  ...plainRenderings(value),
  ["Inspectable.toStringUnknown", safely(() => Inspectable.toStringUnknown(value))],
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
    span: ({ annotations, kind, links, name, parent, startTime }) => {
      const recorded: RecordedSpan = { name, attributes: new Map(), events: [], exit: undefined }
      spans.push(recorded)
      let status: Tracer.SpanStatus = { _tag: "Started", startTime }
      return {
        _tag: "Span",
        name,
        spanId: `span${++ids}`,
        traceId: "trace1",
        parent,
        annotations,
        get status() {
          return status
        },
        attributes: recorded.attributes,
        links: [...links],
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
    }
  })
  return { tracer, spans }
}

const makeLogCapture = () => {
  const lines: Array<string> = []
  const logger = Logger.make<unknown, void>((options) => {
    lines.push(
      Logger.formatSimple.log(options),
      Logger.formatLogFmt.log(options),
      Logger.formatJson.log(options),
      util.inspect(Logger.formatStructured.log(options), { depth: Infinity }),
      util.inspect(options.message, { depth: Infinity, showHidden: true }),
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
  const failure = Cause.findErrorOption(exit.cause)
  return failure._tag === "Some" ? failure.value : expect.fail(`expected a typed failure: ${Cause.pretty(exit.cause)}`)
}

describe("credentials never appear in errors, logs or spans over the Node transport", () => {
  for (const auth of ["basic", "bearer"] as const) {
    it.live(`${auth}: calls that fail, retry and succeed`, () =>
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
            for (const level of LogLevel.values) {
              if (level === "All" || level === "None") continue
              yield* Effect.logWithLevel(level)(Calls.NODE_TRACED.failedMessage, exit)
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
          // Effect 4's HTTP client records no header on its spans unless asked: asked here, for all of them, so
          // that the search below covers the (redacted) authorization header too.
          Effect.provideService(HttpClient.TracerHeaderFilter, () => true),
          // Effect 4 records log lines as span events through its tracer logger, kept beside the capture.
          Effect.provide(Logger.layer([logs.logger, Logger.tracerLogger])),
          Effect.provideService(References.MinimumLogLevel, "All")
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

  it.effect("the layers' contexts", () =>
    Effect.gen(function*() {
      const emulator = yield* emulatorFor()
      const built = yield* Layer.build(
        NodeTrainingImages.layer({ baseUrl: emulator.baseUrl, credentials: Credentials.basic(API_KEY, API_SECRET) })
      )
      expectNoSecretIn("the context of NodeTrainingImages.layer", built)
      const env = Security.envOf(KEYS, emulator.baseUrl)
      const fromConfig = yield* Layer.build(NodeTrainingImages.layerConfig()).pipe(
        Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))
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
const generatedId = Arbitrary.all([
  Arbitrary.schema(Schema.String.check(Schema.isMinLength(1), Schema.isMaxLength(Calls.GENERATED_ID.unicodeMax))),
  Arbitrary.array(Arbitrary.schema(Schema.Literals(Security.URL_PIECES)), {
    minLength: 1,
    maxLength: Calls.GENERATED_ID.piecesMax
  }),
  Arbitrary.schema(Schema.Boolean)
]).pipe(
  // Whole code points only, as the ids the schemas accept (a lone surrogate is refused before sending); "." and
  // ".." are dot segments, which the URL resolves before anyone sees them.
  Arbitrary.map(([unicode, pieces, pick]) => {
    const id = pick ? unicode.replace(/[\uD800-\uDFFF]/gu, "\uFFFD") : pieces.join("")
    return id === "." || id === ".." ? `${id}a` : id
  })
)

/** The checks on one raw path as the emulator recorded it, against the ids that went into it. */
const expectSegments = (path: string, expected: ReadonlyArray<string>) =>
  expect([path, Security.pathFacts(path)]).toEqual([path, Security.expectedPathFacts(expected)])

describe("ids never leave their own path segment", () => {
  it.live(
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
        // Drawn with Effect 4's `Arbitrary` (no fast-check bridge), then run one by one.
        const sample = Arbitrary.sampleEffect(generatedId, { count: Security.GENERATED_RUNS })
        const [modelIds, imageIds, projectIds] = [yield* sample, yield* sample, yield* sample]
        expect(modelIds).toHaveLength(Security.GENERATED_RUNS)
        for (let i = 0; i < Security.GENERATED_RUNS; i++) yield* check(modelIds[i]!, imageIds[i]!, projectIds[i]!)
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
  expect(error instanceof Config.ConfigError).toBe(true)
  expect(String(error)).toContain(Security.OPT_IN)
  expectNoSecretIn("the ConfigError", error)
}

describe("credentials over plain http only to loopback, unless opted in", () => {
  it.effect("NodeTrainingImages.make, layer and layerConfig refuse, with a ConfigError", () =>
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
        const env = Security.envOf(KEYS, baseUrl)
        expectInsecureRefused(
          yield* Effect.exit(
            Layer.build(NodeTrainingImages.layerConfig()).pipe(
              Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env }))
            )
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
    it.live(`${transport}: 301, 302, 307 and 308 to another origin`, () =>
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

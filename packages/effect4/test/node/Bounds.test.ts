/**
 * No response can break a call, over real sockets on 127.0.0.1, for each transport:
 *
 * - JSON nested to any depth, in a 2xx or an error body, is a typed error that renders (logging under every
 *   logger, `String`, `JSON.stringify`, `util.inspect`, `Cause.pretty`) without throwing;
 * - a body past `maxResponseBytes` (declared, endless, or a gzip bomb over fetch) fails at once with a
 *   `ResponseTooLargeError`, the connection closed;
 * - nothing is resent after a 2xx, whatever its headers; a malformed `retry-after` is no wait;
 * - an interim `100 Continue` is skipped;
 * - a delete converges only on a 404 that says the training image is not found.
 *
 * The Effect 4 line's runner of the table `contract/bounds.ts`, shared with the Effect 3 line.
 */
import * as Answers from "@effect-scenario/test-support/rawAnswers"
import { describe, expect, it } from "@effect/vitest"
import { Cause, Config, Duration, Effect, Exit, Inspectable, Logger, Option, References } from "effect"
import { FetchHttpClient } from "effect/http"
import * as util from "node:util"
import * as Bounds from "../../../../contract/bounds.js"
import * as Credentials from "../../src/Credentials.js"
import * as RetryPolicy from "../../src/RetryPolicy.js"
import * as TrainingImages from "../../src/TrainingImages.js"
import * as TrainingImagesError from "../../src/TrainingImagesError.js"
import { makeRawServer, respond } from "./rawServer.js"
import { type Build, nodeTransports, over } from "./transports.js"

const transports: ReadonlyArray<readonly [string, Build]> = [
  ...nodeTransports,
  [Bounds.TRANSPORTS.fetch, over(FetchHttpClient.layer)]
]

const retryPolicy = RetryPolicy.make({ initialDelay: "1 millis", maxDelay: "5 millis", maxRetries: 2 })

/** A raw server, and the service over `build` at its address with a bearer token, `retryPolicy` unless given. */
const serviceAt = (build: Build, options: Partial<TrainingImages.Options> = {}) =>
  Effect.flatMap(makeRawServer, (server) =>
    Effect.map(
      build({ baseUrl: server.baseUrl, credentials: Credentials.bearer("t"), retryPolicy, ...options }),
      (images) => ({ images, server })
    ))

const failureOf = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) return expect.fail("expected a failure, got a success")
  const failure = Cause.findErrorOption(exit.cause)
  return Option.isSome(failure) ? failure.value : expect.fail(`expected a typed failure: ${Cause.pretty(exit.cause)}`)
}

const outcomeOf = <A, E extends { readonly _tag: string }>(exit: Exit.Exit<A, E>): string =>
  Exit.isSuccess(exit) ? "Success" : failureOf(exit)._tag

const call = (images: TrainingImages.Service, operation: Bounds.Operation) =>
  ({
    add: images.add({ modelId: "m", assetId: "a" }),
    replace: images.replace({ modelId: "m", trainingImageId: "t", assetId: "a" }),
    replacePairs: images.replacePairs({ modelId: "m", pairs: [] }),
    list: images.list({ modelId: "m" })
  })[operation] as Effect.Effect<unknown, TrainingImagesError.TrainingImagesError>

const toCredentials = (spec: Bounds.CredentialsSpec) =>
  "bearer" in spec ? Credentials.bearer(spec.bearer) : Credentials.basic(...spec.basic)

/** Every way an error is rendered: none may throw. */
const renderAll = (value: unknown) =>
  Effect.gen(function*() {
    const texts: Array<string> = [
      String(value),
      JSON.stringify(value),
      util.inspect(value, { depth: Infinity }),
      util.inspect(value, { depth: Infinity, showHidden: true, getters: true }),
      Inspectable.toStringUnknown(value),
      Cause.pretty(Cause.fail(value))
    ]
    // Each logger formats the entry (the console ones print nowhere under the level below; the formatters are
    // run for their text).
    for (const logger of [Logger.formatJson, Logger.formatLogFmt, Logger.formatStructured, Logger.formatSimple]) {
      yield* Effect.logError("failed", value).pipe(Effect.provide(Logger.layer([logger])))
      yield* Effect.logError(Cause.fail(value)).pipe(Effect.provide(Logger.layer([logger])))
    }
    for (const logger of [Logger.consoleJson, Logger.consoleLogFmt, Logger.consoleStructured, Logger.consolePretty()]) {
      yield* Effect.logError("failed", value).pipe(
        Effect.provide(Logger.layer([logger])),
        Effect.provideService(References.MinimumLogLevel, "None")
      )
    }
    return texts
  })

const silent = Logger.layer([])

describe("JSON nested to any depth", () => {
  for (const [transport, build] of transports) {
    it.live(
      `${transport}: a 2xx body is a ResponseDecodeError with a bounded message, for every method`,
      () =>
        Effect.gen(function*() {
          const { images, server } = yield* serviceAt(build)
          for (const depth of Bounds.NESTED.depths) {
            for (const body of Bounds.NESTED.okBodies(depth)) {
              server.setBehaviour(respond("200 OK", body))
              for (const operation of Bounds.OPERATIONS) {
                const error = failureOf(yield* Effect.exit(call(images, operation)))
                expect([operation, depth, error._tag]).toEqual([operation, depth, "ResponseDecodeError"])
                expect(error.message.length).toBeLessThan(Bounds.NESTED.maxMessage)
                const texts = yield* renderAll(error)
                for (const text of texts) expect(text.length).toBeLessThan(Bounds.NESTED.maxRendered)
              }
            }
          }
        }),
      60_000
    )

    it.live(
      `${transport}: an error body renders, logs and serialises without throwing`,
      () =>
        Effect.gen(function*() {
          const { images, server } = yield* serviceAt(build, { retryPolicy: RetryPolicy.none })
          for (const depth of Bounds.NESTED.depths) {
            for (const status of Bounds.NESTED.errorStatuses) {
              server.setBehaviour(respond(status, Bounds.NESTED.errorBody(depth)))
              for (const operation of Bounds.OPERATIONS) {
                const error = failureOf(yield* Effect.exit(call(images, operation)))
                expect(TrainingImagesError.isStatusError(error)).toBe(true)
                expect(error.message).toContain("deep")
                yield* renderAll(error)
                const body = TrainingImagesError.isStatusError(error) ? error.body : undefined
                if (depth * 2 > TrainingImagesError.MAX_KEPT_BODY) {
                  // Too long to be parsed: the start of its text is kept.
                  expect(body).toHaveLength(TrainingImagesError.MAX_KEPT_BODY)
                } else {
                  // Parsed, and cut at a fixed depth, its shape otherwise kept.
                  const kept = JSON.stringify(body)
                  expect(kept).toContain(Bounds.NESTED.keptContains)
                  expect(kept.startsWith(Bounds.NESTED.keptStartsWith)).toBe(true)
                }
              }
            }
          }
        }),
      60_000
    )
  }
})

const { MiB } = Bounds

describe("the response size cap", () => {
  it("defaults to 32 MiB", () => {
    expect(TrainingImages.DEFAULT_MAX_RESPONSE_BYTES).toBe(32 * MiB)
  })

  for (const [transport, build] of transports) {
    it.live(
      `${transport}: past maxResponseBytes, a ResponseTooLargeError at once, the connection closed`,
      () =>
        Effect.gen(function*() {
          const { declared, endlessWithinMillis, exact, limit, perCall } = Bounds.TOO_LARGE
          const { images, server } = yield* serviceAt(build, {
            retryPolicy,
            timeout: "20 seconds",
            maxResponseBytes: limit
          })
          const list = images.list({ modelId: "m" })

          // Declared by its content-length, a 2xx and an error status alike.
          for (const status of declared.statuses) {
            server.setBehaviour(respond(status, Answers.spaces(declared.size)))
            const error = failureOf(yield* Effect.exit(list))
            expect(error._tag).toBe("ResponseTooLargeError")
            if (error._tag === "ResponseTooLargeError") {
              expect(error.maxResponseBytes).toBe(limit)
              expect(error.status).toBe(Number(status.slice(0, 3)))
              expect(error.message).toContain(`larger than ${limit} bytes`)
            }
            // Never retried, even the 500 of an idempotent call: its answer would be as large.
            expect(server.takeRequests()).toBe(1)
          }

          // An endless chunked body: stopped at the limit, well within the timeout, the connection dropped.
          server.setBehaviour(Answers.endless)
          const closedBefore = server.closed()
          const started = Date.now()
          const error = failureOf(yield* Effect.exit(list))
          expect(error._tag).toBe("ResponseTooLargeError")
          expect(Date.now() - started).toBeLessThan(endlessWithinMillis)
          expect(server.takeRequests()).toBe(1)
          expect(yield* Effect.promise(() => Answers.eventually(() => server.closed() > closedBefore))).toBe(true)

          // Per call: a smaller limit, and a larger one that lets the same body through to the decoder.
          server.setBehaviour(respond("200 OK", Answers.spaces(perCall.size)))
          const smaller = failureOf(
            yield* Effect.exit(TrainingImages.withRequestOptions(list, { maxResponseBytes: perCall.smallerLimit }))
          )
          expect(smaller._tag).toBe("ResponseTooLargeError")
          const within = failureOf(yield* Effect.exit(list))
          expect(within._tag).toBe("ResponseDecodeError")

          // A body exactly at the limit is read.
          server.setBehaviour(respond("200 OK", Answers.spaces(exact)))
          const exactly = failureOf(
            yield* Effect.exit(TrainingImages.withRequestOptions(list, { maxResponseBytes: exact }))
          )
          expect(exactly._tag).toBe("ResponseDecodeError")
        }),
      60_000
    )
  }

  for (const [transport, build] of transports) {
    it.live(
      `${transport}: a chunked body of exactly maxResponseBytes in several chunks is read; one byte more is not`,
      () =>
        Effect.gen(function*() {
          const { images, server } = yield* serviceAt(build, { retryPolicy: RetryPolicy.none, maxResponseBytes: 1000 })
          const pieces = Bounds.threePieces(Bounds.listBody(1000))
          server.setBehaviour(Answers.chunked(pieces))
          const read = yield* images.list({ modelId: "m" })
          expect(read.modelId).toBe("m")
          // No chunk is past the limit on its own; together they are one byte over.
          server.setBehaviour(Answers.chunked([...pieces, " "]))
          expect(failureOf(yield* Effect.exit(images.list({ modelId: "m" })))._tag).toBe("ResponseTooLargeError")
        }),
      30_000
    )
  }

  it.live(
    "fetch: a gzip body is counted once inflated: exactly the limit is read, one byte more is not",
    () =>
      Effect.gen(function*() {
        const { limit } = Bounds.GZIP
        const { images, server } = yield* serviceAt(over(FetchHttpClient.layer), {
          retryPolicy: RetryPolicy.none,
          maxResponseBytes: limit
        })
        server.setBehaviour(Answers.gzipped(Answers.gzip(Bounds.listBody(limit))))
        expect((yield* images.list({ modelId: "m" })).modelId).toBe("m")
        // Far smaller than the limit on the wire; one byte past it once inflated.
        server.setBehaviour(Answers.gzipped(Answers.gzip(Bounds.listBody(limit + 1))))
        expect(failureOf(yield* Effect.exit(images.list({ modelId: "m" })))._tag).toBe("ResponseTooLargeError")
      }),
    30_000
  )

  it.live(
    "fetch: a gzip bomb is stopped while inflating, counted in decompressed bytes",
    () =>
      Effect.gen(function*() {
        const { inflated, limit, maxOnTheWire, maxRssGrowth } = Bounds.GZIP.bomb
        const { images, server } = yield* serviceAt(over(FetchHttpClient.layer), {
          timeout: "30 seconds",
          maxResponseBytes: limit
        })
        const bomb = Answers.gzipBomb(inflated)
        expect(bomb.length).toBeLessThan(maxOnTheWire)
        server.setBehaviour(Answers.gzipped(bomb))
        const before = process.memoryUsage().rss
        const error = failureOf(yield* Effect.exit(images.list({ modelId: "m" })))
        expect(error._tag).toBe("ResponseTooLargeError")
        // Far below the 256 MiB the body inflates to.
        expect(process.memoryUsage().rss - before).toBeLessThan(maxRssGrowth)
      }),
    60_000
  )

  it.live("a limit that is not a whole number of bytes above 0 is refused", () =>
    Effect.gen(function*() {
      const server = yield* makeRawServer
      const [, build] = transports[0]!
      for (const maxResponseBytes of Bounds.BAD_LIMITS) {
        const exit = yield* Effect.exit(
          build({ baseUrl: server.baseUrl, credentials: Credentials.bearer("t"), maxResponseBytes })
        )
        expect(Exit.isFailure(exit) && failureOf(exit) instanceof Config.ConfigError).toBe(true)
      }
    }))
})

describe("what a response may ask for", () => {
  for (const [transport, build] of transports) {
    it.live(`${transport}: nothing is resent after a 2xx, whatever its headers`, () =>
      Effect.gen(function*() {
        const { images, server } = yield* serviceAt(build)
        for (const [status, body] of Bounds.AFTER_2XX.answers) {
          server.setBehaviour(Answers.answer(status, body, Bounds.AFTER_2XX.headers))
          server.takeRequests()
          yield* Effect.exit(call(images, "add"))
          expect([status, body, server.takeRequests()]).toEqual([status, body, 1])
          yield* Effect.exit(call(images, "replace"))
          expect([status, body, server.takeRequests()]).toEqual([status, body, 1])
        }
      }), 30_000)

    it.live(
      `${transport}: a malformed or repeated retry-after is no wait: the backoff applies`,
      () =>
        Effect.gen(function*() {
          const { images, server } = yield* serviceAt(build, {
            retryPolicy: RetryPolicy.make({ maxRetries: 1, initialDelay: "1 millis", jitter: false }),
            timeout: "5 seconds"
          })
          for (const headers of Bounds.MALFORMED_RETRY_AFTER) {
            if (!Bounds.reachesClientAsSent(transport, headers)) continue
            server.setBehaviour(Answers.answer("503 Service Unavailable", "{\"message\":\"busy\"}", headers))
            const started = Date.now()
            const error = failureOf(yield* Effect.exit(images.list({ modelId: "m" })))
            expect([headers, error._tag]).toEqual([headers, "InternalServerError"])
            expect([headers, RetryPolicy.requestedDelay(error)]).toEqual([headers, undefined])
            expect([headers, server.takeRequests()]).toEqual([headers, 2])
            expect(Date.now() - started).toBeLessThan(Bounds.NO_WAIT_MILLIS)
          }
          // A well-formed one is honoured.
          server.setBehaviour(Answers.answer("503 Service Unavailable", "{}", Bounds.HONOURED.headers))
          const error = failureOf(yield* Effect.exit(images.list({ modelId: "m" })))
          expect("retryAfter" in error && error.retryAfter !== undefined && Duration.toMillis(error.retryAfter)).toBe(
            Bounds.HONOURED.millis
          )
        }),
      60_000
    )
  }
})

describe("interim responses", () => {
  for (const [transport, build] of transports) {
    it.live(
      `${transport}: a 100 Continue (and a 103) before the answer is skipped`,
      () =>
        Effect.gen(function*() {
          const { images, server } = yield* serviceAt(build, { retryPolicy: RetryPolicy.none })
          for (const interim of Bounds.INTERIM) {
            server.setBehaviour(Answers.interimThen(interim, JSON.stringify(Bounds.image)))
            const outcome = outcomeOf(yield* Effect.exit(call(images, "add")))
            const expected = Bounds.interimOutcomes(transport, interim)
            expect([interim.slice(0, 12), expected.includes(outcome)]).toEqual([interim.slice(0, 12), true])
          }
        }),
      30_000
    )
  }
})

describe("delete converges only on a 404 for the training image", () => {
  for (const [transport, build] of transports) {
    it.live(
      `${transport}: 500 then 404 model not found is NotFoundError; image not found is success`,
      () =>
        Effect.gen(function*() {
          const { images, server } = yield* serviceAt(build)
          for (const [second, expected] of Bounds.DELETE_AFTER_500) {
            server.setBehaviour(Answers.firstThen(
              Answers.answer("500 Internal Server Error", "{\"message\":\"boom\"}"),
              Answers.answer("404 Not Found", second)
            ))
            server.takeRequests()
            const exit = yield* Effect.exit(images.delete({ modelId: "m", trainingImageId: "t" }))
            expect(server.takeRequests()).toBe(2)
            expect(outcomeOf(exit)).toBe(expected)
          }
        }),
      30_000
    )
  }
})

describe("credentials that cannot travel in a header", () => {
  it.live(
    "are a ConfigError naming the field when the service is built: nothing is sent",
    () =>
      Effect.gen(function*() {
        const server = yield* makeRawServer
        server.setBehaviour(Answers.answer("200 OK", "{}"))
        for (const [transport, build] of transports) {
          for (const [spec, field] of Bounds.BAD_CREDENTIALS) {
            const exit = yield* Effect.exit(build({ baseUrl: server.baseUrl, credentials: toCredentials(spec) }))
            const error = failureOf(exit)
            expect(error instanceof Config.ConfigError).toBe(true)
            const text = String(error)
            // Effect 4's ConfigError writes the path as `["credentials"]["token"]`.
            expect([transport, text]).toEqual([transport, expect.stringContaining(`["credentials"]["${field}"]`)])
            expect(text).not.toContain(Bounds.SECRET_MARK)
          }
        }
        expect(server.takeRequests()).toBe(0)
      }).pipe(Effect.provide(silent)),
    30_000
  )
})

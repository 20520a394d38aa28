/**
 * The value of the `Authorization` header, from plain strings: `Basic` with the Base64 of `apiKey:apiSecret`
 * (its UTF-8 bytes), or `Bearer` with a token. A binding keeps the secrets wrapped (redacted) and unwraps them
 * only to call these, at the last moment.
 *
 * @since 0.1.0
 */
export * as Authorization from "./Authorization.js"

/**
 * Base64 (RFC 4648 §4, with padding) of image bytes, on any runtime (no `Buffer`), and the length it will have
 * before anything is encoded.
 *
 * A generic encoder that builds its result one character at a time takes about 0.4 s per MB and leaves a string
 * of as many pieces as characters until it is flattened. Images are megabytes, so this one writes the ASCII into
 * bytes, two characters per table lookup, and decodes them once.
 *
 * @since 0.1.0
 */
export * as Base64 from "./Base64.js"

/**
 * Where each operation goes on the wire: its HTTP method, its path (ids percent-encoded so that none can
 * leave its own segment) and its query. Shared by every binding's HTTP client, in-memory fake (so both
 * describe a request the same way in errors) and the emulator.
 *
 * | operation    | method | path                                                |
 * |--------------|--------|-----------------------------------------------------|
 * | add          | POST   | /models/{modelId}/training-images                   |
 * | replacePairs | PUT    | /models/{modelId}/training-images/pairs             |
 * | replace      | PUT    | /models/{modelId}/training-images/{trainingImageId} |
 * | delete       | DELETE | /models/{modelId}/training-images/{trainingImageId} |
 * | list         | GET    | /models/{modelId}                                   |
 *
 * @since 0.1.0
 */
export * as Endpoint from "./Endpoint.js"

/**
 * Which fault, if any, meets each request: scripted faults first, in the order they were given, then seeded
 * random ones. Shared by every in-memory fake and emulator, so that all count and pick faults the same way.
 * Generic over the fault (each binding has its own) and plain: every method is synchronous, so each decision
 * is atomic wherever it runs.
 *
 * @since 0.1.0
 */
export * as FaultPlan from "./FaultPlan.js"

/**
 * An image's media type from its first bytes (its signature), whatever its file name says.
 *
 * @since 0.1.0
 */
export * as MediaType from "./MediaType.js"

/**
 * A small seeded pseudo-random generator (PCG, 64-bit state, 32-bit output, XSH RR), for decisions that must
 * come out the same on every run: which request meets a random fault, which workload a soak replays. It yields
 * exactly the sequence of Effect 3's `PCGRandom` (`effect/Utils`) for the same seed, so that seeded faults and
 * the figures computed from them do not change with the runtime that draws them.
 *
 * @since 0.1.0
 */
export * as Prng from "./Prng.js"

/**
 * The shape of an image's JSON body, in one place: a client builds the body from it, and a training set
 * computes the size of that body from an image's byte count alone (before reading the image), so that the two
 * cannot disagree.
 *
 * @since 0.1.0
 */
export * as RequestBody from "./RequestBody.js"

/**
 * The errors of a request, as plain rules: which kind of error a response's status is, what of the response an
 * error keeps (its request id, its headers but for session material, its body bounded in length and depth), and
 * the message each kind tells. Each binding's error classes carry these fields and call these messages, so that
 * every line words a failure the same way.
 *
 * @since 0.1.0
 */
export * as RequestError from "./RequestError.js"

/**
 * The retry decision, as plain functions over a plain description of a failure: whether a failed request may be
 * sent again, what may have taken effect on the server (and so must not be resent blindly), whether a wait the
 * server asked for is within the cap, and the backoff's arithmetic.
 *
 * The rules follow the Stainless runtime of the official SDK (`x-should-retry` first; connection errors,
 * timeouts, 408, 409, 429 and 5xx retried; a backoff from 0.5 s doubling to at most 8 s), except that a POST
 * (`add`, not idempotent: Scenario documents no idempotency key) is resent only when it surely did not take
 * effect.
 *
 * @since 0.1.0
 */
export * as Retry from "./Retry.js"

/**
 * The grammar of the headers that ask for a wait before a retry, as plain functions.
 *
 * - `retry-after` (RFC 9110 §10.2.3): `delay-seconds` (`1*DIGIT`) or an HTTP-date in one of its three forms
 *   (IMF-fixdate, the obsolete RFC 850 form, ANSI C's asctime form, §5.6.7).
 * - `retry-after-ms` (the Stainless runtime's): milliseconds as digits, with an optional decimal fraction.
 *
 * Anything else is not a wait at all (the policy's backoff applies): `0x2`, `2e0`, `-1`, a date with junk
 * around it, and two values joined by a comma (a header given twice) alike.
 *
 * @since 0.1.0
 */
export * as RetryAfter from "./RetryAfter.js"

/**
 * What a client's telemetry records, as plain data and plain functions: the attribute (and metric label) names,
 * the metrics' names, descriptions and histogram boundaries, the span names, and the rules that turn a request
 * and its outcome into attribute values (`error.type`, the status class, `server.port`). Names follow
 * OpenTelemetry's semantic conventions for HTTP clients where they apply, plus `scenario.*` for the rest. Each
 * binding makes its own metrics and spans from these, so that every line records the same names and values.
 *
 * @since 0.1.0
 */
export * as Telemetry from "./Telemetry.js"

/**
 * What reaches a terminal, as plain functions: text from outside (file names, server messages, ids) shown with
 * its control characters escaped, JSON with none left raw, and whether a stream gets colours at all. Shared by
 * every command line of the project (`scenario-training`, `scenario-emulator`) on either Effect line.
 *
 * @since 0.1.0
 */
export * as Terminal from "./Terminal.js"

/**
 * The file a pulled training image is written to: its `name` when that is a portable file name, else a stable
 * rename. Plain functions, the same on every platform, so that a set pulled on Linux lands under the same
 * names on Windows or macOS, and a rerun of a pull writes each image where the last one did.
 *
 * @since 0.1.0
 */
export * as TrainingSetFiles from "./TrainingSetFiles.js"

/**
 * The rules of a training-set sync, as plain functions over plain data: the diff between a folder and a model,
 * the pairs check, what an image's size and first bytes say before it is read (skipped, too large), the guard
 * against an unsafe plan, the state a run leaves, an image's inline data URL, why a file or link cannot be read,
 * and which failed requests a run sends again. The types are plain TypeScript, structurally the types of
 * each binding's Schemas, so a binding passes its values through as they are.
 *
 * @since 0.1.0
 */
export * as TrainingSetPlan from "./TrainingSetPlan.js"

/**
 * The lines a command line prints about a training set, as plain functions over the plain types of
 * `TrainingSetPlan`: what an item is and what was done to it, a failure, a plan's summary, a retry, a pause, an
 * item reconciled, what a sync leaves, an interrupted run, and the speed a progress bar shows. Text from outside
 * (names, ids, server messages) is escaped (`Terminal.escapeControl`), so every line is safe to print. Shared by
 * every command line of either Effect line, so that both word a sync the same way.
 *
 * @since 0.1.0
 */
export * as TrainingSetText from "./TrainingSetText.js"

/**
 * What a transport's failure says of the request, read from the error codes on it and its causes: whether the
 * request surely never left this machine (so nothing can have been applied, and even a POST may be sent again),
 * and whether the transport refused to build it (a header value it will not send, refused again by every retry).
 *
 * @since 0.1.0
 */
export * as Transport from "./Transport.js"

/**
 * Where an HTTP transport sends a request: the origin and the path (with its query) of its URL. Parsing a URL
 * costs about as much as a tenth of a small request's whole client path, and the URLs the clients build have a
 * plain form whose parts can be read off the string: for those the parse is skipped. Anything else (a query, a
 * fragment, a character the URL parser would escape or drop, a dot segment it would resolve, an unusual
 * scheme) is left to the URL parser. Shared by the Node transports of both Effect lines.
 *
 * @since 0.1.0
 */
export * as UrlTarget from "./UrlTarget.js"

/**
 * Validation rules of the API and their messages, shared by every binding's Schemas and validators.
 *
 * @since 0.1.0
 */
export * as Validation from "./Validation.js"

/**
 * The checks of each operation's params, as plain functions: the params, or every problem with its path. The
 * messages are those of the Effect lines' Schemas (`Expected string, actual 5`, `is missing`, `is unexpected,
 * expected: ...`, and the rules of `Validation`), so that a server without a runtime library answers a bad
 * request as a binding's client refuses it; a test runs the same bad params through both.
 *
 * @since 0.1.0
 */
export * as ParamsCheck from "./ParamsCheck.js"

/**
 * The bookkeeping of one request in flight as a dispatch handler sees it (undici's `DispatchHandler` shape:
 * a controller, then the response's status and headers, its body chunks, its end or its error): the state
 * machine each line's transport runs under its own effect types. It keeps the status and headers, the body
 * chunks for whoever reads them (whole, or one at a time with backpressure: past `READ_AHEAD` unread bytes
 * the connection is paused), counts the body's bytes against a limit (past it the chunks are dropped and the
 * request aborted), runs the timer of a whole response and aborts on the first failure. The head is handed over
 * at the end of the turn of the event loop it arrived in, or as soon as the body ends or the exchange fails in
 * that turn: a small response, which arrives whole in one read, is read with one wait, not two.
 *
 * A binding extends it with how the waiting fiber is told (the head, or the failure before it), the errors it
 * fails with, and what it does once nothing is pending (dropping a registration for collection, say).
 *
 * @since 0.1.0
 */
export * as ResponseExchange from "./ResponseExchange.js"

/**
 * The environment variables a binding reads its settings from (the names the official SDKs read), and what
 * a missing one's error says. A missing variable holds no secret: its message names it, and nothing else.
 *
 * @since 0.1.0
 */
export * as Environment from "./Environment.js"

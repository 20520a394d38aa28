/**
 * Which `Authorization` headers an emulator accepts: HTTP Basic with its API key and secret, or a Bearer token,
 * compared in time independent of where they differ.
 *
 * @since 0.1.0
 */
export * as Auth from "./Auth.js"

/**
 * A request body read with a cap, on Node's `http` server. A larger one is refused without being kept:
 * announced by its `content-length`, it is not read at all (Node discards it once the answer is sent); sent in
 * chunks, it is read to its end and thrown away. Either way the connection stays whole, so the client reads the
 * 413 instead of a reset (which stopping at the limit gives it).
 *
 * @since 0.1.0
 */
export * as Body from "./Body.js"

/**
 * The `scenario-emulator` command: the emulator served from a terminal until Ctrl-C or SIGTERM, for curl,
 * another language's client, or a test suite that starts it once. Its arguments are read with `node:util`'s
 * `parseArgs`; importing this module starts nothing (the package's `scenario-emulator` bin runs `main`).
 *
 * ```sh
 * npx scenario-emulator --port 4010
 * npx scenario-emulator --port 4010 --model model_1 --fault-rate 0.2 --fault-seed 7 --faults 429,503,drop-after-apply
 * npx scenario-emulator --port 4010 --list-lag 2s # an added image is listed 2 s after its add
 * npx scenario-emulator --help
 * ```
 *
 * @since 0.1.0
 */
export * as Command from "./Command.js"

/**
 * An emulator's change counter and the event streams that follow it. A change is pushed to every stream, at
 * most once per `coalesceMillis` (a burst of requests becomes one event), and nothing runs while nothing
 * changes but one heartbeat shared by all streams, and only while one is open. The number of streams is capped:
 * each one holds a socket for as long as its page is open.
 *
 * @since 0.1.0
 */
export * as ChangeFeed from "./ChangeFeed.js"

/**
 * How each Effect line's in-memory fake words the wire it does not have, so that both answer alike: the base
 * URL its errors name, the request id of its n-th request, the headers of its answers, and the cause of a
 * connection an injected drop cut.
 *
 * @since 0.1.0
 */
export * as FakeAnswer from "./FakeAnswer.js"

/**
 * How an injected status fault is answered: the default message of its status (the reason phrase) and the
 * headers that carry its wait, `retry-after` in whole seconds (rounded up, as the header allows no fraction)
 * and/or the `retry-after-ms` extension in milliseconds.
 *
 * @since 0.1.0
 */
export * as FaultAnswer from "./FaultAnswer.js"

/**
 * Faults named by their kind, as the command line and the inspector name them: `429`, `503`,
 * `500-after-apply`, `delay`, `drop-before-apply`... The grammar of a kind, the transient kinds a random fault
 * picks from, and the plain fault (`Server.Answer`) a kind names, which is what the emulator answers when no
 * binding gives faults of its own.
 *
 * @since 0.1.0
 */
export * as FaultKind from "./FaultKind.js"

/**
 * Which requests an emulator on loopback answers: only those sent to a loopback name (`localhost`,
 * `127.x.x.x`, `[::1]`, with its own port or none), so that a page on another site cannot reach it through a
 * host name of its own that resolves to 127.0.0.1 (DNS rebinding); and which control requests come from the
 * inspector's own page. One rule for the API and the inspector alike.
 *
 * @since 0.1.0
 */
export * as Host from "./Host.js"

/**
 * What the emulator's inspector serves apart from its page: which paths are its own, the state JSON the page
 * reads, and how a stored data URL becomes a thumbnail (only the raster types a browser shows safely).
 *
 * @since 0.1.0
 */
export * as Inspector from "./Inspector.js"

/**
 * The emulator inspector's page, its HTML and CSS, served as they are: no build step, nothing fetched from
 * elsewhere.
 *
 * @since 0.1.0
 */
export * as InspectorPage from "./InspectorPage.js"

/**
 * The inspector page's scripts, plain JavaScript served as it is.
 *
 * `VIEW` holds the page's rules as pure functions of the state JSON (filtering the log, rendering rows and
 * models as escaped HTML, reading the fault form): no DOM, so the tests run it in Node as well. `APP` wires
 * them to the page: fetching the state, following the server's change events (polling when they fail),
 * sending the controls.
 *
 * @since 0.1.0
 */
export * as InspectorScript from "./InspectorScript.js"

/**
 * The checks of a seed, against what the API can answer: a model's `status` and `type` from the documented
 * enums, images and pairs of the documented shape. Seeds are often built from JSON fixtures, so the types alone
 * do not stop a `status: "queued"` that Scenario would never send. A plain result: the seed, or every problem
 * with its path (`models.<id>.status`).
 *
 * @since 0.1.0
 */
export * as Seed from "./Seed.js"

/**
 * The emulator itself: a plain `node:http` server of the training-images API (`/v1`) and of its inspector,
 * over the store, the fault plan and the rules of this package. Usable from any test as it is; each Effect
 * line's `ScenarioEmulator.layer` wraps it in a scope. What it cannot know without a runtime library is given:
 * faults of its own (`FaultKind`'s plain ones otherwise) and validators of its own (the kernel's `ParamsCheck`
 * otherwise, whose messages are the Schemas'); with neither, `start({ apiKey, apiSecret, bearerToken })` is the
 * whole emulator, the one the `scenario-emulator` command serves.
 *
 * @since 0.1.0
 */
export * as Server from "./Server.js"

/**
 * The emulated API's models and their training images, held in memory: what each operation changes and the
 * answer (a status and a JSON body, as the API sends it) it gives. Shared by every in-memory fake and the
 * emulator, so that both store and answer alike. Ids come from a counter and dates from the `now` given, so a
 * run is reproducible; any model id is kept as given, `__proto__` included.
 *
 * @since 0.1.0
 */
export * as Store from "./Store.js"

/**
 * How the server side reads a request before any validator runs: its JSON body, its query flags and the
 * documented fields of its body, or the 400 the server answers. Each binding then checks the fields with the
 * same validators its client runs.
 *
 * @since 0.1.0
 */
export * as Wire from "./Wire.js"

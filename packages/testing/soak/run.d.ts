import * as Duration from "effect/Duration";
import * as Effect from "effect/Effect";
import type * as Scope from "effect/Scope";
import * as Fault from "../src/Fault.js";
import { type Verdict } from "./verify.js";
export interface Options {
    /** How many operations. */
    readonly operations: number;
    /** How many run at once. */
    readonly concurrency: number;
    /** The share of requests, 0 to 1, that meet a fault. */
    readonly faultRate: number;
    /** Seeds both the plan and the faults. */
    readonly seed: number;
    /** The client's timeout per attempt; a delay fault holds the response twice as long. */
    readonly timeout: Duration.DurationInput;
    /** The retry policy's retries, and so how many consecutive faults an idempotent operation outlasts. */
    readonly maxRetries: number;
    /** The waits the 429 faults ask for. */
    readonly retryAfter: ReadonlyArray<Duration.DurationInput>;
    /** The kinds of fault to inject (`Fault.kind`); all of them when absent. */
    readonly faultKinds?: ReadonlyArray<string> | undefined;
    /**
     * Retries `add` like the idempotent operations, on any failure the default policy would retry for them:
     * what a client without the library's caution would do. For showing that the soak catches the adds it
     * then applies twice; never set in a real run.
     */
    readonly blindAddRetries?: boolean | undefined;
}
export declare const defaults: Options;
export interface Report extends Verdict {
    readonly options: Options;
    readonly duration: Duration.Duration;
}
/**
 * The faults picked from, uniformly: 429 with each wait (as `retry-after` in seconds, `retry-after-ms`, or
 * both), 500, 502, 503, a response slower than the client's timeout, a connection dropped before the change
 * is applied and one dropped after.
 */
export declare const faultsFor: (options: Options) => ReadonlyArray<Fault.Fault>;
export declare const run: (options: Options) => Effect.Effect<Report, unknown, Scope.Scope>;
//# sourceMappingURL=run.d.ts.map
/**
 * What must hold after a soak, checked from the outcome of each operation, the requests the emulator
 * recorded and the state it ends in; and the figures that show it.
 */
import { TrainingImagesError } from "@effect-scenario/core";
import * as Cause from "effect/Cause";
import * as Exit from "effect/Exit";
import type * as ScenarioEmulator from "../src/ScenarioEmulator.js";
import type * as TrainingImagesTest from "../src/TrainingImagesTest.js";
import { type Planned } from "./workload.js";
/** How one call ended. Only the first two are allowed. */
export type Outcome = {
    readonly _tag: "Success";
    readonly value: unknown;
} | {
    readonly _tag: "Failure";
    readonly error: TrainingImagesError.TrainingImagesError;
}
/** A failure that is not one of the library's errors. */
 | {
    readonly _tag: "Untyped";
    readonly cause: Cause.Cause<unknown>;
} | {
    readonly _tag: "Defect";
    readonly cause: Cause.Cause<unknown>;
};
export declare const outcomeOf: (exit: Exit.Exit<unknown, unknown>) => Outcome;
export interface Result {
    readonly planned: Planned;
    readonly outcome: Outcome;
}
/**
 * What a failed `add` says about whether it took effect. Not applied: refused before sending, a connection
 * that surely never carried the request, a rejection (4xx), a 429 or a 503 (answered before the service
 * acts, which is why the retry policy retries them). May have been applied: anything else, in particular a
 * timeout or a connection lost after sending, a 500 or a 502.
 */
export declare const addFailureSays: (error: TrainingImagesError.TrainingImagesError) => "not applied" | "may be applied";
export interface Figures {
    readonly operations: number;
    readonly operationsByKind: Readonly<Record<string, number>>;
    /** Operations refused before sending (`InvalidRequestError`): they make no request. */
    readonly refusedBeforeSending: number;
    readonly requests: number;
    /** Requests beyond the first of each operation that sent one. */
    readonly retries: number;
    readonly faults: Readonly<Record<string, number>>;
    readonly faultsTotal: number;
    readonly successes: Readonly<Record<string, number>>;
    readonly failures: Readonly<Record<string, Readonly<Record<string, number>>>>;
    readonly addsSucceeded: number;
    readonly addsNotApplied: number;
    readonly ambiguousAdds: number;
    /** Of the ambiguous adds, how many had in fact been applied. */
    readonly ambiguousAddsApplied: number;
    readonly addsAppliedTwice: number;
    /** Idempotent operations whose every attempt met a fault, more than the retry policy allows. */
    readonly beyondRetryPolicy: number;
    /** Deletes answered 404 because an earlier attempt of theirs was applied and its response lost. */
    readonly deletesConverged: number;
    readonly defects: number;
    readonly untyped: number;
    readonly stateMismatches: number;
}
/**
 * A property that did not hold. Safety: a defect, an untyped failure, an add applied twice, a final state the
 * outcomes do not explain. Liveness: an idempotent operation that failed although fewer consecutive faults
 * than the retry policy allows were injected into it (which also happens when the server, not a fault, is
 * slower than the client's timeout).
 */
export interface Violation {
    readonly kind: "safety" | "liveness";
    readonly message: string;
}
export interface Verdict {
    readonly figures: Figures;
    /** Every property that did not hold; empty when the soak passed. */
    readonly violations: ReadonlyArray<Violation>;
}
/**
 * Checks every property of the soak.
 *
 * `maxRetries` is the retry policy's: an idempotent operation may fail only when each of its
 * `maxRetries + 1` attempts met a fault, as the emulator's log shows.
 */
export declare const verify: (input: {
    readonly results: ReadonlyArray<Result>;
    readonly requests: ReadonlyArray<ScenarioEmulator.RecordedRequest>;
    readonly faults: Readonly<Record<string, number>>;
    readonly snapshot: TrainingImagesTest.Snapshot;
    readonly maxRetries: number;
    /** The path of the base URL, which the emulator's recorded paths start with. */
    readonly basePath: string;
}) => Verdict;
//# sourceMappingURL=verify.d.ts.map
/**
 * The soak's workload: a seeded plan of mixed operations and the models they work on.
 *
 * Every operation gets keys of its own, so that what the emulator ends up holding can be traced back to the
 * one operation that put it there:
 *
 * - `add` puts uniquely named assets (or an inline image with a unique file name) into one of a few shared
 *   models, which they contend for; the emulator names each new image after its asset or file name.
 * - `replace` and `delete` each target a training image of their own, in two shared models.
 * - `replacePairs` and `list` each work on a model of their own.
 *
 * The idempotent operations thus each have a request path of their own, which ties every request the
 * emulator records to the operation that sent it.
 */
import { type TrainingImage, type TrainingImagesError } from "@effect-scenario/core";
import type * as TrainingImagesTest from "../src/TrainingImagesTest.js";
/** A 1×1 PNG, as inline image data. */
export declare const PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVQYV2NgYAAAAAMAAWgmWQ0AAAAASUVORK5CYII=";
export declare const REPLACE_MODEL = "model_soak_replace";
export declare const MISSING_MODEL = "model_soak_missing";
export declare const DELETE_MODEL = "model_soak_delete";
export declare const ADD_MODELS: readonly ["model_soak_add_0", "model_soak_add_1", "model_soak_add_2", "model_soak_add_3"];
/** The share of each operation in the mix. */
export declare const MIX: ReadonlyArray<readonly [TrainingImagesError.Operation, number]>;
interface PlannedOf<Op extends TrainingImagesError.Operation, Params> {
    readonly index: number;
    readonly operation: Op;
    readonly params: Params;
}
/**
 * An `add`, and the names of the images it creates: one per asset, or the file name given. A quarter of the
 * adds run without retries, so that the 429s and 503s they meet reach the caller (errors that say the add was
 * not applied); a few go to a model that does not exist (404) or hold more than 10 assets (refused before
 * sending).
 */
export interface PlannedAdd extends PlannedOf<"add", TrainingImage.AddParams> {
    readonly names: ReadonlyArray<string>;
    readonly retries: boolean;
}
/** A `replace` of its own image, and the image's name before and after. */
export interface PlannedReplace extends PlannedOf<"replace", TrainingImage.ReplaceParams> {
    readonly before: string;
    readonly after: string;
}
/** A `replacePairs` of its own model, and the model's pairs before. */
export interface PlannedReplacePairs extends PlannedOf<"replacePairs", TrainingImage.ReplacePairsParams> {
    readonly before: ReadonlyArray<TrainingImage.PairInput>;
}
/** A `delete` of its own image. */
export type PlannedDelete = PlannedOf<"delete", TrainingImage.DeleteParams>;
/** A `list` of its own model, which nothing else touches, and what it must return. */
export interface PlannedList extends PlannedOf<"list", TrainingImage.ListParams> {
    readonly expected: {
        readonly images: ReadonlyArray<{
            readonly id: string;
            readonly name: string;
        }>;
        readonly pairs: ReadonlyArray<TrainingImage.PairInput>;
    };
}
export type Planned = PlannedAdd | PlannedReplace | PlannedReplacePairs | PlannedDelete | PlannedList;
export interface Workload {
    readonly operations: ReadonlyArray<Planned>;
    /** The models the emulator starts with. */
    readonly seed: TrainingImagesTest.Seed;
}
/** The plan for `count` operations, the same for the same seed. */
export declare const plan: (count: number, seed: number) => Workload;
/** The method and path (below the base URL's path) of the requests an operation sends. */
export declare const requestKey: (planned: Planned) => string;
export {};
//# sourceMappingURL=workload.d.ts.map
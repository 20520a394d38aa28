/**
 * A line's `ScenarioEmulator` and its client as promises: what each line hands the suites test-support holds
 * (`inspectorHttp`, `inspectorBrowser`), so that they are written once. Each line's `test/lineEmulator.ts`
 * makes one.
 */

/** The line's client (no retries) against one emulator. */
export interface Client {
  readonly add: (
    input:
      | { readonly modelId: string; readonly data: string; readonly name?: string }
      | { readonly modelId: string; readonly assetId: string }
  ) => Promise<{ readonly id: string }>
  readonly replace: (
    input: { readonly modelId: string; readonly trainingImageId: string; readonly assetId: string }
  ) => Promise<unknown>
  readonly replacePairs: (
    input: {
      readonly modelId: string
      readonly pairs: ReadonlyArray<
        { readonly sourceId: string; readonly targetId: string; readonly instruction?: string }
      >
    }
  ) => Promise<unknown>
  /** The ids `list` answers. */
  readonly listed: (modelId: string) => Promise<ReadonlyArray<string>>
  /**
   * `list` failing, as it must: its error's tag (the runner checks it is an instance of the line's class of that
   * tag) and the wait it carries, if any.
   */
  readonly listFailure: (
    modelId: string
  ) => Promise<{ readonly tag: string; readonly retryAfterMillis: number | undefined }>
}

/** The options of the line's `ScenarioEmulator.make` that the tests use. */
export interface Options {
  readonly apiKey?: string
  readonly apiSecret?: string
  readonly models?: unknown
  readonly maxBodySize?: number
  readonly maxSeedBytes?: number
  readonly maxSeedImages?: number
  readonly maxEventStreams?: number
  readonly inspector?: boolean
}

/** A line's `ScenarioEmulator`, started for a test, with its client. */
export interface Emulator {
  readonly host: string
  readonly port: number
  /** The API's base URL. */
  readonly baseUrl: string
  readonly inspectorUrl: string | undefined
  /** The `authorization` header it accepts. */
  readonly authorization: string
  readonly client: Client
  /** The snapshot's models. */
  readonly models: () => Promise<
    Readonly<
      Record<
        string,
        { readonly name?: string | undefined; readonly trainingImages: ReadonlyArray<{ readonly id: string }> }
      >
    >
  >
  readonly requestCount: () => Promise<number>
  readonly faultCounts: () => Promise<Readonly<Record<string, number>>>
  /** The next call is delayed by `millis` (a fault of the line's `Fault.delay`). */
  readonly delayNext: (millis: number) => Promise<void>
  /** Seeds from code: the error's message when it is refused. */
  readonly seedRefusal: (models: unknown) => Promise<string | undefined>
  readonly close: () => Promise<void>
}

/** What a line hands the tests. */
export interface Line {
  readonly start: (options: Options) => Promise<Emulator>
}

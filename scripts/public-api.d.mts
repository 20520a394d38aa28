export type ExportKind = "value" | "type" | "value+type" | "namespace"
export type PublicApi = Record<string, Record<string, Record<string, ExportKind>>>
export declare const packages: ReadonlyArray<string>
export declare const snapshotFile: string
export declare const publicApi: () => PublicApi

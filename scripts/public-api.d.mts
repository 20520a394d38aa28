export type ExportKind = "value" | "type" | "value+type" | "namespace"
export type PublicApi = Record<string, Record<string, Record<string, ExportKind>>>
export declare const groups: Record<string, ReadonlyArray<string>>
export declare const snapshotFile: (group: string) => string
export declare const publicApi: (packages: ReadonlyArray<string>) => PublicApi
export declare const counterparts: Record<string, string>

export declare const folders: ReadonlyArray<readonly [string, string]>
export declare const moved: ReadonlyArray<readonly [string, string]>
export declare const suitesFile: string
export declare const TO_PORT: string
export declare const differences: () => Array<string>

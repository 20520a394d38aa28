import type { Report } from "./run.js";
export declare const format: (report: Report) => string;
//# sourceMappingURL=report.d.ts.map
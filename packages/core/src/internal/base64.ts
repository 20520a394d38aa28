// Moved to the kernel: kept until every import names the kernel.
export { encode as encodeBase64 } from "@effect-scenario/kernel/Base64"

// Moved to the kernel: kept until every import names the kernel.
export { type ImageMediaType, sniff } from "@effect-scenario/kernel/MediaType"

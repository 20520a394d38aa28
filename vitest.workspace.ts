export default [
  "packages/kernel",
  "packages/core",
  "packages/testing",
  "packages/platform-node",
  "packages/cli",
  "examples"
]

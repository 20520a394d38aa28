export default [
  "packages/core",
  "packages/testing",
  "packages/platform-node",
  "packages/cli",
  "examples"
]

export default [
  "packages/kernel",
  "packages/emulator",
  "packages/core",
  "packages/testing",
  "packages/platform-node",
  "packages/cli",
  "examples"
]

#!/usr/bin/env bash
# The packages as a user gets them today, following the README's Install section: packed with `pnpm pack:all`
# into tarballs/, linted (publint, @arethetypeswrong/cli), installed into a scratch npm project beside the clone
# with the README's install block run as written, the README's TypeScript blocks type-checked there under the
# README's tsconfig.json (strict, NodeNext, skipLibCheck false), the Use example run against
# `npx scenario-emulator`, the README's test files run with vitest, `npx scenario-training --help`, the README's
# `--fit` commands with the sharp npm installed as the command line's optional dependency, and `require()` of
# every entry point on Node >= 20.19.
#
#   bash scripts/consumer-check.sh        (after a build; CI runs it after the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

PUBLINT_VERSION=0.3.25
ATTW_VERSION=0.18.5
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
pnpm() { npx -y "pnpm@${PNPM_VERSION}" "$@"; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/effect-scenario-consumer.XXXXXX")
EMULATOR_PID=""
# `npx` runs the emulator as a child of its own: the emulator is started in a process group of its own
# (`setsid`), and the whole group is stopped, or the child outlives the check.
stop_emulator() {
  kill -- -"$EMULATOR_PID" 2>/dev/null || kill "$EMULATOR_PID" 2>/dev/null || true
  wait "$EMULATOR_PID" 2>/dev/null || true
}
cleanup() {
  if [ -n "$EMULATOR_PID" ]; then stop_emulator; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
started=$(date +%s)
step() { echo "== consumer check: $1 ($(($(date +%s) - started)) s)"; }

step "pack (pnpm pack:all)"
pnpm pack:all
tarball() { echo "$ROOT/tarballs/$1.tgz"; }

step "publint and @arethetypeswrong/cli"
for name in kernel emulator core platform-node testing cli effect4; do
  # Every public module is an entry point (the `./*` export hides them from automatic discovery).
  entrypoints=$(cd "packages/$name/src" && ls ./*.ts | sed -e 's#^\./#./#' -e 's#\.ts$##' | grep -v -e '^./index$' -e '^./bin$' | tr '\n' ' ')
  # The Effect 4 line gathers its core, Node and testing modules in one package: its subpaths are entry points too.
  if [ "$name" = effect4 ]; then entrypoints="$entrypoints ./node ./testing"; fi
  npx -y "publint@${PUBLINT_VERSION}" run --strict "$(tarball "$name")"
  # ESM only, by design: the profile leaves out CommonJS-from-require resolutions (require(esm) is checked below).
  # shellcheck disable=SC2086
  npx -y "@arethetypeswrong/cli@${ATTW_VERSION}" "$(tarball "$name")" --profile esm-only --format table-flipped --include-entrypoints $entrypoints
done

step "a scratch npm project beside the clone, installed with the README's install block as written"
# The README's layout: the clone as `effect-scenario/`, the project beside it.
ln -s "$ROOT" "$WORK/effect-scenario"
APP="$WORK/app"
mkdir -p "$APP"
cd "$APP"
npm init -y >/dev/null
npm pkg set type=module
node --input-type=module -e '
  import { readmeBlocks } from "'"$ROOT"'/scripts/readme-blocks.mjs"
  import * as Fs from "node:fs"
  const blocks = readmeBlocks(Fs.readFileSync("'"$ROOT"'/README.md", "utf8"))
  const only = (kind) => {
    const found = blocks.filter((block) => block.check?.kind === kind)
    if (found.length !== 1) throw new Error(`the README must have exactly one ${kind} block`)
    return found[0].code + "\n"
  }
  Fs.writeFileSync("install.sh", only("install"))
  Fs.writeFileSync("tsconfig.json", only("tsconfig"))
  for (const kind of ["node", "vitest"]) {
    blocks.filter((block) => block.check?.kind === kind).forEach((block, i) =>
      Fs.writeFileSync(kind === "node" ? `main${i || ""}.ts` : `readme-${i}.test.ts`, block.code + "\n"))
  }
'
cat install.sh
bash -euo pipefail install.sh

step "type-check the README's TypeScript blocks under the README's tsconfig.json (skipLibCheck false)"
cat tsconfig.json
npx tsc -p tsconfig.json

step "npx scenario-training --help"
npx scenario-training --help >help.txt
grep -q 'sync' help.txt || { cat help.txt; exit 1; }
head -n 3 help.txt

step "npx scenario-training --fit: sharp installed with the command line (an optional dependency, from the registry)"
npm ls sharp
# The README's --fit commands as typed, on a folder ./photos of two images over the request limit made here
# with that sharp (a 24-megapixel photo-like JPEG, a PNG of about 40 MB).
mkdir -p photos
node --input-type=module -e '
  import { createRequire } from "node:module"
  import * as Fs from "node:fs"
  const sharp = createRequire(import.meta.resolve("@effect-scenario/cli/package.json"))("sharp")
  const noise = (width, height, amplitude) => {
    const data = new Uint8Array(width * height * 3)
    let x = (width ^ height) >>> 0
    for (let y = 0; y < height; y++) {
      for (let i = 0; i < width * 3; i++) {
        x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0
        const base = (Math.floor(i / 3) * 255 / width + y * 255 / height) / 2
        data[y * width * 3 + i] = Math.max(0, Math.min(255, base + ((x & 0xff) - 128) * amplitude / 128))
      }
    }
    return sharp(data, { raw: { width, height, channels: 3 } })
  }
  Fs.writeFileSync("photos/photo.jpg", await noise(6000, 4000, 64).jpeg({ quality: 92 }).toBuffer())
  Fs.writeFileSync("photos/render.png", await noise(4600, 3300, 255).png({ compressionLevel: 1 }).toBuffer())
'
ls -l photos
node --input-type=module -e '
  import { readmeBlocks } from "'"$ROOT"'/scripts/readme-blocks.mjs"
  import * as Fs from "node:fs"
  const lines = readmeBlocks(Fs.readFileSync("'"$ROOT"'/README.md", "utf8"))
    .filter((block) => block.check?.kind === "scenario-training")
    .flatMap((block) => block.code.split("\n"))
    .filter((line) => line.trim() !== "")
  if (lines.length === 0) throw new Error("the README has no scenario-training block")
  Fs.writeFileSync("fit.sh", lines.map((line) => `npx ${line}`).join("\n") + "\n")
'
cat fit.sh
bash -euo pipefail fit.sh >fit.log 2>&1 || { cat fit.log; exit 1; }
cat fit.log
grep -q '^fitted photo.jpg: .* sent as ' fit.log || { echo "--fit sent no fitted image"; exit 1; }

step "run the Use example against npx scenario-emulator"
setsid npx scenario-emulator --port 0 >emulator.log 2>&1 &
EMULATOR_PID=$!
BASE_URL=""
for _ in $(seq 1 200); do
  BASE_URL=$(sed -n 's#^Scenario emulator listening on \(http://[^ ]*\)$#\1#p' emulator.log)
  [ -n "$BASE_URL" ] && break
  if ! kill -0 "$EMULATOR_PID" 2>/dev/null; then cat emulator.log; exit 1; fi
  sleep 0.1
done
[ -n "$BASE_URL" ] || { cat emulator.log; echo "the emulator did not start"; exit 1; }
echo "emulator at $BASE_URL"
SCENARIO_SDK_BASE_URL="$BASE_URL" SCENARIO_SDK_API_KEY=emulator-key SCENARIO_SDK_API_SECRET=emulator-secret \
  node dist/main.js
stop_emulator
EMULATOR_PID=""
grep -q ' 200 PUT /v1/models/model_demo/training-images/pairs ' emulator.log || { cat emulator.log; exit 1; }

step "the README's test files, with vitest"
npx vitest run --dir . >vitest.log 2>&1 || { cat vitest.log; exit 1; }
tail -n 4 vitest.log

step "module format"
node --input-type=module -e '
  await import("@effect-scenario/kernel")
  await import("@effect-scenario/kernel/Endpoint")
  await import("@effect-scenario/emulator")
  await import("@effect-scenario/emulator/Store")
  await import("@effect-scenario/emulator/Command")
  await import("@effect-scenario/core")
  await import("@effect-scenario/platform-node")
  await import("@effect-scenario/testing")
  await import("@effect-scenario/testing/ScenarioEmulator")
  await import("@effect-scenario/testing/EmulatorCommand")
  for (const closed of [
    "@effect-scenario/testing/bin/scenario-emulator",
    "@effect-scenario/emulator/bin/scenario-emulator",
    "@effect-scenario/core/internal/client"
  ]) {
    const refused = await import(closed).then(() => false, (error) => error.code === "ERR_PACKAGE_PATH_NOT_EXPORTED")
    if (!refused) throw new Error(`${closed} should not be importable`)
  }
  console.log("import(): every entry point loads; bin and internal modules are closed")
'
if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  node -e '
    for (const id of ["@effect-scenario/kernel", "@effect-scenario/emulator", "@effect-scenario/core", "@effect-scenario/platform-node", "@effect-scenario/testing",
      "@effect-scenario/testing/ScenarioEmulator"]) require(id)
    console.log(`require(): works on Node ${process.versions.node}`)
  '
else
  echo "require(): skipped on Node $(node -v) (require(esm) needs Node 20.19 or later)"
fi

step "the Effect 4 line: a scratch project that starts as a new user's does, with npm's latest effect"
# Node >= 22.19 (the line's engines): this Node if recent enough, otherwise Node 24 from npm (see effect4-node.mjs).
NODE4=$(node "$ROOT/scripts/effect4-node.mjs")
APP4="$WORK/app4"
mkdir -p "$APP4"
cd "$APP4"
(
  export PATH="$(dirname "$NODE4"):$PATH"
  echo "Node $(node --version), npm $(npm --version)"
  npm init -y >/dev/null
  npm pkg set type=module
  node --input-type=module -e '
    import { readmeBlocks } from "'"$ROOT"'/scripts/readme-blocks.mjs"
    import * as Fs from "node:fs"
    const blocks = readmeBlocks(Fs.readFileSync("'"$ROOT"'/README.md", "utf8"))
    const only = (kind) => {
      const found = blocks.filter((block) => block.check?.kind === kind)
      if (found.length !== 1) throw new Error(`the README must have exactly one ${kind} block`)
      return found[0].code + "\n"
    }
    Fs.writeFileSync("install.sh", only("effect4-install"))
    Fs.writeFileSync("tsconfig.json", only("effect4-tsconfig"))
    for (const kind of ["effect4-node", "effect4-vitest"]) {
      blocks.filter((block) => block.check?.kind === kind).forEach((block, i) =>
        Fs.writeFileSync(kind === "effect4-node" ? `main${i || ""}.ts` : `readme-${i}.test.ts`, block.code + "\n"))
    }
  '
  # What a new user types first gets Effect 4; the line's install command must then go in without a flag or a warning.
  npm install --no-audit --no-fund effect@latest 2>&1 | tee npm.log
  cat install.sh
  bash -euo pipefail install.sh 2>&1 | tee -a npm.log
  if grep -qi "warn\|ERESOLVE" npm.log; then echo "the Effect 4 line's install printed a warning"; exit 1; fi
  node -p '"effect " + require("effect/package.json").version'
  cat tsconfig.json
  npx tsc -p tsconfig.json
  setsid npx scenario-emulator --port 0 >emulator.log 2>&1 &
  EMULATOR4_PID=$!
  trap 'kill -- -"$EMULATOR4_PID" 2>/dev/null || true' EXIT
  BASE_URL=""
  for _ in $(seq 1 200); do
    BASE_URL=$(sed -n 's#^Scenario emulator listening on \(http://[^ ]*\)$#\1#p' emulator.log)
    [ -n "$BASE_URL" ] && break
    if ! kill -0 "$EMULATOR4_PID" 2>/dev/null; then cat emulator.log; exit 1; fi
    sleep 0.1
  done
  [ -n "$BASE_URL" ] || { cat emulator.log; echo "the emulator did not start"; exit 1; }
  SCENARIO_SDK_BASE_URL="$BASE_URL" SCENARIO_SDK_API_KEY=emulator-key SCENARIO_SDK_API_SECRET=emulator-secret \
    node dist/main.js
  grep -q ' 200 PUT /v1/models/model_demo/training-images/pairs ' emulator.log || { cat emulator.log; exit 1; }
  if ls readme-*.test.ts >/dev/null 2>&1; then
    npx vitest run --dir . >vitest.log 2>&1 || { cat vitest.log; exit 1; }
    tail -n 4 vitest.log
  fi
  node --input-type=module -e '
    for (const id of ["@effect-scenario/effect4", "@effect-scenario/effect4/node", "@effect-scenario/effect4/testing"]) await import(id)
    const refused = await import("@effect-scenario/effect4/internal/client").then(() => false, (error) => error.code === "ERR_PACKAGE_PATH_NOT_EXPORTED")
    if (!refused) throw new Error("internal modules should not be importable")
    console.log("import(): every entry point of the Effect 4 line loads; internal modules are closed")
  '
)

step "passed"

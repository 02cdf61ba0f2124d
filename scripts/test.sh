#!/usr/bin/env bash
# `npm test`: everything, from a fresh clone (after `npm ci`). Sets up the VS Code test environment if needed
# (first time about 5 minutes, then about a second), builds, then runs every layer even when one fails:
#   lint and type-check, the import rules bite (fixtures in a copy), unit tests (plain Node), the .vsix contents, the timeline page in a real browser
#   (msgtrace serve), integration tests in a real VS Code, UI checks of VS Code in a real browser (screenshots in
#   test-artifacts/screenshots/).
# The last line is the total: `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
failed_steps=()
step() {
  local name=$1; shift
  local s=$(date +%s)
  echo; echo "=== $name"
  if "$@"; then echo "=== $name: ok ($(( $(date +%s) - s )) s)"; else echo "=== $name: FAILED ($(( $(date +%s) - s )) s)"; failed_steps+=("$name"); fi
}

bash scripts/install-vscode-env.sh || { echo "could not set up the VS Code test environment"; exit 1; }
rm -rf out/summaries
node scripts/build.mjs --tests || { echo "build failed"; exit 1; }

step build node scripts/build.mjs
step lint npx eslint --max-warnings 0 .
step typecheck node scripts/typecheck.mjs
step rules env MSGTRACE_TEST_LAYER=rules npx mocha --config test/rules/.mocharc.json
step unit env MSGTRACE_TEST_LAYER=unit npx mocha --config test/unit/.mocharc.json
step package npm run --silent package
step vsix-contents env MSGTRACE_TEST_LAYER=package npx mocha --config test/package/.mocharc.json
step browser env MSGTRACE_TEST_LAYER=browser npx mocha --config test/browser/.mocharc.json
step integration node out/test/driver/runIntegration.js
step ui node out/test/driver/runUi.js

echo
node scripts/summarize.mjs out/summaries rules unit package browser integration ui
summary=$?
echo "total time $(( $(date +%s) - t0 )) s"
if [ ${#failed_steps[@]} -gt 0 ]; then echo "failed steps: ${failed_steps[*]}"; exit 1; fi
exit $summary

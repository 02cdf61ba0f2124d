#!/usr/bin/env bash
# `npm start`: builds the extension and opens VS Code with it loaded and the examples/ workspace.
# - With the desktop `code` CLI on PATH: a new window with this folder as the development extension.
# - Otherwise: code-server (VS Code in the browser; installed on first use, about 5 minutes) on a loopback
#   address that is printed below, with the freshly packaged msgtrace.vsix installed. Ctrl+C stops it.
# Environment: MSGTRACE_START_PORT (default 8123) picks code-server's port.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

if command -v code >/dev/null 2>&1 && [ -z "${MSGTRACE_USE_CODE_SERVER:-}" ]; then
  node scripts/build.mjs
  echo "opening VS Code with the extension from $ROOT and the examples/ workspace"
  exec code --extensionDevelopmentPath="$ROOT" "$ROOT/examples"
fi

bash scripts/install-vscode-env.sh
DIR="${MSGTRACE_E2E_DIR:-$HOME/.cache/msgtrace-vscode-e2e}"
# shellcheck disable=SC1091
source "$DIR/env.sh"
npm run --silent package
PORT="${MSGTRACE_START_PORT:-8123}"
STATE="$DIR/start"
mkdir -p "$STATE/ud/User"
printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" > "$STATE/config.yaml"
[ -f "$STATE/ud/User/settings.json" ] || printf '{"workbench.startupEditor":"none","chat.disableAIFeatures":true,"telemetry.telemetryLevel":"off","update.mode":"none","extensions.autoCheckUpdates":false,"git.openRepositoryInParentFolders":"never"}\n' > "$STATE/ud/User/settings.json"
export PATH="$(dirname "$CODE_SERVER_NODE"):$PATH"
COMMON=(--config "$STATE/config.yaml" --user-data-dir "$STATE/ud" --extensions-dir "$STATE/exts")
"$CODE_SERVER" "${COMMON[@]}" --install-extension "$ROOT/msgtrace.vsix" --force >/dev/null
URL="http://127.0.0.1:$PORT/?folder=$ROOT/examples"
echo
echo "  VS Code (code-server) with msgtrace: $URL"
echo "  open it in a browser on this machine; Ctrl+C stops the server"
echo
exec "$CODE_SERVER" "${COMMON[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust \
  --disable-getting-started-override --ignore-last-opened "$ROOT/examples"

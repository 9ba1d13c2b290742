#!/usr/bin/env bash
# Runs every check: install, type-check, Prettier, ESLint, the unit and
# integration tests, and the browser tests. Prints `N passed, N failed` as
# its last line and exits non-zero when any step fails.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$repo_root"
export CI=true

artifacts="$repo_root/artifacts"
mkdir -p "$artifacts"
rm -f "$artifacts"/jest-*.json
failed_steps=()

step() {
  local name="$1"
  shift
  echo "==> $name"
  local started=$SECONDS
  if "$@"; then
    echo "==> $name: ok ($((SECONDS - started)) s)"
  else
    echo "==> $name: FAILED ($((SECONDS - started)) s)"
    failed_steps+=("$name")
  fi
}

install_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  echo "Installing Debian's chromium for the browser tests..."
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    sudo="sudo"
  fi
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium
}

step "install" yarn_cmd install --immutable
if [[ " ${failed_steps[*]} " == *" install "* ]]; then
  echo "0 passed, 1 failed"
  exit 1
fi
step "chromium" install_chromium
step "type-check" yarn_cmd tsc
step "prettier" yarn_cmd prettier --check .
step "eslint" yarn_cmd backstage-cli repo lint
step "unit and integration tests" yarn_cmd backstage-cli repo test \
  --json --outputFile="$artifacts/jest-unit.json"
step "browser tests" yarn_cmd workspace e2e-tests test:e2e \
  --json --outputFile="$artifacts/jest-e2e.json"

node "$repo_root/scripts/summarize-jest.js" "${failed_steps[@]}"

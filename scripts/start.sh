#!/usr/bin/env bash
# Installs the dependencies, then starts the portal: the frontend on
# http://localhost:3000 and the backend (with the offline AWS sandbox) on
# http://localhost:7007. Stop it with Ctrl+C.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$repo_root"

echo "Installing dependencies (the first run takes a few minutes)..."
yarn_cmd install --immutable
echo "Starting the portal: open http://localhost:3000 and choose Enter (guest)."
exec node "$repo_root/.yarn/releases/yarn-4.13.0.cjs" start

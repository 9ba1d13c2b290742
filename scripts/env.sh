# Shared by the scripts in this folder: run the committed Yarn release with
# the machine's Node.js, and let node-gyp build native modules
# (better-sqlite3) against the local Node headers instead of downloading them.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_prefix="$(dirname "$(dirname "$(command -v node)")")"
if [ -z "${npm_config_nodedir:-}" ] && [ -d "$node_prefix/include/node" ]; then
  export npm_config_nodedir="$node_prefix"
fi
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

yarn_cmd() {
  node "$repo_root/.yarn/releases/yarn-4.13.0.cjs" "$@"
}

# Sourced by .ci/run before the tests: installs the official TypeScript MCP
# SDK client (test/mcp-ts, pinned by its package-lock.json) so that
# TestTypeScriptClient (internal/mcpserver) drives `nbasim mcp` with it.
# Under CI=true that test fails when node or the SDK is missing.
# (Sourced, so no `exit`: failures are reported and left to the test.)
nbasim_mcp_node() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/test/mcp-ts"
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1; then
      echo "50-mcp-node: installing nodejs and npm (Debian packages)"
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm) >/dev/null 2>&1 ||
        echo "50-mcp-node: could not install nodejs/npm" >&2
    fi
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "50-mcp-node: npm not available; TestTypeScriptClient will report it" >&2
    return 0
  fi
  if [ -f "$dir/node_modules/@modelcontextprotocol/sdk/package.json" ]; then
    echo "50-mcp-node: TypeScript MCP SDK already installed in test/mcp-ts"
    return 0
  fi
  echo "50-mcp-node: npm ci in test/mcp-ts (node $(node --version))"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) ||
    echo "50-mcp-node: npm ci failed; TestTypeScriptClient will report it" >&2
}
nbasim_mcp_node
unset -f nbasim_mcp_node

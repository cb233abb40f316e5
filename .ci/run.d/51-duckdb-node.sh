# Sourced by .ci/run before the tests: installs DuckDB's Node API
# (test/duckdb-node, pinned by its package-lock.json) so that
# TestDuckDBReadsExport (internal/export) reads nbasim's Parquet export back
# with DuckDB. Under CI=true that test fails when it is missing.
# (Sourced, so no `exit`: failures are reported and left to the test.)
nbasim_duckdb_node() {
  local dir
  dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/test/duckdb-node"
  if ! command -v npm >/dev/null 2>&1; then
    echo "51-duckdb-node: npm not available; TestDuckDBReadsExport will report it" >&2
    return 0
  fi
  if [ -f "$dir/node_modules/@duckdb/node-api/package.json" ]; then
    echo "51-duckdb-node: @duckdb/node-api already installed in test/duckdb-node"
    return 0
  fi
  echo "51-duckdb-node: npm ci in test/duckdb-node (node $(node --version))"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) ||
    echo "51-duckdb-node: npm ci failed; TestDuckDBReadsExport will report it" >&2
}
nbasim_duckdb_node
unset -f nbasim_duckdb_node

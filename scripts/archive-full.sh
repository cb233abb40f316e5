#!/usr/bin/env bash
# Full-size run of the bulk-archive checks (issue 14), the figures of
# docs/benchmarks.md "Bulk archive": import + load of all 14,061 games on
# SQLite and PostgreSQL (wall, CPU, peak RSS), the rerun, every game's final
# score against game_info, and the Parquet export read back by DuckDB.
# CI runs the reduced sizes; this is the full one. Needs ../shared/data.
#   scripts/archive-full.sh [WORKDIR]      (PostgreSQL: NBASIM_TEST_POSTGRES_URL)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
data="$root/../shared/data"
mkdir -p "$work"
go build -o "$work/nbasim" "$root/cmd/nbasim"
t() { /usr/bin/time -f "  $1: %e s wall, %U s user + %S s sys CPU, %M KB peak RSS" "${@:2}"; }
run() { # engine dir
  echo "== $1"
  (cd "$2" && t import ./nbasim import "$data/archive/legacy_pbp" --log-level warn &&
    t "import game_info" ./nbasim import "$data/legacy_pbp/game_info_all.jsonl.gz" --log-level warn &&
    t load ./nbasim load --log-level warn &&
    t "import rerun" ./nbasim import "$data/archive/legacy_pbp" --log-level warn &&
    t "load rerun" ./nbasim load --log-level warn)
}
mkdir -p "$work/sqlite" && cp "$work/nbasim" "$work/sqlite/" && run sqlite "$work/sqlite"
if [ -n "${NBASIM_TEST_POSTGRES_URL:-}" ]; then
  db="archive_full_$$"
  psql "$NBASIM_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db"
  mkdir -p "$work/postgres" && cp "$work/nbasim" "$work/postgres/"
  NBASIM_DATABASE_URL="${NBASIM_TEST_POSTGRES_URL%/*}/$db?sslmode=disable" run postgres "$work/postgres"
fi
echo "== final scores of every archived game vs game_info"
(cd "$root" && NBASIM_ARCHIVE_SEASONS=all go test -count=1 -timeout 90m -v -run TestArchiveFinalScores ./internal/derive/ | grep -E "games|miss|PASS|FAIL")
echo "== Parquet export of the whole SQLite database, read back by DuckDB"
(cd "$work/sqlite" && t export ./nbasim export --out "$work/export" --log-level warn &&
  node "$root/test/duckdb-node/check.mjs" "$work/export")

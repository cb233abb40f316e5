#!/usr/bin/env bash
# Full-size run of the bulk-archive checks (issue 14), the figures of
# docs/benchmarks.md "Bulk archive": import + load of all 14,061 games on
# SQLite and PostgreSQL (wall, CPU, peak RSS, load average), the rerun,
# the games' dates, every game's final score against game_info, and the
# Parquet export read back by DuckDB. CI runs the reduced sizes; this is the
# full one. Needs ../shared/data. Ends with a summary table.
#
#   scripts/archive-full.sh [WORKDIR]
#
# Environment:
#   NBASIM_TEST_POSTGRES_URL  PostgreSQL server (a database is created and dropped); unset: SQLite only
#   ARCHIVE_FULL_SKIP         space-separated parts to skip: sqlite postgres box scores export
#
# Timing runs belong at normal priority on a quiet machine: the summary
# prints the load average before and after each step; CPU (user + sys) is
# the figure that does not depend on other processes.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
data="$root/../shared/data"
skip=" ${ARCHIVE_FULL_SKIP:-} "
mkdir -p "$work"
summary="$work/summary.tsv"
: >"$summary"
nice -n 15 go build -o "$work/nbasim" "$root/cmd/nbasim" # builds at low priority; the runs at the caller's

load1() { cut -d' ' -f1 /proc/loadavg; }
# t ENGINE STEP CMD...: runs CMD, prints its figures and adds them to the summary
t() {
  local engine=$1 step=$2 before out rc=0
  shift 2
  before=$(load1)
  out=$(mktemp)
  /usr/bin/time -o "$out" -f "%e %U %S %M" "$@" >"$out.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    cat "$out.log" >&2
    echo "$engine $step: exit $rc" >&2
    exit "$rc"
  fi
  read -r wall user sys rss <"$out"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$engine" "$step" "$wall" "$user" "$sys" "$rss" "$before" "$(load1)" >>"$summary"
  printf '  %-14s %8.1f s wall  %7.1f s CPU  %5d MB peak RSS  load %s -> %s\n' "$step" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$before" "$(load1)"
  grep -E '^ *(plays|games|events|quarantined) |files: |^load: ' "$out.log" | sed 's/^/    /' || true
  rm -f "$out" "$out.log"
}

run() { # engine dir database
  echo "== $1"
  cd "$2"
  t "$1" import ./nbasim import "$data/archive/legacy_pbp" --log-level warn
  t "$1" import_game_info ./nbasim import "$data/legacy_pbp/game_info_all.jsonl.gz" --log-level warn
  t "$1" load ./nbasim load --log-level warn
  t "$1" import_rerun ./nbasim import "$data/archive/legacy_pbp" --log-level warn
  t "$1" load_rerun ./nbasim load --log-level warn
  echo "  games per season (all / with a date / final):"
  ./nbasim db query "SELECT season, COUNT(*) AS games, COUNT(game_date) AS dated,
      SUM(CASE WHEN status = 'final' THEN 1 ELSE 0 END) AS final
    FROM games GROUP BY season ORDER BY season" --log-level warn | sed 's/^/    /'
  cd - >/dev/null
  echo "  exact counts (TestLoadGameInfoDates on this database):"
  (cd "$root" && NBASIM_ARCHIVE_DB="$3" go test -count=1 -v -run TestLoadGameInfoDates ./internal/load/ | grep -E "games|PASS|FAIL|ok" | sed 's/^/    /')
}

if [[ "$skip" != *" sqlite "* ]]; then
  mkdir -p "$work/sqlite" && cp "$work/nbasim" "$work/sqlite/" && run sqlite "$work/sqlite" "$work/sqlite/data/nbasim.db"
fi
if [ -n "${NBASIM_TEST_POSTGRES_URL:-}" ] && [[ "$skip" != *" postgres "* ]]; then
  db="archive_full_$$"
  psql "$NBASIM_TEST_POSTGRES_URL" -qc "CREATE DATABASE $db"
  trap 'psql "$NBASIM_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $db" || true' EXIT
  mkdir -p "$work/postgres" && cp "$work/nbasim" "$work/postgres/"
  pgurl="${NBASIM_TEST_POSTGRES_URL%/*}/$db?sslmode=disable"
  NBASIM_DATABASE_URL="$pgurl" run postgres "$work/postgres" "$pgurl"
fi
if [[ "$skip" != *" box "* ]] && [ -f "$work/sqlite/data/nbasim.db" ]; then
  echo "== box at a moment on the full SQLite database"
  # 100 cold processes: nbasim box GAME --at "Qn m:ss" on random games and moments
  cp "$work/nbasim" "$work/sqlite/" # this build, also when the sqlite part was skipped (a database copied there)
  cd "$work/sqlite"
  before=$(load1)
  ./nbasim db query "SELECT game_id FROM games ORDER BY random() LIMIT 100" --log-level warn | awk 'NR > 1 && $1 ~ /^00/ { print $1 }' >"$work/box-games.txt"
  : >"$work/box-ms.txt"
  while read -r g; do
    at="Q$((RANDOM % 4 + 1)) $((RANDOM % 12)):$(printf '%02d' $((RANDOM % 60)))"
    t0=$(date +%s%N)
    ./nbasim box "$g" --at "$at" --format json --log-level warn >/dev/null
    echo $((($(date +%s%N) - t0) / 1000000)) >>"$work/box-ms.txt"
  done <"$work/box-games.txt"
  sort -n "$work/box-ms.txt" | awk -v before="$before" -v after="$(load1)" '{ a[NR] = $1 } END {
    printf "  cold nbasim box, %d processes: p50 %d ms, p99 %d ms, max %d ms (target p99 < 100 ms), load %s -> %s\n", NR, a[int(NR * 0.5 + 0.5)], a[int(NR * 0.99 + 0.5)], a[NR], before, after }' |
    tee -a "$work/box-summary.txt"
  cd - >/dev/null
  # 10,000 box_score calls over one MCP session
  before=$(load1)
  (cd "$root" && nice -n 15 go test -c -o "$work/mcpserver.test" ./internal/mcpserver) &&
    before=$(load1) &&
    (NBASIM_MCP_BOX_DB="$work/sqlite/data/nbasim.db" NBASIM_MCP_BOX_GAMES=500 "$work/mcpserver.test" -test.run '^$' -test.bench BoxScoreSession -test.benchtime 1x |
      grep -E "Benchmark|p99" | sed 's/^/  /') | tee -a "$work/box-summary.txt"
  echo "  (MCP target p99 < 2 ms; load $before -> $(load1))" | tee -a "$work/box-summary.txt"
fi
if [[ "$skip" != *" scores "* ]]; then
  echo "== final scores of every archived game vs game_info"
  (cd "$root" && NBASIM_ARCHIVE_SEASONS=all go test -count=1 -timeout 90m -v -run TestArchiveFinalScores ./internal/derive/ |
    grep -E "games|miss|PASS|FAIL|ok" | sed 's/^/  /')
fi
if [[ "$skip" != *" export "* ]] && [ -f "$work/sqlite/data/nbasim.db" ]; then
  echo "== Parquet export of the whole SQLite database, read back by DuckDB"
  (cd "$work/sqlite" && t sqlite export ./nbasim export --out "$work/export" --log-level warn &&
    node "$root/test/duckdb-node/check.mjs" "$work/export" | tail -n 5 | sed 's/^/  /')
fi

echo
echo "== summary ($(date -u +%FT%TZ), $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-9s %-17s %9s %9s %8s %12s\n' engine step wall_s cpu_s rss_mb load_avg_1m
while IFS=$'\t' read -r engine step wall user sys rss before after; do
  printf '%-9s %-17s %9.1f %9.1f %8d %5s->%-5s\n' "$engine" "$step" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$before" "$after"
done <"$summary"
for engine in sqlite postgres; do
  awk -F'\t' -v e="$engine" '$1 == e && ($2 == "import" || $2 == "import_game_info" || $2 == "load") { w += $3; c += $4 + $5 }
    END { if (w > 0) printf "%-9s %-17s %9.1f %9.1f   (targets: SQLite 300 s, PostgreSQL 180 s wall)\n", e, "import+load", w, c }' "$summary"
done
[ -f "$work/box-summary.txt" ] && cat "$work/box-summary.txt"
exit 0

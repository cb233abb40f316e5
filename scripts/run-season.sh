#!/usr/bin/env bash
# Full-size runs of `nbasim run --until-complete --season 2018-19` against the
# replay server (../shared/data with the 2018-19 playbyplayv2 archive), each
# compared with a lake and database filled by hand (fetch, load, verify):
#
#   sqlite    one process, SQLite
#   postgres  three processes sharing one PostgreSQL database (a schema of
#             $PG_URL, default the test server) and one lake
#
#   scripts/run-season.sh [sqlite|postgres|all]     (default all)
#
# Every host is limited to 20 requests/s (burst 4, 4 in flight). The work
# folder ($WORK, default a new temporary folder) keeps the configs, lakes,
# databases, logs, the replay server's request log and the summaries.
# Figures: docs/run.md ("Full-size runs") and the issue's closing note.
set -euo pipefail

mode=${1:-all}
root=$(cd "$(dirname "$0")/.." && pwd)
data=${DATA:-$root/../shared/data}
work=${WORK:-$(mktemp -d /tmp/nbasim-run-season.XXXXXX)}
pg=${PG_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
rate=${RATE:-20}
mkdir -p "$work"
echo "work folder: $work"

cd "$root"
go build -o "$work/nbasim" ./cmd/nbasim
bin=$work/nbasim

"$bin" replay-server "$data" --archives --addr 127.0.0.1:0 --log "$work/replay.log" >"$work/replay.out" 2>"$work/replay.err" &
replay=$!
trap 'kill $replay 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
	grep -q '^replay server:' "$work/replay.out" 2>/dev/null && break
	sleep 0.2
done
base=$(sed -n 's/^replay server: .* at \(http:[^ ]*\)$/\1/p' "$work/replay.out")
[ -n "$base" ] || { echo "replay server did not start"; cat "$work/replay.err"; exit 1; }
echo "replay server at $base"

# config NAME DB: writes $work/NAME/nbasim.yaml
config() {
	local dir=$work/$1
	mkdir -p "$dir"
	{
		echo "lake:"
		echo "  url: file://$dir/lake"
		if [ -n "$2" ]; then
			echo "database:"
			echo "  url: \"$2\""
			echo "  max_conns: 8"
		else
			echo "database:"
			echo "  sqlite_path: $dir/nbasim.db"
		fi
		echo "cache_dir: $dir/cache"
		echo "work_dir: $dir/work"
		echo "seasons: [\"2018-19\"]"
		echo "reconcile:"
		echo "  current_season: \"2025-26\""
		echo "  output_dir: $dir/reports"
		echo "run:"
		echo "  http_addr: \"\""
		echo "sources:"
		for s in nba_stats:stats.nba.com/stats/ nba_live:cdn.nba.com/ espn:site.api.espn.com/apis/site/v2/sports/basketball/nba/ bbref:www.basketball-reference.com/; do
			echo "  ${s%%:*}:"
			echo "    base_url: \"$base/${s#*:}\""
			echo "    rate: $rate"
			echo "    burst: 4"
			echo "    concurrency: 4"
		done
	} >"$dir/nbasim.yaml"
	echo "$dir/nbasim.yaml"
}

reference() {
	local c
	c=$(config reference "")
	[ -f "$work/reference/done" ] && return
	local t0=$SECONDS
	"$bin" --config "$c" fetch schedule --season 2018-19 --source nba_stats,espn,bbref >"$work/reference/fetch-schedule.out" 2>&1
	"$bin" --config "$c" load >"$work/reference/load1.out" 2>&1
	"$bin" --config "$c" fetch season 2018-19 --source nba_stats,bbref >"$work/reference/fetch-season.out" 2>&1
	"$bin" --config "$c" load >"$work/reference/load2.out" 2>&1
	"$bin" --config "$c" verify --all --save >"$work/reference/verify.out" 2>&1
	echo "reference (fetch schedule, load, fetch season, load, verify --all --save): $((SECONDS - t0)) s"
	touch "$work/reference/done"
}

compare() {
	NBASIM_COMPARE_A=$1 NBASIM_COMPARE_B=$work/reference/nbasim.yaml \
		go test ./cmd/nbasim -run '^TestCompareInstallations$' -count=1 -v 2>&1 | grep -v '^{"time' | tee "$2"
}

if [ "$mode" = sqlite ] || [ "$mode" = all ]; then
	c=$(config sqlite "")
	t0=$(date +%s.%N)
	"$bin" --config "$c" --log-format json run --until-complete --season 2018-19 --json >"$work/sqlite/run.json" 2>"$work/sqlite/run.log"
	t1=$(date +%s.%N)
	echo "sqlite, one process: $(echo "$t1 - $t0" | bc) s, exit 0"
	reference
	compare "$c" "$work/sqlite/compare.txt"
fi

if [ "$mode" = postgres ] || [ "$mode" = all ]; then
	schema=nbasim_run_$(date +%s)
	psql "$pg" -qc "CREATE SCHEMA $schema"
	sep='?'
	case $pg in *\?*) sep='&' ;; esac
	c=$(config postgres "$pg${sep}search_path=$schema")
	"$bin" --config "$c" db migrate >/dev/null
	t0=$(date +%s.%N)
	pids=()
	for i in 1 2 3; do
		"$bin" --config "$c" --log-format json run --until-complete --season 2018-19 --json >"$work/postgres/run$i.json" 2>"$work/postgres/run$i.log" &
		pids+=($!)
	done
	rc=0
	for p in "${pids[@]}"; do wait "$p" || rc=$?; done
	t1=$(date +%s.%N)
	echo "postgres, three processes: $(echo "$t1 - $t0" | bc) s, exit $rc"
	reference
	compare "$c" "$work/postgres/compare.txt"
	echo "schema $schema kept; drop it with: psql '$pg' -c 'DROP SCHEMA $schema CASCADE'"
fi

#!/usr/bin/env bash
# End-to-end figures, the first section of docs/benchmarks.md: what a user
# waits for, on a loaded store and a lake that nbasim wrote itself (with its
# .attrs sidecars), not an engine call in a loop.
#
#   scripts/bench-e2e.sh prepare WORK SRC   # copy SRC/nbasim.db and SRC/lake into WORK, migrate, build (nice 15)
#   scripts/bench-e2e.sh build WORK         # rebuild WORK/nbasim and WORK/mcpserver.test from this tree, migrate, pack
#   flock /work/timing.lock nice -n -5 scripts/bench-e2e.sh run WORK
#
# SRC is a data folder of `nbasim import` + `nbasim load` (nbasim.db and
# lake/), e.g. the whole archive. It is only read; WORK gets the copies.
# The binary is built static, as the release image builds it (Dockerfile:
# CGO_ENABLED=0): a default cgo build links the C loader and libc, ~15 %
# more CPU for a cold process (docs/benchmarks.md).
# "run" measures, printing the load average before and after each part:
#   box-cli    100 cold processes `nbasim box GAME --at "Qn m:ss" --format json`
#              on random games and moments: wall p50/p99/max, CPU per process
#   box-mcp    10,000 MCP box_score calls over one session at random (game,
#              moment), games drawn from all the database's games, the server's
#              default cache (mcpserver.DefaultCacheGames): p50/p99/max of all calls, of misses
#              (read + compile) and of hits, with the database in the page
#              cache, a real `nbasim mcp` over stdio driven by:
#              BenchmarkBoxScoreSessionStdio, the go-sdk client;
#              BenchmarkBoxScoreSessionTS, the official TypeScript SDK client
#              (test/mcp-ts/box-session.mjs, node), the client of most hosts;
#              BenchmarkBoxScoreSessionStdioRaw, a client that writes and
#              reads lines only (the server's side); and
#              BenchmarkBoxScoreSession: go-sdk client and server in one
#              process (in-memory transport, the engine-side figure)
#   reconcile  `nbasim reconcile` over the file:// lake (every object and its
#              .attrs sidecar), three runs: wall, CPU, peak RSS
# BENCH_E2E_SKIP: space-separated parts to skip.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cmd=${1:?usage: bench-e2e.sh prepare WORK SRC | build WORK | run WORK}
work=${2:?usage: bench-e2e.sh prepare WORK SRC | build WORK | run WORK}
load() { cut -d' ' -f1-3 /proc/loadavg; }

build() {
	CGO_ENABLED=0 nice -n 15 go build -C "$root" -o "$work/nbasim" ./cmd/nbasim
	CGO_ENABLED=0 nice -n 15 go test -C "$root" -c -o "$work/mcpserver.test" ./internal/mcpserver
	# the TypeScript SDK client of BenchmarkBoxScoreSessionTS (pinned by its lock file)
	[ -f "$root/test/mcp-ts/node_modules/@modelcontextprotocol/sdk/package.json" ] ||
		(cd "$root/test/mcp-ts" && npm ci --no-audit --no-fund --loglevel=error)
}

# ready migrates WORK's database to this tree's schema and packs the plays
# of games loaded before play_packs (docs/store.md, "Play packs"), once:
# nothing to parse.
ready() {
	(cd "$work" && ./nbasim --db nbasim.db --lake "file://$work/lake" db migrate --log-level warn &&
		nice -n 15 ./nbasim --db nbasim.db --lake "file://$work/lake" load --log-level warn >/dev/null)
}

case $cmd in
build)
	work=$(realpath "$work")
	build
	ready
	;;
prepare)
	src=${3:?usage: bench-e2e.sh prepare WORK SRC}
	mkdir -p "$work"
	work=$(realpath "$work")
	build
	rm -rf "$work/lake" "$work/nbasim.db"
	nice -n 15 cp "$src/nbasim.db" "$work/nbasim.db"
	nice -n 15 cp -a "$src/lake" "$work/lake"
	ready
	cd "$work"
	echo "prepared $work: $(find lake -type f | wc -l) lake files ($(find lake -name '*.attrs' | wc -l) .attrs sidecars), $(du -sh nbasim.db | cut -f1) database"
	;;
run)
	work=$(realpath "$work")
	skip=" ${BENCH_E2E_SKIP:-} "
	cd "$work"
	nb=(./nbasim --db nbasim.db --lake "file://$work/lake" --log-level warn)
	echo "== end-to-end, $(date -u +%FT%TZ), $(nproc) cores, $(git -C "$root" rev-parse --short HEAD)"
	if [[ $skip != *" box-cli "* ]]; then
		before=$(load)
		"${nb[@]}" db query "SELECT game_id FROM games WHERE game_id LIKE '00%' ORDER BY random() LIMIT 100" |
			awk 'NR > 1 && $1 ~ /^00/ { print $1 }' >box-games.txt
		: >box-ms.txt
		while read -r g; do
			at="Q$((RANDOM % 4 + 1)) $((RANDOM % 12)):$(printf '%02d' $((RANDOM % 60)))"
			/usr/bin/time -o box-time.txt -f "%e %U %S" "${nb[@]}" box "$g" --at "$at" --format json >/dev/null
			read -r wall user sys <box-time.txt
			echo "$wall $user $sys" >>box-ms.txt
		done <box-games.txt
		sort -n box-ms.txt | awk -v before="$before" -v after="$(load)" '{ w[NR] = $1 * 1000; c += ($2 + $3) * 1000 } END {
			printf "box-cli: %d cold `nbasim box --at` processes: wall p50 %d ms, p99 %d ms, max %d ms; CPU %.0f ms per process; load %s -> %s\n",
				NR, w[int(NR * 0.5 + 0.5)], w[int(NR * 0.99 + 0.5)], w[NR], c / NR, before, after }'
	fi
	if [[ $skip != *" box-mcp "* ]]; then
		# a WORK prepared before play packs gets them here, once (not timed)
		"${nb[@]}" load >/dev/null
		cat nbasim.db >/dev/null # a serving process's database is in the page cache
		# BoxScoreSessionTS twice: a cold session, then after 2,000 calls on one
		# game that warm node's compilers up (not counted)
		for bench in BoxScoreSessionStdioRaw BoxScoreSessionTS BoxScoreSessionTS+2000 BoxScoreSessionStdio BoxScoreSession; do
			warmup=0
			[[ $bench == *+* ]] && warmup=${bench#*+} bench=${bench%+*}
			before=$(load)
			# from the package's folder: the TypeScript client is test/mcp-ts of this tree
			(cd "$root/internal/mcpserver" && NBASIM_MCP_BOX_WARMUP=$warmup NBASIM_MCP_BOX_DB="$work/nbasim.db" NBASIM_MCP_BOX_BIN="$work/nbasim" "$work/mcpserver.test" -test.run '^$' \
				-test.bench "^Benchmark$bench\$" -test.benchtime 1x) >box-mcp.txt 2>&1 || { cat box-mcp.txt; exit 1; }
			echo "box-mcp: $(grep -E '^Benchmark' box-mcp.txt | tr -s ' \t' ' ')load $before -> $(load)"
		done
	fi
	if [[ $skip != *" reconcile "* ]]; then
		objects=$(find lake -type f ! -name '*.attrs' | wc -l)
		for i in 1 2 3; do
			before=$(load)
			/usr/bin/time -o rec-time.txt -f "%e %U %S %M" "${nb[@]}" reconcile >rec-out.txt 2>&1 || { cat rec-out.txt; exit 1; }
			read -r wall user sys rss <rec-time.txt
			printf 'reconcile run %d: %d objects (+ as many .attrs): %.2f s wall, %.2f s CPU, %d MB peak RSS; load %s -> %s\n' \
				"$i" "$objects" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$before" "$(load)"
		done
		grep -iE 'scan|analy|generat|gaps|tasks' rec-out.txt | tail -n 8 | sed 's/^/  /' || true
	fi
	;;
*)
	echo "usage: bench-e2e.sh prepare WORK SRC | build WORK | run WORK" >&2
	exit 2
	;;
esac

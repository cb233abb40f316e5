#!/usr/bin/env bash
# Box at a moment over HTTP under load (issue 13, docs/benchmarks.md "Web"):
# 50 concurrent clients x 200 requests of GET /api/v1/games/{id}/box?elapsed=S
# on random games and moments of a loaded season: one cold round (every game
# read and compiled on its first request), then 10 warm rounds.
#
# End to end (the default, the headline figure): the server is a real
# `nbasim serve` process on the database (SQLite, or PostgreSQL given a URL)
# and the 50 clients run in another process (the TestBoxLoad binary of
# internal/web with NBASIM_WEB_LOAD_URL). MODE "inprocess" runs the server on
# an httptest listener inside the clients' process instead (the older,
# secondary figure); "both" runs the two, end to end first.
# Prints a summary (requests, errors, req/s, p50, p99, max per round, CPU per
# request of the server and of the clients, the load average at start and
# end) and exits non-zero on any error.
#
#   flock /work/timing.lock nice -n -5 scripts/web-load.sh /path/nbasim.db [SEASON [MODE]]
#   nice -n -5 scripts/web-load.sh 'postgres://postgres@127.0.0.1:5432/nbasim_web_load?sslmode=disable' 2018-19
#
# The database needs the season's play-by-play loaded, e.g.:
#   nbasim --lake file://$PWD/lake --db $PWD/nbasim.db import ../shared/data/archive/legacy_pbp/2018-19.tar.zst
#   nbasim --lake file://$PWD/lake --db $PWD/nbasim.db load
# (NBASIM_WEB_LOAD_CLIENTS, NBASIM_WEB_LOAD_REQUESTS, NBASIM_WEB_LOAD_WARM_ROUNDS
# change 50, 200, 10.)
set -euo pipefail
db=${1:?usage: scripts/web-load.sh /path/nbasim.db|postgres://... [SEASON [serve|inprocess|both]]}
case $db in postgres://* | postgresql://*) pg=1 ;; *) pg="" db=$(realpath "$db") ;; esac
season=${2:-2018-19}
mode=${3:-serve}
case $mode in serve | inprocess | both) ;; *) echo "web-load.sh: MODE is serve, inprocess or both, not $mode" >&2 && exit 2 ;; esac
export NBASIM_WEB_LOAD_WARM_ROUNDS=${NBASIM_WEB_LOAD_WARM_ROUNDS:-10}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
server=""
cleanup() {
	if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
# the builds at low priority; the runs at the caller's
nice -n 15 go build -o "$tmp/nbasim" ./cmd/nbasim
nice -n 15 go test -c -o "$tmp/web.test" ./internal/web

# run_clients LABEL: the TestBoxLoad binary with the environment set; prints its summary
run_clients() {
	set +e
	NBASIM_WEB_LOAD_DB=$db NBASIM_WEB_LOAD_SEASON=$season \
		"$tmp/web.test" -test.run '^TestBoxLoad$' -test.count=1 >"$tmp/out" 2>&1
	local rc=$?
	set -e
	echo "== $1"
	grep '^SUMMARY ' "$tmp/out" | sed 's/^SUMMARY //'
	if [ $rc -ne 0 ]; then
		grep -v '^SUMMARY ' "$tmp/out" | tail -20
		exit $rc
	fi
}

if [ "$mode" != inprocess ]; then
	args=(--db "$db" serve --addr 127.0.0.1:0)
	if [ -n "$pg" ]; then args+=(--allow-privileged-role); fi # the scratch database's owner
	# in the temporary folder: no ./nbasim.yaml of the caller's is read
	# gctrace: the server's garbage collections are counted in the summary
	(cd "$tmp" && GODEBUG=${GODEBUG:+$GODEBUG,}gctrace=1 exec "$tmp/nbasim" "${args[@]}") 2>"$tmp/serve.log" &
	server=$!
	url=""
	for _ in $(seq 300); do
		url=$(sed -n 's|^nbasim serve: listening on \(http://[^/ ]*\)/.*|\1|p' "$tmp/serve.log")
		if [ -n "$url" ]; then break; fi
		if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/serve.log" >&2 && exit 1; fi
		sleep 0.1
	done
	if [ -z "$url" ]; then echo "web-load.sh: nbasim serve did not start" >&2 && cat "$tmp/serve.log" >&2 && exit 1; fi
	NBASIM_WEB_LOAD_URL=$url NBASIM_WEB_LOAD_SERVER_PID=$server run_clients "end to end: nbasim serve and the clients in two processes"
	echo "server resident set at the end: $(grep VmRSS /proc/$server/status | awk '{print $2, $3}'); garbage collections: $(grep -c '^gc ' "$tmp/serve.log" || true)"
	# each: the server's age (compare the rounds' "server age at start"), its mark phase's wall time, heap MB before -> after -> live
	echo "  $(grep '^gc ' "$tmp/serve.log" | awk '{split($5, c, "+"); printf "%s %.0f ms %s MB; ", $3, c[2], $11}')"
	kill "$server"
	wait "$server" 2>/dev/null || true
	server=""
fi
if [ "$mode" != serve ]; then
	run_clients "in process: the server on an httptest listener in the clients' process"
fi

#!/usr/bin/env bash
# Box at a moment over HTTP under load (issue 13, docs/benchmarks.md "Web"):
# 50 concurrent clients x 200 requests of GET /api/v1/games/{id}/box?elapsed=S
# on random games and moments of a loaded season, through `nbasim serve`'s
# handler on a read-only handle (SQLite, or PostgreSQL given a URL): one cold round, then 3 warm rounds.
# Prints a summary (requests, errors, req/s, p50, p99, max per round, and the
# load average at start and end) and exits non-zero on any error.
#
#   nice -n -5 scripts/web-load.sh /path/nbasim.db [SEASON]
#   nice -n -5 scripts/web-load.sh 'postgres://postgres@127.0.0.1:5432/nbasim_web_load?sslmode=disable' 2018-19
#
# The database needs the season's play-by-play loaded, e.g.:
#   nbasim --lake file://$PWD/lake --db $PWD/nbasim.db import ../shared/data/archive/legacy_pbp/2018-19.tar.zst
#   nbasim --lake file://$PWD/lake --db $PWD/nbasim.db load
# (NBASIM_WEB_LOAD_CLIENTS, NBASIM_WEB_LOAD_REQUESTS, NBASIM_WEB_LOAD_WARM_ROUNDS change 50, 200, 3.)
set -euo pipefail
db=${1:?usage: scripts/web-load.sh /path/nbasim.db|postgres://... [SEASON]}
case $db in postgres://* | postgresql://*) ;; *) db=$(realpath "$db") ;; esac
season=${2:-2018-19}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
nice -n 15 go test -c -o "$tmp/web.test" ./internal/web # the build at low priority; the run at the caller's
set +e
NBASIM_WEB_LOAD_DB=$db NBASIM_WEB_LOAD_SEASON=$season \
	"$tmp/web.test" -test.run '^TestBoxLoad$' -test.count=1 >"$tmp/out" 2>&1
rc=$?
set -e
grep '^SUMMARY ' "$tmp/out" | sed 's/^SUMMARY //'
if [ $rc -ne 0 ]; then
	grep -v '^SUMMARY ' "$tmp/out" | tail -20
	exit $rc
fi

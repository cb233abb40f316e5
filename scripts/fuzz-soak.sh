#!/usr/bin/env bash
# Runs the fuzz step (scripts/fuzz.sh) ROUNDS times in a row while a second
# `go test ./...` loop loads the machine, and counts the failed rounds: the
# check that the fuzz step cannot flake (issue 18). Logs go to $OUT.
#
#   scripts/fuzz-soak.sh [ROUNDS]     (default 20)
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-20}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/fuzz-soak.XXXXXX")}
mkdir -p "$OUT"

# The load: `go test -count=1 ./...` again and again until the rounds end.
(
	i=0
	while :; do
		i=$((i + 1))
		go test -count=1 ./... >"$OUT/load-$i.log" 2>&1
		echo "load run $i exit $?" >>"$OUT/load.txt"
	done
) &
load_pid=$!
trap 'kill -- -$load_pid 2>/dev/null; pkill -P $load_pid 2>/dev/null; kill $load_pid 2>/dev/null' EXIT

failed=0
start=$SECONDS
for r in $(seq 1 "$rounds"); do
	t0=$SECONDS
	if scripts/fuzz.sh >"$OUT/round-$r.log" 2>&1; then
		res=ok
	else
		res=FAIL
		failed=$((failed + 1))
	fi
	printf 'round %2d/%d %s in %d s (load average %s)\n' "$r" "$rounds" "$res" $((SECONDS - t0)) "$(cut -d' ' -f1 /proc/loadavg)"
done
echo "$((rounds - failed)) passed, $failed failed: $rounds rounds of scripts/fuzz.sh in $((SECONDS - start)) s; logs in $OUT"
[[ -f "$OUT/load.txt" ]] && echo "load: $(wc -l <"$OUT/load.txt") go test ./... runs finished meanwhile"
((failed == 0))

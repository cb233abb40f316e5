#!/usr/bin/env bash
# The project's test command (README): formatting, vet, the whole test
# suite, the race detector on the concurrent packages, and a short run of
# every fuzz target. Works on a laptop without services (those tests skip)
# and under .ci/run (CI=true: a skipped service test fails).
#
#   RACE=all        run the whole suite with -race instead (about 2x slower)
#   FUZZTIME=Nx     executions per fuzz target instead of the budgets in
#                   scripts/fuzz-budgets.txt (0 skips fuzzing; a duration
#                   such as 5s is refused: it races, golang/go#75804)
#   TESTFLAGS=...   extra flags for go test (e.g. -count=1 -v)
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*" >&2; }

step "gofmt"
unformatted=$(find . -name '*.go' -not -path './.ci/work/*' -not -path '*/node_modules/*' -not -path './.git/*' -print0 | xargs -0 gofmt -l)
if [[ -n "$unformatted" ]]; then
	echo "these files are not gofmt-formatted (run: gofmt -w <file>):" >&2
	echo "$unformatted" >&2
	exit 1
fi

step "go vet ./..."
go vet ./...

# A PostgreSQL answering on 127.0.0.1:5432 (trust auth, database test) is
# used when NBASIM_TEST_POSTGRES_URL is unset.
if [[ -z "${NBASIM_TEST_POSTGRES_URL:-}" ]]; then
	local_pg='postgres://postgres@127.0.0.1:5432/test?sslmode=disable'
	if (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null && go run ./scripts/pgping "$local_pg" 2>/dev/null; then
		export NBASIM_TEST_POSTGRES_URL="$local_pg"
		echo "using the PostgreSQL on 127.0.0.1:5432 (NBASIM_TEST_POSTGRES_URL=$local_pg)" >&2
	fi
fi

# go test through scripts/skipreport: the usual output, then the number of
# skipped tests by reason (real data, PostgreSQL, S3, node, ...).
gotest() {
	go build -o "${TMPDIR:-/tmp}/nbasim-skipreport" ./scripts/skipreport
	set +e
	go test -json "$@" | "${TMPDIR:-/tmp}/nbasim-skipreport"
	local rc=("${PIPESTATUS[@]}")
	set -e
	((rc[0] == 0 && rc[1] == 0))
}

# Packages whose tests exercise concurrency; -race runs on them always.
race_pkgs=()
for p in internal/lake internal/timing internal/health internal/logging internal/queue internal/collect internal/source internal/storeopen internal/store; do
	[[ -d $p ]] && race_pkgs+=("./$p/...")
done

read -r -a extra <<<"${TESTFLAGS:-}"
# A package's whole test binary may take longer than go test's default 10 min
# on a loaded 2-core machine (internal/load and internal/reconcile did with a
# load of 40): a hang still ends, a slow machine does not fail.
extra=(-timeout "${TEST_TIMEOUT:-30m}" "${extra[@]}")
if [[ "${RACE:-}" == "all" ]]; then
	step "go test -race ./..."
	gotest -race "${extra[@]}" ./...
else
	step "go test ./..."
	gotest "${extra[@]}" ./...
	if ((${#race_pkgs[@]})); then
		step "go test -race (concurrent packages)"
		go test -race "${extra[@]}" "${race_pkgs[@]}"
	fi
fi

step "quirk rules: each has a test that fails without it (scripts/rulecheck.sh)"
scripts/rulecheck.sh

if [[ "${FUZZTIME:-}" != "0" ]]; then
	step "fuzz targets (scripts/fuzz.sh)"
	scripts/fuzz.sh
fi
echo "all checks passed" >&2

#!/usr/bin/env bash
# The project's test command (README): formatting, vet, the whole test
# suite, the race detector on the concurrent packages, and a short run of
# every fuzz target. Works on a laptop without services (those tests skip)
# and under .ci/run (CI=true: a skipped service test fails).
#
#   RACE=all        run the whole suite with -race instead (about 2x slower)
#   FUZZTIME=5s     time per fuzz target (0 skips fuzzing)
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

# Packages whose tests exercise concurrency; -race runs on them always.
race_pkgs=()
for p in internal/lake internal/timing internal/health internal/logging internal/queue internal/collect internal/source internal/storeopen internal/store; do
	[[ -d $p ]] && race_pkgs+=("./$p/...")
done

read -r -a extra <<<"${TESTFLAGS:-}"
if [[ "${RACE:-}" == "all" ]]; then
	step "go test -race ./..."
	go test -race "${extra[@]}" ./...
else
	step "go test ./..."
	go test "${extra[@]}" ./...
	if ((${#race_pkgs[@]})); then
		step "go test -race (concurrent packages)"
		go test -race "${extra[@]}" "${race_pkgs[@]}"
	fi
fi

step "quirk rules: each has a test that fails without it (scripts/rulecheck.sh)"
scripts/rulecheck.sh

fuzztime=${FUZZTIME:-5s}
if [[ "$fuzztime" != "0" ]]; then
	step "fuzz targets (${fuzztime} each)"
	# `go test -list` prints each package's matching names, then "ok  <pkg>".
	targets=()
	names=()
	while IFS= read -r line; do
		case "$line" in
		Fuzz*) names+=("$line") ;;
		ok*)
			pkg=$(awk '{print $2}' <<<"$line")
			for n in "${names[@]}"; do targets+=("$pkg $n"); done
			names=()
			;;
		esac
	done < <(go test -list '^Fuzz' ./... 2>/dev/null)
	if ((${#targets[@]} == 0)); then
		echo "no fuzz targets" >&2
	fi
	for t in "${targets[@]}"; do
		read -r pkg name <<<"$t"
		echo "fuzz $pkg $name" >&2
		go test -run='^$' -fuzz="^${name}\$" -fuzztime="$fuzztime" "$pkg"
	done
fi
echo "all checks passed" >&2

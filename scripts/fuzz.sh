#!/usr/bin/env bash
# The fuzz step of scripts/test.sh: every Fuzz* target of the module, each
# for its execution budget in scripts/fuzz-budgets.txt.
#
#   FUZZTIME=Nx     the same execution count for every target instead
#   FUZZTIME=0      skip
set -euo pipefail
cd "$(dirname "$0")/.."

# Fuzz targets run for a number of executions, never a duration: a duration
# -fuzztime races in Go's fuzz coordinator at its deadline (golang/go#75804,
# fixed in Go 1.27 only) and fails a target that found nothing with a bare
# "context deadline exceeded". A real finding still fails: the failing input
# is written under testdata/fuzz and go test exits non-zero.
# Minimising a new interesting input is bounded by executions too
# (-fuzzminimizetime, default 60 s of wall clock per input): on a loaded
# machine a duration there stalls a target for minutes at "0/sec" and makes
# the step's length depend on the machine's load.
FUZZ_MINIMIZE_EXECS=${FUZZ_MINIMIZE_EXECS:-500}
DEFAULT_FUZZ_EXECS=2000
fuzztime=${FUZZTIME:-budgets}
if [[ "$fuzztime" != "0" && "$fuzztime" != "budgets" && ! "$fuzztime" =~ ^[0-9]+x$ ]]; then
	echo "FUZZTIME=$fuzztime: want an execution count such as 20000x (a duration races: golang/go#75804), or 0 to skip" >&2
	exit 1
fi
if [[ "$fuzztime" != "0" ]]; then
	echo "fuzz targets (execution budgets: ${fuzztime/budgets/scripts/fuzz-budgets.txt})" >&2
	declare -A budget=()
	while read -r bpkg bname bexecs; do
		[[ -z "$bpkg" || "$bpkg" == \#* ]] && continue
		budget["$bpkg $bname"]=$bexecs
	done <scripts/fuzz-budgets.txt
	module=$(go list -m)
	# Targets are found in the sources (`func FuzzX(f *testing.F)` in a
	# _test.go file), not with `go test -list`, which builds and runs every
	# test binary first (minutes on a loaded 2-core machine).
	targets=()
	while IFS=: read -r file name; do
		dir=$(dirname "$file")
		if grep -q '^//go:build' "$file"; then
			echo "fuzz: $file has a build constraint; its target $name is not run here" >&2
			continue
		fi
		targets+=("$module/${dir#./} $name")
	done < <(grep -rHoP --include='*_test.go' --exclude-dir=.ci --exclude-dir=node_modules --exclude-dir=.git '^func \KFuzz\w+(?=\(f \*testing\.F\))' . | sort -u)
	if ((${#targets[@]} == 0)); then
		echo "no fuzz targets found (go test -list '^Fuzz' ./... listed none)" >&2
		exit 1
	fi
	# A budget whose target no longer exists is an error, not a silent skip.
	declare -A listed=()
	for t in "${targets[@]}"; do listed["${t#"$module"/}"]=1; done
	for k in "${!budget[@]}"; do
		if [[ -z "${listed["$k"]:-}" ]]; then
			echo "scripts/fuzz-budgets.txt: $k is not a fuzz target (renamed or removed?)" >&2
			exit 1
		fi
	done
	fuzz_start=$SECONDS
	for t in "${targets[@]}"; do
		read -r pkg name <<<"$t"
		rel=${pkg#"$module"/}
		if [[ "$fuzztime" != "budgets" ]]; then
			n=$fuzztime
		elif [[ -n "${budget["$rel $name"]:-}" ]]; then
			n=${budget["$rel $name"]}x
		else
			n=${DEFAULT_FUZZ_EXECS}x
			echo "note: $rel $name has no budget in scripts/fuzz-budgets.txt; using $n" >&2
		fi
		echo "fuzz $rel $name ($n)" >&2
		go test -run='^$' -fuzz="^${name}\$" -fuzztime="$n" -fuzzminimizetime="${FUZZ_MINIMIZE_EXECS}x" "$pkg"
	done
	echo "fuzz: ${#targets[@]} targets in $((SECONDS - fuzz_start)) s" >&2
fi

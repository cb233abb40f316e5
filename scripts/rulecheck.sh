#!/usr/bin/env bash
# rulecheck.sh: shows that every quirk rule of internal/pbp has a test that
# fails without it. It switches each rule off in turn
# (NBASIM_PBP_DISABLE_RULES, see internal/pbp/quirks.go) and runs the
# engine's tests; a rule whose removal no test notices is an error.
#
#   scripts/rulecheck.sh            # the engine's tests (internal/pbp, seconds)
#   RULECHECK_REAL=1 scripts/rulecheck.sh   # also the real-game tests of
#                                           # internal/derive (needs ../shared/data, minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/pbp.test" ./internal/pbp
if [[ "${RULECHECK_REAL:-}" == 1 ]]; then
	go test -c -o "$tmp/derive.test" ./internal/derive
fi
rules=$(grep -oP '^\s+Rule\w+\s*=\s*"\K[^"]+' internal/pbp/quirks.go)
[[ -n "$rules" ]] || { echo "rulecheck: no rules found in internal/pbp/quirks.go" >&2; exit 1; }
# the baseline must pass, or a failure below would prove nothing
(cd internal/pbp && "$tmp/pbp.test" -test.count=1 >/dev/null) || { echo "rulecheck: internal/pbp tests fail with every rule on" >&2; exit 1; }
missing=0
printf '%-28s %s\n' rule "tests that failed with the rule disabled"
for r in $rules; do
	failed=$(cd internal/pbp && NBASIM_PBP_DISABLE_RULES=$r "$tmp/pbp.test" -test.count=1 2>&1 | grep -oP -- '--- FAIL: \K\S+' | tr '\n' ' ' || true)
	if [[ "${RULECHECK_REAL:-}" == 1 ]]; then
		failed+=$(cd internal/derive && NBASIM_PBP_DISABLE_RULES=$r "$tmp/derive.test" -test.count=1 -test.run 'Quirk|DuplicateRow' 2>&1 | grep -oP -- '--- FAIL: \K\S+' | sed 's/^/derive:/' | tr '\n' ' ' || true)
	fi
	if [[ -z "$failed" ]]; then
		printf '%-28s %s\n' "$r" "NONE (no test notices this rule)"
		missing=$((missing + 1))
	else
		printf '%-28s %s\n' "$r" "$failed"
	fi
done
if ((missing > 0)); then
	echo "rulecheck: $missing rule(s) without a failing test" >&2
	exit 1
fi
echo "rulecheck: every rule ($(wc -w <<<"$rules")) has a test that fails without it"

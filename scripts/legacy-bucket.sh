#!/usr/bin/env bash
# The nba_simulator bucket, end to end, on a local S3 server (versitygw, as
# .ci/run builds and starts it): a synthetic bucket in the legacy layout,
# reconciled in place (read-only, with the raw listing floor measured in the
# same run), imported into a second bucket on the same endpoint (server-side
# copies), nbasim's lake reconciled with the same expectations, and a second
# import that must write nothing. Figures: docs/legacy.md.
#
#   scripts/legacy-bucket.sh [OBJECTS]     default 173000 (the real bucket: 172,975)
#
# Needs .ci/work/bin/versitygw (.ci/run builds it). Work files go to a
# temporary directory, removed at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-173000}
VGW=${VGW:-.ci/work/bin/versitygw}
[[ -x $VGW ]] || { echo "no $VGW: build it as .ci/run does (GOBIN=\$PWD/.ci/work/bin go install github.com/versity/versitygw/cmd/versitygw@v1.8.0)" >&2; exit 2; }
TMP=$(mktemp -d)
VGW_PID=""
cleanup() {
	[[ -n $VGW_PID ]] && kill "$VGW_PID" 2>/dev/null && wait "$VGW_PID" 2>/dev/null
	[[ -n ${KEEP:-} ]] || rm -rf "$TMP"
}
trap cleanup EXIT
port=""
for _ in $(seq 1 200); do
	p=$((20000 + RANDOM % 30000))
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then port=$p; break; fi
done
mkdir -p "$TMP/s3"
export AWS_ACCESS_KEY_ID=nbasim-legacy AWS_SECRET_ACCESS_KEY=nbasim-legacy-$RANDOM$RANDOM AWS_REGION=us-east-1
ROOT_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID ROOT_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \
	"$VGW" --port "127.0.0.1:$port" --quiet posix "$TMP/s3" >"$TMP/versitygw.log" 2>&1 &
VGW_PID=$!
ep="http://127.0.0.1:$port"
go run ./.ci/mkbucket "$ep" nba-sim-raw-data-lake >&2
go run ./.ci/mkbucket "$ep" nbasim-lake >&2
q="endpoint=$ep&region=us-east-1&use_path_style=true&disable_https=true"
LEGACY="s3://nba-sim-raw-data-lake?$q"
OWN="s3://nbasim-lake?$q"
go build -o "$TMP/nbasim" ./cmd/nbasim
export NBASIM_DATABASE_SQLITE_PATH=$TMP/nbasim.db NBASIM_CACHE_DIR=$TMP/cache NBASIM_RECONCILE_OUTPUT_DIR=$TMP/reports NBASIM_LOG_LEVEL=warn
nb() { "$TMP/nbasim" "$@"; }
t() { local s; s=$(date +%s.%N); "$@"; echo "($(echo "$(date +%s.%N) - $s" | bc) s)" >&2; }

echo "== nbasim synth lake --layout nba_simulator --objects $N (into s3://nba-sim-raw-data-lake)"
t nb synth lake --layout nba_simulator --objects "$N" --lake "$LEGACY"

echo "== nbasim reconcile on the legacy bucket (lake.layout auto, read-only), listing floor first"
NBASIM_LAKE_LAYOUT=auto t nb reconcile --lake "$LEGACY" --listing-floor --dry-run >"$TMP/reconcile-legacy.txt"
grep -E "layout auto|objects listed|not data|Not data|^  [a-z_-]+/ +[0-9]|Copies|items under|import tasks|tasks planned|Overall|Listing floor|reconcile:" "$TMP/reconcile-legacy.txt"

echo "== the same, with the plan written and queued (gaps.json)"
NBASIM_LAKE_LAYOUT=auto nb reconcile --lake "$LEGACY" --json >"$TMP/gaps-legacy.json" 2>/dev/null

echo "== nbasim import of the legacy bucket into s3://nbasim-lake (same endpoint: server-side copies)"
t nb import "$LEGACY" --lake "$OWN" | head -3

echo "== nbasim reconcile on nbasim's lake (its own layout, the nba_simulator expectations)"
NBASIM_LAKE_LAYOUT=nbasim NBASIM_RECONCILE_EXPECTATIONS=nba_simulator nb reconcile --lake "$OWN" --dry-run --json >"$TMP/gaps-own.json" 2>/dev/null
python3 - "$TMP/gaps-legacy.json" "$TMP/gaps-own.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
ca = {(c["source"], c["dataset"], c["season"]): c["present"] for c in a["coverage"]}
cb = {(c["source"], c["dataset"], c["season"]): c["present"] for c in b["coverage"]}
diff = [(k, ca.get(k), cb.get(k)) for k in sorted(set(ca) | set(cb)) if ca.get(k) != cb.get(k)]
print(f"present objects: legacy bucket {a['summary']['present']}, nbasim's lake {b['summary']['present']}; "
      f"{len(ca)} cells, {len(diff)} differ")
for d in diff[:20]:
    print("  differs:", d)
print(f"legacy: unknown {a['unknown_keys']['count']}, not data {sum(n['objects'] for n in a['not_data'])}, "
      f"copies {a['copies']['copies']} ({a['copies']['identical']} identical, {a['copies']['different']} different), "
      f"import tasks {sum(1 for t in a['tasks'] if t['kind'] == 'import')} for {sum(t['count'] for t in a['tasks'] if t['kind'] == 'import')} objects")
sys.exit(1 if diff or a['unknown_keys']['count'] else 0)
EOF

echo "== a second import writes nothing"
t nb import "$LEGACY" --lake "$OWN" | head -2

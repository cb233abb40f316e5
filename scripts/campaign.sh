#!/usr/bin/env bash
# The fleet campaigns of issue 10 at full size (docs/run.md, docs/benchmarks.md):
# 3 PostgreSQL-backed `nbasim run --until-complete --season 2018-19` processes
# against `nbasim replay-server ../shared/data --archives` at 20 requests/s per
# host (burst 2), for the whole 2018-19 season:
#   1. reference: no faults, no kills; a /metrics scrape while it runs;
#   2. --fault-rate 0.2 --faults all: the reference's lake and tables, and no host
#      above its rate in any 1-second window of the replay server's request log;
#   3. kill -9 of a random process every 3-10 s, at least 30 kills, each restarted:
#      the reference's lake and tables, no half-written object.
# CI runs the same test at a reduced size (the season's first dates, 6 kills).
#
#   scripts/campaign.sh                  # full size (about an hour on 2 cores)
#   CAMPAIGN_SIZE=reduced scripts/campaign.sh
#   BENCH=1 scripts/campaign.sh          # also the loop's jobs/s with limits off
#
# Needs PostgreSQL (NBASIM_TEST_POSTGRES_URL, default the local trust server)
# and ../shared/data.
set -euo pipefail
cd "$(dirname "$0")/.."
export NBASIM_TEST_POSTGRES_URL=${NBASIM_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
if [[ "${CAMPAIGN_SIZE:-full}" == "full" ]]; then
	export NBASIM_CAMPAIGN_FULL=1
fi
run='^TestCampaigns$'
if [[ -n "${BENCH:-}" ]]; then
	export NBASIM_BENCH_RUN=1
	run='^(TestCampaigns|TestLoopJobsPerSecond)$'
fi
go test -count=1 -timeout 4h -v -run "$run" ./cmd/nbasim/ 2>&1 | tee "${CAMPAIGN_LOG:-campaign.log}"

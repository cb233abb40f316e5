#!/usr/bin/env bash
# Full-size simulator backtest (docs/sim.md, docs/benchmarks.md "Simulator"):
# every archive season from 2014-15, each predicted walk-forward from the
# seasons before it and its own earlier games, next to the Elo, home and
# logistic baselines. CI runs the reduced size (go test ./internal/sim).
#
#   scripts/sim-backtest.sh [WORKDIR] [N]
#
# WORKDIR (default /tmp/nbasim-sim) gets a file:// lake and a SQLite store;
# an existing store there is reused. N is the number of simulations per
# in-game prediction (default 1000); the pregame predictions run PREGAME_N
# (default 10000, as `nbasim sim GAME` does: at 1,000 the Monte Carlo
# noise alone adds about 0.0002 to the pregame Brier score).
#
# The simulator orders games by games.game_date: the store is the bulk
# archive (`nbasim import archive/legacy_pbp`) with the games' dates from
# legacy_pbp/game_info_all.jsonl.gz (`nbasim import` of that file), as
# scripts/archive-full.sh builds it: 14,060 of its 14,061 games dated (one
# 2014-15 game has no game_info row and is listed as skipped). A prebuilt
# store can be reused: copy its nbasim.db to WORKDIR/data/nbasim.db.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/nbasim-sim}
n=${2:-1000}
pn=${PREGAME_N:-10000}
data=${NBASIM_DATA:-$root/../shared/data}
mkdir -p "$work"
cd "$work"
(cd "$root" && go build -o "$work/nbasim" ./cmd/nbasim)
if [ ! -f data/nbasim.db ]; then
	./nbasim import "$data/archive/legacy_pbp"
	./nbasim import "$data/legacy_pbp/game_info_all.jsonl.gz"
	./nbasim load
fi
seasons=2014-15,2015-16,2016-17,2017-18,2018-19,2019-20,2020-21,2021-22,2022-23,2024-25
/usr/bin/time -v ./nbasim sim backtest --season "$seasons" --n "$n" --pregame-n "$pn" --out "$work/backtest" \
	--predictions "$work/backtest/predictions.csv" | tee "$work/backtest.txt"

#!/usr/bin/env bash
# Times the analyst's typical queries on the canonical views end to end
# (nbasim db query, as a user calls it), one run each, against one database.
#
#   scripts/canonical-views.sh NBASIM DB
#
# NBASIM: the binary; DB: a SQLite path or a postgres:// URL. Prints one line
# per query: seconds, exit code, the last line of the output (rows, or the
# error such as the 30 s statement timeout). docs/store.md, "Canonical views
# at scale", has the figures on the whole archive.
set -u
bin=${1:?usage: scripts/canonical-views.sh NBASIM DB}
db=${2:?usage: scripts/canonical-views.sh NBASIM DB}
queries=(
  "SELECT COUNT(DISTINCT game_id) FROM player_games"
  "SELECT COUNT(*), AVG(off_rtg), AVG(def_rtg), AVG(usg_pct) FROM player_games"
  "SELECT game_id, game_date, pts, off_rtg FROM player_games WHERE player_id = '201939' ORDER BY game_date"
  "SELECT * FROM player_games WHERE game_id = '0021800001'"
  "SELECT name, pts FROM player_games WHERE pts >= 50"
  "SELECT * FROM team_games WHERE season = '2018-19' AND team_code = 'BOS'"
  "SELECT team_code, AVG(pace), AVG(off_rtg), AVG(def_rtg) FROM team_games WHERE season = '2018-19' GROUP BY team_code"
  "SELECT COUNT(*), AVG(pace) FROM team_games"
)
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for q in "${queries[@]}"; do
  start=$(date +%s.%N)
  out=$("$bin" --db "$db" --log-level error db query "$q" 2>&1)
  rc=$?
  end=$(date +%s.%N)
  printf '%7.2f s  rc=%d  %-100s  %s\n' "$(echo "$end - $start" | bc)" "$rc" "$q" "$(printf '%s\n' "$out" | tail -1 | cut -c1-90)"
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

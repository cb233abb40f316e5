package mcpserver

import (
	"context"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// GuideURI is the "how to query" resource.
const GuideURI = "nbasim://guide/how-to-query"

// Guide is the short "how to query" text, served as a resource and a prompt.
const Guide = `# How to query nbasim's NBA database

Use the canonical views; they hold exactly one row per player-game and per team-game:

- player_games: one row per player per game played. The official box line when one is stored,
  else the line derived from play-by-play. Columns: game_id, season, season_type, game_date,
  player_id, name, team_code, side (home/away), opp_code, win, starter, seconds_played (seconds),
  pts, fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, reb, ast, stl, blk, tov, pf, plus_minus,
  ts_pct, efg_pct, usg_pct, ast_pct, orb_pct, drb_pct, trb_pct, stl_pct, blk_pct, tov_pct
  (fractions, 0.556 not 55.6), off_rtg and def_rtg (Dean Oliver's individual ratings, as
  basketball-reference), source, grade.
- team_games: one row per team per game, the team's and the opponent's (opp_*) stats, possessions,
  pace, off_rtg, def_rtg, net_rtg (points per 100 possessions), four factors (efg_pct, tov_pct,
  orb_pct, ft_per_fga), source, grade.
- lineup_games, lineup_seasons, player_on_off, player_on_off_seasons: five-man lineups and each
  player's on/off (seconds, possessions, points for and against, off_rtg/def_rtg/net_rtg per 100
  possessions), summed from the stints table; filled for the games someone stored with
  nbasim lineups --save. The lineups tool computes the same from play-by-play for any game or season.
- games: one row per game with every provider's id (game_id = NBA id 0021800001; espn_id; bbref_id).

Do NOT count over player_box or team_box: they keep every source's line (official boxes of several
providers, derived lines, time windows), so a game appears once per source. Their seconds column
is in tenths of a second.

describe_table <view> documents every column. Examples:

    SELECT name, pts, game_date FROM player_games WHERE pts >= 50 ORDER BY pts DESC;
    SELECT team_code, AVG(pace), AVG(net_rtg) FROM team_games WHERE season = '2018-19' GROUP BY team_code ORDER BY 3 DESC;
    SELECT name, COUNT(*) AS games, AVG(pts) FROM player_games WHERE name LIKE '%Doncic%' GROUP BY name;

Advanced boxes are in player_box_advanced and team_box_advanced (ratings, percentages as
fractions, pace, PIE); game summaries in game_summaries, game_team_summaries, line_scores,
game_officials, game_inactive_players; player biographies in player_info and player_info_seasons.
Every other stats.nba.com endpoint (docs/catalog.md: dashboards, tracking, hustle, ...) is in
stats_rows, one row per result-set row, the row as JSON in row_json:
SELECT result_set, headers FROM stats_result_sets lists them; read a field with
json_extract(row_json, '$.PTS') (SQLite) or row_json::jsonb ->> 'PTS' (PostgreSQL). Shots with their
location are in shots (event_num joins plays.event_num).

Player names keep their accents (Luka Dončić): match with LIKE on a part without accents, or use
the player_id. A box score at any moment of a game: the box_score tool (moment "Q3 7:02.4").
`

func (s *Server) addGuide() {
	s.srv.AddResource(&mcp.Resource{URI: GuideURI, Name: "how-to-query", Title: "How to query nbasim",
		Description: "Start here: which views to query (player_games, team_games), units, examples.", MIMEType: "text/markdown"},
		func(_ context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
			return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: GuideURI, MIMEType: "text/markdown", Text: Guide}}}, nil
		})
	s.srv.AddPrompt(&mcp.Prompt{Name: "how_to_query", Title: "How to query nbasim",
		Description: "Instructions for answering NBA questions from nbasim's database: the canonical views and their units."},
		func(_ context.Context, _ *mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
			return &mcp.GetPromptResult{Description: "How to query nbasim",
				Messages: []*mcp.PromptMessage{{Role: "user", Content: &mcp.TextContent{Text: Guide}}}}, nil
		})
}

package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/readonly"
	"github.com/nbasim/nbasim/internal/teams"
)

// gameRow is one game as the games command prints it (JSON schema:
// docs/json-schemas/games.json).
type gameRow struct {
	GameID     string `json:"game_id"`
	ShortID    string `json:"short_id"`
	Season     string `json:"season"`
	SeasonType string `json:"season_type"`
	GameDate   string `json:"game_date"`
	AwayCode   string `json:"away_code"`
	HomeCode   string `json:"home_code"`
	AwayPts    *int   `json:"away_pts"`
	HomePts    *int   `json:"home_pts"`
	Status     string `json:"status"`
	ESPNID     string `json:"espn_id"`
	BBRefID    string `json:"bbref_id"`
}

type gamesOutput struct {
	Filter map[string]string `json:"filter"`
	Count  int               `json:"count"`
	Games  []gameRow         `json:"games"`
}

var reSeason = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})-(\d{2})$`) })

func newGamesCmd(a *app) *cobra.Command {
	var season, team, date, from, to string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "games",
		Short: "Find games in the database: by season, team, date or date range",
		Long: `List the stored games that match, by date: their NBA id (and short id), teams,
score, status and every provider's id (ESPN, basketball-reference), so that
any of them can be passed to box, verify and load. Reads only.

Exits 1 with a message when nothing matches.`,
		Example: `  nbasim games --season 2018-19 --team BOS
  nbasim games --date 2019-01-05
  nbasim games --season 2023-24 --from 2024-02-01 --to 2024-02-29 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if season == "" && date == "" && from == "" && to == "" {
				return errors.New("games: give --season S (2018-19), --date YYYY-MM-DD or --from/--to")
			}
			if date != "" && (from != "" || to != "") {
				return errors.New("games: --date and --from/--to exclude each other")
			}
			var where []string
			var args []any
			filter := map[string]string{}
			add := func(cond string, v string) {
				args = append(args, v)
				where = append(where, fmt.Sprintf(cond, len(args)))
			}
			if season != "" {
				m := reSeason().FindStringSubmatch(season)
				if m == nil || (int(m[1][2]-'0')*10+int(m[1][3]-'0')+1)%100 != int(m[2][0]-'0')*10+int(m[2][1]-'0') {
					return fmt.Errorf("games: --season %q: want a season like 2018-19", season)
				}
				add("season = $%d", season)
				filter["season"] = season
			}
			if team != "" {
				t, ok := teams.Lookup(team)
				if !ok {
					return fmt.Errorf("games: --team %q: not a team code or name (BOS, LAL, Celtics, ...)", team)
				}
				args = append(args, t.Code, t.NBAID)
				where = append(where, fmt.Sprintf("(home_code = $%d OR away_code = $%d OR home_team_id = $%d OR away_team_id = $%d)",
					len(args)-1, len(args)-1, len(args), len(args)))
				filter["team"] = t.Code
			}
			for _, d := range []struct {
				flag, val, cond string
			}{{"date", date, "game_date = $%d"}, {"from", from, "game_date >= $%d"}, {"to", to, "game_date <= $%d"}} {
				if d.val == "" {
					continue
				}
				if _, err := time.Parse("2006-01-02", d.val); err != nil {
					return fmt.Errorf("games: --%s %q: want a date YYYY-MM-DD", d.flag, d.val)
				}
				add(d.cond, d.val)
				filter[d.flag] = d.val
			}
			db, err := openReadOnly(ctx, a, "", readonly.Options{AllowPrivileged: true})
			if err != nil {
				return fmt.Errorf("games: %w", err)
			}
			defer db.Close()
			q := readonly.Querier(db)
			rows, err := q.Query(ctx, `SELECT game_id, season, season_type, COALESCE(game_date, ''), COALESCE(away_code, ''), COALESCE(home_code, ''),
away_pts, home_pts, status, COALESCE(espn_id, ''), COALESCE(bbref_id, '') FROM games WHERE `+strings.Join(where, " AND ")+
				` ORDER BY game_date, game_id`, args...)
			if err != nil {
				return fmt.Errorf("games: %w", err)
			}
			defer rows.Close()
			out := gamesOutput{Filter: filter, Games: []gameRow{}}
			for rows.Next() {
				var g gameRow
				var ap, hp *int64
				if err := rows.Scan(&g.GameID, &g.Season, &g.SeasonType, &g.GameDate, &g.AwayCode, &g.HomeCode, &ap, &hp, &g.Status, &g.ESPNID, &g.BBRefID); err != nil {
					return fmt.Errorf("games: %w", err)
				}
				g.ShortID = strings.TrimPrefix(g.GameID, "00")
				if ap != nil && hp != nil {
					x, y := int(*ap), int(*hp)
					g.AwayPts, g.HomePts = &x, &y
				}
				out.Games = append(out.Games, g)
			}
			if err := rows.Err(); err != nil {
				return fmt.Errorf("games: %w", err)
			}
			out.Count = len(out.Games)
			if out.Count == 0 {
				return fmt.Errorf("games: no stored game matches %s (nbasim db status counts the loaded games)", describeFilter(filter))
			}
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, out)
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "DATE\tGAME_ID\tMATCHUP\tSCORE\tSTATUS\tESPN_ID\tBBREF_ID")
			for _, g := range out.Games {
				score := ""
				if g.AwayPts != nil {
					score = fmt.Sprintf("%d-%d", *g.AwayPts, *g.HomePts)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s @ %s\t%s\t%s\t%s\t%s\n", g.GameDate, g.GameID, g.AwayCode, g.HomeCode, score, g.Status, g.ESPNID, g.BBRefID)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(w, "%d games\n", out.Count)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&season, "season", "", "season, e.g. 2018-19")
	f.StringVar(&team, "team", "", "team code or name (BOS, LAL, Celtics); either side")
	f.StringVar(&date, "date", "", "one date, YYYY-MM-DD (US local date)")
	f.StringVar(&from, "from", "", "first date, YYYY-MM-DD")
	f.StringVar(&to, "to", "", "last date, YYYY-MM-DD")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func describeFilter(f map[string]string) string {
	var parts []string
	for _, k := range []string{"season", "team", "date", "from", "to"} {
		if v, ok := f[k]; ok {
			parts = append(parts, "--"+k+" "+v)
		}
	}
	return strings.Join(parts, " ")
}

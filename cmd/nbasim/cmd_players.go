package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/readonly"
)

// playerSeason is a player's season in the canonical view player_games.
type playerSeason struct {
	Season string   `json:"season"`
	Teams  []string `json:"teams"`
	Games  int      `json:"games"`
}

// playerRow is one player as the players command prints it (JSON schema:
// docs/json-schemas/players.json).
type playerRow struct {
	PlayerID string         `json:"player_id"`
	Name     string         `json:"name"`
	ESPNID   string         `json:"espn_id"`
	BBRefID  string         `json:"bbref_id"`
	Seasons  []playerSeason `json:"seasons"`
}

type playersOutput struct {
	Query   string      `json:"query"`
	Count   int         `json:"count"`
	Players []playerRow `json:"players"`
}

func newPlayersCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "players NAME",
		Short: "Find players by name (accent- and case-insensitive): ids and seasons",
		Long: `Find the stored players whose name contains NAME, ignoring case and accents
("doncic" finds Luka Dončić), or whose id is NAME (NBA person id, ESPN id,
basketball-reference slug). Prints every id and, from player_games, the
seasons, teams and games played. Reads only; exits 1 when nobody matches.`,
		Example: `  nbasim players doncic
  nbasim players "lebron james" --json
  nbasim players jamesle01`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			raw := strings.Join(args, " ")
			want := model.FoldName(raw)
			if want == "" {
				return errors.New("players: give a name (or part of one) to look for")
			}
			db, err := openReadOnly(ctx, a, "", readonly.Options{AllowPrivileged: true})
			if err != nil {
				return fmt.Errorf("players: %w", err)
			}
			defer db.Close()
			q := readonly.Querier(db)
			rows, err := q.Query(ctx, `SELECT player_id, COALESCE(name, ''), COALESCE(espn_id, ''), COALESCE(bbref_id, '') FROM players`)
			if err != nil {
				return fmt.Errorf("players: %w", err)
			}
			out := playersOutput{Query: raw, Players: []playerRow{}}
			byID := map[string]int{}
			for rows.Next() {
				var p playerRow
				if err := rows.Scan(&p.PlayerID, &p.Name, &p.ESPNID, &p.BBRefID); err != nil {
					rows.Close()
					return fmt.Errorf("players: %w", err)
				}
				id := strings.TrimSpace(raw)
				if strings.Contains(model.FoldName(p.Name), want) || p.PlayerID == id || (p.ESPNID != "" && p.ESPNID == id) ||
					(p.BBRefID != "" && p.BBRefID == id) || p.PlayerID == "espn:"+id || p.PlayerID == "bbref:"+id {
					p.Seasons = []playerSeason{}
					byID[p.PlayerID] = len(out.Players)
					out.Players = append(out.Players, p)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return fmt.Errorf("players: %w", err)
			}
			if len(out.Players) == 0 {
				return fmt.Errorf("players: nobody in the players table matches %q (names are matched without case or accents; nbasim db status counts the loaded players)", raw)
			}
			sort.Slice(out.Players, func(i, j int) bool { return out.Players[i].Name < out.Players[j].Name })
			for i, p := range out.Players {
				byID[p.PlayerID] = i
			}
			// seasons, teams and games from the canonical view
			ids := make([]any, 0, len(out.Players))
			marks := make([]string, 0, len(out.Players))
			for _, p := range out.Players {
				ids = append(ids, p.PlayerID)
				marks = append(marks, fmt.Sprintf("$%d", len(ids)))
			}
			if len(ids) <= 500 {
				srows, err := q.Query(ctx, `SELECT player_id, COALESCE(season, ''), COALESCE(team_code, ''), COUNT(*) FROM player_games
WHERE player_id IN (`+strings.Join(marks, ", ")+`) GROUP BY player_id, season, team_code ORDER BY player_id, season, team_code`, ids...)
				if err != nil {
					return fmt.Errorf("players: %w", err)
				}
				for srows.Next() {
					var id, season, team string
					var n int
					if err := srows.Scan(&id, &season, &team, &n); err != nil {
						srows.Close()
						return fmt.Errorf("players: %w", err)
					}
					p := &out.Players[byID[id]]
					if k := len(p.Seasons); k > 0 && p.Seasons[k-1].Season == season {
						p.Seasons[k-1].Teams = append(p.Seasons[k-1].Teams, team)
						p.Seasons[k-1].Games += n
					} else {
						p.Seasons = append(p.Seasons, playerSeason{Season: season, Teams: []string{team}, Games: n})
					}
				}
				srows.Close()
				if err := srows.Err(); err != nil {
					return fmt.Errorf("players: %w", err)
				}
			}
			out.Count = len(out.Players)
			w := cmd.OutOrStdout()
			if asJSON {
				return writeJSON(w, out)
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tPLAYER_ID\tESPN_ID\tBBREF_ID\tSEASONS (team: games)")
			for _, p := range out.Players {
				var ss []string
				for _, s := range p.Seasons {
					ss = append(ss, fmt.Sprintf("%s %s: %d", s.Season, strings.Join(s.Teams, "/"), s.Games))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Name, p.PlayerID, p.ESPNID, p.BBRefID, strings.Join(ss, ", "))
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintf(w, "%d players\n", out.Count)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

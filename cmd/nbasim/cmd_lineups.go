package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/advanced"
	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/teams"
)

// selectionJSON is what lineups and onoff print before their rows.
type selectionJSON struct {
	Filter  map[string]string `json:"filter"`
	Game    string            `json:"game,omitempty"`
	Games   int               `json:"games"`
	Skipped []advanced.Skip   `json:"skipped"`
	Saved   int64             `json:"stints_saved"`
	Count   int               `json:"count"`
}

// lineupsOutput is what lineups --json prints (docs/json-schemas/lineups.schema.json).
type lineupsOutput struct {
	selectionJSON
	Lineups []advanced.Lineup `json:"lineups"`
}

// onOffOutput is what onoff --json prints (docs/json-schemas/onoff.schema.json).
type onOffOutput struct {
	selectionJSON
	Players []advanced.OnOff `json:"players"`
}

func (r *lineupRun) json(count int) selectionJSON {
	return selectionJSON{Filter: r.filter, Game: r.header, Games: len(r.games), Skipped: r.skips, Saved: r.saved, Count: count}
}

// lineupFlags are the flags lineups and onoff share.
type lineupFlags struct {
	season, team, overrides string
	save, asJSON            bool
}

func (f *lineupFlags) bind(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.season, "season", "", "every game of a season with play-by-play (2018-19), summed per team")
	fl.StringVar(&f.team, "team", "", "one team (BOS, Celtics)")
	fl.StringVar(&f.overrides, "overrides", "", "user overrides file (YAML), on top of the embedded one")
	fl.BoolVar(&f.save, "save", false, "also store the stints (table stints: the views lineup_games, lineup_seasons, player_on_off, player_on_off_seasons)")
	fl.BoolVar(&f.asJSON, "json", false, "print JSON")
}

// lineupRun is a resolved selection and its games' stints.
type lineupRun struct {
	sel    advanced.Selection
	games  []advanced.GameStints
	skips  []advanced.Skip
	saved  int64
	filter map[string]string
	header string // the game the id resolved to
}

// stintsOf resolves the selection, compiles its games from the store's
// play-by-play and, with --save, stores their stints.
func (f *lineupFlags) stintsOf(ctx context.Context, a *app, cmdName string, args []string) (*lineupRun, error) {
	r, err := f.resolve(ctx, a, args)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cmdName, err)
	}
	return r, nil
}

func (f *lineupFlags) resolve(ctx context.Context, a *app, args []string) (*lineupRun, error) {
	r := &lineupRun{filter: map[string]string{}}
	sel, filter := &r.sel, r.filter
	if (len(args) == 0) == (f.season == "") {
		return nil, errors.New("give a GAME or --season S (not both)")
	}
	if f.season != "" {
		if !reSeason().MatchString(f.season) {
			return nil, fmt.Errorf("--season %q: want a season like 2018-19", f.season)
		}
		sel.Season = f.season
		filter["season"] = f.season
	}
	if f.team != "" {
		t, ok := teams.Lookup(f.team)
		if !ok {
			return nil, fmt.Errorf("--team %q: not a team code or name (BOS, LAL, Celtics, ...)", f.team)
		}
		sel.TeamID, sel.TeamCode = t.NBAID, t.Code
		filter["team"] = t.Code
	}
	ov, err := pbp.LoadOverrides(f.overrides)
	if err != nil {
		return nil, err
	}
	s, err := a.Store(ctx)
	if err != nil {
		return nil, err
	}
	if len(args) > 0 {
		gr, err := gameref.Resolve(ctx, s, args[0])
		if err != nil {
			return nil, err
		}
		sel.GameID = gr.GameID
		filter["game_id"] = gr.GameID
		r.header = gameHeader(gr.GameID, &gr)
	}
	ids, err := sel.Games(ctx, s)
	if err != nil {
		return nil, err
	}
	games, skips, err := advanced.FromStore(ctx, s, ids, ov)
	if err != nil {
		return nil, err
	}
	r.games, r.skips = games, skips
	if len(games) == 0 {
		return nil, fmt.Errorf("no game could be derived: %s", skips[0].Reason)
	}
	if r.skips == nil {
		r.skips = []advanced.Skip{}
	}
	if f.save {
		if r.saved, err = advanced.SaveStints(ctx, s, games); err != nil {
			return nil, fmt.Errorf("--save: %w", err)
		}
	}
	return r, nil
}

func newLineupsCmd(a *app) *cobra.Command {
	var f lineupFlags
	var minSeconds float64
	var limit int
	cmd := &cobra.Command{
		Use:   "lineups [GAME]",
		Short: "Five-man lineups of a game or a season: minutes, possessions, points and ratings per 100 possessions",
		Long: `Sum the play-by-play engine's stints (each stretch a team's five did not
change) per lineup: time together, possessions of both teams, points for and
against, and points per 100 possessions (off_rtg, def_rtg, net_rtg).
A possession belongs to the five on the court when the event that ends it
happens, so a team's lineups hold exactly its possessions and points
(docs/advanced.md, "Lineups and on/off").

GAME is any game id (NBA 0021800001, short 21800001, ESPN, basketball-reference);
--season sums every game of the season with play-by-play in the database.
Reads the stored plays; --save also stores the stints for the SQL views.`,
		Example: `  nbasim lineups 0021800001
  nbasim lineups --season 2018-19 --team MIL --min-seconds 6000
  nbasim lineups 21800001 --json --save`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := f.stintsOf(cmd.Context(), a, "lineups", args)
			if err != nil {
				return err
			}
			sel := r.sel
			if minSeconds < 0 || limit < 0 {
				return errors.New("lineups: --min-seconds and --limit must not be negative")
			}
			sel.MinSeconds = minSeconds
			ls := sel.FilterLineups(advanced.Lineups(r.games, sel.GameID != ""))
			if limit > 0 && len(ls) > limit {
				ls = ls[:limit]
			}
			out := lineupsOutput{selectionJSON: r.json(len(ls)), Lineups: ls}
			if f.asJSON {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			return writeLineupsTable(cmd.OutOrStdout(), out)
		},
	}
	f.bind(cmd)
	cmd.Flags().Float64Var(&minSeconds, "min-seconds", 0, "only lineups that played at least this many seconds together")
	cmd.Flags().IntVar(&limit, "limit", 0, "print at most this many lineups per selection (0: all)")
	return cmd
}

func newOnOffCmd(a *app) *cobra.Command {
	var f lineupFlags
	var player string
	cmd := &cobra.Command{
		Use:   "onoff [GAME]",
		Short: "Each player's on/off: his team per 100 possessions with him on the court and off it",
		Long: `For each player, the team's time, possessions and points with him on the court
and with him off it (in the games he played), the ratings per 100 possessions
of each, and net_rtg_diff = on net rating - off net rating. From the
play-by-play engine's stints (docs/advanced.md, "Lineups and on/off").

GAME is any game id; --season sums the player's games of the season with one
team (a traded player has a row per team).`,
		Example: `  nbasim onoff 0021800001
  nbasim onoff --season 2018-19 --player antetokounmpo
  nbasim onoff --season 2018-19 --team TOR --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := f.stintsOf(cmd.Context(), a, "onoff", args)
			if err != nil {
				return err
			}
			sel := r.sel
			if player != "" {
				sel.Player = model.FoldName(player)
				r.filter["player"] = player
			}
			os := sel.FilterOnOffs(advanced.OnOffs(r.games, sel.GameID != ""))
			if len(os) == 0 && player != "" {
				return fmt.Errorf("onoff: no player matching %q in the selected games", player)
			}
			out := onOffOutput{selectionJSON: r.json(len(os)), Players: os}
			if f.asJSON {
				return writeJSON(cmd.OutOrStdout(), out)
			}
			return writeOnOffTable(cmd.OutOrStdout(), out)
		},
	}
	f.bind(cmd)
	cmd.Flags().StringVar(&player, "player", "", "players whose name contains this (accent- and case-insensitive), or a player id")
	return cmd
}

func rtg(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f", *v)
}

func writeSelectionHeader(w io.Writer, game string, games int, skips []advanced.Skip, saved int64) {
	if game != "" {
		fmt.Fprintln(w, game)
	} else {
		fmt.Fprintf(w, "%d games\n", games)
	}
	for _, s := range skips {
		fmt.Fprintf(w, "skipped %s: %s\n", s.GameID, s.Reason)
	}
	if saved > 0 {
		fmt.Fprintf(w, "stored %d stints\n", saved)
	}
}

func writeLineupsTable(w io.Writer, out lineupsOutput) error {
	writeSelectionHeader(w, out.Game, out.Games, out.Skipped, out.Saved)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TEAM\tGP\tMIN\tPOSS\tOPP POSS\tPTS\tOPP PTS\tORTG\tDRTG\tNET\tLINEUP")
	for _, l := range out.Lineups {
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t%s\n", l.TeamCode, l.Games, l.Seconds/60, l.PossFor, l.PossAgainst,
			l.PtsFor, l.PtsAgainst, rtg(l.OffRtg), rtg(l.DefRtg), rtg(l.NetRtg), strings.Join(l.Players, ", "))
	}
	return tw.Flush()
}

func writeOnOffTable(w io.Writer, out onOffOutput) error {
	writeSelectionHeader(w, out.Game, out.Games, out.Skipped, out.Saved)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TEAM\tPLAYER\tGP\tON MIN\tON ORTG\tON DRTG\tON NET\tOFF MIN\tOFF ORTG\tOFF DRTG\tOFF NET\tDIFF")
	for _, o := range out.Players {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%s\t%s\t%s\t%.1f\t%s\t%s\t%s\t%s\n", o.TeamCode, o.Name, o.Games,
			o.On.Seconds/60, rtg(o.On.OffRtg), rtg(o.On.DefRtg), rtg(o.On.NetRtg),
			o.Off.Seconds/60, rtg(o.Off.OffRtg), rtg(o.Off.DefRtg), rtg(o.Off.NetRtg), rtg(o.NetDiff))
	}
	return tw.Flush()
}

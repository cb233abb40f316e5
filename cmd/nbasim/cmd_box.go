package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/nbasim/nbasim/internal/derive"
	"github.com/nbasim/nbasim/internal/gameref"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/moment"
	"github.com/nbasim/nbasim/internal/pbp"
)

func newBoxCmd(a *app) *cobra.Command {
	var (
		at, file, provider, format, overrides string
		elapsed                               string
		event                                 int
		rng                                   []string
		save, stints, asJSON                  bool
	)
	cmd := &cobra.Command{
		Use:   "box GAME_ID",
		Short: "Box score of a game at any moment, or of a window, derived from play-by-play",
		Long: `Derive the box score of a game from its play-by-play: the final box, the box at
any moment, or the box of a time window. The engine keeps a state snapshot at
every period start and replays the events since, so any moment costs a
fraction of a millisecond (docs/pbp-engine.md).

Plays come from the store (the plays table that nbasim load writes) or, with
--file, straight from a raw provider file (playbyplayv2/v3, liveData, ESPN
summary).`,
		Example: `  nbasim box 0021800001
  nbasim box 0021800001 --at "Q3 7:02.4"
  nbasim box 0021800001 --elapsed 1978.6 --format json
  nbasim box 0021800001 --event 245
  nbasim box 0021600270 --range "OT1 5:00" --range "OT1 4:46"
  nbasim box 0022000001 --at "Q4 2:00" --file ../shared/data/nba_live/liveData/playbyplay/playbyplay_0022000001.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			defer shortLived()()
			ctx := cmd.Context()
			gameID := args[0]
			var resolved *gameref.Resolved
			set := 0
			for _, f := range []string{"at", "elapsed", "event", "range"} {
				if cmd.Flags().Changed(f) {
					set++
				}
			}
			if set > 1 {
				return errors.New("box: use one of --at, --elapsed, --event, --range")
			}
			if asJSON {
				format = "json"
			}
			switch format {
			case "table", "json", "csv":
			default:
				return fmt.Errorf("box: --format %q: want table, json or csv", format)
			}
			ov, err := pbp.LoadOverrides(overrides)
			if err != nil {
				return fmt.Errorf("box: %w", err)
			}
			var g *model.Game
			if file != "" {
				res, kind, err := derive.ReadFile(file, gameID)
				if err != nil {
					return fmt.Errorf("box: %w", err)
				}
				if res.PBP == nil {
					return fmt.Errorf("box: %s (%s) holds no play-by-play", file, kind)
				}
				g = res.PBP
				if ref, err := gameref.Parse(gameID); err == nil && (ref.Kind == gameref.NBA || ref.Kind == gameref.Short) {
					gameID = ref.ID
				}
			} else {
				open := a.StoreRead // one indexed read: no migration work, no writer
				if save {
					open = a.Store
				}
				s, err := open(ctx)
				if err != nil {
					return fmt.Errorf("box: %w (or pass --file PATH to read a raw provider file)", err)
				}
				r, err := gameref.Resolve(ctx, s, gameID)
				if err != nil {
					return fmt.Errorf("box: %w", err)
				}
				resolved, gameID = &r, r.GameID
				if g, err = derive.GameFromStore(ctx, s, gameID, provider); err != nil {
					return fmt.Errorf("box: %w", err)
				}
			}
			c := pbp.Compile(g, ov)
			if stints {
				return writeStints(cmd.OutOrStdout(), c, format)
			}
			last := c.FinalState().Period
			if last < 4 {
				last = 4
			}
			var out boxOutput
			out.GameID = gameID
			out.Game = gameHeader(gameID, resolved)
			out.Provider = g.Provider
			out.Degraded, out.Reasons = c.Degraded, c.Reasons
			switch {
			case cmd.Flags().Changed("at"):
				m, err := moment.Parse(at)
				if err != nil {
					return fmt.Errorf("box: --at: %w", err)
				}
				if err := m.Check(gameID, last); err != nil {
					return fmt.Errorf("box: --at: %w", err)
				}
				t := m.Elapsed()
				out.Moment = m.String()
				out.at = &t
				out.Box = c.BoxAt(pbp.AtElapsed(t))
				out.lineupAt(c, pbp.AtElapsed(t))
			case cmd.Flags().Changed("elapsed"):
				t, err := moment.ParseElapsed(elapsed)
				if err != nil {
					return fmt.Errorf("box: --elapsed: %w", err)
				}
				if err := moment.CheckElapsed(gameID, t, last); err != nil {
					return fmt.Errorf("box: --elapsed: %w", err)
				}
				out.Moment = moment.FromElapsed(t, last).String()
				out.at = &t
				out.Box = c.BoxAt(pbp.AtElapsed(t))
				out.lineupAt(c, pbp.AtElapsed(t))
			case cmd.Flags().Changed("event"):
				idx := -1
				for i, e := range c.Events {
					if e.EventNum == event {
						idx = i
					}
				}
				if idx < 0 {
					return fmt.Errorf("box: game %s has no event number %d", gameID, event)
				}
				e := c.Events[idx]
				out.Moment = fmt.Sprintf("after event %d (%s): %s", event, moment.Moment{Period: e.Period, Clock: e.Clock}, e.Description)
				el := e.Elapsed
				out.at = &el
				out.Box = c.BoxAt(pbp.Moment{Event: idx})
				out.lineupAt(c, pbp.Moment{Event: idx})
			case cmd.Flags().Changed("range"):
				ends := rng
				if len(ends) == 1 {
					ends = strings.SplitN(ends[0], ",", 2)
				}
				if len(ends) != 2 {
					return errors.New(`box: --range needs START and END: --range "Q3 12:00" --range "Q3 7:02.4"`)
				}
				from, err := parseEnd(gameID, ends[0], last)
				if err != nil {
					return fmt.Errorf("box: --range start: %w", err)
				}
				to, err := parseEnd(gameID, ends[1], last)
				if err != nil {
					return fmt.Errorf("box: --range end: %w", err)
				}
				if to < from {
					return fmt.Errorf("box: --range ends (%s) before it starts (%s)", to, from)
				}
				out.Moment = fmt.Sprintf("window %s - %s (elapsed, both ends included)", from, to)
				out.Box = c.Window(pbp.BeforeElapsed(from), pbp.AtElapsed(to))
			default:
				out.Moment = "final"
				out.Box = c.Final()
				end := c.FinalState().Elapsed
				out.at = &end
				out.lineupAt(c, pbp.AtElapsed(c.FinalState().Elapsed))
			}
			if save {
				s, err := a.Store(ctx)
				if err != nil {
					return fmt.Errorf("box: --save: %w", err)
				}
				if err := derive.SaveDerived(ctx, s, out.Box); err != nil {
					return fmt.Errorf("box: --save: %w", err)
				}
			}
			w := cmd.OutOrStdout()
			switch format {
			case "json":
				return writeJSON(w, out.json())
			case "csv":
				return writeBoxCSV(w, out.Box)
			}
			return writeBoxTable(w, out)
		},
	}
	f := cmd.Flags()
	f.StringVar(&at, "at", "", `moment: period and clock remaining, "Q3 7:02.4", "OT1 2:00"`)
	f.StringVar(&elapsed, "elapsed", "", "moment: seconds of game time since the opening tip (1978.6)")
	f.IntVar(&event, "event", 0, "moment: just after the event with this provider event number")
	f.StringArrayVar(&rng, "range", nil, `window: --range START --range END (each a moment or elapsed seconds; or "START,END")`)
	f.StringVar(&file, "file", "", "read the play-by-play from this raw provider file instead of the store")
	f.StringVar(&provider, "provider", "", "play-by-play provider in the store (default: the preferred one the store holds)")
	f.StringVar(&format, "format", "table", "output: table, json or csv")
	f.BoolVar(&asJSON, "json", false, "print JSON (the same as --format json)")
	f.StringVar(&overrides, "overrides", "", "user overrides file (YAML), on top of the embedded one")
	f.BoolVar(&save, "save", false, "also store the derived box (source derived)")
	f.BoolVar(&stints, "stints", false, "list the game's stints (each five-man unit's stretch on the court, with points for and against) instead of a box")
	return cmd
}

// parseEnd reads a window end: a moment ("Q3 7:02.4") or elapsed seconds,
// inside a game whose last period is last.
func parseEnd(gameID, s string, last int) (model.Tenths, error) {
	t, err := moment.ParseEnd(s)
	if err != nil {
		return 0, err
	}
	return t, moment.CheckElapsed(gameID, t, last)
}

// gameHeader describes the game a command resolved to.
func gameHeader(gameID string, r *gameref.Resolved) string {
	if r == nil {
		return gameID
	}
	return r.Describe()
}

// boxOutput is what box computed; its JSON form is boxJSON.
type boxOutput struct {
	GameID   string
	Game     string // the game the id resolved to, in words
	Provider string
	Moment   string
	Degraded bool
	Reasons  []string
	OnCourt  [2][]string // home, away
	Box      model.Box
	at       *model.Tenths // the moment's elapsed game time, when the box is at a moment
}

func (o *boxOutput) lineupAt(c *pbp.Compiled, m pbp.Moment) {
	var s pbp.State
	c.StateAt(&s, m)
	for k, side := range []model.Side{model.Home, model.Away} {
		for _, p := range s.On[side] {
			if p >= 0 {
				info := c.Players[p]
				name := info.Name
				if name == "" {
					name = string(info.ID)
				}
				o.OnCourt[k] = append(o.OnCourt[k], name)
			}
		}
	}
}

func mmss(t model.Tenths) string {
	s := int(t / 10)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

func writeBoxTable(w io.Writer, o boxOutput) error {
	b := o.Box
	fmt.Fprintf(w, "%s\n%s: %s %d - %d %s\n", o.Game, o.Moment, teamName(b.Away), b.Away.PTS, b.Home.PTS, teamName(b.Home))
	if o.Degraded {
		fmt.Fprintf(w, "degraded: %s\n", strings.Join(o.Reasons, "; "))
	}
	for _, side := range []model.Side{model.Away, model.Home} {
		tl := b.Home
		k := 0
		if side == model.Away {
			tl = b.Away
			k = 1
		}
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', tabwriter.AlignRight)
		fmt.Fprintf(tw, "%s\tMIN\tPTS\tFG\t3P\tFT\tOREB\tDREB\tREB\tAST\tSTL\tBLK\tTOV\tPF\t+/-\t\n", teamName(tl))
		for _, l := range b.Players {
			if l.Side != side {
				continue
			}
			name := l.Name
			if name == "" {
				name = string(l.PlayerID)
			}
			if l.Starter {
				name = "* " + name
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%d-%d\t%d-%d\t%d-%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%+d\t\n", name, mmss(l.Seconds), l.PTS,
				l.FGM, l.FGA, l.FG3M, l.FG3A, l.FTM, l.FTA, l.OREB, l.DREB, l.REB, l.AST, l.STL, l.BLK, l.TOV, l.PF, l.PlusMinus)
		}
		fmt.Fprintf(tw, "TEAM\t%s\t%d\t%d-%d\t%d-%d\t%d-%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\t\n", mmss(tl.Seconds), tl.PTS,
			tl.FGM, tl.FGA, tl.FG3M, tl.FG3A, tl.FTM, tl.FTA, tl.OREB, tl.DREB, tl.REB, tl.AST, tl.STL, tl.BLK, tl.TOV, tl.PF)
		if err := tw.Flush(); err != nil {
			return err
		}
		ppp := ""
		if tl.Possessions > 0 {
			ppp = fmt.Sprintf(", %.3f points per possession", float64(tl.PTS)/float64(tl.Possessions))
		}
		fmt.Fprintf(w, "team rebounds %d off / %d def, team turnovers %d (in TOV), possessions %d%s\n", tl.TeamOREB, tl.TeamDREB, tl.TeamTOV, tl.Possessions, ppp)
		if len(o.OnCourt[k]) > 0 {
			fmt.Fprintf(w, "on court: %s\n", strings.Join(o.OnCourt[k], ", "))
		}
	}
	return nil
}

func teamName(t model.TeamLine) string {
	if t.Code != "" {
		return t.Code
	}
	if t.TeamID != "" {
		return t.TeamID
	}
	return t.Side.String()
}

func writeBoxCSV(w io.Writer, b model.Box) error {
	cw := csv.NewWriter(w)
	head := append([]string{"game_id", "scope", "side", "team", "player_id", "name", "starter", "seconds"}, model.StatNames...)
	head = append(head, "PLUS_MINUS")
	if err := cw.Write(head); err != nil {
		return err
	}
	scope := "game"
	if b.From != 0 || b.To != 0 {
		scope = fmt.Sprintf("range:%d-%d", b.From, b.To)
	}
	row := func(side model.Side, team, id, name string, starter bool, s model.Stats) error {
		r := []string{b.GameID, scope, side.String(), team, id, name, strconv.FormatBool(starter), strconv.FormatFloat(s.Seconds.Seconds(), 'f', 1, 64)}
		for _, v := range s.Values() {
			r = append(r, strconv.Itoa(v))
		}
		r = append(r, strconv.Itoa(s.PlusMinus))
		return cw.Write(r)
	}
	for _, l := range b.Players {
		t := b.Home
		if l.Side == model.Away {
			t = b.Away
		}
		if err := row(l.Side, teamName(t), string(l.PlayerID), l.Name, l.Starter, l.Stats); err != nil {
			return err
		}
	}
	for _, t := range []model.TeamLine{b.Away, b.Home} {
		if err := row(t.Side, teamName(t), "", "TEAM", false, t.Stats); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

type stintOut struct {
	Side               string   `json:"side"`
	Period             int      `json:"period"`
	FromClock          string   `json:"from_clock"` // clock remaining in the period
	ToClock            string   `json:"to_clock"`
	FromElapsedSeconds float64  `json:"from_elapsed_seconds"`
	ToElapsedSeconds   float64  `json:"to_elapsed_seconds"`
	DurationSeconds    float64  `json:"duration_seconds"`
	Players            []string `json:"players"`
	PtsFor             int      `json:"pts_for"`
	PtsAgainst         int      `json:"pts_against"`
}

func writeStints(w io.Writer, c *pbp.Compiled, format string) error {
	name := func(id model.PlayerID) string {
		if i := c.Index(id); i >= 0 && c.Players[i].Name != "" {
			return c.Players[i].Name
		}
		return string(id)
	}
	clock := func(p int, t model.Tenths) string {
		return (model.PeriodStart(p) + model.PeriodLength(p) - t).String()
	}
	out := []stintOut{}
	for _, st := range c.Stints() {
		o := stintOut{Side: st.Side.String(), Period: st.Period, FromClock: clock(st.Period, st.From), ToClock: clock(st.Period, st.To),
			FromElapsedSeconds: st.From.Seconds(), ToElapsedSeconds: st.To.Seconds(),
			DurationSeconds: (st.To - st.From).Seconds(), PtsFor: st.PtsFor, PtsAgainst: st.PtsAgainst, Players: []string{}}
		for _, p := range st.Players {
			if p != "" {
				o.Players = append(o.Players, name(p))
			}
		}
		out = append(out, o)
	}
	switch format {
	case "json":
		return writeJSON(w, out)
	case "csv":
		cw := csv.NewWriter(w)
		_ = cw.Write([]string{"side", "period", "from_clock", "to_clock", "duration_seconds", "players", "pts_for", "pts_against"})
		for _, o := range out {
			_ = cw.Write([]string{o.Side, strconv.Itoa(o.Period), o.FromClock, o.ToClock, strconv.FormatFloat(o.DurationSeconds, 'f', 1, 64),
				strings.Join(o.Players, ";"), strconv.Itoa(o.PtsFor), strconv.Itoa(o.PtsAgainst)})
		}
		cw.Flush()
		return cw.Error()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SIDE\tPER\tFROM\tTO\tMIN\tFOR\tAGN\t+/-\tPLAYERS")
	for _, o := range out {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d\t%d\t%+d\t%s\n", o.Side, o.Period, o.FromClock, o.ToClock, mmss(model.Tenths(math.Round(o.DurationSeconds*10))),
			o.PtsFor, o.PtsAgainst, o.PtsFor-o.PtsAgainst, strings.Join(o.Players, ", "))
	}
	return tw.Flush()
}

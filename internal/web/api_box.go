package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/nbasim/nbasim/internal/gamecache"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// compiled returns the compiled game from the cache, reading and
// compiling it on a miss. provider "" is the preferred provider the store
// holds (derive.ProviderPreference), the same game `nbasim box` derives.
func (s *Server) compiled(ctx context.Context, gameID, provider string) (*pbp.Compiled, error) {
	return s.compiledFrom(ctx, s.games, gameID, provider)
}

// compiledFrom is compiled with the games of src (s.games or s.folds).
func (s *Server) compiledFrom(ctx context.Context, src *gamecache.Source, gameID, provider string) (*pbp.Compiled, error) {
	c, err := src.Get(ctx, gameID, provider)
	if err != nil && strings.Contains(err.Error(), "no plays") {
		if provider != "" {
			return nil, notFound("provider", "%v", err)
		}
		return nil, notFound("game_id", "%v", err)
	}
	return c, err
}

// gameFor resolves a typed game id and returns its compiled game from
// src (s.games, or s.folds for a caller that only folds it). A canonical
// NBA id whose game is cached costs no database read at all: a box at a
// moment is then a fold.
func (s *Server) gameFor(ctx context.Context, src *gamecache.Source, raw, provider string) (string, *pbp.Compiled, error) {
	if len(raw) == 10 && isDigits(raw) {
		if c, ok := src.Lookup(raw, provider); ok {
			return raw, c, nil
		}
	}
	id, err := resolveGame(ctx, s.q, raw)
	if err != nil {
		return "", nil, err
	}
	c, err := s.compiledFrom(ctx, src, id, provider)
	return id, c, err
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// MomentOut says which moment a box is at.
type MomentOut struct {
	Kind               string   `json:"kind"` // final, at, elapsed, event, window
	Label              string   `json:"label"`
	ElapsedSeconds     float64  `json:"elapsed_seconds"`
	Period             int      `json:"period"`
	ClockSeconds       float64  `json:"clock_seconds"` // remaining in the period
	EventNum           *int     `json:"event_num,omitempty"`
	FromElapsedSeconds *float64 `json:"from_elapsed_seconds,omitempty"`
	ToElapsedSeconds   *float64 `json:"to_elapsed_seconds,omitempty"`
}

// StatLine is the counting stats of a box line (the shape the CLI shares).
type StatLine = model.StatLine

func statLine(s model.Stats) StatLine { return model.StatLineOf(s) }

// PlayerBoxLine is a player's line.
type PlayerBoxLine struct {
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
	Side     string `json:"side"`
	Starter  bool   `json:"starter"`
	DNP      bool   `json:"dnp"`
	StatLine
}

// TeamBoxLine is a team's line.
type TeamBoxLine struct {
	TeamID   string `json:"team_id"`
	Code     string `json:"code"`
	Side     string `json:"side"`
	TeamOREB int    `json:"team_oreb"`
	TeamDREB int    `json:"team_dreb"`
	TeamTOV  int    `json:"team_tov"`
	Poss     int    `json:"possessions"`
	StatLine
}

// OnCourtPlayer is one of the five on the court.
type OnCourtPlayer struct {
	PlayerID string `json:"player_id"`
	Name     string `json:"name"`
}

// HomeAway is one value per team (JSON keys in sorted order, away first).
type HomeAway[T any] struct {
	Away T `json:"away"`
	Home T `json:"home"`
}

// BoxOut is GET /api/v1/games/{game_id}/box.
type BoxOut struct {
	GameID          string                    `json:"game_id"`
	Provider        string                    `json:"provider"`
	Moment          MomentOut                 `json:"moment"`
	Score           HomeAway[int]             `json:"score"`
	Degraded        bool                      `json:"degraded"`
	DegradedReasons []string                  `json:"degraded_reasons"`
	Teams           HomeAway[TeamBoxLine]     `json:"teams"`
	Players         []PlayerBoxLine           `json:"players"`  // in the engine's order (as `nbasim box` prints them)
	OnCourt         HomeAway[[]OnCourtPlayer] `json:"on_court"` // empty for a window

	scratch *boxScratch // the pooled memory it lives in, if any
}

func sideName(s model.Side) string {
	switch s {
	case model.Home:
		return "home"
	case model.Away:
		return "away"
	}
	return "none"
}

// maxElapsed bounds ?elapsed= and window ends: 4 quarters and 10 overtimes.
var maxElapsed = (model.PeriodStart(pbp.MaxPeriod) + model.PeriodLength(pbp.MaxPeriod)).Seconds()

// parseEnd reads a window end: a moment or elapsed seconds.
func parseEnd(name, s string) (model.Tenths, error) {
	if s == "" {
		return 0, badParam(name, "empty: want a moment (%s) or elapsed seconds", momentSyntax)
	}
	if s[0] >= '0' && s[0] <= '9' && !strings.ContainsAny(s, " :") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > maxElapsed {
			return 0, badParam(name, "%q: want a moment (%s) or elapsed seconds from 0 to %g", s, momentSyntax, maxElapsed)
		}
		return model.Tenths(math.Round(f * 10)), nil
	}
	per, cl, err := parseMoment(s)
	if err != nil {
		return 0, badParam(name, "%v", err)
	}
	return model.Elapsed(per, cl), nil
}

func (s *Server) apiBox(r *http.Request) (any, error) {
	p := newParams(r, "at", "elapsed", "event", "from", "to", "provider", "pretty")
	prov := p.code("provider")
	set := []string{}
	for _, k := range []string{"at", "elapsed", "event", "from", "to"} {
		if p.has(k) {
			set = append(set, k)
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	window := p.has("from") || p.has("to")
	if window && (p.has("at") || p.has("elapsed") || p.has("event")) || !window && len(set) > 1 {
		return nil, badParam(set[len(set)-1], "give one of at, elapsed, event, or the window from and to (given: %s)", strings.Join(set, ", "))
	}
	if window && !(p.has("from") && p.has("to")) {
		missing := "to"
		if !p.has("from") {
			missing = "from"
		}
		return nil, badParam(missing, "a window needs both from and to")
	}
	// parse the moment before touching the database: a bad parameter is a
	// 400 whatever the game
	var (
		atT, fromT, toT model.Tenths
		atPer           int
		event           int
		err             error
	)
	switch {
	case p.has("at"):
		var cl model.Tenths
		atPer, cl, err = parseMoment(p.str("at"))
		if err != nil {
			return nil, badParam("at", "%v", err)
		}
		atT = model.Elapsed(atPer, cl)
	case p.has("elapsed"):
		f, ok := p.floatIn("elapsed", 0, maxElapsed)
		if !ok || p.err != nil {
			return nil, p.err
		}
		atT = model.Tenths(math.Round(f * 10))
	case p.has("event"):
		event = p.intIn("event", 0, 0, 1_000_000)
		if p.err != nil {
			return nil, p.err
		}
	case window:
		if fromT, err = parseEnd("from", p.str("from")); err != nil {
			return nil, err
		}
		if toT, err = parseEnd("to", p.str("to")); err != nil {
			return nil, err
		}
		if toT < fromT {
			return nil, badParam("to", "the window ends (%.1f s) before it starts (%.1f s)", toT.Seconds(), fromT.Seconds())
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	src := s.folds // only the box after an event number reads the events
	if p.has("event") {
		src = s.games
	}
	id, c, err := s.gameFor(ctx, src, r.PathValue("game_id"), prov)
	if err != nil {
		return nil, err
	}
	last := lastPeriod(c)
	end := model.PeriodStart(last) + model.PeriodLength(last)
	sc := boxPool.Get().(*boxScratch)
	answered := false
	defer func() {
		if !answered {
			boxPool.Put(sc)
		}
	}()
	out := sc.reset(id, c)
	var (
		b      = &sc.box
		m      pbp.Moment
		lineup = true
	)
	switch {
	case p.has("at"):
		if atPer > last {
			return nil, badParam("at", "game %s has no %s: its last period is %s", id, periodName(atPer), periodName(last))
		}
		m = pbp.AtElapsed(atT)
		out.Moment = s.momentOut("at", atT, last)
	case p.has("elapsed"):
		if atT > end {
			return nil, badParam("elapsed", "%.1f s is past the end of game %s (%.1f s, the end of %s)", atT.Seconds(), id, end.Seconds(), periodName(last))
		}
		m = pbp.AtElapsed(atT)
		out.Moment = s.momentOut("elapsed", atT, last)
	case p.has("event"):
		idx := -1
		for i, e := range c.Events {
			if e.EventNum == event {
				idx = i
			}
		}
		if idx < 0 {
			return nil, notFound("event", "game %s has no event number %d", id, event)
		}
		e := c.Events[idx]
		m = pbp.Moment{Event: idx}
		out.Moment = s.momentOut("event", e.Elapsed, last)
		sc.event = event // in the scratch: a local whose address is taken would be allocated on every request
		out.Moment.EventNum = &sc.event
		out.Moment.Label = fmt.Sprintf("after event %d (%s %s): %s", event, periodName(e.Period), clockString(e.Clock), e.Description)
	case window:
		if toT > end {
			return nil, badParam("to", "%.1f s is past the end of game %s (%.1f s, the end of %s)", toT.Seconds(), id, end.Seconds(), periodName(last))
		}
		*b = c.Window(pbp.BeforeElapsed(fromT), pbp.AtElapsed(toT))
		lineup = false
		out.Moment = s.momentOut("window", toT, last)
		f, t := fromT.Seconds(), toT.Seconds()
		out.Moment.FromElapsedSeconds, out.Moment.ToElapsedSeconds = &f, &t
		fp, fc := momentOf(fromT, last)
		out.Moment.Label = fmt.Sprintf("window %s %s - %s (both ends included)", periodName(fp), clockString(fc), out.Moment.Label)
	default:
		m = pbp.AtElapsed(c.FinalState().Elapsed)
		out.Moment = s.momentOut("final", c.FinalState().Elapsed, last)
		out.Moment.Label = "final"
	}
	if !window {
		// one fold: the box and the five on court come from the same state
		st := &sc.st
		c.BoxInto(st, m, b)
		if lineup {
			for _, side := range []model.Side{model.Home, model.Away} {
				five := &out.OnCourt.Home
				if side == model.Away {
					five = &out.OnCourt.Away
				}
				for _, pi := range st.On[side] {
					if pi < 0 {
						continue
					}
					info := c.Players[pi]
					name := info.Name
					if name == "" {
						name = string(info.ID)
					}
					*five = append(*five, OnCourtPlayer{PlayerID: string(info.ID), Name: name})
				}
			}
		}
	}
	out.Score = HomeAway[int]{Home: b.Home.PTS, Away: b.Away.PTS}
	out.Teams = HomeAway[TeamBoxLine]{Home: teamLine(b.Home), Away: teamLine(b.Away)}
	for _, l := range b.Players {
		name := l.Name
		if name == "" {
			name = string(l.PlayerID)
		}
		out.Players = append(out.Players, PlayerBoxLine{PlayerID: string(l.PlayerID), Name: name, Side: sideName(l.Side), Starter: l.Starter,
			DNP: l.DNP, StatLine: statLine(l.Stats)})
	}
	answered = true
	return out, nil
}

// boxScratch is what a box request folds into and answers with, pooled: a
// State holds per-player arrays, a Box its lines, the answer its player
// lines and the fives. The answer goes back to the pool once written
// (BoxOut.release, called by Server.api).
type boxScratch struct {
	st    pbp.State
	box   model.Box
	out   BoxOut
	event int // the answer's moment.event_num
}

var boxPool = sync.Pool{New: func() any { return new(boxScratch) }}

// reset empties the scratch's answer for game id, keeping its slices'
// memory; the answer's lists are empty, never nil (JSON [], not null).
func (sc *boxScratch) reset(id string, c *pbp.Compiled) *BoxOut {
	o := &sc.out
	if o.Players == nil {
		o.Players = make([]PlayerBoxLine, 0, 32)
		o.OnCourt.Home = make([]OnCourtPlayer, 0, 5)
		o.OnCourt.Away = make([]OnCourtPlayer, 0, 5)
		o.DegradedReasons = make([]string, 0, 4)
	}
	*o = BoxOut{GameID: id, Provider: c.Game.Provider, Degraded: c.Degraded, DegradedReasons: append(o.DegradedReasons[:0], c.Reasons...),
		Players: o.Players[:0], OnCourt: HomeAway[[]OnCourtPlayer]{Home: o.OnCourt.Home[:0], Away: o.OnCourt.Away[:0]}, scratch: sc}
	return o
}

// release hands a pooled answer back (the caller is done with it).
func (b *BoxOut) release() {
	if sc := b.scratch; sc != nil {
		b.scratch = nil
		boxPool.Put(sc)
	}
}

func teamLine(t model.TeamLine) TeamBoxLine {
	return TeamBoxLine{TeamID: t.TeamID, Code: t.Code, Side: sideName(t.Side), TeamOREB: t.TeamOREB, TeamDREB: t.TeamDREB, TeamTOV: t.TeamTOV,
		Poss: t.Possessions, StatLine: statLine(t.Stats)}
}

func (s *Server) momentOut(kind string, t model.Tenths, last int) MomentOut {
	p, cl := momentOf(t, last)
	return MomentOut{Kind: kind, Label: periodName(p) + " " + clockString(cl), ElapsedSeconds: t.Seconds(), Period: p, ClockSeconds: cl.Seconds()}
}

// StintOut is one stint: a stretch during which one team's five did not
// change.
type StintOut struct {
	Side               string          `json:"side"`
	Period             int             `json:"period"`
	FromElapsedSeconds float64         `json:"from_elapsed_seconds"`
	ToElapsedSeconds   float64         `json:"to_elapsed_seconds"`
	FromClock          string          `json:"from_clock"` // remaining in the period, M:SS(.t)
	ToClock            string          `json:"to_clock"`
	Seconds            float64         `json:"seconds"`
	Players            []OnCourtPlayer `json:"players"`
	PtsFor             int             `json:"pts_for"`
	PtsAgainst         int             `json:"pts_against"`
	PlusMinus          int             `json:"plus_minus"`
}

// LineupOut is a five-man unit over the whole game.
type LineupOut struct {
	Side       string          `json:"side"`
	Players    []OnCourtPlayer `json:"players"`
	Stints     int             `json:"stints"`
	Seconds    float64         `json:"seconds"`
	PtsFor     int             `json:"pts_for"`
	PtsAgainst int             `json:"pts_against"`
	PlusMinus  int             `json:"plus_minus"`
}

// StintsOut is GET /api/v1/games/{game_id}/stints.
type StintsOut struct {
	GameID   string      `json:"game_id"`
	Provider string      `json:"provider"`
	Stints   []StintOut  `json:"stints"`
	Lineups  []LineupOut `json:"lineups"`
}

func (s *Server) apiStints(r *http.Request) (any, error) {
	p := newParams(r, "provider", "side", "pretty")
	prov := p.code("provider")
	side := p.enum("side", "", "home", "away")
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	id, c, err := s.gameFor(ctx, s.folds, r.PathValue("game_id"), prov)
	if err != nil {
		return nil, err
	}
	name := func(pid model.PlayerID) OnCourtPlayer {
		if i := c.Index(pid); i >= 0 && c.Players[i].Name != "" {
			return OnCourtPlayer{PlayerID: string(pid), Name: c.Players[i].Name}
		}
		return OnCourtPlayer{PlayerID: string(pid), Name: string(pid)}
	}
	out := StintsOut{GameID: id, Provider: c.Game.Provider, Stints: []StintOut{}, Lineups: []LineupOut{}}
	units := map[string]*LineupOut{}
	var order []string
	for _, st := range c.Stints() {
		if side != "" && sideName(st.Side) != side {
			continue
		}
		o := StintOut{Side: sideName(st.Side), Period: st.Period, FromElapsedSeconds: st.From.Seconds(), ToElapsedSeconds: st.To.Seconds(),
			FromClock: clockString(model.PeriodStart(st.Period) + model.PeriodLength(st.Period) - st.From),
			ToClock:   clockString(model.PeriodStart(st.Period) + model.PeriodLength(st.Period) - st.To),
			Seconds:   (st.To - st.From).Seconds(), Players: []OnCourtPlayer{}, PtsFor: st.PtsFor, PtsAgainst: st.PtsAgainst,
			PlusMinus: st.PtsFor - st.PtsAgainst}
		ids := []string{}
		for _, pid := range st.Players {
			if pid != "" {
				o.Players = append(o.Players, name(pid))
				ids = append(ids, string(pid))
			}
		}
		out.Stints = append(out.Stints, o)
		sort.Strings(ids)
		k := o.Side + "|" + strings.Join(ids, ",")
		u, ok := units[k]
		if !ok {
			u = &LineupOut{Side: o.Side, Players: o.Players}
			units[k] = u
			order = append(order, k)
		}
		u.Stints++
		u.Seconds += o.Seconds
		u.PtsFor += o.PtsFor
		u.PtsAgainst += o.PtsAgainst
		u.PlusMinus += o.PlusMinus
	}
	for _, k := range order {
		u := units[k]
		u.Seconds = math.Round(u.Seconds*10) / 10
		out.Lineups = append(out.Lineups, *u)
	}
	sort.SliceStable(out.Lineups, func(i, j int) bool {
		if out.Lineups[i].Side != out.Lineups[j].Side {
			return out.Lineups[i].Side == "home"
		}
		return out.Lineups[i].Seconds > out.Lineups[j].Seconds
	})
	return out, nil
}

// FlowPoint is one scoring event.
type FlowPoint struct {
	ElapsedSeconds float64 `json:"elapsed_seconds"`
	Period         int     `json:"period"`
	Clock          string  `json:"clock"`
	EventNum       int     `json:"event_num"`
	Side           string  `json:"side"`
	Points         int     `json:"points"`
	Home           int     `json:"home"`
	Away           int     `json:"away"`
	Margin         int     `json:"margin"` // home minus away
	Description    string  `json:"description,omitempty"`
}

// ScoreFlowOut is GET /api/v1/games/{game_id}/scoreflow.
type ScoreFlowOut struct {
	GameID              string      `json:"game_id"`
	Provider            string      `json:"provider"`
	HomeCode            string      `json:"home_code"`
	AwayCode            string      `json:"away_code"`
	Periods             []Period    `json:"periods"`
	FinalElapsedSeconds float64     `json:"final_elapsed_seconds"`
	Points              []FlowPoint `json:"points"`
}

func (s *Server) apiScoreFlow(r *http.Request) (any, error) {
	p := newParams(r, "provider", "pretty")
	prov := p.code("provider")
	if p.err != nil {
		return nil, p.err
	}
	ctx := r.Context()
	id, c, err := s.gameFor(ctx, s.games, r.PathValue("game_id"), prov)
	if err != nil {
		return nil, err
	}
	fin := c.Final()
	out := ScoreFlowOut{GameID: id, Provider: c.Game.Provider, HomeCode: fin.Home.Code, AwayCode: fin.Away.Code, Periods: []Period{},
		FinalElapsedSeconds: c.FinalState().Elapsed.Seconds(), Points: []FlowPoint{}}
	last := lastPeriod(c)
	for p := 1; p <= last; p++ {
		out.Periods = append(out.Periods, Period{Period: p, Label: periodName(p), StartElapsedSeconds: model.PeriodStart(p).Seconds(),
			EndElapsedSeconds: (model.PeriodStart(p) + model.PeriodLength(p)).Seconds()})
	}
	// the engine's own score after each scoring event (the same fold as the box)
	var st pbp.State
	for i, e := range c.Events {
		if e.Points == 0 {
			continue
		}
		c.StateAt(&st, pbp.Moment{Event: i})
		h, a := int(st.Score[model.Home]), int(st.Score[model.Away])
		if n := len(out.Points); n > 0 && out.Points[n-1].Home == h && out.Points[n-1].Away == a {
			continue // the engine did not count it (e.g. a dropped duplicate)
		}
		out.Points = append(out.Points, FlowPoint{ElapsedSeconds: e.Elapsed.Seconds(), Period: e.Period, Clock: clockString(e.Clock),
			EventNum: e.EventNum, Side: sideName(e.Side), Points: int(e.Points), Home: h, Away: a, Margin: h - a, Description: e.Description})
	}
	return out, nil
}

// Package derive computes box scores from play-by-play with the engine of
// package pbp (the final box, the box at any moment, window boxes) and
// verifies derived boxes against official ones: per player and per stat,
// a grade per game, a report (JSON and a readable table) and its storage.
package derive

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// Diff is one cell where the derived box and the official one differ.
type Diff struct {
	Scope    string `json:"scope"` // "player" or "team"
	Side     string `json:"side"`
	PlayerID string `json:"player_id,omitempty"` // derived (feed) id
	Official string `json:"official_id,omitempty"`
	Name     string `json:"name,omitempty"`
	Stat     string `json:"stat"`
	Derived  int    `json:"derived"`
	Expected int    `json:"official"`
	Cause    string `json:"cause"`
}

// GameResult is the verification of one game against one official box.
type GameResult struct {
	GameID   string `json:"game_id"`
	Provider string `json:"provider"` // play-by-play source
	Source   string `json:"source"`   // official box source
	Grade    string `json:"grade"`
	Error    string `json:"error,omitempty"` // the game failed: every cell counts as wrong

	Cells      int `json:"cells"` // player counting-stat cells compared
	CellsExact int `json:"cells_exact"`
	Lines      int `json:"player_lines"`
	// MinutesOK counts player lines whose seconds are within 1 s of the
	// official minutes (MinutesCompared lines had official minutes).
	MinutesOK       int  `json:"minutes_within_1s"`
	MinutesCompared int  `json:"minutes_compared"`
	PlusMinusOK     int  `json:"plus_minus_exact"`
	TeamPointsExact bool `json:"team_points_exact"`
	TeamTotalsExact bool `json:"team_totals_exact"`
	FullyExact      bool `json:"fully_exact"`

	Degraded bool     `json:"degraded,omitempty"`
	Reasons  []string `json:"degraded_reasons,omitempty"`
	Quirks   []string `json:"quirks,omitempty"` // quirk rules applied (name x count)
	Diffs    []Diff   `json:"diffs,omitempty"`
}

// Convention says how an official source counts team totals.
type Convention struct {
	// TeamTOVIncludesTeam is true when the official team TOV counts team
	// turnovers: the NBA team game log (leaguegamelog) does; the
	// boxscoretraditionalv2 TeamStats and basketball-reference do not
	// (their team TOV is the players' sum; 0021600270: WAS 11 in the box,
	// 12 turnovers with the team's shot-clock violation).
	TeamTOVIncludesTeam bool
	// TeamREBIncludesTeam is true when the official team rebounds count
	// team rebounds (cdn.nba.com liveData boxes).
	TeamREBIncludesTeam bool
	// TeamsOnly compares team lines only (team game logs).
	TeamsOnly bool
	// NoMinutes: the official box has no usable minutes.
	NoMinutes bool
}

// ConventionFor returns the convention of an official box source.
func ConventionFor(source string) Convention {
	var c Convention
	if strings.Contains(source, "leaguegamelog") || strings.Contains(source, "gamelog") {
		c.TeamTOVIncludesTeam = true
		c.TeamsOnly = true
		c.NoMinutes = true
	}
	if strings.HasPrefix(source, "nba_live/") {
		c.TeamREBIncludesTeam = true
	}
	if strings.HasPrefix(source, "espn/") {
		// ESPN: team turnovers in the team TOV (0022300979 ORL 15 = 13 +
		// 2), minutes in whole minutes (not comparable within 1 s).
		c.TeamTOVIncludesTeam = true
		c.NoMinutes = true
	}
	return c
}

// matchPlayers pairs derived lines with official lines of the same side:
// by id when the id spaces agree, then by normalized name, then by last
// name, then (one unmatched line each, or closest minutes) by stats.
func matchPlayers(derived, official []model.PlayerLine) map[int]int {
	m := map[int]int{} // official index -> derived index
	used := map[int]bool{}
	try := func(key func(model.PlayerLine) string) {
		idx := map[string][]int{}
		for j, d := range derived {
			if !used[j] {
				k := key(d)
				if k != "" {
					idx[fmt.Sprint(d.Side)+"|"+k] = append(idx[fmt.Sprint(d.Side)+"|"+k], j)
				}
			}
		}
		for i, o := range official {
			if _, ok := m[i]; ok {
				continue
			}
			k := key(o)
			if k == "" {
				continue
			}
			c := idx[fmt.Sprint(o.Side)+"|"+k]
			n := 0
			pick := -1
			for _, j := range c {
				if !used[j] {
					n++
					pick = j
				}
			}
			if n == 1 {
				m[i] = pick
				used[pick] = true
			}
		}
	}
	try(func(l model.PlayerLine) string { return string(l.PlayerID) })
	try(func(l model.PlayerLine) string { return model.NameKey(l.Name) })
	try(func(l model.PlayerLine) string {
		f := strings.Fields(model.NameKey(l.Name))
		if len(f) == 0 {
			return ""
		}
		return f[len(f)-1]
	})
	try(func(l model.PlayerLine) string {
		f := strings.Fields(model.NameKey(l.Name))
		if len(f) < 2 {
			return ""
		}
		return f[0][:1] + " " + f[len(f)-1][:min(4, len(f[len(f)-1]))]
	})
	// by stats: remaining players of a side, nearest seconds and points
	for i, o := range official {
		if _, ok := m[i]; ok || o.DNP {
			continue
		}
		best, bestD := -1, math.MaxFloat64
		for j, d := range derived {
			if used[j] || d.Side != o.Side {
				continue
			}
			dist := math.Abs(float64(d.Seconds-o.Seconds))/10 + 60*math.Abs(float64(d.PTS-o.PTS)) + 60*math.Abs(float64(d.REB-o.REB))
			if dist < bestD {
				best, bestD = j, dist
			}
		}
		if best >= 0 && bestD < 300 {
			m[i] = best
			used[best] = true
		}
	}
	return m
}

// Compare verifies a derived final box against an official one. notes are
// the engine's notes for the game (to name causes).
func Compare(derived, official model.Box, conv Convention, c *pbp.Compiled) GameResult {
	r := GameResult{GameID: official.GameID, Source: official.Source}
	if c != nil {
		r.Provider = c.Game.Provider
		r.Degraded = c.Degraded
		r.Reasons = c.Reasons
		cnt := map[string]int{}
		for _, n := range c.Notes {
			cnt[n.Rule]++
		}
		for k, v := range cnt {
			r.Quirks = append(r.Quirks, fmt.Sprintf("%s x%d", k, v))
		}
		sort.Strings(r.Quirks)
		if derived.GameID != "" {
			r.GameID = derived.GameID
		}
	}
	teamOK := true
	// team lines
	for _, pair := range [][2]model.TeamLine{{derived.Home, official.Home}, {derived.Away, official.Away}} {
		d, o := pair[0], pair[1]
		dv := d.Values()
		if !conv.TeamTOVIncludesTeam {
			dv[13] -= d.TeamTOV
		}
		if conv.TeamREBIncludesTeam {
			dv[7] += d.TeamOREB
			dv[8] += d.TeamDREB
			dv[9] += d.TeamOREB + d.TeamDREB
		}
		ov := o.Values()
		for k, name := range model.StatNames {
			if dv[k] != ov[k] {
				teamOK = false
				r.Diffs = append(r.Diffs, Diff{Scope: "team", Side: o.Side.String(), Name: o.Code, Stat: name, Derived: dv[k], Expected: ov[k]})
			}
		}
		if d.PTS == o.PTS {
			continue
		}
	}
	r.TeamPointsExact = derived.Home.PTS == official.Home.PTS && derived.Away.PTS == official.Away.PTS
	r.TeamTotalsExact = teamOK
	if conv.TeamsOnly {
		r.Cells = 2 * len(model.StatNames)
		r.CellsExact = r.Cells
		for _, d := range r.Diffs {
			_ = d
			r.CellsExact--
		}
		r.FullyExact = teamOK
		assignCauses(&r, c)
		r.Grade = grade(&r)
		return r
	}
	m := matchPlayers(derived.Players, official.Players)
	matched := map[int]bool{}
	for i, o := range official.Players {
		j, ok := m[i]
		if o.DNP && !ok {
			continue
		}
		var d model.PlayerLine
		if ok {
			d = derived.Players[j]
			matched[j] = true
		} else {
			d = model.PlayerLine{Name: o.Name, Side: o.Side}
		}
		r.Lines++
		dv, ov := d.Values(), o.Values()
		for k, name := range model.StatNames {
			r.Cells++
			if dv[k] == ov[k] {
				r.CellsExact++
				continue
			}
			r.Diffs = append(r.Diffs, Diff{Scope: "player", Side: o.Side.String(), PlayerID: string(d.PlayerID), Official: string(o.PlayerID), Name: o.Name, Stat: name, Derived: dv[k], Expected: ov[k]})
		}
		if !conv.NoMinutes {
			r.MinutesCompared++
			if abs(int(d.Seconds-o.Seconds)) <= 10 {
				r.MinutesOK++
			} else {
				r.Diffs = append(r.Diffs, Diff{Scope: "player", Side: o.Side.String(), PlayerID: string(d.PlayerID), Official: string(o.PlayerID), Name: o.Name, Stat: "SEC", Derived: int(d.Seconds), Expected: int(o.Seconds)})
			}
		}
		if d.PlusMinus == o.PlusMinus {
			r.PlusMinusOK++
		} else {
			r.Diffs = append(r.Diffs, Diff{Scope: "player", Side: o.Side.String(), PlayerID: string(d.PlayerID), Official: string(o.PlayerID), Name: o.Name, Stat: "PM", Derived: d.PlusMinus, Expected: o.PlusMinus})
		}
	}
	// derived players with something the official box does not list
	for j, d := range derived.Players {
		if matched[j] || d.Stats == (model.Stats{}) {
			continue
		}
		dv := d.Values()
		for k, name := range model.StatNames {
			if dv[k] != 0 {
				r.Cells++
				r.Diffs = append(r.Diffs, Diff{Scope: "player", Side: d.Side.String(), PlayerID: string(d.PlayerID), Name: d.Name, Stat: name, Derived: dv[k], Expected: 0})
			}
		}
	}
	r.FullyExact = r.CellsExact == r.Cells && r.TeamTotalsExact && r.MinutesOK == r.MinutesCompared
	assignCauses(&r, c)
	r.Grade = grade(&r)
	return r
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// Failed is the result of a game the engine or a parser could not handle:
// every cell counts as wrong.
func Failed(gameID, source string, official *model.Box, err error) GameResult {
	r := GameResult{GameID: gameID, Source: source, Grade: "F", Error: err.Error()}
	if official != nil {
		for _, o := range official.Players {
			if !o.DNP {
				r.Lines++
				r.Cells += len(model.StatNames)
				r.MinutesCompared++
			}
		}
	}
	return r
}

// Grades (docs/pbp-engine.md): A every cell, team total and minute exact;
// B team points exact and >= 99% of cells; C team points exact and >= 97%;
// D >= 90%; F below, or the game failed.
func grade(r *GameResult) string {
	if r.Error != "" {
		return "F"
	}
	share := 1.0
	if r.Cells > 0 {
		share = float64(r.CellsExact) / float64(r.Cells)
	}
	switch {
	case r.FullyExact:
		return "A"
	case r.TeamPointsExact && share >= 0.99:
		return "B"
	case r.TeamPointsExact && share >= 0.97:
		return "C"
	case share >= 0.90:
		return "D"
	}
	return "F"
}

// assignCauses names the cause of every difference, from the engine's
// notes and the shape of the difference.
func assignCauses(r *GameResult, c *pbp.Compiled) {
	// per side and stat, does the team total agree?
	teamDiff := map[string]bool{}
	for _, d := range r.Diffs {
		if d.Scope == "team" {
			teamDiff[d.Side+"|"+d.Stat] = true
		}
	}
	// player diffs that cancel within a team and stat: attribution
	net := map[string]int{}
	for _, d := range r.Diffs {
		if d.Scope == "player" {
			net[d.Side+"|"+d.Stat] += d.Derived - d.Expected
		}
	}
	for i := range r.Diffs {
		d := &r.Diffs[i]
		if d.Cause != "" {
			continue
		}
		key := d.Side + "|" + d.Stat
		switch {
		case d.Stat == "SEC" && abs(d.Derived-d.Expected) <= 50 && !secFallback(r, d):
			d.Cause = fmt.Sprintf("clock: a substitution of this player is logged %.0f s off the official minutes", math.Abs(float64(d.Derived-d.Expected))/10)
		case d.Stat == "PM" && !hasDiff(r, d.PlayerID, d.Official, "SEC"):
			d.Cause = "plus-minus: points scored at the clock of a substitution, credited by the official record to the other lineup"
		case d.Stat == "SEC" || d.Stat == "PM":
			if r.Degraded {
				d.Cause = "lineup: period starters inferred with a fallback (" + strings.Join(r.Reasons, "; ") + ")"
			} else {
				d.Cause = "lineup: a substitution missing from or misplaced in the feed"
			}
		case d.Scope == "player" && d.Official == "" && d.Expected == 0 && d.PlayerID != "":
			d.Cause = "the feed credits a player the official box does not list"
		case d.Scope == "player" && d.PlayerID == "":
			d.Cause = "the official box lists a player the feed never names"
		case d.Scope == "player" && !teamDiff[key] && net[key] == 0:
			d.Cause = "attribution: the feed credits this stat to another player of the team"
		case d.Scope == "team" && d.Stat == "TOV" && d.Derived > d.Expected:
			d.Cause = "team turnovers: the feed logs a team turnover the official total does not count"
		case d.Derived > d.Expected:
			d.Cause = "the feed logs an event the official box does not count"
		default:
			d.Cause = "the official box counts an event the feed does not log"
		}
	}
}

func hasDiff(r *GameResult, id, official, stat string) bool {
	for _, d := range r.Diffs {
		if d.Stat == stat && d.PlayerID == id && d.Official == official {
			return true
		}
	}
	return false
}

// secFallback says whether a player's minutes difference is a whole
// number of periods' worth in a degraded game (a fallback starter).
func secFallback(r *GameResult, d *Diff) bool {
	return r.Degraded && abs(d.Derived-d.Expected) > 50
}

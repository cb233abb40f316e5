package advanced

import (
	"fmt"
	"sort"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
)

// GameStints is one game's stints, as the play-by-play engine counts them
// (pbp.Compiled.Stints: each stretch a team's five did not change, with
// the points and possessions of both teams during it), and what naming
// them needs.
type GameStints struct {
	GameID   string
	Season   string
	Provider string        // the play-by-play provider the stints come from
	Teams    [3]model.Team // by side (model.Home, model.Away): ID and Code
	Names    map[model.PlayerID]string
	Stints   []pbp.Stint
}

// FromCompiled returns the stints of a compiled game. Teams and names come
// from the game (its Home/Away and Players) and the compiled roster.
func FromCompiled(c *pbp.Compiled, season string) GameStints {
	g := GameStints{Season: season, Names: map[model.PlayerID]string{}, Stints: c.Stints()}
	if c.Game != nil {
		g.GameID, g.Provider = c.Game.GameID, c.Game.Provider
		g.Teams[model.Home], g.Teams[model.Away] = c.Game.Home, c.Game.Away
		for id, p := range c.Game.Players {
			if p.Name != "" {
				g.Names[id] = p.Name
			}
		}
	}
	for _, p := range c.Players {
		if p.Name != "" && g.Names[p.ID] == "" {
			g.Names[p.ID] = p.Name
		}
	}
	return g
}

// TeamID is the id of a side's team: the NBA id, else its code, else
// "home"/"away" (as team_box keys a team).
func (g *GameStints) TeamID(side model.Side) string {
	t := g.Teams[side]
	switch {
	case t.ID != "":
		return t.ID
	case t.Code != "":
		return t.Code
	}
	return side.String()
}

// Name is a player's name, or his id when unknown.
func (g *GameStints) Name(id model.PlayerID) string {
	if n := g.Names[id]; n != "" {
		return n
	}
	return string(id)
}

// LineupKey is a five as stored: the player ids in byte order (an empty
// slot, a player the engine could not place, sorts first as "").
func LineupKey(players [5]model.PlayerID) [5]model.PlayerID {
	k := players
	sort.Slice(k[:], func(i, j int) bool { return k[i] < k[j] })
	return k
}

// LineupID is the five's ids joined by "-" in byte order (an empty slot is
// "?"): the lineup_id column of the stints table and the views.
func LineupID(players [5]model.PlayerID) string {
	k := LineupKey(players)
	parts := make([]string, 5)
	for i, p := range k {
		parts[i] = string(p)
		if p == "" {
			parts[i] = "?"
		}
	}
	return strings.Join(parts, "-")
}

// Counts are the points and possessions of both teams while a lineup or a
// player was on (or off) the court. A possession counts for the team that
// ended it on offense (docs/pbp-engine.md, "Possessions").
type Counts struct {
	Tenths      model.Tenths
	PossFor     int
	PossAgainst int
	PtsFor      int
	PtsAgainst  int
}

func (c *Counts) add(st *pbp.Stint) {
	c.Tenths += st.To - st.From
	c.PossFor += st.PossFor
	c.PossAgainst += st.PossAgainst
	c.PtsFor += st.PtsFor
	c.PtsAgainst += st.PtsAgainst
}

func (c Counts) minus(o Counts) Counts {
	return Counts{Tenths: c.Tenths - o.Tenths, PossFor: c.PossFor - o.PossFor, PossAgainst: c.PossAgainst - o.PossAgainst,
		PtsFor: c.PtsFor - o.PtsFor, PtsAgainst: c.PtsAgainst - o.PtsAgainst}
}

// Ratings are points per 100 possessions: scored (off_rtg) per 100 of the
// team's possessions, allowed (def_rtg) per 100 of the opponent's, and
// their difference. A rating over no possession is nil (JSON null).
type Ratings struct {
	OffRtg *float64 `json:"off_rtg"`
	DefRtg *float64 `json:"def_rtg"`
	NetRtg *float64 `json:"net_rtg"`
}

func per100(pts, poss int) *float64 {
	if poss == 0 {
		return nil
	}
	v := 100 * float64(pts) / float64(poss)
	return &v
}

// RatingsOf computes Ratings from counts.
func RatingsOf(c Counts) Ratings {
	r := Ratings{OffRtg: per100(c.PtsFor, c.PossFor), DefRtg: per100(c.PtsAgainst, c.PossAgainst)}
	if r.OffRtg != nil && r.DefRtg != nil {
		v := *r.OffRtg - *r.DefRtg
		r.NetRtg = &v
	}
	return r
}

// CountsJSON is Counts as the CLI, the MCP server and the views print
// them: seconds (decimal) and the four counts.
type CountsJSON struct {
	Seconds     float64 `json:"seconds"`
	PossFor     int     `json:"poss_for"`
	PossAgainst int     `json:"poss_against"`
	PtsFor      int     `json:"pts_for"`
	PtsAgainst  int     `json:"pts_against"`
	Ratings
}

// JSON returns the counts and their ratings.
func (c Counts) JSON() CountsJSON {
	return CountsJSON{Seconds: c.Tenths.Seconds(), PossFor: c.PossFor, PossAgainst: c.PossAgainst, PtsFor: c.PtsFor,
		PtsAgainst: c.PtsAgainst, Ratings: RatingsOf(c)}
}

// Lineup is a five's numbers: in one game (GameID set), or summed over the
// games of a season (GameID empty, Games counts them).
type Lineup struct {
	GameID    string   `json:"game_id,omitempty"`
	Season    string   `json:"season"`
	TeamID    string   `json:"team_id"`
	TeamCode  string   `json:"team_code"`
	LineupID  string   `json:"lineup_id"`
	PlayerIDs []string `json:"player_ids"`
	Players   []string `json:"players"`
	Games     int      `json:"games"`
	Stints    int      `json:"stints"`
	CountsJSON
	counts Counts
}

// Counts returns the lineup's counts.
func (l *Lineup) Counts() Counts { return l.counts }

// Lineups sums the stints of each five: per game when byGame is set,
// else per season and team. They are sorted by team, then time on the
// court (longest first), then lineup id.
func Lineups(games []GameStints, byGame bool) []Lineup {
	type key struct{ game, season, team, lineup string }
	idx := map[key]int{}
	var out []Lineup
	seen := map[key]string{}
	for gi := range games {
		g := &games[gi]
		for si := range g.Stints {
			st := &g.Stints[si]
			k := key{season: g.Season, team: g.TeamID(st.Side), lineup: LineupID(st.Players)}
			if byGame {
				k.game = g.GameID
			}
			i, ok := idx[k]
			if !ok {
				i = len(out)
				idx[k] = i
				l := Lineup{Season: g.Season, TeamID: k.team, TeamCode: g.Teams[st.Side].Code, LineupID: k.lineup,
					PlayerIDs: []string{}, Players: []string{}}
				if byGame {
					l.GameID = g.GameID
				}
				for _, p := range LineupKey(st.Players) {
					if p == "" {
						continue
					}
					l.PlayerIDs = append(l.PlayerIDs, string(p))
					l.Players = append(l.Players, g.Name(p))
				}
				out = append(out, l)
			}
			l := &out[i]
			l.Stints++
			l.counts.add(st)
			if seen[k] != g.GameID {
				seen[k] = g.GameID
				l.Games++
			}
		}
	}
	for i := range out {
		out[i].CountsJSON = out[i].counts.JSON()
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		return rowLess(a.GameID, a.TeamCode, a.LineupID, a.counts.Tenths, b.GameID, b.TeamCode, b.LineupID, b.counts.Tenths)
	})
	return out
}

// rowLess orders rows by game, team, time on the court (most first), then
// id: the order of Lineups and OnOffs.
func rowLess(ga, ta, ida string, sa model.Tenths, gb, tb, idb string, sb model.Tenths) bool {
	switch {
	case ga != gb:
		return ga < gb
	case ta != tb:
		return ta < tb
	case sa != sb:
		return sa > sb
	}
	return ida < idb
}

// OnOff is a player's team numbers with him on the court and off it: in
// one game (GameID set) or summed over a season's games with one team.
// Off is the team's stints without him (the bench minutes of a game he
// played in; games he did not play in are not counted).
type OnOff struct {
	GameID   string     `json:"game_id,omitempty"`
	Season   string     `json:"season"`
	TeamID   string     `json:"team_id"`
	TeamCode string     `json:"team_code"`
	PlayerID string     `json:"player_id"`
	Name     string     `json:"name"`
	Games    int        `json:"games"`
	On       CountsJSON `json:"on"`
	Off      CountsJSON `json:"off"`
	// NetDiff is on.net_rtg - off.net_rtg (nil when either is).
	NetDiff *float64 `json:"net_rtg_diff"`
	on, off Counts
}

// OnCounts and OffCounts return the raw counts.
func (o *OnOff) OnCounts() Counts { return o.on }

// OffCounts returns the team's counts while the player sat.
func (o *OnOff) OffCounts() Counts { return o.off }

// OnOffs computes every player's on/off numbers: per game when byGame is
// set, else per season and team. Sorted by team, then time on the court
// (most first), then player id.
func OnOffs(games []GameStints, byGame bool) []OnOff {
	type key struct{ game, season, team, player string }
	idx := map[key]int{}
	var out []OnOff
	for gi := range games {
		g := &games[gi]
		var team [3]Counts
		on := map[key]*Counts{}
		var order []key
		for si := range g.Stints {
			st := &g.Stints[si]
			team[st.Side].add(st)
			for _, p := range st.Players {
				if p == "" {
					continue
				}
				k := key{game: g.GameID, season: g.Season, team: g.TeamID(st.Side), player: string(p)}
				c := on[k]
				if c == nil {
					c = &Counts{}
					on[k] = c
					order = append(order, k)
				}
				c.add(st)
			}
		}
		for _, k := range order {
			side := model.Home
			if k.team == g.TeamID(model.Away) && k.team != g.TeamID(model.Home) {
				side = model.Away
			}
			onc := *on[k]
			offc := team[side].minus(onc)
			ak := k
			if !byGame {
				ak.game = ""
			}
			i, ok := idx[ak]
			if !ok {
				i = len(out)
				idx[ak] = i
				o := OnOff{GameID: ak.game, Season: g.Season, TeamID: k.team, TeamCode: g.Teams[side].Code, PlayerID: k.player,
					Name: g.Name(model.PlayerID(k.player))}
				out = append(out, o)
			}
			o := &out[i]
			o.Games++
			o.on = addCounts(o.on, onc)
			o.off = addCounts(o.off, offc)
		}
	}
	for i := range out {
		o := &out[i]
		o.On, o.Off = o.on.JSON(), o.off.JSON()
		if o.On.NetRtg != nil && o.Off.NetRtg != nil {
			v := *o.On.NetRtg - *o.Off.NetRtg
			o.NetDiff = &v
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := &out[i], &out[j]
		return rowLess(a.GameID, a.TeamCode, a.PlayerID, a.on.Tenths, b.GameID, b.TeamCode, b.PlayerID, b.on.Tenths)
	})
	return out
}

func addCounts(a, b Counts) Counts {
	return Counts{Tenths: a.Tenths + b.Tenths, PossFor: a.PossFor + b.PossFor, PossAgainst: a.PossAgainst + b.PossAgainst,
		PtsFor: a.PtsFor + b.PtsFor, PtsAgainst: a.PtsAgainst + b.PtsAgainst}
}

// TeamTotals sums a game's stints per side: the team's whole game.
func TeamTotals(g *GameStints) [3]Counts {
	var t [3]Counts
	for i := range g.Stints {
		t[g.Stints[i].Side].add(&g.Stints[i])
	}
	return t
}

// String is a one-line summary of counts ("1234.5 s, 100-98 poss, 110-105 pts").
func (c Counts) String() string {
	return fmt.Sprintf("%.1f s, poss %d-%d, pts %d-%d", c.Tenths.Seconds(), c.PossFor, c.PossAgainst, c.PtsFor, c.PtsAgainst)
}

// Package sim is nbasim's game simulator: a possession-level Monte Carlo
// model of NBA games, estimated walk-forward from the store (only games
// played before the predicted game's date), that predicts a game before
// the tip or from any moment of it, and a backtest that scores it against
// what really happened next to simple baselines. docs/sim.md has the
// model and its equations.
package sim

import (
	"context"
	"fmt"
	"sort"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/pbp"
	"github.com/nbasim/nbasim/internal/store"
)

// Poss is one possession of a real game as the estimator sees it: who had
// the ball, the state when it started, what it produced, and the counts of
// the chain of chances inside it (shots, free-throw trips, turnovers,
// offensive rebounds).
type Poss struct {
	Off      model.Side   // offense
	Period   uint8        // period of the start
	Clock    model.Tenths // period clock remaining at the start
	Dur      model.Tenths // game time the possession took
	Margin   int16        // offense minus defense score at the start
	Pts      int8         // points the offense scored in it
	DefFouls int8         // defense's team fouls in the period at the start
	Bonus    bool         // the defense was in the penalty at the start
	Buzzer   bool         // ended by the end of the period
	// chain counts
	TO, Trip1, Trip2, Trip3, And1     uint8
	FGA2, FGM2, FGA3, FGM3, FTA, FTM  uint8
	OrebFG, OrebFT, MissFG, MissFTEnd uint8
	FoulsDef                          uint8 // personal fouls of the defense that count as team fouls
	// Lineup is the ten on the court at the start (home five, away five):
	// indexes into Corpus.Players, -1 for a slot the engine could not fill.
	Lineup [10]int32
}

// Game is one finished game reduced to what the model needs.
type Game struct {
	ID, Season, SeasonType, Date string
	HomeID, AwayID               string // NBA team ids
	HomeCode, AwayCode           string
	HomePts, AwayPts             int
	Periods                      int
	Seconds                      float64 // game length
	Poss                         []Poss
	PossHome, PossAway           int // possessions each side ended
	// Starts are the real states at the backtest Moments.
	Starts []Start
	// Box is every player's line of the engine's box score (players who
	// were on the court), for the box-score prior of the player ratings.
	Box []PlayerBox
}

// PlayerBox is one player's counting stats in a game.
type PlayerBox struct {
	Player                                                        int32 // index into Corpus.Players
	Side                                                          model.Side
	Seconds                                                       float32 // on the court
	PTS, FGA, FG3A, FG3M, FTA, OREB, DREB, AST, STL, BLK, TOV, PF uint8
}

// Corpus is every finished game the store holds with play-by-play, in
// (date, id) order, and the players their lineups name.
type Corpus struct {
	Games   []Game
	Players []model.PlayerID
	index   map[model.PlayerID]int32
	// Skipped lists games the store has plays for but that could not be
	// used (no date, no teams, no final score), with the reason.
	Skipped []Skipped
}

// Skipped is a game left out of a corpus and why.
type Skipped struct {
	GameID string `json:"game_id"`
	Reason string `json:"reason"`
}

func (c *Corpus) player(id model.PlayerID) int32 {
	if id == "" {
		return -1
	}
	if i, ok := c.index[id]; ok {
		return i
	}
	if c.index == nil {
		c.index = map[model.PlayerID]int32{}
	}
	i := int32(len(c.Players))
	c.Players = append(c.Players, id)
	c.index[id] = i
	return i
}

// LoadOptions narrow LoadCorpus.
type LoadOptions struct {
	FromDate, ToDate string // game dates [FromDate, ToDate); empty: open
	// Progress, when set, is called after every game read.
	Progress func(done int)
}

// providerRank orders play-by-play providers (the same preference as
// internal/derive).
var providerRank = map[string]int{
	"nba_stats/playbyplayv2": 0, "nba_stats/playbyplayv3": 1, "nba_live/playbyplay": 2,
	"nbacom/game": 3, "espn/summary": 4, "bbref/pbp": 5,
}

func rank(p string) int {
	if r, ok := providerRank[p]; ok {
		return r
	}
	return len(providerRank)
}

// LoadCorpus reads every final game with plays (in the date range) from
// the store, compiles it with the box-score engine and reduces it to
// possessions. Only the store is read.
func LoadCorpus(ctx context.Context, q store.Querier, opt LoadOptions) (*Corpus, error) {
	games, err := store.ListGames(ctx, q, "")
	if err != nil {
		return nil, err
	}
	byID := make(map[string]store.Game, len(games))
	for _, g := range games {
		byID[g.GameID] = g
	}
	c := &Corpus{}
	type pending struct {
		id, prov string
		evs      []model.Event
	}
	var best *pending
	flush := func() {
		if best == nil {
			return
		}
		row, ok := byID[best.id]
		g, why := extractGame(c, row, ok, best.evs)
		if why != "" {
			c.Skipped = append(c.Skipped, Skipped{GameID: best.id, Reason: why})
		} else {
			c.Games = append(c.Games, g)
		}
		best = nil
		if opt.Progress != nil {
			opt.Progress(len(c.Games) + len(c.Skipped))
		}
	}
	err = store.StreamPlays(ctx, q, store.PlaysFilter{FromDate: opt.FromDate, ToDate: opt.ToDate}, func(id, prov string, evs []model.Event) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if best != nil && best.id != id {
			flush()
		}
		if best == nil || rank(prov) < rank(best.prov) {
			best = &pending{id: id, prov: prov, evs: evs}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	flush()
	sort.SliceStable(c.Games, func(i, j int) bool {
		if c.Games[i].Date != c.Games[j].Date {
			return c.Games[i].Date < c.Games[j].Date
		}
		return c.Games[i].ID < c.Games[j].ID
	})
	return c, nil
}

// extractGame reduces a stored game to a Game; why is non-empty when the
// game cannot be used.
func extractGame(c *Corpus, row store.Game, ok bool, evs []model.Event) (Game, string) {
	switch {
	case !ok:
		return Game{}, "plays without a games row"
	case row.Date == "":
		return Game{}, "no game date"
	case row.HomeTeamID == "" || row.AwayTeamID == "":
		return Game{}, "no team ids"
	}
	pg := &model.Game{GameID: row.GameID, Date: row.Date, Events: evs,
		Home: model.Team{ID: row.HomeTeamID, Code: row.HomeCode}, Away: model.Team{ID: row.AwayTeamID, Code: row.AwayCode}}
	comp := pbp.Compile(pg, nil)
	fs := comp.FinalState()
	g := Game{ID: row.GameID, Season: row.Season, SeasonType: row.SeasonType, Date: row.Date,
		HomeID: row.HomeTeamID, AwayID: row.AwayTeamID, HomeCode: row.HomeCode, AwayCode: row.AwayCode,
		HomePts: int(fs.Score[model.Home]), AwayPts: int(fs.Score[model.Away])}
	if row.HasScore {
		g.HomePts, g.AwayPts = row.HomePts, row.AwayPts
	}
	if g.HomePts == g.AwayPts {
		return Game{}, fmt.Sprintf("no winner (final score %d-%d)", g.HomePts, g.AwayPts)
	}
	g.Periods = fs.Period
	if g.Periods < 4 {
		return Game{}, fmt.Sprintf("play-by-play ends in period %d", g.Periods)
	}
	g.Seconds = model.PeriodStart(g.Periods + 1).Seconds()
	g.Poss = possessions(c, comp)
	g.Box = playerBoxes(c, comp.Final())
	tl := NewTimeline(comp)
	for _, m := range Moments {
		st, err := tl.At(m.Period, m.Clock)
		if err != nil {
			return Game{}, err.Error()
		}
		st.OnCourt = [3][5]model.PlayerID{}
		g.Starts = append(g.Starts, st)
	}
	for _, p := range g.Poss {
		if p.Off == model.Home {
			g.PossHome++
		} else {
			g.PossAway++
		}
	}
	if g.PossHome < 50 || g.PossAway < 50 {
		return Game{}, fmt.Sprintf("only %d/%d possessions in the play-by-play", g.PossHome, g.PossAway)
	}
	return g, ""
}

// fouls tracks team fouls of the current period.
type fouls struct {
	period int
	n      [3]int8
	last2  [3]bool // a team foul in the last two minutes of the period
}

func (f *fouls) reset(period int) { *f = fouls{period: period} }

// countsTeamFoul says whether a foul event adds to its team's fouls for
// the penalty: personal fouls, but not offensive ones (NBA rule 12-B).
func countsTeamFoul(e *model.Event, fa pbp.Facts) bool {
	return e.Type == model.Foul && fa.PersonalFoul && e.Foul != model.FoulOffensive && e.Foul != model.FoulDouble
}

// add records a foul by side at clock.
func (f *fouls) add(side model.Side, clock model.Tenths) {
	if side != model.Home && side != model.Away {
		return
	}
	if f.n[side] < 100 {
		f.n[side]++
	}
	if clock <= 1200 {
		f.last2[side] = true
	}
}

// inBonus says whether side's opponent shoots free throws on a common foul
// by side: five team fouls in a quarter (four in overtime), or a foul
// already committed in the last two minutes.
func inBonus(n int8, last2 bool, period int, clock model.Tenths) bool {
	limit := int8(5)
	if period > 4 {
		limit = 4
	}
	return n >= limit || (clock <= 1200 && last2)
}

func sat8(v int) uint8 {
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// chain counter slots of a possession in progress.
const (
	cTO = iota
	cTrip1
	cTrip2
	cTrip3
	cAnd1
	cFGA2
	cFGM2
	cFGA3
	cFGM3
	cFTA
	cFTM
	cOrebFG
	cOrebFT
	cMissFG
	cMissFTEnd
	nCounts
)

// possessions walks a compiled game and returns its possessions.
func possessions(c *Corpus, comp *pbp.Compiled) []Poss {
	out := make([]Poss, 0, 220)
	var (
		f          fouls
		startFouls fouls
		cur        Poss
		open       bool
		counts     [nCounts]int
		foulsBy    [3]int
		lastMiss   int // 0 none, 1 field goal, 2 last free throw of a trip
		madeSide   model.Side
		madeAt     model.Tenths = -1
		prevScore  [3]int32     // score after the previous event
		startScore [3]int32
		startAt    model.Tenths
		lastEnd    model.Tenths // when the previous possession ended
	)
	start := func(s *pbp.State, period int, at model.Tenths) {
		cur = Poss{Period: uint8(period)}
		cur.Clock = max(model.PeriodStart(period)+model.PeriodLength(period)-at, 0)
		startAt = at
		home, away := comp.OnCourt(s, model.Home), comp.OnCourt(s, model.Away)
		for j := 0; j < 5; j++ {
			cur.Lineup[j] = c.player(home[j])
			cur.Lineup[5+j] = c.player(away[j])
		}
		counts, foulsBy = [nCounts]int{}, [3]int{}
		lastMiss = 0
		startScore, startFouls = prevScore, f
		open = true
	}
	finish := func(off model.Side, at model.Tenths, buzzer bool, score [3]int32) {
		if !open || (off != model.Home && off != model.Away) {
			open = false
			return
		}
		def := off.Other()
		cur.Off = off
		cur.Dur = max(at-startAt, 0)
		cur.Margin = int16(startScore[off] - startScore[def])
		cur.Pts = int8(min(max(score[off]-startScore[off], 0), 100))
		cur.DefFouls = startFouls.n[def]
		cur.Bonus = inBonus(startFouls.n[def], startFouls.last2[def], int(cur.Period), cur.Clock)
		cur.Buzzer = buzzer
		cur.TO, cur.Trip1, cur.Trip2, cur.Trip3, cur.And1 = sat8(counts[cTO]), sat8(counts[cTrip1]), sat8(counts[cTrip2]), sat8(counts[cTrip3]), sat8(counts[cAnd1])
		cur.FGA2, cur.FGM2, cur.FGA3, cur.FGM3 = sat8(counts[cFGA2]), sat8(counts[cFGM2]), sat8(counts[cFGA3]), sat8(counts[cFGM3])
		cur.FTA, cur.FTM, cur.OrebFG, cur.OrebFT = sat8(counts[cFTA]), sat8(counts[cFTM]), sat8(counts[cOrebFG]), sat8(counts[cOrebFT])
		cur.MissFG, cur.MissFTEnd, cur.FoulsDef = sat8(counts[cMissFG]), sat8(counts[cMissFTEnd]), sat8(foulsBy[def])
		out = append(out, cur)
		open = false
	}
	comp.Replay(func(i int, s *pbp.State) {
		e := &comp.Events[i]
		fa := comp.Facts(i)
		if e.Period > 0 && e.Period != f.period {
			if open {
				finish(model.NoSide, e.Elapsed, true, prevScore)
			}
			f.reset(e.Period)
			lastEnd = model.PeriodStart(e.Period)
			start(s, e.Period, lastEnd)
		}
		if !open {
			start(s, e.Period, lastEnd)
		}
		side := e.Side
		switch e.Type {
		case model.ShotMade:
			if e.Three {
				counts[cFGA3]++
				counts[cFGM3]++
			} else {
				counts[cFGA2]++
				counts[cFGM2]++
			}
			madeSide, madeAt = side, e.Elapsed
			lastMiss = 0
		case model.ShotMissed:
			if e.Three {
				counts[cFGA3]++
			} else {
				counts[cFGA2]++
			}
			counts[cMissFG]++
			lastMiss = 1
		case model.FreeThrow:
			if fa.Technical {
				break
			}
			counts[cFTA]++
			if e.Made {
				counts[cFTM]++
			}
			if e.FTNum == 1 || (e.FTNum == 0 && e.FTOf == 0) {
				switch {
				case e.FTOf <= 1 && madeSide == side && madeAt == e.Elapsed:
					counts[cAnd1]++
				case e.FTOf >= 3:
					counts[cTrip3]++
				case e.FTOf == 2:
					counts[cTrip2]++
				default:
					counts[cTrip1]++
				}
			}
			lastMiss = 0
			if !e.Made && e.FTNum > 0 && e.FTNum == e.FTOf {
				counts[cMissFTEnd]++
				lastMiss = 2
			}
		case model.Rebound:
			if fa.OffensiveRebound {
				if lastMiss == 2 {
					counts[cOrebFT]++
				} else {
					counts[cOrebFG]++
				}
			}
			lastMiss = 0
		case model.Turnover:
			if fa.Turnover {
				counts[cTO]++
			}
		case model.Foul:
			if countsTeamFoul(e, fa) {
				f.add(side, e.Clock)
				if side == model.Home || side == model.Away {
					foulsBy[side]++
				}
			}
		}
		if fa.PossessionEnd != model.NoSide {
			finish(fa.PossessionEnd, e.Elapsed, e.Type == model.PeriodEnd, s.Score)
			lastEnd = e.Elapsed
		}
		prevScore = s.Score
	})
	return out
}

// playerBoxes reduces a box score to the lines of the players who played,
// in the box's order.
func playerBoxes(c *Corpus, b model.Box) []PlayerBox {
	out := make([]PlayerBox, 0, len(b.Players))
	for _, l := range b.Players {
		if l.DNP || l.Seconds <= 0 || l.PlayerID == "" || (l.Side != model.Home && l.Side != model.Away) {
			continue
		}
		out = append(out, PlayerBox{Player: c.player(l.PlayerID), Side: l.Side, Seconds: float32(l.Seconds.Seconds()),
			PTS: sat8(l.PTS), FGA: sat8(l.FGA), FG3A: sat8(l.FG3A), FG3M: sat8(l.FG3M), FTA: sat8(l.FTA),
			OREB: sat8(l.OREB), DREB: sat8(l.DREB), AST: sat8(l.AST), STL: sat8(l.STL), BLK: sat8(l.BLK), TOV: sat8(l.TOV), PF: sat8(l.PF)})
	}
	return out
}

// NeutralSite reports whether the games of a date were played at a
// neutral site: the restart of 2019-20 in the Orlando bubble (seeding
// games from 2020-07-30, the playoffs to 2020-10-11), a fact of the
// schedule known before the games.
func NeutralSite(date string) bool { return date >= "2020-07-30" && date <= "2020-10-11" }

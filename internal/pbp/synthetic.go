package pbp

import (
	"fmt"
	"math/rand/v2"

	"github.com/nbasim/nbasim/internal/model"
)

// SyntheticGame generates a realistic game (about 470 events: tip-off,
// possessions ending in makes, misses and rebounds, turnovers with
// steals, fouls and free-throw trips, and-ones, substitutions, timeouts,
// four periods and sometimes overtime) together with the box score it
// must fold into, computed independently of the engine by the generator's
// own bookkeeping. Starters are logged by substitution only at period 1
// (through PlayerInfo.Starter); later periods start with the previous
// period's five plus logged substitutions at the period start, so the
// starter inference runs on every period. Used by tests and benchmarks.
func SyntheticGame(seed uint64) (*model.Game, model.Box) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	gid := fmt.Sprintf("99%08d", seed%100000000)
	g := &model.Game{GameID: gid, Provider: "synthetic", Players: map[model.PlayerID]model.PlayerInfo{},
		Home: model.Team{ID: "1", Code: "HOM"}, Away: model.Team{ID: "2", Code: "AWY"}}
	roster := [3][]model.PlayerID{}
	for _, side := range [2]model.Side{model.Home, model.Away} {
		for j := 0; j < 13; j++ {
			id := model.PlayerID(fmt.Sprintf("%d%02d", side, j))
			roster[side] = append(roster[side], id)
			g.Players[id] = model.PlayerInfo{ID: id, Name: fmt.Sprintf("Player %s", id), Side: side, Starter: j < 5}
		}
	}
	truth := map[model.PlayerID]*model.Stats{}
	for _, side := range [2]model.Side{model.Home, model.Away} {
		for _, id := range roster[side] {
			truth[id] = &model.Stats{}
		}
	}
	on := [3][]model.PlayerID{nil, append([]model.PlayerID{}, roster[model.Home][:5]...), append([]model.PlayerID{}, roster[model.Away][:5]...)}
	since := map[model.PlayerID]model.Tenths{}
	everOn := map[model.PlayerID]bool{}
	entry := map[model.PlayerID]int{}
	score := [3]int{}
	var teamTOV, teamOREB, teamDREB [3]int
	var now model.Tenths
	num := 0
	period := 1
	emit := func(e model.Event) {
		num++
		e.GameID, e.EventNum, e.Period = gid, num, period
		e.Elapsed = now
		e.Clock = model.PeriodStart(period) + model.PeriodLength(period) - now
		e.ScoreHome, e.ScoreAway = score[model.Home], score[model.Away]
		e.Order = len(g.Events)
		g.Events = append(g.Events, e)
	}
	margin := func() int { return score[model.Home] - score[model.Away] }
	leave := func(id model.PlayerID, side model.Side) {
		truth[id].Seconds += now - since[id]
		d := margin() - entry[id]
		if side == model.Away {
			d = -d
		}
		truth[id].PlusMinus += d
	}
	enter := func(id model.PlayerID) { since[id] = now; entry[id] = margin() }
	pick := func(side model.Side) model.PlayerID { return on[side][r.IntN(5)] }
	other := func(side model.Side, not model.PlayerID) model.PlayerID {
		for {
			p := pick(side)
			if p != not {
				return p
			}
		}
	}
	score2 := func(side model.Side, pts int) {
		score[side] += pts
	}
	ft := func(side model.Side, shooter model.PlayerID, k, n int, kind model.FreeThrowKind) bool {
		made := r.Float64() < 0.77
		truth[shooter].FTA++
		if made {
			truth[shooter].FTM++
			truth[shooter].PTS++
			score2(side, 1)
		}
		emit(model.Event{Type: model.FreeThrow, Side: side, Player: shooter, Made: made, FTNum: k, FTOf: n, FTKind: kind, Points: b2i8(made)})
		return made
	}
	rebound := func(shooterSide model.Side) model.Side {
		off := r.Float64() < 0.24
		side := shooterSide.Other()
		if off {
			side = shooterSide
		}
		if r.Float64() < 0.08 {
			kind := model.ReboundDefensive
			if off {
				kind = model.ReboundOffensive
				teamOREB[side]++
			} else {
				teamDREB[side]++
			}
			emit(model.Event{Type: model.Rebound, Side: side, Team: true, Rebound: kind})
			return side
		}
		p := pick(side)
		truth[p].REB++
		if off {
			truth[p].OREB++
		} else {
			truth[p].DREB++
		}
		emit(model.Event{Type: model.Rebound, Side: side, Player: p})
		return side
	}
	substitute := func(side model.Side) {
		slot := r.IntN(5)
		out := on[side][slot]
		var in model.PlayerID
		for {
			in = roster[side][r.IntN(len(roster[side]))]
			isOn := false
			for _, q := range on[side] {
				if q == in {
					isOn = true
				}
			}
			if !isOn {
				break
			}
		}
		leave(out, side)
		on[side][slot] = in
		everOn[in] = true
		enter(in)
		emit(model.Event{Type: model.Substitution, Side: side, SubIn: in, SubOut: out})
	}
	for _, side := range [2]model.Side{model.Home, model.Away} {
		for _, id := range on[side] {
			enter(id)
		}
	}
	offense := model.Home
	periods := 4
	for period = 1; period <= periods; period++ {
		now = model.PeriodStart(period)
		emit(model.Event{Type: model.PeriodBegin})
		if period > 1 {
			// start-of-period substitutions, logged at 12:00
			for _, side := range [2]model.Side{model.Home, model.Away} {
				for k := r.IntN(3); k > 0; k-- {
					substitute(side)
				}
			}
		}
		if period == 1 || period > 4 {
			jh, ja := pick(model.Home), pick(model.Away)
			to := pick(offense)
			emit(model.Event{Type: model.JumpBall, Side: model.Home, Player: jh, Jump2: ja, JumpTo: to})
		}
		end := model.PeriodStart(period) + model.PeriodLength(period)
		for {
			now += model.Tenths(40 + r.IntN(160))
			if now >= end-5 {
				now = end
				break
			}
			d := offense.Other()
			switch x := r.Float64(); {
			case x < 0.13: // turnover
				p := pick(offense)
				if r.Float64() < 0.06 {
					teamTOV[offense]++
					emit(model.Event{Type: model.Turnover, Side: offense, Team: true, Subtype: "shot clock"})
				} else {
					truth[p].TOV++
					var stl model.PlayerID
					if r.Float64() < 0.5 {
						stl = pick(d)
						truth[stl].STL++
					}
					emit(model.Event{Type: model.Turnover, Side: offense, Player: p, Steal: stl, Subtype: "bad pass"})
				}
				offense = d
			case x < 0.22: // shooting foul, two shots
				f, s := pick(d), pick(offense)
				truth[f].PF++
				emit(model.Event{Type: model.Foul, Side: d, Player: f, Fouled: s, Foul: model.FoulShooting})
				ft(offense, s, 1, 2, model.FTRegular)
				if ft(offense, s, 2, 2, model.FTRegular) {
					offense = d
				} else {
					offense = rebound(offense)
				}
			case x < 0.26: // non-shooting foul, then a substitution on the dead ball
				f := pick(d)
				truth[f].PF++
				emit(model.Event{Type: model.Foul, Side: d, Player: f, Fouled: pick(offense), Foul: model.FoulPersonal})
				if r.Float64() < 0.3 {
					emit(model.Event{Type: model.Timeout, Side: d, Team: true})
				}
				substitute(model.Side(1 + r.IntN(2)))
			case x < 0.27: // technical foul on a bench player: no PF, one FT
				bench := roster[d][5+r.IntN(8)]
				emit(model.Event{Type: model.Foul, Side: d, Player: bench, Foul: model.FoulTechnical})
				ft(offense, pick(offense), 1, 1, model.FTTechnical)
			default: // shot
				s := pick(offense)
				three := r.Float64() < 0.36
				pct := 0.52
				if three {
					pct = 0.36
				}
				if r.Float64() < pct {
					pts := 2
					if three {
						pts = 3
						truth[s].FG3M++
						truth[s].FG3A++
					}
					truth[s].FGM++
					truth[s].FGA++
					truth[s].PTS += pts
					var ast model.PlayerID
					if r.Float64() < 0.6 {
						ast = other(offense, s)
						truth[ast].AST++
					}
					score2(offense, pts)
					emit(model.Event{Type: model.ShotMade, Side: offense, Player: s, Assist: ast, Three: three, Made: true, Points: int8(pts)})
					if r.Float64() < 0.04 { // and-one
						f := pick(d)
						truth[f].PF++
						emit(model.Event{Type: model.Foul, Side: d, Player: f, Fouled: s, Foul: model.FoulShooting})
						ft(offense, s, 1, 1, model.FTRegular)
					}
					offense = d
				} else {
					truth[s].FGA++
					if three {
						truth[s].FG3A++
					}
					var blk model.PlayerID
					if !three && r.Float64() < 0.1 {
						blk = pick(d)
						truth[blk].BLK++
					}
					emit(model.Event{Type: model.ShotMissed, Side: offense, Player: s, Three: three, Block: blk})
					offense = rebound(offense)
				}
			}
			if r.Float64() < 0.05 {
				substitute(model.Side(1 + r.IntN(2)))
			}
		}
		emit(model.Event{Type: model.PeriodEnd})
		if period == 4 && score[model.Home] == score[model.Away] || period > 4 && score[model.Home] == score[model.Away] {
			periods++
		}
	}
	period = periods
	for _, side := range [2]model.Side{model.Home, model.Away} {
		for _, id := range on[side] {
			leave(id, side)
		}
	}
	box := model.Box{GameID: gid, Source: "synthetic-truth",
		Home: model.TeamLine{TeamID: "1", Code: "HOM", Side: model.Home}, Away: model.TeamLine{TeamID: "2", Code: "AWY", Side: model.Away}}
	for _, side := range [2]model.Side{model.Home, model.Away} {
		for j, id := range roster[side] {
			if j >= 5 && !everOn[id] {
				continue
			}
			st := *truth[id]
			box.Players = append(box.Players, model.PlayerLine{PlayerID: id, Name: g.Players[id].Name, Side: side, Starter: j < 5, Stats: st})
			tl := &box.Home
			if side == model.Away {
				tl = &box.Away
			}
			tl.Stats.Add(st)
		}
	}
	for _, tl := range []*model.TeamLine{&box.Home, &box.Away} {
		tl.TeamTOV = teamTOV[tl.Side]
		tl.TeamOREB = teamOREB[tl.Side]
		tl.TeamDREB = teamDREB[tl.Side]
		tl.TOV += tl.TeamTOV
		tl.PTS = score[tl.Side]
		tl.Seconds /= 5
		tl.PlusMinus = score[tl.Side] - score[tl.Side.Other()]
	}
	return g, box
}

func b2i8(b bool) int8 {
	if b {
		return 1
	}
	return 0
}

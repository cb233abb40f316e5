package pbp

import (
	"fmt"
	"math/rand/v2"
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
func SyntheticGame(seed uint64) (*Game, Box) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	gid := fmt.Sprintf("99%08d", seed%100000000)
	g := &Game{GameID: gid, Provider: "synthetic", Players: map[PlayerID]PlayerInfo{},
		Home: Team{ID: "1", Code: "HOM"}, Away: Team{ID: "2", Code: "AWY"}}
	roster := [3][]PlayerID{}
	for _, side := range [2]Side{Home, Away} {
		for j := 0; j < 13; j++ {
			id := PlayerID(fmt.Sprintf("%d%02d", side, j))
			roster[side] = append(roster[side], id)
			g.Players[id] = PlayerInfo{ID: id, Name: fmt.Sprintf("Player %s", id), Side: side, Starter: j < 5}
		}
	}
	truth := map[PlayerID]*Stats{}
	for _, side := range [2]Side{Home, Away} {
		for _, id := range roster[side] {
			truth[id] = &Stats{}
		}
	}
	on := [3][]PlayerID{nil, append([]PlayerID{}, roster[Home][:5]...), append([]PlayerID{}, roster[Away][:5]...)}
	since := map[PlayerID]Tenths{}
	everOn := map[PlayerID]bool{}
	entry := map[PlayerID]int{}
	score := [3]int{}
	var teamTOV, teamOREB, teamDREB [3]int
	var now Tenths
	num := 0
	period := 1
	emit := func(e Event) {
		num++
		e.GameID, e.EventNum, e.Period = gid, num, period
		e.Elapsed = now
		e.Clock = PeriodStart(period) + PeriodLength(period) - now
		e.ScoreHome, e.ScoreAway = score[Home], score[Away]
		e.Order = len(g.Events)
		g.Events = append(g.Events, e)
	}
	margin := func() int { return score[Home] - score[Away] }
	leave := func(id PlayerID, side Side) {
		truth[id].Seconds += now - since[id]
		d := margin() - entry[id]
		if side == Away {
			d = -d
		}
		truth[id].PlusMinus += d
	}
	enter := func(id PlayerID) { since[id] = now; entry[id] = margin() }
	pick := func(side Side) PlayerID { return on[side][r.IntN(5)] }
	other := func(side Side, not PlayerID) PlayerID {
		for {
			p := pick(side)
			if p != not {
				return p
			}
		}
	}
	score2 := func(side Side, pts int) {
		score[side] += pts
	}
	ft := func(side Side, shooter PlayerID, k, n int, kind FreeThrowKind) bool {
		made := r.Float64() < 0.77
		truth[shooter].FTA++
		if made {
			truth[shooter].FTM++
			truth[shooter].PTS++
			score2(side, 1)
		}
		emit(Event{Type: FreeThrow, Side: side, Player: shooter, Made: made, FTNum: k, FTOf: n, FTKind: kind, Points: b2i8(made)})
		return made
	}
	rebound := func(shooterSide Side) Side {
		off := r.Float64() < 0.24
		side := shooterSide.Other()
		if off {
			side = shooterSide
		}
		if r.Float64() < 0.08 {
			kind := ReboundDefensive
			if off {
				kind = ReboundOffensive
				teamOREB[side]++
			} else {
				teamDREB[side]++
			}
			emit(Event{Type: Rebound, Side: side, Team: true, Rebound: kind})
			return side
		}
		p := pick(side)
		truth[p].REB++
		if off {
			truth[p].OREB++
		} else {
			truth[p].DREB++
		}
		emit(Event{Type: Rebound, Side: side, Player: p})
		return side
	}
	substitute := func(side Side) {
		slot := r.IntN(5)
		out := on[side][slot]
		var in PlayerID
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
		emit(Event{Type: Substitution, Side: side, SubIn: in, SubOut: out})
	}
	for _, side := range [2]Side{Home, Away} {
		for _, id := range on[side] {
			enter(id)
		}
	}
	offense := Home
	periods := 4
	for period = 1; period <= periods; period++ {
		now = PeriodStart(period)
		emit(Event{Type: PeriodBegin})
		if period > 1 {
			// start-of-period substitutions, logged at 12:00
			for _, side := range [2]Side{Home, Away} {
				for k := r.IntN(3); k > 0; k-- {
					substitute(side)
				}
			}
		}
		if period == 1 || period > 4 {
			jh, ja := pick(Home), pick(Away)
			to := pick(offense)
			emit(Event{Type: JumpBall, Side: Home, Player: jh, Jump2: ja, JumpTo: to})
		}
		end := PeriodStart(period) + PeriodLength(period)
		for {
			now += Tenths(40 + r.IntN(160))
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
					emit(Event{Type: Turnover, Side: offense, Team: true, Subtype: "shot clock"})
				} else {
					truth[p].TOV++
					var stl PlayerID
					if r.Float64() < 0.5 {
						stl = pick(d)
						truth[stl].STL++
					}
					emit(Event{Type: Turnover, Side: offense, Player: p, Steal: stl, Subtype: "bad pass"})
				}
				offense = d
			case x < 0.22: // shooting foul, two shots
				f, s := pick(d), pick(offense)
				truth[f].PF++
				emit(Event{Type: Foul, Side: d, Player: f, Fouled: s, Foul: FoulShooting})
				ft(offense, s, 1, 2, FTRegular)
				if ft(offense, s, 2, 2, FTRegular) {
					offense = d
				} else {
					offense = rebound(offense)
				}
			case x < 0.26: // non-shooting foul, then a substitution on the dead ball
				f := pick(d)
				truth[f].PF++
				emit(Event{Type: Foul, Side: d, Player: f, Fouled: pick(offense), Foul: FoulPersonal})
				if r.Float64() < 0.3 {
					emit(Event{Type: Timeout, Side: d, Team: true})
				}
				substitute(Side(1 + r.IntN(2)))
			case x < 0.27: // technical foul on a bench player: no PF, one FT
				bench := roster[d][5+r.IntN(8)]
				emit(Event{Type: Foul, Side: d, Player: bench, Foul: FoulTechnical})
				ft(offense, pick(offense), 1, 1, FTTechnical)
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
					var ast PlayerID
					if r.Float64() < 0.6 {
						ast = other(offense, s)
						truth[ast].AST++
					}
					score2(offense, pts)
					emit(Event{Type: ShotMade, Side: offense, Player: s, Assist: ast, Three: three, Made: true, Points: int8(pts)})
					if r.Float64() < 0.04 { // and-one
						f := pick(d)
						truth[f].PF++
						emit(Event{Type: Foul, Side: d, Player: f, Fouled: s, Foul: FoulShooting})
						ft(offense, s, 1, 1, FTRegular)
					}
					offense = d
				} else {
					truth[s].FGA++
					if three {
						truth[s].FG3A++
					}
					var blk PlayerID
					if !three && r.Float64() < 0.1 {
						blk = pick(d)
						truth[blk].BLK++
					}
					emit(Event{Type: ShotMissed, Side: offense, Player: s, Three: three, Block: blk})
					offense = rebound(offense)
				}
			}
			if r.Float64() < 0.05 {
				substitute(Side(1 + r.IntN(2)))
			}
		}
		emit(Event{Type: PeriodEnd})
		if period == 4 && score[Home] == score[Away] || period > 4 && score[Home] == score[Away] {
			periods++
		}
	}
	period = periods
	for _, side := range [2]Side{Home, Away} {
		for _, id := range on[side] {
			leave(id, side)
		}
	}
	box := Box{GameID: gid, Source: "synthetic-truth",
		Home: TeamLine{TeamID: "1", Code: "HOM", Side: Home}, Away: TeamLine{TeamID: "2", Code: "AWY", Side: Away}}
	for _, side := range [2]Side{Home, Away} {
		for j, id := range roster[side] {
			if j >= 5 && !everOn[id] {
				continue
			}
			st := *truth[id]
			box.Players = append(box.Players, PlayerLine{PlayerID: id, Name: g.Players[id].Name, Side: side, Starter: j < 5, Stats: st})
			tl := &box.Home
			if side == Away {
				tl = &box.Away
			}
			tl.Stats.Add(st)
		}
	}
	for _, tl := range []*TeamLine{&box.Home, &box.Away} {
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

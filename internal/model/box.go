package model

// Stats are the counting stats of a player or a team box line.
type Stats struct {
	PTS, FGM, FGA, FG3M, FG3A, FTM, FTA     int
	OREB, DREB, REB, AST, STL, BLK, TOV, PF int
	PlusMinus                               int
	Seconds                                 Tenths // time on court
}

// Add adds o into s.
func (s *Stats) Add(o Stats) {
	s.PTS += o.PTS
	s.FGM += o.FGM
	s.FGA += o.FGA
	s.FG3M += o.FG3M
	s.FG3A += o.FG3A
	s.FTM += o.FTM
	s.FTA += o.FTA
	s.OREB += o.OREB
	s.DREB += o.DREB
	s.REB += o.REB
	s.AST += o.AST
	s.STL += o.STL
	s.BLK += o.BLK
	s.TOV += o.TOV
	s.PF += o.PF
	s.PlusMinus += o.PlusMinus
	s.Seconds += o.Seconds
}

// StatNames lists the counting stats compared by verification, in order.
var StatNames = []string{"PTS", "FGM", "FGA", "FG3M", "FG3A", "FTM", "FTA", "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV", "PF"}

// Values returns the counting stats in StatNames order.
func (s Stats) Values() []int {
	return []int{s.PTS, s.FGM, s.FGA, s.FG3M, s.FG3A, s.FTM, s.FTA, s.OREB, s.DREB, s.REB, s.AST, s.STL, s.BLK, s.TOV, s.PF}
}

// PlayerLine is one player's line of a box score.
type PlayerLine struct {
	PlayerID PlayerID
	Name     string
	Side     Side
	TeamID   string
	Starter  bool
	DNP      bool // listed but did not play
	// DNPReason is the provider's reason for a DNP line ("Did Not Play",
	// "Not With Team", "COACH'S DECISION", ...), when it gives one.
	DNPReason string
	Stats
}

// TeamLine is one team's line of a box score. Its stats include team
// rebounds and team turnovers where the source counts them.
type TeamLine struct {
	TeamID string
	Code   string
	Side   Side
	Stats
	// Team rebounds and team turnovers (credited to no player). Stats.TOV
	// of a derived team line includes TeamTOV (the NBA convention); team
	// rebounds are not in Stats.REB (official team REB is the players' sum).
	TeamOREB, TeamDREB, TeamTOV int
	// Possessions the team ended (derived boxes only; docs/pbp-engine.md).
	Possessions int
}

// Box is a box score of one game from one source ("derived" for boxes the
// engine computed, otherwise the provider and endpoint).
type Box struct {
	GameID  string
	Source  string
	Players []PlayerLine
	Home    TeamLine
	Away    TeamLine
	// Range bounds (elapsed game time) for a window box; both zero for a
	// full-game box.
	From, To Tenths
}

// Shooting sums side's scoring and shooting stats (PTS, FGM, FGA, FG3M,
// FG3A, FTM, FTA) over events, as a box score would count them; the other
// fields stay zero. It is the quick cross-check between a stream and a box.
func Shooting(events []Event, side Side) Stats {
	var s Stats
	for i := range events {
		e := &events[i]
		if e.Side != side {
			continue
		}
		switch e.Type {
		case ShotMade, ShotMissed:
			s.FGA++
			if e.Three {
				s.FG3A++
			}
			if e.Made {
				s.FGM++
				s.PTS += int(e.Points)
				if e.Three {
					s.FG3M++
				}
			}
		case FreeThrow:
			s.FTA++
			if e.Made {
				s.FTM++
				s.PTS += int(e.Points)
			}
		}
	}
	return s
}

// ShootingOnly returns s with only the fields Shooting fills.
func (s Stats) ShootingOnly() Stats {
	return Stats{PTS: s.PTS, FGM: s.FGM, FGA: s.FGA, FG3M: s.FG3M, FG3A: s.FG3A, FTM: s.FTM, FTA: s.FTA}
}

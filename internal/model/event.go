// Package model holds the normalized types every stage shares: the rows a
// provider response yields (games, teams, players), the play-by-play event
// model and the box-score lines. Parsers produce them, the store persists
// them, the engine (internal/pbp) folds them; model itself imports nothing
// of nbasim, so data flows one way through it. docs/pbp-model.md documents
// the mapping per provider.
package model

import "fmt"

// Tenths is a duration or a clock reading in tenths of a second.
type Tenths int32

// Seconds returns t as seconds.
func (t Tenths) Seconds() float64 { return float64(t) / 10 }

// String renders t as M:SS.t.
func (t Tenths) String() string {
	if t < 0 {
		return "-" + (-t).String()
	}
	m := t / 600
	s := (t % 600) / 10
	d := t % 10
	return fmt.Sprintf("%d:%02d.%d", m, s, d)
}

// Period lengths in tenths of a second.
const (
	RegulationPeriod Tenths = 12 * 60 * 10
	OvertimePeriod   Tenths = 5 * 60 * 10
)

// PeriodLength returns the length of period p (1-based): 12 minutes for
// periods 1-4, 5 minutes for overtimes.
func PeriodLength(p int) Tenths {
	if p <= 4 {
		return RegulationPeriod
	}
	return OvertimePeriod
}

// PeriodStart returns the game time elapsed when period p starts.
func PeriodStart(p int) Tenths {
	if p <= 1 {
		return 0
	}
	if p <= 5 {
		return Tenths(p-1) * RegulationPeriod
	}
	return 4*RegulationPeriod + Tenths(p-5)*OvertimePeriod
}

// Elapsed converts a (period, clock remaining) pair into game time elapsed.
func Elapsed(period int, clock Tenths) Tenths {
	return PeriodStart(period) + PeriodLength(period) - clock
}

// Side says which team of a game an event or a player belongs to.
type Side uint8

// Sides of a game.
const (
	NoSide Side = iota
	Home
	Away
)

// String returns "home", "away" or "".
func (s Side) String() string {
	switch s {
	case Home:
		return "home"
	case Away:
		return "away"
	}
	return ""
}

// Other returns the opposing side (NoSide stays NoSide).
func (s Side) Other() Side {
	switch s {
	case Home:
		return Away
	case Away:
		return Home
	}
	return NoSide
}

// EventType is the normalized kind of a play-by-play event.
type EventType uint8

// Event types. The numbering is stable (it is stored in the plays table).
const (
	Unknown      EventType = 0
	ShotMade     EventType = 1
	ShotMissed   EventType = 2
	FreeThrow    EventType = 3
	Rebound      EventType = 4
	Turnover     EventType = 5
	Foul         EventType = 6
	Violation    EventType = 7
	Substitution EventType = 8
	Timeout      EventType = 9
	JumpBall     EventType = 10
	Ejection     EventType = 11
	PeriodBegin  EventType = 12
	PeriodEnd    EventType = 13
	Replay       EventType = 18
)

var eventTypeNames = map[EventType]string{
	Unknown: "unknown", ShotMade: "shot_made", ShotMissed: "shot_missed",
	FreeThrow: "free_throw", Rebound: "rebound", Turnover: "turnover", Foul: "foul",
	Violation: "violation", Substitution: "substitution", Timeout: "timeout",
	JumpBall: "jump_ball", Ejection: "ejection", PeriodBegin: "period_start",
	PeriodEnd: "period_end", Replay: "replay",
}

// String returns the snake_case name of t.
func (t EventType) String() string {
	if s, ok := eventTypeNames[t]; ok {
		return s
	}
	return fmt.Sprintf("type_%d", uint8(t))
}

// ParseEventType returns the EventType whose String is name.
func ParseEventType(name string) (EventType, bool) {
	for t, n := range eventTypeNames {
		if n == name {
			return t, true
		}
	}
	return Unknown, false
}

// ReboundKind qualifies a rebound.
type ReboundKind uint8

// Rebound kinds. Team rebounds carry Team=true on the event and one of
// these kinds when it can be told.
const (
	ReboundUnknown ReboundKind = iota
	ReboundOffensive
	ReboundDefensive
)

// FoulKind qualifies a foul.
type FoulKind uint8

// Foul kinds.
const (
	FoulOther FoulKind = iota
	FoulPersonal
	FoulShooting
	FoulOffensive // includes charges
	FoulLooseBall
	FoulTechnical // counts against the team, not the player's PF
	FoulDoubleTechnical
	FoulFlagrant1
	FoulFlagrant2
	FoulClearPath
	FoulAwayFromPlay
	FoulInbound
	FoulDefensive3Seconds // a technical in substance
	FoulDouble            // double personal foul: both players charged
	FoulTransitionTake
)

// FreeThrowKind qualifies a free throw.
type FreeThrowKind uint8

// Free throw kinds.
const (
	FTRegular FreeThrowKind = iota
	FTTechnical
	FTFlagrant
	FTClearPath
)

// PlayerID identifies a player within one provider's id space (NBA person
// id, ESPN athlete id, basketball-reference slug). Empty means none.
type PlayerID string

// Event is one normalized play-by-play event.
type Event struct {
	GameID   string // NBA GAME_ID when known, else the provider's game id
	Order    int    // position in the provider's stream after de-duplication (0-based)
	EventNum int    // provider's own event number (EVENTNUM, actionNumber, sequence)
	Period   int
	Clock    Tenths // remaining in the period
	Elapsed  Tenths // game time elapsed since the opening tip
	Type     EventType
	Subtype  string // provider's action type, lower-case (e.g. "jump shot", "bad pass")

	Side   Side // team of the primary actor (or of a team event)
	Team   bool // a team event: team rebound, team turnover, team foul
	Made   bool // shots and free throws
	Points int8 // points the event scored (0, 1, 2, 3)
	Three  bool // a 3-point attempt

	FTNum, FTOf int // free throw k of n (0 when unknown)
	FTKind      FreeThrowKind
	Rebound     ReboundKind
	Foul        FoulKind

	Player PlayerID // shooter, rebounder, turnover committer, fouler, jumper (home), ejected
	Assist PlayerID
	Block  PlayerID
	Steal  PlayerID
	Fouled PlayerID // player who drew the foul
	SubIn  PlayerID
	SubOut PlayerID
	Jump2  PlayerID // second jumper of a jump ball
	JumpTo PlayerID // player who gained possession of a jump ball

	ScoreHome, ScoreAway int // running score after the event (-1 when the provider does not say)

	Description string
	// Facts are what the provider's parser read from Description and
	// Subtype for the engine, which reads no text itself.
	Facts TextFacts
}

// Team is one team of a game as a provider names it.
type Team struct {
	ID   string // NBA team id when known
	Code string // NBA code: BKN, CHA, PHX, ...
	Name string
	Pts  int
}

// PlayerInfo describes a player seen in a feed.
type PlayerInfo struct {
	ID      PlayerID
	Name    string
	Side    Side
	Starter bool
}

// Game is a normalized play-by-play stream for one game.
type Game struct {
	GameID   string // NBA GAME_ID when known
	Provider string // e.g. "nba_stats/playbyplayv2", "espn/summary"
	Date     string // YYYY-MM-DD (local date of the game) when known
	Home     Team
	Away     Team
	Players  map[PlayerID]PlayerInfo
	Events   []Event
	Warnings []string // quirks handled while parsing (duplicates dropped, ...)
}

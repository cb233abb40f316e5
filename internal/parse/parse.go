// Package parse turns raw provider responses into typed records. Every
// parser is a pure function from bytes to a Result: no I/O, no clock, no
// global state. Provider packages live below (parse/nbastats, parse/nbalive,
// parse/espn, parse/bbref); the registry (registry.go) maps each lake
// dataset to its parser and version.
package parse

import (
	"fmt"

	"github.com/nbasim/nbasim/internal/pbp"
)

// Hint is what the caller knows about the bytes from where they were found
// (the lake key). Parsers check the payload against it (a payload for
// another game is an error) and use it to fill what the payload omits.
type Hint struct {
	Key    string // lake key or file path, for error messages
	Season string // "2018-19" when known
	Item   string // the key's item: game id, date, month, ...
}

// GameRow is one game as a schedule, a game log or a box score describes it.
// Empty fields are unknown; loaders merge rows from several providers.
type GameRow struct {
	GameID     string // NBA GAME_ID
	ESPNID     string
	BBRefID    string
	Season     string
	SeasonType string // regular, playoffs, play_in, preseason, cup_final, allstar
	Date       string // YYYY-MM-DD, US local date
	HomeCode   string // NBA team code (BKN, CHA, PHX, ...)
	AwayCode   string
	HomeTeamID string // NBA team id when known
	AwayTeamID string
	HomePts    int // -1 or 0 with Final=false when not played
	AwayPts    int
	Final      bool
	Periods    int // periods played (4 + overtimes) when the provider says; 0 unknown
}

// TeamRow is a team as a provider describes it.
type TeamRow struct {
	TeamID    string // NBA team id
	Code      string // NBA code
	City      string
	Name      string
	ESPNID    string
	ESPNCode  string
	BBRefCode string
}

// PlayerRow is a player as a provider describes it.
type PlayerRow struct {
	PlayerID string // NBA person id when the provider is NBA; else empty
	Name     string
	ESPNID   string
	BBRefID  string
}

// Issue is a problem with one part of an input (a row, an event, a table)
// that was skipped while the rest parsed. Loaders quarantine each Issue.
type Issue struct {
	Position string // row 17, resultSets[0].rowSet[17], table box-BOS-game-basic row 3, ...
	Reason   string
}

// Result is what a parser extracts from one response.
type Result struct {
	Games   []GameRow
	Teams   []TeamRow
	Players []PlayerRow
	PBP     *pbp.Game // play-by-play, when the response holds it
	Boxes   []pbp.Box // official boxes (full game, or a window with From/To set)
	Issues  []Issue
}

// Error is a parse failure of a whole input.
type Error struct {
	Key      string // file or lake key
	Position string // JSON path, line, table, ...
	Reason   string
	Err      error
}

func (e *Error) Error() string {
	s := "parse " + e.Key
	if e.Position != "" {
		s += " at " + e.Position
	}
	s += ": " + e.Reason
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error for hint's key.
func Errorf(h Hint, position, format string, args ...any) *Error {
	return &Error{Key: h.Key, Position: position, Reason: fmt.Sprintf(format, args...)}
}

// Func is a parser entry point.
type Func func(data []byte, h Hint) (*Result, error)

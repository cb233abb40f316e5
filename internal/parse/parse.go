// Package parse turns raw provider responses into typed records. Every
// parser is a pure function from bytes to a Result: no I/O, no clock, no
// global state. Provider packages live below (parse/nbastats, parse/nbalive,
// parse/espn, parse/bbref); the registry (registry.go) maps each lake
// dataset to its parser and version.
package parse

import (
	"encoding/json"
	"fmt"

	"github.com/nbasim/nbasim/internal/model"
)

// Hint is what the caller knows about the bytes from where they were found
// (the lake key). Parsers check the payload against it (a payload for
// another game is an error) and use it to fill what the payload omits.
type Hint struct {
	Key    string // lake key or file path, for error messages
	Season string // "2018-19" when known
	Item   string // the key's item: game id, date, month, ...
}

// Issue is a problem with one part of an input (a row, an event, a table)
// that was skipped while the rest parsed. Loaders quarantine each Issue.
type Issue struct {
	Position string // row 17, resultSets[0].rowSet[17], table box-BOS-game-basic row 3, ...
	Reason   string
}

// Result is what a parser extracts from one response.
type Result struct {
	Games   []model.GameRow
	Teams   []model.TeamRow
	Players []model.PlayerRow
	PBP     *model.Game // play-by-play, when the response holds it
	Boxes   []model.Box // official boxes (full game, or a window with From/To set)
	// RowSets are the tables of a response of a catalog endpoint without a
	// typed parser, as the generic decoder reads them (stats_rows).
	RowSets []RowSet
	Shots   []model.Shot // shots with their location (shotchartdetail)
	// Tables are rows of typed tables a catalog endpoint's parser fills
	// (player_box_advanced, game_summaries, player_info, ...).
	Tables []model.TableRows
	Issues []Issue
}

// CellText renders cell i of a row set's row as text: a string as it is,
// a number as written in the response, "" for a null or absent cell.
func CellText(row []any, i int) string {
	if i < 0 || i >= len(row) || row[i] == nil {
		return ""
	}
	switch v := row[i].(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	}
	return fmt.Sprint(row[i])
}

// RowSet is one table of a response: a result set's name, headers and
// rows, or a row set flattened from a nested response.
type RowSet struct {
	Name    string   `json:"name"`
	Headers []string `json:"headers"`
	// Rows hold one cell per header: nil, bool, json.Number, string, or
	// json.RawMessage (an array or object cell, as sent).
	Rows [][]any `json:"rows"`
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

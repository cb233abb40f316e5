// Package espn parses ESPN site API responses: the game summary
// (site.api.espn.com/apis/site/v2/sports/basketball/nba/summary?event=ID:
// plays, box score, game info) and the scoreboard of a date
// (.../scoreboard?dates=YYYYMMDD). Every entry point is a parse.Func: a
// pure function from the response bytes to typed records.
//
// Player ids are ESPN athlete ids; team codes are mapped to NBA codes (ESPN
// GS, NY, SA, NO, UTAH, WSH are GSW, NYK, SAS, NOP, UTA, WAS).
// docs/pbp-model-espn-bbref.md documents the mapping and the quirks.
package espn

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/teams"
)

// eastern is the US Eastern time zone used to turn ESPN's UTC start times
// into the US local date the NBA and bbref use. When the zone database is
// absent, a fixed UTC-5 offset gives the same date for every NBA start time
// (no game starts between midnight and 1 a.m. Eastern). The zone file is
// read on first use.
var eastern = sync.OnceValue(func() *time.Location {
	if loc, err := time.LoadLocation("America/New_York"); err == nil {
		return loc
	}
	return time.FixedZone("EST", -5*3600)
})

// localDate turns an ESPN date ("2024-03-17T22:00Z") into the US Eastern
// date "2024-03-17".
func localDate(s string) string {
	for _, layoutStr := range []string{"2006-01-02T15:04Z07:00", time.RFC3339, "2006-01-02T15:04Z"} {
		if t, err := time.Parse(layoutStr, s); err == nil {
			return t.In(eastern()).Format("2006-01-02")
		}
	}
	return ""
}

// seasonOf returns "2023-24" for ESPN season year 2024 (the year the
// season ends).
func seasonOf(endYear int) string {
	if endYear < 1947 || endYear > 2200 {
		return ""
	}
	return layout.Season(endYear - 1).String()
}

// seasonType maps ESPN season type ids: 1 preseason, 2 regular, 3
// postseason, 5 play-in.
func seasonType(id int) string {
	switch id {
	case 1:
		return "preseason"
	case 2:
		return "regular"
	case 3:
		return "playoffs"
	case 5:
		return "play_in"
	}
	return ""
}

// nbaCode maps an ESPN team abbreviation to the NBA code; unknown codes
// (All-Star teams, international clubs) are returned unchanged.
func nbaCode(espn string) string {
	if c := teams.Code(espn); c != "" {
		return c
	}
	return espn
}

// teamByESPNID returns the franchise with the given ESPN team id.
func teamByESPNID(id string) (teams.Team, bool) {
	for _, t := range teams.All() {
		if t.ESPNID == id {
			return t, true
		}
	}
	return teams.Team{}, false
}

// splitMadeAtt parses "7-15" into 7, 15.
func splitMadeAtt(s string) (int, int, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return 0, 0, fmt.Errorf("not made-attempted: %q", s)
	}
	m, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("not made-attempted: %q", s)
	}
	return m, n, nil
}

// atoi parses an integer stat: "" and "--" are 0, "+5" is 5.
func atoi(s string) (int, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	if s == "" || s == "--" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("not an integer: %q", s)
	}
	return n, nil
}

// jsonError turns a decoding error into a *parse.Error naming the offset.
func jsonError(h parse.Hint, what string, err error) *parse.Error {
	pos := what
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		pos = fmt.Sprintf("%s byte %d", what, se.Offset)
	case errors.As(err, &te):
		pos = fmt.Sprintf("%s field %s byte %d", what, te.Field, te.Offset)
	}
	return &parse.Error{Key: h.Key, Position: pos, Reason: "JSON", Err: err}
}

// flexString decodes a JSON string or number into a string (ESPN ids and
// scores are strings in some responses and numbers in others).
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexString(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexString(n.String())
	return nil
}

// flexInt decodes a JSON number or numeric string into an int.
type flexInt int

func (f *flexInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s flexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(string(s), 64)
	if err != nil || v > 1e9 || v < -1e9 {
		return fmt.Errorf("not a number: %s", b)
	}
	*f = flexInt(int(v))
	return nil
}

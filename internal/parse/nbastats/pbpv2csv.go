package nbastats

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/parse"
)

// ParsePlayByPlayV2CSV parses the PlayByPlay result set of playbyplayv2 as
// bulk archives keep it: a CSV with the API's 34 columns as its header line
// and one line per event in API order (pandas' to_csv: empty cells for
// nulls, integer columns holding a null written as floats such as
// "1610612738.0"). The gabriel1200/legacy_pbp archive holds one such CSV per
// game; the Kaggle "NBA Database" play_by_play.csv has the same columns (its
// GAME_ID without the leading zeros, which are restored here).
//
// The rows go through the same code as the JSON response
// (ParsePlayByPlayV2), so both give the same events: exact duplicate lines
// are dropped with a warning, and a line that cannot be read is an Issue
// naming its line number.
func ParsePlayByPlayV2CSV(data []byte, h parse.Hint) (*parse.Result, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, parse.Errorf(h, "line 1", "empty CSV: no header line")
	}
	if err != nil {
		return nil, &parse.Error{Key: h.Key, Position: "line 1", Reason: "CSV header", Err: err}
	}
	rs := &resultSet{data: data, Name: "PlayByPlay"}
	for _, c := range header {
		rs.Headers = append(rs.Headers, strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))))
	}
	gameCol := -1
	for i, c := range rs.Headers {
		if c == "GAME_ID" {
			gameCol = i
		}
	}
	var issues []parse.Issue
	lines := []int{} // CSV line (record) number of each row
	line := 1
	for {
		start := cr.InputOffset()
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line++
		if err != nil {
			issues = append(issues, parse.Issue{Position: "line " + strconv.Itoa(line), Reason: "CSV: " + err.Error()})
			continue
		}
		end := cr.InputOffset()
		row := jval{k: jArr, start: int32(start), end: int32(end), a: make([]jval, len(rec))}
		for i, c := range rec {
			if i == gameCol {
				c = padGameID(c)
			}
			row.a[i] = csvCell(c)
		}
		rs.RowSet = append(rs.RowSet, row)
		lines = append(lines, line)
	}
	if len(rs.RowSet) == 0 && len(issues) == 0 {
		return nil, parse.Errorf(h, "line 2", "no event lines after the header")
	}
	res, err := parseV2Set(rs, 0, h, func(i int) string { return "line " + strconv.Itoa(lines[i]) })
	if err != nil {
		return nil, err
	}
	res.Issues = append(issues, res.Issues...)
	return res, nil
}

// csvCell types a CSV cell like the JSON response would: empty is null,
// a number is a number (so "4.0" reads as the integer 4), else a string.
func csvCell(c string) jval {
	if c == "" {
		return jval{k: jNull}
	}
	if isNumber(c) {
		return jval{k: jNum, s: c}
	}
	return jval{k: jStr, s: c}
}

func isNumber(s string) bool {
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		case c == '-' && i == 0:
		default:
			return false
		}
	}
	return digits > 0
}

// padGameID restores the leading zeros of a 10-digit NBA game id written
// as a number ("21800001", "21800001.0").
func padGameID(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".0")
	if len(s) == 0 || len(s) >= 10 {
		return s
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return s
		}
	}
	return strings.Repeat("0", 10-len(s)) + s
}

package nbastats

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/layout"
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
	rs, gameCol := csvResultSet(data, header)
	ncol := len(rs.Headers)
	var issues []parse.Issue
	lines := []int{} // CSV line (record) number of each row
	line := 1
	off := int(cr.InputOffset())
	// one backing array for the cells of every line of ncol fields: a
	// game's 500 lines are one allocation, not 500
	cells := make([]jval, 0, (bytes.Count(data[off:], []byte{'\n'})+1)*ncol)
	for off < len(data) {
		end := len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			end = off + i + 1
		}
		text := bytes.TrimRight(data[off:end], "\r\n")
		if len(text) == 0 { // csv.Reader skips empty lines
			off = end
			continue
		}
		line++
		if bytes.IndexByte(text, '"') >= 0 {
			// quoted fields (commas or newlines inside): encoding/csv
			rec, next, err := readQuoted(data, off)
			if err != nil {
				issues = append(issues, parse.Issue{Position: "line " + strconv.Itoa(line), Reason: "CSV: " + err.Error()})
				off = next
				continue
			}
			rs.RowSet = append(rs.RowSet, csvRecord(rec, gameCol, off, next))
			lines = append(lines, line)
			off = next
			continue
		}
		// plain fields: each cell is its byte span, its string built on use
		n := bytes.Count(text, []byte{','}) + 1
		var a []jval
		if n == ncol && len(cells)+n <= cap(cells) {
			a = cells[len(cells) : len(cells)+n : len(cells)+n]
			cells = cells[:len(cells)+n]
		} else {
			a = make([]jval, n)
		}
		start := off
		for i := 0; i < n; i++ {
			stop := start + bytes.IndexByte(data[start:off+len(text)], ',')
			if i == n-1 {
				stop = off + len(text)
			}
			a[i] = csvSpan(data, start, stop, i == gameCol)
			start = stop + 1
		}
		rs.RowSet = append(rs.RowSet, jval{k: jArr, start: int32(off), end: int32(end), a: a})
		lines = append(lines, line)
		off = end
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

// csvResultSet starts the result set of a CSV with this header line; it
// returns the GAME_ID column (-1 when absent).
func csvResultSet(data []byte, header []string) (*resultSet, int) {
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
	return rs, gameCol
}

// csvRecord is the row of a record read by encoding/csv from data[start:end].
func csvRecord(rec []string, gameCol, start, end int) jval {
	row := jval{k: jArr, start: int32(start), end: int32(end), a: make([]jval, len(rec))}
	for i, c := range rec {
		if i == gameCol {
			c = padGameID(c)
		}
		row.a[i] = csvCell(c)
	}
	return row
}

// readQuoted reads the CSV record at data[off:] with encoding/csv (quoted
// fields, embedded newlines) and returns it and the offset after it; on an
// error, the offset after the line.
func readQuoted(data []byte, off int) ([]string, int, error) {
	cr := csv.NewReader(bytes.NewReader(data[off:]))
	cr.FieldsPerRecord = -1
	rec, err := cr.Read()
	next := off + int(cr.InputOffset())
	if err != nil {
		next = len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			next = off + i + 1
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) { // line numbers of the file, not of data[off:]
			before := bytes.Count(data[:off], []byte{'\n'})
			pe.StartLine += before
			pe.Line += before
		}
	}
	return rec, next, err
}

// csvSpan types the unquoted CSV cell data[start:stop] like csvCell, its
// string left to build on first use (jval.text) except for the game id,
// whose leading zeros are restored.
func csvSpan(data []byte, start, stop int, gameID bool) jval {
	if start == stop {
		return jval{k: jNull}
	}
	if gameID {
		return csvCell(padGameID(string(data[start:stop])))
	}
	k := jStr
	if isNumber(data[start:stop]) {
		k = jNum
	}
	return jval{k: k, lazy: true, start: int32(start), end: int32(stop)}
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

func isNumber[T string | []byte](s T) bool {
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
// as a number ("21800001", "21800001.0"); anything else stays as it is.
func padGameID(s string) string {
	if id := layout.NBAGameID(s); id != "" {
		return id
	}
	return s
}

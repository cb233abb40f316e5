// Package nbastats parses stats.nba.com responses: playbyplayv2,
// playbyplayv3, boxscoretraditionalv2 (full game and RangeType=2 windows),
// boxscoretraditionalv3 and leaguegamelog (team and player modes). Every
// parser is a pure function from the response bytes to a parse.Result.
package nbastats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/pbp"
)

// resultSet is one entry of a stats.nba.com "resultSets" array, with its
// rows kept raw so that callers can compare them byte for byte.
type resultSet struct {
	Name    string            `json:"name"`
	Headers []string          `json:"headers"`
	RowSet  []json.RawMessage `json:"rowSet"`
}

type response struct {
	Resource   string          `json:"resource"`
	Parameters json.RawMessage `json:"parameters"`
	ResultSets json.RawMessage `json:"resultSets"`
	ResultSet  json.RawMessage `json:"resultSet"` // a few endpoints use the singular
}

// decodeResultSets decodes the resultSets of a v2-style response.
func decodeResultSets(data []byte, h parse.Hint) (*response, []resultSet, error) {
	var r response
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, nil, &parse.Error{Key: h.Key, Reason: "invalid JSON", Err: err}
	}
	raw := r.ResultSets
	if len(raw) == 0 || string(raw) == "null" {
		raw = r.ResultSet
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil, parse.Errorf(h, "resultSets", "missing resultSets")
	}
	raw = bytes.TrimSpace(raw)
	var sets []resultSet
	if raw[0] == '{' {
		var one resultSet
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, nil, &parse.Error{Key: h.Key, Position: "resultSet", Reason: "bad result set", Err: err}
		}
		sets = []resultSet{one}
	} else if err := json.Unmarshal(raw, &sets); err != nil {
		return nil, nil, &parse.Error{Key: h.Key, Position: "resultSets", Reason: "bad result sets", Err: err}
	}
	return &r, sets, nil
}

// find returns the result set called name (case-insensitive).
func find(sets []resultSet, name string) (*resultSet, int) {
	for i := range sets {
		if strings.EqualFold(sets[i].Name, name) {
			return &sets[i], i
		}
	}
	return nil, -1
}

// table gives typed, header-addressed access to the rows of a result set.
type table struct {
	name string
	idx  map[string]int
	cols int
}

func newTable(rs *resultSet, setIdx int, h parse.Hint, required ...string) (*table, error) {
	t := &table{name: rs.Name, idx: make(map[string]int, len(rs.Headers)), cols: len(rs.Headers)}
	for i, c := range rs.Headers {
		t.idx[strings.ToUpper(c)] = i
	}
	for _, c := range required {
		if _, ok := t.idx[c]; !ok {
			return nil, parse.Errorf(h, fmt.Sprintf("resultSets[%d].headers", setIdx), "%s: missing column %s", rs.Name, c)
		}
	}
	return t, nil
}

// row is one decoded row.
type row struct {
	t    *table
	vals []any
}

func (t *table) decode(raw json.RawMessage) (row, error) {
	var vals []any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&vals); err != nil {
		return row{}, err
	}
	if len(vals) != t.cols {
		return row{}, fmt.Errorf("row has %d cells, headers %d", len(vals), t.cols)
	}
	return row{t: t, vals: vals}, nil
}

func (r row) cell(col string) any {
	i, ok := r.t.idx[col]
	if !ok || i >= len(r.vals) {
		return nil
	}
	return r.vals[i]
}

// str returns a string cell ("" for null; numbers rendered).
func (r row) str(col string) string {
	switch v := r.cell(col).(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "1"
		}
		return "0"
	}
	return ""
}

// isNull says whether the cell is null or absent.
func (r row) isNull(col string) bool { return r.cell(col) == nil }

// intv returns an integer cell; ok is false for null, and err for a value
// that is not an integer.
func (r row) intv(col string) (int, bool, error) {
	switch v := r.cell(col).(type) {
	case nil:
		return 0, false, nil
	case json.Number:
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return int(n), true, nil
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
			return 0, false, fmt.Errorf("column %s: %q is not an integer", col, v)
		}
		return int(f), true, nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return 0, false, fmt.Errorf("column %s: %q is not an integer", col, v)
		}
		return n, true, nil
	case bool:
		if v {
			return 1, true, nil
		}
		return 0, true, nil
	}
	return 0, false, fmt.Errorf("column %s: unexpected %T", col, r.cell(col))
}

// id returns an id cell as a decimal string ("" for null or 0).
func (r row) id(col string) (string, error) {
	switch v := r.cell(col).(type) {
	case nil:
		return "", nil
	case string:
		s := strings.TrimSpace(v)
		if s == "0" {
			return "", nil
		}
		return s, nil
	}
	n, ok, err := r.intv(col)
	if err != nil || !ok || n == 0 {
		return "", err
	}
	return strconv.Itoa(n), nil
}

// num returns a numeric cell as an int, rounding (minutes may be floats);
// null is 0.
func (r row) num(col string) (int, error) {
	switch v := r.cell(col).(type) {
	case nil:
		return 0, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e9 {
			return 0, fmt.Errorf("column %s: %q is not a number", col, v)
		}
		return int(math.Round(f)), nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return 0, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e9 {
			return 0, fmt.Errorf("column %s: %q is not a number", col, v)
		}
		return int(math.Round(f)), nil
	}
	return 0, fmt.Errorf("column %s: unexpected %T", col, r.cell(col))
}

// checkGame compares a payload's game id with the hint's item.
func checkGame(h parse.Hint, gameID string) error {
	if h.Item == "" || gameID == "" {
		return nil
	}
	item := h.Item
	if i := strings.IndexByte(item, '_'); i > 0 { // range items: <game>_<from>-<to>
		item = item[:i]
	}
	if len(item) == 10 && item != gameID {
		return parse.Errorf(h, "GAME_ID", "payload is game %s, key names %s", gameID, item)
	}
	return nil
}

// minutesOf reads a minutes cell: a number of minutes (240, 34.5), "MM:SS",
// "MM:SS.t" or ISO-8601 "PT34M12.00S"; null and "" are 0. It returns tenths
// of a second.
func minutesOf(v any) (pbp.Tenths, error) {
	switch x := v.(type) {
	case nil:
		return 0, nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil || f < 0 || f > 1e5 {
			return 0, fmt.Errorf("%q is not minutes", x)
		}
		return pbp.Tenths(math.Round(f * 600)), nil
	case string:
		s := strings.TrimSpace(x)
		if s == "" {
			return 0, nil
		}
		if strings.HasPrefix(s, "PT") || strings.Contains(s, ":") {
			// minutes:seconds, possibly beyond 60 minutes for a team
			if strings.HasPrefix(s, "PT") {
				return ParseClock(s)
			}
			m, sec, _ := strings.Cut(s, ":")
			mi, err := strconv.Atoi(m)
			if err != nil || mi < 0 || mi > 1e4 {
				return 0, fmt.Errorf("%q is not minutes", x)
			}
			f, err := strconv.ParseFloat(sec, 64)
			if err != nil || f < 0 || f >= 60 {
				return 0, fmt.Errorf("%q is not minutes", x)
			}
			return pbp.Tenths(mi*600) + pbp.Tenths(math.Round(f*10)), nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 1e5 {
			return 0, fmt.Errorf("%q is not minutes", x)
		}
		return pbp.Tenths(math.Round(f * 600)), nil
	}
	return 0, fmt.Errorf("unexpected %T", v)
}

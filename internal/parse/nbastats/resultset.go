// Package nbastats parses stats.nba.com responses: playbyplayv2,
// playbyplayv3, boxscoretraditionalv2 (full game and RangeType=2 windows),
// boxscoretraditionalv3 and leaguegamelog (team and player modes). Every
// parser is a pure function from the response bytes to a parse.Result.
package nbastats

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// resultSet is one entry of a stats.nba.com "resultSets" array, with each
// row's raw bytes kept so that callers can compare rows byte for byte.
type resultSet struct {
	data    []byte // the response the rows were parsed from (lazy cells)
	Name    string
	Headers []string
	RowSet  []jval
}

// decodeResultSets decodes the resultSets of a v2-style response.
func decodeResultSets(data []byte, h parse.Hint) (*jval, []resultSet, error) {
	doc, err := jsonParse(data)
	if err != nil {
		return nil, nil, &parse.Error{Key: h.Key, Reason: "invalid JSON", Err: err}
	}
	if doc.k != jObj {
		return nil, nil, parse.Errorf(h, "", "want a JSON object, got %s", doc.k)
	}
	raw := doc.get("resultSets")
	if raw == nil || raw.k == jNull {
		raw = doc.get("resultSet")
	}
	if raw == nil || raw.k == jNull {
		return nil, nil, parse.Errorf(h, "resultSets", "missing resultSets")
	}
	var list []jval
	switch raw.k {
	case jObj:
		list = []jval{*raw}
	case jArr:
		list = raw.a
	default:
		return nil, nil, parse.Errorf(h, "resultSets", "want an array, got %s", raw.k)
	}
	sets := make([]resultSet, 0, len(list))
	for i := range list {
		rs := &list[i]
		pos := fmt.Sprintf("resultSets[%d]", i)
		if rs.k != jObj {
			return nil, nil, parse.Errorf(h, pos, "want an object, got %s", rs.k)
		}
		out := resultSet{data: data}
		if n := rs.get("name"); n != nil && n.k == jStr {
			out.Name = n.text(data)
		}
		hd := rs.get("headers")
		if hd == nil || hd.k != jArr {
			return nil, nil, parse.Errorf(h, pos+".headers", "missing headers")
		}
		for j, c := range hd.a {
			if c.k != jStr {
				// some endpoints use grouped headers (objects): keep a placeholder
				out.Headers = append(out.Headers, fmt.Sprintf("#%d", j))
				continue
			}
			out.Headers = append(out.Headers, c.text(data))
		}
		if rows := rs.get("rowSet"); rows != nil {
			if rows.k != jArr {
				return nil, nil, parse.Errorf(h, pos+".rowSet", "want an array, got %s", rows.k)
			}
			out.RowSet = rows.a
		}
		sets = append(sets, out)
	}
	return &doc, sets, nil
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
	data    []byte
	name    string
	headers []string
	idx     map[string]int
	cols    int
}

func newTable(rs *resultSet, setIdx int, h parse.Hint, required ...string) (*table, error) {
	t := &table{data: rs.data, name: rs.Name, headers: rs.Headers, idx: make(map[string]int, len(rs.Headers)), cols: len(rs.Headers)}
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

// row is one row of a table.
type row struct {
	t    *table
	vals []jval
}

func (t *table) decode(raw jval) (row, error) {
	if raw.k != jArr {
		return row{}, fmt.Errorf("row is a JSON %s, want an array", raw.k)
	}
	if len(raw.a) != t.cols {
		return row{}, fmt.Errorf("row has %d cells, headers %d", len(raw.a), t.cols)
	}
	return row{t: t, vals: raw.a}, nil
}

func (r row) cell(col string) *jval {
	i, ok := r.t.idx[col]
	if !ok {
		return nil
	}
	return r.at(i)
}

func (r row) at(i int) *jval {
	if i < 0 || i >= len(r.vals) {
		return nil
	}
	c := &r.vals[i]
	c.text(r.t.data)
	return c
}

// rowPos names row i of result set si.
func rowPos(si, i int) string {
	return "resultSets[" + strconv.Itoa(si) + "].rowSet[" + strconv.Itoa(i) + "]"
}

func (r row) stri(i int) string { return cellStr(r.at(i)) }

func (r row) inti(i int) (int, bool, error) { return cellInt(r.at(i), r.t.header(i)) }

func (r row) idi(i int) (string, error) { return cellID(r.at(i), r.t.header(i)) }

func (t *table) header(i int) string {
	if i < 0 || i >= len(t.headers) {
		return "#" + strconv.Itoa(i)
	}
	return t.headers[i]
}

// str returns a string cell ("" for null; numbers rendered).
func (r row) str(col string) string { return cellStr(r.cell(col)) }

func cellStr(c *jval) string {
	if c == nil {
		return ""
	}
	switch c.k {
	case jStr, jNum:
		return c.s
	case jBool:
		if c.s == "true" {
			return "1"
		}
		return "0"
	}
	return ""
}

// isNull says whether the cell is null or absent.
func (r row) isNull(col string) bool {
	c := r.cell(col)
	return c == nil || c.k == jNull
}

// intv returns an integer cell; ok is false for null, and err for a value
// that is not an integer.

func cellInt(c *jval, col string) (int, bool, error) {
	if c == nil {
		return 0, false, nil
	}
	switch c.k {
	case jNull:
		return 0, false, nil
	case jNum:
		if n, err := strconv.ParseInt(c.s, 10, 64); err == nil && n > -1e15 && n < 1e15 {
			return int(n), true, nil
		}
		f, err := strconv.ParseFloat(c.s, 64)
		if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e15 {
			return 0, false, fmt.Errorf("column %s: %q is not an integer", col, c.s)
		}
		return int(f), true, nil
	case jStr:
		s := strings.TrimSpace(c.s)
		if s == "" {
			return 0, false, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= -1e15 || n >= 1e15 {
			return 0, false, fmt.Errorf("column %s: %q is not an integer", col, c.s)
		}
		return n, true, nil
	case jBool:
		if c.s == "true" {
			return 1, true, nil
		}
		return 0, true, nil
	}
	return 0, false, fmt.Errorf("column %s: unexpected %s", col, c.k)
}

// id returns an id cell as a decimal string ("" for null or 0).
func (r row) id(col string) (string, error) { return cellID(r.cell(col), col) }

func cellID(c *jval, col string) (string, error) {
	if c == nil || c.k == jNull {
		return "", nil
	}
	if c.k == jStr {
		s := strings.TrimSpace(c.s)
		if s == "0" {
			return "", nil
		}
		return s, nil
	}
	n, ok, err := cellInt(c, col)
	if err != nil || !ok || n == 0 {
		return "", err
	}
	return strconv.Itoa(n), nil
}

// num returns a numeric cell as an int, rounding (minutes may be floats);
// null is 0.
func (r row) num(col string) (int, error) { return cellNum(r.cell(col), col) }

func (r row) numAt(i int, col string) (int, error) { return cellNum(r.at(i), col) }

func cellNum(c *jval, col string) (int, error) {
	if c == nil || c.k == jNull {
		return 0, nil
	}
	switch c.k {
	case jNum, jStr:
		s := strings.TrimSpace(c.s)
		if s == "" {
			return 0, nil
		}
		if n, err := strconv.Atoi(s); err == nil && n > -1e9 && n < 1e9 {
			return n, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1e9 {
			return 0, fmt.Errorf("column %s: %q is not a number", col, c.s)
		}
		return int(math.Round(f)), nil
	}
	return 0, fmt.Errorf("column %s: unexpected %s", col, c.k)
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
func minutesOf(c *jval) (model.Tenths, error) {
	if c == nil || c.k == jNull {
		return 0, nil
	}
	s := strings.TrimSpace(c.s)
	if c.k != jNum && c.k != jStr {
		return 0, fmt.Errorf("unexpected %s", c.k)
	}
	if s == "" {
		return 0, nil
	}
	t, err := model.ParseMinutes(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not minutes", s)
	}
	return t, nil
}

package nbastats

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/nbasim/nbasim/internal/parse"
)

// RowSet is one table of a response (parse.RowSet).
type RowSet = parse.RowSet

// DecodeRowSets decodes any stats.nba.com response into row sets, with no
// per-endpoint code:
//
//   - `resultSets` (an array, or one result set object) or `resultSet`:
//     each result set as it is. Grouped headers (shot locations: a row of
//     categories over spans of columns) become CATEGORY_COLUMN names.
//   - anything else (the v3 box scores, playbyplayv3, scoreboardv3,
//     iststandings, and `resultSets` objects that are not a result set):
//     the document without its `meta` is flattened. Every array of objects
//     is a row set named by its path (boxScoreAdvanced.homeTeam.players),
//     each object a row whose columns are its scalar members, nested
//     objects' members named by their path (statistics.points); an
//     object's own scalars are one row of the set named by its path (the
//     top level's: _root). Items of an array inside an array item carry
//     _parent, the index of that item. Arrays of scalars are cells.
//
// Headers keep the order of first appearance; a row lacking a member has
// nil there. Rows of a result set shorter or longer than its headers are
// an error.
func DecodeRowSets(data []byte, h parse.Hint) ([]RowSet, error) {
	doc, err := jsonParse(data)
	if err != nil {
		return nil, &parse.Error{Key: h.Key, Reason: "invalid JSON", Err: err}
	}
	if doc.k != jObj {
		return nil, parse.Errorf(h, "", "want a JSON object, got %s", doc.k)
	}
	for _, k := range []string{"resultSets", "resultSet"} {
		raw := doc.get(k)
		if raw == nil || raw.k == jNull {
			continue
		}
		switch {
		case raw.k == jArr:
			return resultSetsOf(data, raw.a, k, h)
		case raw.k == jObj && raw.get("name") != nil:
			return resultSetsOf(data, []jval{*raw}, k, h)
		case raw.k == jObj:
			f := flattener{data: data}
			f.object(raw, "", -1)
			return f.sets(), nil
		}
		return nil, parse.Errorf(h, k, "want an array or an object, got %s", raw.k)
	}
	f := flattener{data: data}
	body := jval{k: jObj, o: &[]jpair{}}
	for _, p := range *doc.o {
		if p.key != "meta" && p.key != "Meta" {
			*body.o = append(*body.o, p)
		}
	}
	f.object(&body, "", -1)
	return f.sets(), nil
}

func resultSetsOf(data []byte, list []jval, key string, h parse.Hint) ([]RowSet, error) {
	out := make([]RowSet, 0, len(list))
	for i := range list {
		rs := &list[i]
		pos := fmt.Sprintf("%s[%d]", key, i)
		if rs.k != jObj {
			return nil, parse.Errorf(h, pos, "want an object, got %s", rs.k)
		}
		var set RowSet
		if n := rs.get("name"); n != nil && n.k == jStr {
			set.Name = n.text(data)
		}
		hd := rs.get("headers")
		if hd == nil || hd.k != jArr {
			return nil, parse.Errorf(h, pos+".headers", "missing headers")
		}
		set.Headers = headersOf(data, hd.a)
		if rows := rs.get("rowSet"); rows != nil && rows.k != jNull {
			if rows.k != jArr {
				return nil, parse.Errorf(h, pos+".rowSet", "want an array, got %s", rows.k)
			}
			set.Rows = make([][]any, 0, len(rows.a))
			for j := range rows.a {
				r := &rows.a[j]
				if r.k != jArr {
					return nil, parse.Errorf(h, fmt.Sprintf("%s.rowSet[%d]", pos, j), "want an array, got %s", r.k)
				}
				if len(r.a) != len(set.Headers) {
					return nil, parse.Errorf(h, fmt.Sprintf("%s.rowSet[%d]", pos, j), "%d cells for %d headers", len(r.a), len(set.Headers))
				}
				row := make([]any, len(r.a))
				for c := range r.a {
					row[c] = cell(data, &r.a[c])
				}
				set.Rows = append(set.Rows, row)
			}
		}
		out = append(out, set)
	}
	return out, nil
}

// headersOf reads plain headers, or grouped ones: objects with columnNames,
// the last group naming the columns and the groups before it naming spans
// of them (columnsToSkip, columnSpan).
func headersOf(data []byte, hd []jval) []string {
	if len(hd) == 0 || hd[0].k != jObj {
		out := make([]string, len(hd))
		for i := range hd {
			out[i] = hd[i].text(data)
		}
		return out
	}
	names := func(g *jval) []string {
		var out []string
		if cn := g.get("columnNames"); cn != nil && cn.k == jArr {
			for i := range cn.a {
				out = append(out, cn.a[i].text(data))
			}
		}
		return out
	}
	num := func(g *jval, k string, def int) int {
		v := g.get(k)
		if v == nil || v.k != jNum {
			return def
		}
		var n int
		fmt.Sscan(v.text(data), &n)
		return n
	}
	cols := names(&hd[len(hd)-1])
	for gi := 0; gi < len(hd)-1; gi++ {
		g := &hd[gi]
		skip, span := num(g, "columnsToSkip", 0), num(g, "columnSpan", 1)
		for i, cat := range names(g) {
			for j := 0; j < span; j++ {
				if k := skip + i*span + j; k < len(cols) {
					cols[k] = normName(cat) + "_" + cols[k]
				}
			}
		}
	}
	return cols
}

// normName upper-cases s and turns every run of other characters than
// letters and digits into one _.
func normName(s string) string {
	var b strings.Builder
	us := false
	for _, r := range strings.ToUpper(s) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') || r > 127 {
			b.WriteRune(r)
			us = false
			continue
		}
		if !us {
			b.WriteByte('_')
			us = true
		}
	}
	return strings.Trim(b.String(), "_")
}

func cell(data []byte, v *jval) any {
	switch v.k {
	case jNull:
		return nil
	case jBool:
		return v.text(data) == "true"
	case jNum:
		return json.Number(v.text(data))
	case jStr:
		return v.text(data)
	}
	return json.RawMessage(v.raw(data))
}

// flattener builds the row sets of a nested document.
type flattener struct {
	data  []byte
	order []string
	byKey map[string]*RowSet
	cols  map[string]map[string]int
}

func (f *flattener) set(name string) *RowSet {
	if f.byKey == nil {
		f.byKey, f.cols = map[string]*RowSet{}, map[string]map[string]int{}
	}
	s, ok := f.byKey[name]
	if !ok {
		s = &RowSet{Name: name}
		f.byKey[name], f.cols[name] = s, map[string]int{}
		f.order = append(f.order, name)
	}
	return s
}

func isRowArray(v *jval) bool {
	if v.k != jArr || len(v.a) == 0 {
		return false
	}
	for i := range v.a {
		if v.a[i].k != jObj {
			return false
		}
	}
	return true
}

// leaves collects the scalar members of v (nested objects by path).
func (f *flattener) leaves(v *jval, prefix string, names *[]string, vals *[]any) {
	for _, p := range *v.o {
		name := prefix + p.key
		switch {
		case p.v.k == jObj:
			f.leaves(&p.v, name+".", names, vals)
		case isRowArray(&p.v):
		default:
			*names = append(*names, name)
			*vals = append(*vals, cell(f.data, &p.v))
		}
	}
}

// object adds the top-level row (set _root, or the set at path) and walks
// the arrays of objects.
func (f *flattener) object(v *jval, path string, parent int) {
	name := path
	if name == "" {
		name = "_root"
	}
	f.row(v, name, parent)
	f.arrays(v, path, parent)
}

// row adds v's scalar members as a row of set name, with _parent first
// when parent >= 0; an object without scalars adds no row.
func (f *flattener) row(v *jval, name string, parent int) {
	var names []string
	var vals []any
	f.leaves(v, "", &names, &vals)
	if len(names) == 0 {
		return
	}
	if parent >= 0 {
		names = append([]string{"_parent"}, names...)
		vals = append([]any{json.Number(fmt.Sprint(parent))}, vals...)
	}
	s := f.set(name)
	idx := f.cols[name]
	row := make([]any, len(s.Headers))
	for i, n := range names {
		c, ok := idx[n]
		if !ok {
			c = len(s.Headers)
			idx[n] = c
			s.Headers = append(s.Headers, n)
			row = append(row, nil)
		}
		row[c] = vals[i]
	}
	s.Rows = append(s.Rows, row)
}

// arrays walks the arrays of objects of v and of its nested objects.
// inItem is the index of the array item v is (-1: not an item).
func (f *flattener) arrays(v *jval, path string, inItem int) {
	for _, p := range *v.o {
		sub := p.key
		if path != "" {
			sub = path + "." + p.key
		}
		switch {
		case p.v.k == jObj:
			f.arrays(&p.v, sub, inItem)
		case isRowArray(&p.v):
			for i := range p.v.a {
				par := -1
				if inItem >= 0 {
					par = inItem
				}
				f.item(&p.v.a[i], sub, par, i)
			}
		}
	}
}

// item adds one array item: its row (with _parent when the array is inside
// another array's item), then its own arrays, whose items get its index.
func (f *flattener) item(v *jval, path string, parent, index int) {
	f.row(v, path, parent)
	f.arrays(v, path, index)
}

func (f *flattener) sets() []RowSet {
	out := make([]RowSet, 0, len(f.order))
	for _, n := range f.order {
		s := f.byKey[n]
		for i := range s.Rows { // rows before a later column appeared
			for len(s.Rows[i]) < len(s.Headers) {
				s.Rows[i] = append(s.Rows[i], nil)
			}
		}
		out = append(out, *s)
	}
	return out
}

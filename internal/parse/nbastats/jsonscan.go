package nbastats

import (
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// A small, allocation-light JSON reader. stats.nba.com responses are large
// arrays of scalar rows; encoding/json's reflection spends most of a parse
// there. This reader builds a plain tree in one pass, keeps each array's raw
// bytes (the play-by-play duplicate check compares rows byte for byte) and
// never panics on bad input (a depth limit guards the stack).

type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNum
	jStr
	jArr
	jObj
)

var jkindNames = [...]string{"null", "boolean", "number", "string", "array", "object"}

func (k jkind) String() string { return jkindNames[k] }

type jval struct {
	k          jkind
	lazy       bool     // s not built yet: a string without escapes or a number, at start:end
	start, end int32    // the value's byte span in the input (arrays, objects, lazy scalars)
	s          string   // string content (unescaped), number literal, "true"/"false"
	a          []jval   // array elements
	o          *[]jpair // object members, in order
}

// text returns v's string content or number literal, building it from
// data (the input v was parsed from) on first use: most cells of a result
// set are never read, and allocating them all was a quarter of a parse.
func (v *jval) text(data []byte) string {
	if v.lazy {
		if v.start >= 0 && v.start <= v.end && int(v.end) <= len(data) {
			v.s = string(data[v.start:v.end])
		}
		v.lazy = false
	}
	return v.s
}

// raw returns v's bytes in data, the input it was parsed from.
func (v *jval) raw(data []byte) []byte {
	if v.start < 0 || int(v.end) > len(data) || v.start > v.end {
		return nil
	}
	return data[v.start:v.end]
}

type jpair struct {
	key string
	v   jval
}

// get returns the member called key of an object (nil when absent).
func (v *jval) get(key string) *jval {
	if v == nil || v.k != jObj {
		return nil
	}
	if v.o == nil {
		return nil
	}
	o := *v.o
	for i := range o {
		if o[i].key == key {
			return &o[i].v
		}
	}
	return nil
}

const maxDepth = 256

type jparser struct {
	data  []byte
	pos   int
	stack []jval // scratch for array elements being read
}

// jsonParse parses data as one JSON value.
func jsonParse(data []byte) (jval, error) {
	if len(data) > 1<<31-1 {
		return jval{}, fmt.Errorf("JSON input of %d bytes is too large", len(data))
	}
	p := jparser{data: data}
	// skip a UTF-8 BOM
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		p.pos = 3
	}
	v, err := p.value(0)
	if err != nil {
		return jval{}, err
	}
	p.ws()
	if p.pos != len(p.data) {
		return jval{}, p.errf("unexpected data after the value")
	}
	return v, nil
}

func (p *jparser) errf(format string, args ...any) error {
	return fmt.Errorf("JSON byte %d: %s", p.pos, fmt.Sprintf(format, args...))
}

func (p *jparser) ws() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jparser) value(depth int) (jval, error) {
	if depth > maxDepth {
		return jval{}, p.errf("nested deeper than %d", maxDepth)
	}
	p.ws()
	if p.pos >= len(p.data) {
		return jval{}, p.errf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		return p.strValue()
	case c == 'n':
		return jval{k: jNull}, p.lit("null")
	case c == 't':
		return jval{k: jBool, s: "true"}, p.lit("true")
	case c == 'f':
		return jval{k: jBool, s: "false"}, p.lit("false")
	case c == '-' || (c >= '0' && c <= '9'):
		return p.num()
	case c == 'N': // Python's json.dump writes NaN
		if err := p.lit("NaN"); err != nil {
			return jval{}, err
		}
		return jval{k: jNull}, nil
	default:
		return jval{}, p.errf("unexpected character %q", c)
	}
}

func (p *jparser) lit(s string) error {
	if len(p.data)-p.pos < len(s) || string(p.data[p.pos:p.pos+len(s)]) != s {
		return p.errf("invalid literal")
	}
	p.pos += len(s)
	return nil
}

func (p *jparser) num() (jval, error) {
	start := p.pos
	d := p.data
	i := p.pos
	if i < len(d) && d[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			n++
		}
		return n
	}
	ok := true
	if i < len(d) && d[i] == '0' {
		i++
	} else if digits() == 0 {
		ok = false
	}
	if ok && i < len(d) && d[i] == '.' {
		i++
		ok = digits() > 0
	}
	if ok && i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		ok = digits() > 0
	}
	// the JSON grammar, checked by hand: strconv.ParseFloat on every cell
	// was a tenth of a play-by-play parse
	if !ok || (i < len(d) && ((d[i] >= '0' && d[i] <= '9') || d[i] == '.' || d[i] == 'e' || d[i] == 'E' || d[i] == '+' || d[i] == '-')) {
		for i < len(d) && ((d[i] >= '0' && d[i] <= '9') || d[i] == '.' || d[i] == 'e' || d[i] == 'E' || d[i] == '+' || d[i] == '-') {
			i++
		}
		p.pos = i
		return jval{}, p.errf("invalid number %q", string(d[start:i]))
	}
	p.pos = i
	return jval{k: jNum, lazy: true, start: int32(start), end: int32(i)}, nil
}

// strValue reads a string value: without escapes it stays lazy (see text).
func (p *jparser) strValue() (jval, error) {
	start := p.pos + 1
	for i := start; i < len(p.data); i++ {
		c := p.data[i]
		if c == '"' {
			p.pos = i + 1
			return jval{k: jStr, lazy: true, start: int32(start), end: int32(i)}, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
	}
	s, err := p.str()
	return jval{k: jStr, s: s}, err
}

func (p *jparser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// fast path: no escapes
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := string(p.data[start:p.pos])
			p.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errf("control character in string")
		}
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return string(buf), nil
		case c == '\\':
			if p.pos+1 >= len(p.data) {
				return "", p.errf("unterminated escape")
			}
			e := p.data[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.errf("bad \\u escape")
				}
				if utf16.IsSurrogate(r) {
					r2 := rune(-1)
					if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
						save := p.pos
						p.pos += 2
						var ok2 bool
						if r2, ok2 = p.hex4(); !ok2 {
							p.pos = save
							r2 = -1
						}
					}
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", p.errf("bad escape \\%c", e)
			}
		case c < 0x20:
			return "", p.errf("control character in string")
		default:
			buf = append(buf, c)
			p.pos++
		}
	}
	return "", p.errf("unterminated string")
}

func (p *jparser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	p.pos += 4
	return r, true
}

func (p *jparser) array(depth int) (jval, error) {
	start := p.pos
	p.pos++
	v := jval{k: jArr}
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		v.start, v.end = int32(start), int32(p.pos)
		return v, nil
	}
	base := len(p.stack)
	defer func() { p.stack = p.stack[:base] }()
	for {
		e, err := p.value(depth + 1)
		if err != nil {
			return jval{}, err
		}
		p.stack = append(p.stack, e)
		p.ws()
		if p.pos >= len(p.data) {
			return jval{}, p.errf("unterminated array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			v.start, v.end = int32(start), int32(p.pos)
			v.a = make([]jval, len(p.stack)-base)
			copy(v.a, p.stack[base:])
			return v, nil
		default:
			return jval{}, p.errf("want , or ] in array")
		}
	}
}

func (p *jparser) object(depth int) (jval, error) {
	start := p.pos
	p.pos++
	v := jval{k: jObj, o: new([]jpair)}
	p.ws()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		v.start, v.end = int32(start), int32(p.pos)
		return v, nil
	}
	for {
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return jval{}, p.errf("want a member name")
		}
		key, err := p.str()
		if err != nil {
			return jval{}, err
		}
		p.ws()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return jval{}, p.errf("want : after member name")
		}
		p.pos++
		e, err := p.value(depth + 1)
		if err != nil {
			return jval{}, err
		}
		*v.o = append(*v.o, jpair{key: key, v: e})
		p.ws()
		if p.pos >= len(p.data) {
			return jval{}, p.errf("unterminated object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			v.start, v.end = int32(start), int32(p.pos)
			return v, nil
		default:
			return jval{}, p.errf("want , or } in object")
		}
	}
}

package readonly

import (
	"encoding/base64"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/nbasim/nbasim/internal/jsonx"
)

// jsonLen returns len(json.Marshal(row)) without encoding it, when every
// value is one the database drivers return for plain columns (nil, bool,
// integers, finite floats, strings); ok is false otherwise (the caller
// marshals). Reading a game's plays counts ~13,000 values: the byte cap is
// applied at the cost of a length sum, not an encoding.
func jsonLen(row []any) (n int, ok bool) {
	n = 2 + max(len(row)-1, 0) // [ ] and commas
	var buf [32]byte
	for _, v := range row {
		switch x := v.(type) {
		case nil:
			n += 4
		case bool:
			if x {
				n += 4
			} else {
				n += 5
			}
		case int64:
			n += len(strconv.AppendInt(buf[:0], x, 10))
		case int:
			n += len(strconv.AppendInt(buf[:0], int64(x), 10))
		case int32:
			n += len(strconv.AppendInt(buf[:0], int64(x), 10))
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return 0, false
			}
			n += len(jsonx.AppendFloat(buf[:0], x))
		case string:
			n += jsonStringLen(x)
		case []byte: // base64 in quotes
			n += 2 + base64.StdEncoding.EncodedLen(len(x))
		default:
			return 0, false
		}
	}
	return n, true
}

// jsonStringLen is the length of s as encoding/json (and jsonx.AppendString) writes it (quotes,
// escapes, HTML escaping of <, > and &, \ufffd for invalid UTF-8).
func jsonStringLen(s string) int {
	n := 2
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			switch {
			case b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&':
				n++
			case b == '"' || b == '\\' || b == '\b' || b == '\f' || b == '\n' || b == '\r' || b == '\t':
				n += 2
			default:
				n += 6
			}
			i++
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			n += 6
		case c == '\u2028' || c == '\u2029':
			n += 6
		default:
			n += size
		}
		i += size
	}
	return n
}

// Package jsonx writes JSON values exactly as encoding/json does, into a
// caller's buffer: for the hot paths that write their JSON by hand (the
// web API's box at a moment) or only need its length (package readonly's
// byte cap), without reflection.
package jsonx

import (
	"math"
	"strconv"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// plainASCII says which ASCII bytes a string keeps as they are (all but
// ", \, <, >, & and the control characters): one table load a byte on the hot
// path of the box JSON's names and ids.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return t
}()

// AppendString appends s as a JSON string the way encoding/json does
// with HTML escaping: <, > and & as \u003c..., control characters, U+2028
// and U+2029 escaped, invalid UTF-8 as \ufffd.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if plainASCII[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendStrings appends ss as encoding/json writes a []string (null when
// ss is nil).
func AppendStrings(dst []byte, ss []string) []byte {
	if ss == nil {
		return append(dst, "null"...)
	}
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendString(dst, s)
	}
	return append(dst, ']')
}

// AppendInt appends v in decimal, as encoding/json writes an int: 0 to 99
// (most of a box's numbers) without strconv.
func AppendInt(dst []byte, v int) []byte {
	switch {
	case uint(v) < 10:
		return append(dst, byte('0'+v))
	case uint(v) < 100:
		return append(dst, byte('0'+v/10), byte('0'+v%10))
	}
	return strconv.AppendInt(dst, int64(v), 10)
}

// AppendFloat appends f as encoding/json writes a float64 (shortest
// representation, exponent form outside [1e-6, 1e21)). f must be finite.
// A whole number of tenths (seconds played, a moment's clock: most of a
// box's floats) is written without the general float formatting.
func AppendFloat(dst []byte, f float64) []byte {
	// f == t/10 for an integer t below 1e14: the double nearest N.d, whose
	// shortest form is N.d (N when d is 0): at that size doubles are
	// 0.002 apart at most, so no shorter decimal rounds to f
	if t := math.Round(f * 10); t >= 0 && t < 1e14 && t/10 == f && !math.Signbit(f) {
		n := int64(t)
		dst = strconv.AppendInt(dst, n/10, 10)
		if d := n % 10; d != 0 {
			dst = append(dst, '.', byte('0'+d))
		}
		return dst
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// e-09 -> e-9, as encoding/json does
		if n := len(dst); n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

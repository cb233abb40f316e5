package model

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// asciiLetters spells the letters of player names that Unicode does not
// decompose into a base letter and a combining mark.
var asciiLetters = map[rune]string{
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ħ': "h", 'Ħ': "h",
	'ı': "i", 'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'þ': "th", 'Þ': "th",
}

// FoldName is the one normaliser of people's names, for matching across
// providers and for search: compatibility decomposition (NFKD, from
// golang.org/x/text/unicode/norm) with the combining marks dropped, the
// few letters without a decomposition spelled in ASCII (ø, ł, đ, ß, æ, ...),
// lower case, letters and digits kept, blanks and hyphens one space, other
// punctuation dropped: "Vučević" and "VUCEVIC" -> "vucevic", "Şengün" ->
// "sengun", "Jones Jr." -> "jones jr", "O'Neale" -> "oneale",
// "Gilgeous-Alexander" -> "gilgeous alexander".
func FoldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	put := func(r rune) {
		b.WriteRune(unicode.ToLower(r))
		space = false
	}
	for _, r := range norm.NFKD.String(s) {
		if a, ok := asciiLetters[r]; ok {
			for _, x := range a {
				put(x)
			}
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining mark of the letter before it
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			put(r)
		case unicode.IsSpace(r) || r == '-':
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimRight(b.String(), " ")
}

// NameKey is FoldName without trailing generational suffixes (jr, sr, ii,
// iii, iv, v), for matching one player's lines across providers that write
// the suffix or not: "Gary Trent Jr." and "Gary Trent" -> "gary trent". A
// name that is only a suffix keeps it.
func NameKey(s string) string {
	f := strings.Fields(FoldName(s))
	for len(f) > 1 {
		switch f[len(f)-1] {
		case "jr", "sr", "ii", "iii", "iv", "v":
			f = f[:len(f)-1]
			continue
		}
		break
	}
	return strings.Join(f, " ")
}

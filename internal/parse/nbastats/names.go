package nbastats

import (
	"strings"
	"unicode"
)

// foldTable maps the Latin letters with diacritics that NBA player names
// use (Vučević, Dončić, Nurkić, Şengün, ...) to their ASCII base letter.
var foldTable = map[rune]string{}

func init() {
	pairs := []string{
		"ÀÁÂÃÄÅĀĂĄ", "A", "àáâãäåāăą", "a", "ÇĆĈĊČ", "C", "çćĉċč", "c", "ĎĐ", "D", "ďđ", "d",
		"ÈÉÊËĒĔĖĘĚ", "E", "èéêëēĕėęě", "e", "ĜĞĠĢ", "G", "ĝğġģ", "g", "ĤĦ", "H", "ĥħ", "h",
		"ÌÍÎÏĨĪĬĮİ", "I", "ìíîïĩīĭįı", "i", "Ĵ", "J", "ĵ", "j", "Ķ", "K", "ķ", "k", "ĹĻĽĿŁ", "L", "ĺļľŀł", "l",
		"ÑŃŅŇ", "N", "ñńņňŉ", "n", "ÒÓÔÕÖØŌŎŐ", "O", "òóôõöøōŏő", "o", "ŔŖŘ", "R", "ŕŗř", "r",
		"ŚŜŞŠȘ", "S", "śŝşšș", "s", "ŢŤŦȚ", "T", "ţťŧț", "t", "ÙÚÛÜŨŪŬŮŰŲ", "U", "ùúûüũūŭůűų", "u",
		"Ŵ", "W", "ŵ", "w", "ÝŶŸ", "Y", "ýÿŷ", "y", "ŹŻŽ", "Z", "źżž", "z", "ß", "ss", "Æ", "AE", "æ", "ae",
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		for _, r := range pairs[i] {
			foldTable[r] = pairs[i+1]
		}
	}
}

// FoldName normalizes a player's name for matching across providers:
// diacritics removed, lower case, punctuation other than letters, digits
// and spaces dropped, blanks collapsed ("Vučević" and "Vucevic" -> "vucevic",
// "Jones Jr." -> "jones jr").
func FoldName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if f, ok := foldTable[r]; ok {
			b.WriteString(strings.ToLower(f))
			space = false
			continue
		}
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		case unicode.IsSpace(r) || r == '-':
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	return strings.TrimSpace(b.String())
}

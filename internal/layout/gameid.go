package layout

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// The one grammar of game ids. Every package that recognises a game id
// (keys, archive members, typed ids, the loop's items) asks these.
var (
	nbaGameID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^00[1-6]\d{7}$`) })   // 00 T YY NNNNN: T the season type
	espnID    = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{9}$`) })          // an ESPN event id
	bbrefID   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^\d{8}0[A-Z]{3}$`) }) // YYYYMMDD 0 home team
)

// GameIDKind is the kind of a game id.
type GameIDKind string

// The kinds of game ids.
const (
	NBAGame      GameIDKind = "nba"   // 10 digits, 0021800001
	ShortNBAGame GameIDKind = "short" // the NBA id without its two leading zeros, 21800001
	ESPNGame     GameIDKind = "espn"  // 9 digits, 401585607
	BBRefGame    GameIDKind = "bbref" // date, 0, home team code: 201810160BOS
)

// GameIDSyntax lists the accepted forms, for help texts and errors.
const GameIDSyntax = "an NBA id (0021800001), a short id (21800001), an ESPN id (401585607) or a basketball-reference id (201810160BOS)"

// IsNBAGameID reports whether s is a 10-digit NBA game id 00TYYNNNNN
// (T = 1 preseason .. 6 cup final).
func IsNBAGameID(s string) bool { return nbaGameID().MatchString(s) }

// IsESPNGameID reports whether s is a 9-digit ESPN event id.
func IsESPNGameID(s string) bool { return espnID().MatchString(s) }

// IsBBRefGameID reports whether s is a basketball-reference game id
// (201810160BOS, upper case).
func IsBBRefGameID(s string) bool { return bbrefID().MatchString(s) }

// NBAGameID returns the 10-digit NBA game id that s writes: the id itself
// or its short form without the leading zeros, as spreadsheets and CSVs
// write it ("21800001", "21800001.0"), blanks around it ignored. It
// returns "" when s is no NBA game id.
func NBAGameID(s string) string {
	s = strings.TrimSuffix(strings.TrimSpace(s), ".0")
	if len(s) == 0 || len(s) > 10 {
		return ""
	}
	id := strings.Repeat("0", 10-len(s)) + s
	if !nbaGameID().MatchString(id) {
		return ""
	}
	return id
}

// ParseGameID classifies a game id as typed by its shape: an NBA id, a
// short NBA id, an ESPN id (not starting with 0: "021800001" is an error,
// not the ESPN id it could be) or a bbref id (in any case). canonical is the
// 10-digit NBA id for NBA and short ids, the ESPN id, or the upper-case
// bbref id.
func ParseGameID(s string) (kind GameIDKind, canonical string, err error) {
	in := strings.TrimSpace(s)
	switch {
	case nbaGameID().MatchString(in):
		return NBAGame, in, nil
	case len(in) == 8 && NBAGameID(in) != "":
		return ShortNBAGame, NBAGameID(in), nil
	case espnID().MatchString(in) && in[0] != '0':
		// a typed 9-digit id with a leading 0 is an NBA id missing a digit
		// more likely than an ESPN id of the 1980s
		return ESPNGame, in, nil
	case bbrefID().MatchString(strings.ToUpper(in)):
		return BBRefGame, strings.ToUpper(in), nil
	}
	return "", "", fmt.Errorf("game id %q: want %s", s, GameIDSyntax)
}

// Package teams maps the 30 NBA franchises between the code spaces of the
// providers nbasim collects: NBA (stats.nba.com, cdn.nba.com), ESPN and
// Basketball-Reference, and matches one game across providers' schedules.
//
// NBA codes are canonical in nbasim: every table stores BKN, CHA, PHX, GSW,
// NYK, SAS, NOP, UTA, WAS. ESPN uses GS, NY, SA, NO, UTAH, WSH; bbref uses
// BRK, CHO, PHO. Historical codes (NJN, NOH, NOK, SEA, VAN, CHH, ...) resolve
// to the franchise that carries them today.
package teams

import (
	"strings"
	"sync"
)

// Team is one current NBA franchise.
type Team struct {
	NBAID     string // stats.nba.com TEAM_ID, 1610612737..1610612766
	Code      string // NBA tricode (canonical)
	ESPNID    string // ESPN team id
	ESPNCode  string // ESPN abbreviation
	BBRefCode string // basketball-reference code (current)
	City      string
	Name      string // nickname
	// Aliases are other codes, current or historical, that mean this
	// franchise in some provider or era.
	Aliases []string
}

// FullName is "City Name", e.g. "Golden State Warriors".
func (t Team) FullName() string { return t.City + " " + t.Name }

// All lists the 30 franchises in NBA team id order.
var all = []Team{
	{NBAID: "1610612737", Code: "ATL", ESPNID: "1", ESPNCode: "ATL", BBRefCode: "ATL", City: "Atlanta", Name: "Hawks"},
	{NBAID: "1610612738", Code: "BOS", ESPNID: "2", ESPNCode: "BOS", BBRefCode: "BOS", City: "Boston", Name: "Celtics"},
	{NBAID: "1610612739", Code: "CLE", ESPNID: "5", ESPNCode: "CLE", BBRefCode: "CLE", City: "Cleveland", Name: "Cavaliers"},
	{NBAID: "1610612740", Code: "NOP", ESPNID: "3", ESPNCode: "NO", BBRefCode: "NOP", City: "New Orleans", Name: "Pelicans", Aliases: []string{"NOH", "NOK", "NOR"}},
	{NBAID: "1610612741", Code: "CHI", ESPNID: "4", ESPNCode: "CHI", BBRefCode: "CHI", City: "Chicago", Name: "Bulls"},
	{NBAID: "1610612742", Code: "DAL", ESPNID: "6", ESPNCode: "DAL", BBRefCode: "DAL", City: "Dallas", Name: "Mavericks"},
	{NBAID: "1610612743", Code: "DEN", ESPNID: "7", ESPNCode: "DEN", BBRefCode: "DEN", City: "Denver", Name: "Nuggets"},
	{NBAID: "1610612744", Code: "GSW", ESPNID: "9", ESPNCode: "GS", BBRefCode: "GSW", City: "Golden State", Name: "Warriors", Aliases: []string{"GOS", "GST"}},
	{NBAID: "1610612745", Code: "HOU", ESPNID: "10", ESPNCode: "HOU", BBRefCode: "HOU", City: "Houston", Name: "Rockets"},
	{NBAID: "1610612746", Code: "LAC", ESPNID: "12", ESPNCode: "LAC", BBRefCode: "LAC", City: "LA", Name: "Clippers", Aliases: []string{"SDC"}},
	{NBAID: "1610612747", Code: "LAL", ESPNID: "13", ESPNCode: "LAL", BBRefCode: "LAL", City: "Los Angeles", Name: "Lakers"},
	{NBAID: "1610612748", Code: "MIA", ESPNID: "14", ESPNCode: "MIA", BBRefCode: "MIA", City: "Miami", Name: "Heat"},
	{NBAID: "1610612749", Code: "MIL", ESPNID: "15", ESPNCode: "MIL", BBRefCode: "MIL", City: "Milwaukee", Name: "Bucks"},
	{NBAID: "1610612750", Code: "MIN", ESPNID: "16", ESPNCode: "MIN", BBRefCode: "MIN", City: "Minnesota", Name: "Timberwolves"},
	{NBAID: "1610612751", Code: "BKN", ESPNID: "17", ESPNCode: "BKN", BBRefCode: "BRK", City: "Brooklyn", Name: "Nets", Aliases: []string{"NJN", "BK"}},
	{NBAID: "1610612752", Code: "NYK", ESPNID: "18", ESPNCode: "NY", BBRefCode: "NYK", City: "New York", Name: "Knicks"},
	{NBAID: "1610612753", Code: "ORL", ESPNID: "19", ESPNCode: "ORL", BBRefCode: "ORL", City: "Orlando", Name: "Magic"},
	{NBAID: "1610612754", Code: "IND", ESPNID: "11", ESPNCode: "IND", BBRefCode: "IND", City: "Indiana", Name: "Pacers"},
	{NBAID: "1610612755", Code: "PHI", ESPNID: "20", ESPNCode: "PHI", BBRefCode: "PHI", City: "Philadelphia", Name: "76ers"},
	{NBAID: "1610612756", Code: "PHX", ESPNID: "21", ESPNCode: "PHX", BBRefCode: "PHO", City: "Phoenix", Name: "Suns"},
	{NBAID: "1610612757", Code: "POR", ESPNID: "22", ESPNCode: "POR", BBRefCode: "POR", City: "Portland", Name: "Trail Blazers"},
	{NBAID: "1610612758", Code: "SAC", ESPNID: "23", ESPNCode: "SAC", BBRefCode: "SAC", City: "Sacramento", Name: "Kings"},
	{NBAID: "1610612759", Code: "SAS", ESPNID: "24", ESPNCode: "SA", BBRefCode: "SAS", City: "San Antonio", Name: "Spurs"},
	{NBAID: "1610612760", Code: "OKC", ESPNID: "25", ESPNCode: "OKC", BBRefCode: "OKC", City: "Oklahoma City", Name: "Thunder", Aliases: []string{"SEA"}},
	{NBAID: "1610612761", Code: "TOR", ESPNID: "28", ESPNCode: "TOR", BBRefCode: "TOR", City: "Toronto", Name: "Raptors"},
	{NBAID: "1610612762", Code: "UTA", ESPNID: "26", ESPNCode: "UTAH", BBRefCode: "UTA", City: "Utah", Name: "Jazz", Aliases: []string{"UTH"}},
	{NBAID: "1610612763", Code: "MEM", ESPNID: "29", ESPNCode: "MEM", BBRefCode: "MEM", City: "Memphis", Name: "Grizzlies", Aliases: []string{"VAN"}},
	{NBAID: "1610612764", Code: "WAS", ESPNID: "27", ESPNCode: "WSH", BBRefCode: "WAS", City: "Washington", Name: "Wizards", Aliases: []string{"WSB"}},
	{NBAID: "1610612765", Code: "DET", ESPNID: "8", ESPNCode: "DET", BBRefCode: "DET", City: "Detroit", Name: "Pistons"},
	{NBAID: "1610612766", Code: "CHA", ESPNID: "30", ESPNCode: "CHA", BBRefCode: "CHO", City: "Charlotte", Name: "Hornets", Aliases: []string{"CHH", "CHR"}},
}

// Index maps every code (NBA, ESPN, bbref, aliases), NBA id, full name and
// nickname, upper-cased, to a team index in all (built on first use).
var index = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	add := func(k string, i int) {
		k = strings.ToUpper(strings.TrimSpace(k))
		if k != "" {
			if _, dup := m[k]; !dup {
				m[k] = i
			}
		}
	}
	for i, t := range all {
		add(t.Code, i)
		add(t.NBAID, i)
		add(t.ESPNCode, i)
		add(t.BBRefCode, i)
		add(t.FullName(), i)
		for _, a := range t.Aliases {
			add(a, i)
		}
	}
	// Names that changed or that providers spell differently.
	for alias, code := range map[string]string{
		"LOS ANGELES CLIPPERS":              "LAC",
		"NEW JERSEY NETS":                   "BKN",
		"CHARLOTTE BOBCATS":                 "CHA",
		"NEW ORLEANS HORNETS":               "NOP",
		"SEATTLE SUPERSONICS":               "OKC",
		"VANCOUVER GRIZZLIES":               "MEM",
		"WASHINGTON BULLETS":                "WAS",
		"NEW ORLEANS/OKLAHOMA CITY HORNETS": "NOP",
	} {
		add(alias, m[code])
	}
	// Nicknames last: ambiguous only for history (Hornets), where the
	// current franchise wins.
	for i, t := range all {
		add(t.Name, i)
	}
	return m
})

// All returns the 30 current franchises in NBA team id order (a copy).
func All() []Team {
	out := make([]Team, len(all))
	copy(out, all)
	return out
}

// Lookup finds a team by any code of any provider (BKN, BRK, NJN, GS,
// UTAH, ...), its NBA team id, its full name or its nickname,
// case-insensitively.
func Lookup(s string) (Team, bool) {
	i, ok := index()[strings.ToUpper(strings.TrimSpace(s))]
	if !ok {
		return Team{}, false
	}
	return all[i], true
}

// Code returns the NBA code for any code or name Lookup accepts, or "" when
// unknown.
func Code(s string) string {
	t, ok := Lookup(s)
	if !ok {
		return ""
	}
	return t.Code
}

// ESPNCode returns the ESPN abbreviation of the team s names, or "".
func ESPNCode(s string) string {
	t, ok := Lookup(s)
	if !ok {
		return ""
	}
	return t.ESPNCode
}

// BBRefCode returns the current basketball-reference code of the team s
// names, or "".
func BBRefCode(s string) string {
	t, ok := Lookup(s)
	if !ok {
		return ""
	}
	return t.BBRefCode
}

// ByNBAID returns the team with the given stats.nba.com TEAM_ID.
func ByNBAID(id string) (Team, bool) {
	for _, t := range all {
		if t.NBAID == id {
			return t, true
		}
	}
	return Team{}, false
}

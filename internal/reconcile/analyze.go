package reconcile

import (
	"math"
	"sort"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
)

// Game is one game of a schedule (a row of the store's games table).
type Game struct {
	GameID     string
	Season     string
	SeasonType string
	Date       string // YYYY-MM-DD
	Status     string
	ESPNID     string
	BBRefID    string
	HomeCode   string
}

// Schedule is the store's games by season.
type Schedule map[string][]Game

// Team is one row of the store's teams table.
type Team struct {
	TeamID, Code, BBRefCode string
}

// Inputs is what Analyze reads besides the scan.
type Inputs struct {
	Expectations *Expectations
	Seasons      []layout.Season // seasons to keep complete
	Current      layout.Season   // the season in progress
	Now          time.Time
	Schedule     Schedule
	Teams        []Team
	// Players are the NBA person ids of the players of each season (a box
	// line or a play of one of its games), for per-player expectations
	// (LoadPlayerSeasons); nil when none needs them.
	Players map[string][]string
	// Invalid maps lake keys that failed to parse (raw_objects.parse_status
	// = failed, or quarantined whole) to the reason.
	Invalid map[string]string
	// ScheduleAsListed: a finished season's schedule is complete as stored
	// (config reconcile.schedule_as_listed); no partial-schedule estimate.
	ScheduleAsListed bool
}

// KeyRef names one object of a gap.
type KeyRef struct {
	Item     string `json:"item"`
	Key      string `json:"key"`
	GameDate string `json:"game_date,omitempty"` // YYYY-MM-DD for per-game items
	Reason   string `json:"reason,omitempty"`
}

// Cell is the coverage of one source × dataset × season.
type Cell struct {
	Source      string  `json:"source"`
	Dataset     string  `json:"dataset"`
	Season      string  `json:"season"`
	Enumeration string  `json:"enumeration"`
	Required    bool    `json:"required"`
	Threshold   float64 `json:"threshold"`
	InProgress  bool    `json:"in_progress"`
	Expected    int     `json:"expected"`
	ExpectedMax int     `json:"expected_max,omitempty"` // known counts: playoffs range
	Present     int     `json:"present"`                // expected, present and valid
	// FromAlso: of Present, items held only by a dataset of the
	// expectation's also_from list (a bulk archive's copy).
	FromAlso     int     `json:"present_from_also_from,omitempty"`
	Missing      int     `json:"missing"`
	Stale        int     `json:"stale"`
	Invalid      int     `json:"invalid"`
	Extra        int     `json:"extra"`      // present, valid layout, not expected (preseason, future games, ...)
	Unresolved   int     `json:"unresolved"` // expected games whose id in this source's id space is unknown
	Completeness float64 `json:"completeness"`
	Estimated    bool    `json:"estimated"`
	// ScheduleMissing: the season has no schedule in the store.
	ScheduleMissing bool `json:"schedule_missing"`
	// SchedulePartial: the finished season's schedule in the store holds
	// fewer regular-season games (ScheduleGames) than the season's known
	// count (ScheduleKnown); Expected is raised to the known count, the
	// games not in the schedule are Missing but cannot be named
	// (Unnamed), and the cell is Estimated.
	SchedulePartial bool `json:"schedule_partial,omitempty"`
	ScheduleGames   int  `json:"schedule_games,omitempty"`
	ScheduleKnown   int  `json:"schedule_known_games,omitempty"`
	Unnamed         int  `json:"unnamed,omitempty"`

	MissingKeys []KeyRef `json:"-"`
	StaleKeys   []KeyRef `json:"-"`
	InvalidKeys []KeyRef `json:"-"`
}

// ID returns "source/dataset/season".
func (c *Cell) ID() string { return GroupKey(c.Source, c.Dataset, c.Season) }

// Analysis is the coverage of the lake against the expectations.
type Analysis struct {
	Cells []*Cell `json:"cells"`
	// SchedulesMissing lists the seasons without a schedule in the store.
	SchedulesMissing []string `json:"schedules_missing"`
	// ScheduleKeysPresent: schedule items already in the lake, per season
	// (the schedule is fetched but not loaded).
	ScheduleKeysPresent map[string][]string `json:"schedule_keys_present,omitempty"`
	Expected            int                 `json:"expected"`
	Present             int                 `json:"present"`
	Completeness        float64             `json:"completeness"`
	Estimated           bool                `json:"estimated"`
	Unknown             int64               `json:"unknown"`
	Scan                *ScanResult         `json:"-"`
}

func ratio(present, expected int) float64 {
	if expected <= 0 {
		return 1
	}
	r := float64(present) / float64(expected)
	return math.Max(0, math.Min(1, r))
}

// expectedItem is one item a cell expects.
type expectedItem struct {
	item string
	date string // game date for per-game, YYYY-MM-DD for per-date
}

// Analyze compares the scan with the expectations, per source × dataset ×
// season. Completeness is present-and-valid / expected, within 0..1.
func Analyze(in Inputs, scan *ScanResult) *Analysis {
	a := &Analysis{Scan: scan, Unknown: int64(math.Round(float64(scan.UnknownCount) * scan.Scale())), ScheduleKeysPresent: map[string][]string{}}
	exp := in.Expectations
	for _, s := range in.Seasons {
		if len(in.Schedule[s.String()]) == 0 {
			a.SchedulesMissing = append(a.SchedulesMissing, s.String())
			if exp.Schedule.Source != "" {
				if g := scan.Groups[GroupKey(exp.Schedule.Source, exp.Schedule.Dataset, s.String())]; g != nil {
					for _, it := range exp.Schedule.Items {
						if e, ok := g.Items[it]; ok && e.Size > 0 {
							a.ScheduleKeysPresent[s.String()] = append(a.ScheduleKeysPresent[s.String()], it)
						}
					}
				}
			}
		}
	}
	for i := range exp.Datasets {
		x := &exp.Datasets[i]
		seasons := x.SeasonsFor(in.Seasons, in.Current)
		if x.Layout().Per == layout.PerDump {
			seasons = []layout.Season{0} // one cell, season layout.DumpSeason
		}
		for _, s := range seasons {
			c := analyzeCell(in, scan, x, s)
			a.Cells = append(a.Cells, c)
			a.Expected += c.Expected
			a.Present += c.Present
			a.Estimated = a.Estimated || c.Estimated
		}
	}
	a.Completeness = ratio(a.Present, a.Expected)
	return a
}

func analyzeCell(in Inputs, scan *ScanResult, x *Expectation, s layout.Season) *Cell {
	season := s.String()
	d := x.Layout()
	if d.Per == layout.PerDump {
		season = layout.DumpSeason
	}
	c := &Cell{
		Source: x.Source, Dataset: x.Dataset, Season: season, Enumeration: string(x.Enumeration),
		Required: x.Required, Threshold: x.CompletenessThreshold, InProgress: s == in.Current && d.Per != layout.PerDump,
	}
	g := scan.Groups[GroupKey(x.Source, x.Dataset, season)]
	items := map[string]Entry{}
	if g != nil {
		items = g.Items
	}
	games := in.Schedule[season]
	today := in.Now.UTC().Format("2006-01-02")
	scale := scan.Scale()
	rate := scan.SampleRate
	if scan.Mode != "sample" {
		rate = 1
	}

	// countOnly handles expectations that cannot name keys.
	countOnly := func(expected, expectedMax int, typeOK func(item string) bool) {
		c.Estimated = true
		c.Expected, c.ExpectedMax = expected, expectedMax
		for it, e := range items {
			if !typeOK(it) {
				c.Extra++
				continue
			}
			keyOf := func() string { return Key(d, season, it) }
			if reason := invalidReasonLazy(in, keyOf, e); reason != "" {
				c.Invalid++
				c.InvalidKeys = append(c.InvalidKeys, KeyRef{Item: it, Key: keyOf(), Reason: reason})
				continue
			}
			c.Present++
		}
		c.Present = int(math.Round(float64(c.Present) * scale))
		c.Invalid = int(math.Round(float64(c.Invalid) * scale))
		if c.Present > c.Expected {
			c.Present = c.Expected
		}
		c.Missing = c.Expected - c.Present
		c.Completeness = ratio(c.Present, c.Expected)
	}
	knownCount := func() {
		k, ok := KnownGameCount(s)
		if !ok {
			c.Completeness = ratio(0, 0)
			return
		}
		lo, hi := k.Min(x.SeasonTypes), k.Max(x.SeasonTypes)
		if c.InProgress {
			f := seasonElapsed(s, in.Now)
			lo, hi = int(math.Round(float64(lo)*f)), int(math.Round(float64(hi)*f))
		}
		types := map[string]bool{}
		for _, t := range x.SeasonTypes {
			types[t] = true
		}
		countOnly(lo, hi, func(item string) bool {
			if d.IDKind != "nba" {
				return true // ESPN and bbref ids do not encode the season type
			}
			return types[layout.SeasonTypeOfGameID(item)]
		})
	}

	var want []expectedItem
	switch x.Enumeration {
	case None:
		for it, e := range items {
			if invalidReasonLazy(in, func() string { return Key(d, season, it) }, e) == "" {
				c.Extra++
			} else {
				c.Invalid++
			}
		}
		c.Completeness = 1
		return c
	case PerGameKnownCount:
		knownCount()
		return c
	case PerPlayerSeason, PerPlayer:
		var players []string
		if x.Enumeration == PerPlayer {
			seen := map[string]bool{}
			for _, ids := range in.Players {
				for _, id := range ids {
					if !seen[id] {
						seen[id] = true
						players = append(players, id)
					}
				}
			}
			sort.Strings(players)
		} else {
			players = in.Players[season]
		}
		if len(players) == 0 {
			// no player known: counted, never expected
			c.Enumeration += " (no players in the store)"
			for it, e := range items {
				if invalidReasonLazy(in, func() string { return Key(d, season, it) }, e) == "" {
					c.Extra++
				} else {
					c.Invalid++
				}
			}
			c.Completeness = 1
			return c
		}
		for _, id := range players {
			it, err := x.PlayerItem(id)
			if err != nil || !d.Item.MatchString(it) {
				c.Unresolved++
				continue
			}
			want = append(want, expectedItem{item: it})
		}
	case PerTeamSeason:
		n := len(in.Teams)
		if n == 0 {
			n = 30
		}
		countOnly(n, 0, func(string) bool { return true })
		return c
	case PerGameFromSchedule:
		if len(games) == 0 {
			c.ScheduleMissing = true
			if x.Fallback == PerGameKnownCount {
				c.Enumeration = string(PerGameKnownCount) + " (no schedule)"
				knownCount()
			}
			return c
		}
		types := map[string]bool{}
		for _, t := range x.SeasonTypes {
			types[t] = true
		}
		codes := map[string]string{}
		for _, t := range in.Teams {
			if t.BBRefCode != "" {
				codes[t.Code] = t.BBRefCode
			}
		}
		regular := 0
		for _, gm := range games {
			if gm.SeasonType == "regular" {
				regular++
			}
			if !types[gm.SeasonType] || !gameDue(gm, today) {
				continue
			}
			id := gameItem(d.IDKind, gm, codes)
			if id == "" || !d.Item.MatchString(id) {
				c.Unresolved++
				continue
			}
			want = append(want, expectedItem{item: id, date: gm.Date})
		}
		if k, ok := KnownGameCount(s); ok && !in.ScheduleAsListed && types["regular"] && !c.InProgress && regular < k.Regular {
			c.SchedulePartial, c.ScheduleGames, c.ScheduleKnown = true, regular, k.Regular
		}
	case PerDate:
		if len(games) == 0 {
			c.ScheduleMissing = true
			return c
		}
		dates := map[string]bool{}
		for _, gm := range games {
			if gm.Date != "" && gameDue(gm, today) && !dates[gm.Date] {
				dates[gm.Date] = true
				want = append(want, expectedItem{item: strings.ReplaceAll(gm.Date, "-", ""), date: gm.Date})
			}
		}
	case PerDump:
		for _, it := range x.Items {
			want = append(want, expectedItem{item: it})
		}
	case PerSeason:
		for _, it := range x.Items {
			if itemDue(d, it, s, in.Current, in.Now) {
				want = append(want, expectedItem{item: it})
			}
		}
	}

	wanted := make(map[string]bool, len(want))
	sampledExpected := 0
	for _, w := range want {
		if wanted[w.item] {
			continue
		}
		wanted[w.item] = true
		// keys are built only when needed: a million string
		// concatenations are most of what a complete lake costs here
		key := ""
		if rate < 1 {
			key = Key(d, season, w.item)
			if !keep(key, rate) {
				continue
			}
		}
		keyOf := func() string {
			if key == "" {
				key = Key(d, season, w.item)
			}
			return key
		}
		sampledExpected++
		e, ok := items[w.item]
		if !ok && alsoHas(scan, x, season, w.item) {
			c.Present++
			c.FromAlso++
			continue
		}
		if !ok {
			c.Missing++
			c.MissingKeys = append(c.MissingKeys, KeyRef{Item: w.item, Key: keyOf(), GameDate: w.date})
			continue
		}
		if reason := invalidReasonLazy(in, keyOf, e); reason != "" {
			c.Invalid++
			c.InvalidKeys = append(c.InvalidKeys, KeyRef{Item: w.item, Key: keyOf(), GameDate: w.date, Reason: reason})
			continue
		}
		c.Present++
		if reason := staleReason(x, e, w, c.InProgress, in.Now); reason != "" {
			c.Stale++
			c.StaleKeys = append(c.StaleKeys, KeyRef{Item: w.item, Key: keyOf(), GameDate: w.date, Reason: reason})
		}
	}
	for it := range items {
		if !wanted[it] {
			c.Extra++
		}
	}
	c.Extra = int(math.Round(float64(c.Extra) * scale))
	c.Expected = len(wanted)
	if rate < 1 {
		c.Estimated = true
		comp := ratio(c.Present, sampledExpected)
		c.Present = int(math.Round(comp * float64(c.Expected)))
		c.Missing = int(math.Round(float64(c.Missing) * scale))
		c.Invalid = int(math.Round(float64(c.Invalid) * scale))
		c.Stale = int(math.Round(float64(c.Stale) * scale))
		if c.Missing+c.Invalid > c.Expected-c.Present {
			c.Missing = max(0, c.Expected-c.Present-c.Invalid)
		}
	}
	if c.SchedulePartial {
		// the games the schedule does not hold: counted, not named
		c.Estimated = true
		c.Unnamed = c.ScheduleKnown - c.ScheduleGames
		c.Expected += c.Unnamed
		c.Missing += c.Unnamed
	}
	c.Completeness = ratio(c.Present, c.Expected)
	sortRefs(c.MissingKeys)
	sortRefs(c.StaleKeys)
	sortRefs(c.InvalidKeys)
	return c
}

func sortRefs(r []KeyRef) { sort.Slice(r, func(i, j int) bool { return r[i].Key < r[j].Key }) }

// Key renders the lake key of item in dataset d for season.
func Key(d layout.Dataset, season, item string) string {
	return d.Source + "/" + d.Name + "/" + season + "/" + item + "." + d.Ext
}

// gameDue: a game is expected in the lake once it has been played (status
// final, or its date is before today).
func gameDue(g Game, today string) bool {
	if g.Status == "final" {
		return true
	}
	return g.Date != "" && g.Date < today
}

// gameItem returns the game's item in the given id space ("" if unknown).
// Basketball-reference ids are derived from date and home team when the
// games table does not hold them.
func gameItem(kind string, g Game, bbrefCodes map[string]string) string {
	switch kind {
	case "nba":
		return g.GameID
	case "espn":
		return g.ESPNID
	case "bbref":
		if g.BBRefID != "" {
			return g.BBRefID
		}
		code := bbrefCodes[g.HomeCode]
		if code == "" || len(g.Date) != 10 {
			return ""
		}
		return strings.ReplaceAll(g.Date, "-", "") + "0" + code
	}
	return ""
}

var monthOrder = map[string]int{"august": 0, "september": 1, "october": 2, "november": 3, "december": 4, "january": 5, "february": 6, "march": 7, "april": 8, "may": 9, "june": 10, "july": 11}

// itemDue says whether a per-season item is expected yet: for the season in
// progress, playoff and play-in logs only from mid-April and monthly pages
// only once their month has begun.
func itemDue(d layout.Dataset, item string, s, current layout.Season, now time.Time) bool {
	if s != current {
		return s < current
	}
	if strings.HasPrefix(item, "playoffs") || strings.HasPrefix(item, "play_in") {
		return now.After(time.Date(int(s)+1, time.April, 14, 0, 0, 0, 0, time.UTC))
	}
	if d.Per == layout.PerMonth {
		m, ok := monthOrder[item]
		if !ok {
			return true
		}
		nowIdx := monthOrder[strings.ToLower(now.Month().String())]
		if layout.SeasonOfDate(now) > s {
			return true
		}
		return m <= nowIdx
	}
	return true
}

func invalidReasonLazy(in Inputs, key func() string, e Entry) string {
	if e.Size == 0 {
		return "zero bytes"
	}
	if len(in.Invalid) == 0 {
		return ""
	}
	if r, ok := in.Invalid[key()]; ok {
		if r == "" {
			r = "failed to parse"
		}
		return r
	}
	return ""
}

// staleReason: an object is stale when it is older than the dataset's
// freshness in a season in progress, or when it was fetched before its game
// (or date) could be final (before noon UTC the day after).
func staleReason(x *Expectation, e Entry, w expectedItem, inProgress bool, now time.Time) string {
	if e.ModTime == 0 {
		return ""
	}
	mt := time.Unix(e.ModTime, 0).UTC()
	if w.date != "" {
		if d, err := time.Parse("2006-01-02", w.date); err == nil {
			final := d.Add(36 * time.Hour)
			if mt.Before(final) && now.After(final) {
				return "fetched " + mt.Format(time.RFC3339) + ", before the game was final"
			}
		}
	}
	if inProgress && x.FreshnessDays > 0 {
		limit := now.Add(-time.Duration(x.FreshnessDays * 24 * float64(time.Hour)))
		if mt.Before(limit) {
			return "older than " + trimFloat(x.FreshnessDays) + " days"
		}
	}
	return ""
}

func trimFloat(f float64) string {
	s := strings.TrimRight(strings.TrimRight(strconvF(f), "0"), ".")
	if s == "" {
		return "0"
	}
	return s
}

// alsoHas says whether a dataset of x's also_from list holds item in
// season: a copy that covers the expectation (bulk archives, docs/archive.md).
func alsoHas(scan *ScanResult, x *Expectation, season, item string) bool {
	for _, id := range x.AlsoFrom {
		src, ds, _ := strings.Cut(id, "/")
		if g := scan.Groups[GroupKey(src, ds, season)]; g != nil {
			if e, ok := g.Items[item]; ok && e.Size > 0 {
				return true
			}
		}
	}
	return false
}

package layout

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The nba_simulator bucket's layout, prefix by prefix. Each handler gets the
// key without its top-level prefix and returns the nbasim dataset, season
// and item, or an error whose text is the reason the key is unknown.

type legacyHandler func(rest string) (source, dataset, season, item string, err error)

// legacyHandlers maps each top-level prefix to its handler (built on first
// use).
var legacyHandlers = sync.OnceValue(func() map[string]legacyHandler {
	h := map[string]legacyHandler{}
	espnGame := func(dataset string) legacyHandler {
		return func(rest string) (string, string, string, string, error) {
			m := espnGameFile.FindStringSubmatch(rest)
			if m == nil {
				return "", "", "", "", fmt.Errorf("want {espn_game_id}.json (9 digits)")
			}
			s, err := SeasonOfESPNID(m[1])
			if err != nil {
				return "", "", "", "", err
			}
			return "espn", dataset, s.String(), m[1], nil
		}
	}
	espnDay := func(rest string) (string, string, string, string, error) {
		m := espnDateFile.FindStringSubmatch(rest)
		if m == nil {
			return "", "", "", "", fmt.Errorf("want {YYYYMMDD}.json")
		}
		s, err := seasonOfCompactDate(m[1])
		if err != nil {
			return "", "", "", "", err
		}
		return "espn", "scoreboard", s.String(), m[1], nil
	}
	// ESPN: the current names, the older ones (renamed on 2025-11-06) and
	// the earliest (nba_*): the same data under up to three names.
	for _, p := range []string{"espn_play_by_play", "pbp", "nba_pbp"} {
		h[p] = espnGame("playbyplay")
	}
	for _, p := range []string{"espn_box_scores", "box_scores", "nba_box_score"} {
		h[p] = espnGame("boxscore")
	}
	for _, p := range []string{"espn_team_stats", "team_stats", "nba_team_stats"} {
		h[p] = espnGame("matchup")
	}
	for _, p := range []string{"espn_schedules", "schedule", "nba_schedule_json"} {
		h[p] = espnDay
	}
	h["nba_api_comprehensive"] = nbaAPIComprehensive
	h["nba_api_playbyplay"] = func(rest string) (string, string, string, string, error) {
		m := nbaAPIPBPFile.FindStringSubmatch(rest)
		if m == nil {
			return "", "", "", "", fmt.Errorf("want play_by_play/play_by_play_{GAME_ID}.json")
		}
		return nbaGame("playbyplayv2", m[1])
	}
	h["nba_api_incremental"] = func(rest string) (string, string, string, string, error) {
		m := nbaAPIIncrFile.FindStringSubmatch(rest)
		if m == nil {
			return "", "", "", "", fmt.Errorf("want {YYYY-MM-DD}/game_{GAME_ID}_{pbp|boxscore}.json")
		}
		return nbaGame(map[string]string{"pbp": "playbyplayv2", "boxscore": "boxscoretraditionalv2"}[m[2]], m[1])
	}
	h["basketball_reference"] = basketballReference
	for _, p := range []string{"hoopr_phase1", "hoopr_phase1b", "hoopr_152"} {
		h[p] = hooprCSV
	}
	h["hoopr_parquet"] = func(rest string) (string, string, string, string, error) {
		m := hooprParquetFile.FindStringSubmatch(rest)
		if m == nil {
			return "", "", "", "", fmt.Errorf("want {play_by_play|player_box|schedule|team_box}/nba_data_{YYYY}.parquet")
		}
		s, err := seasonOfEndYear(m[2])
		if err != nil {
			return "", "", "", "", err
		}
		return "hoopr", m[1], s.String(), "nba_data", nil
	}
	h["hoopr_incremental"] = func(rest string) (string, string, string, string, error) {
		m := hooprIncrFile.FindStringSubmatch(rest)
		if m == nil {
			return "", "", "", "", fmt.Errorf("want {YYYY-MM-DD}/game_{espn_game_id}_pbp.json")
		}
		s, err := seasonOfCompactDate(strings.ReplaceAll(m[1], "-", ""))
		if err != nil {
			return "", "", "", "", err
		}
		return "hoopr", "incremental_pbp", s.String(), m[2], nil
	}
	h["kaggle"] = kaggle
	return h
})

// The nba_simulator file-name patterns compile on first use (lazyRegexp):
// only adopting a legacy bucket needs them, not every process start.
var (
	espnGameFile     = lazyRegexp(`^(?:[a-z_]+_)?(\d{9})\.json$`)
	espnDateFile     = lazyRegexp(`^(?:schedule_)?(\d{8})\.json$`)
	nbaAPIPBPFile    = lazyRegexp(`^(?:play_by_play/)?(?:play_?by_?play_)?(\d{10})\.json$`)
	nbaAPIIncrFile   = lazyRegexp(`^\d{4}-\d{2}-\d{2}/game_(\d{10})_(pbp|boxscore)\.json$`)
	nbaAPIGameFile   = lazyRegexp(`^[a-z0-9_]+_(\d{10})\.json$`)
	nbaAPISeasonFile = lazyRegexp(`^([a-z0-9_]+?)_(\d{4}-\d{2}|\d{4})\.json$`)
	nbaAPISeasonDir  = lazyRegexp(`^(\d{4}-\d{2}|\d{4})/([A-Za-z0-9_]+)\.json$`)
	hooprCSVFile     = lazyRegexp(`^(bulk_pbp|bulk_player_box|bulk_team_box|bulk_schedule|league_dashboards|standings|draft)/([a-z0-9_]+?)_(\d{4})\.csv$`)
	hooprStaticFile  = lazyRegexp(`^static_reference/([A-Za-z0-9_]+)\.csv$`)
	hooprParquetFile = lazyRegexp(`^(play_by_play|player_box|schedule|team_box)/nba_data_(\d{4})\.parquet$`)
	hooprIncrFile    = lazyRegexp(`^(\d{4}-\d{2}-\d{2})/game_(\d{9})_pbp\.json$`)
	bbrefSeasonFile  = lazyRegexp(`^(schedules|season_totals|advanced_totals|standings)/(\d{4}(?:-\d{2})?)/([a-z0-9_]+)\.json$`)
	bbrefDateFile    = lazyRegexp(`^(player_box_scores|team_box_scores)/\d{4}(?:-\d{2})?/(\d{4})-(\d{2})-(\d{2})_(?:player|team)_box_scores\.json$`)
	bbrefGameFile    = lazyRegexp(`^(box_scores|pbp)/\d{4}(?:-\d{2})?/(\d{8}0[A-Z]{3})(_pbp)?\.json$`)
	bbrefPBPDateFile = lazyRegexp(`^play_by_play/\d{4}(?:-\d{2})?/(\d{4})-(\d{2})-(\d{2})_([A-Z]{2,4})_play_by_play\.json$`)
	kaggleFile       = lazyRegexp(`^(?:basketball|basketball_database)/(?:(csv)/([A-Za-z0-9_]+)\.csv|([A-Za-z0-9_]+)\.(sqlite)|(play_by_play)/(part_\d{1,6})\.csv|([A-Za-z0-9_]+)\.csv)$`)
)

// nbaAPIFolders maps the sub-folders of nba_simulator's nba_api_comprehensive/
// prefix to catalog endpoints (the endpoint catalog, catalog.yaml, decides
// the lake key). The folder names are the legacy scraper's; an empty
// endpoint means the file name says it: {endpoint}_{season}.json, any
// endpoint of the catalog.
var nbaAPIFolders = []struct {
	folder, endpoint string
	pattern          string // the key pattern under the folder, for errors
}{
	{"boxscores_advanced", "boxscoreadvancedv2", "advanced_{GAME_ID}.json"},
	{"boxscores_traditional", "boxscoretraditionalv2", "traditional_{GAME_ID}.json"},
	{"play_by_play", "playbyplayv2", "playbyplay_{GAME_ID}.json"},
	{"hustle", "hustlestatsboxscore", "hustle_{GAME_ID}.json"},
	{"shot_charts", "shotchartdetail", "shotchart_{GAME_ID}.json"},
	{"tracking", "", "{endpoint}_{season}.json"},
	{"league_dashboards", "", "{endpoint}_{season}.json"},
	{"draft", "", "{endpoint}_{season}.json"},
	{"synergy", "", "{endpoint}_{season}.json"},
	{"game_logs", "", "{endpoint}_{season}.json"},
	{"team_stats", "leaguedashteamstats", "{season}/{MeasureType}.json"},
	{"team_dashboards", "teamdashboardbygeneralsplits", "{season}/{team_id}.json"},
	{"player_stats", "playerdashboardbygeneralsplits", "{season}/{player_id}.json"},
}

// measureTypes are the MeasureType values of stats.nba.com dashboards, by
// the lower-case name the legacy scraper gave its files.
var measureTypes = map[string]string{
	"base": "Base", "advanced": "Advanced", "misc": "Misc", "fourfactors": "Four Factors", "four_factors": "Four Factors",
	"scoring": "Scoring", "opponent": "Opponent", "usage": "Usage", "defense": "Defense",
}

func nbaGame(dataset, id string) (string, string, string, string, error) {
	s, err := SeasonOfGameID(id)
	if err != nil {
		return "", "", "", "", err
	}
	return "nba_stats", dataset, s.String(), id, nil
}

func nbaAPIComprehensive(rest string) (string, string, string, string, error) {
	folder, file, ok := strings.Cut(rest, "/")
	if !ok {
		return "", "", "", "", fmt.Errorf("want {category}/... (a file directly under nba_api_comprehensive/)")
	}
	i := slices.IndexFunc(nbaAPIFolders, func(f struct{ folder, endpoint, pattern string }) bool { return f.folder == folder })
	if i < 0 {
		return "", "", "", "", fmt.Errorf("sub-folder %s/ has no stats.nba.com endpoint of the catalog", folder)
	}
	f := nbaAPIFolders[i]
	name := f.endpoint
	var en Entity
	var variants map[string]string
	if name == "" {
		m := nbaAPISeasonFile.FindStringSubmatch(file)
		if m == nil {
			return "", "", "", "", fmt.Errorf("%s/: want %s", folder, f.pattern)
		}
		name = m[1]
		s, err := seasonOfName(m[2])
		if err != nil {
			return "", "", "", "", err
		}
		en.Season = s.String()
	}
	e, ok := BuiltinCatalog().Endpoint(name)
	if !ok {
		return "", "", "", "", fmt.Errorf("%s/: %s is not a stats.nba.com endpoint of the catalog", folder, name)
	}
	switch {
	case e.Scope == ScopeGame:
		m := nbaAPIGameFile.FindStringSubmatch(file)
		if m == nil {
			return "", "", "", "", fmt.Errorf("%s/: want %s", folder, f.pattern)
		}
		return nbaGame(e.Name, m[1])
	case f.endpoint != "":
		m := nbaAPISeasonDir.FindStringSubmatch(file)
		if m == nil {
			return "", "", "", "", fmt.Errorf("%s/: want %s", folder, f.pattern)
		}
		s, err := seasonOfName(m[1])
		if err != nil {
			return "", "", "", "", err
		}
		en.Season = s.String()
		switch e.Scope {
		case ScopeTeamSeason:
			en.TeamID = m[2]
		case ScopePlayerSeason:
			en.PlayerID = m[2]
		default:
			mt, ok := measureTypes[strings.ToLower(m[2])]
			if !ok {
				return "", "", "", "", fmt.Errorf("%s/: measure type %q is not one of stats.nba.com's", folder, m[2])
			}
			if d, _ := e.ParamDefault("MeasureType"); d != mt {
				variants = map[string]string{"MeasureType": mt}
			}
		}
	case e.Scope != ScopeSeason:
		return "", "", "", "", fmt.Errorf("%s/: %s is per %s, not per season", folder, name, e.Scope)
	}
	item, err := e.Item(en, variants)
	if err != nil {
		return "", "", "", "", err
	}
	return "nba_stats", e.Name, en.Season, item, nil
}

// seasonOfName reads "2023-24", or "2023" (nba_api's start year).
func seasonOfName(s string) (Season, error) {
	if len(s) == 4 {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1946 || y > 2100 {
			return 0, fmt.Errorf("season %q: out of range", s)
		}
		return Season(y), nil
	}
	return ParseSeason(s)
}

// seasonOfEndYear reads the year a season ends (hoopR's and
// basketball-reference's convention: 2024 is 2023-24).
func seasonOfEndYear(s string) (Season, error) {
	y, err := strconv.Atoi(s)
	if err != nil || y < 1947 || y > 2101 {
		return 0, fmt.Errorf("season year %q: out of range", s)
	}
	return Season(y - 1), nil
}

func seasonOfCompactDate(s string) (Season, error) {
	d, err := time.Parse("20060102", s)
	if err != nil {
		return 0, fmt.Errorf("date %q: not a valid YYYYMMDD date", s)
	}
	return SeasonOfDate(d), nil
}

func basketballReference(rest string) (string, string, string, string, error) {
	if m := bbrefSeasonFile.FindStringSubmatch(rest); m != nil {
		var s Season
		var err error
		if len(m[2]) == 4 {
			s, err = seasonOfEndYear(m[2])
		} else {
			s, err = ParseSeason(m[2])
		}
		if err != nil {
			return "", "", "", "", err
		}
		ds := map[string]string{"schedules": "schedule_json", "season_totals": "season_totals_json", "advanced_totals": "advanced_totals_json", "standings": "standings_json"}[m[1]]
		return "bbref", ds, s.String(), m[3], nil
	}
	if m := bbrefDateFile.FindStringSubmatch(rest); m != nil {
		day := m[2] + m[3] + m[4]
		s, err := seasonOfCompactDate(day)
		if err != nil {
			return "", "", "", "", err
		}
		return "bbref", m[1] + "_json", s.String(), day, nil
	}
	if m := bbrefGameFile.FindStringSubmatch(rest); m != nil {
		if (m[1] == "pbp") != (m[3] != "") {
			return "", "", "", "", fmt.Errorf("want box_scores/{year}/{game_id}.json or pbp/{year}/{game_id}_pbp.json")
		}
		s, err := seasonOfCompactDate(m[2][:8])
		if err != nil {
			return "", "", "", "", err
		}
		return "bbref", m[1] + "_json", s.String(), m[2], nil
	}
	if m := bbrefPBPDateFile.FindStringSubmatch(rest); m != nil {
		day := m[1] + m[2] + m[3]
		s, err := seasonOfCompactDate(day)
		if err != nil {
			return "", "", "", "", err
		}
		return "bbref", "play_by_play_json", s.String(), day + "_" + m[4], nil
	}
	return "", "", "", "", fmt.Errorf("not a basketball_reference scraper output the layout knows (schedules/, season_totals/, advanced_totals/, standings/, player_box_scores/, team_box_scores/, box_scores/, pbp/, play_by_play/)")
}

func hooprCSV(rest string) (string, string, string, string, error) {
	if m := hooprCSVFile.FindStringSubmatch(rest); m != nil {
		s, err := seasonOfEndYear(m[3])
		if err != nil {
			return "", "", "", "", err
		}
		return "hoopr", m[1], s.String(), m[2], nil
	}
	if m := hooprStaticFile.FindStringSubmatch(rest); m != nil {
		return "hoopr", "static_reference", DumpSeason, strings.ToLower(m[1]), nil
	}
	return "", "", "", "", fmt.Errorf("want {bulk_pbp|bulk_player_box|bulk_team_box|bulk_schedule|league_dashboards|standings|draft}/{name}_{YYYY}.csv or static_reference/{name}.csv")
}

func kaggle(rest string) (string, string, string, string, error) {
	m := kaggleFile.FindStringSubmatch(rest)
	switch {
	case m == nil:
		return "", "", "", "", fmt.Errorf("want basketball/csv/{table}.csv, basketball/nba.sqlite or basketball/play_by_play/part_NNNN.csv")
	case m[1] != "":
		return "kaggle", "csv", DumpSeason, strings.ToLower(m[2]), nil
	case m[4] != "":
		return "kaggle", "sqlite", DumpSeason, strings.ToLower(m[3]), nil
	case m[5] != "":
		return "kaggle", "play_by_play_parts", DumpSeason, m[6], nil
	default:
		return "kaggle", "csv", DumpSeason, strings.ToLower(m[7]), nil
	}
}

// mapLegacy maps an nba_simulator key to its nbasim key.
func mapLegacy(key string) (Key, Dataset, error) {
	top, rest, ok := strings.Cut(key, "/")
	if !ok {
		return Key{}, Dataset{}, &ParseError{key, "an object at the top of the bucket: the nba_simulator layout keeps data under prefixes"}
	}
	if r := NotDataPrefix(top); r != "" {
		return Key{}, Dataset{}, &NotDataError{Key: key, Prefix: top + "/", Reason: r}
	}
	h, ok := legacyHandlers()[top]
	if !ok {
		return Key{}, Dataset{}, &ParseError{key, "prefix " + top + "/ is not in the nba_simulator layout"}
	}
	src, ds, season, item, err := h(rest)
	if err != nil {
		return Key{}, Dataset{}, &ParseError{key, top + "/: " + err.Error()}
	}
	d, ok := Lookup(src, ds)
	if !ok {
		return Key{}, Dataset{}, &ParseError{key, fmt.Sprintf("%s/: no dataset %s/%s", top, src, ds)}
	}
	if !d.Item.MatchString(item) {
		return Key{}, d, &ParseError{key, fmt.Sprintf("%s/: item %q does not match %s", top, item, d.Item)}
	}
	return Key{Source: src, Dataset: ds, Season: season, Item: item, Ext: d.Ext}, d, nil
}

// espnSeasonStarts are the first ESPN event ids of each season since ESPN
// moved to 4xxxxxxxx ids (2013-14); ids of a season's preseason, regular
// season and playoffs fall between its start and the next season's. The
// boundaries are approximate (within the summer between seasons); the
// payload's header.season is authoritative (the importer reads it).
var espnSeasonStarts = []struct {
	season Season
	first  int
}{
	{2013, 400480000}, {2014, 400570000}, {2015, 400820000}, {2016, 400890000},
	{2017, 400970000}, {2018, 401060000}, {2019, 401150000}, {2020, 401240000},
	{2021, 401340000}, {2022, 401440000}, {2023, 401560000}, {2024, 401700000},
	{2025, 401800000},
}

// SeasonOfESPNID returns the season of an ESPN event id: old-style ids
// (up to 2012-13; a leading 0 to 3) are YYMMDD + a 3-digit number with the year 1980+YY
// (131105001 is a game of 1993-11-05); 4xxxxxxxx ids (2013-14 on) are
// placed by the table of each season's first id.
func SeasonOfESPNID(id string) (Season, error) {
	if !espnID().MatchString(id) {
		return 0, fmt.Errorf("espn id %q: want 9 digits", id)
	}
	if id[0] <= '3' {
		yy, _ := strconv.Atoi(id[:2])
		d, err := time.Parse("20060102", strconv.Itoa(1980+yy)+id[2:6])
		if err != nil {
			return 0, fmt.Errorf("espn id %q: old-style id without a valid date YYMMDD (year 1980+YY)", id)
		}
		return SeasonOfDate(d), nil
	}
	n, _ := strconv.Atoi(id)
	if id[0] != '4' || n < espnSeasonStarts[0].first {
		return 0, fmt.Errorf("espn id %q: neither an old-style YYMMDDNNN id nor in the 4xxxxxxxx ranges of 2013-14 on", id)
	}
	s := espnSeasonStarts[0].season
	for _, r := range espnSeasonStarts {
		if n >= r.first {
			s = r.season
		}
	}
	return s, nil
}

// ESPNSeasonFirstID returns the first ESPN id of season s in the table of
// 4xxxxxxxx ids (0 before 2013-14): synthetic buckets use it.
func ESPNSeasonFirstID(s Season) int {
	for _, r := range espnSeasonStarts {
		if r.season == s {
			return r.first
		}
	}
	return 0
}

// lazyRE is a regexp compiled on first use.
type lazyRE struct {
	expr string
	re   func() *regexp.Regexp
}

func lazyRegexp(expr string) *lazyRE {
	return &lazyRE{expr: expr, re: sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// FindStringSubmatch is regexp.Regexp's.
func (l *lazyRE) FindStringSubmatch(s string) []string { return l.re().FindStringSubmatch(s) }

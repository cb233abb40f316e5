package synth

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
)

// LegacyShares are the objects per prefix of nba_simulator's bucket in
// November 2025 (../shared/reference/legacy-bucket-layout.md, 172,975 in
// all). PlanLegacy writes the same shares; "other" stands for the small
// prefixes that hold no data (scripts, query results, model artefacts,
// experiments).
var LegacyShares = []struct {
	Prefix  string
	Objects int
}{
	{"espn_team_stats/", 46101}, {"espn_box_scores/", 44836}, {"espn_play_by_play/", 44826},
	{"espn_schedules/", 11633}, {"nba_api_comprehensive/", 22256}, {"nba_api_playbyplay/", 2163},
	{"basketball_reference/", 444}, {"hoopr_phase1/", 314}, {"hoopr_parquet/", 96}, {"kaggle/", 185},
	{"other", 121},
}

// LegacyCopyShare is the share of the ESPN objects also written under the
// older names (pbp/, box_scores/, team_stats/, schedule/, and for a third
// of them the earliest nba_* names too): the copies nba_simulator kept when
// it renamed its prefixes. One copy in ten differs from the current object
// (an earlier version).
const LegacyCopyShare = 0.03

// legacyNotData are the not-data prefixes of a synthetic legacy bucket and
// their shares of "other".
var legacyNotData = []struct {
	prefix, pattern string
	share           float64
}{
	{"scripts/", "scripts/etl/job_%03d.py", 0.33},
	{"athena-results/", "athena-results/query-%04d.csv", 0.25},
	{"ml-models/", "ml-models/model_v%d/model.pkl", 0.09},
	{"ml-features/", "ml-features/features_%d.parquet", 0.09},
	{"nba_api_reverse/", "nba_api_reverse/probe_%d.json", 0.08},
	{"sportsdataverse/", "sportsdataverse/nba_schedule_%d.json", 0.08},
	{"box_score_snapshots/", "box_score_snapshots/snap_%d.json", 0.08},
}

// KaggleTables are the CSV tables of the Kaggle "NBA Database" dump.
var KaggleTables = []string{"common_player_info", "draft_combine_stats", "draft_history", "game", "game_info", "game_summary",
	"inactive_players", "line_score", "officials", "other_stats", "play_by_play", "player", "team", "team_details",
	"team_history", "team_info_common"}

// HooprDashboards are the league dashboards hoopR phase 1 exported per season.
var HooprDashboards = []string{"player_stats", "team_stats", "lineups_5man", "player_tracking", "hustle_player", "hustle_team"}

// legacySeasonEndpoints are the per-season stats.nba.com files of a
// synthetic nba_api_comprehensive/ prefix (league_dashboards/, tracking/).
var legacySeasonEndpoints = map[string][]string{
	"league_dashboards": {"leaguedashplayerstats", "leaguedashteamstats", "leaguedashlineups", "leagueleaders", "leaguehustlestatsplayer", "leaguehustlestatsteam"},
	"tracking":          {"leaguedashptstats", "leaguedashptdefend", "leaguedashptteamdefend"},
}

// LegacyESPNID returns the synthetic ESPN event id of the n-th game (from 0)
// of a season, dated day: old-style YYMMDD+NNN ids (year 1980+YY) up to
// 2012-13, then ids in the season's range of 4xxxxxxxx ids.
func LegacyESPNID(s layout.Season, day time.Time, nthOfDay, nthOfSeason int) string {
	if first := layout.ESPNSeasonFirstID(s); first > 0 {
		return fmt.Sprintf("%d", first+1000+nthOfSeason)
	}
	return fmt.Sprintf("%02d%s%03d", day.Year()-1980, day.Format("0102"), nthOfDay+1)
}

// LegacySeason is Season(s) with ESPN ids as the nba_simulator bucket
// names them (LegacyESPNID).
func LegacySeason(s layout.Season) []model.GameRow {
	games := Season(s)
	perDay := map[string]int{}
	for i := range games {
		d, _ := time.Parse("2006-01-02", games[i].Date)
		games[i].ESPNID = LegacyESPNID(s, d, perDay[games[i].Date], i)
		perDay[games[i].Date]++
	}
	return games
}

// legacyBody is a synthetic payload of the right kind for a legacy key:
// what the importer validates (JSON objects with the provider's shape,
// CSV with a header, Parquet and SQLite magic bytes).
func legacyBody(key string, n int, variant string) []byte {
	top, _, _ := strings.Cut(key, "/")
	switch {
	case strings.HasSuffix(key, ".parquet"):
		return []byte(fmt.Sprintf("PAR1synthetic %d %sPAR1", n, key))
	case strings.HasSuffix(key, ".sqlite"):
		return append([]byte("SQLite format 3\x00"), []byte(fmt.Sprintf("synthetic %d %s", n, key))...)
	case strings.HasSuffix(key, ".csv"):
		return []byte(fmt.Sprintf("synthetic,n,key\ntrue,%d,%s\n", n, key))
	case layout.NotDataPrefix(top) != "":
		return []byte(fmt.Sprintf("synthetic not-data object %d %s\n", n, key))
	}
	k, _, err := layout.NBASimulator.Map(key)
	if err != nil {
		return []byte(fmt.Sprintf(`{"synthetic":true,"n":%d,"key":%q}`+"\n", n, key))
	}
	switch k.Source + "/" + k.Dataset {
	case "espn/playbyplay", "espn/boxscore", "espn/matchup":
		return []byte(fmt.Sprintf(`{"page":{"content":{"gamepackage":{"gmStrp":{"gid":%q,"tab":%q},"synthetic":true,"n":%d%s}}}}`+"\n", k.Item, k.Dataset, n, variant))
	case "espn/scoreboard":
		d, _ := time.Parse("20060102", k.Item)
		return []byte(fmt.Sprintf(`{"events":[],"day":{"date":%q},"synthetic":true,"n":%d%s}`+"\n", d.Format("2006-01-02"), n, variant))
	}
	if k.Source == "nba_stats" {
		params := fmt.Sprintf(`{"Season":%q}`, k.Season)
		if strings.HasPrefix(k.Item, "00") {
			params = fmt.Sprintf(`{"GameID":%q}`, k.Item)
		}
		// every result set the endpoint catalog declares (a response
		// missing one is invalid), empty, after the synthetic one
		sets := fmt.Sprintf(`{"name":"Synthetic","headers":["N"],"rowSet":[[%d]]}`, n)
		if ep, ok := layout.BuiltinCatalog().Endpoint(k.Dataset); ok {
			for _, rs := range ep.ResultSets {
				h, _ := json.Marshal(rs.Headers)
				if rs.Headers == nil {
					h = []byte("[]")
				}
				sets += fmt.Sprintf(`,{"name":%q,"headers":%s,"rowSet":[]}`, rs.Name, h)
			}
		}
		return []byte(fmt.Sprintf(`{"resource":%q,"parameters":%s,"resultSets":[%s]%s}`+"\n", k.Dataset, params, sets, variant))
	}
	return []byte(fmt.Sprintf(`[{"synthetic":true,"n":%d,"key":%q%s}]`+"\n", n, key, variant))
}

// PlanLegacy returns the objects of a synthetic nba_simulator bucket of
// about opts.Objects objects (exactly, when it is at least a few hundred):
// every prefix with its share of the real bucket, ESPN data newest season
// first, 3 % of the ESPN objects copied under the older names, and the
// schedule of the seasons its ESPN and stats.nba.com objects cover, with
// ESPN ids as that bucket names them.
func PlanLegacy(opts Options) ([]Object, []model.GameRow, error) {
	if opts.Objects <= 0 {
		return nil, nil, errors.New("synth: --objects must be > 0")
	}
	if opts.Newest == 0 {
		opts.Newest = 2024
	}
	total := 0
	for _, s := range LegacyShares {
		total += s.Objects
	}
	espnShare := float64(LegacyShares[0].Objects+LegacyShares[1].Objects+LegacyShares[2].Objects+LegacyShares[3].Objects) / float64(total)
	copies := int(math.Round(float64(opts.Objects) * espnShare * LegacyCopyShare))
	main := opts.Objects - copies
	target := map[string]int{}
	assigned := 0
	for i, s := range LegacyShares {
		n := int(math.Round(float64(main) * float64(s.Objects) / float64(total)))
		if i == len(LegacyShares)-1 {
			n = main - assigned
		}
		target[s.Prefix] = max(n, 0)
		assigned += target[s.Prefix]
	}
	p := &legacyPlan{count: map[string]int{}, target: target}
	seasons := map[layout.Season][]model.GameRow{}
	season := func(s layout.Season) []model.GameRow {
		if g, ok := seasons[s]; ok {
			return g
		}
		g := LegacySeason(s)
		seasons[s] = g
		return g
	}

	// ESPN: per game, newest season first, until the three shares are full.
	var espnDays []string
	for s := opts.Newest; s >= 1980 && !p.full("espn_play_by_play/", "espn_box_scores/", "espn_team_stats/"); s-- {
		seen := map[string]bool{}
		for _, g := range season(s) {
			for _, pre := range []string{"espn_play_by_play/", "espn_box_scores/", "espn_team_stats/"} {
				p.add(pre, pre+g.ESPNID+".json")
			}
			if d := strings.ReplaceAll(g.Date, "-", ""); !seen[d] {
				seen[d] = true
				espnDays = append(espnDays, d)
			}
		}
	}
	// ESPN scoreboards: game days first, then the other days of those
	// seasons (nba_simulator fetched every day of the calendar).
	for _, d := range espnDays {
		p.add("espn_schedules/", "espn_schedules/"+d+".json")
	}
	have := map[string]bool{}
	for _, d := range espnDays {
		have[d] = true
	}
	for day := time.Date(int(opts.Newest)+1, time.June, 30, 0, 0, 0, 0, time.UTC); !p.full("espn_schedules/") && day.Year() > 1900; day = day.AddDate(0, 0, -1) {
		if d := day.Format("20060102"); !have[d] {
			p.add("espn_schedules/", "espn_schedules/"+d+".json")
		}
	}

	// nba_api_comprehensive: per-season files, team and player dashboards,
	// then per-game box scores, play-by-play, hustle and shot charts.
	const nac = "nba_api_comprehensive/"
	natarget := target[nac]
	quota := func(f float64) int { return int(math.Round(float64(natarget) * f)) }
	sub := map[string]int{}
	subAdd := func(folder string, limit int, key string) bool {
		if sub[folder] >= limit {
			return false
		}
		if p.add(nac, key) {
			sub[folder]++
			return true
		}
		return false
	}
	for s := opts.Newest; s >= 2001; s-- {
		for _, folder := range []string{"league_dashboards", "tracking"} {
			if folder == "tracking" && s < 2013 {
				continue
			}
			for _, ep := range legacySeasonEndpoints[folder] {
				subAdd(folder, quota(0.008), fmt.Sprintf("%s%s/%s_%s.json", nac, folder, ep, s))
			}
		}
		for _, mt := range []string{"Base", "Advanced", "Misc", "Scoring"} {
			subAdd("team_stats", quota(0.005), fmt.Sprintf("%steam_stats/%s/%s.json", nac, s, mt))
		}
		for t := 0; t < 30; t++ {
			subAdd("team_dashboards", quota(0.03), fmt.Sprintf("%steam_dashboards/%s/%d.json", nac, s, 1610612737+t))
		}
		for pl := 0; pl < 450; pl++ {
			subAdd("player_stats", quota(0.10), fmt.Sprintf("%splayer_stats/%s/%d.json", nac, s, 201000+int(s-2001)*37+pl))
		}
	}
	games := func(s layout.Season) []model.GameRow {
		var out []model.GameRow
		for _, g := range season(s) {
			if g.SeasonType == "regular" || g.SeasonType == "playoffs" {
				out = append(out, g)
			}
		}
		return out
	}
	perGame := []struct{ folder, stem string }{{"boxscores_traditional", "traditional"}, {"boxscores_advanced", "advanced"},
		{"play_by_play", "playbyplay"}, {"hustle", "hustle"}, {"shot_charts", "shotchart"}}
	for s := opts.Newest; s >= 2001 && !p.full(nac); s-- {
		for _, g := range games(s) {
			for _, f := range perGame {
				p.add(nac, fmt.Sprintf("%s%s/%s_%s.json", nac, f.folder, f.stem, g.GameID))
			}
		}
	}
	// nba_api_playbyplay: from 1996-97 on.
	for s := layout.Season(1996); s <= opts.Newest && !p.full("nba_api_playbyplay/"); s++ {
		for _, g := range games(s) {
			p.add("nba_api_playbyplay/", "nba_api_playbyplay/play_by_play/play_by_play_"+g.GameID+".json")
		}
	}
	// basketball_reference: season files, then daily box scores and games.
	const bb = "basketball_reference/"
	for s := opts.Newest; s >= 1980 && !p.full(bb); s-- {
		y := s.EndYear()
		p.add(bb, fmt.Sprintf("%sschedules/%d/schedule.json", bb, y))
		p.add(bb, fmt.Sprintf("%sseason_totals/%d/player_season_totals.json", bb, y))
		p.add(bb, fmt.Sprintf("%sadvanced_totals/%d/player_advanced_totals.json", bb, y))
		p.add(bb, fmt.Sprintf("%sstandings/%d/standings.json", bb, y))
	}
	for _, g := range season(opts.Newest) {
		if p.full(bb) {
			break
		}
		y := opts.Newest.EndYear()
		p.add(bb, fmt.Sprintf("%splayer_box_scores/%d/%s_player_box_scores.json", bb, y, g.Date))
		p.add(bb, fmt.Sprintf("%steam_box_scores/%d/%s_team_box_scores.json", bb, y, g.Date))
		p.add(bb, fmt.Sprintf("%sbox_scores/%s/%s.json", bb, g.Date[:4], g.BBRefID))
		p.add(bb, fmt.Sprintf("%spbp/%s/%s_pbp.json", bb, g.Date[:4], g.BBRefID))
	}
	// hoopR: CSV per season (phase 1) and Parquet season files, 2002..2025.
	for y := opts.Newest.EndYear(); y >= 2002; y-- {
		for _, b := range []string{"pbp", "player_box", "team_box", "schedule"} {
			p.add("hoopr_phase1/", fmt.Sprintf("hoopr_phase1/bulk_%s/%s_%d.csv", b, b, y))
			kind := b
			if b == "pbp" {
				kind = "play_by_play"
			}
			p.add("hoopr_parquet/", fmt.Sprintf("hoopr_parquet/%s/nba_data_%d.parquet", kind, y))
		}
		for _, d := range HooprDashboards {
			p.add("hoopr_phase1/", fmt.Sprintf("hoopr_phase1/league_dashboards/%s_%d.csv", d, y))
		}
		p.add("hoopr_phase1/", fmt.Sprintf("hoopr_phase1/standings/standings_%d.csv", y))
		p.add("hoopr_phase1/", fmt.Sprintf("hoopr_phase1/draft/draft_%d.csv", y))
	}
	for i := 0; !p.full("hoopr_phase1/"); i++ {
		if !p.add("hoopr_phase1/", fmt.Sprintf("hoopr_phase1/static_reference/reference_%02d.csv", i)) {
			break
		}
	}
	// Kaggle: the tables, the SQLite file, play-by-play in parts.
	for _, t := range KaggleTables {
		p.add("kaggle/", "kaggle/basketball/csv/"+t+".csv")
	}
	p.add("kaggle/", "kaggle/basketball/nba.sqlite")
	for i := 1; !p.full("kaggle/"); i++ {
		p.add("kaggle/", fmt.Sprintf("kaggle/basketball/play_by_play/part_%04d.csv", i))
	}
	// Not data.
	other := target["other"]
	for i, nd := range legacyNotData {
		n := int(math.Round(float64(other) * nd.share))
		if i == len(legacyNotData)-1 {
			n = other - p.count["other"]
		}
		for j := 0; j < n; j++ {
			p.add("other", fmt.Sprintf(nd.pattern, j))
		}
	}
	// Fill what a small share left (rounding): more ESPN scoreboards.
	for day := time.Date(1946, time.October, 1, 0, 0, 0, 0, time.UTC); len(p.objs) < main; day = day.AddDate(0, 0, 1) {
		k := "espn_schedules/" + day.Format("20060102") + ".json"
		if !p.keys[k] {
			p.force(k)
		}
	}

	// Copies under the older names: every 1/share-th ESPN object.
	var espn []int
	for i, o := range p.objs {
		if strings.HasPrefix(o.Key, "espn_") {
			espn = append(espn, i)
		}
	}
	old := map[string][2]string{"espn_play_by_play": {"pbp", "nba_pbp"}, "espn_box_scores": {"box_scores", "nba_box_score"},
		"espn_team_stats": {"team_stats", "nba_team_stats"}, "espn_schedules": {"schedule", "nba_schedule_json"}}
	made := 0
	for j := 0; made < copies && len(espn) > 0; j++ {
		i := espn[(j*7919)%len(espn)]
		top, rest, _ := strings.Cut(p.objs[i].Key, "/")
		names := old[top]
		for n, name := range names {
			if made >= copies || (n == 1 && j%3 != 0) {
				break
			}
			k := name + "/" + rest
			if p.keys[k] {
				continue
			}
			body := p.objs[i].Body
			if made%10 == 9 {
				body = legacyBody(k, i, `,"version":"earlier"`)
			}
			p.keys[k] = true
			p.objs = append(p.objs, Object{Key: k, Body: body})
			made++
		}
		if j > 4*len(espn) {
			break
		}
	}

	var sched []model.GameRow
	var ss []layout.Season
	for s := range seasons {
		ss = append(ss, s)
	}
	sort.Slice(ss, func(i, j int) bool { return ss[i] > ss[j] })
	for _, s := range ss {
		sched = append(sched, seasons[s]...)
	}
	return p.objs, sched, nil
}

type legacyPlan struct {
	objs   []Object
	keys   map[string]bool
	count  map[string]int
	target map[string]int
}

// add adds key under share prefix unless the share is full or the key is
// already there.
func (p *legacyPlan) add(share, key string) bool {
	if p.count[share] >= p.target[share] {
		return false
	}
	if p.keys == nil {
		p.keys = map[string]bool{}
	}
	if p.keys[key] {
		return false
	}
	p.force(key)
	p.count[share]++
	return true
}

func (p *legacyPlan) force(key string) {
	if p.keys == nil {
		p.keys = map[string]bool{}
	}
	p.keys[key] = true
	p.objs = append(p.objs, Object{Key: key, Body: legacyBody(key, len(p.objs), "")})
}

func (p *legacyPlan) full(shares ...string) bool {
	for _, s := range shares {
		if p.count[s] < p.target[s] {
			return false
		}
	}
	return true
}

package nbastats

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
)

// Typed tables of catalog endpoints (docs/catalog.md, "Typed tables"):
// boxscoreadvancedv3 fills player_box_advanced and team_box_advanced,
// boxscoresummaryv2 game_summaries, game_team_summaries, line_scores,
// game_officials and game_inactive_players, commonplayerinfo player_info
// and player_info_seasons. Each parser also returns the row sets, so the
// responses stay in stats_rows whole. The tables' columns are migration
// 0020's (a test compares them); the loader adds the key column.

// tableBuilder accumulates the rows of one typed table.
type tableBuilder struct {
	t model.TableRows
}

func newTyped(name string, key []string, cols ...string) *tableBuilder {
	return &tableBuilder{t: model.TableRows{Table: name, Key: key, Columns: cols, Rows: [][]any{}}}
}

// cells reads the cells of one row set row by header, recording the first
// cell that is not what its column wants.
type cells struct {
	set *RowSet
	idx map[string]int
	row []any
	err error
}

func cellsOf(s *RowSet) *cells {
	c := &cells{set: s, idx: make(map[string]int, len(s.Headers))}
	for i, h := range s.Headers {
		c.idx[h] = i
	}
	return c
}

func (c *cells) has(h string) bool { _, ok := c.idx[h]; return ok }

// text is the cell as text, trimmed; nil when null, absent or blank.
func (c *cells) text(h string) any {
	i, ok := c.idx[h]
	if !ok {
		return nil
	}
	s := strings.TrimSpace(parse.CellText(c.row, i))
	if s == "" {
		return nil
	}
	return s
}

func (c *cells) str(h string) string {
	if v, ok := c.text(h).(string); ok {
		return v
	}
	return ""
}

func (c *cells) fail(h, format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("%s: %s", h, fmt.Sprintf(format, args...))
	}
}

// integer is the cell as an int64 (a number or a string of digits); nil
// when null or blank; anything else is an error of the row.
func (c *cells) integer(h string) any {
	s, ok := c.text(h).(string)
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == float64(int64(f)) {
			return int64(f) // 40.0
		}
		c.fail(h, "%q is not an integer", s)
		return nil
	}
	return n
}

// optInteger is integer, with a word ("Undrafted") read as null.
func (c *cells) optInteger(h string) any {
	s, ok := c.text(h).(string)
	if !ok {
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n
	}
	if strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' }) < 0 {
		return nil
	}
	c.fail(h, "%q is neither a number nor a word", s)
	return nil
}

// float is the cell as a float64; nil when null or blank.
func (c *cells) float(h string) any {
	i, ok := c.idx[h]
	if !ok || i >= len(c.row) || c.row[i] == nil {
		return nil
	}
	s := strings.TrimSpace(parse.CellText(c.row, i))
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		c.fail(h, "%q is not a number", s)
		return nil
	}
	return f
}

// seconds reads minutes played ("19:09", "265:00", "PT19M09.00S") as
// whole seconds; nil when blank (a player who did not play).
func (c *cells) seconds(h string) any {
	s, ok := c.text(h).(string)
	if !ok {
		return nil
	}
	t, err := model.ParseMinutes(s)
	if err != nil {
		c.fail(h, "%q is not minutes", s)
		return nil
	}
	return int64((t + 5) / 10)
}

// date reads "2023-01-02T00:00:00" or "2023-01-02" as YYYY-MM-DD.
func (c *cells) date(h string) any {
	s, ok := c.text(h).(string)
	if !ok {
		return nil
	}
	d, _, _ := strings.Cut(s, "T")
	if _, err := time.Parse("2006-01-02", d); err != nil {
		c.fail(h, "%q is not a date", s)
		return nil
	}
	return d
}

func rowSetByName(sets []RowSet, name string) *RowSet {
	for i := range sets {
		if sets[i].Name == name {
			return &sets[i]
		}
	}
	return nil
}

// need fails unless set s exists and has every header of hs.
func need(h parse.Hint, s *RowSet, name string, hs ...string) error {
	if s == nil {
		return parse.Errorf(h, name, "no %s result set", name)
	}
	c := cellsOf(s)
	for _, x := range hs {
		if !c.has(x) {
			return parse.Errorf(h, name, "no %s column", x)
		}
	}
	return nil
}

// advancedStats are the statistics of boxscoreadvancedv3 and their
// columns, for players and teams.
var advancedStats = [][2]string{
	{"offensiveRating", "off_rating"}, {"estimatedOffensiveRating", "est_off_rating"},
	{"defensiveRating", "def_rating"}, {"estimatedDefensiveRating", "est_def_rating"},
	{"netRating", "net_rating"}, {"estimatedNetRating", "est_net_rating"},
	{"assistPercentage", "ast_pct"}, {"assistToTurnover", "ast_to_tov"}, {"assistRatio", "ast_ratio"},
	{"offensiveReboundPercentage", "oreb_pct"}, {"defensiveReboundPercentage", "dreb_pct"}, {"reboundPercentage", "reb_pct"},
	{"turnoverRatio", "tov_ratio"}, {"effectiveFieldGoalPercentage", "efg_pct"}, {"trueShootingPercentage", "ts_pct"},
	{"usagePercentage", "usg_pct"}, {"estimatedUsagePercentage", "est_usg_pct"},
	{"pace", "pace"}, {"estimatedPace", "est_pace"}, {"pacePer40", "pace_per40"},
	{"possessions", "possessions"}, {"PIE", "pie"},
}

// ParseBoxScoreAdvancedV3 parses a boxscoreadvancedv3 response: its row
// sets, each player's line into player_box_advanced and each team's into
// team_box_advanced.
func ParseBoxScoreAdvancedV3(data []byte, h parse.Hint) (*parse.Result, error) {
	sets, err := DecodeRowSets(data, h)
	if err != nil {
		return nil, err
	}
	res := &parse.Result{RowSets: sets}
	const pre = "boxScoreAdvanced."
	root := rowSetByName(sets, "_root")
	if err := need(h, root, "_root", pre+"gameId", pre+"homeTeam.teamId", pre+"awayTeam.teamId"); err != nil {
		return nil, err
	}
	if len(root.Rows) != 1 {
		return nil, parse.Errorf(h, "boxScoreAdvanced", "%d top-level rows, want 1", len(root.Rows))
	}
	rc := cellsOf(root)
	rc.row = root.Rows[0]
	gameID := rc.str(pre + "gameId")
	if gameID == "" {
		return nil, parse.Errorf(h, pre+"gameId", "no game id")
	}
	if err := checkGame(h, gameID); err != nil {
		return nil, err
	}
	pcols := []string{"game_id", "team_id", "player_id", "name", "position", "comment", "seconds_played"}
	tcols := []string{"game_id", "team_id", "team_code", "side", "seconds_played"}
	for _, s := range advancedStats {
		pcols = append(pcols, s[1])
		tcols = append(tcols, s[1])
	}
	tcols = append(tcols, "est_tov_pct")
	players := newTyped("player_box_advanced", []string{"game_id", "player_id"}, pcols...)
	teamsT := newTyped("team_box_advanced", []string{"game_id", "team_id"}, tcols...)
	for _, side := range []string{"home", "away"} {
		tp := pre + side + "Team."
		teamID := rc.str(tp + "teamId")
		if teamID == "" {
			return nil, parse.Errorf(h, tp+"teamId", "no team id")
		}
		row := []any{gameID, teamID, rc.text(tp + "teamTricode"), side, rc.seconds(tp + "statistics.minutes")}
		for _, s := range advancedStats {
			row = append(row, rc.float(tp+"statistics."+s[0]))
		}
		row = append(row, rc.float(tp+"statistics.estimatedTeamTurnoverPercentage"))
		if rc.err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: tp + "statistics", Reason: rc.err.Error()})
			rc.err = nil
		} else {
			teamsT.t.Rows = append(teamsT.t.Rows, row)
		}
		ps := rowSetByName(sets, tp+"players")
		if ps == nil {
			continue
		}
		if err := need(h, ps, ps.Name, "personId"); err != nil {
			return nil, err
		}
		c := cellsOf(ps)
		for i, r := range ps.Rows {
			c.row, c.err = r, nil
			pid := c.str("personId")
			name := strings.TrimSpace(c.str("firstName") + " " + c.str("familyName"))
			var nm any
			if name != "" {
				nm = name
			}
			row := []any{gameID, teamID, pid, nm, c.text("position"), c.text("comment"), c.seconds("statistics.minutes")}
			for _, s := range advancedStats {
				row = append(row, c.float("statistics."+s[0]))
			}
			if pid == "" {
				c.fail("personId", "no player id")
			}
			if c.err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: fmt.Sprintf("%s[%d]", ps.Name, i), Reason: c.err.Error()})
				continue
			}
			players.t.Rows = append(players.t.Rows, row)
		}
	}
	res.Tables = []model.TableRows{players.t, teamsT.t}
	return res, nil
}

// ParseBoxScoreSummaryV2 parses a boxscoresummaryv2 response: its row sets,
// and the game (game_summaries: GameSummary, GameInfo, LastMeeting,
// SeasonSeries), each team's record and other stats (game_team_summaries:
// LineScore, OtherStats), its points per period (line_scores), officials
// (game_officials) and inactive players (game_inactive_players).
func ParseBoxScoreSummaryV2(data []byte, h parse.Hint) (*parse.Result, error) {
	sets, err := DecodeRowSets(data, h)
	if err != nil {
		return nil, err
	}
	res := &parse.Result{RowSets: sets}
	gs := rowSetByName(sets, "GameSummary")
	if err := need(h, gs, "GameSummary", "GAME_ID", "HOME_TEAM_ID", "VISITOR_TEAM_ID", "GAME_DATE_EST"); err != nil {
		return nil, err
	}
	if len(gs.Rows) != 1 {
		return nil, parse.Errorf(h, "GameSummary", "%d rows, want 1", len(gs.Rows))
	}
	g := cellsOf(gs)
	g.row = gs.Rows[0]
	gameID := g.str("GAME_ID")
	if gameID == "" {
		return nil, parse.Errorf(h, "GameSummary.GAME_ID", "no game id")
	}
	if err := checkGame(h, gameID); err != nil {
		return nil, err
	}
	home, away := g.str("HOME_TEAM_ID"), g.str("VISITOR_TEAM_ID")
	// one row of a result set that has at most one (nil cells when absent)
	one := func(name string) *cells {
		s := rowSetByName(sets, name)
		if s == nil {
			return &cells{idx: map[string]int{}}
		}
		c := cellsOf(s)
		if len(s.Rows) > 0 {
			c.row = s.Rows[0]
		}
		return c
	}
	issue := func(pos string, c *cells) bool {
		if c.err == nil {
			return false
		}
		res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: c.err.Error()})
		c.err = nil
		return true
	}

	summary := newTyped("game_summaries", []string{"game_id"}, "game_id", "game_date", "season", "sequence", "status_id", "status_text", "gamecode",
		"home_team_id", "away_team_id", "periods", "national_tv", "attendance", "duration_seconds",
		"last_game_id", "series_home_wins", "series_home_losses", "series_leader")
	var season any
	if y := g.integer("SEASON"); y != nil {
		season = layout.Season(y.(int64)).String()
	}
	info, last, series := one("GameInfo"), one("LastMeeting"), one("SeasonSeries")
	var duration any
	if d, ok := info.text("GAME_TIME").(string); ok {
		hh, mm, found := strings.Cut(d, ":")
		hn, e1 := strconv.Atoi(hh)
		mn, e2 := strconv.Atoi(mm)
		if !found || e1 != nil || e2 != nil || mn >= 60 {
			info.fail("GAME_TIME", "%q is not H:MM", d)
		} else {
			duration = int64(hn*3600 + mn*60)
		}
	}
	periods := g.integer("LIVE_PERIOD")
	srow := []any{gameID, g.date("GAME_DATE_EST"), season, g.integer("GAME_SEQUENCE"), g.integer("GAME_STATUS_ID"), g.text("GAME_STATUS_TEXT"),
		g.text("GAMECODE"), home, away, periods, g.text("NATL_TV_BROADCASTER_ABBREVIATION"), info.integer("ATTENDANCE"), duration,
		last.text("LAST_GAME_ID"), series.integer("HOME_TEAM_WINS"), series.integer("HOME_TEAM_LOSSES"), series.text("SERIES_LEADER")}
	bad := issue("GameSummary", g)
	bad = issue("GameInfo", info) || bad
	bad = issue("SeasonSeries", series) || bad
	if !bad {
		summary.t.Rows = append(summary.t.Rows, srow)
	}

	teamsT := newTyped("game_team_summaries", []string{"game_id", "team_id"}, "game_id", "team_id", "team_code", "side", "wins", "losses", "pts",
		"pts_paint", "pts_second_chance", "pts_fast_break", "largest_lead", "lead_changes", "times_tied",
		"team_turnovers", "total_turnovers", "team_rebounds", "pts_off_turnovers")
	lines := newTyped("line_scores", []string{"game_id", "team_id", "period"}, "game_id", "team_id", "period", "pts")
	other := map[string][]any{}
	if os := rowSetByName(sets, "OtherStats"); os != nil {
		c := cellsOf(os)
		for i, r := range os.Rows {
			c.row = r
			vals := []any{c.integer("PTS_PAINT"), c.integer("PTS_2ND_CHANCE"), c.integer("PTS_FB"), c.integer("LARGEST_LEAD"),
				c.integer("LEAD_CHANGES"), c.integer("TIMES_TIED"), c.integer("TEAM_TURNOVERS"), c.integer("TOTAL_TURNOVERS"),
				c.integer("TEAM_REBOUNDS"), c.integer("PTS_OFF_TO")}
			if !issue(fmt.Sprintf("OtherStats[%d]", i), c) {
				other[c.str("TEAM_ID")] = vals
			}
		}
	}
	if ls := rowSetByName(sets, "LineScore"); ls != nil {
		if err := need(h, ls, "LineScore", "TEAM_ID", "PTS_QTR1", "PTS_QTR4"); err != nil {
			return nil, err
		}
		c := cellsOf(ls)
		// periods played: 4, the game's LIVE_PERIOD, and any overtime
		// with points
		n := int64(4)
		if p, ok := periods.(int64); ok && p > n && p <= 14 {
			n = p
		}
		for _, r := range ls.Rows {
			c.row = r
			for ot := int64(1); ot <= 10; ot++ {
				if v, ok := c.integer("PTS_OT" + strconv.FormatInt(ot, 10)).(int64); ok && v > 0 && ot+4 > n {
					n = ot + 4
				}
			}
		}
		c.err = nil
		for i, r := range ls.Rows {
			c.row = r
			team := c.str("TEAM_ID")
			side := any(nil)
			switch team {
			case home:
				side = "home"
			case away:
				side = "away"
			}
			var wins, losses any
			if wl, ok := c.text("TEAM_WINS_LOSSES").(string); ok {
				w, l, found := strings.Cut(wl, "-")
				wn, e1 := strconv.ParseInt(w, 10, 64)
				ln, e2 := strconv.ParseInt(l, 10, 64)
				if !found || e1 != nil || e2 != nil {
					c.fail("TEAM_WINS_LOSSES", "%q is not W-L", wl)
				} else {
					wins, losses = wn, ln
				}
			}
			row := []any{gameID, team, c.text("TEAM_ABBREVIATION"), side, wins, losses, c.integer("PTS")}
			if o, ok := other[team]; ok {
				row = append(row, o...)
			} else {
				row = append(row, make([]any, 10)...)
			}
			var per [][]any
			for p := int64(1); p <= n; p++ {
				h := "PTS_QTR" + strconv.FormatInt(p, 10)
				if p > 4 {
					h = "PTS_OT" + strconv.FormatInt(p-4, 10)
				}
				if v := c.integer(h); v != nil {
					per = append(per, []any{gameID, team, p, v})
				}
			}
			if team == "" {
				c.fail("TEAM_ID", "no team id")
			}
			if issue(fmt.Sprintf("LineScore[%d]", i), c) {
				continue
			}
			teamsT.t.Rows = append(teamsT.t.Rows, row)
			lines.t.Rows = append(lines.t.Rows, per...)
		}
	}

	officials := newTyped("game_officials", []string{"game_id", "official_id"}, "game_id", "official_id", "first_name", "last_name", "jersey_num")
	if os := rowSetByName(sets, "Officials"); os != nil {
		c := cellsOf(os)
		for i, r := range os.Rows {
			c.row = r
			id := c.str("OFFICIAL_ID")
			if id == "" {
				c.fail("OFFICIAL_ID", "no official id")
			}
			if issue(fmt.Sprintf("Officials[%d]", i), c) {
				continue
			}
			officials.t.Rows = append(officials.t.Rows, []any{gameID, id, c.text("FIRST_NAME"), c.text("LAST_NAME"), c.text("JERSEY_NUM")})
		}
	}
	inactive := newTyped("game_inactive_players", []string{"game_id", "player_id"}, "game_id", "player_id", "team_id", "team_code",
		"first_name", "last_name", "jersey_num")
	if is := rowSetByName(sets, "InactivePlayers"); is != nil {
		c := cellsOf(is)
		for i, r := range is.Rows {
			c.row = r
			id := c.str("PLAYER_ID")
			if id == "" {
				c.fail("PLAYER_ID", "no player id")
			}
			if issue(fmt.Sprintf("InactivePlayers[%d]", i), c) {
				continue
			}
			inactive.t.Rows = append(inactive.t.Rows, []any{gameID, id, c.text("TEAM_ID"), c.text("TEAM_ABBREVIATION"),
				c.text("FIRST_NAME"), c.text("LAST_NAME"), c.text("JERSEY_NUM")})
		}
	}
	res.Tables = []model.TableRows{summary.t, teamsT.t, lines.t, officials.t, inactive.t}
	return res, nil
}

// ParseCommonPlayerInfo parses a commonplayerinfo response: its row sets,
// the player's biography (player_info), the seasons stats.nba.com has for
// the player (player_info_seasons) and the player's name (players).
func ParseCommonPlayerInfo(data []byte, h parse.Hint) (*parse.Result, error) {
	sets, err := DecodeRowSets(data, h)
	if err != nil {
		return nil, err
	}
	res := &parse.Result{RowSets: sets}
	cp := rowSetByName(sets, "CommonPlayerInfo")
	if err := need(h, cp, "CommonPlayerInfo", "PERSON_ID"); err != nil {
		return nil, err
	}
	if len(cp.Rows) > 1 {
		return nil, parse.Errorf(h, "CommonPlayerInfo", "%d rows, want 1", len(cp.Rows))
	}
	info := newTyped("player_info", []string{"player_id"}, "player_id", "first_name", "last_name", "name", "slug", "birth_date",
		"school", "country", "last_affiliation", "height_inches", "weight_pounds", "season_exp", "jersey", "position", "roster_status",
		"team_id", "team_code", "from_year", "to_year", "draft_year", "draft_round", "draft_number", "nba_flag", "dleague_flag", "greatest_75")
	seasons := newTyped("player_info_seasons", []string{"player_id", "season", "season_type"}, "player_id", "season", "season_type")
	res.Tables = []model.TableRows{info.t, seasons.t}
	if len(cp.Rows) == 0 {
		return res, nil // a player stats.nba.com does not know
	}
	c := cellsOf(cp)
	c.row = cp.Rows[0]
	id := c.str("PERSON_ID")
	if id == "" {
		return nil, parse.Errorf(h, "CommonPlayerInfo.PERSON_ID", "no player id")
	}
	var height any
	if s, ok := c.text("HEIGHT").(string); ok {
		ft, in, found := strings.Cut(s, "-")
		fn, e1 := strconv.Atoi(ft)
		inn, e2 := strconv.Atoi(in)
		if !found || e1 != nil || e2 != nil || inn >= 12 {
			c.fail("HEIGHT", "%q is not feet-inches", s)
		} else {
			height = int64(fn*12 + inn)
		}
	}
	flag := func(hd string) any {
		switch c.str(hd) {
		case "Y":
			return int64(1)
		case "N":
			return int64(0)
		case "":
			return nil
		}
		c.fail(hd, "%q is not Y or N", c.str(hd))
		return nil
	}
	row := []any{id, c.text("FIRST_NAME"), c.text("LAST_NAME"), c.text("DISPLAY_FIRST_LAST"), c.text("PLAYER_SLUG"), c.date("BIRTHDATE"),
		c.text("SCHOOL"), c.text("COUNTRY"), c.text("LAST_AFFILIATION"), height, c.integer("WEIGHT"), c.integer("SEASON_EXP"), c.text("JERSEY"),
		c.text("POSITION"), c.text("ROSTERSTATUS"), c.text("TEAM_ID"), c.text("TEAM_ABBREVIATION"), c.integer("FROM_YEAR"), c.integer("TO_YEAR"),
		c.optInteger("DRAFT_YEAR"), c.optInteger("DRAFT_ROUND"), c.optInteger("DRAFT_NUMBER"), flag("NBA_FLAG"), flag("DLEAGUE_FLAG"), flag("GREATEST_75_FLAG")}
	if c.err != nil {
		res.Issues = append(res.Issues, parse.Issue{Position: "CommonPlayerInfo[0]", Reason: c.err.Error()})
	} else {
		info.t.Rows = append(info.t.Rows, row)
	}
	if name := c.str("DISPLAY_FIRST_LAST"); name != "" {
		res.Players = append(res.Players, model.PlayerRow{PlayerID: id, Name: name})
	}
	if as := rowSetByName(sets, "AvailableSeasons"); as != nil {
		sc := cellsOf(as)
		for i, r := range as.Rows {
			sc.row = r
			sid := sc.str("SEASON_ID")
			typ := ""
			var yr int
			if len(sid) == 5 {
				typ = layout.SeasonTypeOfGameID("00" + sid[:1])
				yr, err = strconv.Atoi(sid[1:])
			}
			if typ == "" || err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: fmt.Sprintf("AvailableSeasons[%d]", i),
					Reason: fmt.Sprintf("SEASON_ID %q: want a season type digit and a year (22017)", sid)})
				continue
			}
			seasons.t.Rows = append(seasons.t.Rows, []any{id, layout.Season(yr).String(), typ})
		}
	}
	res.Tables = []model.TableRows{info.t, seasons.t}
	return res, nil
}

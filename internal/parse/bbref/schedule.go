package bbref

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/teams"
)

var (
	teamHrefRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/teams/([A-Z0-9]{2,4})/\d{4}\.html`) })
	boxHrefRe  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`/boxscores/(\d{8}0[A-Z]{3})\.html`) })
	otRe       = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d*)OT$`) })
	// playoffsStart is the first day of the playoffs (after the play-in) by
	// season; most schedule pages have no "Playoffs" header row.
	playoffsStart = map[string]string{
		"2012-13": "2013-04-20", "2013-14": "2014-04-19", "2014-15": "2015-04-18", "2015-16": "2016-04-16",
		"2016-17": "2017-04-15", "2017-18": "2018-04-14", "2018-19": "2019-04-13", "2019-20": "2020-08-17",
		"2020-21": "2021-05-22", "2021-22": "2022-04-16", "2022-23": "2023-04-15", "2023-24": "2024-04-20",
		"2024-25": "2025-04-19",
	}
	// cupFinals are the dates of the In-Season Tournament / NBA Cup final,
	// the one tournament game that does not count in the regular season.
	cupFinals = map[string]bool{"2023-12-09": true, "2024-12-17": true}
	months    = map[string]time.Month{
		"january": time.January, "february": time.February, "march": time.March, "april": time.April,
		"may": time.May, "june": time.June, "july": time.July, "august": time.August,
		"september": time.September, "october": time.October, "november": time.November, "december": time.December,
	}
)

// ParseSchedule parses a monthly schedule page
// (/leagues/NBA_<YYYY>_games-<month>.html, whole page or content area):
// one game row per row of table "schedule" with the bbref id (from the box
// score link, else the row's own key), the US date, visitor and home NBA
// codes and ids, the final score and the number of periods (OT, 2OT, ...)
// when played, and the season type: regular, play_in (rows noted "Play-In
// Game"), cup_final (the In-Season Tournament final) or playoffs (rows
// after the "Playoffs" header row, or on and after the season's first
// playoff day). Unplayed games
// have scores -1 and Final false. A row that does not parse becomes an
// issue. When the hint names a month (hint.Item) or a season, a page whose
// rows are all in another month or season is an error.
func ParseSchedule(data []byte, h parse.Hint) (*parse.Result, error) {
	p, err := loadPage(data, h)
	if err != nil {
		return nil, err
	}
	t, ok := p.tables["schedule"]
	if !ok {
		return nil, parse.Errorf(h, "table schedule", "not found: not a bbref schedule page")
	}
	res := &parse.Result{}
	playoffs := false
	seenTeam := map[string]bool{}
	inMonth, inSeason := 0, 0
	wantMonth, hasMonth := months[strings.ToLower(h.Item)]
	t.Find("tbody > tr").Each(func(i int, row *goquery.Selection) {
		pos := fmt.Sprintf("table schedule row %d", i)
		if row.HasClass("thead") {
			if strings.Contains(strings.ToLower(row.Text()), "playoffs") {
				playoffs = true
			}
			return
		}
		g, err := scheduleRow(row)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: err.Error()})
			return
		}
		if playoffs && g.SeasonType == "regular" {
			g.SeasonType = "playoffs"
		}
		d, _ := time.Parse("2006-01-02", g.Date)
		if hasMonth && d.Month() == wantMonth {
			inMonth++
		}
		if h.Season != "" && g.Season == h.Season {
			inSeason++
		}
		res.Games = append(res.Games, g)
		for _, code := range []string{g.AwayCode, g.HomeCode} {
			if !seenTeam[code] {
				seenTeam[code] = true
				r := model.TeamRow{Code: code}
				if tm, ok := teams.Lookup(code); ok {
					r = model.TeamRow{TeamID: tm.NBAID, Code: tm.Code, City: tm.City, Name: tm.Name, ESPNID: tm.ESPNID, ESPNCode: tm.ESPNCode, BBRefCode: tm.BBRefCode}
				}
				res.Teams = append(res.Teams, r)
			}
		}
	})
	if len(res.Games) > 0 {
		if hasMonth && inMonth == 0 {
			return nil, parse.Errorf(h, "table schedule", "no game in %s: page of another month", h.Item)
		}
		if h.Season != "" && inSeason == 0 {
			return nil, parse.Errorf(h, "table schedule", "no game of season %s: page of another season", h.Season)
		}
	}
	return res, nil
}

// scheduleRow reads one game row of a schedule table.
func scheduleRow(row *goquery.Selection) (model.GameRow, error) {
	g := model.GameRow{HomePts: -1, AwayPts: -1, SeasonType: "regular"}
	dateCell := row.ChildrenMatcher(statMatcher("date_game"))
	if dateCell.Length() == 0 {
		return g, fmt.Errorf("field date_game: missing")
	}
	dateText := cleanText(dateCell.Text())
	d, err := time.Parse("Mon, Jan 2, 2006", dateText)
	if err != nil {
		return g, fmt.Errorf("field date_game: date %q", dateText)
	}
	g.Date = d.Format("2006-01-02")
	g.Season = layout.SeasonOfDate(d).String()

	team := func(stat string) (string, error) {
		c := row.ChildrenMatcher(statMatcher(stat))
		if c.Length() == 0 {
			return "", fmt.Errorf("field %s: missing", stat)
		}
		if href, ok := c.Find("a").Attr("href"); ok {
			if m := teamHrefRe().FindStringSubmatch(href); m != nil {
				return nbaCode(m[1]), nil
			}
		}
		if csk, ok := c.Attr("csk"); ok {
			if code, _, ok := strings.Cut(csk, "."); ok && code != "" {
				return nbaCode(code), nil
			}
		}
		name := cleanText(c.Text())
		if tm, ok := teams.Lookup(name); ok {
			return tm.Code, nil
		}
		return "", fmt.Errorf("field %s: unknown team %q", stat, name)
	}
	if g.AwayCode, err = team("visitor_team_name"); err != nil {
		return g, err
	}
	if g.HomeCode, err = team("home_team_name"); err != nil {
		return g, err
	}
	if tm, ok := teams.Lookup(g.HomeCode); ok {
		g.HomeTeamID = tm.NBAID
	}
	if tm, ok := teams.Lookup(g.AwayCode); ok {
		g.AwayTeamID = tm.NBAID
	}

	if c := row.ChildrenMatcher(statMatcher("box_score_text")); c.Length() > 0 {
		if href, ok := c.Find("a").Attr("href"); ok {
			if m := boxHrefRe().FindStringSubmatch(href); m != nil {
				g.BBRefID = m[1]
			}
		}
	}
	if g.BBRefID == "" {
		if csk, ok := dateCell.Attr("csk"); ok && bbrefIDRe().MatchString(csk) {
			g.BBRefID = csk
		}
	}
	if g.BBRefID != "" && gameDate(g.BBRefID) != g.Date {
		return g, fmt.Errorf("bbref id %s does not match the date %s", g.BBRefID, g.Date)
	}

	vp, _ := cell(row, "visitor_pts")
	hp, _ := cell(row, "home_pts")
	if vp != "" || hp != "" {
		a, err1 := strconv.Atoi(vp)
		b, err2 := strconv.Atoi(hp)
		if err1 != nil || err2 != nil {
			return g, fmt.Errorf("fields visitor_pts/home_pts: %q/%q", vp, hp)
		}
		g.AwayPts, g.HomePts, g.Final = a, b, true
		g.Periods = 4
		if ot, _ := cell(row, "overtimes"); ot != "" {
			m := otRe().FindStringSubmatch(ot)
			if m == nil {
				return g, fmt.Errorf("field overtimes: %q", ot)
			}
			n := 1
			if m[1] != "" {
				n, _ = strconv.Atoi(m[1])
			}
			g.Periods = 4 + n
		}
	}
	remark, _ := cell(row, "game_remarks")
	remark = strings.ToLower(remark)
	switch {
	case strings.Contains(remark, "play-in"):
		g.SeasonType = "play_in"
	case (strings.Contains(remark, "tournament") || strings.Contains(remark, "cup")) && cupFinals[g.Date]:
		g.SeasonType = "cup_final"
	case playoffsStart[g.Season] != "" && g.Date >= playoffsStart[g.Season]:
		g.SeasonType = "playoffs"
	}
	return g, nil
}

package bbref

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/nbasim/nbasim/internal/model"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/teams"
)

// Provider names of the bbref play-by-play outputs.
const (
	PBPProvider        = "bbref/pbp"
	ScraperPBPProvider = "bbref/pbp_parsed"
)

var (
	scoreRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+)-(\d+)$`) })
	periodHeadRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d+)(?:st|nd|rd|th) (Q|OT|Quarter|Overtime)`) })
	periodIDRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^q(\d+)$`) })
	pbpTitleRe   = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^(.+?) at (.+?) Play-By-Play, ([A-Z][a-z]+ \d{1,2}, \d{4})`)
	})
	errNotPBPPage = errors.New("no table pbp")
)

// ParsePlayByPlay parses a basketball-reference play-by-play page
// (/boxscores/pbp/<bbref_id>.html, plain or gzipped; the table may be
// inside a comment). Table "pbp" has a header row per period ("1st Q",
// "1st OT", or id="q<n>"), then rows of six cells: time remaining
// ("11:40.0"), the away team's play, the away points scored ("+2"), the
// score "away-home", the home points scored, the home team's play; neutral
// plays (period start and end, jump balls, official timeouts) span five
// cells. Player ids are bbref slugs from the play links; the plays' texts
// are mapped as docs/pbp-model-espn-bbref.md describes. A row that does not
// parse becomes an issue; a play text of an unknown form is kept as an
// Unknown event with a warning. The game row's scores are the last play's
// (Final stays false: the page does not say the game is over).
func ParsePlayByPlay(data []byte, h parse.Hint) (*parse.Result, error) {
	p, err := loadPage(data, h)
	if err != nil {
		return nil, err
	}
	t, ok := p.tables["pbp"]
	if !ok {
		return nil, parse.Errorf(h, "table pbp", "%v: not a bbref play-by-play page", errNotPBPPage)
	}
	res := &parse.Result{}
	game := &model.Game{GameID: h.Item, Provider: PBPProvider}
	if !bbrefIDRe().MatchString(h.Item) {
		game.GameID = ""
	}

	// Teams: the scorebox links (away first), else the title.
	var codes []string
	p.doc.Find(`.scorebox strong a[href*="/teams/"], .scorebox a[itemprop="name"]`).Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if m := teamHrefRe().FindStringSubmatch(href); m != nil && (len(codes) == 0 || codes[len(codes)-1] != m[1]) {
			codes = append(codes, m[1])
		}
	})
	title := cleanText(p.doc.Find("h1").First().Text())
	if len(codes) != 2 {
		codes = nil
		if m := pbpTitleRe().FindStringSubmatch(title); m != nil {
			a, b := teams.BBRefCode(m[1]), teams.BBRefCode(m[2])
			if a != "" && b != "" {
				codes = []string{a, b}
			}
		}
	}
	if m := pbpTitleRe().FindStringSubmatch(title); m != nil {
		if d, err := time.Parse("January 2, 2006", m[3]); err == nil {
			game.Date = d.Format("2006-01-02")
		}
	}
	if len(codes) == 2 {
		game.Away = teamOf(codes[0])
		game.Home = teamOf(codes[1])
	}
	if m := bbrefIDRe().FindStringSubmatch(h.Item); m != nil {
		if len(codes) == 2 && nbaCode(m[4]) != game.Home.Code {
			return nil, parse.Errorf(h, "scorebox", "page is for %s @ %s, not game %s", game.Away.Code, game.Home.Code, h.Item)
		}
		if game.Date != "" && game.Date != gameDate(h.Item) {
			return nil, parse.Errorf(h, "h1", "page date %s differs from game %s", game.Date, h.Item)
		}
		game.Date = gameDate(h.Item)
		if game.Home.Code == "" {
			game.Home = teamOf(m[4])
		}
	}

	names := map[model.PlayerID]string{}
	period := 0
	scoreHome, scoreAway := 0, 0
	t.Find("tr").Each(func(i int, row *goquery.Selection) {
		pos := fmt.Sprintf("table pbp row %d", i)
		if row.HasClass("thead") || row.ChildrenMatcher(tagMatcher("td")).Length() == 0 {
			if id, _ := row.Attr("id"); periodIDRe().MatchString(id) {
				n, _ := strconv.Atoi(periodIDRe().FindStringSubmatch(id)[1])
				period = n
				return
			}
			if m := periodHeadRe().FindStringSubmatch(cleanText(row.Text())); m != nil {
				n, _ := strconv.Atoi(m[1])
				if m[2] == "OT" || m[2] == "Overtime" {
					n += 4
				}
				period = n
			}
			return
		}
		cells := row.ChildrenMatcher(tagMatcher("td"))
		clockText := cleanText(cells.First().Text())
		clock, err := model.ParseClock(clockText)
		if err != nil {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: "time: " + err.Error()})
			return
		}
		ev := model.Event{GameID: game.GameID, EventNum: i, Clock: clock, ScoreHome: scoreHome, ScoreAway: scoreAway}
		var play *goquery.Selection
		switch {
		case cells.Length() == 2: // neutral: time + one cell spanning five
			play = cells.Eq(1)
		case cells.Length() == 6:
			away, home := cells.Eq(1), cells.Eq(5)
			at, ht := cleanText(away.Text()), cleanText(home.Text())
			switch {
			case at != "" && ht == "":
				play, ev.Side = away, model.Away
			case ht != "" && at == "":
				play, ev.Side = home, model.Home
			default:
				res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("plays in both team columns or in none: %q / %q", at, ht)})
				return
			}
			st := cleanText(cells.Eq(3).Text())
			m := scoreRe().FindStringSubmatch(st)
			if m == nil {
				res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("score %q", st)})
				return
			}
			ev.ScoreAway, _ = strconv.Atoi(m[1])
			ev.ScoreHome, _ = strconv.Atoi(m[2])
		default:
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("%d cells, want 2 or 6", cells.Length())})
			return
		}
		text := cleanText(play.Text())
		if m := periodRe().FindStringSubmatch(text); m != nil && m[1] == "Start" {
			n, _ := strconv.Atoi(m[2])
			if m[3] == "overtime" {
				n += 4
			}
			period = n
		}
		if period < 1 || period > 20 {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: "play before any period header"})
			return
		}
		if clock > model.PeriodLength(period) {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("time %s longer than period %d", clockText, period)})
			return
		}
		ev.Period = period
		ev.Elapsed = model.Elapsed(period, clock)
		ev.Description = text
		links := map[string]model.PlayerID{}
		play.Find(`a[href*="/players/"]`).Each(func(_ int, a *goquery.Selection) {
			href, _ := a.Attr("href")
			name := cleanText(a.Text())
			slug := model.PlayerID(slugFromHref(href))
			if name != "" && slug != "" {
				links[name] = slug
				names[slug] = name
			}
		})
		id := func(name string) model.PlayerID { return links[name] }
		if !describe(&ev, text, id) {
			game.Warnings = append(game.Warnings, fmt.Sprintf("%s: unknown play %q", pos, text))
		}
		scoreHome, scoreAway = ev.ScoreHome, ev.ScoreAway
		ev.Order = len(game.Events)
		game.Events = append(game.Events, ev)
	})
	if len(game.Events) == 0 && len(res.Issues) == 0 {
		return nil, parse.Errorf(h, "table pbp", "no plays")
	}
	playerSides(game, names)
	finish(game, res)
	return res, nil
}

// teamOf describes a team by its bbref code.
func teamOf(code string) model.Team {
	t := model.Team{Code: nbaCode(code)}
	if tm, ok := teams.Lookup(code); ok {
		t.ID, t.Name = tm.NBAID, tm.FullName()
	}
	return t
}

// finish sets the final score and the game and player rows of a parsed
// play-by-play.
func finish(game *model.Game, res *parse.Result) {
	if n := len(game.Events); n > 0 {
		game.Home.Pts, game.Away.Pts = game.Events[n-1].ScoreHome, game.Events[n-1].ScoreAway
	}
	parse.SetTextFacts(game)
	res.PBP = game
	g := model.GameRow{BBRefID: game.GameID, Date: game.Date, HomeCode: game.Home.Code, AwayCode: game.Away.Code,
		HomeTeamID: game.Home.ID, AwayTeamID: game.Away.ID, HomePts: game.Home.Pts, AwayPts: game.Away.Pts}
	for _, e := range game.Events {
		g.Periods = max(g.Periods, e.Period)
	}
	if g.Periods < 4 {
		g.Periods = 0
	}
	if g.Date != "" {
		if d, err := time.Parse("2006-01-02", g.Date); err == nil {
			g.Season = seasonOfDate(d)
		}
	}
	res.Games = append(res.Games, g)
}

// scraperRow is one play of the basketball_reference_web_scraper output.
type scraperRow struct {
	Period     int     `json:"period"`
	PeriodType string  `json:"period_type"`
	Remaining  float64 `json:"remaining_seconds_in_period"`
	Relevant   string  `json:"relevant_team"`
	AwayTeam   string  `json:"away_team"`
	HomeTeam   string  `json:"home_team"`
	AwayScore  int     `json:"away_score"`
	HomeScore  int     `json:"home_score"`
	Desc       string  `json:"description"`
}

var scraperColumns = []string{"period", "period_type", "remaining_seconds_in_period", "relevant_team", "away_team", "home_team", "away_score", "home_score", "description"}

// ParseScraperPBP parses the play-by-play written by the
// basketball_reference_web_scraper package (bbref/pbp_parsed: CSV with the
// header period,period_type,remaining_seconds_in_period,relevant_team,
// away_team,home_team,away_score,home_score,description, or the JSON array
// of the same objects). It is derived data: no player ids (players are
// identified by the abbreviated name of the text, "J. Tatum"), no jump
// balls or period markers, whole seconds. period counts quarters, then
// overtimes again from 1 with period_type OVERTIME. hint.Item, when a bbref
// id, names the game.
func ParseScraperPBP(data []byte, h parse.Hint) (*parse.Result, error) {
	rows, issues, err := scraperRows(data, h)
	if err != nil {
		return nil, err
	}
	res := &parse.Result{Issues: issues}
	game := &model.Game{Provider: ScraperPBPProvider}
	if m := bbrefIDRe().FindStringSubmatch(h.Item); m != nil {
		game.GameID = h.Item
		game.Date = gameDate(h.Item)
	}
	names := map[model.PlayerID]string{}
	for i, r := range rows {
		pos := fmt.Sprintf("row %d", i+1)
		if i == 0 || game.Home.Code == "" {
			game.Home, game.Away = teamByName(r.HomeTeam), teamByName(r.AwayTeam)
			if m := bbrefIDRe().FindStringSubmatch(h.Item); m != nil && game.Home.Code != nbaCode(m[4]) {
				return nil, parse.Errorf(h, pos+" home_team", "%q is not the home team of %s", r.HomeTeam, h.Item)
			}
		}
		period := r.Period
		switch strings.ToUpper(r.PeriodType) {
		case "QUARTER", "":
		case "OVERTIME":
			period += 4
		default:
			res.Issues = append(res.Issues, parse.Issue{Position: pos + " period_type", Reason: fmt.Sprintf("%q", r.PeriodType)})
			continue
		}
		if period < 1 || period > 20 || r.Remaining < 0 || model.Tenths(r.Remaining*10) > model.PeriodLength(period) {
			res.Issues = append(res.Issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("period %d remaining %v", r.Period, r.Remaining)})
			continue
		}
		clock := model.Tenths(r.Remaining*10 + 0.5)
		ev := model.Event{GameID: game.GameID, EventNum: i + 1, Period: period, Clock: clock, Elapsed: model.Elapsed(period, clock),
			ScoreHome: r.HomeScore, ScoreAway: r.AwayScore, Description: cleanText(r.Desc)}
		switch {
		case strings.EqualFold(r.Relevant, r.HomeTeam):
			ev.Side = model.Home
		case strings.EqualFold(r.Relevant, r.AwayTeam):
			ev.Side = model.Away
		}
		id := func(name string) model.PlayerID {
			pid := model.PlayerID(name)
			names[pid] = name
			return pid
		}
		if !describe(&ev, ev.Description, id) {
			game.Warnings = append(game.Warnings, fmt.Sprintf("%s: unknown play %q", pos, ev.Description))
		}
		ev.Order = len(game.Events)
		game.Events = append(game.Events, ev)
	}
	if len(game.Events) == 0 {
		return nil, parse.Errorf(h, "", "no plays")
	}
	playerSides(game, names)
	finish(game, res)
	return res, nil
}

// scraperRows decodes the CSV or JSON form.
func scraperRows(data []byte, h parse.Hint) ([]scraperRow, []parse.Issue, error) {
	trim := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trim) > 0 && trim[0] == '[' {
		var raws []json.RawMessage
		if err := json.Unmarshal(trim, &raws); err != nil {
			return nil, nil, &parse.Error{Key: h.Key, Reason: "JSON", Err: err}
		}
		var rows []scraperRow
		var issues []parse.Issue
		for i, raw := range raws {
			var r scraperRow
			if err := json.Unmarshal(raw, &r); err != nil {
				issues = append(issues, parse.Issue{Position: fmt.Sprintf("[%d]", i), Reason: err.Error()})
				continue
			}
			rows = append(rows, r)
		}
		return rows, issues, nil
	}
	cr := csv.NewReader(bytes.NewReader(trim))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, &parse.Error{Key: h.Key, Position: "line 1", Reason: "CSV header", Err: err}
	}
	col := map[string]int{}
	for i, c := range header {
		col[strings.TrimSpace(c)] = i
	}
	for _, c := range scraperColumns {
		if _, ok := col[c]; !ok {
			return nil, nil, parse.Errorf(h, "line 1", "CSV header lacks column %s", c)
		}
	}
	var rows []scraperRow
	var issues []parse.Issue
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		pos := fmt.Sprintf("line %d", line)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && pe.Err == csv.ErrFieldCount {
				issues = append(issues, parse.Issue{Position: pos, Reason: err.Error()})
				continue
			}
			return nil, nil, &parse.Error{Key: h.Key, Position: pos, Reason: "CSV", Err: err}
		}
		if len(rec) < len(header) {
			issues = append(issues, parse.Issue{Position: pos, Reason: fmt.Sprintf("%d fields, want %d", len(rec), len(header))})
			continue
		}
		get := func(c string) string { return strings.TrimSpace(rec[col[c]]) }
		var r scraperRow
		var e1, e2, e3, e4 error
		r.Period, e1 = strconv.Atoi(get("period"))
		r.Remaining, e2 = strconv.ParseFloat(get("remaining_seconds_in_period"), 64)
		r.AwayScore, e3 = strconv.Atoi(get("away_score"))
		r.HomeScore, e4 = strconv.Atoi(get("home_score"))
		if err := errors.Join(e1, e2, e3, e4); err != nil {
			issues = append(issues, parse.Issue{Position: pos, Reason: err.Error()})
			continue
		}
		r.PeriodType, r.Relevant, r.AwayTeam, r.HomeTeam, r.Desc = get("period_type"), get("relevant_team"), get("away_team"), get("home_team"), rec[col["description"]]
		rows = append(rows, r)
	}
	return rows, issues, nil
}

// teamByName finds a team by the scraper's upper-case full name, dropping
// leading words until a name matches ("NEW JERSEY NETS" -> "NETS",
// "LOS ANGELES CLIPPERS" -> "CLIPPERS").
func teamByName(name string) model.Team {
	words := strings.Fields(name)
	for i := range words {
		if tm, ok := teams.Lookup(strings.Join(words[i:], " ")); ok {
			return model.Team{ID: tm.NBAID, Code: tm.Code, Name: name}
		}
	}
	return model.Team{Name: name}
}

package bbref

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
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

// BoxSource is the Box.Source of boxes parsed from bbref box score pages.
const BoxSource = "bbref/boxscores"

var (
	gameBasicRe   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^box-([A-Z0-9]{2,4})-game-basic$`) })
	windowBasicRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^box-([A-Z0-9]{2,4})-(q|h|ot)(\d+)-basic$`) })
	h1DateRe      = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`Box Score, ([A-Z][a-z]+ \d{1,2}, \d{4})`) })
)

// basicStats lists the data-stat names of the counting columns of a basic
// box table and where each goes.
var basicStats = []struct {
	stat string
	set  func(*model.Stats, int)
}{
	{"fg", func(s *model.Stats, v int) { s.FGM = v }},
	{"fga", func(s *model.Stats, v int) { s.FGA = v }},
	{"fg3", func(s *model.Stats, v int) { s.FG3M = v }},
	{"fg3a", func(s *model.Stats, v int) { s.FG3A = v }},
	{"ft", func(s *model.Stats, v int) { s.FTM = v }},
	{"fta", func(s *model.Stats, v int) { s.FTA = v }},
	{"orb", func(s *model.Stats, v int) { s.OREB = v }},
	{"drb", func(s *model.Stats, v int) { s.DREB = v }},
	{"trb", func(s *model.Stats, v int) { s.REB = v }},
	{"ast", func(s *model.Stats, v int) { s.AST = v }},
	{"stl", func(s *model.Stats, v int) { s.STL = v }},
	{"blk", func(s *model.Stats, v int) { s.BLK = v }},
	{"tov", func(s *model.Stats, v int) { s.TOV = v }},
	{"pf", func(s *model.Stats, v int) { s.PF = v }},
	{"pts", func(s *model.Stats, v int) { s.PTS = v }},
	{"plus_minus", func(s *model.Stats, v int) { s.PlusMinus = v }},
}

// ParseBoxScore parses a basketball-reference box score page
// (/boxscores/<bbref_id>.html, plain or gzipped, whole page or the content
// area only). It returns the full-game box of both teams (player lines from
// box-<TEAM>-game-basic, starters first, DNP lines with their reason, team
// totals from <tfoot>), one window box per quarter, half and overtime table
// the page holds (From/To set), the game row (bbref id, date, teams, final
// score), both teams and every player with its bbref id.
//
// Box.GameID and the game row carry the bbref id (hint.Item when it is a
// bbref id, else derived from the page's date and home team); the loader
// maps it to the NBA GAME_ID. Team totals are the page's own: bbref TOV
// excludes team turnovers.
func ParseBoxScore(data []byte, h parse.Hint) (*parse.Result, error) {
	p, err := loadPage(data, h)
	if err != nil {
		return nil, err
	}

	var codes []string
	for _, id := range p.order {
		if m := gameBasicRe().FindStringSubmatch(id); m != nil {
			codes = append(codes, m[1])
		}
	}
	if len(codes) != 2 {
		return nil, parse.Errorf(h, "table box-<TEAM>-game-basic", "want 2 team tables, found %d", len(codes))
	}
	// Away first, home second, in page order. Comment-hidden tables were
	// indexed after the visible ones, so order by the byte offset of the id.
	i0 := bytes.Index(p.raw, []byte(`id="box-`+codes[0]+`-game-basic"`))
	i1 := bytes.Index(p.raw, []byte(`id="box-`+codes[1]+`-game-basic"`))
	if i0 > i1 {
		codes[0], codes[1] = codes[1], codes[0]
	}
	awayB, homeB := codes[0], codes[1]

	// The page's own date, from the title "... Box Score, March 17, 2024".
	pageDate := ""
	if m := h1DateRe().FindStringSubmatch(p.doc.Find("h1").First().Text()); m != nil {
		if t, err := time.Parse("January 2, 2006", m[1]); err == nil {
			pageDate = t.Format("2006-01-02")
		}
	}

	gameID := ""
	if m := bbrefIDRe().FindStringSubmatch(h.Item); m != nil {
		gameID = h.Item
		home := m[4]
		switch {
		case home == homeB:
		case home == awayB:
			// The page order says otherwise; trust the id (home code).
			awayB, homeB = homeB, awayB
		default:
			return nil, parse.Errorf(h, "table box-<TEAM>-game-basic", "page is for %s @ %s, not game %s", awayB, homeB, h.Item)
		}
		if pageDate != "" && pageDate != gameDate(h.Item) {
			return nil, parse.Errorf(h, "h1", "page date %s differs from game %s", pageDate, h.Item)
		}
	} else if pageDate != "" {
		gameID = strings.ReplaceAll(pageDate, "-", "") + "0" + homeB
	}
	date := gameDate(gameID)
	if date == "" {
		date = pageDate
	}

	res := &parse.Result{}
	side := map[string]model.Side{homeB: model.Home, awayB: model.Away}
	full := model.Box{GameID: gameID, Source: BoxSource}
	for _, code := range []string{awayB, homeB} {
		tid := "box-" + code + "-game-basic"
		lines, total, err := parseBasicTable(p.tables[tid], tid, side[code], code, h, &res.Issues)
		if err != nil {
			return nil, err
		}
		full.Players = append(full.Players, lines...)
		if side[code] == model.Home {
			full.Home = total
		} else {
			full.Away = total
		}
	}
	res.Boxes = append(res.Boxes, full)

	// Window boxes: q1..q4 (q5.. on older pages are overtimes), h1, h2,
	// ot1.., each when both teams have the table.
	type window struct {
		kind string
		n    int
	}
	seen := map[window]bool{}
	var windows []window
	for _, id := range p.order {
		m := windowBasicRe().FindStringSubmatch(id)
		if m == nil || (m[1] != homeB && m[1] != awayB) {
			continue
		}
		n, _ := strconv.Atoi(m[3])
		w := window{m[2], n}
		if !seen[w] {
			seen[w] = true
			windows = append(windows, w)
		}
	}
	// Order: by start, then by end (q1, h1, q2, q3, h2, q4, ot1, ...).
	sort.SliceStable(windows, func(i, j int) bool {
		fi, ti := windowRange(windows[i].kind, windows[i].n)
		fj, tj := windowRange(windows[j].kind, windows[j].n)
		if fi != fj {
			return fi < fj
		}
		return ti < tj
	})
	for _, w := range windows {
		from, to := windowRange(w.kind, w.n)
		if to <= from {
			res.Issues = append(res.Issues, parse.Issue{Position: fmt.Sprintf("table box-*-%s%d-basic", w.kind, w.n), Reason: "unknown window"})
			continue
		}
		box := model.Box{GameID: gameID, Source: BoxSource, From: from, To: to}
		ok := true
		for _, code := range []string{awayB, homeB} {
			tid := fmt.Sprintf("box-%s-%s%d-basic", code, w.kind, w.n)
			t, found := p.tables[tid]
			if !found {
				res.Issues = append(res.Issues, parse.Issue{Position: "table " + tid, Reason: "missing while the other team has it"})
				ok = false
				break
			}
			lines, total, err := parseBasicTable(t, tid, side[code], code, h, &res.Issues)
			if err != nil {
				res.Issues = append(res.Issues, parse.Issue{Position: "table " + tid, Reason: err.Error()})
				ok = false
				break
			}
			var sum model.Stats
			played := false
			for _, l := range lines {
				if !l.DNP {
					played = true
				}
				sum.Add(l.Stats)
			}
			if !played {
				res.Issues = append(res.Issues, parse.Issue{Position: "table " + tid, Reason: "no player has a line in this window table (the page left it empty or the period was not played); window skipped"})
				ok = false
				break
			}
			// Older pages repeat the full-game totals in every window
			// table's <tfoot>; the player rows are the window's.
			sum.PlusMinus, sum.Seconds = total.PlusMinus, total.Seconds
			if sum != total.Stats {
				res.Issues = append(res.Issues, parse.Issue{Position: "table " + tid + " tfoot", Reason: fmt.Sprintf("team totals (PTS %d) differ from the sum of the player rows (PTS %d); the window's team line is the sum", total.PTS, sum.PTS)})
				sum.Seconds = 0
				for _, l := range lines {
					sum.Seconds += l.Seconds
				}
				total.Stats = sum
			}
			box.Players = append(box.Players, lines...)
			if side[code] == model.Home {
				box.Home = total
			} else {
				box.Away = total
			}
		}
		if ok {
			res.Boxes = append(res.Boxes, box)
		}
	}

	g := model.GameRow{
		BBRefID:  gameID,
		Date:     date,
		HomeCode: nbaCode(homeB),
		AwayCode: nbaCode(awayB),
		HomePts:  full.Home.PTS,
		AwayPts:  full.Away.PTS,
		Final:    true,
	}
	if t, err := time.Parse("2006-01-02", date); err == nil {
		g.Season = layout.SeasonOfDate(t).String()
	}
	// The line score (usually inside a comment): a row per team (away
	// first) with a team link, one cell per period, then the total.
	if ls, ok := p.tables["line_score"]; ok {
		var rows []*goquery.Selection
		ls.Find("tr").Each(func(_ int, r *goquery.Selection) {
			if r.Find(`a[href*="/teams/"]`).Length() > 0 {
				rows = append(rows, r)
			}
		})
		if len(rows) == 2 {
			for i, want := range []int{g.AwayPts, g.HomePts} {
				cells := rows[i].ChildrenFiltered("td, th")
				if n := cells.Length() - 2; i == 0 && n >= 4 {
					g.Periods = n
				}
				tot := cleanText(cells.Last().Text())
				if v, err := atoi(tot); err != nil || v != want {
					res.Issues = append(res.Issues, parse.Issue{Position: fmt.Sprintf("table line_score row %d", i), Reason: fmt.Sprintf("total %q differs from the box score's %d", tot, want)})
				}
			}
		}
	}
	if t, ok := teams.Lookup(homeB); ok {
		g.HomeTeamID = t.NBAID
	}
	if t, ok := teams.Lookup(awayB); ok {
		g.AwayTeamID = t.NBAID
	}
	res.Games = append(res.Games, g)
	for _, code := range []string{awayB, homeB} {
		res.Teams = append(res.Teams, teamRow(code))
	}
	seenP := map[model.PlayerID]bool{}
	for _, l := range full.Players {
		if l.PlayerID == "" || seenP[l.PlayerID] {
			continue
		}
		seenP[l.PlayerID] = true
		res.Players = append(res.Players, model.PlayerRow{Name: l.Name, BBRefID: string(l.PlayerID)})
	}
	return res, nil
}

// teamRow describes a team by its bbref code.
func teamRow(code string) model.TeamRow {
	r := model.TeamRow{Code: nbaCode(code), BBRefCode: code}
	if t, ok := teams.Lookup(code); ok {
		r.TeamID, r.City, r.Name, r.ESPNID, r.ESPNCode = t.NBAID, t.City, t.Name, t.ESPNID, t.ESPNCode
	}
	return r
}

// windowRange returns the elapsed-time bounds of a window table: q<n>
// (quarters; q5+ are overtimes on older pages), h1/h2 (regulation halves:
// bbref's H2 is Q3+Q4 and excludes overtime) and ot<n>.
func windowRange(kind string, n int) (from, to model.Tenths) {
	switch kind {
	case "q":
		if n >= 1 && n <= 20 {
			return model.PeriodStart(n), model.PeriodStart(n) + model.PeriodLength(n)
		}
	case "h":
		switch n {
		case 1:
			return 0, model.PeriodStart(3)
		case 2:
			return model.PeriodStart(3), model.PeriodStart(5)
		}
	case "ot":
		if n >= 1 && n <= 16 {
			p := 4 + n
			return model.PeriodStart(p), model.PeriodStart(p) + model.PeriodLength(p)
		}
	}
	return 0, 0
}

// parseBasicTable reads one basic box table: player rows (starters until
// the first header row inside <tbody>), DNP rows, and the <tfoot> totals.
// Rows that do not parse become issues. A table without <tfoot> totals gets
// the sum of its player lines and an issue.
func parseBasicTable(t *goquery.Selection, tid string, side model.Side, code string, h parse.Hint, issues *[]parse.Issue) ([]model.PlayerLine, model.TeamLine, error) {
	total := model.TeamLine{Code: nbaCode(code), Side: side}
	if tm, ok := teams.Lookup(code); ok {
		total.TeamID = tm.NBAID
	}
	if t == nil {
		return nil, total, parse.Errorf(h, "table "+tid, "table not found")
	}
	var lines []model.PlayerLine
	var sum model.Stats
	starters := true
	t.Find("tbody > tr").Each(func(i int, row *goquery.Selection) {
		pos := fmt.Sprintf("table %s row %d", tid, i)
		if row.HasClass("thead") || row.HasClass("over_header") {
			if len(lines) > 0 {
				starters = false
			}
			return
		}
		nameCell := row.ChildrenMatcher(statMatcher("player"))
		if nameCell.Length() == 0 {
			*issues = append(*issues, parse.Issue{Position: pos, Reason: "row without a player cell"})
			return
		}
		name := cleanText(nameCell.Text())
		if name == "Reserves" || name == "Starters" {
			starters = false
			return
		}
		id, _ := nameCell.Attr("data-append-csv")
		if id == "" {
			if href, ok := nameCell.Find("a").Attr("href"); ok {
				id = slugFromHref(href)
			}
		}
		if name == "" {
			*issues = append(*issues, parse.Issue{Position: pos, Reason: "empty player name"})
			return
		}
		l := model.PlayerLine{PlayerID: model.PlayerID(id), Name: name, Side: side, TeamID: total.TeamID, Starter: starters}
		if reason, ok := cell(row, "reason"); ok {
			l.DNP = true
			l.DNPReason = reason
			lines = append(lines, l)
			return
		}
		st, err := rowStats(row, false)
		if err != nil {
			*issues = append(*issues, parse.Issue{Position: pos + " (" + name + ")", Reason: err.Error()})
			return
		}
		l.Stats = st
		sum.Add(st)
		lines = append(lines, l)
	})
	foot := t.Find("tfoot > tr").First()
	if foot.Length() == 0 {
		*issues = append(*issues, parse.Issue{Position: "table " + tid + " tfoot", Reason: "no team totals; using the sum of the player rows"})
		sum.PlusMinus = 0
		total.Stats = sum
		return lines, total, nil
	}
	st, err := rowStats(foot, true)
	if err != nil {
		return lines, total, parse.Errorf(h, "table "+tid+" tfoot", "team totals: %v", err)
	}
	total.Stats = st
	return lines, total, nil
}

// rowStats reads the counting stats and minutes of a player or totals row.
// In a totals row, "mp" is whole minutes ("240", "265").
func rowStats(row *goquery.Selection, totals bool) (model.Stats, error) {
	var s model.Stats
	for _, c := range basicStats {
		v, ok := cell(row, c.stat)
		if !ok {
			if c.stat == "plus_minus" {
				continue // absent on old pages
			}
			return s, fmt.Errorf("field %s: missing", c.stat)
		}
		n, err := atoi(v)
		if err != nil {
			return s, fmt.Errorf("field %s: %v", c.stat, err)
		}
		c.set(&s, n)
	}
	if mp, ok := cell(row, "mp"); ok && mp != "" {
		sec, err := minutesPlayed(mp)
		if err != nil {
			return s, fmt.Errorf("field mp: %v", err)
		}
		s.Seconds = sec
	}
	return s, nil
}

// minutesPlayed parses "MM:SS" (player minutes) or "MMM" (whole minutes, as
// in team totals) into tenths of a second.
func minutesPlayed(s string) (model.Tenths, error) {
	if strings.Contains(s, ".") {
		return 0, fmt.Errorf("minutes %q", s)
	}
	t, err := model.ParseMinutes(s)
	if err != nil {
		return 0, fmt.Errorf("minutes %q", s)
	}
	return t, nil
}

// Package bbref parses basketball-reference.com pages: box scores
// (/boxscores/<id>.html), monthly schedules
// (/leagues/NBA_<YYYY>_games-<month>.html) and play-by-play pages
// (/boxscores/pbp/<id>.html), plus the CSV/JSON output of the
// basketball_reference_web_scraper play-by-play parser. Every entry point is
// a parse.Func: a pure function from the page bytes to typed records.
//
// Basketball-Reference hides most secondary tables inside HTML comments
// (<!-- ... -->) that its JavaScript un-comments in the browser. The parsers
// here parse every comment that holds a <table> as HTML too, so a table is
// found wherever the page put it. docs/pbp-model-espn-bbref.md documents the
// mapping and the quirks.
package bbref

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/nbasim/nbasim/internal/layout"
	"github.com/nbasim/nbasim/internal/parse"
	"github.com/nbasim/nbasim/internal/teams"
)

// maxPage bounds the decompressed size of a gzipped page (a real box score
// page is under 1 MB).
const maxPage = 64 << 20

// bbrefIDRe matches a bbref game id: YYYYMMDD0 + home team code.
var bbrefIDRe = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})0([A-Z]{3})$`) })

// page is a parsed page with every table, visible or commented out, by id.
type page struct {
	doc    *goquery.Document
	raw    []byte // the HTML bytes (decompressed)
	tables map[string]*goquery.Selection
	order  []string // table ids in document order (visible first, then comments)
}

// loadPage decompresses data when it is gzipped, parses it as HTML, and
// indexes every <table id=...> including the ones inside comments. When a
// table id appears twice, the copy with more body rows wins.
func loadPage(data []byte, h parse.Hint) (*page, error) {
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, &parse.Error{Key: h.Key, Reason: "gzip header", Err: err}
		}
		raw, err := io.ReadAll(io.LimitReader(zr, maxPage+1))
		if err != nil {
			return nil, &parse.Error{Key: h.Key, Reason: "gzip body", Err: err}
		}
		if len(raw) > maxPage {
			return nil, parse.Errorf(h, "", "decompressed page larger than %d bytes", maxPage)
		}
		data = raw
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(data))
	if err != nil {
		return nil, &parse.Error{Key: h.Key, Reason: "HTML", Err: err}
	}
	p := &page{doc: doc, raw: data, tables: map[string]*goquery.Selection{}}
	p.addTables(doc.Selection)
	var comments []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.CommentNode && strings.Contains(n.Data, "<table") {
			comments = append(comments, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range doc.Nodes {
		walk(n)
	}
	for _, c := range comments {
		cd, err := goquery.NewDocumentFromReader(strings.NewReader(c))
		if err != nil {
			continue // x/net/html never fails on a string reader; be safe
		}
		p.addTables(cd.Selection)
	}
	return p, nil
}

func (p *page) addTables(s *goquery.Selection) {
	s.Find("table[id]").Each(func(_ int, t *goquery.Selection) {
		id, _ := t.Attr("id")
		if old, ok := p.tables[id]; ok {
			if t.Find("tbody tr").Length() > old.Find("tbody tr").Length() {
				p.tables[id] = t
			}
			return
		}
		p.tables[id] = t
		p.order = append(p.order, id)
	})
}

// cell returns the trimmed text of the th/td with data-stat=stat in row,
// and whether the row has such a cell.
func cell(row *goquery.Selection, stat string) (string, bool) {
	c := row.ChildrenMatcher(statMatcher(stat))
	if c.Length() == 0 {
		return "", false
	}
	return cleanText(c.First().Text()), true
}

// cleanText trims s and turns non-breaking spaces into spaces.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	return strings.Join(strings.Fields(s), " ")
}

// atoi parses a counting stat: "" is 0, "+5" is 5.
func atoi(s string) (int, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("not an integer: %q", s)
	}
	return n, nil
}

// nbaCode maps a bbref team code (BRK, CHO, PHO, historical NJN, ...) to
// the NBA code. Unknown codes are returned unchanged so nothing is lost.
func nbaCode(bbref string) string {
	if c := teams.Code(bbref); c != "" {
		return c
	}
	return bbref
}

// slugFromHref returns "quickim01" from "/players/q/quickim01.html".
func slugFromHref(href string) string {
	i := strings.LastIndex(href, "/")
	s := href[i+1:]
	return strings.TrimSuffix(s, ".html")
}

// gameDate returns YYYY-MM-DD from a bbref game id.
func gameDate(id string) string {
	m := bbrefIDRe().FindStringSubmatch(id)
	if m == nil {
		return ""
	}
	return m[1] + "-" + m[2] + "-" + m[3]
}

// seasonOfDate returns "2018-19" for a game date.
func seasonOfDate(d time.Time) string { return layout.SeasonOfDate(d).String() }

// statMatcher matches elements by their data-stat attribute without
// compiling a CSS selector per call (box pages have thousands of cells).
type statMatcher string

// Match reports whether n has data-stat equal to m.
func (m statMatcher) Match(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, a := range n.Attr {
		if a.Key == "data-stat" {
			return a.Val == string(m)
		}
	}
	return false
}

// MatchAll returns n and its descendants that match.
func (m statMatcher) MatchAll(n *html.Node) []*html.Node {
	var out []*html.Node
	if m.Match(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, m.MatchAll(c)...)
	}
	return out
}

// Filter returns the nodes of ns that match.
func (m statMatcher) Filter(ns []*html.Node) []*html.Node {
	var out []*html.Node
	for _, n := range ns {
		if m.Match(n) {
			out = append(out, n)
		}
	}
	return out
}

// tagMatcher matches elements by tag name.
type tagMatcher string

// Match reports whether n is an element named m.
func (m tagMatcher) Match(n *html.Node) bool {
	return n.Type == html.ElementNode && n.Data == string(m)
}

// MatchAll returns n and its descendants that match.
func (m tagMatcher) MatchAll(n *html.Node) []*html.Node {
	var out []*html.Node
	if m.Match(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, m.MatchAll(c)...)
	}
	return out
}

// Filter returns the nodes of ns that match.
func (m tagMatcher) Filter(ns []*html.Node) []*html.Node {
	var out []*html.Node
	for _, n := range ns {
		if m.Match(n) {
			out = append(out, n)
		}
	}
	return out
}
